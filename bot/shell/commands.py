"""The shell's own `:commands`, kept in a table so a new one is a single `register(...)` line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

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
    table.register(":help", lambda shell, _: shell.show_help(), "", "show these commands", aliases=(":?",))
    table.register(":quit", lambda shell, _: shell.stop(), "", "leave the shell", aliases=(":exit", ":q"))
    return table
