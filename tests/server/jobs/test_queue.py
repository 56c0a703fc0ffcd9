"""With Redis, claimed analyses go through an RQ queue to `replaydesk worker`."""
from __future__ import annotations

import uuid

from redis import Redis
from rq import Queue, SimpleWorker

from server.storage.database import db
from server.jobs.due import run_due_jobs
from server.jobs.queue import RedisRunner
from server.runtime import current_runtime
from server.storage.models import Session
from server.storage.schedule import ANALYZE

REDIS_URL = "redis://127.0.0.1:6379/0"


def test_due_analysis_runs_on_an_rq_worker(make_app, runner, corpus_files):
    queue_name = f"replaydesk-test-{uuid.uuid4().hex[:8]}"
    app = make_app(redis_url=REDIS_URL, job_queue=queue_name)
    runner.invoke("init")
    runner.invoke("import", str(next(p for p in corpus_files if "coupon_rager_leaves" in p.name)))
    connection = Redis.from_url(REDIS_URL)
    queue = Queue(queue_name, connection=connection)
    try:
        with app.app_context():
            runtime = current_runtime()
            assert isinstance(runtime.jobs, RedisRunner)
            assert run_due_jobs(runtime, ANALYZE) == 1
            assert queue.count == 1
            session_id = db.session.execute(db.select(Session.id)).scalar_one()
            assert db.session.get(Session, session_id).analysis_version is None  # queued, not run here
            SimpleWorker([queue], connection=connection).work(burst=True, with_scheduler=False, logging_level="WARNING")
            db.session.expire_all()
            analysed = db.session.get(Session, session_id)
            assert analysed.analysis_version is not None and analysed.analysis_due_at is None
            assert {s.kind for s in analysed.signals} >= {"rage_click"}
    finally:
        queue.delete(delete_jobs=True)
