"""The coordinators' roster through the running app: two programs (peer circles and 1:1 mentoring), people
who signed up with `/mentor join`, goals, meetings with notes and "did you meet?" answers made in Slack;
`/mentor admin people` with its filters and pages, the participation CSV, and the Home's people section.
"""

from __future__ import annotations

import csv
import io
import json
import re

from sqlalchemy import update

from bot.sandbox import User
from storage.models import MemberAvoid, Relationship
from tests.e2e.conftest import RunningApp, settle_effects
from tests.e2e.members import member_row, relate
from tests.e2e.test_counts_per_program import DEFAULT, FACULTY, sign_up
from tests.e2e.test_enrollment import add_program
from tests.e2e.test_goals import say
from tests.e2e.test_help_over_http import block_text
from tests.e2e.test_matching import add_peers
from tests.e2e.test_nudges import deliver, did_you_meet_payload, plant

GOAL_TEXT = "Okapi grant resubmission"
NOTE_TEXT = "talked about the zebrafish protocol"


def people(running_app: RunningApp, coordinator: User, text: str = "") -> dict:
    sent = running_app.session(coordinator).slash_command("/mentor", f"admin people {text}".strip())
    assert sent.status == 200
    return sent.wait_for_response(1, 10)[0]


def entries(reply: dict) -> dict[str, list[str]]:
    """Each listed person's entries (one per program), keyed by their Slack id."""
    found: dict[str, list[str]] = {}
    for block in reply["blocks"]:
        if block.get("block_id", "").startswith("roster_") and block["type"] == "section":
            text = block["text"]["text"]
            user_id = re.match(r"\*<@(\w+)>\*", text)
            assert user_id, text
            found.setdefault(user_id[1], []).append(text)
    return found


def anonymous(line: str, user: User) -> str:
    return line.replace(user.id, "ID").replace(user.real_name or user.name, "NAME")


def two_programs(running_app: RunningApp, alice: User) -> dict[str, User]:
    sandbox, team = running_app.sandbox, running_app.workspace.team_id
    bob = sandbox.add_user(team, "bob", "Bob Brown", tz="America/Chicago")
    cara = sandbox.add_user(team, "cara", "Cara Chen", tz="America/Chicago")
    dan = sandbox.add_user(team, "dan", "Dan Diaz", tz="America/Chicago")
    erin = sandbox.add_user(team, "erin", "Erin Evans", tz="America/Chicago")
    faculty_id = int(add_program(running_app, FACULTY, kind="mentors"))
    sign_up(running_app, alice, DEFAULT, FACULTY)
    sign_up(running_app, bob, FACULTY)
    for user in (cara, dan, erin):
        sign_up(running_app, user, DEFAULT)
    circle = relate(running_app, "circle", [(alice, "peer"), (cara, "peer")], label="Night owls")
    mentorship = relate(running_app, "mentorship", [(alice, "mentee"), (bob, "mentor")])
    with running_app.services.db.session() as session:
        session.execute(
            update(Relationship).where(Relationship.id == mentorship).values(program_id=faculty_id)
        )
        dans = member_row(running_app, dan)
        session.add(MemberAvoid(workspace_id=dans.workspace_id, member_id=dans.id, avoided_user_id=alice.id))
    say(running_app, alice, f"goal add {GOAL_TEXT} #research")
    assert "Logged" in say(running_app, alice, f"met <@{bob.id}> yesterday {NOTE_TEXT}")["text"]
    for user, other in ((alice, cara), (cara, alice)):
        key = f"did_you_meet:r{circle}:{user.id}:2027-02-28"
        plant(running_app, "did_you_meet", user, key, did_you_meet_payload(circle, [other]))
    assert deliver(running_app) == 2
    running_app.session(alice).click("nudge_not_yet").wait_for_response()
    return {"bob": bob, "cara": cara, "dan": dan, "erin": erin}


def test_the_roster_lists_each_person_per_program_with_placement_status_meetings_and_answers(
    running_app: RunningApp, alice: User, coordinator: User
) -> None:
    others = two_programs(running_app, alice)
    bob, cara, dan, erin = (others[name] for name in ("bob", "cara", "dan", "erin"))

    everyone = people(running_app, coordinator)
    listed = entries(everyone)
    assert set(listed) == {alice.id, bob.id, cara.id, dan.id, erin.id}
    assert len(listed[alice.id]) == 2, "alice takes part in both programs"
    in_circles, in_faculty = sorted(listed[alice.id], key=lambda text: FACULTY in text)
    assert f"circle “Night owls” with <@{cara.id}>" in in_circles and DEFAULT in in_circles
    assert "answered 100% of 1 check-in" in in_circles
    assert f"mentor <@{bob.id}>" in in_faculty and "last met" in in_faculty
    assert "no check-ins yet" in in_faculty
    (cara_line,) = listed[cara.id]
    assert "answered 0% of 1 check-in" in cara_line and "no meeting logged" in cara_line
    (bob_line,) = listed[bob.id]
    assert f"mentee <@{alice.id}>" in bob_line and "last met" in bob_line
    assert in_circles.startswith(f"*<@{alice.id}>* (Alice Adams) · mentee and peer · PGY-2 · _{DEFAULT}_")

    (dan_line,) = listed[dan.id]
    (erin_line,) = listed[erin.id]
    assert anonymous(dan_line, dan) == anonymous(erin_line, erin), (
        "a do-not-match list leaves no trace: dan's entry reads exactly like erin's"
    )
    assert "not placed yet" in dan_line and alice.id not in dan_line

    unplaced = entries(people(running_app, coordinator, f"{DEFAULT} unmatched"))
    assert set(unplaced) == {dan.id, erin.id}
    faculty = people(running_app, coordinator, FACULTY)
    assert set(entries(faculty)) == {alice.id, bob.id}
    assert FACULTY in block_text(faculty["blocks"])
    for reply in (everyone, faculty):
        shown = json.dumps(reply)
        assert GOAL_TEXT not in shown and "Okapi" not in shown and "zebrafish" not in shown

    missing = people(running_app, coordinator, "Nope program")
    assert "I couldn't find a program called “Nope program”" in missing["text"]


