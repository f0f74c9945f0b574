"""`mentor-circles shell`: rendering, forms, and the real app driven through the sandbox from a terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_sdk import WebClient
from sqlalchemy import text

from bot.config import Settings
from bot.shell import Shell, ShellEnvironment, run_shell, shell_environment
from bot.shell.answers import AnswerError, parse_answer
from bot.shell.forms import Form
from bot.shell.people import PEOPLE, TEAM_ID
from bot.shell.render import Control, Names, control_lines, mrkdwn, render_blocks
from storage.db import Database

NAMES = Names(users={"U0SBALICE": "alice", "U0SBBEN": "ben"}, channels={"C0RES": "residents"})
ALICE, BEN = "U0SBALICE", "U0SBBEN"


def plain(value: str) -> dict[str, str]:
    return {"type": "plain_text", "text": value}


def option(label: str, value: str) -> dict[str, Any]:
    return {"text": plain(label), "value": value}


CADENCES = [option("Weekly", "weekly"), option("Every two weeks", "biweekly"), option("Monthly", "monthly")]


# -- rendering (pure) -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Hi <@U0SBALICE>!", "Hi @alice!"),
        ("<@U0SBBEN|someone> and <@UNKNOWN1|casey>", "@ben and @casey"),
        (
            "Read <https://example.org/guide|the guide> or <https://example.org>",
            "Read the guide or https://example.org",
        ),
        ("Ask in <#C0RES> or <#C0OTHER|faculty>", "Ask in #residents or #faculty"),
        ("Q&amp;A &lt;3 &gt; all", "Q&A <3 > all"),
        ("<!here> *bold* stays _and_ `code` too", "@here *bold* stays _and_ `code` too"),
        ("Due <!date^1700000000^{date}|Nov 14>", "Due Nov 14"),
    ],
)
def test_mrkdwn_becomes_readable_text(source: str, expected: str) -> None:
    assert mrkdwn(source, NAMES) == expected


@given(st.text(alphabet=st.characters(blacklist_characters="<>&")))
def test_mrkdwn_leaves_text_without_markup_alone(value: str) -> None:
    assert mrkdwn(value, NAMES) == value


@given(st.sampled_from(sorted(NAMES.users)), st.text(alphabet="abc *_~`.,!?", max_size=20))
def test_every_known_mention_is_named(user_id: str, around: str) -> None:
    rendered = mrkdwn(f"{around}<@{user_id}>{around}", NAMES)
    assert rendered == f"{around}@{NAMES.users[user_id]}{around}"


def test_blocks_render_as_text_with_numbered_controls() -> None:
    blocks = [
        {"type": "header", "text": plain("Your circle")},
        {
            "type": "section",
            "block_id": "intro",
            "text": {"type": "mrkdwn", "text": "Meet <@U0SBBEN> this week"},
            "fields": [{"type": "mrkdwn", "text": "*When*\nTuesday"}],
            "accessory": {"type": "button", "action_id": "snooze", "text": plain("Snooze")},
        },
        {"type": "divider"},
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": "Sent by Mentor Circles"},
                {"type": "plain_text", "text": "2 min"},
            ],
        },
        {
            "type": "actions",
            "block_id": "act",
            "elements": [
                {"type": "button", "action_id": "yes", "text": plain("Helpful"), "value": "yes"},
                {
                    "type": "static_select",
                    "action_id": "cadence",
                    "placeholder": plain("How often?"),
                    "options": CADENCES,
                    "initial_option": CADENCES[1],
                },
            ],
        },
    ]
    rendered = render_blocks(blocks, NAMES, first_number=4)
    assert rendered.lines[:4] == ["== Your circle ==", "Meet @ben this week", "  *When*", "  Tuesday"]
    assert "[4] Snooze" in rendered.lines
    assert "----------------------------------------" in rendered.lines
    assert "  Sent by Mentor Circles  ·  2 min" in rendered.lines
    assert "[5] Helpful" in rendered.lines
    assert "[6] How often? (choose one):" in rendered.lines
    assert "      2. Every two weeks (selected)" in rendered.lines
    assert [(c.number, c.action_id, c.block_id) for c in rendered.controls] == [
        (4, "snooze", "intro"),
        (5, "yes", "act"),
        (6, "cadence", "act"),
    ]


def test_pickers_say_what_to_type() -> None:
    users = Control(1, "b", {"type": "multi_users_select", "action_id": "who", "initial_users": [BEN]})
    day = Control(2, "b", {"type": "datepicker", "action_id": "day", "placeholder": plain("First meeting")})
    assert control_lines(users, NAMES) == ["[1] Pick people (names, e.g. @ben, @dev, now @ben)"]
    assert control_lines(day, NAMES) == ["[2] First meeting (YYYY-MM-DD)"]


def test_input_and_unknown_blocks_still_render() -> None:
    blocks = [
        {
            "type": "input",
            "label": plain("Goal"),
            "element": {"type": "plain_text_input", "initial_value": "Publish"},
        },
        {"type": "input", "label": plain("Notes"), "optional": True, "element": {"type": "plain_text_input"}},
        {
            "type": "rich_text",
            "elements": [
                {
                    "type": "rich_text_section",
                    "elements": [{"type": "text", "text": "Hi "}, {"type": "user", "user_id": ALICE}],
                }
            ],
        },
        {"type": "mystery"},
    ]
    assert render_blocks(blocks, NAMES).lines == [
        "  Goal: Publish",
        "  Notes (optional): __________",
        "Hi @alice",
        "[mystery block]",
    ]


# -- answers and forms (pure) -------------------------------------------------------------------


@given(
    st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=8), min_size=1, max_size=12, unique=True),
    st.data(),
)
def test_options_are_chosen_by_number_or_value(values: list[str], data: st.DataObject) -> None:
    element = {"type": "static_select", "options": [option(v.upper(), v) for v in values]}
    index = data.draw(st.integers(0, len(values) - 1))
    assert parse_answer(element, str(index + 1)) == element["options"][index]
    assert parse_answer(element, values[index])["value"] == values[index]


@given(st.dates())
def test_dates_round_trip(day: date) -> None:
    assert parse_answer({"type": "datepicker"}, day.isoformat()) == day.isoformat()


@pytest.mark.parametrize(
    ("element", "typed", "problem"),
    [
        ({"type": "static_select", "options": CADENCES}, "7", "Choose a number from 1 to 3"),
        ({"type": "checkboxes", "options": CADENCES, "max_selected_items": 1}, "1,2", "Choose at most 1"),
        ({"type": "users_select"}, "@zed", "nobody called @zed"),
        ({"type": "datepicker"}, "next tuesday", "YYYY-MM-DD"),
        ({"type": "timepicker"}, "noonish", "HH:MM"),
        ({"type": "number_input", "is_decimal_allowed": False, "max_value": "10"}, "2.5", "whole number"),
        (
            {"type": "number_input", "is_decimal_allowed": True, "max_value": "10"},
            "11",
            "largest allowed is 10",
        ),
        ({"type": "plain_text_input", "max_length": 5}, "far too long", "5 characters or fewer"),
        ({"type": "email_text_input"}, "alice at hospital", "email address"),
        ({"type": "file_input"}, "x.pdf", "can't fill in a file input"),
    ],
)
def test_answers_that_do_not_fit_are_explained(element: dict[str, Any], typed: str, problem: str) -> None:
    with pytest.raises(AnswerError, match=problem):
        parse_answer(element, typed, NAMES)


def test_answers_become_what_slack_reports() -> None:
    assert parse_answer({"type": "checkboxes", "options": CADENCES}, "1, monthly") == [
        CADENCES[0],
        CADENCES[2],
    ]
    assert parse_answer({"type": "multi_users_select"}, "@ben, alice", NAMES) == [BEN, ALICE]
    assert parse_answer({"type": "channels_select"}, "#residents", NAMES) == "C0RES"
    assert parse_answer({"type": "plain_text_input", "multiline": True}, r"one\ntwo") == "one\ntwo"
    assert parse_answer({"type": "timepicker"}, "09:05") == "09:05"


def goal_modal(**overrides: Any) -> dict[str, Any]:
    view = {
        "id": "V1",
        "hash": "h1",
        "type": "modal",
        "callback_id": "demo_goal",
        "title": plain("Set a goal"),
        "submit": plain("Save"),
        "blocks": [
            {
                "type": "section",
                "block_id": "about",
                "text": {"type": "mrkdwn", "text": "Goals are private to you and <@U0SBBEN>."},
            },
            {
                "type": "input",
                "block_id": "title",
                "label": plain("Goal"),
                "element": {"type": "plain_text_input", "action_id": "title", "max_length": 40},
            },
            {
                "type": "input",
                "block_id": "cadence",
                "label": plain("Check-ins"),
                "element": {
                    "type": "static_select",
                    "action_id": "cadence",
                    "options": CADENCES,
                    "initial_option": CADENCES[0],
                },
            },
            {
                "type": "input",
                "block_id": "notes",
                "label": plain("Notes"),
                "optional": True,
                "element": {"type": "plain_text_input", "action_id": "notes", "multiline": True},
            },
        ],
    }
    return {**view, **overrides}


def test_a_form_asks_field_by_field_and_enforces_required_ones() -> None:
    form = Form.from_view(goal_modal(), NAMES)
    assert (form.title, form.submit_label, [f.label for f in form.fields]) == (
        "Set a goal",
        "Save",
        ["Goal", "Check-ins", "Notes"],
    )
    assert form.intro.lines == ["Goals are private to you and @ben."]
    assert form.prompt(form.fields[0], NAMES) == "  Goal: "
    with pytest.raises(AnswerError, match="required"):
        form.answer("")
    form.answer("Submit an abstract")
    assert form.prompt(form.current, NAMES) == "  Check-ins (Enter keeps Weekly): "
    assert "      3. Monthly" in form.describe(form.current, NAMES)
    form.answer("")
    assert (
        form.prompt(form.current, NAMES)
        == "  Notes (one line; \\n starts a new one; optional, Enter skips): "
    )
    form.answer("")
    assert form.complete
    assert form.values() == {"title": "Submit an abstract"}


def test_app_errors_ask_again_for_just_those_fields() -> None:
    form = Form.from_view(goal_modal(), NAMES)
    for answer in ("Abstract", "3", "Draft by June"):
        form.answer(answer)
    unknown = form.reject({"notes": "Keep notes shorter", "elsewhere": "Something else is off"})
    assert unknown == {"elsewhere": "Something else is off"}
    assert [f.block_id for f in form.queue] == ["notes"]
    assert form.describe(form.current, NAMES)[0] == "  ! Keep notes shorter"
    assert "Enter keeps Draft by June" in form.prompt(form.current, NAMES)
    form.answer("")
    assert form.complete and form.values()["cadence"] == CADENCES[2]


def test_an_updated_modal_keeps_what_was_typed() -> None:
    earlier = Form.from_view(goal_modal(), NAMES)
    earlier.answer("Abstract")
    later = Form.from_view(goal_modal(hash="h2"), NAMES)
    later.carry_over(earlier)
    assert later.values() == {"title": "Abstract"}
    assert later.current is not None and later.current.action_id == "cadence", "it goes on, not back"
    assert "Enter keeps Abstract" in later.prompt(later.fields[0], NAMES)


def test_a_modal_without_submit_is_only_shown() -> None:
    form = Form.from_view(goal_modal(submit=None), NAMES)
    assert not form.can_submit and form.current is None


# -- the shell against the running app ----------------------------------------------------------


def settings_for(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'shell.db'}")


def run_script(tmp_path: Path, lines: list[str]) -> tuple[int, str]:
    out = StringIO()
    code = run_shell(
        settings_for(tmp_path), stdin=StringIO("".join(f"{line}\n" for line in lines)), stdout=out
    )
    return code, out.getvalue()


def test_help_renders_the_overview(tmp_path: Path) -> None:
    code, output = run_script(tmp_path, ["/mentor help", ":quit"])
    assert code == 0
    assert "alice> /mentor help" in output
    assert "--- Mentor Circles, only visible to you, in your DM with Mentor Circles · " in output
    assert "== Mentor Circles ==" in output
    assert "`/mentor help [COMMAND]` · what I can do, and how" in output


def test_an_unknown_subcommand_gets_the_suggestion(tmp_path: Path) -> None:
    _, output = run_script(tmp_path, ["/mentor hlep"])
    assert "I don't know `/mentor hlep`. Did you mean `/mentor help`?" in output
    assert output.rstrip().endswith("alice>")


def test_users_and_switching(tmp_path: Path) -> None:
    _, output = run_script(tmp_path, [":users", ":as @carmen", ":users", ":as ben", ":as @nobody", "/mentor"])
    first_listing = output.split("alice> :as @carmen")[0]
    alice_row = next(line for line in first_listing.splitlines() if line.startswith("  @alice "))
    assert "Alice Okafor" in alice_row and alice_row.endswith("America/Chicago  (you)")
    assert "America/Denver  (coordinator)" in first_listing
    assert "You are now @carmen (Carmen Ruiz, program coordinator)." in output
    assert "carmen> :users" in output and "(coordinator, you)" in output
    assert "You are now @ben (Ben Whitaker, PGY-1 intern, internal medicine)." in output
    assert "ben> :as @nobody\nThere's nobody called @nobody here" in output
    assert "ben> /mentor\n--- Mentor Circles, only visible to you" in output


def test_home_renders_the_home_tab(tmp_path: Path) -> None:
    _, output = run_script(tmp_path, [":as emma", ":home"])
    home = output.split("emma> :home")[1]
    assert "--- Your App Home · " in home
    assert "Join the program" in home, "someone who has not signed up is invited to join"
    assert "Your coordinators: @carmen" in home


def test_shell_commands_and_hints(tmp_path: Path) -> None:
    _, output = run_script(
        tmp_path,
        [":help", ":frobnicate", "hello there", "/standup", ":click 1", ":cancel", ":exit", "/mentor help"],
    )
    assert ":click N [CHOICE]  press button N" in output
    assert "I don't know :frobnicate. Type :help" in output
    assert "To talk to the app, type a slash command like /mentor help." in output
    assert "/standup isn't a command in this workspace." in output
    assert "There's no [1] on screen." in output
    assert "There's no form open." in output
    assert "== Mentor Circles ==" not in output, ":exit stops before the last line"


def test_the_same_people_on_every_run(tmp_path: Path) -> None:
    for _ in range(2):
        code, _ = run_script(tmp_path, ["/mentor goals", ":as @ben", "/mentor goals"])
        assert code == 0
    db = Database(settings_for(tmp_path).database_url)
    try:
        with db.engine.connect() as connection:
            members = (
                connection.execute(text("SELECT slack_user_id FROM members ORDER BY slack_user_id"))
                .scalars()
                .all()
            )
            teams = connection.execute(text("SELECT team_id FROM workspaces")).scalars().all()
    finally:
        db.dispose()
    assert members == sorted([ALICE, BEN])
    assert teams == [TEAM_ID]


def test_a_script_file_is_echoed(tmp_path: Path) -> None:
    script = tmp_path / "try.txt"
    script.write_text("/mentor help help\n:quit\n", encoding="utf-8")
    out = StringIO()
    assert run_shell(settings_for(tmp_path), script=str(script), stdout=out) == 0
    assert "alice> /mentor help help\n" in out.getvalue()
    assert "`/mentor help [COMMAND]`" in out.getvalue()
    missing = StringIO()
    assert run_shell(settings_for(tmp_path), script=str(tmp_path / "nope.txt"), stdout=missing) == 2
    assert "cannot read the script" in missing.getvalue()


def test_python_m_bot_cli_shell_with_piped_input(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "shell"],
        input="/mentor help\n:quit\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "== Mentor Circles ==" in result.stdout
    assert "what I can do, and how" in result.stdout
    assert result.stderr == ""


# -- surfaces the app does not have yet, published into the sandbox directly ----------------------


class Terminal:
    """Types lines into a `Shell` the way its reader does, returning what each one printed."""

    def __init__(self, shell: Shell, out: StringIO) -> None:
        self.shell, self.out = shell, out

    def type(self, line: str) -> str:
        start = len(self.out.getvalue())
        self.shell.refresh()
        self.out.write(self.shell.next_prompt() + line + "\n")
        self.shell.run_line(line)
        return self.out.getvalue()[start:]

    def look(self) -> str:
        start = len(self.out.getvalue())
        self.shell.refresh()
        self.out.write(self.shell.next_prompt() + "\n")
        return self.out.getvalue()[start:]


@pytest.fixture
def env(tmp_path: Path) -> Iterator[ShellEnvironment]:
    with shell_environment(settings_for(tmp_path)) as running:
        yield running


@pytest.fixture
def terminal(env: ShellEnvironment) -> Terminal:
    out = StringIO()
    return Terminal(Shell(env, out, first_reply_wait=3.0), out)


@pytest.fixture
def bot(env: ShellEnvironment) -> WebClient:
    return WebClient(token=env.workspace.bot_token, base_url=env.sandbox.api_url)


class Received:
    """What the app's listeners were given, with a way to wait for it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.arrived = threading.Event()

    def add(self, body: dict[str, Any]) -> None:
        self.bodies.append(body)
        self.arrived.set()


