"""The Slack specs vendored in `bot/sandbox/specdata/`: always used, and refreshed from their source by a script."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.sandbox.spec import SPEC_ENV_VAR, SPEC_FILENAME, WebApiSpec, default_spec_path
from bot.sandbox.specdata import LICENSE_FILES, MANIFEST_SCHEMA_V1, SPECDATA_DIR, WEB_API_METHODS
from bot.sandbox.specdata.refresh import COPIED, refresh, stale


@pytest.fixture(scope="module")
def vendored() -> WebApiSpec:
    return WebApiSpec.load(WEB_API_METHODS)


def test_the_default_spec_is_the_vendored_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SPEC_ENV_VAR, raising=False)
    assert default_spec_path() == WEB_API_METHODS
    assert WEB_API_METHODS.is_file()


def test_the_environment_overrides_the_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    chosen = tmp_path / "spec.json"
    chosen.write_text(WEB_API_METHODS.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv(SPEC_ENV_VAR, str(chosen))
    assert default_spec_path() == chosen
    monkeypatch.setenv(SPEC_ENV_VAR, str(tmp_path / "absent.json"))
    with pytest.raises(FileNotFoundError, match=SPEC_ENV_VAR):
        default_spec_path()


def test_the_table_knows_the_methods_the_bot_relies_on(vendored: WebApiSpec) -> None:
    assert vendored.required["chat.postMessage"] == frozenset({"channel"})
    assert vendored.required["views.publish"] == frozenset({"user_id", "view"})
    assert vendored.missing_arguments("views.publish", {"user_id": "U1"}) == ["view"]
    # Slack's spec marks `user` optional for users.info (Slack answers `user_not_found` without it), and the
    # table keeps the spec as it is: the method is known, with no required argument.
    assert vendored.knows("users.info")
    assert vendored.required["users.info"] == frozenset()
    for newer in ("apps.connections.open", "files.getUploadURLExternal", "files.completeUploadExternal"):
        assert vendored.knows(newer)
    assert not vendored.knows("chat.postMessages")
    assert all("token" not in args for args in vendored.required.values())


def test_the_table_is_small_and_sorted() -> None:
    text = WEB_API_METHODS.read_text(encoding="utf-8")
    assert len(text) < 20_000
    names = list(json.loads(text)["methods"])
    assert names == sorted(names)


def test_the_licences_and_readme_sit_beside_the_data() -> None:
    for name in (*LICENSE_FILES, "README.md"):
        text = (SPECDATA_DIR / name).read_text(encoding="utf-8")
        assert text.strip()
    for name in LICENSE_FILES:
        assert "MIT License" in (SPECDATA_DIR / name).read_text(encoding="utf-8")
    assert json.loads(MANIFEST_SCHEMA_V1.read_text(encoding="utf-8"))["$schema"].startswith(
        "http://json-schema.org/draft-07"
    )


def test_refresh_derives_the_table_and_check_notices_a_stale_copy(tmp_path: Path) -> None:
    """The refresh script on a small spec of our own; CI also runs `--check` against ../shared."""
    source, target = tmp_path / "source", tmp_path / "target"
    source.mkdir()
    target.mkdir()
    spec = {
        "paths": {
            "/chat.postMessage": {
                "post": {
                    "parameters": [{"name": "token", "required": True}, {"name": "channel", "required": True}]
                }
            },
            "/users.info": {"get": {"parameters": [{"name": "user", "required": False}]}},
        }
    }
    (source / SPEC_FILENAME).write_text(json.dumps(spec), encoding="utf-8")
    for name in COPIED:
        (source / name).write_bytes((SPECDATA_DIR / name).read_bytes())
    refresh(source, target)
    table = WebApiSpec.load(target / WEB_API_METHODS.name)
    assert table.required["chat.postMessage"] == frozenset({"channel"})
    assert table.required["users.info"] == frozenset()
    assert stale(source, target) == []
    spec["paths"]["/users.info"]["get"]["parameters"][0]["required"] = True
    (source / SPEC_FILENAME).write_text(json.dumps(spec), encoding="utf-8")
    assert stale(source, target) == [WEB_API_METHODS.name]
