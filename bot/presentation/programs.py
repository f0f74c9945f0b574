"""Block Kit for programs: the list, one program's summary, and the settings modal."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ConfirmObject,
    ConversationSelectElement,
    DividerBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.form_rules import settings_field_applies
from bot.domain.programs import KIND_LABELS, MAX_WELLBEING_CONTACTS_CHARS, ProgramSettings, RoundWindow
from bot.presentation.announcements import ANNOUNCE_OPEN
from bot.presentation.common import context, escape, plural, section
from bot.usecases.programs import ProgramLine

SETTINGS_CALLBACK = "program_settings"
ARCHIVE_ACTION = "program_archive"
UNARCHIVE_ACTION = "program_unarchive"
ARCHIVED_NOTE = "Archived: kept for the reports; nobody can join it, and it gets no reminders or new matches."
FLAG_LABELS = {
    "weekdays_only": "Send nudges on weekdays only",
    "flag_stalled": "Tell coordinators about stalled circles and mentorships",
    "auto_publish": "Publish new matches without a review first",
}
SIMILARITY_LABELS = {"same": "Same", "mixed": "Mixed", "ignore": "Doesn't matter"}
PREFERENCE_LABELS = {"prefer": "Prefer together", "ignore": "Doesn't matter"}
ERROR_BLOCKS = {"quiet_hours": "quiet_start", "matching": "stage"}


def describe(settings: ProgramSettings) -> str:
    size = (
        f"circles of {settings.circle_size} ({settings.min_size}–{settings.max_size})"
        if settings.kind == "circles"
        else KIND_LABELS[settings.kind]
    )
    cadence = (
        f"meeting every {settings.cadence_days} days"
        if settings.cadence_days
        else "meeting as often as each member prefers"
    )
    days = "weekdays" if settings.weekdays_only else "any day"
    enrollment = "open to everyone" if settings.enrollment == "open" else "invite-only"
    return (
        f"{size}, {cadence}; rounds of {plural(settings.round_months, 'month')}; "
        f"nudges at {settings.send_hour}:00 on {days}; {enrollment}"
    )


def participants(line: ProgramLine) -> str:
    return f"{line.active} active · {line.paused} paused · {line.left} left"


def program_list_blocks(lines: list[ProgramLine]) -> list[Block]:
    blocks: list[Block] = [section("*Programs in this workspace*")]
    for line in lines:
        default = " _(default)_" if line.is_default else " _(archived)_" if line.archived else ""
        blocks.append(
            section(f"*{escape(line.name)}*{default}\n{describe(line.settings)}\n{participants(line)}")
        )
    blocks.append(context("Add one with `/mentor admin program add NAME`; change one with `edit NAME`."))
    return blocks


def round_text(window: RoundWindow | None) -> str:
    if window is None:
        return ""
    name = window.name
    return f"{name[0].upper()}{name[1:]} runs {window.dates}; the next round starts {_day(window.ends)}."


def _day(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def program_blocks(line: ProgramLine) -> list[Block]:
    """One program for coordinators: settings, participants, rounds, and what they can do next."""
    details = [describe(line.settings), participants(line)]
    if line.round:
        details.append(round_text(line.round))
    if line.next_nudge:
        details.append(f"Next nudge: {line.next_nudge}")
    kind = line.settings.kind
    value = str(line.id)
    buttons = [
        ButtonElement(text="Edit settings", action_id="program_edit", value=value),
        ButtonElement(text="Export CSV", action_id="program_export", value=value),
    ]
    if line.archived:
        details.insert(0, ARCHIVED_NOTE)
        buttons.append(ButtonElement(text="Unarchive", action_id=UNARCHIVE_ACTION, value=value))
    else:
        buttons.insert(0, ButtonElement(text="Preview matches", action_id="program_preview", value=value))
        buttons.append(ButtonElement(text="Announce", action_id=ANNOUNCE_OPEN, value=value))
    if not line.archived and not line.is_default:
        buttons.append(
            ButtonElement(
                text="Archive",
                action_id=ARCHIVE_ACTION,
                value=value,
                confirm=ConfirmObject(
                    title="Archive this program?",
                    text=(
                        f"{escape(line.name)} stays in the reports, but nobody can join it, its people get no "
                        "more reminders about it and it gets no new matches. You can unarchive it later."
                    ),
                    confirm="Archive",
                    deny="Keep it running",
                ),
            )
        )
    state = " · _archived_" if line.archived else ""
    return [
        section(f"*{escape(line.name)}* · {KIND_LABELS[kind]}{state}\n" + "\n".join(details)),
        ActionsBlock(block_id=f"program_{line.id}", elements=buttons),
    ]


def coordinator_home_blocks(lines: list[ProgramLine]) -> list[Block]:
    """The App Home section only coordinators see."""
    blocks: list[Block] = [DividerBlock(), section("*For coordinators*")]
    for line in lines:
        blocks.extend(program_blocks(line))
    return blocks


def _option(value: str, label: str) -> Option:
    return Option(value=value, text=label)


def _select(action_id: str, labels: dict[str, str], current: str) -> StaticSelectElement:
    options = [_option(value, label) for value, label in labels.items()]
    return StaticSelectElement(
        action_id=action_id,
        options=options,
        initial_option=next((o for o in options if o.value == current), options[0]),
    )


def _number(action_id: str, value: int | str | None, label: str, hint: str | None = None) -> InputBlock:
    return InputBlock(
        block_id=action_id,
        label=label,
        hint=hint,
        optional=action_id == "cadence_days",
        element=PlainTextInputElement(
            action_id=action_id, initial_value=None if value in (None, "") else str(value), max_length=3
        ),
    )


def settings_modal(
    program_id: int, name: str, settings: ProgramSettings, typed: dict[str, Any] | None = None
) -> View:
    """The settings modal, asking only what applies to the chosen kind (`bot.domain.form_rules`); the
    kind select dispatches an action so the modal can be rebuilt. `typed` (`form_values` of the modal
    being rebuilt) wins over the saved `settings`, so nothing typed is lost."""
    typed = typed or {}
    kind = typed.get("kind") or settings.kind

    def now(key: str) -> Any:
        return typed[key] if key in typed else getattr(settings, key)

    flags = [_option(key, label) for key, label in FLAG_LABELS.items()]
    chosen = [option for option in flags if now(option.value)]
    preferences = settings.matching
    month, day = settings.year_start
    sizes = [
        _number(key, now(key), label)
        for key, label in (
            ("circle_size", "Usual circle size"),
            ("min_size", "Smallest circle"),
            ("max_size", "Largest circle"),
        )
        if settings_field_applies(key, kind)
    ]
    blocks: list[Block] = [
        InputBlock(
            block_id="kind",
            label="Kind",
            dispatch_action=True,
            element=_select("kind", KIND_LABELS, kind),
        ),
        *sizes,
        _number("cadence_days", now("cadence_days"), "Meet every N days", "Empty: each member's own choice"),
        _number("round_months", now("round_months"), "Round length in months"),
        InputBlock(
            block_id="year_start",
            label="Program year starts (MM-DD)",
            element=PlainTextInputElement(
                action_id="year_start", initial_value=typed.get("year_start") or f"{month:02d}-{day:02d}"
            ),
        ),
        _number("repeat_window", now("repeat_window"), "Avoid repeat pairings for N rounds"),
        _number(
            "choice_response_days",
            now("choice_response_days"),
            "Days a mentor has to answer a mentee who chose them",
        ),
        _number("send_hour", now("send_hour"), "Nudge hour (member's local time, 0–23)"),
        _number("quiet_start", now("quiet_start"), "Quiet hours start"),
        _number("quiet_end", now("quiet_end"), "Quiet hours end"),
        _number(
            "weekly_nudge_budget",
            now("weekly_nudge_budget"),
            "Most nudges a person gets in a week",
            "Same-day nudges come as one message",
        ),
        InputBlock(
            block_id="flags",
            label="Options",
            optional=True,
            element=CheckboxesElement(action_id="flags", options=flags, initial_options=chosen or None),
        ),
        InputBlock(
            block_id="enrollment",
            label="Who can join",
            element=_select(
                "enrollment", {"open": "Anyone", "invite": "Invited people only"}, now("enrollment")
            ),
        ),
        InputBlock(
            block_id="invite_users",
            label="Invited people",
            optional=True,
            element=UserMultiSelectElement(
                action_id="invite_users", initial_users=list(now("invite_users")) or None
            ),
        ),
        InputBlock(
            block_id="invite_channel",
            label="Or everyone in this channel",
            optional=True,
            element=ConversationSelectElement(
                action_id="invite_channel", initial_conversation=now("invite_channel")
            ),
        ),
        InputBlock(
            block_id="wellbeing_contacts",
            label="Wellbeing contacts",
            optional=True,
            hint="Who members can talk to when they are struggling: shown first when someone asks the FAQ "
            "for help. Empty: a general note (program director, assistance program, crisis lines).",
            element=PlainTextInputElement(
                action_id="wellbeing_contacts",
                multiline=True,
                initial_value=now("wellbeing_contacts") or None,
                max_length=MAX_WELLBEING_CONTACTS_CHARS,
            ),
        ),
    ]
    for key, label in (("stage", "Training stage"), ("specialty", "Specialty"), ("track", "Track")):
        blocks.append(
            InputBlock(
                block_id=key,
                label=label,
                element=_select(key, SIMILARITY_LABELS, typed.get(key) or getattr(preferences, key)),
            )
        )
    for key, label in (("site", "Site"), ("time_zone", "Time zone")):
        blocks.append(
            InputBlock(
                block_id=key,
                label=label,
                element=_select(key, PREFERENCE_LABELS, typed.get(key) or getattr(preferences, key)),
            )
        )
    return View(
        type="modal",
        callback_id=SETTINGS_CALLBACK,
        private_metadata=json.dumps({"program_id": program_id}),
        title="Program settings",
        submit="Save",
        close="Cancel",
        blocks=[context(f"Settings for *{escape(name)}*"), *blocks],
    )


def form_values(state: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """The settings modal's state as plain values keyed by setting name."""
    form: dict[str, Any] = {}
    for block in state.values():
        for action_id, element in block.items():
            if "value" in element:
                form[action_id] = element.get("value") or ""
            elif "selected_option" in element:
                form[action_id] = (element.get("selected_option") or {}).get("value")
            elif "selected_users" in element:
                form[action_id] = element.get("selected_users") or []
            elif "selected_conversation" in element:
                form[action_id] = element.get("selected_conversation")
            elif "selected_options" in element:
                chosen = {option["value"] for option in element.get("selected_options") or []}
                form.update({key: key in chosen for key in FLAG_LABELS})
    return form


def modal_errors(errors: dict[str, str]) -> dict[str, str]:
    return {ERROR_BLOCKS.get(key, key): message for key, message in errors.items()}
