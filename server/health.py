"""GET /healthz: 200 once the database answers, so load balancers route traffic here."""
from flask import Blueprint, jsonify
from sqlalchemy import text

from server.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def check_health():
    db.session.execute(text("SELECT 1"))
    return jsonify({"ok": True})
