"""Review UI pages. Every page needs a signed-in reviewer; others go to the login."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from server.auth.identity import current_reviewer
from server.extensions import csrf

bp = Blueprint("pages", __name__)


@bp.before_request
def require_login():
    if current_reviewer() is None:
        return redirect(url_for("auth.show_login", next=request.full_path.rstrip("?")))
    if request.method == "POST":
        csrf.protect()
    return None


@bp.get("/")
def list_sessions():
    return render_template("sessions/list.html")
