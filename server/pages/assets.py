"""Resolve built asset names ("player.js") to their content-hashed files through
review_ui/dist/manifest.json, so templates never hard-code a hash.

The manifest is re-read when its modification time changes (a rebuild during
development); a missing build fails loudly with the command that fixes it.
"""
from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from server.static import UI_DIST

log = logging.getLogger(__name__)
MANIFEST = UI_DIST / "manifest.json"
STATIC_PREFIX = "/static/"


class AssetsNotBuilt(RuntimeError):
    """review_ui/dist is missing or stale: run `make build` (or `npm run build` in review_ui)."""


class AssetManifest:
    def __init__(self, path: Path = MANIFEST) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._mtime: float | None = None
        self._entries: dict = {}
        self._warned = False

    def _load(self) -> dict:
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            raise AssetsNotBuilt(f"{self.path} is missing: run `make build`.") from None
        with self._lock:
            if mtime != self._mtime:
                self._entries = json.loads(self.path.read_text())
                self._mtime = mtime
            return self._entries

    def entry(self, name: str) -> dict:
        """:raise AssetsNotBuilt: when the build has no such entry."""
        entries = self._load()
        if name not in entries:
            raise AssetsNotBuilt(f"{name} is not in {self.path}: run `make build`.")
        return entries[name]

    def url(self, name: str) -> str:
        """The hashed URL; without a build, the plain name (pages still render, unstyled,
        so server tests and sign-in work on a checkout that was never built)."""
        try:
            return STATIC_PREFIX + self.entry(name)["file"]
        except AssetsNotBuilt as error:
            if not self._warned:
                log.warning("%s", error)
                self._warned = True
            return STATIC_PREFIX + name

    def preloads(self, name: str) -> list[str]:
        """URLs of the chunks an entry imports, for <link rel="modulepreload">."""
        try:
            return [STATIC_PREFIX + path for path in self.entry(name).get("imports", [])]
        except AssetsNotBuilt:
            return []


manifest = AssetManifest()


def template_helpers() -> dict:
    return {"asset_url": manifest.url, "asset_preloads": manifest.preloads}
