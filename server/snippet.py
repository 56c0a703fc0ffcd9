"""The copy-paste snippet for a project: the SDK's async loader with this server's
URLs and the project key filled in (sdk_js/build.mjs writes the loader)."""
from __future__ import annotations

import json

from server.static import SDK_DIST

LOADER_FILE = SDK_DIST / "loader.js"


def render_snippet(public_url: str, key: str) -> str:
    """A ``<script>`` block to paste before ``</head>``.

    :raise FileNotFoundError: when the SDK has not been built (``make build``).
    """
    loader = LOADER_FILE.read_text().strip()
    for placeholder, value in (
        ("__RD_SRC__", f"{public_url}/sdk/replaydesk.js"),
        ("__RD_KEY__", key),
        ("__RD_ENDPOINT__", public_url),
    ):
        # json.dumps gives a safe JS string literal; the loader holds the placeholder inside quotes.
        literal = json.dumps(value).replace("</", "<\\/")
        loader = loader.replace(f'"{placeholder}"', literal).replace(f"'{placeholder}'", literal)
        if placeholder in loader:
            raise ValueError(f"{LOADER_FILE} holds {placeholder} outside a string literal")
    return f"<script>{loader}</script>"


def snippet_or_hint(public_url: str, key: str) -> str:
    """The snippet, or how to get it when the SDK is not built yet."""
    try:
        return render_snippet(public_url, key)
    except FileNotFoundError:
        return "(the SDK is not built yet: run `make build`, then `replaydesk project list` shows the key)"