def feedback_blocks() -> list[dict[str, Any]]:
    return [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "Was today's check-in with <@U0SBBEN> useful?"},
        },
        {
            "type": "actions",
            "block_id": "feedback",
            "elements": [
                {"type": "button", "action_id": "helpful", "text": plain("Helpful"), "value": "yes"},
                {"type": "button", "action_id": "not_helpful", "text": plain("Not really"), "value": "no"},
                {
                    "type": "static_select",
                    "action_id": "cadence",
                    "placeholder": plain("Meet how often?"),
                    "options": CADENCES,
                },
            ],
        },
    ]


def test_click_presses_a_button_in_a_dm(env: ShellEnvironment, terminal: Terminal, bot: WebClient) -> None:
    received = Received()

    @env.app.action("helpful")
    def helpful(ack, body, respond) -> None:  # type: ignore[no-untyped-def]
        ack()
        received.add(body)
        respond(text=f"Thanks, <@{body['user']['id']}>! Noted: {body['actions'][0]['value']}.")

    channel = bot.conversations_open(users=ALICE)["channel"]["id"]
    bot.chat_postMessage(channel=channel, text="Check-in feedback", blocks=feedback_blocks())
    shown = terminal.look()
    assert "--- Mentor Circles in your DM with Mentor Circles · " in shown
    assert "Was today's check-in with @ben useful?" in shown
    assert (
        "[1] Helpful" in shown and "[2] Not really" in shown and "[3] Meet how often? (choose one):" in shown
    )

    output = terminal.type(":click 1")
    assert received.arrived.wait(5)
    action = received.bodies[0]["actions"][0]
    assert (action["action_id"], action["value"], received.bodies[0]["user"]["id"]) == (
        "helpful",
        "yes",
        ALICE,
    )
    assert "Thanks, @alice! Noted: yes." in output


