"""RQ job functions. `replaydesk worker` runs them inside an app context."""
from __future__ import annotations

from server.extensions import db
from server.jobs.analyze import analyze_session
from server.runtime import current_runtime


def analyze_job(session_id: str) -> bool:
    """Analyse one claimed session; False when it was deleted meanwhile."""
    try:
        return analyze_session(db.session, current_runtime(), session_id) is not None
    finally:
        db.session.remove()
