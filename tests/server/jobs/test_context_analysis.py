"""Analysis and the engineer's context: a click's failed request shows in its signal, and
analysis sets the context counters of sessions stored before ingest counted them."""
from __future__ import annotations

from sqlalchemy import update

from analysis import analyze
from analysis.event_builders import (click_event, console_event, element, network_event, network_request, page_load,
                                     text)
from server.jobs.analyze import analyze_session
from server.runtime import current_runtime
from server.storage.analysis_results import analysis_target, store_analysis
from server.storage.database import db
from server.storage.events import read_all_events
from server.storage.models import Session
from tests.factories import T0, make_project, make_session

URL = "https://shop.test/cart"


def _checkout_fails() -> list[dict]:
    """A click on Pay sends a POST that answers 503; nothing on the page changes (a dead click)."""
    events = page_load(T0, URL, element(10, "button", {"id": "pay"}, text(11, "Pay")))
    events += [click_event(T0 + 1000, 10, 50, 60), console_event(T0 + 1400, "error", "Payment failed: 503"),
               network_event(T0 + 1500, network_request("https://shop.test/api/pay", 503, T0 + 1010, 480,
                                                        method="POST")),
               console_event(T0 + 5000, "warn", "still waiting")]  # the session goes on: the click was dead
    return events


def test_the_dead_click_shows_the_failed_request_it_sent(app, client, bearer):
    session_id = make_session(app, make_project(app), events=_checkout_fails(), meta={"url": URL})
    body = client.post(f"/api/v1/sessions/{session_id}/analyze", headers=bearer).get_json()
    dead = [signal for signal in body["signals"] if signal["kind"] == "dead_click"]
    assert len(dead) == 1
    assert dead[0]["details"]["request"] == {"url": "https://shop.test/api/pay", "method": "POST", "status": 503,
                                             "error": None, "start_ms": T0 + 1010, "duration_ms": 480}
    assert body["counts"]["console_errors"] == 1 and body["counts"]["failed_requests"] == 1


def test_analysis_fills_in_the_counters_of_sessions_stored_before_them(app):
    session_id = make_session(app, make_project(app), events=_checkout_fails(), meta={"url": URL})
    with app.app_context():
        db.session.execute(update(Session).where(Session.id == session_id).values(
            console_error_count=0, failed_request_count=0, slowest_request_ms=None))  # as migration 0004 left it
        db.session.commit()
        analyze_session(current_runtime(), session_id)
        db.session.expire_all()
        row = db.session.get(Session, session_id)
        assert (row.console_error_count, row.failed_request_count, row.slowest_request_ms) == (1, 1, 480)


def test_a_batch_that_arrives_during_analysis_keeps_its_counts(app):
    project = make_project(app)
    session_id = make_session(app, project, events=_checkout_fails(), meta={"url": URL})
    with app.app_context():
        target = analysis_target(session_id)
        runtime = current_runtime()
        result = analyze(read_all_events(runtime.blobs, runtime.dictionaries, session_id))
    make_session(app, project, session_id=session_id, seq=1, events=[console_event(T0 + 3000, "error", "again")])
    with app.app_context():
        store_analysis(target, result, version="test", now_ms=T0 + 4000)
        row = db.session.get(Session, session_id)
        assert row.console_error_count == 2  # the analysis read one; ingest's count stands