def test_click_chooses_an_option_in_a_menu(env: ShellEnvironment, terminal: Terminal, bot: WebClient) -> None:
    received = Received()

    @env.app.action("cadence")
    def cadence(ack, body, respond) -> None:  # type: ignore[no-untyped-def]
        ack()
        received.add(body)
        respond(text=f"Check-ins set to {body['actions'][0]['selected_option']['text']['text']}.")

    channel = bot.conversations_open(users=ALICE)["channel"]["id"]
    bot.chat_postMessage(channel=channel, text="Check-in feedback", blocks=feedback_blocks())
    terminal.look()
    assert "Choose with :click 3 CHOICE." in terminal.type(":click 3")
    assert "! Choose a number from 1 to 3" in terminal.type(":click 3 9")
    assert received.bodies == []
    assert "Check-ins set to Monthly." in terminal.type(":click 3 monthly")
    assert received.bodies[0]["actions"][0]["selected_option"]["value"] == "monthly"


def test_a_button_nothing_handles_reports_the_404(terminal: Terminal, bot: WebClient) -> None:
    channel = bot.conversations_open(users=ALICE)["channel"]["id"]
    bot.chat_postMessage(channel=channel, text="Check-in feedback", blocks=feedback_blocks())
    terminal.look()
    assert "The app answered HTTP 404 (nothing in the app handles that yet)." in terminal.type(":click 2")
    assert terminal.shell.failures == 1


