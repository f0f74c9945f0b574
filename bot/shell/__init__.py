"""`mentor-circles shell`: try the app with no Slack at all.

The real app and database run against a sandbox Slack workspace in the same process; the terminal is
one of the sandbox's people. See `bot.shell.repl` for the commands.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.shell.commands import CommandTable, ShellCommand, builtin_commands
from bot.shell.environment import ShellEnvironment, erase_everything, shell_environment
from bot.shell.logfile import LOG_FILE, logs_to_file
from bot.shell.repl import Shell

__all__ = [
    "LOG_FILE",
    "CommandTable",
    "Shell",
    "ShellCommand",
    "ShellEnvironment",
    "builtin_commands",
    "run_shell",
    "shell_environment",
    "supports_styles",
]


def run_shell(
    settings: Settings,
    *,
    script: str | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Run the shell until :quit or the end of input; 0 when everything worked, 1 when something failed."""
    out = stdout or sys.stdout
    try:
        source = open(script, encoding="utf-8") if script else (stdin or sys.stdin)  # noqa: SIM115
    except OSError as error:
        out.write(f"mentor-circles shell: cannot read the script {script} ({error.strerror}).\n")
        return 2
    try:
        with logs_to_file(settings.log_level), contextlib.ExitStack() as running:
            env = running.enter_context(shell_environment(settings))

            def reset() -> ShellEnvironment:
                running.close()
                erase_everything(settings)
                return running.enter_context(shell_environment(settings))

            reader = _reader(source, out, interactive=script is None and _is_terminal(source, out))
            note = f"(Logs go to {LOG_FILE}; your data is kept in {_where(settings.database_url)}.)"
            shell = Shell(env, out, styled=supports_styles(out), reset=reset)
            return shell.run(reader, notes=(note,))
    finally:
        if script:
            source.close()


def supports_styles(out: TextIO) -> bool:
    """Bold, code and links as terminal styles only on a terminal that shows them (and not with NO_COLOR)."""
    isatty = getattr(out, "isatty", None)
    return bool(
        isatty is not None
        and isatty()
        and os.environ.get("TERM", "") not in ("", "dumb")
        and "NO_COLOR" not in os.environ
    )


def _reader(source: TextIO, out: TextIO, *, interactive: bool) -> Callable[[str], str | None]:
    """Read a line after showing the prompt; without a terminal, echo it so the transcript reads well."""
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())

        def ask(prompt: str) -> str | None:
            try:
                return input(prompt)
            except EOFError:
                out.write("\n")
                return None
            except KeyboardInterrupt:
                out.write("\n(Ctrl-D or :quit leaves the shell.)\n")
                return ""

        return ask

    def read(prompt: str) -> str | None:
        out.write(prompt)
        line = source.readline()
        if not line:
            out.write("\n")
            out.flush()
            return None
        out.write(line if line.endswith("\n") else line + "\n")
        out.flush()
        return line.rstrip("\r\n")

    return read


def _is_terminal(source: TextIO, out: TextIO) -> bool:
    return source is sys.stdin and out is sys.stdout and sys.stdin.isatty() and sys.stdout.isatty()


def _where(database_url: str) -> str:
    if database_url.startswith("sqlite:///"):
        return str(Path(database_url.removeprefix("sqlite:///")).resolve())
    return "the configured database"
