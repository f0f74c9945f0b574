"""Block Kit and words for `/mentor privacy`, `/mentor export` and `/mentor delete-my-data`."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    DividerBlock,
    HeaderBlock,
    PlainTextObject,
)

from bot.domain.text import join_labels
from bot.domain.vocabulary import sentence_case
from bot.presentation.common import context, section
from storage.my_data import PrivacyFacts

DELETE_ACTION = "my_data_delete"
KEEP_ACTION = "my_data_keep"

PRIVACY_TITLE = "Your data and who sees it"

WHO_SEES_WHAT = (
    "*Your goals*\n"
    "You can always see them. If you're a mentee, the mentors you're matched with see them too, "
    "so they can help you along.\n\n"
    "*Your meeting notes*\n"
    "Only you. They're never shown to your mentors, your circle or your coordinators.\n\n"
    "*Peers in your circle*\n"
    "They see a goal only when you choose to share it with `/mentor goal share N`.\n\n"
    "*Coordinators*\n"
    "They see numbers, like how many meetings took place or how many goals were reached. "
    "Never the words you wrote.\n\n"
    "*End-of-round feedback*\n"
    "Your answers are kept with your name so you can change them, export them or delete them, but "
    "coordinators only ever see them added up with others': counts and a score, shown once at least "
    "two people have answered, never who said what. A comment is kept only if you tick the box to share "
    "it anonymously, and reaches your coordinators without your name or the date.\n\n"
    "*Questions I couldn't answer*\n"
    "I count them. The words reach your coordinators only if you press *Pass it on anonymously*, "
    "and even then without your name or the day you asked.\n\n"
    '*Your "please don\'t match me with" list*\n'
    "Only the matching reads it. No person sees it, and nobody is told they're on it."
)


def how_long(retention_days: int) -> str:
    return (
        "*How long we keep things*\n"
        "Your profile, goals and notes stay until you delete them. Questions you passed on, the contents "
        f"of reminders we sent you and the details in the coordinators' log are cleared after {retention_days} "
        "days; only counts remain."
    )


YOUR_CHOICES = (
    "*Your copy, your call*\n"
    "• `/mentor export` sends you a file with everything we keep about you.\n"
    "• `/mentor delete-my-data` erases it. Only anonymous counts stay behind, with nothing that points "
    "back to you."
)

EXPORT_ON_ITS_WAY = "Your data is on its way. Look for a file in our direct messages in a moment."
EXPORT_NOTHING = (
    "We don't keep any data about you yet, so there's nothing to export. "
    "Once you join with `/mentor join`, this sends you a copy of everything you add."
)
EXPORT_COMMENT = (
    "Here's your copy of everything Mentor Circles keeps about you in this workspace: your profile, "
    "goals, meetings, your own notes and your circles. It's personal, so keep it somewhere safe."
)
EXPORT_TITLE = "Your Mentor Circles data"

DELETE_PROMPT = (
    "*Delete your data?*\n"
    'This erases your profile, your goals, your meeting notes and your "please don\'t match me with" '
    "list, and takes you out of your circle and mentorships. Your program keeps only anonymous counts, "
    "like how many meetings took place, with nothing that points back to you.\n\n"
    "This can't be undone. Want a copy first? Type `/mentor export`."
)
DELETE_PROMPT_TEXT = "Delete your Mentor Circles data? This can't be undone."
DELETED = (
    "Done: your data is deleted, and only anonymous counts remain. "
    "Thank you for being part of the program. You're welcome back any time with `/mentor join`."
)
NOTHING_TO_DELETE = "There's nothing of yours left to delete, so you're all set."
DELETE_EXPIRED = (
    "That button has expired, so nothing was deleted. "
    "Type `/mentor delete-my-data` again if you still want to."
)
KEPT = "Okay, nothing changed. Your data stays just as it was."


def _count(number: int, one: str, many: str, none: str) -> str:
    if number == 0:
        return none
    return f"{number} {one if number == 1 else many}"


def _readers(mentors: int) -> str:
    if mentors == 0:
        return "No mentor is matched with you yet, so only you can read your goals."
    if mentors == 1:
        return "Your mentor can read your goals too."
    return f"Your {mentors} mentors can read your goals too."


def facts_line(facts: PrivacyFacts | None) -> str:
    """What the member has stored right now, in two short sentences."""
    heading = "*What we keep about you right now*"
    if facts is None or not (facts.joined or facts.goals or facts.notes or facts.avoided or facts.mentors):
        return f"{heading}\nNothing yet. You haven't joined or added anything."
    goals = _count(facts.goals, "open goal", "open goals", "no open goals")
    if facts.shared_goals:
        goals += f" ({facts.shared_goals} shared with your circle)"
    parts = [
        goals,
        _count(facts.notes, "meeting note", "meeting notes", "no meeting notes"),
        _count(facts.avoided, "person", "people", "nobody") + " on your don't-match list",
    ]
    return f"{heading}\n{sentence_case(join_labels(parts))}. {_readers(facts.mentors)}"


def privacy_blocks(facts: PrivacyFacts | None, coordinators: str, retention_days: int) -> list[Block]:
    return [
        HeaderBlock(text=PRIVACY_TITLE),
        section(WHO_SEES_WHAT),
        section(how_long(retention_days)),
        DividerBlock(),
        section(facts_line(facts)),
        section(YOUR_CHOICES),
        context(f"Questions about privacy? Ask {coordinators}."),
    ]


def privacy_text() -> str:
    return (
        "Your goals are seen by you and, if you're a mentee, your mentors; your notes only by you. Peers see "
        "only goals you share; coordinators see counts, and a question's words only if you pass it on."
    )


def delete_prompt_blocks(issued_at: int) -> list[Block]:
    """The explanation with a red, confirmed "Delete my data" button (its value: when it was offered)."""
    confirm = ConfirmObject(
        title="Delete your data?",
        text=PlainTextObject(
            text="Your profile, goals, notes and don't-match list will be erased for good. This can't be undone."
        ),
        confirm="Delete my data",
        deny="Keep my data",
        style="danger",
    )
    return [
        section(DELETE_PROMPT),
        ActionsBlock(
            block_id="my_data_delete",
            elements=[
                ButtonElement(
                    text="Delete my data",
                    action_id=DELETE_ACTION,
                    value=str(issued_at),
                    style="danger",
                    confirm=confirm,
                ),
                ButtonElement(text="Keep my data", action_id=KEEP_ACTION),
            ],
        ),
    ]


def outcome_blocks(text: str) -> list[Block]:
    return [section(text)]
