"""Slack's specs, vendored so that a plain checkout stands alone (see README.md here, and `refresh.py`)."""

from __future__ import annotations

from pathlib import Path

SPECDATA_DIR = Path(__file__).resolve().parent
WEB_API_METHODS = SPECDATA_DIR / "web_api_methods.json"
"""Every Web API method with its required arguments, derived from Slack's OpenAPI description."""
MANIFEST_SCHEMA_V1 = SPECDATA_DIR / "manifest.schema.1.0.0.json"
"""Slack's JSON Schema (draft-07) for version-1 app manifests, copied unchanged."""
LICENSE_FILES = ("LICENSE.slack-api-specs", "LICENSE.manifest-schema")
