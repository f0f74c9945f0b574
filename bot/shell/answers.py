"""Turning what someone typed into the choice a Block Kit element reports, checked as Slack's client checks it.

The result is what `bot.sandbox` accepts as a choice: a string for text, number, date and time inputs,
an option dict (or a list of them) for selects, radio buttons and checkboxes, ids for user and
conversation pickers.
"""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.shell.render import MULTI_CHOICE, NO_NAMES, SINGLE_CHOICE, Names, all_options, option_label

TEXT_INPUTS = frozenset({"plain_text_input", "email_text_input", "url_text_input"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AnswerError(ValueError):
    """The typed answer does not fit the element; the message says what would."""


def parse_answer(element: dict[str, Any], raw: str, names: Names = NO_NAMES) -> Any:
    kind = str(element.get("type", ""))
    raw = raw.strip()
    if kind in TEXT_INPUTS:
        return _text(element, raw)
    if kind == "number_input":
        return _number(element, raw)
    if kind in SINGLE_CHOICE:
        return _option(element, raw, names)
    if kind in MULTI_CHOICE:
        chosen = [_option(element, part, names) for part in _parts(raw)]
        limit = element.get("max_selected_items")
        if limit and len(chosen) > int(limit):
            raise AnswerError(f"Choose at most {limit}.")
        return chosen
    if kind == "users_select":
        return _user(raw, names)
    if kind == "multi_users_select":
        return [_user(part, names) for part in _parts(raw)]
    if kind in ("conversations_select", "channels_select"):
        return _channel(raw, names)
    if kind in ("multi_conversations_select", "multi_channels_select"):
        return [_channel(part, names) for part in _parts(raw)]
    if kind == "datepicker":
        return _date(raw)
    if kind == "timepicker":
        return _time(raw)
    if kind == "rich_text_input":
        section = {"type": "rich_text_section", "elements": [{"type": "text", "text": raw}]}
        return {"type": "rich_text", "elements": [section]}
    raise AnswerError(f"This shell can't fill in a {kind.replace('_', ' ')} yet; :cancel closes the form.")


def _parts(raw: str) -> list[str]:
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not parts:
        raise AnswerError("Type one or more choices separated by commas.")
    return parts


def _text(element: dict[str, Any], raw: str) -> str:
    kind = element.get("type")
    value = raw.replace("\\n", "\n") if element.get("multiline") else raw
    low, high = element.get("min_length"), element.get("max_length")
    if low is not None and len(value) < int(low):
        raise AnswerError(f"Please write at least {low} characters.")
    if high is not None and len(value) > int(high):
        raise AnswerError(f"Please keep it to {high} characters or fewer.")
    if kind == "email_text_input" and not _EMAIL.match(value):
        raise AnswerError("That doesn't look like an email address.")
    if kind == "url_text_input" and not re.match(r"^https?://\S+$", value):
        raise AnswerError("Type a full link starting with https://")
    return value


def _number(element: dict[str, Any], raw: str) -> str:
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise AnswerError("Type a number.") from None
    if not number.is_finite():
        raise AnswerError("Type a number.")
    if not element.get("is_decimal_allowed") and number != number.to_integral_value():
        raise AnswerError("Type a whole number.")
    low, high = element.get("min_value"), element.get("max_value")
    if low is not None and number < Decimal(str(low)):
        raise AnswerError(f"The smallest allowed is {low}.")
    if high is not None and number > Decimal(str(high)):
        raise AnswerError(f"The largest allowed is {high}.")
    return raw


def _option(element: dict[str, Any], raw: str, names: Names) -> dict[str, Any]:
    options = all_options(element)
    if raw.isdigit() and 1 <= int(raw) <= len(options):
        return options[int(raw) - 1]
    wanted = raw.casefold()
    for option in options:
        if wanted in (str(option.get("value", "")).casefold(), option_label(option, names).casefold()):
            return option
    if options:
        raise AnswerError(f"Choose a number from 1 to {len(options)}, or type an option's value.")
    raise AnswerError("This menu has no options to choose from.")


def _user(raw: str, names: Names) -> str:
    user_id = names.user_id(raw)
    if user_id is None:
        raise AnswerError(f"There's nobody called {raw or '(blank)'} here; :users lists everyone.")
    return user_id


def _channel(raw: str, names: Names) -> str:
    channel_id = names.channel_id(raw)
    if channel_id is None:
        raise AnswerError(f"There's no conversation called {raw or '(blank)'} here.")
    return channel_id


def _date(raw: str) -> str:
    try:
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise AnswerError("Type a date as YYYY-MM-DD, e.g. 2025-03-14.") from None


def _time(raw: str) -> str:
    try:
        moment = time.fromisoformat(raw)
    except ValueError:
        raise AnswerError("Type a time as HH:MM, e.g. 09:30.") from None
    return moment.strftime("%H:%M")
