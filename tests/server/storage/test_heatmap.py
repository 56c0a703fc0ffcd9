"""The sessions on a page and the signals at a spot follow analysis' one "same page"
rule, also for navigations stored with their fragment by older versions."""
from __future__ import annotations

import pytest

from server.storage.database import db
from server.storage.heatmap import sessions_on_page, signals_on_page
from server.storage.models import SessionPage, Signal
from tests.factories import T0, make_project, make_session, meta_event

STORED = {
    "thanks": "http://x/thanks",
    "empty-query": "http://x/thanks?",
    "fragment": "http://x/thanks#receipt",
    "both": "http://x/thanks?#receipt",
    "slash": "http://x/thanks/",
    "query": "http://x/thanks?order=7",
    "longer": "http://x/thanksgiving",
    "wildcard": "http://x/th_nks",
}


@pytest.fixture
def visits(app):
    """One session per stored URL: its navigation row written as it is here."""
    project = make_project(app)
    ids = {name: make_session(app, project, events=[meta_event(T0, "http://x/")]) for name in STORED}
    with app.app_context():
        for name, url in STORED.items():
            db.session.add(SessionPage(session_id=ids[name], url=url, ts=T0 + 10, title=""))
            db.session.add(Signal(session_id=ids[name], kind="rage_click", ts=T0 + 20, end_ts=T0 + 30, url=url,
                                  x=1.0, y=2.0, details={}))
        db.session.commit()
    return ids


@pytest.mark.parametrize(("asked", "expected"), [
    ("http://x/thanks", {"thanks", "empty-query", "fragment", "both"}),
    ("http://x/thanks?", {"thanks", "empty-query", "fragment", "both"}),
    ("http://x/thanks#top", {"thanks", "empty-query", "fragment", "both"}),
    ("http://x/thanks/", {"slash"}),
    ("http://x/thanks?order=7", {"query"}),
    ("http://x/th_nks", {"wildcard"}),  # LIKE's wildcards are taken literally
])
def test_sessions_and_signals_on_a_page(app, visits, asked, expected):
    with app.app_context():
        names = {session_id: name for name, session_id in visits.items()}
        assert {names[row.id] for row in sessions_on_page(asked, limit=50)} == expected
        signals = signals_on_page("rage_click", list(visits.values()), asked)
        assert {names[signal.session_id] for signal in signals} == expected
