"""A modal as a terminal form: the fields to ask for, one at a time, and the answers so far.

The form is plain state; the shell prints its prompts, feeds it each line typed and submits
`values()` when it is complete. Slack's client rules apply before anything is sent: required fields
must be filled, and answers must fit their element.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.shell.answers import AnswerError, parse_answer
from bot.shell.render import (
    MULTI_CHOICE,
    NO_NAMES,
    SINGLE_CHOICE,
    Names,
    Numbering,
    Rendered,
    all_options,
    describe_initial,
    option_label,
    render_blocks,
    text_of,
)

_ANSWER_HINTS = {
    "number_input": "a number",
    "users_select": "a name, e.g. @ben",
    "multi_users_select": "names separated by commas, e.g. @ben, @dev",
    "conversations_select": "a channel, e.g. #residents",
    "channels_select": "a channel, e.g. #residents",
    "multi_conversations_select": "channels separated by commas",
    "multi_channels_select": "channels separated by commas",
    "datepicker": "YYYY-MM-DD",
    "timepicker": "HH:MM",
}


@dataclass(frozen=True)
class Field:
    block_id: str
    action_id: str
    label: str
    element: dict[str, Any]
    optional: bool = False
    hint: str = ""
    dispatches: bool = False
    """The block has `dispatch_action`: answering it tells the app, which may rebuild the form."""

    @property
    def kind(self) -> str:
        return str(self.element.get("type", ""))


@dataclass
class Form:
    view_id: str
    view_hash: str
    title: str
    submit_label: str | None
    fields: list[Field]
    intro: Rendered = field(default_factory=Rendered)
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    queue: list[Field] = field(default_factory=list)

    @classmethod
    def from_view(
        cls,
        view: dict[str, Any],
        names: Names = NO_NAMES,
        *,
        view_hash: str = "",
        first_number: int = 1,
        numbering: Numbering | None = None,
    ) -> Form:
        """A form for a modal's payload (`title`, `submit`, `blocks`, with block and action ids filled in)."""
        blocks = list(view.get("blocks") or [])
        fields = [_field(block, names) for block in blocks if _is_field(block)]
        others = [block for block in blocks if not _is_field(block)]
        submit = text_of(view.get("submit"), names) or None
        return cls(
            view_id=str(view.get("id", "")),
            view_hash=view_hash or str(view.get("hash", "")),
            title=text_of(view.get("title"), names),
            submit_label=submit,
            fields=fields,
            intro=render_blocks(others, names, first_number=first_number, numbering=numbering),
            queue=list(fields) if submit else [],
        )

    @property
    def current(self) -> Field | None:
        return self.queue[0] if self.queue else None

    @property
    def can_submit(self) -> bool:
        return self.submit_label is not None

    @property
    def complete(self) -> bool:
        return self.can_submit and not self.queue

    def shown_value(self, item: Field, names: Names = NO_NAMES) -> str:
        """What Enter keeps: the earlier answer, else the preset value."""
        if item.action_id in self.answers:
            return _describe_answer(item, self.answers[item.action_id], names)
        return describe_initial(item.element, names)

    def describe(self, item: Field, names: Names = NO_NAMES) -> list[str]:
        """Lines shown before asking for a field: its error, hint and numbered options."""
        lines = []
        if item.block_id in self.errors:
            lines.append(f"  ! {self.errors[item.block_id]}")
        if item.hint:
            lines.append(f"    {item.hint}")
        if item.kind in SINGLE_CHOICE or item.kind in MULTI_CHOICE:
            how = "choose one" if item.kind in SINGLE_CHOICE else "choose any: numbers separated by commas"
            lines.append(f"    ({how})")
            lines.extend(
                f"      {n}. {option_label(option, names)}"
                for n, option in enumerate(all_options(item.element), 1)
            )
        return lines

    def prompt(self, item: Field, names: Names = NO_NAMES) -> str:
        notes = [_ANSWER_HINTS[item.kind]] if item.kind in _ANSWER_HINTS else []
        if item.element.get("multiline"):
            notes.append("one line; \\n starts a new one")
        shown = self.shown_value(item, names)
        if shown:
            notes.append(f"Enter keeps {shown}")
        elif item.optional:
            notes.append("optional, Enter skips")
        return f"  {item.label}" + (f" ({'; '.join(notes)})" if notes else "") + ": "

    def answer(self, raw: str, names: Names = NO_NAMES) -> Field | None:
        """Take an answer for the current field and move on; raises AnswerError to ask again. Returns the
        field when its new answer is one the app hears about at once (a `dispatch_action` input)."""
        item = self.current
        if item is None:
            return None
        if not raw.strip():
            if not (item.action_id in self.answers or _has_initial(item.element) or item.optional):
                raise AnswerError("This one is required: type an answer, or :cancel to close the form.")
            answered = False
        else:
            self.answers[item.action_id] = parse_answer(item.element, raw, names)
            answered = True
        self.errors.pop(item.block_id, None)
        self.queue.pop(0)
        return item if answered and item.dispatches else None

    def values(self) -> dict[str, Any]:
        """Answers by action_id, as `UserSession.view_submission` takes them (unanswered fields keep presets)."""
        return dict(self.answers)

    def reject(self, errors: dict[str, str]) -> dict[str, str]:
        """The app's `response_action: errors`: ask again for those fields. Returns errors for unknown blocks."""
        self.errors = dict(errors)
        self.queue = [item for item in self.fields if item.block_id in errors]
        known = {item.block_id for item in self.fields}
        return {block_id: message for block_id, message in errors.items() if block_id not in known}

    def carry_over(self, earlier: Form) -> None:
        """Keep answers typed into an earlier version of this modal, for fields that are still the same
        kind, and go on from where the earlier one was: the fields it had already asked are not asked
        again, the ones it had not, and any new ones, are (in the modal's order)."""
        kinds = {item.action_id: item.kind for item in self.fields}
        for item in earlier.fields:
            if item.action_id in earlier.answers and kinds.get(item.action_id) == item.kind:
                self.answers[item.action_id] = earlier.answers[item.action_id]
        if self.can_submit:
            asked = {item.action_id for item in earlier.fields if item not in earlier.queue}
            self.queue = [item for item in self.fields if item.action_id not in asked]


def _is_field(block: dict[str, Any]) -> bool:
    return block.get("type") == "input" and isinstance(block.get("element"), dict)


def _field(block: dict[str, Any], names: Names) -> Field:
    element = block["element"]
    return Field(
        block_id=str(block.get("block_id", "")),
        action_id=str(element.get("action_id", "")),
        label=text_of(block.get("label"), names),
        element=element,
        optional=bool(block.get("optional")),
        hint=text_of(block.get("hint"), names),
        dispatches=bool(block.get("dispatch_action")),
    )


def _has_initial(element: dict[str, Any]) -> bool:
    return bool(describe_initial(element))


def _describe_answer(item: Field, answer: Any, names: Names) -> str:
    if isinstance(answer, dict) and "value" in answer:
        return option_label(answer, names)
    if isinstance(answer, list):
        return ", ".join(_describe_answer(item, part, names) for part in answer) or "nothing"
    if item.kind in ("users_select", "multi_users_select"):
        return names.user(str(answer))
    if isinstance(answer, dict):
        return text_of(answer, names) or "your text"
    return str(answer).replace("\n", "\\n")
