"""The shell as a faithful Slack: the button pressed is the one acted on, files appear, time shows, and
the sandbox keeps its clock, resets cleanly and keeps each person's screen. Scripted with `--script`."""

from __future__ import annotations

import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import text

from bot.config import Settings
from bot.shell import ShellEnvironment, run_shell, supports_styles
from bot.shell.render import BOLD, CODE, ESC, Names, mrkdwn
from storage.db import Database
from tests.e2e.test_shell import Received, Terminal, bot, env, plain, terminal  # noqa: F401  (fixtures)

JOIN = ["/mentor join", "1,3", "3", "7", "1", "1", "2", "", "", "", ""]
"""Alice joins as a mentee and peer through the join form (as in test_shell's whole member flow)."""
ADD_PROGRAM = ["/mentor admin program add Faculty Mentoring", "2", *[""] * 30]
"""Carmen adds a second program, 1:1 mentoring (so no circle sizes are asked), keeping every other setting
(spare Enters after the form closes do nothing)."""


def settings_for(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'shell.db'}")


def script(tmp_path: Path, lines: list[str], name: str = "script.txt") -> str:
    """Run `mentor-circles shell --script FILE` on these lines (in-process); the transcript."""
    path = tmp_path / name
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    out = StringIO()
    code = run_shell(settings_for(tmp_path), script=str(path), stdout=out)
    assert code == 0, out.getvalue()
    return out.getvalue()


def number_of(output: str, after: str, label: str) -> int:
    """The [N] of the first control labelled `label` shown after the line containing `after`."""
    tail = output[output.rindex(after) :]
    return int(re.search(rf"^\[(\d+)\] {re.escape(label)}$", tail, re.MULTILINE).group(1))  # type: ignore[union-attr]


def query(tmp_path: Path, sql: str) -> list[Any]:
    db = Database(settings_for(tmp_path).database_url)
    try:
        with db.engine.connect() as connection:
            return list(connection.execute(text(sql)).all())
    finally:
        db.dispose()


# -- pressing the right button ----------------------------------------------------------------------


def test_two_done_buttons_on_one_home_act_on_their_own_goals(tmp_path: Path) -> None:
    script(tmp_path, [*JOIN, ":cancel", "/mentor goal add First goal", "/mentor goal add Second goal"])
    shown = script(tmp_path, [":home"])
    second = number_of(shown, "*#2* Second goal", "Done")
    assert second != number_of(shown, "*#1* First goal", "Done")
    after = script(tmp_path, [":home", f":click {second}"])
    home = after.split(f"alice> :click {second}")[1]
    assert "*#1* First goal" in home and "*#2* Second goal" not in home
    assert query(tmp_path, "SELECT number, status FROM goals ORDER BY number") == [(1, "open"), (2, "done")]


def test_the_second_programs_preview_and_edit_act_on_it(tmp_path: Path) -> None:
    script(tmp_path, [":as carmen", *ADD_PROGRAM])
    shown = script(tmp_path, [":as carmen", ":home"])
    tail = shown[shown.index("*Faculty Mentoring* ·") :]
    edit = number_of(tail, "*Faculty Mentoring* ·", "Edit settings")
    preview = number_of(tail, "*Faculty Mentoring* ·", "Preview matches")
    assert (edit, preview) != (
        number_of(shown, "*Mentor Circles* ·", "Edit settings"),
        number_of(shown, "*Mentor Circles* ·", "Preview matches"),
    )
    output = script(tmp_path, [":as carmen", ":home", f":click {edit}", ":cancel", f":click {preview}"])
    assert "Settings for *Faculty Mentoring*" in output.split(f":click {edit}")[1]
    previewed = output.split(f":click {preview}")[1]
    assert "== Proposed mentor matches ==" in previewed and "peer circles" not in previewed


def test_a_click_carries_the_pressed_elements_block_id_and_value(
    env: ShellEnvironment,  # noqa: F811
    terminal: Terminal,  # noqa: F811
    bot: WebClient,  # noqa: F811
) -> None:
    received = Received()

    @env.app.action("pick")
    def pick(ack, body) -> None:  # type: ignore[no-untyped-def]
        ack()
        received.add(body)

    blocks = [
        {
            "type": "actions",
            "block_id": f"row_{n}",
            "elements": [
                {"type": "button", "action_id": "pick", "text": plain(f"Pick {n}"), "value": str(n)}
            ],
        }
        for n in (1, 2, 3)
    ]
    channel = bot.conversations_open(users="U0SBALICE")["channel"]["id"]
    bot.chat_postMessage(channel=channel, text="Pick one", blocks=blocks)
    shown = terminal.look()
    number = number_of(shown, "Mentor Circles in", "Pick 2")
    terminal.type(f":click {number}")
    assert received.arrived.wait(5)
    action = received.bodies[0]["actions"][0]
    assert (action["block_id"], action["action_id"], action["value"]) == ("row_2", "pick", "2")


