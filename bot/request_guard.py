"""The shape of a signed request's payload, checked before Bolt's routing or any listener relies on it.

Slack's signature proves who sent a request, not that its JSON has the shape the listeners index into:
`body["actions"][0]["action_id"]`, `view["state"]["values"]`, `body["user"]["id"]`... A payload of the wrong
shape is refused with a 400 and one short log line naming the field (never its content), instead of
raising somewhere in Bolt or in a listener and becoming a 500.

Two layers use this module:

* `bot.web` calls `envelope_problem` on every signed HTTP request before handing it to Bolt, because
  Bolt's own middleware (self-event filtering, SSL check, authorization) reads the envelope before any
  app middleware runs.
* `RequestGuard` is a Bolt global middleware (installed first in `bot.app`, so Socket Mode requests get
  the same checks); it also checks the parts of each payload type that Bolt's routing and the listeners
  use, and fills in `context["team_id"]` for Enterprise Grid org-wide installs where Bolt leaves it empty.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

logger = logging.getLogger(__name__)

SLACK_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
"""Team, enterprise and user ids: short and plain (they become database keys up to 32 characters)."""

INTERACTIVE_TYPES = frozenset(
    {
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
        "interactive_message",
        "dialog_submission",
        "dialog_cancellation",
        "dialog_suggestion",
        "workflow_step_edit",
    }
)
"""Payloads from people pressing, typing or submitting something; each one belongs to one workspace."""

LIFECYCLE_EVENTS = frozenset({"app_uninstalled", "tokens_revoked"})
"""Events that may come for a whole Enterprise Grid org, with no workspace to resolve."""


class Malformed(Exception):
    """A payload field has the wrong type; the message names the field only."""


# -- small checks ----------------------------------------------------------------------------------


def _optional(value: Any, kinds: type | tuple[type, ...], where: str) -> None:
    if value is not None and not isinstance(value, kinds):
        raise Malformed(f"{where} has the wrong type")


def _optional_str(container: dict[str, Any], key: str, where: str) -> None:
    _optional(container.get(key), str, f"{where}.{key}")


def _optional_id(container: dict[str, Any], key: str, where: str) -> None:
    value = container.get(key)
    if value is None or value == "":
        return
    if not isinstance(value, str) or not SLACK_ID.fullmatch(value):
        raise Malformed(f"{where}.{key} is not a Slack id")


def _dict_of_dicts(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise Malformed(f"{where} is not an object")
    for item in value.values():
        if not isinstance(item, dict):
            raise Malformed(f"{where} holds something that is not an object")


def _list_of_dicts(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise Malformed(f"{where} is not a list of objects")
    return value


def _state_values(values: Any, where: str) -> None:
    """`state.values` is `{block_id: {action_id: {type, value | selected_option | ...}}}`."""
    if not isinstance(values, dict):
        raise Malformed(f"{where} is not an object")
    for block in values.values():
        _dict_of_dicts(block, where)
        for element in block.values():
            _element(element, where)


def _element(element: dict[str, Any], where: str) -> None:
    """What listeners read from an action or an input's state: strings, an option object, option lists."""
    for key in ("type", "action_id", "block_id", "value", "selected_date", "selected_time"):
        _optional_str(element, key, where)
    _optional(element.get("selected_option"), dict, f"{where}.selected_option")
    if isinstance(element.get("selected_option"), dict):
        _optional_str(element["selected_option"], "value", f"{where}.selected_option")
    for key in ("selected_options",):
        if element.get(key) is not None:
            for option in _list_of_dicts(element[key], f"{where}.{key}"):
                _optional_str(option, "value", f"{where}.{key}")
    for key in ("selected_users", "selected_conversations", "selected_channels"):
        selected = element.get(key)
        if selected is not None and not (
            isinstance(selected, list) and all(isinstance(item, str) for item in selected)
        ):
            raise Malformed(f"{where}.{key} is not a list of ids")
    for key in ("selected_user", "selected_conversation", "selected_channel"):
        _optional_str(element, key, where)


def _view(view: Any, where: str, *, submitted: bool) -> None:
    if not isinstance(view, dict):
        raise Malformed(f"{where} is not an object")
    for key in ("id", "type", "callback_id", "private_metadata", "hash", "external_id", "root_view_id"):
        _optional_str(view, key, where)
    for key in ("team_id", "app_installed_team_id"):
        _optional_id(view, key, where)
    state = view.get("state")
    if submitted:
        if not isinstance(view.get("callback_id"), str):
            raise Malformed(f"{where}.callback_id is missing")
        if not isinstance(view.get("type"), str):
            raise Malformed(f"{where}.type is missing")
        if not isinstance(state, dict):
            raise Malformed(f"{where}.state is not an object")
    if state is not None:
        if not isinstance(state, dict):
            raise Malformed(f"{where}.state is not an object")
        if submitted or "values" in state:
            _state_values(state.get("values"), f"{where}.state.values")
    _optional(view.get("blocks"), list, f"{where}.blocks")