def test_group_dms_name_their_members(terminal: Terminal, bot: WebClient) -> None:
    channel = bot.conversations_open(users=f"{ALICE},{BEN},U0SBDEV")["channel"]["id"]
    bot.chat_postMessage(channel=channel, text="Welcome to your circle, <@U0SBALICE> &amp; friends!")
    shown = terminal.look()
    assert "--- Mentor Circles in a group DM with @ben, @dev · " in shown
    assert "Welcome to your circle, @alice & friends!" in shown


def test_a_home_tab_button_sends_a_view_action(
    env: ShellEnvironment, terminal: Terminal, bot: WebClient
) -> None:
    received = Received()

    def home(state: str, button: str) -> dict[str, Any]:
        section = {"type": "mrkdwn", "text": f"Nudges are {state}."}
        accessory = {"type": "button", "action_id": "toggle_nudges", "text": plain(button)}
        return {"type": "home", "blocks": [{"type": "section", "text": section, "accessory": accessory}]}

    @env.app.action("toggle_nudges")
    def toggle(ack, body, client) -> None:  # type: ignore[no-untyped-def]
        ack()
        received.add(body)
        client.views_publish(user_id=body["user"]["id"], view=home("paused", "Resume"))

    bot.views_publish(user_id=ALICE, view=home("on", "Pause"))
    assert "Nudges are on.\n[1] Pause" in terminal.look()
    after = terminal.type(":click 1")
    assert received.bodies[0]["container"]["type"] == "view"
    assert received.bodies[0]["view"]["type"] == "home"
    assert re.search(r"--- Your App Home · [^\n]+ ---\nNudges are paused.\n\[2\] Resume", after)


