"""Sign-in pages: password form, one-time links, password change, sign-out."""
from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, flash, redirect, render_template, request, url_for

from server.auth.identity import current_reviewer, sign_in, sign_out
from server.extensions import csrf
from server.runtime import current_runtime
from server.storage.accounts import AccountError, authenticate, change_password, redeem_login_link

bp = Blueprint("auth", __name__)


@bp.before_request
def check_csrf() -> None:
    if request.method == "POST":
        csrf.protect()


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would turn our login into a phishing aid."""
    if not target:
        return url_for("pages.list_sessions")
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("pages.list_sessions")
    return target


@bp.get("/login")
def show_login():
    return render_template("auth/login.html", next=request.args.get("next", ""))


@bp.post("/login")
def submit_login():
    user = authenticate(request.form.get("email", ""), request.form.get("password", ""))
    if user is None:
        flash("Wrong email or password.", "error")
        return render_template("auth/login.html", next=request.form.get("next", ""),
                               email=request.form.get("email", "")), 401
    sign_in(user)
    return redirect(_safe_next(request.form.get("next")))


@bp.get("/link/<secret>")
def use_login_link(secret: str):
    user = redeem_login_link(secret, now_ms=current_runtime().now_ms())
    if user is None:
        flash("This sign-in link is unknown, used or expired. Ask for a new one: replaydesk user link EMAIL", "error")
        return render_template("auth/login.html", next=""), 400
    sign_in(user)
    if not user.password_hash:
        flash("Welcome! Choose a password so you can sign in again.", "info")
        return redirect(url_for("auth.show_password"))
    return redirect(url_for("pages.list_sessions"))


@bp.get("/password")
def show_password():
    if current_reviewer() is None:
        return redirect(url_for("auth.show_login", next=request.path))
    return render_template("auth/password.html")


@bp.post("/password")
def submit_password():
    reviewer = current_reviewer()
    if reviewer is None or reviewer.user_id is None:
        return redirect(url_for("auth.show_login", next=request.path))
    try:
        change_password(reviewer.user_id, request.form.get("password", ""))
    except AccountError as error:  # shown on the form, not as an error page
        flash(str(error), "error")
        return render_template("auth/password.html"), 400
    flash("Password saved.", "info")
    return redirect(url_for("pages.list_sessions"))


@bp.post("/logout")
def logout():
    sign_out()
    return redirect(url_for("auth.show_login"))