# -- the envelope: what Bolt itself reads before any app middleware runs ----------------------------


def envelope_problem(body: Any) -> str | None:
    """Why Bolt could not safely route this body, or None. The reason names a field, never a value."""
    try:
        _check_envelope(body)
    except Malformed as problem:
        return str(problem)
    return None


def _check_envelope(body: Any) -> None:
    if not isinstance(body, dict):
        raise Malformed("the payload is not a JSON object")
    if body.get("type") is None and "command" not in body and "ssl_check" not in body:
        raise Malformed("the payload is none of the kinds Slack sends (no type, no command)")
    for key in ("type", "token", "api_app_id", "trigger_id", "response_url", "callback_id", "action_id"):
        _optional_str(body, key, "payload")
    for key in ("team_id", "enterprise_id", "user_id", "context_team_id", "context_enterprise_id"):
        _optional_id(body, key, "payload")
    for key in ("team", "enterprise"):
        ref = body.get(key)
        if isinstance(ref, str):
            _optional_id(body, key, "payload")
        elif ref is not None:
            if not isinstance(ref, dict):
                raise Malformed(f"payload.{key} is not an object")
            for id_key in ("id", "enterprise_id"):
                _optional_id(ref, id_key, f"payload.{key}")
    user = body.get("user")
    if user is not None:
        if not isinstance(user, dict):
            raise Malformed("payload.user is not an object")
        for id_key in ("id", "team_id"):
            _optional_id(user, id_key, "payload.user")
    _optional(body.get("channel"), (str, dict), "payload.channel")
    if isinstance(body.get("channel"), dict):
        _optional_str(body["channel"], "id", "payload.channel")
    if body.get("authorizations") is not None:
        for authorization in _list_of_dicts(body["authorizations"], "payload.authorizations"):
            for id_key in ("team_id", "enterprise_id", "user_id"):
                _optional_id(authorization, id_key, "payload.authorizations")
    if body.get("response_urls") is not None:
        for entry in _list_of_dicts(body["response_urls"], "payload.response_urls"):
            _optional_str(entry, "response_url", "payload.response_urls")
    if body.get("ssl_check") is not None:
        _optional_str(body, "ssl_check", "payload")
    if "event" in body or body.get("type") == "event_callback":
        _check_event(body.get("event"))
    if body.get("type") == "url_verification" and not isinstance(body.get("challenge"), str):
        raise Malformed("payload.challenge is missing")


def _check_event(event: Any) -> None:
    if not isinstance(event, dict):
        raise Malformed("payload.event is not an object")
    if not isinstance(event.get("type"), str):
        raise Malformed("payload.event.type is missing")
    for key in ("subtype", "bot_id", "channel_type", "tab", "thread_ts", "function_execution_id"):
        _optional_str(event, key, "payload.event")
    for key in ("user", "channel", "team", "user_team"):
        _optional(event.get(key), (str, dict), f"payload.event.{key}")
    for key in ("message", "previous_message", "tokens", "assistant_thread"):
        _optional(event.get(key), dict, f"payload.event.{key}")
    if event["type"] == "app_home_opened":
        if not isinstance(event.get("user"), str) or not SLACK_ID.fullmatch(event["user"]):
            raise Malformed("payload.event.user is not a Slack id")
        if event.get("view") is not None:
            _view(event["view"], "payload.event.view", submitted=False)


# -- each payload type: what the app's own middleware and listeners read ----------------------------


def payload_problem(body: Any) -> str | None:
    """Why a listener could not safely handle this payload, or None (the envelope is checked too)."""
    try:
        _check_envelope(body)
        _check_payload(body)
    except Malformed as problem:
        return str(problem)
    return None