def form_view() -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": "demo_goal",
        "title": plain("Set a goal"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "Only you and your mentors see goals."}},
            {
                "type": "input",
                "block_id": "title",
                "label": plain("Goal"),
                "element": {"type": "plain_text_input", "action_id": "title"},
            },
            {
                "type": "input",
                "block_id": "cadence",
                "label": plain("Check-ins"),
                "element": {
                    "type": "static_select",
                    "action_id": "cadence",
                    "options": CADENCES,
                    "initial_option": CADENCES[0],
                },
            },
            {
                "type": "input",
                "block_id": "mentors",
                "label": plain("Share with"),
                "element": {"type": "multi_users_select", "action_id": "mentors"},
            },
            {
                "type": "input",
                "block_id": "due",
                "label": plain("Due"),
                "optional": True,
                "element": {"type": "datepicker", "action_id": "due"},
            },
        ],
    }


def open_form(env: ShellEnvironment, bot: WebClient, user_id: str = ALICE) -> None:
    trigger = env.sandbox.state.views.mint_trigger(TEAM_ID, user_id)
    bot.views_open(trigger_id=trigger, view=form_view())


def test_a_modal_is_filled_in_as_a_form(env: ShellEnvironment, terminal: Terminal, bot: WebClient) -> None:
    submissions = Received()

    @env.app.view("demo_goal")
    def save(ack, body, client) -> None:  # type: ignore[no-untyped-def]
        values = body["view"]["state"]["values"]
        submissions.add(values)
        if len(values["title"]["title"]["value"]) < 10:
            ack(
                response_action="errors", errors={"title": "Make it a little more specific (10+ characters)."}
            )
            return
        ack()
        channel = client.conversations_open(users=body["user"]["id"])["channel"]["id"]
        client.chat_postMessage(channel=channel, text=f"Saved your goal: {values['title']['title']['value']}")

    open_form(env, bot)
    shown = terminal.look()
    assert "--- Form: Set a goal ---" in shown
    assert "Only you and your mentors see goals." in shown
    assert "4 fields to fill in, one at a time." in shown
    assert shown.rstrip().endswith("Goal:")

    assert "! This one is required" in terminal.type("")
    terminal.type("Abstract")
    assert "      2. Every two weeks" in terminal.type("")
    assert "! There's nobody called @zed" in terminal.type("@zed")
    terminal.type("@ben, @dev")
    assert "! Type a date as YYYY-MM-DD" in terminal.type("soon")
    rejected = terminal.type("2025-06-30")
    assert "The app sent the form back with a note on Goal." in rejected
    assert "Sent:" not in rejected

    done = terminal.type("Submit an abstract to the spring meeting")
    assert (
        "  ! Make it a little more specific (10+ characters).\n  Goal (Enter keeps Abstract): Submit an"
        in done
    )
    assert "Sent: Set a goal." in done and "Nothing came back" not in done
    assert "Saved your goal: Submit an abstract to the spring meeting" in done
    assert terminal.shell.form is None and terminal.shell.next_prompt() == "alice> "

    final = submissions.bodies[-1]
    assert final["cadence"]["cadence"]["selected_option"]["value"] == "weekly"
    assert final["mentors"]["mentors"]["selected_users"] == [BEN, "U0SBDEV"]
    assert final["due"]["due"]["selected_date"] == "2025-06-30"
    assert len(submissions.bodies) == 2
    assert env.sandbox.state.views.modal_stack(TEAM_ID, ALICE) == []


