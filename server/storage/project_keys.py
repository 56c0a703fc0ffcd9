"""Project keys → project ids, remembered for a minute: every batch names its key, and
keys never change once issued, so the database need not be asked each time."""
from __future__ import annotations

import threading
import time
from typing import Callable, Optional

from sqlalchemy import bindparam, select

from server.storage.models import Project
from server.storage.unit_of_work import reading

KNOWN_TTL_S = 60.0
# Unknown keys are remembered briefly, so a client with a wrong key costs no query per
# request, and a project created a moment ago is usable within seconds.
UNKNOWN_TTL_S = 5.0
MAX_ENTRIES = 10_000

_PROJECT_ID_FOR_KEY = select(Project.id).where(Project.key == bindparam("key"))


class ProjectKeyCache:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._entries: dict[str, tuple[float, Optional[int]]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def project_id(self, key: str) -> Optional[int]:
        """The id of the project with this ingest key, or None."""
        now = self._clock()
        with self._lock:
            cached = self._entries.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        project_id = reading().execute(_PROJECT_ID_FOR_KEY, {"key": key}).scalar()
        expires = now + (KNOWN_TTL_S if project_id is not None else UNKNOWN_TTL_S)
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()  # bounded memory; a refill costs one query per key
            self._entries[key] = (expires, project_id)
        return project_id
