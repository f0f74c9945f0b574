"""The shell itself: read a line, act as the current sandbox user, show what that user sees next."""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.domain.text import join_labels, plural
from bot.sandbox import FeedItem, SandboxClock, SentRequest, UserSession
from bot.shell.answers import AnswerError, parse_answer
from bot.shell.commands import CommandTable, builtin_commands
from bot.shell.environment import ShellEnvironment
from bot.shell.files import SavedFiles
from bot.shell.forms import Field, Form
from bot.shell.people import PEOPLE, person
from bot.shell.render import Control, Names, Numbering, Rendered, control_lines, escape_mentions
from bot.shell.surfaces import author_name, describe_conversation, render_item

logger = logging.getLogger(__name__)

SLASH_COMMANDS = ("/mentor",)
FIRST_REPLY_WAIT = 1.5
"""Seconds to wait for the app's first visible reply when its ack showed nothing."""
MORE_REPLIES_GRACE = 0.2
"""Seconds to keep listening after a reply, for the ones that follow it."""
MESSAGES_WAIT = 10.0
"""Seconds to wait at most for the DMs and files a request queued (a chart takes a moment to draw)."""
FORM_UPDATE_WAIT = 5.0
"""Seconds to wait at most for the app to rebuild a form after an answer that reshapes it."""
TIME_SHOWN = "%a %d %b %H:%M %Z"
"""How a message's local send time is shown in its heading, e.g. `Tue 14 Jan 09:00 CST`."""


@dataclass(frozen=True)
class ShownControl:
    """A numbered control and where it was seen: a message (feed item) or a view (Home tab, modal)."""

    control: Control
    item: FeedItem | None = None
    view_id: str | None = None


@dataclass
class Screen:
    """What one sandbox user has in front of them: kept while the shell is someone else (`:as`).

    Each control keeps its number for the life of the message or view it is in: the key is the surface
    (a message's channel and ts, or a view's id), the block, the action id and the value, which is what
    Slack's `block_actions` payload tells the app about the element pressed."""

    session: UserSession
    seen: int = 0
    controls: dict[int, ShownControl] = field(default_factory=dict)
    numbers: dict[tuple[str, str, str, str], int] = field(default_factory=dict)
    form: Form | None = None
    asked: tuple[str, str] | None = None
    on_surface: dict[str, set[int]] = field(default_factory=dict)
    retired: set[int] = field(default_factory=set)
    """Numbers of controls whose message was replaced, or that a newer version of it no longer has."""

    def showing(self, surface: str, numbers: set[int]) -> None:
        """The surface now shows these controls; any it showed before and no longer does are retired."""
        for gone in self.on_surface.get(surface, set()) - numbers:
            self.controls.pop(gone, None)
            self.retired.add(gone)
        self.on_surface[surface] = numbers

    def numbering(self, surface: str) -> Numbering:
        def number(block_id: str, element: dict[str, Any]) -> int:
            key = (surface, block_id, str(element.get("action_id", "")), str(element.get("value", "")))
            if key not in self.numbers:
                self.numbers[key] = len(self.numbers) + 1
            return self.numbers[key]

        return number


