"""Slack's Web API OpenAPI description, used to accept only real method names and required arguments."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

SPEC_ENV_VAR = "SLACK_SANDBOX_SPEC"
SPEC_FILENAME = "slack_web_openapi_v2.json"

NEWER_METHODS: dict[str, frozenset[str]] = {
    "apps.connections.open": frozenset(),
    "files.getUploadURLExternal": frozenset({"filename", "length"}),
    "files.completeUploadExternal": frozenset({"files"}),
}
"""Methods Slack added after the frozen 2020 spec (so it lacks them), with their required arguments."""


def default_spec_path() -> Path | None:
    """`$SLACK_SANDBOX_SPEC`, else `<repo>/../shared/slack-specs/slack_web_openapi_v2.json`, else None."""
    from_env = os.environ.get(SPEC_ENV_VAR)
    if from_env:
        path = Path(from_env)
        return path if path.is_file() else None
    repo = Path(__file__).resolve().parents[2]
    path = repo.parent / "shared" / "slack-specs" / SPEC_FILENAME
    return path if path.is_file() else None


@dataclass(frozen=True)
class WebApiSpec:
    """Known method names and each method's required arguments (never `token`: the header carries it)."""

    required: dict[str, frozenset[str]]

    @classmethod
    def load(cls, path: Path | str) -> WebApiSpec:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        required: dict[str, frozenset[str]] = dict(NEWER_METHODS)
        for route, operations in document.get("paths", {}).items():
            names: set[str] = set()
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    if parameter.get("required") and parameter.get("name") != "token":
                        names.add(parameter["name"])
            required[route.lstrip("/")] = frozenset(names)
        return cls(required)

    def knows(self, method: str) -> bool:
        return method in self.required

    def missing_arguments(self, method: str, args: dict[str, object]) -> list[str]:
        return sorted(name for name in self.required.get(method, ()) if args.get(name) in (None, ""))