def test_cancel_closes_the_form(env: ShellEnvironment, terminal: Terminal, bot: WebClient) -> None:
    open_form(env, bot)
    terminal.look()
    assert "Closed the form without sending it." in terminal.type(":cancel")
    assert env.sandbox.state.views.modal_stack(TEAM_ID, ALICE) == []
    assert terminal.shell.next_prompt() == "alice> "


def test_someone_elses_messages_wait_until_you_are_them(
    env: ShellEnvironment, terminal: Terminal, bot: WebClient
) -> None:
    channel = bot.conversations_open(users=BEN)["channel"]["id"]
    bot.chat_postMessage(channel=channel, text="Ben, your mentor match is ready.")
    assert "mentor match" not in terminal.look()
    switched = terminal.type(":as @ben")
    assert "You are now @ben" in switched and "Ben, your mentor match is ready." in switched


def test_everyone_has_a_fixed_id_and_time_zone(env: ShellEnvironment) -> None:
    users = {u.name: (u.id, u.tz) for u in env.users}
    assert users == {p.handle: (p.user_id, p.tz) for p in PEOPLE}
    assert len({tz for _, tz in users.values()}) == len(users)
    assert env.settings.coordinator_user_ids == ("U0SBCARMEN",)
    assert env.workspace.team_id == TEAM_ID and env.workspace.name == "Sandbox Residency"


def test_coordinators_from_settings_join_carmen(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'c.db'}", coordinator_user_ids=("U0SBDEV",))
    with shell_environment(settings) as running:
        assert running.settings.coordinator_user_ids == ("U0SBCARMEN", "U0SBDEV")
        assert running.settings.slack_bot_token == running.workspace.bot_token
        assert running.settings.slack_api_url == running.sandbox.api_url


def test_the_whole_member_flow_in_the_shell(tmp_path: Path) -> None:
    """Join through the form, add a goal, log a meeting with @ben, pause: all from the terminal."""
    join_form = ["/mentor join", "1,3", "3", "7", "1", "1", "2", "", "", "", ""]
    code, output = run_script(
        tmp_path,
        [
            *join_form,
            "/mentor goal add Submit my QI abstract by March #research",
            "/mentor met @ben yesterday coffee chat",
            "/mentor meetings",
            "/mentor pause for 2 weeks",
            ":quit",
        ],
    )
    assert code == 0, output
    assert "You're in!" in output
    assert "Added goal 1: *Submit my QI abstract*" in output
    assert "With @ben" in output and "coffee chat" in output
    assert "You're paused until" in output
