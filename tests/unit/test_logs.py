"""The logging set-up's privacy rules, record by record: redaction, payload rewrites and the line cap."""

from __future__ import annotations

import json
import logging

import pytest

from bot.logs import MAX_LINE, TRUNCATED, cap, redact
from tests.log_capture import configured_logging

MARKER = "UNITMARK-51c0"
SECRETS = {
    "bot token": "xoxb-1234-5678901234-AbCd_EfGh-ijkl",
    "user token": "xoxp-1234-5678-9012-0123456789abcdef0123456789abcdef",
    "app token": "xapp-1-A0123ABCD-4567-89abcdef0123456789abcdef0123456789abcdef0123456789abcdef01",
    "rotating token": "xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MA",
    "refresh token": "xoxe-1-My0xLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MA",
    "signing secret": "8f742231b10e8888abcd990a1b2c85a5",
    "response url": "https://hooks.slack.com/actions/T0HOSP1/123456/aBcDeFgHiJkLmNoP",
}


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("kind", list(SECRETS))
def test_tokens_and_secrets_are_redacted_from_messages_and_tracebacks(fmt: str, kind: str) -> None:
    secret = SECRETS[kind]
    with configured_logging(fmt) as stream:
        logger = logging.getLogger("bot.test")
        logger.info("calling Slack with %s", secret)
        try:
            raise RuntimeError(f"the server refused {secret}")
        except RuntimeError:
            logger.exception("a call failed")

    assert len(stream.records) == 2
    assert secret not in stream.text
    assert secret[-12:] not in stream.text, "no tail of it is left either"
    assert stream.text.count("[redacted]") >= 2


def test_a_redacted_token_keeps_its_kind() -> None:
    assert redact(f"token {SECRETS['bot token']} used") == "token xoxb-[redacted] used"
    assert redact("request id 3f9a2b1c4d5e, no secret") == "request id 3f9a2b1c4d5e, no secret"


def test_cap_cuts_long_text_to_the_limit_and_marks_the_cut() -> None:
    assert cap("short", 10) == "short"
    cut = cap("x" * 50, 20)
    assert len(cut) == 20 and cut.endswith(TRUNCATED)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_every_line_is_capped(fmt: str) -> None:
    with configured_logging(fmt) as stream:
        logger = logging.getLogger("bot.test")
        logger.warning("a long message: %s", "m" * 10 * MAX_LINE)
        logger.warning("quotes and newlines escape to two characters each: %s", '"\n' * MAX_LINE)
        try:
            raise ValueError("e" * 10 * MAX_LINE)
        except ValueError:
            logger.exception("a short message with a long traceback")
        logger.info("a short line")

    assert len(stream.records) == 4
    assert all(len(record) <= MAX_LINE for record in stream.records)
    assert [TRUNCATED in record for record in stream.records] == [True, True, True, False]
    if fmt == "json":
        entries = [json.loads(record) for record in stream.records]
        assert entries[2]["message"] == "a short message with a long traceback"
        assert entries[3]["message"] == "a short line"


def test_bolts_invalid_signature_line_is_kept_without_the_body() -> None:
    with configured_logging() as stream:
        logging.getLogger("slack_bolt.RequestVerification").info(
            "Invalid request signature detected (signature: v0=abc, timestamp: 1700000000, "
            f"body: token=x&command=%2Fmentor&text=goal+add+{MARKER})"
        )

    (record,) = stream.records
    assert record.endswith("slack_bolt.RequestVerification: a request with an invalid signature was refused")


@pytest.mark.parametrize(
    ("logger", "message", "kept"),
    [
        ("slack_bolt.App", "Unhandled request ({'type': 'block_suggestion', 'value': '%s'})", "no listener"),
        (
            "slack_bolt.App",
            "A global middleware (guard) skipped calling either `next()` or `ack()` without providing a "
            "response for the request ({'text': '%s'})",
            "A global middleware (guard) neither called next()",
        ),
        (
            "slack_bolt.App",
            "Unsuccessful Bolt execution result (status: 404, body: {'text': '%s'})",
            "(status: 404)",
        ),
        (
            "slack_sdk.web.base_client",
            "Failed to decode Slack API response: {'text': '%s'}",
            "Failed to decode",
        ),
        (
            "slack_sdk.models.blocks.blocks",
            "Unknown block detected and skipped ({'text': '%s'})",
            "Unknown block",
        ),
        ("slack_sdk.webhook.client", "Sending a request - url: /x, body: {'text': '%s'}", "body: [withheld]"),
    ],
)
def test_slack_library_lines_that_carry_a_payload_are_rewritten(logger: str, message: str, kept: str) -> None:
    with configured_logging() as stream:
        logging.getLogger(logger).warning(message.replace("%s", MARKER))

    (record,) = stream.records
    assert MARKER not in record and kept in record


def test_slack_library_debug_output_is_dropped_even_when_their_level_is_lowered() -> None:
    with configured_logging(slack_at_debug=True) as stream:
        logging.getLogger("slack_sdk.web.base_client").debug(
            "Received the following response - body: %s", MARKER
        )
        logging.getLogger("slack_bolt.App").debug('Responding with status: 200 body: "%s"', MARKER)
        logging.getLogger("websockets.client").debug("< TEXT '%s'", MARKER)
        logging.getLogger("bot.test").debug("our own DEBUG lines stay")

    assert len(stream.records) == 1 and "our own DEBUG lines stay" in stream.text


def test_sql_parameters_and_rows_keep_no_values() -> None:
    with configured_logging() as stream:
        engine = logging.getLogger("sqlalchemy.engine.Engine")
        saved_level = engine.level
        engine.setLevel(logging.DEBUG)
        try:
            engine.info("INSERT INTO goals (text) VALUES (?)")
            engine.info("[%s] %r", "generated in 0.0002s", (1, MARKER))
            engine.debug("Row %r", (1, MARKER))
        finally:
            engine.setLevel(saved_level)

    assert len(stream.records) == 3
    assert MARKER not in stream.text
    assert "[generated in 0.0002s] [values withheld]" in stream.text


def test_a_message_that_cannot_be_formatted_is_logged_without_its_arguments() -> None:
    with configured_logging() as stream:
        logging.getLogger("bot.test").info("%d goals", MARKER)

    (record,) = stream.records
    assert "unformattable log message: %d goals" in record and MARKER not in record