# -- what the shell shows --------------------------------------------------------------------------


FILE_LINE = re.compile(r"^\[file: (?P<name>[^,]+), (?P<size>\d+) bytes → (?P<path>.+)\]$", re.MULTILINE)


def shared_files(output: str) -> dict[str, tuple[int, Path]]:
    return {m["name"]: (int(m["size"]), Path(m["path"])) for m in FILE_LINE.finditer(output)}


def test_export_chart_and_csv_are_saved_and_shown_with_their_paths(tmp_path: Path) -> None:
    output = script(
        tmp_path,
        [
            *JOIN,
            ":cancel",
            "/mentor export",
            ":as carmen",
            "/mentor admin stats chart",
            "/mentor admin stats csv",
        ],
    )
    files = shared_files(output)
    assert len(files) == 3, output
    for name, (size, path) in files.items():
        assert path.parent == tmp_path / "shell.db-shell-files", name
        assert path.stat().st_size == size > 0
    kinds = {Path(name).suffix: path for name, (_, path) in files.items()}
    assert kinds[".png"].read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), "the chart opens as an image"
    assert kinds[".csv"].read_text(encoding="utf-8").splitlines()[0].count(",") >= 2
    assert isinstance(json.loads(kinds[".json"].read_text(encoding="utf-8")), dict), (
        "the export reads as JSON"
    )


def test_messages_show_their_local_send_time_after_advance(tmp_path: Path) -> None:
    output = script(tmp_path, ["/mentor help", ":advance 3d", "/mentor help"])
    moved = re.search(r"It is now \w+ (\d\d) (\w+) \d{4}, (\d\d:\d\d) (\w+)\.", output)
    assert moved is not None, output
    day, month, clock, zone = moved.groups()
    headings = re.findall(
        r"^--- Mentor Circles, only visible to you, in your DM with Mentor Circles · (.+) ---$",
        output,
        re.MULTILINE,
    )
    assert len(headings) == 2
    assert headings[1].split()[1:] == [day, month[:3], clock, zone]
    assert headings[0] != headings[1]


def test_nudges_sent_during_advance_show_when_they_arrived(tmp_path: Path) -> None:
    """Fifteen days hold two Monday mornings whatever day and hour the test starts (ten did not, from a
    Thursday after 08:00 in the coordinator's time zone)."""
    output = script(tmp_path, [*JOIN, ":cancel", ":advance 15d", ":as carmen"])
    sent = re.findall(
        r"^--- Mentor Circles in your DM with Mentor Circles · (\w+ \d\d \w+) (\d\d:\d\d) MST ---\n== Weekly",
        output,
        re.MULTILINE,
    )
    assert len(sent) >= 2, output
    assert len({day for day, _ in sent}) == len(sent), "each summary shows the day it arrived"
    assert {clock for _, clock in sent} == {"08:00"}, "at the coordinator's local morning"


def test_restarting_keeps_the_sandbox_time(tmp_path: Path) -> None:
    first = script(tmp_path, [":advance 5d"])
    later = re.search(r"It is now \w+ (\d\d \w{3})\w* \d{4}, (\d\d:\d\d)", first)
    assert later is not None
    assert (tmp_path / "shell.db.shell-clock").is_file()
    again = script(tmp_path, ["/mentor help"])
    heading = re.search(r"in your DM with Mentor Circles · \w+ (\d\d \w{3}) (\d\d:\d\d)", again)
    assert heading is not None and heading.groups() == later.groups()


def test_reset_starts_a_clean_sandbox(tmp_path: Path) -> None:
    output = script(
        tmp_path, [*JOIN, ":cancel", "/mentor goal add Keep me", ":advance 10d", ":reset", "/mentor goals"]
    )
    after = output.split("alice> :reset")[1]
    assert "Started a clean sandbox: no programs, members or messages" in after
    assert "Keep me" not in after
    assert query(tmp_path, "SELECT count(*) FROM goals") == [(0,)]
    assert query(tmp_path, "SELECT count(*) FROM members") == [(1,)], "only /mentor goals after the reset"
    advanced = re.search(r"It is now \w+ (\d\d \w{3})", output)
    restarted = re.search(r"Started a clean sandbox: .*, and it is \w+ (\d\d \w{3})", after)
    assert advanced and restarted and advanced.group(1) != restarted.group(1), "the clock is back to today"


