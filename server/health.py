"""GET /healthz: 200 ``{"ok": true, "checks": {...}}`` when every dependency works, so
load balancers route traffic here; 503 with Retry-After and ``failed`` naming what
failed otherwise. The checks (database, migrations, blob store, Redis when configured)
are ``server/storage/health.py``'s."""
from __future__ import annotations

from flask import Blueprint, jsonify

from server.errors import RETRY_AFTER_S
from server.runtime import current_runtime
from server.storage.health import health_report

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def check_health():
    runtime = current_runtime()
    checks = health_report(runtime.blobs, runtime.settings.redis_url)
    failed = [name for name, result in checks.items() if not result["ok"]]
    response = jsonify({"ok": not failed, "checks": checks, **({"failed": failed} if failed else {})})
    if failed:
        response.status_code = 503
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response
