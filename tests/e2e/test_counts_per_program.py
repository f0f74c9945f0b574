"""Counts per program, through the running app: people sign up through the join form, set goals and
log meetings with `/mentor`, and a coordinator reads `/mentor admin stats` for each program and for all.

Each program's report holds only its own people, relationships, goals, meetings and check-ins; the
all-programs report is those reports added up, with each person counted once (and says so).
"""

from __future__ import annotations

import csv
import io
import json
import re

from sqlalchemy import update

from bot.sandbox import User
from storage.models import Relationship
from tests.e2e.conftest import RunningApp, settle_effects
from tests.e2e.members import fill_profile, relate
from tests.e2e.test_enrollment import add_program, offered, open_join
from tests.e2e.test_goals import say
from tests.e2e.test_profile import VALID
from tests.e2e.test_stats import stats

DEFAULT = "Mentor Circles"
FACULTY = "Faculty mentoring"


def sign_up(running_app: RunningApp, user: User, *programs: str) -> None:
    """Join through `/mentor join`, ticking the programs named (by their names)."""
    session = open_join(running_app, user)
    options = {label.split(" (")[0]: value for label, value in offered(session).items()}
    sent = fill_profile(session, {**VALID, "programs": [options[name] for name in programs]})
    assert sent.body["response_action"] == "update", sent.body


def report(running_app: RunningApp, coordinator: User, program: str = "") -> dict[str, int | str]:
    """The summary's numbers, read off the blocks a coordinator sees."""
    shown = json.dumps(stats(running_app, coordinator, program)["blocks"], ensure_ascii=False)
    people = re.search(r"\*Participants:\* (\d+) \((\d+) active · (\d+) paused · (\d+) left\)", shown)
    goals = re.search(r"\*Goals:\* (\d+) set · (\d+) completed", shown)
    meetings = re.search(r"\*Meetings logged:\* (\d+)", shown)
    matched = re.search(r"\*Matched now:\* (\d+) circles? · (\d+) mentorships?", shown)
    assert people and goals and meetings and matched, shown
    return {
        "participants": int(people[1]),
        "active": int(people[2]),
        "paused": int(people[3]),
        "left": int(people[4]),
        "goals_set": int(goals[1]),
        "goals_done": int(goals[2]),
        "meetings": int(meetings[1]),
        "circles": int(matched[1]),
        "mentorships": int(matched[2]),
        "text": shown,
    }


def numbers(found: dict[str, int | str]) -> dict[str, int | str]:
    return {key: value for key, value in found.items() if key != "text"}


def test_someone_who_chose_only_another_program_is_not_in_the_default_programs_counts(
    running_app: RunningApp, alice: User, coordinator: User
) -> None:
    add_program(running_app, FACULTY, kind="mentors")
    sign_up(running_app, alice, FACULTY)

    default = report(running_app, coordinator, DEFAULT)
    faculty = report(running_app, coordinator, FACULTY)
    everyone = report(running_app, coordinator)
    assert (default["participants"], default["left"]) == (0, 0)
    assert (faculty["participants"], faculty["active"], faculty["left"]) == (1, 1, 0)
    assert (everyone["participants"], everyone["active"], everyone["left"]) == (1, 1, 0)
    assert "all 2 programs' numbers added up; anyone in more than one program is counted once" in str(
        everyone["text"]
    )
    assert "added up" not in str(faculty["text"])


def test_each_programs_numbers_are_its_own_and_all_programs_is_their_sum(
    running_app: RunningApp, alice: User, coordinator: User
) -> None:
    sandbox, team = running_app.sandbox, running_app.workspace.team_id
    bob = sandbox.add_user(team, "bob", "Bob Brown", tz="America/Chicago")
    cara = sandbox.add_user(team, "cara", "Cara Chen", tz="America/Chicago")
    faculty_id = int(add_program(running_app, FACULTY, kind="mentors"))
    sign_up(running_app, alice, DEFAULT, FACULTY)
    sign_up(running_app, bob, FACULTY)
    sign_up(running_app, cara, DEFAULT)
    circle = relate(running_app, "circle", [(alice, "peer"), (cara, "peer")])
    mentorship = relate(running_app, "mentorship", [(alice, "mentee"), (bob, "mentor")])
    with running_app.services.db.session() as session:
        session.execute(
            update(Relationship).where(Relationship.id == mentorship).values(program_id=faculty_id)
        )
    assert circle != mentorship

    say(running_app, alice, "goal add Present at grand rounds #education")
    say(running_app, alice, "goal add Finish the QI project #research")
    say(running_app, alice, "goal done 1")
    say(running_app, bob, "goal add Take on a second mentee")
    say(running_app, cara, "goal add Pass boards")
    assert "Logged" in say(running_app, alice, f"met <@{bob.id}> yesterday")["text"]
    assert "Logged" in say(running_app, cara, f"met <@{alice.id}> yesterday")["text"]
    assert "Logged" in say(running_app, cara, "met today")["text"]

    default = report(running_app, coordinator, DEFAULT)
    faculty = report(running_app, coordinator, FACULTY)
    everyone = report(running_app, coordinator)

    assert numbers(default) == {
        "participants": 2,
        "active": 2,
        "paused": 0,
        "left": 0,
        "goals_set": 3,
        "goals_done": 1,
        "meetings": 2,
        "circles": 1,
        "mentorships": 0,
    }, "alice's own goals are her home program's (the first she is in); bob's belong to Faculty"
    assert numbers(faculty) == {
        "participants": 2,
        "active": 2,
        "paused": 0,
        "left": 0,
        "goals_set": 1,
        "goals_done": 0,
        "meetings": 1,
        "circles": 0,
        "mentorships": 1,
    }
    summed = {key: int(default[key]) + int(faculty[key]) for key in numbers(default)}
    assert {
        key: value for key, value in numbers(everyone).items() if key not in ("participants", "active")
    } == {key: value for key, value in summed.items() if key not in ("participants", "active")}
    assert (everyone["participants"], everyone["active"]) == (3, 3), "alice counts once"
    assert "the 1 person in more than one program is counted once" in str(everyone["text"])

    stats(running_app, coordinator, "csv")
    stats(running_app, coordinator, f"{FACULTY} csv")
    settle_effects(running_app)
    files = [f for f in sandbox.state.uploaded_files(team) if f.filename.endswith(".csv")]
    by_title = {f.title: list(csv.DictReader(io.StringIO(f.content.decode()))) for f in files}
    workspace_rows = by_title["Program report by cycle: all programs"]
    faculty_rows = by_title[f"Program report by cycle: {FACULTY}"]
    assert sum(int(row["meetings_logged"]) for row in workspace_rows) == everyone["meetings"] == 3
    assert sum(int(row["goals_set"]) for row in workspace_rows) == everyone["goals_set"] == 4
    assert sum(int(row["meetings_logged"]) for row in faculty_rows) == faculty["meetings"]
    assert sum(int(row["goals_set"]) for row in faculty_rows) == faculty["goals_set"]