def test_as_keeps_each_persons_screen(tmp_path: Path) -> None:
    asked = script(tmp_path, ["/mentor ask how often should I meet my mentor"])
    helpful = number_of(asked, "/mentor ask", "👍 Helpful")
    output = script(
        tmp_path,
        [
            "/mentor ask how often should I meet my mentor",
            ":as ben",
            "/mentor help",
            ":as alice",
            f":click {helpful}",
        ],
    )
    assert "Thanks, glad it helped!" in output.split(f"alice> :click {helpful}")[1]


def test_a_stale_feedback_button_answers_already_recorded(tmp_path: Path) -> None:
    asked = script(tmp_path, ["/mentor ask how often should I meet my mentor"])
    helpful = number_of(asked, "/mentor ask", "👍 Helpful")
    unhelpful = number_of(asked, "/mentor ask", "👎 Not helpful")
    before = query(tmp_path, "SELECT count(*) FROM faq_feedback")[0][0]
    output = script(
        tmp_path,
        ["/mentor ask how often should I meet my mentor", f":click {helpful}", f":click {unhelpful}"],
    )
    assert "already recorded" in output.split(f"alice> :click {unhelpful}")[1]
    assert query(tmp_path, "SELECT helpful FROM faq_feedback")[before:] == [(True,)]


# -- terminal styles --------------------------------------------------------------------------------


def test_mrkdwn_gets_terminal_styles_only_when_asked() -> None:
    styled = Names(styled=True)
    assert mrkdwn("a *bold* move", styled) == f"a {BOLD}bold{ESC}[22m move"
    assert mrkdwn("type `/mentor *help*`", styled) == f"type {CODE}/mentor *help*{ESC}[39m"
    link = mrkdwn("<https://example.org/guide|the guide>", styled)
    assert "https://example.org/guide" in link and "the guide" in link and link.startswith(f"{ESC}]8;;")
    assert mrkdwn("snake_case_name and 2*3*4", styled) == "snake_case_name and 2*3*4"
    assert mrkdwn("a *bold* move <https://x.org|x>", Names()) == "a *bold* move x"


@pytest.mark.parametrize(
    ("tty", "term", "styled"),
    [(True, "xterm-256color", True), (True, "dumb", False), (False, "xterm", False)],
)
def test_styles_only_on_a_terminal_that_shows_them(monkeypatch, tty: bool, term: str, styled: bool) -> None:
    class Out(StringIO):
        def isatty(self) -> bool:
            return tty

    monkeypatch.setenv("TERM", term)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert supports_styles(Out()) is styled


# -- forms that change as they are answered ---------------------------------------------------------


def test_the_join_form_asks_only_what_applies(tmp_path: Path) -> None:
    output = script(tmp_path, JOIN)
    form = output[output.index("--- Form: Join Mentor Circles ---") : output.index("You're in!")]
    assert "As a mentee: where would you like guidance?" in form
    assert "As a mentor" not in form and "Your specialty" not in form
    assert "Enter keeps PGY-2" in form, "the stage is pre-filled from Alice's Slack title"
    [(roles, needs, stage)] = query(tmp_path, "SELECT roles, needs, stage FROM members")
    assert (json.loads(roles), json.loads(needs), stage) == (["mentee", "peer"], ["research"], "PGY-2")


def test_a_dispatching_answer_reaches_the_app_with_the_views_id_hash_and_state(
    env: ShellEnvironment,  # noqa: F811
    terminal: Terminal,  # noqa: F811
) -> None:
    for line in ("/mentor join", "1,3", "4"):
        terminal.type(line)
    state = env.sandbox.state
    before = state.views.modal_stack(env.workspace.team_id, "U0SBALICE")[-1]
    asked_for = before.hash
    shown = terminal.type("28")
    update = state.wait_for_calls("views.update", 2)[-1]
    assert update.ok and (update.args["view_id"], update.args["hash"]) == (before.id, asked_for)
    stage = next(b for b in update.args["view"]["blocks"] if b.get("block_id") == "stage")
    assert stage["element"]["initial_option"]["value"] == "PGY-3", "the typed stage travelled in the state"
    assert "Your specialty" not in shown
    terminal.type("1")
    assert "As a mentee: where would you like guidance?" in terminal.look()


def test_a_one_to_one_program_is_not_asked_circle_sizes_in_the_shell(tmp_path: Path) -> None:
    output = script(tmp_path, [":as carmen", *ADD_PROGRAM])
    form = output[output.index("--- Form: Program settings ---") :]
    assert "Nudge hour" in form and "Usual circle size" not in form
    assert "Sent: Program settings." in form
