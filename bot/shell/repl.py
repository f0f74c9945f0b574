"""The shell itself: read a line, act as the current sandbox user, show what that user sees next."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from bot.sandbox import FeedItem, SandboxClock, SentRequest, UserSession
from bot.shell.answers import AnswerError, parse_answer
from bot.shell.commands import CommandTable, builtin_commands
from bot.shell.environment import ShellEnvironment
from bot.shell.forms import Form
from bot.shell.people import PEOPLE, person
from bot.shell.render import Control, Names, Rendered, control_lines, escape_mentions
from bot.shell.surfaces import author_name, describe_conversation, render_item

logger = logging.getLogger(__name__)

SLASH_COMMANDS = ("/mentor",)
FIRST_REPLY_WAIT = 1.5
"""Seconds to wait for the app's first visible reply when its ack showed nothing."""
MORE_REPLIES_GRACE = 0.2
"""Seconds to keep listening after a reply, for the ones that follow it."""


@dataclass(frozen=True)
class ShownControl:
    """A numbered control and where it was seen: a message (feed item) or a view (Home tab, modal)."""

    control: Control
    item: FeedItem | None = None
    view_id: str | None = None


class Shell:
    def __init__(
        self,
        env: ShellEnvironment,
        stdout: TextIO,
        *,
        commands: CommandTable | None = None,
        first_reply_wait: float = FIRST_REPLY_WAIT,
        grace: float = MORE_REPLIES_GRACE,
    ) -> None:
        self.env = env
        self.out = stdout
        self.commands = commands or builtin_commands()
        self.first_reply_wait = first_reply_wait
        self.grace = grace
        self.user_id = PEOPLE[0].user_id
        self.session: UserSession = env.session(self.user_id)
        self.seen: dict[str, int] = {}
        self.controls: dict[int, ShownControl] = {}
        self.form: Form | None = None
        self.running = True
        self.failures = 0
        self._asked: tuple[str, str] | None = None

    # -- output ------------------------------------------------------------------------------------

    def say(self, *lines: str) -> None:
        for line in lines:
            self.out.write(line + "\n")
        self.out.flush()

    @property
    def clock(self) -> SandboxClock:
        """The time the app and the sandbox both see; moving it is how the shell travels in time."""
        return self.env.clock

    @property
    def handle(self) -> str:
        return self.session.user.name

    def names(self) -> Names:
        directory = self.env.sandbox.state.directory
        with self.env.sandbox.state.lock:
            users = {u.id: u.name for u in directory.team_users(self.env.workspace.team_id)}
            channels = {
                c.id: c.name
                for c in directory.conversations.values()
                if c.team_id == self.env.workspace.team_id and c.kind in ("public", "private")
            }
        return Names(users, channels)

    def banner(self) -> None:
        me = person(self.handle)
        who = f" ({me.real_name}, {me.role})" if me else ""
        self.say(
            f"Mentor Circles shell: the real app and database, with a pretend Slack workspace "
            f"({self.env.workspace.name}).",
            f"You are @{self.handle}{who}. Try /mentor help, :home or :users; :help lists the shell commands.",
        )

    def next_prompt(self) -> str:
        """The prompt for the next line, printing what goes before it (a field's options, errors) once."""
        form = self.form
        if form is not None and form.current is not None:
            item, names = form.current, self.names()
            key = (form.view_id + form.view_hash, item.action_id + str(len(form.queue)))
            if self._asked != key:
                self._asked = key
                lines = form.describe(item, names)
                if lines:
                    self.say(*lines)
            return form.prompt(item, names)
        if form is not None and form.can_submit:
            return f"  Press Enter to send ({form.submit_label}), or :cancel to close the form: "
        return f"{self.handle}> "

    # -- input -------------------------------------------------------------------------------------

    def run_line(self, line: str) -> None:
        """Act on one line of input; problems are reported, never raised."""
        try:
            self._dispatch(line.rstrip("\r\n"))
        except Exception as error:
            self.failures += 1
            logger.exception("shell command failed")
            self.say(
                f"Sorry, the shell hit a problem ({type(error).__name__}: {error}). Details are in the log."
            )

    def _dispatch(self, line: str) -> None:
        stripped = line.strip()
        word, _, arguments = stripped.partition(" ")
        command = self.commands.find(word) if word.startswith(":") else None
        if command is not None:
            command.run(self, arguments.strip())
            return
        form = self.form
        if form is not None and form.current is not None:
            self._answer(line)
            return
        if form is not None and form.can_submit and not stripped:
            self._submit()
            return
        if not stripped:
            return
        if stripped.startswith("/"):
            if word.lower() in SLASH_COMMANDS:
                text = escape_mentions(arguments.strip(), self.names())
                self._act(lambda: self.session.slash_command(word.lower(), text))
            else:
                self.say(f"{word} isn't a command in this workspace. Try {' or '.join(SLASH_COMMANDS)} help.")
            return
        if stripped.startswith(":"):
            self.say(f"I don't know {word}. Type :help to see the shell commands.")
            return
        self.say(
            "To talk to the app, type a slash command like /mentor help. :help lists the shell commands."
        )

    # -- commands ----------------------------------------------------------------------------------

    def stop(self) -> None:
        self.running = False

    def show_help(self) -> None:
        width = max(len(c.synopsis) for c in self.commands)
        lines = [f"  {c.synopsis.ljust(width)}  {c.summary}" for c in self.commands]
        self.say(
            "Type what you would type in Slack, e.g. /mentor help. Shell commands:",
            *lines,
            "In a form, answer each field in turn; Enter keeps what is there or skips an optional field.",
        )

    def show_users(self) -> None:
        coordinators = set(self.env.settings.coordinator_user_ids)
        rows = []
        for user in self.env.users:
            details = person(user.name)
            role = details.role if details else ""
            marks = [
                m
                for m in (
                    "coordinator" if user.id in coordinators else "",
                    "you" if user.id == self.user_id else "",
                )
                if m
            ]
            note = f"  ({', '.join(marks)})" if marks else ""
            rows.append((f"@{user.name}", user.real_name, role, user.tz + note))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.say(
            *(
                "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[3]
                for row in rows
            )
        )
        self.say("Switch with :as @name.")

    def switch_to(self, typed: str) -> None:
        if not typed.strip():
            self.say("Who would you like to be? e.g. :as @ben (:users lists everyone).")
            return
        user_id = self.names().user_id(typed.split()[0])
        human = next((u for u in self.env.users if u.id == user_id), None)
        if human is None:
            self.say(f"There's nobody called {typed.strip()} here; :users lists everyone.")
            return
        self.user_id = human.id
        self.session = self.env.session(human.id)
        self.form = None
        self.controls = {}
        details = person(human.name)
        who = f" ({human.real_name}, {details.role})" if details else f" ({human.real_name})"
        self.say(f"You are now @{human.name}{who}.")
        self.refresh()

    def open_home(self) -> None:
        self._act(self.session.app_home_opened, match=lambda item: item.kind == "home")

    def click(self, args: str) -> None:
        number, _, choice_text = args.strip().partition(" ")
        if not number.isdigit():
            self.say("Usage: :click N [CHOICE], where N is a number shown in [brackets].")
            return
        shown = self.controls.get(int(number))
        if shown is None:
            available = (
                f" (on screen now: {min(self.controls)} to {max(self.controls)})" if self.controls else ""
            )
            self.say(f"There's no [{number}] on screen{available}.")
            return
        control, names = shown.control, self.names()
        choice = None
        if control.needs_choice:
            if not choice_text.strip():
                self.say(*control_lines(control, names), f"Choose with :click {number} CHOICE.")
                return
            try:
                choice = parse_answer(control.element, choice_text, names)
            except AnswerError as error:
                self.say(f"  ! {error}")
                return
        if shown.view_id is not None:
            view = self.env.sandbox.state.views.views[shown.view_id]
            self._act(lambda: self.session.view_action(view, control.action_id, choice))
        elif shown.item is not None:
            item = shown.item
            try:
                self._act(lambda: self.session.message_action(item, control.action_id, choice))
            except LookupError:
                self.say("That one isn't there any more (the message changed).")

    def cancel_form(self) -> None:
        stack = self.env.sandbox.state.views.modal_stack(self.env.workspace.team_id, self.user_id)
        if not stack:
            self.say("There's no form open.")
            return
        self.session.close_modal()
        self.form = None
        self.say("Closed the form without sending it.")
        self._show(self._collect(0, grace=self.grace))

    # -- forms -------------------------------------------------------------------------------------

    def _answer(self, line: str) -> None:
        assert self.form is not None
        try:
            self.form.answer(line, self.names())
        except AnswerError as error:
            self.say(f"  ! {error}")
            self._asked = None
            return
        if self.form.complete:
            self._submit()

    def _submit(self) -> None:
        form = self.form
        assert form is not None
        view = self.env.sandbox.state.views.views[form.view_id]
        sent = self.session.view_submission(view, form.values())
        if sent.status == 200 and sent.errors:
            unknown = form.reject(sent.errors)
            flagged = [item.label for item in form.queue]
            if flagged:
                self.say(f"  The app sent the form back with a note on {_and_list(flagged)}.")
            self.say(*(f"  ! {message}" for message in unknown.values()))
            self._asked = None
            return
        if sent.status == 200:
            self.form = None
            self.say(f"  Sent: {form.title}.")
        self._report(sent, match=lambda item: item.kind != "modal_close", quiet=True)

    def _sync_form(self, names: Names, first_number: int) -> Rendered:
        """Follow the user's top modal: a new or changed one becomes the form; a closed one ends it."""
        stack = self.env.sandbox.state.views.modal_stack(self.env.workspace.team_id, self.user_id)
        top = stack[-1] if stack else None
        if top is None:
            if self.form is not None:
                self.form = None
                return Rendered(["  (The form closed.)"])
            return Rendered()
        if self.form is not None and (self.form.view_id, self.form.view_hash) == (top.id, top.hash):
            return Rendered()
        form = Form.from_view(top.to_slack(), names, first_number=first_number)
        if self.form is not None and self.form.view_id == top.id:
            form.carry_over(self.form)
        self.form = form
        self._asked = None
        lines = [f"--- Form: {form.title} ---", *form.intro.lines]
        if form.fields and form.can_submit:
            count = len(form.fields)
            lines.append(
                f"  {count} field{'s' if count != 1 else ''} to fill in, one at a time. "
                "Enter keeps what is there or skips an optional one; :cancel closes the form."
            )
        elif not form.can_submit:
            lines.append("  (Nothing to send here; :cancel closes it.)")
        return Rendered(lines, form.intro.controls)

    # -- what the user sees ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show anything new for the current user (replies that came late, messages from others)."""
        self._show(self._collect(0, grace=0))

    def _act(self, send: Callable[[], SentRequest], match: Callable[[FeedItem], bool] | None = None) -> None:
        self._report(send(), match)

    def _report(
        self, sent: SentRequest, match: Callable[[FeedItem], bool] | None = None, *, quiet: bool = False
    ) -> None:
        if sent.status != 200:
            self.failures += 1
            reason = " (nothing in the app handles that yet)" if sent.status == 404 else ""
            self.say(f"The app answered HTTP {sent.status}{reason}.")
        wait = 0.0 if sent.status != 200 else self.first_reply_wait
        if not self._show(self._collect(wait, match=match)) and sent.status == 200 and not quiet:
            self.say("  (Nothing came back yet; replies show up here when they arrive.)")

    def _collect(
        self,
        first_wait: float,
        *,
        grace: float | None = None,
        match: Callable[[FeedItem], bool] | None = None,
    ) -> list[FeedItem]:
        feed = self.env.sandbox.state.feed
        team, user = self.env.workspace.team_id, self.user_id
        after = self.seen.get(user, 0)
        grace = self.grace if grace is None else grace
        if feed.wait_for(team, user, after=after, timeout=first_wait, match=match) is not None and grace > 0:
            last = feed.items(team, user, after)[-1].seq
            while feed.wait_for(team, user, after=last, timeout=grace) is not None:
                last = feed.items(team, user, last)[-1].seq
        return feed.items(team, user, after)

    def _show(self, items: list[FeedItem]) -> bool:
        """Print the items (and the form, if a modal opened or changed); True when anything was shown."""
        if items:
            self.seen[self.user_id] = items[-1].seq
        names = self.names()
        batch = Rendered()
        shown: dict[int, ShownControl] = {}
        for item in items:
            if item.kind == "message" and item.data.get("user") == self.user_id:
                continue
            rendered = self._render(item, names, len(batch.controls) + 1)
            view_id = item.view.get("id") if item.kind == "home" and item.view else None
            for control in rendered.controls:
                shown[control.number] = ShownControl(control, None if view_id else item, view_id)
            batch.extend(rendered)
        form = self._sync_form(names, len(batch.controls) + 1)
        if form.controls and self.form is not None:
            for control in form.controls:
                shown[control.number] = ShownControl(control, view_id=self.form.view_id)
        batch.extend(form)
        if shown:
            self.controls = shown
        if batch.lines:
            self.say(*batch.lines)
        return bool(batch.lines)

    def _render(self, item: FeedItem, names: Names, first_number: int) -> Rendered:
        state = self.env.sandbox.state
        bot = self.env.workspace.bot_user_id
        conversation = state.directory.conversations.get(item.channel or "")
        where = describe_conversation(conversation, self.user_id, bot, names)
        author = author_name(item.data.get("user"), bot, names)
        return render_item(item, names, where=where, author=author, first_number=first_number)

    # -- the loop ----------------------------------------------------------------------------------

    def run(self, read: Callable[[str], str | None], notes: tuple[str, ...] = ()) -> int:
        """Read lines with `read(prompt)` (None at the end of input) until :quit; 0, or 1 if anything failed."""
        self.banner()
        self.say(*notes)
        while self.running:
            self.refresh()
            line = read(self.next_prompt())
            if line is None:
                break
            self.run_line(line)
        return 1 if self.failures else 0


def _and_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
