from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import ConfigError, load_settings, parse_settings


def test_defaults_run_on_sqlite_against_the_sandbox_mode() -> None:
    settings = parse_settings({})
    assert settings.slack_mode == "sandbox"
    assert settings.database_url.startswith("sqlite:///")
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.port == 3000


def test_token_mode_and_normalised_values() -> None:
    settings = parse_settings(
        {
            "SLACK_BOT_TOKEN": "xoxb-123",
            "SLACK_SIGNING_SECRET": "secret",
            "SLACK_API_URL": "http://127.0.0.1:9999/api",
            "DATABASE_URL": "postgres://u:p@db/prod",
            "COORDINATOR_USER_IDS": "U01ABC, W02DEF",
            "LOG_FORMAT": "JSON",
        }
    )
    assert settings.slack_mode == "token"
    assert settings.slack_api_url == "http://127.0.0.1:9999/api/"
    assert settings.database_url == "postgresql+psycopg://u:p@db/prod"
    assert settings.coordinator_user_ids == ("U01ABC", "W02DEF")
    assert settings.log_format == "json"


@pytest.mark.parametrize(
    ("values", "variable"),
    [
        ({"SLACK_BOT_TOKEN": "abc"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_APP_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
        ({"SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_SECRET"),
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"DEFAULT_TIMEZONE": "Mars/Olympus"}, "DEFAULT_TIMEZONE"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"SLACK_API_URL": "slack.com"}, "SLACK_API_URL"),
        ({"COORDINATOR_USER_IDS": "alice"}, "COORDINATOR_USER_IDS"),
    ],
)
def test_malformed_settings_name_the_variable(values: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse_settings(values)
    assert raised.value.variable == variable
    assert str(raised.value).startswith(variable)


def test_environment_wins_over_dotenv(tmp_path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("PORT=4000\nLOG_LEVEL=DEBUG\n")
    settings = load_settings({"PORT": "5000"}, env_file=env_file)
    assert (settings.port, settings.log_level) == (5000, "DEBUG")


def test_cli_stops_with_one_clear_line_and_no_traceback(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "SLACK_BOT_TOKEN": "not-a-token", "SLACK_SIGNING_SECRET": "x"},
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SLACK_BOT_TOKEN" in lines[0] and "xoxb-" in lines[0]
    assert "Traceback" not in result.stderr
