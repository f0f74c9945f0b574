"""How Slack reports a user's choice in an element: in `actions[]` and in `view.state.values`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

_TEXT_INPUTS = {"plain_text_input", "email_text_input", "url_text_input", "number_input"}
_SINGLE_OPTION = {"static_select", "external_select", "radio_buttons", "overflow"}
_MULTI_OPTION = {"multi_static_select", "multi_external_select", "checkboxes"}
_ENTITY_SELECTS = {
    "users_select": "selected_user",
    "conversations_select": "selected_conversation",
    "channels_select": "selected_channel",
}
_MULTI_ENTITY_SELECTS = {
    "multi_users_select": "selected_users",
    "multi_conversations_select": "selected_conversations",
    "multi_channels_select": "selected_channels",
}


def _all_options(element: dict[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


def _option(element: dict[str, Any], choice: Any) -> dict[str, Any]:
    if isinstance(choice, dict):
        return choice
    for option in _all_options(element):
        if option.get("value") == choice:
            return option
    if element.get("type", "").endswith("external_select"):
        return {"text": {"type": "plain_text", "text": str(choice)}, "value": str(choice)}
    raise ValueError(f"{element.get('action_id')!r} has no option with value {choice!r}")


def _initial(element: dict[str, Any]) -> Any:
    kind = element.get("type", "")
    for key in ("initial_value", "initial_date", "initial_time", "initial_date_time"):
        if key in element:
            return element[key]
    if "initial_option" in element:
        return element["initial_option"]
    if "initial_options" in element:
        return element["initial_options"]
    for key in ("initial_user", "initial_conversation", "initial_channel"):
        if key in element:
            return element[key]
    for key in ("initial_users", "initial_conversations", "initial_channels"):
        if key in element:
            return element[key]
    return [] if kind.startswith("multi_") or kind == "checkboxes" else None


def selection(element: dict[str, Any], choice: Any) -> dict[str, Any]:
    """The fields Slack adds for `element` when the user picked `choice` (a value, option, id, date...)."""
    kind = element.get("type", "")
    if kind in _TEXT_INPUTS:
        return {"value": None if choice is None else str(choice)}
    if kind in _SINGLE_OPTION:
        return {"selected_option": None if choice is None else _option(element, choice)}
    if kind in _MULTI_OPTION:
        return {"selected_options": [_option(element, c) for c in choice or []]}
    if kind in _ENTITY_SELECTS:
        return {_ENTITY_SELECTS[kind]: choice}
    if kind in _MULTI_ENTITY_SELECTS:
        return {_MULTI_ENTITY_SELECTS[kind]: list(choice or [])}
    if kind == "datepicker":
        return {"selected_date": choice.isoformat() if isinstance(choice, date) else choice}
    if kind == "timepicker":
        return {"selected_time": choice.strftime("%H:%M") if isinstance(choice, time) else choice}
    if kind == "datetimepicker":
        return {"selected_date_time": int(choice.timestamp()) if isinstance(choice, datetime) else choice}
    if kind == "rich_text_input":
        return {"rich_text_value": choice}
    if kind == "file_input":
        return {"files": list(choice or [])}
    return {}


def _input_elements(blocks: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for block in blocks:
        if block.get("type") == "input" and isinstance(block.get("element"), dict):
            yield block["block_id"], block["element"]
        elif block.get("type") == "actions":
            for element in block.get("elements") or []:
                if selection(element, _initial(element)) and element.get("type") != "button":
                    yield block["block_id"], element


def state_values(
    blocks: list[dict[str, Any]], values: dict[str, Any], kept: dict[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    """`view.state.values` as Slack builds it: every input element, with `values[action_id]`, else what
    the user already entered there (`kept`, the view's state), else its initial value."""
    out: dict[str, dict[str, Any]] = {}
    unused = set(values)
    kept = kept or {}
    for block_id, element in _input_elements(blocks):
        action_id = element["action_id"]
        entered = (kept.get(block_id) or {}).get(action_id)
        unused.discard(action_id)
        if action_id in values:
            entry = {"type": element["type"], **selection(element, values[action_id])}
        elif entered is not None and entered.get("type") == element["type"]:
            entry = dict(entered)
        else:
            entry = {"type": element["type"], **selection(element, _initial(element))}
        out.setdefault(block_id, {})[action_id] = entry
    if unused:
        raise ValueError(f"no input element with action_id {sorted(unused)}")
    return out


def kept_state(blocks: list[dict[str, Any]], state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What Slack keeps of a view's state across `views.update`: the entries of input elements that are
    still there with the same block_id, action_id and type; the others are gone."""
    out: dict[str, dict[str, Any]] = {}
    for block_id, element in _input_elements(blocks):
        entry = (state.get(block_id) or {}).get(element["action_id"])
        if entry is not None and entry.get("type") == element["type"]:
            out.setdefault(block_id, {})[element["action_id"]] = entry
    return out


def dispatches(blocks: list[dict[str, Any]], block_id: str) -> bool:
    """Whether using an element of the block `block_id` sends `block_actions`: always outside input
    blocks, only with `dispatch_action: true` inside one (as Slack does)."""
    block = next((b for b in blocks if str(b.get("block_id", "")) == block_id), None)
    return block is None or block.get("type") != "input" or bool(block.get("dispatch_action"))


def find_element(
    blocks: list[dict[str, Any]], action_id: str, block_id: str | None = None
) -> tuple[str, dict[str, Any]] | None:
    """(block_id, element) of the element with `action_id` anywhere in `blocks` (in the block `block_id`
    when given: an action id is unique only within its block, as Slack requires)."""
    for block in blocks:
        if block_id is not None and str(block.get("block_id", "")) != block_id:
            continue
        candidates = [block.get("accessory"), block.get("element"), *(block.get("elements") or [])]
        for element in candidates:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return str(block.get("block_id", "")), element
    return None
