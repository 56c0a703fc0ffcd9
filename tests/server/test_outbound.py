"""The outbound fetch policy (server/outbound.py): what a recording can make the server
fetch. Loopback, private, link-local and metadata addresses are refused unless the
install is itself local or REPLAYDESK_FETCH_ALLOW_PRIVATE=1; redirects are checked hop
by hop; size and time are capped."""
from __future__ import annotations

import contextlib
import http.server
import socket
import threading
import time
from typing import Iterator

import orjson
import pytest

from server.config import Settings
from server.outbound import OutboundPolicy, OutboundRefused, policy_for, request
from tests.factories import T0, batch_payload, make_project, make_token, meta_event
from tests.server.recorded_site import page_with_stylesheets

PUBLIC = "93.184.216.34"  # what the fake resolver answers for *.example names


@pytest.mark.parametrize("address, allowed, allowed_when_private_ok", [
    ("93.184.216.34", True, True), ("2606:4700::6810:85e5", True, True),
    ("127.0.0.1", False, True), ("127.8.9.10", False, True), ("::1", False, True),
    ("10.0.0.5", False, True), ("172.16.0.1", False, True), ("192.168.1.1", False, True), ("100.64.0.1", False, True),
    ("fd12:3456::1", False, True), ("fe80::1", False, True), ("169.254.1.1", False, True),
    ("169.254.169.254", False, False), ("fd00:ec2::254", False, False), ("::ffff:169.254.169.254", False, False),
    ("0.0.0.0", False, True), ("::", False, True), ("224.0.0.1", False, False), ("ff02::1", False, False),
    ("240.0.0.1", False, True), ("192.0.2.1", False, True),  # reserved, documentation
    ("::ffff:127.0.0.1", False, True), ("::ffff:10.0.0.1", False, True), ("2002:7f00:1::", False, True),
    ("64:ff9b::a00:1", False, True), ("::ffff:93.184.216.34", True, True),
])
def test_address_rule(address, allowed, allowed_when_private_ok):
    assert OutboundPolicy().allows(address) is allowed
    assert OutboundPolicy(allow_private=True).allows(address) is allowed_when_private_ok


@pytest.mark.parametrize("public_url, allow_setting, private_ok", [
    ("http://replaydesk.test", False, False), ("https://replay.example.com", False, False),
    ("http://127.0.0.1:5000", False, True), ("http://localhost:5000", False, True), ("http://[::1]:5000", False, True),
    ("http://replaydesk.test", True, True),
])
def test_local_addresses_only_for_a_local_install_or_the_setting(tmp_path, public_url, allow_setting, private_ok):
    settings = Settings(data_dir=tmp_path, public_url=public_url, fetch_allow_private=allow_setting)
    assert policy_for(settings).allow_private is private_ok
    env = {"REPLAYDESK_DATA_DIR": str(tmp_path), "REPLAYDESK_PUBLIC_URL": public_url,
           "REPLAYDESK_FETCH_ALLOW_PRIVATE": "1" if allow_setting else "0"}
    assert policy_for(Settings.from_env(env)).allow_private is private_ok


