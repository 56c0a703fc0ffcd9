"""zstd dictionaries per project: a small read-through cache (dictionaries never
change once stored, and a new one appears at most once per compaction)."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional

from sqlalchemy import select

from server.storage.models import CompressionDictionary
from server.storage.unit_of_work import reading

# How long a process keeps believing a project has no newer dictionary.
LATEST_TTL_SECONDS = 60.0


@dataclass(frozen=True)
class Dictionary:
    id: int
    data: bytes


class DictionaryCache:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._by_id: dict[int, bytes] = {}
        self._latest: dict[int, tuple[float, Optional[int]]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def get(self, dictionary_id: Optional[int]) -> Optional[bytes]:
        """The dictionary's bytes (None for None: a chunk compressed without one)."""
        if dictionary_id is None:
            return None
        with self._lock:
            if dictionary_id in self._by_id:
                return self._by_id[dictionary_id]
        data = reading().execute(
            select(CompressionDictionary.data).where(CompressionDictionary.id == dictionary_id)
        ).scalar_one()
        with self._lock:
            self._by_id[dictionary_id] = bytes(data)
        return bytes(data)

    def latest(self, project_id: int) -> Optional[Dictionary]:
        """The project's newest dictionary, or None before it has one."""
        now = self._clock()
        with self._lock:
            cached = self._latest.get(project_id)
        if cached is None or now - cached[0] > LATEST_TTL_SECONDS:
            newest = reading().execute(
                select(CompressionDictionary.id)
                .where(CompressionDictionary.project_id == project_id)
                .order_by(CompressionDictionary.id.desc())
                .limit(1)
            ).scalar()
            cached = (now, newest)
            with self._lock:
                self._latest[project_id] = cached
        if cached[1] is None:
            return None
        return Dictionary(cached[1], self.get(cached[1]))

    def forget_latest(self, project_id: int) -> None:
        with self._lock:
            self._latest.pop(project_id, None)