def test_paused_and_left_have_their_own_lists(
    running_app: RunningApp, alice: User, coordinator: User
) -> None:
    others = two_programs(running_app, alice)
    assert "pause" in say(running_app, others["cara"], "pause").get("text", "").lower()
    running_app.session(others["erin"]).slash_command("/mentor", "leave")
    running_app.session(others["erin"]).click("settings_leave_confirm").wait_for_response()
    paused = entries(people(running_app, coordinator, "paused"))
    assert set(paused) == {others["cara"].id}
    assert "paused" in paused[others["cara"].id][0]
    left = people(running_app, coordinator, f"{DEFAULT} left")
    assert set(entries(left)) == {others["erin"].id}
    assert others["erin"].id not in entries(people(running_app, coordinator, DEFAULT))


def test_the_participation_csv_has_a_row_per_member_and_relationship_and_no_private_text(
    running_app: RunningApp, alice: User, coordinator: User
) -> None:
    others = two_programs(running_app, alice)
    assert "participation CSV" in people(running_app, coordinator, "csv")["text"]
    people(running_app, coordinator, f"{FACULTY} csv")
    settle_effects(running_app)
    files = {
        f.title: f.content.decode()
        for f in running_app.sandbox.state.uploaded_files(running_app.workspace.team_id)
        if f.filename.startswith("mentor-circles-participation")
    }
    assert set(files) == {"Participation: all programs", f"Participation: {FACULTY}"}
    for content in files.values():
        assert "Okapi" not in content and "zebrafish" not in content and GOAL_TEXT not in content
    rows = list(csv.DictReader(io.StringIO(files["Participation: all programs"])))
    members = [row for row in rows if row["row"] == "member"]
    assert sorted((row["slack_user_ids"], row["program"]) for row in members) == sorted(
        [(alice.id, DEFAULT), (alice.id, FACULTY)]
        + [(others[name].id, DEFAULT) for name in ("cara", "dan", "erin")]
        + [(others["bob"].id, FACULTY)]
    )
    by_member = {(row["slack_user_ids"], row["program"]): row for row in members}
    alice_faculty = by_member[(alice.id, FACULTY)]
    assert (alice_faculty["meetings_logged"], alice_faculty["status"]) == ("1", "active")
    alice_circles = by_member[(alice.id, DEFAULT)]
    assert (alice_circles["did_you_meet_asked"], alice_circles["did_you_meet_answered"]) == ("1", "1")
    assert alice_circles["response_rate"] == "1.000"
    assert by_member[(others["dan"].id, DEFAULT)]["placed_in"] == ""
    assert alice.id not in json.dumps(by_member[(others["dan"].id, DEFAULT)])
    groups = {row["row"]: row for row in rows if row["row"] != "member"}
    assert set(groups) == {"circle", "mentorship"}
    assert groups["circle"]["did_you_meet_asked"] == "2" and groups["circle"]["did_you_meet_answered"] == "1"
    assert groups["mentorship"]["meetings_logged"] == "1" and groups["mentorship"]["program"] == FACULTY
    faculty_rows = list(csv.DictReader(io.StringIO(files[f"Participation: {FACULTY}"])))
    assert {row["program"] for row in faculty_rows} == {FACULTY}
    assert len([row for row in faculty_rows if row["row"] == "member"]) == 2


def test_the_roster_pages_with_more_and_back(running_app: RunningApp, coordinator: User) -> None:
    peers = add_peers(running_app, 12)
    first = people(running_app, coordinator)
    assert len(entries(first)) == 10 and "(page 1 of 2)" in block_text(first["blocks"])
    session = running_app.session(coordinator)
    second = session.click("roster_page").wait_for_response()[0]
    assert len(entries(second)) == 2 and "(page 2 of 2)" in block_text(second["blocks"])
    assert set(entries(first)) | set(entries(second)) == {user.id for user in peers}
    back = session.click("roster_page_back").wait_for_response()[0]
    assert entries(back) == entries(first)
    typed = people(running_app, coordinator, "2")
    assert entries(typed) == entries(second)


def test_the_coordinators_home_has_a_people_section_that_opens_the_roster(
    running_app: RunningApp, alice: User, coordinator: User
) -> None:
    others = two_programs(running_app, alice)
    session = running_app.session(coordinator)
    settle_effects(running_app)
    before = len(running_app.sandbox.calls("views.publish"))
    session.app_home_opened()
    calls = running_app.sandbox.state.wait_for_calls("views.publish", before + 1, 5)
    (call,) = [c for c in calls[before:] if c.args["user_id"] == coordinator.id]
    home = json.dumps(call.args["view"])
    assert f"*{DEFAULT}*: 4 people taking part, 2 not placed yet" in home
    assert f"*{FACULTY}*: 2 people taking part" in home
    assert GOAL_TEXT not in home
    posts = len(running_app.sandbox.calls("chat.postMessage"))
    assert session.click("roster_page").status == 200
    running_app.sandbox.state.wait_for_calls("chat.postMessage", posts + 1, 5)
    dm = [m for m in running_app.sandbox.state.dms_to(running_app.workspace.team_id, coordinator.id)]
    assert dm and set(entries({"blocks": dm[-1].blocks})) == {
        alice.id,
        *(others[n].id for n in ("cara", "dan", "erin")),
    }
