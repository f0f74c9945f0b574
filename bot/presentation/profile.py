"""Block Kit for sign-up and profile: the profile modal, its confirmation, and the settings replies."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
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
    OptionGroup,
    PlainTextInputElement,
    SectionBlock,
    StaticMultiSelectElement,
    StaticSelectElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.form_rules import MENTEE_FIELDS, MENTOR_FIELDS, OTHER_SPECIALTY_FIELD, profile_field_applies
from bot.domain.members import ProfileDraft
from bot.domain.scheduling import WEEKDAY_NAMES, WEEKDAYS
from bot.domain.vocabulary import (
    DOMAINS,
    FREQUENCIES,
    OTHER_SPECIALTY,
    ROLES,
    SPECIALTIES,
    STAGES,
    SUBSPECIALTIES,
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


PROFILE_CALLBACK = "profile"
SHAPING_ACTIONS = ("roles", "specialty")
"""The profile inputs whose answer changes which questions follow: they dispatch `block_actions`."""
SHAPED_BY = {
    **{name: "roles" for name in (*MENTEE_FIELDS, *MENTOR_FIELDS)},
    OTHER_SPECIALTY_FIELD: "specialty",
}


def specialty_groups() -> list[OptionGroup]:
    """Specialties, common subspecialties, then Other, as the specialty menu's option groups."""
    main = [(slug, label) for slug, label in SPECIALTIES if slug != OTHER_SPECIALTY]
    other = [(slug, label) for slug, label in SPECIALTIES if slug == OTHER_SPECIALTY]
    return [
        OptionGroup(label="Specialties", options=_options(main)),
        OptionGroup(label="Subspecialties", options=_options([(s, label) for s, label, _ in SUBSPECIALTIES])),
        OptionGroup(label="Something else", options=_options(other)),
    ]


def profile_modal(draft: ProfileDraft, first_time: bool, programs: ProgramChoice | None = None) -> View:
    """The join/profile modal, asking only what applies to `draft`'s roles and specialty
    (`bot.domain.form_rules`); the roles and specialty inputs dispatch an action so the modal can be
    rebuilt as they change."""
    roles = _options([(r, sentence_case(role_label(r))) for r in ROLES])
    stages = _options(
        [
            (s, sentence_case(stage_label(s)) if s != "private-practice" else "Private-practice physician")
            for s in STAGES
        ]
    )
    groups = specialty_groups()
    specialties = [option for group in groups for option in group.options or []]
    tracks = _options([(t, sentence_case(track_label(t))) for t in TRACKS])
    domains = _options([(d, DOMAIN_HINTS.get(d, sentence_case(domain_label(d)))) for d in DOMAINS])
    frequencies = _options([(f, sentence_case(frequency_label(f))) for f in FREQUENCIES])
    zones = list(COMMON_TIME_ZONES)
    if draft.tz and draft.tz not in zones:
        zones.insert(0, draft.tz)
    time_zones = _options([(z, z.replace("_", " ")) for z in zones])

    def field(
        block_id: str, label: str, element: Any, optional: bool = False, hint: str | None = None
    ) -> InputBlock | None:
        if not profile_field_applies(block_id, draft.roles, draft.specialty):
            return None
        return InputBlock(
            block_id=block_id,
            label=label,
            element=element,
            optional=optional,
            hint=hint,
            dispatch_action=True if block_id in SHAPING_ACTIONS else None,
        )

    blocks: list[Block | None] = [
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
                option_groups=groups,
                initial_option=_initial(specialties, draft.specialty),
            ),
        ),
        field(
            "specialty_other",
            "Your specialty",
            PlainTextInputElement(
                action_id="specialty_other", initial_value=draft.specialty_other or None, max_length=80
            ),
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
        ),
        field(
            "offers",
            "As a mentor: where can you offer guidance?",
            CheckboxesElement(
                action_id="offers", options=domains, initial_options=_initials(domains, draft.offers)
            ),
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
        callback_id=PROFILE_CALLBACK,
        title="Join Mentor Circles" if first_time else "Your profile",
        submit="Join" if first_time else "Save",
        close="Cancel",
        blocks=[block for block in blocks if block is not None],
    )


def modal_errors(errors: Mapping[str, str], view_blocks: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Inline errors by block id for `response_action: errors`. An error for a question the submitted
    modal did not show (it was submitted before its rebuild arrived) is shown on the answer that brings
    that question in, so Slack has a block to show it on."""
    shown = {str(block.get("block_id")) for block in view_blocks}
    out: dict[str, str] = {}
    for block_id, message in errors.items():
        target = block_id if block_id in shown else SHAPED_BY.get(block_id, block_id)
        out[target] = f"{out[target]} {message}" if target in out else message
    return out


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


def draft_from_state(values: dict[str, Any], base: ProfileDraft | None = None) -> ProfileDraft:
    """Read a modal's `view.state.values` as a draft; validation happens in the domain. Questions the
    modal did not show keep their value from `base` (the stored profile, when rebuilding the modal)."""
    read = _read_state(values)
    kept = base or ProfileDraft()
    return replace(kept, **{name: value for name, value in asdict(read).items() if name in values})


def _read_state(values: dict[str, Any]) -> ProfileDraft:

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
