"""Block Kit and wording for logging meetings: confirmations, "which group?" buttons, the list, the modal."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.members import format_date
from bot.domain.members.meetings import MAX_ATTENDEES, NOTES_MAX
from bot.domain.text import inflect, join_labels, shorten
from bot.presentation.common import context, escape, section
from storage.meetings import MeetingSummary

BUTTON_VALUE_LIMIT = 2000
MEETINGS_SHOWN = 10
NOTES_NOTE = "Your notes are private: only you see them here (and your mentors, if you're their mentee)."


@dataclass(frozen=True)
class PendingMeeting:
    """A meeting waiting for the member to say which circle or mentorship it was: a button's value."""

    relationship_id: int
    held_on: date
    mentioned: tuple[str, ...]
    notes: str

    def encode(self) -> str:
        return json.dumps(
            {
                "r": self.relationship_id,
                "d": self.held_on.isoformat(),
                "a": list(self.mentioned),
                "n": self.notes,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def decode(cls, value: str) -> PendingMeeting | None:
        try:
            data = json.loads(value)
            mentioned = tuple(str(user_id) for user_id in data["a"])
            return cls(int(data["r"]), date.fromisoformat(data["d"]), mentioned, str(data["n"]))
        except (ValueError, KeyError, TypeError):
            return None


def mentions(user_ids: Sequence[str]) -> str:
    return join_labels([f"<@{user_id}>" for user_id in user_ids])


def who_phrase(
    kind: str | None, my_role: str | None, others: Sequence[tuple[str, str]], label: str = ""
) -> str:
    """'your circle', 'your mentor <@U1>', 'your mentee <@U2>', or the people themselves: `others` are
    (Slack id, role) of the other attendees."""
    if kind == "circle":
        return f"your circle ({escape(label)})" if label else "your circle"
    if kind == "mentorship" and my_role == "mentor":
        mentees = [user_id for user_id, role in others if role == "mentee"]
        return f"your {inflect(len(mentees), 'mentee')} {mentions(mentees)}"
    if kind == "mentorship":
        mentors = [user_id for user_id, role in others if role == "mentor"]
        return f"your {inflect(len(mentors), 'mentor')} {mentions(mentors)}"
    return mentions([user_id for user_id, _ in others])


def logged_message(who: str, held_on: date, *, with_notes: bool) -> str:
    notes = " Your notes are saved with it." if with_notes else ""
    return f"Logged your meeting with {who} on {format_date(held_on)}.{notes} Thanks for keeping it going!"


def already_logged_message(
    who: str, held_on: date, logged_by: str | None, *, by_me: bool, note_added: bool
) -> str:
    """A second log of the same meeting: by this member again, or by another attendee (`logged_by`)."""
    when = format_date(held_on)
    if by_me:
        text = f"You already logged your meeting with {who} on {when}, so it still counts once."
        return text + (" I've added your new notes to it." if note_added else "")
    someone = f"<@{logged_by}>" if logged_by else "Someone else who was there"
    text = f"{someone} already logged your meeting with {who} on {when}, so it counts once for everyone."
    return text + (" I've added your notes to it." if note_added else "")


def choose_blocks(question: str, choices: Sequence[tuple[str, str]]) -> list[Block]:
    """The "which was it for?" question with one button per (label, button value)."""
    return [
        section(question),
        ActionsBlock(
            block_id="meeting_pick",
            elements=[
                ButtonElement(text=shorten(label, 75), action_id=f"meeting_pick_{i}", value=value)
                for i, (label, value) in enumerate(choices[:25], start=1)
            ],
        ),
    ]


def notes_too_long_message(question: str, room: int) -> str:
    return (
        f"{question}\nYour notes are too long for me to hold while you choose. Add who you met "
        f"(like `/mentor met @Sam ...`) so I can tell which it was, or keep the notes under {room:,} characters."
    )


def meeting_line(meeting: MeetingSummary) -> str:
    people = mentions(meeting.others)
    if meeting.kind == "circle":
        label = f" ({escape(meeting.label)})" if meeting.label else ""
        who = f"Your circle{label}" + (f": {people}" if people else "")
    elif meeting.kind == "mentorship":
        who = f"Mentorship with {people}" if people else "Your mentorship"
    else:
        who = f"With {people}" if people else "On your own"
    line = f"*{format_date(meeting.held_on)}* · {who}"
    for note in meeting.my_notes:
        line += f"\n> {escape(shorten(' '.join(note.split()), 300))}"
    return line


def meetings_list_blocks(meetings: Sequence[MeetingSummary]) -> list[Block]:
    if not meetings:
        return [
            section(
                "No meetings logged yet. After you meet, type `/mentor met @someone notes` "
                "or use *Log meeting* on your App Home."
            )
        ]
    blocks: list[Block] = [HeaderBlock(text="Your recent meetings")]
    blocks.extend(section(meeting_line(meeting)) for meeting in meetings[:MEETINGS_SHOWN])
    if len(meetings) >= MEETINGS_SHOWN:
        blocks.append(context(f"Showing your {MEETINGS_SHOWN} most recent meetings."))
    blocks.append(context(NOTES_NOTE))
    return blocks


def meeting_log_modal(groups: Sequence[tuple[int, str]], today: date) -> View:
    """`groups` are (relationship id, label) of the member's circles and mentorships."""
    who: list[Block] = []
    if groups:
        who.append(
            InputBlock(
                block_id="relationship",
                label="Circle or mentorship",
                optional=True,
                element=StaticSelectElement(
                    action_id="relationship",
                    placeholder="Choose one",
                    options=[Option(text=shorten(label, 75), value=str(rid)) for rid, label in groups[:100]],
                ),
            )
        )
    who.append(
        InputBlock(
            block_id="people",
            label="Who you met" if not groups else "Or the people you met",
            optional=True,
            hint="Leave it empty to log a meeting with the whole circle or mentorship.",
            element=UserMultiSelectElement(
                action_id="people", placeholder="Choose people", max_selected_items=MAX_ATTENDEES
            ),
        )
    )
    return View(
        type="modal",
        callback_id="meeting_log",
        title="Log a meeting",
        submit="Log it",
        close="Cancel",
        blocks=[
            *who,
            InputBlock(
                block_id="day",
                label="When",
                element=DatePickerElement(action_id="day", initial_date=today.isoformat()),
            ),
            InputBlock(
                block_id="notes",
                label="Notes",
                optional=True,
                hint=NOTES_NOTE,
                element=PlainTextInputElement(
                    action_id="notes",
                    multiline=True,
                    max_length=NOTES_MAX,
                    placeholder="What you talked about, what you agreed to do next",
                ),
            ),
        ],
    )


def meeting_logged_modal(message: str) -> View:
    return View(type="modal", title="Meeting logged", close="Done", blocks=[section(message)])
