"""Sign-in: throttled per account and per client address (429 with Retry-After and a
page that says so), the same work whether or not the email exists, and pages no
other site may frame."""
from __future__ import annotations

import re

import pytest

from server.storage import accounts
from tests.factories import ensure_reviewer

PASSWORD = "correct horse"


def login(client, email: str, password: str, address: str = "203.0.113.7"):
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def throttled_app(make_app):
    return make_app(login_account_failures=3, login_address_failures=5, login_failure_window_seconds=600)


def test_an_account_is_locked_after_its_failures_and_says_when_to_retry(throttled_app):
    client = throttled_app.test_client()
    ensure_reviewer(throttled_app, "ana@example.com", PASSWORD)
    for attempt in range(3):
        assert login(client, "ana@example.com", f"guess {attempt}", address=f"198.51.100.{attempt}").status_code == 401
    locked = login(client, "ana@example.com", PASSWORD, address="198.51.100.9")  # even the right password
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["Retry-After"]) <= 600
    assert "Too many failed attempts" in locked.get_data(as_text=True)
    assert login(client, "ana@example.com", PASSWORD).status_code == 429
    other = throttled_app.test_client()
    ensure_reviewer(throttled_app, "ben@example.com", PASSWORD)
    assert login(other, "ben@example.com", PASSWORD, address="198.51.100.1").status_code == 302  # others unaffected


def test_an_address_is_locked_after_failures_at_many_accounts(throttled_app):
    client = throttled_app.test_client()
    ensure_reviewer(throttled_app, "ana@example.com", PASSWORD)
    for number in range(5):
        assert login(client, f"user{number}@example.com", "guess").status_code == 401
    assert login(client, "ana@example.com", PASSWORD).status_code == 429
    assert login(client, "ana@example.com", PASSWORD, address="192.0.2.50").status_code == 302


def test_unknown_emails_are_counted_and_answered_like_known_ones(throttled_app):
    client = throttled_app.test_client()
    answers = [login(client, "nobody@example.com", "guess", address=f"192.0.2.{n}") for n in range(4)]
    assert [a.status_code for a in answers] == [401, 401, 401, 429]


def test_success_forgets_the_accounts_failures(throttled_app):
    client = throttled_app.test_client()
    ensure_reviewer(throttled_app, "ana@example.com", PASSWORD)
    for _ in range(2):
        login(client, "ana@example.com", "guess", address="192.0.2.1")
    assert login(client, "ana@example.com", PASSWORD, address="192.0.2.2").status_code == 302
    for _ in range(2):
        assert login(client, "ana@example.com", "guess", address="192.0.2.3").status_code == 401


def test_the_lock_ends_when_the_window_has_passed(throttled_app):
    runtime_clock = {"now": 1_800_000_000_000}
    from server.runtime import current_runtime

    with throttled_app.app_context():
        current_runtime().now_ms = lambda: runtime_clock["now"]
    client = throttled_app.test_client()
    ensure_reviewer(throttled_app, "ana@example.com", PASSWORD)
    for _ in range(3):
        login(client, "ana@example.com", "guess")
    locked = login(client, "ana@example.com", PASSWORD)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) == 600
    runtime_clock["now"] += 601_000
    assert login(client, "ana@example.com", PASSWORD).status_code == 302


def test_an_unknown_email_costs_one_password_hash_like_a_known_one(app, monkeypatch):
    checked = []
    original = accounts.check_password_hash
    monkeypatch.setattr(accounts, "check_password_hash", lambda *a: checked.append(1) or original(*a))
    ensure_reviewer(app, "ana@example.com", PASSWORD)
    with app.app_context():
        assert accounts.authenticate("ana@example.com", "wrong") is None
        assert accounts.authenticate("nobody@example.com", "wrong") is None
        assert accounts.authenticate("ana@example.com", PASSWORD).email == "ana@example.com"
    assert len(checked) == 3


@pytest.mark.parametrize("path", ["/auth/login", "/auth/password", "/auth/tokens", "/sessions", "/no-such-page"])
def test_no_page_can_be_framed_by_another_site(client, auth, path):
    auth.login()
    answer = client.get(path)
    assert answer.mimetype == "text/html"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Frame-Options"] == "DENY"


def test_the_sign_in_page_is_not_framable_when_signed_out(client):
    answer = client.get("/auth/login")
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Frame-Options"] == "DENY"
