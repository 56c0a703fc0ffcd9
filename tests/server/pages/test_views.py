"""Review UI pages: login required everywhere, what each page shows, text escaped."""
from __future__ import annotations

import json
import re

import pytest

from server.storage.database import db
from server.storage.models import Signal
from tests.factories import T0, click_event, custom_event, make_project, make_session, make_token, meta_event

PAGES = ["/", "/sessions", "/sessions/{sid}", "/notes", "/findings", "/findings/1", "/pages",
         "/pages/heatmap?url=https%3A%2F%2Fshop.test%2F"]


@pytest.fixture
def sid(app):
    events = [meta_event(T0, "https://shop.test/"), custom_event(T0 + 1, "$pageview", {"url": "https://shop.test/", "title": "Home"}),
              click_event(T0 + 500, x=40, y=50), meta_event(T0 + 20_000, "https://shop.test/cart"), click_event(T0 + 61_000)]
    return make_session(app, make_project(app), events=events, meta={"url": "https://shop.test/", "distinct_id": "u-42",
                                                                     "variants": {"checkout": "B"}})


def _add_signal(app, sid: str, kind: str = "rage_click") -> None:
    with app.app_context():
        db.session.add(Signal(session_id=sid, kind=kind, ts=T0 + 500, end_ts=T0 + 900, url="https://shop.test/", x=40, y=50,
                              target={"selector": "#apply", "tag": "button", "text": "Apply"}, count=3, details={}))
        db.session.commit()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_redirects_to_login_when_signed_out(client, sid, path):
    response = client.get(path.format(sid=sid))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_session_list_rows_and_filters(client, app, auth, sid):
    other = make_session(app, make_project(app), events=[meta_event(T0 + 5, "https://shop.test/help"), click_event(T0 + 900)])
    _add_signal(app, sid)
    auth.login()
    page = client.get("/").get_data(as_text=True)
    assert sid in page and other in page
    assert "Rage click" in page and "checkout: B" in page and "u-42" in page
    assert "/ → /cart" in page  # entry → exit
    filtered = client.get("/?signal=rage_click").get_data(as_text=True)
    assert sid in filtered and other not in filtered
    assert other in client.get("/?url=/help").get_data(as_text=True)
    assert sid not in client.get("/?url=/help").get_data(as_text=True)
    bad = client.get("/?since=yesterday")
    assert bad.status_code == 200 and "That filter does not work" in bad.get_data(as_text=True)
    assert client.get("/?sort=-frustration").status_code == 200


def test_session_list_pages_with_a_cursor(client, app, auth):
    project = make_project(app)
    made = {make_session(app, project, events=[meta_event(T0 + n), click_event(T0 + n + 10)]) for n in range(55)}
    auth.login()
    first = client.get("/").get_data(as_text=True)
    cursor = re.search(r'rel="next" href="[^"]*cursor=([^"&]+)', first).group(1)
    second = client.get(f"/?cursor={cursor}").get_data(as_text=True)
    ids = set(re.findall(r'data-href="/sessions/([^"]+)"', first)) | set(re.findall(r'data-href="/sessions/([^"]+)"', second))
    assert ids == made


def test_player_page_embeds_the_session_and_escapes_text(client, app, auth, sid):
    _add_signal(app, sid)
    auth.login()
    bearer = {"Authorization": f"Bearer {make_token(app)}"}
    client.post(f"/api/v1/sessions/{sid}/annotations", headers=bearer, json={"ts": 100, "text": "</script><script>alert(1)</script>"})
    response = client.get(f"/sessions/{sid}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html  # tojson escapes < and >
    data = json.loads(re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S).group(1))
    assert data["session"]["id"] == sid and data["session"]["signals"][0]["kind"] == "rage_click"
    assert data["session"]["annotations"][0]["text"] == "</script><script>alert(1)</script>"
    assert data["eventsUrl"] == f"/api/v1/sessions/{sid}/events" and data["firstLimit"] > 0
    assert f'rel="preload" as="fetch" href="/api/v1/sessions/{sid}/events?limit=' in html
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp
    assert client.get("/sessions/no-such-session").status_code == 404


def test_notes_findings_and_pages(client, app, auth, sid):
    auth.login()
    bearer = {"Authorization": f"Bearer {make_token(app)}"}
    note = client.post(f"/api/v1/sessions/{sid}/annotations", headers=bearer,
                       json={"ts": 42_000, "text": "<b>Apply</b> does nothing", "tags": ["coupon"], "severity": 3}).get_json()
    inbox = client.get("/notes").get_data(as_text=True)
    assert "&lt;b&gt;Apply&lt;/b&gt; does nothing" in inbox and f"/sessions/{sid}?t=42000" in inbox
    finding = client.post("/api/v1/findings", headers=bearer,
                          json={"title": "<i>Coupon</i> silent", "evidence": [note["id"]], "status": "accepted"}).get_json()
    assert "does nothing" not in client.get("/notes").get_data(as_text=True)  # grouped: no longer in the inbox
    assert "does nothing" in client.get("/notes?show=all").get_data(as_text=True)
    board = client.get("/findings").get_data(as_text=True)
    assert "&lt;i&gt;Coupon&lt;/i&gt; silent" in board and "/api/v1/findings/export?format=md" in board
    detail = client.get(f"/findings/{finding['id']}").get_data(as_text=True)
    assert f"/sessions/{sid}?t=42000" in detail and "0:42" in detail
    assert client.get("/findings/999").status_code == 404
    assert client.get("/pages").status_code == 200
    assert client.get("/pages/heatmap").status_code == 302  # no url: back to the list
    assert "https://shop.test/cart" in client.get("/pages/heatmap?url=https://shop.test/cart").get_data(as_text=True)


def test_navigation_marks_the_current_section(client, auth, sid):
    auth.login()
    html = client.get(f"/sessions/{sid}").get_data(as_text=True)
    assert re.search(r'href="/"\s+aria-current="page">Sessions', html)
    assert re.search(r'href="/findings"\s+aria-current="page"', client.get("/findings").get_data(as_text=True))
