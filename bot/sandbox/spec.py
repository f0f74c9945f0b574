"""Slack's Web API methods and their required arguments, used to accept only real names and calls.

Two sources are understood: Slack's full OpenAPI 2.0 description (`slack_web_openapi_v2.json`), and the
compact table derived from it that ships with the package (`specdata/web_api_methods.json`, rebuilt by
`python -m bot.sandbox.specdata.refresh`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .specdata import WEB_API_METHODS

SPEC_ENV_VAR = "SLACK_SANDBOX_SPEC"
SPEC_FILENAME = "slack_web_openapi_v2.json"
TABLE_FORMAT = "mentor-circles/web-api-methods/1"
"""The `format` of the compact table, telling it apart from an OpenAPI document."""

NEWER_METHODS: dict[str, frozenset[str]] = {
    "apps.connections.open": frozenset(),
    "files.getUploadURLExternal": frozenset({"filename", "length"}),
    "files.completeUploadExternal": frozenset({"files"}),
}
"""Methods Slack added after the frozen 2020 spec (so it lacks them), with their required arguments."""


def default_spec_path() -> Path:
    """`$SLACK_SANDBOX_SPEC` (either format) if set, else the compact table vendored with the package."""
    from_env = os.environ.get(SPEC_ENV_VAR)
    if from_env:
        path = Path(from_env)
        if not path.is_file():
            raise FileNotFoundError(f"${SPEC_ENV_VAR} names {path}, which is not a file")
        return path
    return WEB_API_METHODS


def required_arguments_from_openapi(document: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """Each method of an OpenAPI document with its required parameters but `token`, plus `NEWER_METHODS`."""
    required: dict[str, frozenset[str]] = dict(NEWER_METHODS)
    for route, operations in document.get("paths", {}).items():
        names: set[str] = set()
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("required") and parameter.get("name") != "token":
                    names.add(parameter["name"])
        required[route.lstrip("/")] = frozenset(names)
    return required


def is_compact_table(document: Mapping[str, Any]) -> bool:
    return document.get("format") == TABLE_FORMAT


@dataclass(frozen=True)
class WebApiSpec:
    """Known method names and each method's required arguments (never `token`: the header carries it)."""

    required: dict[str, frozenset[str]]

    @classmethod
    def load(cls, path: Path | str) -> WebApiSpec:
        """Read an OpenAPI document or the compact table (told apart by the table's `format`)."""
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        if is_compact_table(document):
            return cls({name: frozenset(args) for name, args in document["methods"].items()})
        if "paths" not in document:
            raise ValueError(f"{path} is neither an OpenAPI document nor a {TABLE_FORMAT} table")
        return cls(required_arguments_from_openapi(document))

    @classmethod
    def vendored(cls) -> WebApiSpec:
        return cls.load(WEB_API_METHODS)

    def knows(self, method: str) -> bool:
        return method in self.required

    def missing_arguments(self, method: str, args: dict[str, object]) -> list[str]:
        return sorted(name for name in self.required.get(method, ()) if args.get(name) in (None, ""))
