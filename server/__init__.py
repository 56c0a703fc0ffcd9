"""Replaydesk server: ``create_app`` is the table of contents."""
from __future__ import annotations

import os
from datetime import timedelta
from typing import Optional

from flask import Flask

from server.config import Settings
from server.errors import register_error_handlers
from server.extensions import csrf, socketio
from server.ingest.ratelimit import IngestRateLimiter
from server.jobs.queue import runner_for
from server.live import namespace as _live_namespace  # noqa: F401  registers /live before any init_app
from server.live.rooms import live_client_manager
from server.runtime import EXTENSION_KEY, Runtime
from server.static import UI_TEMPLATES, serve_static
from server.web.params import refuse_unstorable_input
from server.web.security import add_page_headers
from server.storage.blobs import open_blob_store
from server.storage import init_storage

SESSION_LIFETIME = timedelta(days=14)


def create_app(settings: Optional[Settings] = None) -> Flask:
    settings = settings or Settings.from_env(os.environ)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, template_folder=str(UI_TEMPLATES), static_folder=None)
    app.config.update(
        SECRET_KEY=settings.resolved_secret_key(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.uses_https,
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        WTF_CSRF_TIME_LIMIT=None,  # tied to the signed-in session instead of a clock
        WTF_CSRF_CHECK_DEFAULT=False,  # each blueprint protects its own writes (API tokens need none)
    )

    engine = init_storage(app, settings)
    csrf.init_app(app)
    # Any origin may open a socket: a think-aloud participant's page (on the product's origin)
    # signals its voice with its key; the live namespace gives the reviewer's cookie weight
    # only on sockets from our own origin (server/live/namespace.py).
    socketio.init_app(app, async_mode="threading", client_manager=live_client_manager(settings.redis_url),
                      cors_allowed_origins="*")

    app.extensions[EXTENSION_KEY] = Runtime(
        settings=settings,
        blobs=open_blob_store(settings.blob_url, engine_factory=lambda: engine, s3_endpoint=settings.s3_endpoint),
        rate_limiter=IngestRateLimiter(settings.ingest_rate_limit, settings.redis_url),
        jobs=runner_for(settings.redis_url, settings.job_queue),
    )

    from server.api import bp as api_bp
    from server.openapi import bp as openapi_bp
    from server.auth.routes import bp as auth_bp
    from server.health import bp as health_bp
    from server.ingest.media import bp as media_bp
    from server.ingest.routes import bp as ingest_bp
    from server.ingest.sdk_reads import bp as sdk_reads_bp
    from server.pages.views import bp as pages_bp
    from server.share.routes import bp as share_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(ingest_bp, url_prefix="/api/v1")
    app.register_blueprint(media_bp, url_prefix="/api/v1")
    app.register_blueprint(sdk_reads_bp, url_prefix="/api/v1")
    app.register_blueprint(openapi_bp, url_prefix="/api/v1")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(pages_bp)
    app.register_blueprint(share_bp)

    register_error_handlers(app)
    app.before_request(refuse_unstorable_input)  # no NUL, no huge query value reaches a route
    app.after_request(add_page_headers)  # CSP, no framing: every page, sign-in and errors too
    app.wsgi_app = serve_static(app.wsgi_app)
    return app
