"""Files uploaded the v2 way: reserve an id, POST the bytes to the upload URL, then complete."""

from __future__ import annotations

import threading
from typing import Any

from . import ids
from .clock import Clock
from .errors import ApiError
from .models import UploadedFile

MAX_FILE_BYTES = 1_000_000_000


class FileStore:
    def __init__(self, lock: threading.RLock, clock: Clock, id_factory: ids.IdFactory) -> None:
        self._lock = lock
        self._clock = clock
        self._ids = id_factory
        self.files: dict[str, UploadedFile] = {}

    def reserve(self, team_id: str, user: str, filename: str, length: int, **extra: Any) -> UploadedFile:
        if length <= 0 or length > MAX_FILE_BYTES:
            raise ApiError("invalid_arguments", response_metadata={"messages": ["[ERROR] invalid length"]})
        with self._lock:
            entry = UploadedFile(
                id=self._ids.next("F"),
                team_id=team_id,
                user=user,
                filename=filename,
                length=length,
                created=int(self._clock().timestamp()),
                **extra,
            )
            self.files[entry.id] = entry
            return entry

    def receive(self, file_id: str, content: bytes) -> UploadedFile | None:
        with self._lock:
            entry = self.files.get(file_id)
            if entry is None or entry.completed:
                return None
            entry.content = content
            return entry

    def complete(self, team_id: str, file_id: str, title: str | None) -> UploadedFile:
        with self._lock:
            entry = self.files.get(file_id)
            if entry is None or entry.team_id != team_id or entry.content is None:
                raise ApiError("file_not_found")
            if entry.completed:
                raise ApiError("file_not_found")
            entry.completed = True
            entry.title = title or entry.filename
            return entry
