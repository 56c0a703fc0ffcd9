"""A `replaydesk serve` subprocess for UI tests and the player bench."""
from __future__ import annotations

import time

import requests

from tests.e2e.server import ServerProcess


class PatientServer(ServerProcess):
    """ServerProcess whose start survives a slow first answer: /healthz can take more
    than the 1 s read timeout of ServerProcess.start while the worker imports the app."""

    def start(self) -> "PatientServer":
        try:
            super().start()
        except requests.Timeout:
            deadline = time.monotonic() + 30
            while requests.get(f"{self.url}/healthz", timeout=10).status_code != 200:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        return self
