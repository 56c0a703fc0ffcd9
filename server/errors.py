"""One error shape for the whole API: ``{"ok": false, "error": code, "message": text}``.

Raise an ``ApiError`` subclass anywhere below a route; the handler registered in
``register_error_handlers`` renders it (HTML pages get a template instead).
"""
from __future__ import annotations

import logging
from typing import Optional

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from server.storage import errors as domain
from server.storage.outage import as_unavailable

log = logging.getLogger(__name__)

# Seconds a client is told to wait when a dependency (database, blob store, Redis) is down.
RETRY_AFTER_S = 5


class ApiError(Exception):
    status = 500
    code = "internal_error"
    message = "Something went wrong on the server."

    def __init__(self, message: Optional[str] = None, *, headers: Optional[dict] = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.headers = headers or {}


class BadRequest(ApiError):
    status, code, message = 400, "bad_request", "The request is malformed."


class Unauthorized(ApiError):
    status, code, message = 401, "unauthorized", "Sign in or send a reviewer token."


class UnknownKey(ApiError):
    status, code, message = 401, "unknown_key", "Unknown or missing project key."


class Forbidden(ApiError):
    status, code, message = 403, "forbidden", "You may not do this."


class NotFound(ApiError):
    status, code, message = 404, "not_found", "No such resource."


class Conflict(ApiError):
    status, code, message = 409, "conflict", "This conflicts with what is stored."


class Gone(ApiError):
    status, code, message = 410, "gone", "This no longer applies; start again."


class PayloadTooLarge(ApiError):
    status, code, message = 413, "payload_too_large", "The request body is too large."


class UnsupportedEncoding(ApiError):
    status, code, message = 415, "unsupported_encoding", "Unknown Content-Encoding; send identity or gzip."


class RateLimited(ApiError):
    status, code, message = 429, "rate_limited", "Too many requests for this project key; retry later."


class Unavailable(ApiError):
    status, code, message = 503, "unavailable", "The server cannot store this right now; retry."

    def __init__(self, message: Optional[str] = None, *, headers: Optional[dict] = None) -> None:
        super().__init__(message, headers={"Retry-After": str(RETRY_AFTER_S), **(headers or {})})


# Each domain error becomes one HTTP answer, here and nowhere else.
DOMAIN_ANSWERS: dict[type[domain.DomainError], type[ApiError]] = {
    domain.InvalidInput: BadRequest,
    domain.NotFoundError: NotFound,
    domain.ConflictError: Conflict,
    domain.ExpiredError: Gone,
    domain.StorageUnavailable: Unavailable,
}


def api_error_for(error: domain.DomainError) -> ApiError:
    """The HTTP answer for a domain error (its message kept)."""
    for kind in type(error).__mro__:
        if kind in DOMAIN_ANSWERS:
            return DOMAIN_ANSWERS[kind](error.message)
    return ApiError(error.message)


def error_body(code: str, message: str) -> dict:
    return {"ok": False, "error": code, "message": message}


def _wants_json() -> bool:
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def handle_api_error(error: ApiError):
        if not _wants_json() and isinstance(error, Unavailable):
            # A page of its own, rendered without the context processors: they may
            # ask the database who is signed in, and the database may be what is down.
            page = current_app.jinja_env.get_template("unavailable.html").render(message=error.message)
            return page, error.status, error.headers
        if not _wants_json():
            return render_template("error.html", status=error.status, message=error.message), error.status, error.headers
        response = jsonify(error_body(error.code, error.message))
        response.status_code = error.status
        response.headers.update(error.headers)
        return response

    @app.errorhandler(domain.DomainError)
    def handle_domain_error(error: domain.DomainError):
        return handle_api_error(api_error_for(error))

    @app.errorhandler(Exception)
    def handle_outage(error: Exception):
        """A dependency that is down answers 503 with Retry-After (storage/outage.py
        decides what counts); anything else is a bug and goes on to the 500 handling."""
        unavailable = as_unavailable(error)
        if unavailable is None:
            raise error
        log.warning("%s %s: %s (%s)", request.method, request.path, unavailable.message, type(error).__name__)
        return handle_domain_error(unavailable)

    @app.errorhandler(HTTPException)
    def handle_http_exception(error: HTTPException):
        code = (error.name or "error").lower().replace(" ", "_")
        message = error.description or error.name
        if not _wants_json():
            return render_template("error.html", status=error.code, message=message), error.code
        response = jsonify(error_body(code, message))
        response.status_code = error.code or 500
        return response