class Shell:
    def __init__(
        self,
        env: ShellEnvironment,
        stdout: TextIO,
        *,
        commands: CommandTable | None = None,
        first_reply_wait: float = FIRST_REPLY_WAIT,
        grace: float = MORE_REPLIES_GRACE,
        styled: bool = False,
        reset: Callable[[], ShellEnvironment] | None = None,
    ) -> None:
        self.out = stdout
        self.commands = commands or builtin_commands()
        self.first_reply_wait = first_reply_wait
        self.grace = grace
        self.styled = styled
        self._reset = reset
        self.running = True
        self.failures = 0
        self._start(env)

    def _start(self, env: ShellEnvironment) -> None:
        self.env = env
        self.files = SavedFiles(env.sandbox.state, env.files_folder or _default_files_folder())
        self.screens: dict[str, Screen] = {}
        self.user_id = PEOPLE[0].user_id

    @property
    def screen(self) -> Screen:
        """The current user's screen, made the first time they are used."""
        screen = self.screens.get(self.user_id)
        if screen is None:
            screen = self.screens[self.user_id] = Screen(self.env.session(self.user_id))
        return screen

    @property
    def session(self) -> UserSession:
        return self.screen.session

    @property
    def form(self) -> Form | None:
        return self.screen.form

    @form.setter
    def form(self, value: Form | None) -> None:
        self.screen.form = value

    @property
    def controls(self) -> dict[int, ShownControl]:
        return self.screen.controls

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
        here = directory.users.get(self.user_id)
        return Names(users, channels, styled=self.styled, tz=here.tz if here and here.tz else None)

    def local_time(self, moment: datetime) -> str:
        """`moment` in the current user's time zone, as message headings show it."""
        here = self.env.sandbox.state.directory.users.get(self.user_id)
        return moment.astimezone(ZoneInfo(here.tz if here and here.tz else "UTC")).strftime(TIME_SHOWN)

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
            if self.screen.asked != key:
                self.screen.asked = key
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
        details = person(human.name)
        who = f" ({human.real_name}, {details.role})" if details else f" ({human.real_name})"
        self.say(f"You are now @{human.name}{who}.")
        self.refresh()

    def open_home(self) -> None:
        """Open the Home tab: the app refreshes it, or else the Home as it was last published shows."""
        sent = self.session.app_home_opened()
        if self._show(self._collect(self.first_reply_wait if sent.status == 200 else 0, match=_is_home)):
            return
        view = self.env.sandbox.state.views.home(self.env.workspace.team_id, self.user_id)
        if view is None:
            self._report(sent, match=_is_home)
            return
        self._show([FeedItem(0, view.team_id, self.user_id, "home", self.clock(), view=view.to_slack())])

    def click(self, args: str) -> None:
        number, _, choice_text = args.strip().partition(" ")
        if not number.isdigit():
            self.say("Usage: :click N [CHOICE], where N is a number shown in [brackets].")
            return
        shown = self.controls.get(int(number))
        if shown is None and int(number) in self.screen.retired:
            self.say(
                f"[{number}] isn't there any more: the app has replaced that message since, "
                "so anything you chose there is already recorded."
            )
            return
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
        try:
            if shown.view_id is not None:
                view = self.env.sandbox.state.views.views[shown.view_id]
                self._act(
                    lambda: self.session.view_action(
                        view, control.action_id, choice, block_id=control.block_id
                    )
                )
            elif shown.item is not None:
                item = shown.item
                self._act(
                    lambda: self.session.message_action(
                        item, control.action_id, choice, block_id=control.block_id
                    )
                )
        except LookupError:
            self.say(f"[{number}] isn't there any more (the message or screen changed).")

    def reset(self) -> None:
        """Start again with a clean sandbox: no data, today's date, everyone as they were on day one."""
        if self._reset is None:
            self.say("This shell can't reset its sandbox.")
            return
        self._start(self._reset())
        now = self.local_time(self.clock())
        self.say(f"Started a clean sandbox: no programs, members or messages, and it is {now}.")
        self.banner()

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
        form = self.form
        try:
            dispatched = form.answer(line, self.names())
        except AnswerError as error:
            self.say(f"  ! {error}")
            self.screen.asked = None
            return
        if dispatched is not None:
            self._dispatch_answer(form, dispatched)
        elif form.complete:
            self._submit()

    def _dispatch_answer(self, form: Form, item: Field) -> None:
        """Tell the app about an answer to a `dispatch_action` input, as Slack does (`block_actions` with
        the view's id, hash and state), and follow the modal it rebuilds; the form goes on from there."""
        view = self.env.sandbox.state.views.views[form.view_id]
        answers = form.values()
        choice = answers.pop(item.action_id)
        sent = self.session.view_action(view, item.action_id, choice, block_id=item.block_id, values=answers)
        if sent.status == 200:
            self.env.sandbox.state.feed.wait_until(lambda: view.hash != form.view_hash, FORM_UPDATE_WAIT)
        self._report(sent, match=lambda shown: shown.kind == "modal_update", quiet=True)
        if self.form is form and form.complete:
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
                self.say(f"  The app sent the form back with a note on {join_labels(flagged)}.")
            self.say(*(f"  ! {message}" for message in unknown.values()))
            self.screen.asked = None
            return
        if sent.status == 200:
            self.form = None
            self.say(f"  Sent: {form.title}.")
        self._report(sent, match=lambda item: item.kind != "modal_close", quiet=True)

    def _sync_form(self, names: Names) -> Rendered:
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
        form = Form.from_view(top.to_slack(), names, numbering=self.screen.numbering(top.id))
        if self.form is not None and self.form.view_id == top.id:
            form.carry_over(self.form)
        self.form = form
        self.screen.asked = None
        lines = [f"--- Form: {form.title} ---", *form.intro.lines]
        if form.fields and form.can_submit:
            count = len(form.fields)
            lines.append(
                f"  {plural(count, 'field')} to fill in, one at a time. "
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
        shown = self._show(self._collect(wait, match=match))
        if sent.status == 200 and self._wait_for_queued_messages():
            shown = self._show(self._collect(0)) or shown
        if not shown and sent.status == 200 and not quiet:
            self.say("  (Nothing came back yet; replies show up here when they arrive.)")

    def _wait_for_queued_messages(self) -> bool:
        """Like someone watching Slack for a moment: wait until the DMs, files and Home refresh the request
        queued have been done (up to MESSAGES_WAIT seconds); True when there were any."""
        if not self.env.messages_on_the_way(self.user_id):
            return False
        deadline = time.monotonic() + MESSAGES_WAIT
        while self.env.messages_on_the_way(self.user_id) and time.monotonic() < deadline:
            time.sleep(0.05)
        return True

    def _collect(
        self,
        first_wait: float,
        *,
        grace: float | None = None,
        match: Callable[[FeedItem], bool] | None = None,
    ) -> list[FeedItem]:
        feed = self.env.sandbox.state.feed
        team, user = self.env.workspace.team_id, self.user_id
        after = self.screen.seen
        grace = self.grace if grace is None else grace
        if feed.wait_for(team, user, after=after, timeout=first_wait, match=match) is not None and grace > 0:
            last = feed.items(team, user, after)[-1].seq
            while feed.wait_for(team, user, after=last, timeout=grace) is not None:
                last = feed.items(team, user, last)[-1].seq
        return feed.items(team, user, after)

    def _show(self, items: list[FeedItem]) -> bool:
        """Print the items (and the form, if a modal opened or changed); True when anything was shown."""
        screen = self.screen
        if items:
            screen.seen = max(screen.seen, items[-1].seq)
        names = self.names()
        batch = Rendered()
        for item in items:
            if item.kind == "message" and item.data.get("user") == self.user_id:
                continue
            if item.data.get("replaces"):
                screen.showing(f"{item.channel}:{item.data['replaces']}", set())
            if item.kind == "ephemeral_deleted":
                batch.extend(self._render(item, names, screen.numbering("")))
                continue
            view_id = item.view.get("id") if item.kind == "home" and item.view else None
            surface = view_id or f"{item.channel}:{item.ts or item.seq}"
            rendered = self._render(item, names, screen.numbering(surface))
            for control in rendered.controls:
                screen.controls[control.number] = ShownControl(control, None if view_id else item, view_id)
            if item.kind != "message_deleted":
                screen.showing(surface, {control.number for control in rendered.controls})
            else:
                screen.showing(surface, set())
            batch.extend(rendered)
        form = self._sync_form(names)
        if form.controls and self.form is not None:
            for control in form.controls:
                screen.controls[control.number] = ShownControl(control, view_id=self.form.view_id)
        batch.extend(form)
        if batch.lines:
            self.say(*batch.lines)
        return bool(batch.lines)

    def _render(self, item: FeedItem, names: Names, numbering: Numbering) -> Rendered:
        state = self.env.sandbox.state
        bot = self.env.workspace.bot_user_id
        conversation = state.directory.conversations.get(item.channel or "")
        where = describe_conversation(conversation, self.user_id, bot, names)
        author = author_name(item.data.get("user"), bot, names)
        files = [self.files.line(shared) for shared in item.data.get("files") or []]
        return render_item(
            item,
            names,
            where=where,
            author=author,
            when=self.local_time(item.at),
            files=files,
            numbering=numbering,
        )

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


def _is_home(item: FeedItem) -> bool:
    return item.kind == "home"


def _default_files_folder() -> Path:
    return Path(tempfile.gettempdir()) / "mentor-circles-shell-files"
