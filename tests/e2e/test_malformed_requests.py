"""Bad requests are refused, never crash: through the running app over HTTP, signed as Slack signs.

Each malformed request carries a marker; neither the marker nor a traceback may come back in the HTTP
response, and a refused request (4xx) must not leave the marker in the logs either.
"""

from __future__ import annotations

import copy
import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import select

from bot.sandbox import Delivered, Outgoing, User, UserSession, sign
from bot.web import MAX_BODY_BYTES
from storage.models import AuditEntry, Program, WorkspaceFaq
from tests.e2e.conftest import RunningApp, wait_for_modal

MARKER = "MARKER-7f3a9c"
ALLOWED = {200, 400, 401, 413}


# -- sending raw, signed requests -----------------------------------------------------------------


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def post_raw(
    url: str,
    body: bytes,
    secret: str,
    *,
    content_type: str = "application/x-www-form-urlencoded",
    timestamp: str | None = "now",
    signature: str | None = "sign",
    extra_headers: dict[str, str] | None = None,
) -> Answer:
    """POST `body` as bytes; `timestamp`/`signature` of None leave the header out, "now"/"sign" compute it."""
    ts = str(int(time.time())) if timestamp == "now" else timestamp
    headers = {"Content-Type": content_type, "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)"}
    if ts is not None:
        headers["X-Slack-Request-Timestamp"] = ts
    if signature == "sign":
        signature = sign(secret, ts or "", body)
    if signature is not None:
        headers["X-Slack-Signature"] = signature
    headers.update(extra_headers or {})
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(), dict(error.headers))


def post_with_content_length(url: str, body: bytes, content_length: str, secret: str) -> Answer:
    """A request whose Content-Length header is whatever the test says (urllib always computes it)."""
    parts = urlsplit(url)
    ts = str(int(time.time()))
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest("POST", parts.path)
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.putheader("Content-Length", content_length)
        connection.putheader("X-Slack-Request-Timestamp", ts)
        connection.putheader("X-Slack-Signature", sign(secret, ts, body))
        connection.endheaders(body)
        response = connection.getresponse()
        return Answer(response.status, response.read(), dict(response.getheaders()))
    finally:
        connection.close()


def form(payload: Any) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def encoded(kind: str, content: dict[str, Any]) -> tuple[bytes, str]:
    body, content_type = Outgoing(kind, content).http_body()  # type: ignore[arg-type]
    return body.encode(), content_type


# -- realistic payloads, captured from the sandbox instead of sent ----------------------------------


class Capture:
    """A transport that keeps what a sandbox user would have sent, for the test to alter and send."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []

    def deliver(self, outgoing: Outgoing) -> Delivered:
        self.sent.append(outgoing)
        return Delivered(0)


def captured(running_app: RunningApp, user: User, act: Callable[[UserSession], Any]) -> dict[str, Any]:
    capture = Capture()
    act(running_app.sandbox.as_user(running_app.workspace.team_id, user.id, capture))
    return copy.deepcopy(capture.sent[-1].content)


def send(running_app: RunningApp, kind: str, content: dict[str, Any]) -> Answer:
    body, content_type = encoded(kind, content)
    return post_raw(
        running_app.events_url, body, running_app.sandbox.signing_secret, content_type=content_type
    )


@dataclass
class Ctx:
    running_app: RunningApp
    alice: User
    coordinator: User

    @property
    def secret(self) -> str:
        return self.running_app.sandbox.signing_secret

    def post(self, body: bytes, **kwargs: Any) -> Answer:
        return post_raw(self.running_app.events_url, body, self.secret, **kwargs)

    def block_actions(self) -> dict[str, Any]:
        """alice pressing the topic browser's menu in the FAQ (a listener that exists)."""
        self.running_app.session(self.alice).slash_command("/mentor", "faq")

        def press(session: UserSession) -> None:
            session.click(
                "faq_browse", {"text": {"type": "plain_text", "text": "Privacy"}, "value": "privacy"}
            )

        return captured(self.running_app, self.alice, press)

    def faq_modal_submission(self, values: dict[str, str] | None = None) -> dict[str, Any]:
        """The coordinator submitting the FAQ entry modal."""
        session = self.running_app.session(self.coordinator)
        session.slash_command("/mentor", "admin faq add")
        wait_for_modal(session, "faq_entry")
        entry = values or {"title": "Where is the lounge?", "answer": "Third floor.", "keywords": ""}

        def submit(capturing: UserSession) -> None:
            capturing.view_submission(session.current_modal(), values=entry)

        return captured(self.running_app, self.coordinator, submit)

    def command(self, text: str = "help") -> dict[str, Any]:
        def run(session: UserSession) -> None:
            session.slash_command("/mentor", text)

        return captured(self.running_app, self.alice, run)

    def event(self) -> dict[str, Any]:
        def home(session: UserSession) -> None:
            session.app_home_opened()

        return captured(self.running_app, self.alice, home)

    def sent(self, kind: str, content: dict[str, Any]) -> Answer:
        return send(self.running_app, kind, content)


