"""Files the app shared in the sandbox, saved to a local folder so the chart can be opened and the CSV and
export read: each shows up in the conversation as `[file: NAME, N bytes → PATH]`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bot.sandbox import SandboxState

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


class SavedFiles:
    def __init__(self, state: SandboxState, folder: Path) -> None:
        self.state = state
        self.folder = folder
        self._saved: dict[str, Path] = {}

    def line(self, shared: dict[str, Any]) -> str:
        """The line for one file of a message (Slack's file object), saving its bytes the first time."""
        name = str(shared.get("name") or shared.get("title") or "file")
        with self.state.lock:
            entry = self.state.files.files.get(str(shared.get("id", "")))
            content = entry.content if entry is not None else None
        if content is None:
            return f"[file: {name}, not available]"
        return f"[file: {name}, {len(content)} bytes → {self._save(str(shared.get('id')), name, content)}]"

    def _save(self, file_id: str, name: str, content: bytes) -> Path:
        if file_id in self._saved:
            return self._saved[file_id]
        self.folder.mkdir(parents=True, exist_ok=True)
        path = _free_path(self.folder, _UNSAFE.sub("_", name).strip(" .") or "file", content)
        if not path.exists():
            path.write_bytes(content)
        self._saved[file_id] = path
        return path


def _free_path(folder: Path, name: str, content: bytes) -> Path:
    """`folder/name`, or `name (2)` and so on when a different file already has that name."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, n = folder / name, 1
    while candidate.exists() and candidate.read_bytes() != content:
        n += 1
        candidate = folder / (f"{stem} ({n}).{suffix}" if suffix else f"{stem} ({n})")
    return candidate.resolve()