def _check_payload(body: dict[str, Any]) -> None:
    kind = body.get("type")
    if "command" in body and kind is None:
        _check_command(body)
        return
    if kind == "block_actions" or (kind == "interactive_message" and "callback_id" in body):
        # Bolt reads `body["actions"][0]` for these whatever else happens.
        actions = _list_of_dicts(body.get("actions"), "payload.actions")
        if not actions:
            raise Malformed("payload.actions is empty")
        for action in actions:
            if kind == "block_actions" and not isinstance(action.get("action_id"), str):
                raise Malformed("payload.actions[].action_id is missing")
            _element(action, "payload.actions[]")
    elif body.get("actions") is not None:
        _list_of_dicts(body["actions"], "payload.actions")
    workflow_step = kind == "workflow_step_edit" or _is_workflow_step_save(body)
    if workflow_step and not isinstance(body.get("workflow_step"), dict):
        raise Malformed("payload.workflow_step is missing")
    for key in ("message", "container"):
        _optional(body.get(key), dict, f"payload.{key}")
    if kind in ("view_submission", "view_closed"):
        _view(body.get("view"), "payload.view", submitted=kind == "view_submission")
    elif body.get("view") is not None:
        _view(body["view"], "payload.view", submitted=False)
    state = body.get("state")
    if state is not None and kind == "block_actions":
        if not isinstance(state, dict):
            raise Malformed("payload.state is not an object")
        if state.get("values") is not None:
            _state_values(state["values"], "payload.state.values")
    if kind in ("shortcut", "message_action") and not isinstance(body.get("callback_id"), str):
        raise Malformed("payload.callback_id is missing")
    if kind == "block_suggestion":
        if not isinstance(body.get("action_id"), str):
            raise Malformed("payload.action_id is missing")
        _optional_str(body, "value", "payload")
        _optional_str(body, "block_id", "payload")


def _is_workflow_step_save(body: dict[str, Any]) -> bool:
    view = body.get("view")
    return (
        body.get("type") == "view_submission"
        and isinstance(view, dict)
        and view.get("type") == "workflow_step"
    )


def _check_command(body: dict[str, Any]) -> None:
    for key in ("command", "text", "channel_id", "channel_name", "user_name", "team_domain", "response_url"):
        _optional_str(body, key, "payload")
    if not isinstance(body.get("command"), str):
        raise Malformed("payload.command is not text")


# -- the workspace a request is for ------------------------------------------------------------------


def _first(values: Iterable[Any]) -> str | None:
    for value in values:
        if isinstance(value, str) and value:
            return value
    return None


def workspace_team_id(body: dict[str, Any]) -> str | None:
    """The team (workspace) a request came from when Bolt found none in the envelope.

    With an org-wide (Enterprise Grid) install, interactivity payloads carry `team: null` and
    `authorizations[0].team_id` may be null as well; Bolt's `extract_team_id` then stops at the
    authorization and gives up, although `user.team_id` or `view.team_id` name the workspace. Events may
    carry `team_id`, `context_team_id` or the Home tab view's `team_id` instead.
    """
    authorizations = body.get("authorizations") or []
    user = _object(body.get("user"))
    view = _object(body.get("view"))
    event = _object(body.get("event"))
    event_view = _object(event.get("view"))
    return _first(
        [
            authorizations[0].get("team_id") if authorizations else None,
            body.get("team_id"),
            user.get("team_id"),
            view.get("team_id"),
            body.get("context_team_id"),
            event_view.get("team_id"),
        ]
    )


# -- the Bolt middleware -------------------------------------------------------------------------------


class RequestGuard(Middleware):
    """Refuses payloads of the wrong shape (400) and resolves the workspace of org-wide installs.

    A class-based middleware on purpose, installed before every function middleware: Bolt builds the
    keyword arguments of a function middleware (or of the error handler) eagerly from the body, with
    `body["actions"][0]`, `body["view"]["type"]`, `body["workflow_step"]`..., so a function middleware
    would itself crash on the payloads it is meant to refuse. `process` gets the request as it is.
    """

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        body, context = req.body, req.context
        problem = payload_problem(body)
        if problem is not None:
            logger.warning("refused a signed request: %s", problem)
            return BoltResponse(status=400, body="")
        if not context.team_id:
            refusal = _resolve_workspace(body, context)
            if refusal is not None:
                return refusal
        return next()


def _resolve_workspace(body: dict[str, Any], context: BoltContext) -> BoltResponse | None:
    team_id = workspace_team_id(body)
    if team_id:
        context["team_id"] = team_id
        return None
    kind = body.get("type")
    if kind in INTERACTIVE_TYPES:
        logger.warning("refused a %s request that names no workspace", kind)
        return BoltResponse(status=400, body="")
    event_type = _event_type(body)
    if event_type and event_type not in LIFECYCLE_EVENTS:
        # Acknowledged (so Slack doesn't retry) but not handled: with no workspace, a listener would
        # file the member under a new, empty workspace row.
        logger.warning("ignored a %s event that names no workspace", event_type)
        return BoltResponse(status=200, body="")
    return None


def _event_type(body: dict[str, Any]) -> str | None:
    event = body.get("event")
    return event.get("type") if isinstance(event, dict) else None


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
