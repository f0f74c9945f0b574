from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from bot.sandbox.specdata import MANIFEST_SCHEMA_V1

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = MANIFEST_SCHEMA_V1


def load_manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_manifest_validates_against_slacks_schema() -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(load_manifest(), schema, cls=jsonschema.Draft7Validator)


def test_manifest_declares_what_the_app_listens_to() -> None:
    manifest = load_manifest()
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/mentor"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert "app_home_opened" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert "message.im" in manifest["settings"]["event_subscriptions"]["bot_events"]
    assert "im:history" in manifest["oauth_config"]["scopes"]["bot"]
    home = manifest["features"]["app_home"]
    assert home["messages_tab_enabled"] is True and home["messages_tab_read_only_enabled"] is False
    assert "commands" in manifest["oauth_config"]["scopes"]["bot"]


def test_an_invalid_manifest_is_caught() -> None:
    schema = json.loads(SCHEMA.read_text())
    manifest = load_manifest()
    manifest["features"]["slash_commands"][0]["command"] = "mentor without slash " * 5
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(manifest))
    assert errors
