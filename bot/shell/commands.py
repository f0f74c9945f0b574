"""The shell's own `:commands`, kept in a table so a new one is a single `register(...)` line."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.domain.text import plural
from bot.nudges.clock import tick
from bot.nudges.delivery import DeliveryOptions
from bot.nudges.pacing import Pace

if TYPE_CHECKING:
    from bot.shell.repl import Shell

Handler = Callable[["Shell", str], None]


@dataclass(frozen=True)
class ShellCommand:
    name: str
    run: Handler
    usage: str
    summary: str
    aliases: tuple[str, ...] = ()

    @property
    def synopsis(self) -> str:
        return f"{self.name} {self.usage}".strip()


class CommandTable:
    def __init__(self) -> None:
        self._commands: dict[str, ShellCommand] = {}
        self._names: dict[str, str] = {}

    def register(
        self, name: str, run: Handler, usage: str = "", summary: str = "", *, aliases: tuple[str, ...] = ()
    ) -> None:
        """Add `name` (e.g. `:advance`) and its aliases; `run(shell, arguments)` does the work."""
        for word in (name, *aliases):
            if word in self._names:
                raise ValueError(f"{word} is registered twice")
            self._names[word] = name
        self._commands[name] = ShellCommand(name, run, usage, summary, aliases)

    def find(self, word: str) -> ShellCommand | None:
        name = self._names.get(word.lower())
        return self._commands[name] if name else None

    def __iter__(self) -> Iterator[ShellCommand]:
        return iter(self._commands.values())


def builtin_commands() -> CommandTable:
    table = CommandTable()
    table.register(":users", lambda shell, _: shell.show_users(), "", "list the people in the sandbox")
    table.register(
        ":as", lambda shell, args: shell.switch_to(args), "@NAME", "become someone else, e.g. :as @ben"
    )
    table.register(":home", lambda shell, _: shell.open_home(), "", "open your App Home tab")
    table.register(
        ":click",
        lambda shell, args: shell.click(args),
        "N [CHOICE]",
        "press button N, or choose CHOICE (a number or value) in menu N",
    )
    table.register(
        ":cancel", lambda shell, _: shell.cancel_form(), "", "close the open form without sending it"
    )
    table.register(
        ":advance",
        advance,
        "DURATION",
        "move the clock forward (e.g. 3d, 2w, 1d6h) and deliver the nudges that fall due",
    )
    table.register(
        ":reset", lambda shell, _: shell.reset(), "", "start again with a clean sandbox (erases its data)"
    )
    table.register(":help", lambda shell, _: shell.show_help(), "", "show these commands", aliases=(":?",))
    table.register(":quit", lambda shell, _: shell.stop(), "", "leave the shell", aliases=(":exit", ":q"))
    return table


DURATION_PART = re.compile(r"(\d+)\s*(w|d|h|m)", re.IGNORECASE)
DURATION_UNITS = {
    "w": timedelta(weeks=1),
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
}
MAX_ADVANCE = timedelta(weeks=26)
ADVANCE_STEP = timedelta(hours=1)


def parse_duration(text: str) -> timedelta | None:
    """`3d`, `2w`, `1d 6h`, `90m`: None unless the whole text is made of such parts."""
    compact = text.strip().lower()
    parts = DURATION_PART.findall(compact)
    if not parts or DURATION_PART.sub("", compact).strip():
        return None
    return sum((int(amount) * DURATION_UNITS[unit] for amount, unit in parts), timedelta())


def advance(shell: Shell, arguments: str) -> None:
    """Move the sandbox clock forward an hour at a time, planning and delivering at each step, as the
    clock and a delivery worker would; the nudges then show up like any other message."""
    delta = parse_duration(arguments)
    if delta is None or not timedelta() < delta <= MAX_ADVANCE:
        shell.say(
            "Usage: :advance DURATION, e.g. :advance 3d, :advance 2w or :advance 1d6h (up to 26 weeks)."
        )
        return
    services, clock = shell.env.services, shell.clock
    options = DeliveryOptions(pace=Pace(per_minute=600))
    target = clock() + delta
    sent = 0
    while clock() < target:
        hour = clock().replace(minute=0, second=0, microsecond=0) + ADVANCE_STEP
        clock.set(min(hour, target))
        result = tick(services, deliver=True, options=options)
        sent += result.delivery.sent if result.delivery else 0
    shell.env.save_clock()
    here = shell.env.sandbox.state.directory.users.get(shell.user_id)
    local = _local(clock(), here.tz if here else None)
    shell.say(f"It is now {local}. {plural(sent, 'nudge')} went out on the way.")


def _local(moment: datetime, tz: str | None) -> str:
    zone = ZoneInfo(tz) if tz else ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%A %d %B %Y, %H:%M %Z")