def with_(payload: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """`payload` with the dotted `path` set to `value` (`[0]` indexes a list)."""
    target: Any = payload
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return payload


def without(payload: dict[str, Any], path: str) -> dict[str, Any]:
    target: Any = payload
    keys = path.split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    target.pop(keys[-1], None)
    return payload


# -- the malformed cases ------------------------------------------------------------------------------


def _interactive(build: Callable[[Ctx], dict[str, Any]]) -> Callable[[Ctx], Answer]:
    return lambda ctx: ctx.sent("interactive", build(ctx))


CASES: dict[str, Callable[[Ctx], Answer]] = {
    # signatures and headers: refused before anything is parsed
    "unsigned": lambda ctx: ctx.post(form({"type": MARKER}), timestamp=None, signature=None),
    "missing signature": lambda ctx: ctx.post(form({"type": MARKER}), signature=None),
    "missing timestamp": lambda ctx: ctx.post(form({"type": MARKER}), timestamp=None),
    "wrong secret": lambda ctx: ctx.post(
        form({"type": MARKER}),
        signature=sign("not-the-secret", str(int(time.time())), form({"type": MARKER})),
    ),
    "non-numeric timestamp": lambda ctx: ctx.post(form({"type": MARKER}), timestamp="soon"),
    "fractional timestamp": lambda ctx: ctx.post(form({"type": MARKER}), timestamp=f"{int(time.time())}.5"),
    "stale timestamp": lambda ctx: ctx.post(form({"type": MARKER}), timestamp=str(int(time.time()) - 600)),
    "signature not hex": lambda ctx: ctx.post(form({"type": MARKER}), signature="v0=" + "z" * 64),
    "signature not ascii": lambda ctx: ctx.post(form({"type": MARKER}), signature="v0=\xe9" * 10),
    "huge body": lambda ctx: ctx.post(b"payload=" + (MARKER.encode() * (MAX_BODY_BYTES // len(MARKER) + 10))),
    "non-numeric content length": lambda ctx: post_with_content_length(
        ctx.running_app.events_url, form({"type": MARKER}), "lots", ctx.secret
    ),
    "non-utf8 bytes": lambda ctx: ctx.post(
        b"payload=%7B%22type%22%3A%22" + MARKER.encode() + b"\xff\xfe%22%7D"
    ),
    "non-utf8 json": lambda ctx: ctx.post(
        b'{"type": "' + MARKER.encode() + b'\xc3\x28"}', content_type="application/json"
    ),
    # bodies that are not a JSON object
    "payload a list": lambda ctx: ctx.post(form([1, MARKER])),
    "payload a number": lambda ctx: ctx.post(b"payload=42"),
    "payload null": lambda ctx: ctx.post(b"payload=null"),
    "payload a string": lambda ctx: ctx.post(form(MARKER)),
    "payload not json": lambda ctx: ctx.post(b"payload=not-json-" + MARKER.encode()),
    "payload truncated": lambda ctx: ctx.post(form({"type": "block_actions"})[:-9] + MARKER.encode()),
    "json body a list": lambda ctx: ctx.post(json.dumps([MARKER]).encode(), content_type="application/json"),
    "json body not json": lambda ctx: ctx.post(b"{" + MARKER.encode(), content_type="application/json"),
    "empty body": lambda ctx: ctx.post(b""),
    "no type at all": lambda ctx: ctx.post(form({"note": MARKER})),
    # envelopes Bolt reads before any app middleware
    "team a number": _interactive(lambda ctx: with_(ctx.block_actions(), "team", 42)),
    "team a list": _interactive(lambda ctx: with_(ctx.block_actions(), "team", [MARKER])),
    "team id too long": _interactive(lambda ctx: with_(ctx.block_actions(), "team.id", "T" + MARKER * 5)),
    "enterprise a number": _interactive(lambda ctx: with_(ctx.block_actions(), "enterprise", 7)),
    "user a string": _interactive(lambda ctx: with_(ctx.block_actions(), "user", MARKER)),
    "user id a number": _interactive(lambda ctx: with_(ctx.block_actions(), "user.id", 12345)),
    "authorizations a string": _interactive(lambda ctx: with_(ctx.block_actions(), "authorizations", MARKER)),
    "response_urls a number": _interactive(lambda ctx: with_(ctx.faq_modal_submission(), "response_urls", 5)),
    "event a string": lambda ctx: ctx.sent("events_api", with_(ctx.event(), "event", MARKER)),
    "event without type": lambda ctx: ctx.sent("events_api", without(ctx.event(), "event.type")),
    "home event user an object": lambda ctx: ctx.sent(
        "events_api", with_(ctx.event(), "event.user", {"id": MARKER})
    ),
    "url_verification without challenge": lambda ctx: ctx.post(
        json.dumps({"type": "url_verification", "token": MARKER}).encode(), content_type="application/json"
    ),
    "command not text": lambda ctx: ctx.post(
        json.dumps({**ctx.command(), "command": [MARKER]}).encode(), content_type="application/json"
    ),
    # payload shapes the listeners rely on (refused by the guard middleware)
    "actions a string": _interactive(lambda ctx: with_(ctx.block_actions(), "actions", MARKER)),
    "actions empty": _interactive(lambda ctx: with_(ctx.block_actions(), "actions", [])),
    "actions of strings": _interactive(lambda ctx: with_(ctx.block_actions(), "actions", [MARKER])),
    "action_id a number": _interactive(lambda ctx: with_(ctx.block_actions(), "actions.0.action_id", 3)),
    "action_id missing": _interactive(lambda ctx: without(ctx.block_actions(), "actions.0.action_id")),
    "selected_option a string": _interactive(
        lambda ctx: with_(ctx.block_actions(), "actions.0.selected_option", MARKER)
    ),
    "container a list": _interactive(lambda ctx: with_(ctx.block_actions(), "container", [MARKER])),
    "view a list": _interactive(lambda ctx: with_(ctx.faq_modal_submission(), "view", [MARKER])),
    "view missing": _interactive(lambda ctx: without(ctx.faq_modal_submission(), "view")),
    "view callback_id missing": _interactive(
        lambda ctx: without(ctx.faq_modal_submission(), "view.callback_id")
    ),
    "state a string": _interactive(lambda ctx: with_(ctx.faq_modal_submission(), "view.state", MARKER)),
    "state.values a list": _interactive(
        lambda ctx: with_(ctx.faq_modal_submission(), "view.state.values", [MARKER])
    ),
    "state.values block a string": _interactive(
        lambda ctx: with_(ctx.faq_modal_submission(), "view.state.values", {"title": MARKER})
    ),
    "state.values element a string": _interactive(
        lambda ctx: with_(ctx.faq_modal_submission(), "view.state.values.title.title", MARKER)
    ),
    "input value a number": _interactive(
        lambda ctx: with_(ctx.faq_modal_submission(), "view.state.values.title.title.value", 42)
    ),
    "private_metadata a number": _interactive(
        lambda ctx: with_(ctx.faq_modal_submission(), "view.private_metadata", 42)
    ),
    "shortcut without callback_id": _interactive(
        lambda ctx: without(with_(ctx.block_actions(), "type", "shortcut"), "callback_id")
    ),
    "block_suggestion without action_id": _interactive(
        lambda ctx: with_(ctx.block_actions(), "type", "block_suggestion")
    ),
    # well-formed JSON with content no listener expects: a polite answer, never a 500
    "private_metadata not json": _interactive(
        lambda ctx: with_(ctx.faq_modal_submission(), "view.private_metadata", "not-json-" + MARKER)
    ),
    "private_metadata id not a number": _interactive(
        lambda ctx: with_(
            ctx.faq_modal_submission(), "view.private_metadata", json.dumps({"entry_id": MARKER})
        )
    ),
    "modal state missing its inputs": _interactive(
        lambda ctx: with_(ctx.faq_modal_submission(), "view.state.values", {})
    ),
    "button value not a number": _interactive(
        lambda ctx: with_(
            with_(ctx.block_actions(), "actions.0", {"type": "button", "action_id": "faq_related_1"}),
            "actions.0.value",
            MARKER,
        )
    ),
    "unknown topic in a menu": _interactive(
        lambda ctx: with_(ctx.block_actions(), "actions.0.selected_option", {"value": MARKER})
    ),
}

REFUSED_BEFORE_ANY_LISTENER = {
    name
    for name in CASES
    if name
    not in {
        "private_metadata not json",
        "private_metadata id not a number",
        "modal state missing its inputs",
        "button value not a number",
        "unknown topic in a menu",
    }
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_malformed_request_is_refused_or_answered_politely_never_crashes(
    running_app: RunningApp, alice: User, coordinator: User, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    caplog.set_level(logging.INFO)
    answer = CASES[case](Ctx(running_app, alice, coordinator))

    assert answer.status in ALLOWED, (answer.status, answer.body[:200])
    assert b"Traceback" not in answer.body
    assert MARKER.encode() not in answer.body
    assert MARKER[:6].encode() not in answer.body
    if case in REFUSED_BEFORE_ANY_LISTENER:
        assert answer.status != 200, "a malformed request is refused, not handled"
        assert MARKER not in caplog.text, "nothing of a refused request's body is logged"
    assert "Traceback" not in caplog.text or case not in REFUSED_BEFORE_ANY_LISTENER

    # the app still works afterwards
    assert running_app.session(alice).slash_command("/mentor", "help").status == 200


def test_a_failing_modal_listener_gets_an_apology_in_the_modal(
    running_app: RunningApp, alice: User, coordinator: User
) -> None:
    ctx = Ctx(running_app, alice, coordinator)
    payload = with_(ctx.faq_modal_submission(), "view.private_metadata", "{not json")
    answer = send(running_app, "interactive", payload)
    assert answer.status == 200
    body = answer.json()
    assert body["response_action"] == "update"
    assert "something went wrong" in json.dumps(body["view"])
    with running_app.services.db.session() as session:
        assert session.scalars(select(WorkspaceFaq)).all() == []


def test_a_good_submission_still_works_after_the_checks(
    running_app: RunningApp, alice: User, coordinator: User
) -> None:
    ctx = Ctx(running_app, alice, coordinator)
    answer = send(running_app, "interactive", ctx.faq_modal_submission())
    assert answer.status == 200 and answer.json()["response_action"] == "update"
    with running_app.services.db.session() as session:
        assert [row.title for row in session.scalars(select(WorkspaceFaq))] == ["Where is the lounge?"]


def test_a_payload_of_exactly_the_size_limit_is_read(running_app: RunningApp, alice: User) -> None:
    fields = Ctx(running_app, alice, alice).command("help")
    body, _ = encoded("slash_commands", fields)
    padded = body + b"&pad=" + b"x" * (MAX_BODY_BYTES - len(body) - 5)
    assert len(padded) == MAX_BODY_BYTES
    answer = post_raw(running_app.events_url, padded, running_app.sandbox.signing_secret)
    assert answer.status == 200 and answer.json()["response_type"] == "ephemeral"


# -- legacy and other id-routed payload types ---------------------------------------------------------

LEGACY_TYPES = (
    "interactive_message",
    "dialog_submission",
    "dialog_cancellation",
    "dialog_suggestion",
    "workflow_step_edit",
)


def audit_rows(running_app: RunningApp) -> list[tuple[str, str, str, str]]:
    with running_app.services.db.session() as session:
        return [
            (entry.actor, entry.action, entry.target, entry.outcome)
            for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]


def legacy_payload(running_app: RunningApp, user: User, kind: str, callback_id: str) -> dict[str, Any]:
    session = running_app.session(user)
    envelope = session._envelope()
    payload: dict[str, Any] = {
        **envelope,
        "type": kind,
        "callback_id": callback_id,
        "action_ts": "1700000000.000100",
        "channel": {"id": session.dm().id, "name": "directmessage"},
    }
    if kind == "interactive_message":
        payload["actions"] = [{"name": "publish", "type": "button", "value": "1"}]
        payload["attachment_id"] = "1"
    if kind in ("interactive_message", "dialog_submission", "dialog_cancellation"):
        payload["response_url"] = session._mint_response_url(session.dm().id)
    if kind == "dialog_submission":
        payload["submission"] = {"round": "1"}
        payload["state"] = "1"
    if kind == "dialog_suggestion":
        payload["name"] = "round"
        payload["value"] = "1"
    if kind == "workflow_step_edit":
        payload["trigger_id"] = "1.2.abc"
        payload["workflow_step"] = {"workflow_step_edit_id": "1", "workflow_id": "1", "step_id": "1"}
    return payload


@pytest.mark.parametrize("who", ["member", "coordinator"])
@pytest.mark.parametrize("kind", LEGACY_TYPES)
def test_legacy_payloads_are_refused_for_everyone_and_audited(
    running_app: RunningApp, alice: User, coordinator: User, kind: str, who: str
) -> None:
    user = alice if who == "member" else coordinator
    audit_before = audit_rows(running_app)
    posts_before = len(running_app.sandbox.calls("chat.postMessage"))

    payload = legacy_payload(running_app, user, kind, "match_publish")
    answer = send(running_app, "interactive", payload)

    assert answer.status == 200
    if kind == "dialog_suggestion":
        assert answer.json() == {"options": []}
    new_rows = audit_rows(running_app)[len(audit_before) :]
    assert new_rows == [(user.id, "match_publish", kind, "refused")]
    assert len(running_app.sandbox.calls("chat.postMessage")) == posts_before, "nothing was published"
    if "response_url" in payload:
        assert running_app.sandbox.state.feed.wait_until(
            lambda: bool(running_app.sandbox.state.response_url_posts(payload["response_url"])), 5
        )
        replies = running_app.sandbox.state.response_url_posts(payload["response_url"])
        assert "doesn't handle that kind of request" in replies[0]["text"]


def test_a_legacy_payload_with_any_callback_id_is_refused_and_audited(
    running_app: RunningApp, coordinator: User
) -> None:
    answer = send(
        running_app, "interactive", legacy_payload(running_app, coordinator, "dialog_submission", "x")
    )
    assert answer.status == 200
    assert audit_rows(running_app) == [(coordinator.id, "x", "dialog_submission", "refused")]


@pytest.mark.parametrize("kind", ["shortcut", "message_action"])
def test_shortcuts_with_an_admin_callback_id_are_refused_for_members(
    running_app: RunningApp, alice: User, kind: str
) -> None:
    session = running_app.session(alice)
    payload = {
        **session._envelope(),
        "type": kind,
        "callback_id": "program_settings",
        "trigger_id": "1.2.abc",
        "action_ts": "1700000000.000100",
    }
    if kind == "message_action":
        payload["channel"] = {"id": session.dm().id, "name": "directmessage"}
        payload["message"] = {"type": "message", "text": "hello", "ts": "1700000000.000200"}
        payload["response_url"] = session._mint_response_url(session.dm().id)
    answer = send(running_app, "interactive", payload)
    assert answer.status == 200
    assert audit_rows(running_app) == [(alice.id, "program_settings", "", "refused")]
    assert running_app.sandbox.calls("views.open") == []
    with running_app.services.db.session() as db_session:
        assert len(db_session.scalars(select(Program)).all()) <= 1


def test_block_suggestions_for_an_admin_action_are_refused_for_members(
    running_app: RunningApp, alice: User
) -> None:
    session = running_app.session(alice)
    payload = {
        **session._envelope(),
        "type": "block_suggestion",
        "action_id": "stats_chart",
        "block_id": "b1",
        "value": "ci",
        "container": {"type": "message", "channel_id": session.dm().id, "is_ephemeral": True},
    }
    answer = send(running_app, "interactive", payload)
    assert answer.status == 200 and answer.json() == {"options": []}
    assert audit_rows(running_app) == [(alice.id, "stats_chart", "", "refused")]