@contextlib.contextmanager
def listener() -> Iterator[socket.socket]:
    """A real socket listening on 127.0.0.1 that never accepts: a connection to it
    waits in the backlog, where :func:`connections` finds it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    try:
        yield sock
    finally:
        sock.close()


def connections(sock: socket.socket) -> int:
    sock.setblocking(False)
    count = 0
    with contextlib.suppress(BlockingIOError):
        while True:
            sock.accept()[0].close()
            count += 1
    return count


def _hostile_batch(port: int) -> dict:
    """A recording that says its page was on loopback and links the loopback port in
    several spellings (the attack of issue 10)."""
    origin = f"http://127.0.0.1:{port}"
    hrefs = [f"{origin}/admin.css", f"http://localhost:{port}/a.css", f"http://[::ffff:127.0.0.1]:{port}/b.css",
             f"http://2130706433:{port}/c.css", f"http://[::1]:{port}/d.css"]
    return batch_payload(events=[meta_event(T0, f"{origin}/"), page_with_stylesheets(T0 + 1, hrefs)],
                         meta={"url": f"{origin}/"})


def test_a_recording_cannot_make_the_server_reach_its_loopback(app, client, bearer):
    with listener() as sock:
        payload = _hostile_batch(sock.getsockname()[1])
        key = make_project(app).key
        assert client.post("/api/v1/ingest", data=orjson.dumps(payload), headers={"X-Replaydesk-Key": key}).status_code == 200
        report = client.post(f"/api/v1/sessions/{payload['session_id']}/assets", headers=bearer).get_json()
        assert report["fetched"] == [] and len(report["failed"]) == 5
        assert all("not fetched" in reason or "resolve" in reason for reason in report["failed"].values()), report
        assert connections(sock) == 0


@pytest.mark.parametrize("overrides", [{"public_url": "http://127.0.0.1:5000"}, {"public_url": "http://localhost:5000"},
                                       {"fetch_allow_private": True}])
def test_a_local_install_or_the_setting_fetches_local_sites(make_app, site, overrides):
    app = make_app(**overrides)
    client = app.test_client()
    payload = batch_payload(events=[meta_event(T0, f"{site}/"), page_with_stylesheets(T0 + 1, [f"{site}/site.css"])])
    client.post("/api/v1/ingest", data=orjson.dumps(payload), headers={"X-Replaydesk-Key": make_project(app).key})
    report = client.post(f"/api/v1/sessions/{payload['session_id']}/assets",
                         headers={"Authorization": f"Bearer {make_token(app)}"}).get_json()
    assert f"{site}/site.css" in report["fetched"] and report["failed"] == {}


class Trap(http.server.BaseHTTPRequestHandler):
    """Redirects, endless bodies and slow bodies, on 127.0.0.1 (played as a public host)."""

    redirect_to = ""

    def do_GET(self):  # noqa: N802 - http.server's name
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
            self.end_headers()
        elif self.path in ("/big", "/slow"):
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()  # no Content-Length: the cap must hold while reading
            with contextlib.suppress(OSError):
                for _ in range(200):
                    self.wfile.write(b"a" * (64 * 1024 if self.path == "/big" else 1))
                    self.wfile.flush()
                    if self.path == "/slow":
                        time.sleep(0.05)
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def public_host():
    """A policy under which ``*.example`` resolves to a public address whose
    connections land on a local trap server; yields (policy, resolved names)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trap)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    resolved: list[str] = []

    def resolve(host, port):
        resolved.append(host)
        return [PUBLIC] if host.endswith(".example") else [info[4][0] for info in socket.getaddrinfo(host, port)]

    def connect(address, port, timeout):
        assert address == PUBLIC, f"connected to {address}, not the checked address"
        return socket.create_connection(server.server_address, timeout)

    yield OutboundPolicy(resolve=resolve, connect=connect), resolved
    server.shutdown()
    server.server_close()


def test_the_checked_address_is_the_one_connected_to(public_host):
    policy, resolved = public_host
    response = request("http://cdn.example/ok.css", policy, max_bytes=100)
    assert (response.status, response.body, resolved) == (200, b"ok", ["cdn.example"])


def test_a_redirect_to_a_refused_address_is_not_followed(public_host):
    policy, _ = public_host
    with listener() as sock:
        for target in (f"http://127.0.0.1:{sock.getsockname()[1]}/admin", "http://169.254.169.254/latest/meta-data/",
                       f"http://localhost:{sock.getsockname()[1]}/"):
            Trap.redirect_to = target
            with pytest.raises(OutboundRefused, match="not fetched"):
                request("http://cdn.example/redirect", policy, max_bytes=100)
        Trap.redirect_to = "file:///etc/passwd"
        with pytest.raises(OutboundRefused, match="only http and https"):
            request("http://cdn.example/redirect", policy, max_bytes=100)
        assert connections(sock) == 0
    Trap.redirect_to = "http://other.example/ok.css"  # a public hop is followed
    assert request("http://cdn.example/redirect", policy, max_bytes=100).url == "http://other.example/ok.css"
    Trap.redirect_to = "http://cdn.example/redirect"  # a loop ends
    with pytest.raises(OutboundRefused, match="redirects"):
        request("http://cdn.example/redirect", policy, max_bytes=100)


def test_size_and_time_are_capped(public_host):
    policy, _ = public_host
    with pytest.raises(OutboundRefused, match="larger than 100000 bytes"):
        request("http://cdn.example/big", policy, max_bytes=100_000)
    started = time.monotonic()
    with pytest.raises(OutboundRefused, match="longer than the time allowed"):
        request("http://cdn.example/slow", policy, max_bytes=100_000, total_timeout=0.5)  # a byte every 50 ms
    assert time.monotonic() - started < 1.5


def test_a_name_with_one_private_address_is_refused_whole():
    policy = OutboundPolicy(resolve=lambda host, port: [PUBLIC, "10.0.0.1"])
    with pytest.raises(OutboundRefused, match="10.0.0.1"):
        request("http://mixed.example/", policy, max_bytes=10)
