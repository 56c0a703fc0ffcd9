"""Built browser assets through WhiteNoise: the review UI at /static, the recorder
snippet at /sdk (a stable URL that products embed, so a shorter cache)."""
from __future__ import annotations

import re
from pathlib import Path

from whitenoise import WhiteNoise

REPO_ROOT = Path(__file__).resolve().parent.parent
UI_DIST = REPO_ROOT / "review_ui" / "dist"
SDK_DIST = REPO_ROOT / "sdk_js" / "dist"
UI_TEMPLATES = REPO_ROOT / "review_ui" / "templates"

UI_MAX_AGE = 86400
SDK_MAX_AGE = 3600  # products keep the same <script> URL; an update reaches them within an hour
# esbuild names UI files <name>-<content hash>.<ext>: such a URL never changes content.
HASHED_NAME = re.compile(r"-[A-Z0-9]{8}\.(js|css|map)$")


def is_immutable(_path: str, url: str) -> bool:
    return url.startswith("/static/") and bool(HASHED_NAME.search(url))


def _asset_headers(headers, _path: str, url: str) -> None:
    if url.startswith("/sdk/"):
        headers["Cache-Control"] = f"public, max-age={SDK_MAX_AGE}"
        headers["Access-Control-Allow-Origin"] = "*"  # loaded from any product's origin


def serve_static(wsgi_app):
    """Wrap ``wsgi_app`` so built assets are answered before Flask sees the request."""
    app = WhiteNoise(wsgi_app, max_age=UI_MAX_AGE, add_headers_function=_asset_headers,
                     immutable_file_test=is_immutable)
    for directory, prefix in ((UI_DIST, "static/"), (SDK_DIST, "sdk/")):
        if directory.is_dir():
            app.add_files(str(directory), prefix=prefix)
    return app
