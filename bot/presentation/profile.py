"""Block Kit for sign-up and profile: the profile modal, its confirmation, and the settings replies."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ConfirmObject,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.members import ProfileDraft
from bot.domain.scheduling import WEEKDAY_NAMES, WEEKDAYS
from bot.domain.vocabulary import (
    DOMAINS,
    FREQUENCIES,
    ROLES,
    SPECIALTIES,
    STAGES,
    TRACKS,
    domain_label,
    frequency_label,
    role_label,
    sentence_case,
    stage_label,
    track_label,
)
from bot.presentation.common import context, section

COMMON_TIME_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "America/Halifax",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "UTC",
)

DOMAIN_HINTS = {
    "research": "Research",
    "education": "Teaching and education",
    "promotion": "Academic career and promotion",
    "clinical": "Clinical skills",
    "business": "Practice management, contracts and finance",
    "leadership": "Leadership",
    "wellbeing": "Wellbeing, work-life and burnout",
}


def _options(pairs: list[tuple[str, str]]) -> list[Option]:
    return [Option(value=value, text=label) for value, label in pairs]


def _initial(options: list[Option], value: str | None) -> Option | None:
    return next((o for o in options if o.value == value), None)


def _initials(options: list[Option], values: tuple[str, ...]) -> list[Option] | None:
    chosen = [o for o in options if o.value in values]
    return chosen or None


CHECKBOX_LIMIT = 10
"""Slack shows at most ten checkboxes; longer lists of programs become a multi-select."""


@dataclass(frozen=True)
class ProgramChoice:
    """The programs a person may join (value, label), and the values already chosen."""

    options: Sequence[tuple[str, str]]
    chosen: Collection[str] = ()


def programs_block(choice: ProgramChoice) -> InputBlock:
    options = _options(list(choice.options))
    initial = [o for o in options if o.value in choice.chosen] or None
    element: CheckboxesElement | StaticMultiSelectElement
    if len(options) <= CHECKBOX_LIMIT:
        element = CheckboxesElement(action_id="programs", options=options, initial_options=initial)
    else:
        element = StaticMultiSelectElement(
            action_id="programs", placeholder="Choose programs", options=options, initial_options=initial
        )
    return InputBlock(
        block_id="programs",
        label="Programs I'd like to join",
        element=element,
        hint="Pick one or more. You can change this later with `/mentor profile`.",
    )


def profile_modal(draft: ProfileDraft, first_time: bool, programs: ProgramChoice | None = None) -> View:
    roles = _options([(r, sentence_case(role_label(r))) for r in ROLES])
    stages = _options(
        [
            (s, sentence_case(stage_label(s)) if s != "private-practice" else "Private-practice physician")
            for s in STAGES
        ]
    )
    specialties = _options(list(SPECIALTIES))
    tracks = _options([(t, sentence_case(track_label(t))) for t in TRACKS])
    domains = _options([(d, DOMAIN_HINTS.get(d, sentence_case(domain_label(d)))) for d in DOMAINS])
    frequencies = _options([(f, sentence_case(frequency_label(f))) for f in FREQUENCIES])
    zones = list(COMMON_TIME_ZONES)
    if draft.tz and draft.tz not in zones:
        zones.insert(0, draft.tz)
    time_zones = _options([(z, z.replace("_", " ")) for z in zones])

    def field(
        block_id: str, label: str, element: Any, optional: bool = False, hint: str | None = None
    ) -> InputBlock:
        return InputBlock(block_id=block_id, label=label, element=element, optional=optional, hint=hint)

    blocks: list[Block] = [
        section(
            "A few questions so we can match you well. You can change any of this later with `/mentor profile`."
        ),
        *([programs_block(programs)] if programs is not None and len(programs.options) > 1 else []),
        field(
            "roles",
            "I'd like to take part as",
            CheckboxesElement(
                action_id="roles", options=roles, initial_options=_initials(roles, draft.roles)
            ),
        ),
        field(
            "stage",
            "Career stage",
            StaticSelectElement(
                action_id="stage",
                placeholder="Choose one",
                options=stages,
                initial_option=_initial(stages, draft.stage),
            ),
        ),
        field(
            "specialty",
            "Specialty",
            StaticSelectElement(
                action_id="specialty",
                placeholder="Choose one",
                options=specialties,
                initial_option=_initial(specialties, draft.specialty),
            ),
        ),
        field(
            "specialty_other",
            "If other, your specialty",
            PlainTextInputElement(
                action_id="specialty_other", initial_value=draft.specialty_other or None, max_length=80
            ),
            optional=True,
        ),
        field(
            "track",
            "Career track that interests you",
            StaticSelectElement(
                action_id="track",
                placeholder="Choose one",
                options=tracks,
                initial_option=_initial(tracks, draft.track),
            ),
        ),
        field(
            "needs",
            "As a mentee: where would you like guidance?",
            CheckboxesElement(
                action_id="needs", options=domains, initial_options=_initials(domains, draft.needs)
            ),
            optional=True,
        ),
        field(
            "offers",
            "As a mentor: where can you offer guidance?",
            CheckboxesElement(
                action_id="offers", options=domains, initial_options=_initials(domains, draft.offers)
            ),
            optional=True,
        ),
        field(
            "frequency",
            "How often would you like to meet?",
            StaticSelectElement(
                action_id="frequency",
                placeholder="Choose one",
                options=frequencies,
                initial_option=_initial(frequencies, draft.frequency),
            ),
        ),
        field(
            "capacity",
            "As a mentor: how many mentees can you take?",
            NumberInputElement(
                action_id="capacity",
                is_decimal_allowed=False,
                min_value="1",
                max_value="10",
                initial_value=str(draft.capacity) if draft.capacity else None,
            ),
            optional=True,
        ),
        field(
            "tz",
            "Time zone",
            StaticSelectElement(
                action_id="tz",
                placeholder="Choose one",
                options=time_zones,
                initial_option=_initial(time_zones, draft.tz),
            ),
            hint="Reminders arrive during your working hours in this zone.",
        ),
        field(
            "site",
            "Site or campus",
            PlainTextInputElement(action_id="site", initial_value=draft.site or None, max_length=80),
            optional=True,
        ),
        field(
            "avoid_user_ids",
            "Please don't match me with (confidential)",
            UserMultiSelectElement(
                action_id="avoid_user_ids",
                placeholder="Nobody",
                initial_users=list(draft.avoid_user_ids) or None,
                max_selected_items=20,
            ),
            optional=True,
            hint="Only the matching engine reads this list. Nobody else sees it, not even coordinators.",
        ),
        call_days_field(draft),
    ]
    return View(
        type="modal",
        callback_id="profile",
        title="Join Mentor Circles" if first_time else "Your profile",
        submit="Join" if first_time else "Save",
        close="Cancel",
        blocks=blocks,
    )


def call_days_field(draft: ProfileDraft) -> InputBlock:
    """ "Usually on nights or call on ...": optional weekdays that finding a time steers clear of."""
    days = _options(list(zip(WEEKDAYS, WEEKDAY_NAMES, strict=True)))
    return InputBlock(
        block_id="call_days",
        label="Usually on nights or call on",
        optional=True,
        hint="When you find a time with your circle or mentor, I won't suggest these days.",
        element=CheckboxesElement(
            action_id="call_days", options=days, initial_options=_initials(days, draft.call_days)
        ),
    )


def _selected(values: dict[str, Any], field: str) -> Any:
    return values.get(field, {}).get(field, {})


def draft_from_state(values: dict[str, Any]) -> ProfileDraft:
    """Read the submitted modal (`view.state.values`) as a draft; validation happens in the domain."""

    def one(field: str) -> str | None:
        option = _selected(values, field).get("selected_option")
        return option["value"] if option else None

    def many(field: str) -> tuple[str, ...]:
        return tuple(option["value"] for option in _selected(values, field).get("selected_options") or [])

    def text(field: str) -> str | None:
        return _selected(values, field).get("value")

    capacity = text("capacity")
    return ProfileDraft(
        roles=many("roles"),
        stage=one("stage"),
        specialty=one("specialty"),
        specialty_other=text("specialty_other"),
        track=one("track"),
        needs=many("needs"),
        offers=many("offers"),
        frequency=one("frequency"),
        capacity=int(capacity) if capacity and capacity.strip().isdigit() else (-1 if capacity else None),
        tz=one("tz"),
        site=text("site"),
        avoid_user_ids=tuple(_selected(values, "avoid_user_ids").get("selected_users") or ()),
        call_days=many("call_days"),
    )


def programs_from_state(values: dict[str, Any]) -> tuple[str, ...] | None:
    """The program values ticked in a submitted modal, or None when the modal did not ask."""
    if "programs" not in values:
        return None
    return tuple(option["value"] for option in _selected(values, "programs").get("selected_options") or [])


def no_program_modal() -> View:
    return View(
        type="modal",
        title="Mentor Circles",
        close="Close",
        blocks=[
            section(
                "*There's no program open to you just yet*\n"
                "The programs here are invite-only. Your program coordinator can add you, and then "
                "`/mentor join` will let you sign up."
            )
        ],
    )


def joined_modal(first_time: bool, summary: list[str]) -> View:
    heading = "You're in! 🎉" if first_time else "Profile saved"
    followup = (
        "Your coordinators will introduce you to your circle or mentor when the next round goes out. "
        "Meanwhile, add a goal with `/mentor goal add`, or open the *Home* tab of Mentor Circles."
        if first_time
        else "Future matches will use your updated profile."
    )
    return View(
        type="modal",
        title="Mentor Circles",
        close="Done",
        blocks=[section(f"*{heading}*\n{followup}"), context("\n".join(summary) or " ")],
    )


def profile_blocks(summary: list[str], status_line: str | None) -> list[Block]:
    blocks: list[Block] = [
        SectionBlock(
            block_id="profile",
            text=section("*Your profile*\n" + "\n".join(summary)).text,
            accessory=ButtonElement(text="Edit", action_id="profile_edit"),
        )
    ]
    if status_line:
        blocks.append(context(status_line))
    return blocks


def leave_blocks() -> list[Block]:
    return [
        section(
            "Leaving takes you out of future circles and matches and stops all reminders. Your goals and "
            "meetings stay yours (`/mentor delete-my-data` removes them). You can come back any time with "
            "`/mentor join`."
        ),
        ActionsBlock(
            block_id="leave",
            elements=[
                ButtonElement(
                    text="Leave Mentor Circles",
                    action_id="settings_leave_confirm",
                    style="danger",
                    confirm=ConfirmObject(
                        title="Leave Mentor Circles?",
                        text="You won't be matched or reminded any more.",
                        confirm="Leave",
                        deny="Stay",
                    ),
                ),
                ButtonElement(text="Stay", action_id="settings_leave_cancel"),
            ],
        ),
    ]


LEAVE_PROGRAM_ACTION = "settings_leave_program_{program_id}"
BUTTON_TEXT_LIMIT = 75


def leave_choice_blocks(question: str, choices: Sequence[tuple[int, str]]) -> list[Block]:
    """One button per program (each confirmed first), one for all of them, and Stay."""
    buttons = [
        ButtonElement(
            text=_button_text(name),
            action_id=LEAVE_PROGRAM_ACTION.format(program_id=program_id),
            value=str(program_id),
            confirm=ConfirmObject(
                title="Leave this program?",
                text=f"You won't be matched or reminded in {name} any more. Your other programs stay as they are.",
                confirm="Leave",
                deny="Stay",
            ),
        )
        for program_id, name in choices
    ]
    return [
        section(question),
        ActionsBlock(
            block_id="leave",
            elements=[
                *buttons,
                ButtonElement(
                    text="All of them",
                    action_id="settings_leave_confirm",
                    style="danger",
                    confirm=ConfirmObject(
                        title="Leave Mentor Circles?",
                        text="You won't be matched or reminded in any program any more.",
                        confirm="Leave",
                        deny="Stay",
                    ),
                ),
                ButtonElement(text="Stay", action_id="settings_leave_cancel"),
            ],
        ),
    ]


def _button_text(name: str) -> str:
    return name if len(name) <= BUTTON_TEXT_LIMIT else name[: BUTTON_TEXT_LIMIT - 1] + "…"
