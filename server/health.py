"""GET /healthz: 200 once the database answers, so load balancers route traffic here."""
from flask import Blueprint, jsonify

from server.storage.health import check_database

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def check_health():
    check_database()
    return jsonify({"ok": True})
