"""One background system: the worker's pass finds analysis, asset caching and
compaction due in the database and runs them all on the one job runner."""
from __future__ import annotations

import orjson
import pytest

from server.jobs.compact import COMPACT
from server.jobs.due import claim_due
from server.jobs.queue import InProcessRunner
from server.jobs.worker import run_pass
from server.storage.schedule import ANALYZE, ASSETS_DELAY_MS, CACHE_ASSETS
from tests.factories import T0, batch_payload, click_event, make_project, meta_event
from tests.server.recorded_site import RecordedSite, page_with_stylesheets


class RecordingRunner(InProcessRunner):
    """Runs jobs in place, like the server's own runner, and notes what it was given."""

    def __init__(self) -> None:
        self.submitted: list[tuple[str, tuple[str, ...]]] = []

    def submit(self, job, session_ids):
        if session_ids:
            self.submitted.append((job, tuple(session_ids)))
        return super().submit(job, session_ids)


@pytest.fixture
def app(make_app):
    """The recorded site lives on 127.0.0.1: this install may fetch from private addresses."""
    return make_app(fetch_allow_private=True)


@pytest.fixture
def clock(app):
    """The app's clock, moved by hand."""
    now = {"ms": T0}
    app.extensions["replaydesk"].now_ms = lambda: now["ms"]
    return now


@pytest.fixture
def runner(app):
    recording = RecordingRunner()
    app.extensions["replaydesk"].jobs = recording
    return recording


def ingest(client, key: str, payload: dict) -> None:
    response = client.post("/api/v1/ingest", data=orjson.dumps(payload), headers={"X-Replaydesk-Key": key})
    assert response.status_code == 200, response.get_json()


def worker_pass(app, *, compact: bool = False) -> None:
    with app.app_context():
        run_pass(compact=compact)


def site_css_parts(site: str) -> set[str]:
    """What the recorded site's stylesheet names: cached with it."""
    return {f"{site}/fonts/brand.woff2", f"{site}/bg.png"}


def assets_of(client, sid: str, bearer) -> dict:
    return client.get(f"/api/v1/sessions/{sid}/assets", headers=bearer).get_json()["assets"]


def test_a_batch_naming_a_stylesheet_gets_it_cached_by_the_worker_pass(app, client, site, clock, runner, bearer):
    key = make_project(app).key
    first = batch_payload(events=[meta_event(T0, f"{site}/"), page_with_stylesheets(T0 + 1, [f"{site}/site.css"])],
                          meta={"url": f"{site}/"})
    sid = first["session_id"]
    ingest(client, key, first)
    worker_pass(app)
    assert assets_of(client, sid, bearer) == {}  # not due yet: the batches of a few seconds go together

    clock["ms"] += ASSETS_DELAY_MS
    worker_pass(app)
    cached = assets_of(client, sid, bearer)
    assert set(cached) == {f"{site}/site.css", *site_css_parts(site)}
    assert b"rgb(200, 0, 0)" in client.get(cached[f"{site}/site.css"], headers=bearer).data
    assert (CACHE_ASSETS, (sid,)) in runner.submitted
    with app.app_context():
        assert claim_due(app.extensions["replaydesk"], CACHE_ASSETS) == []  # done, not due again

    RecordedSite.files["/print.css"] = (b"body { color: black }", "text/css")
    ingest(client, key, batch_payload(sid, seq=1, events=[page_with_stylesheets(T0 + 900, [f"{site}/print.css"])]))
    clock["ms"] += ASSETS_DELAY_MS
    worker_pass(app)
    assert set(assets_of(client, sid, bearer)) == {f"{site}/site.css", *site_css_parts(site), f"{site}/print.css"}


def test_a_busy_session_is_not_postponed(app, client, site, clock, runner, bearer):
    key = make_project(app).key
    payload = batch_payload(events=[meta_event(T0, f"{site}/"), page_with_stylesheets(T0 + 1, [f"{site}/site.css"])],
                            meta={"url": f"{site}/"})
    ingest(client, key, payload)
    for seq in range(1, 4):  # a batch every second: analysis waits for quiet, asset caching does not
        clock["ms"] += 1000
        ingest(client, key, batch_payload(payload["session_id"], seq=seq, events=[click_event(clock["ms"])]))
        worker_pass(app)
    assert set(assets_of(client, payload["session_id"], bearer)) == {f"{site}/site.css", *site_css_parts(site)}
    assert [job for job, _ in runner.submitted] == [CACHE_ASSETS]


def test_analysis_and_compaction_run_on_the_same_runner(app, client, clock, runner, bearer):
    key = make_project(app).key
    payload = batch_payload(events=[meta_event(T0, "https://shop.test/"), click_event(T0 + 100)])
    sid = payload["session_id"]
    ingest(client, key, payload)
    clock["ms"] += int(app.extensions["replaydesk"].settings.analysis_quiet_seconds * 1000)
    worker_pass(app)
    assert client.get(f"/api/v1/sessions/{sid}", headers=bearer).get_json()["analysis"]["status"] == "done"

    clock["ms"] += int(app.extensions["replaydesk"].settings.compact_idle_seconds * 1000) + 1
    worker_pass(app, compact=True)
    assert (COMPACT, (sid,)) in runner.submitted
    assert client.get(f"/api/v1/sessions/{sid}/events", headers=bearer).get_json() == payload["events"]
    worker_pass(app)  # compaction made the whole session due for analysis once more
    assert [job for job, _ in runner.submitted].count(ANALYZE) == 2


def test_a_batch_naming_no_stylesheet_schedules_no_caching(app, client, clock, runner):
    key = make_project(app).key
    ingest(client, key, batch_payload(events=[meta_event(T0, "https://shop.test/"), click_event(T0 + 100)]))
    clock["ms"] += ASSETS_DELAY_MS
    with app.app_context():
        assert claim_due(app.extensions["replaydesk"], CACHE_ASSETS) == []


def test_a_batch_arriving_while_assets_are_cached_is_read_right_after(app, client, site, clock, runner, bearer, monkeypatch):
    """A batch that names no asset leaves the due mark as the claim made it (a 5-minute
    lease): the run that finds it arrived makes the session due at once, not then."""
    from server.assets import cache

    key = make_project(app).key
    payload = batch_payload(events=[meta_event(T0, f"{site}/"), page_with_stylesheets(T0 + 1, [f"{site}/site.css"])],
                            meta={"url": f"{site}/"})
    ingest(client, key, payload)
    sid = payload["session_id"]
    scan = cache._scan_new_chunks

    def scan_while_a_batch_arrives(*args, **kwargs):
        ingest(client, key, batch_payload(sid, seq=1, events=[click_event(T0 + 500)]))  # the exit beacon, say
        return scan(*args, **kwargs)

    monkeypatch.setattr(cache, "_scan_new_chunks", scan_while_a_batch_arrives)
    clock["ms"] += ASSETS_DELAY_MS
    worker_pass(app)
    monkeypatch.setattr(cache, "_scan_new_chunks", scan)
    assert client.get(f"/api/v1/sessions/{sid}/assets", headers=bearer).get_json()["pending"] is True
    with app.app_context():
        assert claim_due(app.extensions["replaydesk"], CACHE_ASSETS) == [sid]  # due now, not in 5 minutes
