"""Sign-in pages: password form (throttled), one-time links, password change,
sign-out (which ends every session of the user), and one's own API tokens."""
from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, flash, redirect, render_template, request, url_for

from server.auth import throttle
from server.auth.identity import current_reviewer, proved_by_link, sign_in, sign_out
from server.auth.tokens import create_from_form, listed_tokens
from server.extensions import csrf
from server.runtime import current_runtime
from server.storage.accounts import (AccountError, WrongPassword, authenticate, change_password, end_sessions,
                                     find_user, redeem_login_link)
from server.storage.errors import DomainError
from server.storage.tokens import revoke_token

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


def _too_many(email: str, page):
    """None while ``email`` may try a password from this address; else the 429 answer
    (``page`` renders the form with the message)."""
    runtime = current_runtime()
    wait = throttle.retry_after_seconds(email, request.remote_addr, runtime.settings, now_ms=runtime.now_ms())
    if wait is None:
        return None
    minutes = max(1, round(wait / 60))
    flash(f"Too many failed attempts. Try again in about {minutes} minute{'s' if minutes != 1 else ''}.", "error")
    return page(), 429, {"Retry-After": str(wait)}


@bp.post("/login")
def submit_login():
    runtime = current_runtime()
    email, address, now = request.form.get("email", ""), request.remote_addr, runtime.now_ms()
    def form():
        return render_template("auth/login.html", next=request.form.get("next", ""), email=email)

    refused = _too_many(email, form)
    if refused:
        return refused
    user = authenticate(email, request.form.get("password", ""))
    if user is None:
        throttle.count_failure(email, address, runtime.settings, now_ms=now)
        flash("Wrong email or password.", "error")
        return form(), 401
    throttle.count_success(email, address)
    sign_in(user)
    return redirect(_safe_next(request.form.get("next")))


@bp.get("/link/<secret>")
def use_login_link(secret: str):
    now = current_runtime().now_ms()
    user = redeem_login_link(secret, now_ms=now)
    if user is None:
        flash("This sign-in link is unknown, used or expired. Ask for a new one: replaydesk user link EMAIL", "error")
        return render_template("auth/login.html", next=""), 400
    sign_in(user, by_link_at=now)
    if not user.password_hash:
        flash("Welcome! Choose a password so you can sign in again.", "info")
        return redirect(url_for("auth.show_password"))
    return redirect(url_for("pages.list_sessions"))


def _password_page(status: int = 200):
    reviewer = current_reviewer()
    asks_current = reviewer.has_password and not proved_by_link(current_runtime().now_ms())
    return render_template("auth/password.html", asks_current=asks_current, has_password=reviewer.has_password), status


@bp.get("/password")
def show_password():
    if current_reviewer() is None:
        return redirect(url_for("auth.show_login", next=request.path))
    return _password_page()


@bp.post("/password")
def submit_password():
    """A new password ends every other session of the user; this browser stays in.
    The current password is asked unless the user has none yet or came by a fresh link."""
    reviewer = current_reviewer()
    if reviewer is None or reviewer.via != "cookie":
        return redirect(url_for("auth.show_login", next=request.path))
    runtime = current_runtime()
    proved = not reviewer.has_password or proved_by_link(runtime.now_ms())
    refused = None if proved else _too_many(reviewer.name, lambda: _password_page()[0])
    if refused:  # guesses at the current password count like failed sign-ins
        return refused
    try:
        change_password(reviewer.user_id, request.form.get("password", ""),
                        current=None if proved else request.form.get("current_password", ""))
    except AccountError as error:  # shown on the form, not as an error page
        if isinstance(error, WrongPassword):
            throttle.count_failure(reviewer.name, request.remote_addr, runtime.settings, now_ms=runtime.now_ms())
        flash(str(error), "error")
        return _password_page(400)
    sign_in(find_user(reviewer.user_id))
    flash("Password saved. Every other session of yours is signed out.", "info")
    return redirect(url_for("pages.list_sessions"))


@bp.post("/logout")
def logout():
    """Sign out here and everywhere: every cookie of the user stops working."""
    reviewer = current_reviewer()
    if reviewer is not None and reviewer.via == "cookie":
        end_sessions(reviewer.user_id)
    sign_out()
    return redirect(url_for("auth.show_login"))


@bp.get("/tokens")
def show_tokens():
    reviewer = current_reviewer()
    if reviewer is None:
        return redirect(url_for("auth.show_login", next=request.path))
    return render_template("auth/tokens.html", **listed_tokens(reviewer))


@bp.post("/tokens")
def add_token():
    reviewer = current_reviewer()
    if reviewer is None:
        return redirect(url_for("auth.show_login", next=request.path))
    try:
        secret = create_from_form(reviewer, request.form)
    except DomainError as error:
        flash(error.message, "error")
        return render_template("auth/tokens.html", **listed_tokens(reviewer)), 400
    return render_template("auth/tokens.html", secret=secret, **listed_tokens(reviewer)), 201


@bp.post("/tokens/<int:token_id>/revoke")
def revoke(token_id: int):
    reviewer = current_reviewer()
    if reviewer is None:
        return redirect(url_for("auth.show_login", next=request.path))
    revoke_token(token_id, owner_id=reviewer.user_id)
    flash("Token revoked.", "info")
    return redirect(url_for("auth.show_tokens"))
