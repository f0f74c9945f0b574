"""Block Kit validation the way Slack's API applies it.

Each check yields Slack-style messages, `"<problem> [json-pointer:/blocks/0/text/text]"`. Slack's own
structural rules (surfaces, element types, plain_text-only fields, lengths, uniqueness) are checked here;
afterwards every block is parsed with `slack_sdk.models` so its own validators run too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block, BlockElement

MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100
MESSAGE_TEXT_MAX = 40_000

_SELECTS = {
    "static_select",
    "external_select",
    "users_select",
    "conversations_select",
    "channels_select",
}
_MULTI_SELECTS = {f"multi_{s}" for s in _SELECTS}
_INTERACTIVE = (
    {"button", "checkboxes", "datepicker", "datetimepicker", "overflow", "radio_buttons", "timepicker"}
    | {"workflow_button"}
    | _SELECTS
    | _MULTI_SELECTS
)
SECTION_ACCESSORIES = _INTERACTIVE | {"image"}
ACTIONS_ELEMENTS = _INTERACTIVE | {"rich_text_input"}
CONTEXT_ELEMENTS = {"image", "plain_text", "mrkdwn"}
INPUT_ELEMENTS = (
    {"checkboxes", "datepicker", "datetimepicker", "email_text_input", "file_input", "number_input"}
    | {"plain_text_input", "radio_buttons", "rich_text_input", "timepicker", "url_text_input"}
    | _SELECTS
    | _MULTI_SELECTS
)
_COMMON_BLOCKS = {
    "section",
    "divider",
    "image",
    "actions",
    "context",
    "input",
    "header",
    "rich_text",
    "video",
}
SURFACE_BLOCKS = {
    "message": _COMMON_BLOCKS | {"file", "markdown", "table", "call", "context_actions"},
    "modal": _COMMON_BLOCKS,
    "home": _COMMON_BLOCKS,
}


def _err(problem: str, pointer: str) -> str:
    return f"{problem} [json-pointer:{pointer}]"


def _text_object(obj: Any, pointer: str, *, max_len: int, plain_only: bool = False) -> Iterator[str]:
    if not isinstance(obj, dict):
        yield _err("must be a text object", pointer)
        return
    kind = obj.get("type")
    if kind not in ("plain_text", "mrkdwn"):
        yield _err("text object type must be plain_text or mrkdwn", f"{pointer}/type")
    elif plain_only and kind != "plain_text":
        yield _err("must be a plain_text text object", f"{pointer}/type")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        yield _err("must be a non-empty string", f"{pointer}/text")
    elif len(text) > max_len:
        yield _err(f"must be less than {max_len + 1} characters", f"{pointer}/text")
    if kind == "mrkdwn" and "emoji" in obj:
        yield _err("emoji is only allowed on plain_text", f"{pointer}/emoji")


def _options(options: Any, pointer: str, *, plain_only: bool) -> Iterator[str]:
    if not isinstance(options, list) or not options:
        yield _err("must provide at least one option", pointer)
        return
    if len(options) > 100:
        yield _err("must provide no more than 100 items", pointer)
    for i, option in enumerate(options):
        p = f"{pointer}/{i}"
        if not isinstance(option, dict):
            yield _err("must be an option object", p)
            continue
        yield from _text_object(option.get("text"), f"{p}/text", max_len=75, plain_only=plain_only)
        value = option.get("value")
        if not isinstance(value, str) or not value:
            yield _err("must be a non-empty string", f"{p}/value")
        elif len(value) > 150:
            yield _err("must be less than 151 characters", f"{p}/value")


def _element(element: Any, pointer: str, allowed: set[str], seen_actions: set[str]) -> Iterator[str]:
    if not isinstance(element, dict):
        yield _err("must be an object", pointer)
        return
    kind = element.get("type")
    if kind not in allowed:
        yield _err(f"`{kind}` is not a valid element type here", f"{pointer}/type")
        return
    action_id = element.get("action_id")
    if action_id is not None:
        if not isinstance(action_id, str) or len(action_id) > 255:
            yield _err("must be a string of at most 255 characters", f"{pointer}/action_id")
        elif action_id in seen_actions:
            yield _err(f"action_id `{action_id}` is already used in this block", f"{pointer}/action_id")
        else:
            seen_actions.add(action_id)
    if kind == "button":
        yield from _text_object(element.get("text"), f"{pointer}/text", max_len=75, plain_only=True)
        if len(str(element.get("value", ""))) > 2000:
            yield _err("must be less than 2001 characters", f"{pointer}/value")
        if element.get("style") not in (None, "primary", "danger"):
            yield _err("style must be primary or danger", f"{pointer}/style")
    if "placeholder" in element:
        yield from _text_object(
            element["placeholder"], f"{pointer}/placeholder", max_len=150, plain_only=True
        )
    if kind in ("static_select", "multi_static_select", "overflow") and "option_groups" not in element:
        yield from _options(element.get("options"), f"{pointer}/options", plain_only=True)
    if kind in ("checkboxes", "radio_buttons"):
        yield from _options(element.get("options"), f"{pointer}/options", plain_only=False)
    if kind == "image" and not element.get("alt_text"):
        yield _err("alt_text is required", f"{pointer}/alt_text")


def _block(block: dict[str, Any], pointer: str, surface: str) -> Iterator[str]:
    kind = block.get("type")
    actions: set[str] = set()
    if kind not in SURFACE_BLOCKS[surface]:
        yield _err(f"`{kind}` is not a valid block type for a {surface}", f"{pointer}/type")
        return
    if kind == "section":
        if "text" not in block and "fields" not in block:
            yield _err("a section needs text or fields", pointer)
        if "text" in block:
            yield from _text_object(block["text"], f"{pointer}/text", max_len=3000)
        fields = block.get("fields")
        if fields is not None:
            if not isinstance(fields, list) or len(fields) > 10:
                yield _err("must provide no more than 10 fields", f"{pointer}/fields")
            else:
                for i, f in enumerate(fields):
                    yield from _text_object(f, f"{pointer}/fields/{i}", max_len=2000)
        if "accessory" in block:
            yield from _element(block["accessory"], f"{pointer}/accessory", SECTION_ACCESSORIES, actions)
    elif kind == "header":
        yield from _text_object(block.get("text"), f"{pointer}/text", max_len=150, plain_only=True)
    elif kind == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements or len(elements) > 25:
            yield _err("must provide between 1 and 25 elements", f"{pointer}/elements")
        else:
            for i, e in enumerate(elements):
                yield from _element(e, f"{pointer}/elements/{i}", ACTIONS_ELEMENTS, actions)
    elif kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements or len(elements) > 10:
            yield _err("must provide between 1 and 10 elements", f"{pointer}/elements")
        else:
            for i, e in enumerate(elements):
                if isinstance(e, dict) and e.get("type") in ("plain_text", "mrkdwn"):
                    yield from _text_object(e, f"{pointer}/elements/{i}", max_len=3000)
                else:
                    yield from _element(e, f"{pointer}/elements/{i}", CONTEXT_ELEMENTS, actions)
    elif kind == "input":
        yield from _text_object(block.get("label"), f"{pointer}/label", max_len=2000, plain_only=True)
        if "hint" in block:
            yield from _text_object(block["hint"], f"{pointer}/hint", max_len=2000, plain_only=True)
        yield from _element(block.get("element"), f"{pointer}/element", INPUT_ELEMENTS, actions)
    elif kind == "image":
        if not block.get("alt_text"):
            yield _err("alt_text is required", f"{pointer}/alt_text")
        if "title" in block:
            yield from _text_object(block["title"], f"{pointer}/title", max_len=2000, plain_only=True)


def _unknown_keys(block: dict[str, Any], parsed: Block, pointer: str) -> Iterator[str]:
    for key in sorted(set(block) - set(parsed.attributes)):
        yield _err(f"unknown property `{key}`", f"{pointer}/{key}")
    for name in ("accessory", "element"):
        raw = block.get(name)
        if isinstance(raw, dict):
            element = BlockElement.parse(raw)
            if element is not None:
                for key in sorted(set(raw) - set(element.attributes)):
                    yield _err(f"unknown property `{key}`", f"{pointer}/{name}/{key}")


def _with_sdk_model(block: dict[str, Any], pointer: str) -> Iterator[str]:
    try:
        parsed = Block.parse(block)
        if parsed is None:
            yield _err("unknown block type", f"{pointer}/type")
            return
        parsed.to_dict()
    except SlackObjectFormationError as exc:
        yield _err(str(exc), pointer)
        return
    except (TypeError, ValueError, AttributeError) as exc:
        yield _err(f"malformed block ({exc})", pointer)
        return
    yield from _unknown_keys(block, parsed, pointer)


def validate_blocks(blocks: Any, *, surface: str = "message", pointer: str = "/blocks") -> list[str]:
    """Problems with a list of blocks for `surface` ("message", "modal" or "home"); empty when valid."""
    if not isinstance(blocks, list):
        return [_err("must be an array", pointer)]
    limit = MESSAGE_MAX_BLOCKS if surface == "message" else VIEW_MAX_BLOCKS
    errors: list[str] = []
    if len(blocks) > limit:
        errors.append(_err(f"must provide no more than {limit} items", pointer))
    block_ids: set[str] = set()
    for i, block in enumerate(blocks):
        p = f"{pointer}/{i}"
        if not isinstance(block, dict):
            errors.append(_err("must be an object", p))
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if not isinstance(block_id, str) or len(block_id) > 255:
                errors.append(_err("must be a string of at most 255 characters", f"{p}/block_id"))
            elif block_id in block_ids:
                errors.append(_err(f"block_id `{block_id}` is already used", f"{p}/block_id"))
            block_ids.add(str(block_id))
        own = list(_block(block, p, surface))
        errors.extend(own)
        if not own:
            errors.extend(_with_sdk_model(block, p))
    return errors


def validate_message(blocks: Any) -> list[str]:
    if blocks is None:
        return []
    return validate_blocks(blocks, surface="message")


def validate_view(view: Any) -> list[str]:
    """Problems with a modal or Home tab view payload, pointers relative to `/view`."""
    if not isinstance(view, dict):
        return [_err("must be an object", "/view")]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return [_err("type must be modal or home", "/view/type")]
    errors: list[str] = []
    blocks = view.get("blocks")
    if blocks is None:
        errors.append(_err("blocks is required", "/view/blocks"))
    else:
        errors.extend(validate_blocks(blocks, surface=kind, pointer="/view/blocks"))
    if kind == "modal":
        if "title" not in view:
            errors.append(_err("title is required", "/view/title"))
        for key in ("title", "submit", "close"):
            if key in view:
                errors.extend(_text_object(view[key], f"/view/{key}", max_len=24, plain_only=True))
        has_input = isinstance(blocks, list) and any(
            isinstance(b, dict) and b.get("type") == "input" for b in blocks
        )
        if has_input and "submit" not in view:
            errors.append(_err("a modal with input blocks requires a submit button", "/view/submit"))
    for key, limit in (("private_metadata", 3000), ("callback_id", 255), ("external_id", 255)):
        if len(str(view.get(key, ""))) > limit:
            errors.append(_err(f"must be less than {limit + 1} characters", f"/view/{key}"))
    return errors


def with_ids(blocks: list[dict[str, Any]], make_id: Any) -> list[dict[str, Any]]:
    """A copy of `blocks` where missing block_ids and action_ids are filled in, as Slack stores them."""
    out = []
    for block in blocks:
        if not isinstance(block, dict):
            out.append(block)
            continue
        block = dict(block)
        block.setdefault("block_id", make_id())
        for key in ("accessory", "element"):
            if isinstance(block.get(key), dict) and block[key].get("type") in _INTERACTIVE | INPUT_ELEMENTS:
                block[key] = {"action_id": make_id(), **block[key]}
        if block.get("type") == "actions" and isinstance(block.get("elements"), list):
            block["elements"] = [
                {"action_id": make_id(), **e} if isinstance(e, dict) else e for e in block["elements"]
            ]
        out.append(block)
    return out
