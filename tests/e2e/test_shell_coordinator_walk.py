"""A coordinator runs a second program from the shell by buttons alone, as they would in Slack.

One script per step, each a fresh `mentor-circles shell --script` on the same data (a restart between
steps, as a person closing and reopening the shell): set up a 1:1 program beside the default one, let
three people join it, then from the Home: preview and publish its matches, open its roster, fix a match
by hand from there, announce to its people, export its CSV and archive it. Each button is found by its
label under that program's heading, so pressing the default program's buttons would fail the test.
"""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_shell_fidelity import ADD_PROGRAM, number_of, query, script, shared_files

PROGRAM = "*Faculty Mentoring* ·"
PEOPLE = "*Faculty Mentoring*: "


def join(who: str, answers: list[str]) -> list[str]:
    """`who` joins Faculty Mentoring (the second choice of program) through the join form, which asks
    only what applies to their roles."""
    return [f":as {who}", "/mentor join", "2", *answers]


MENTEE = ["1", "3", "7", "1", "1", "2", "", "", "", ""]
"""Mentee, PGY-2, internal medicine, academic track, wants help with research."""
MENTOR = ["2", "11", "7", "1", "1,2", "2", "2", "", "", "", ""]
"""Mentor, faculty, internal medicine, academic track, offers research and teaching, up to two mentees."""


def press(tmp_path: Path, *steps: tuple[str, str], then: tuple[str, ...] = ()) -> str:
    """Carmen opens her Home and presses each `(heading, label)` button in turn; the transcript after the
    last press. A restart clears the screen, so each step's button number is read from a run that
    replays the steps before it."""
    lines = [":as carmen", ":home"]
    for heading, label in steps:
        lines.append(f":click {number_of(script(tmp_path, lines), heading, label)}")
    output = script(tmp_path, [*lines, *then])
    return output.split(lines[-1], 1)[1]


def live_relationships(tmp_path: Path) -> list[tuple[str, str]]:
    return [
        (row[0], row[1])
        for row in query(
            tmp_path,
            "SELECT p.name, r.kind FROM relationships r JOIN programs p ON p.id = r.program_id "
            "WHERE r.ended_at IS NULL ORDER BY r.id",
        )
    ]


def test_a_coordinator_runs_the_second_program_by_buttons(tmp_path: Path) -> None:
    script(
        tmp_path,
        [
            ":as carmen",
            *ADD_PROGRAM,
            *join("alice", MENTEE),
            *join("ben", MENTEE),
            *join("dev", MENTOR),
        ],
    )

    previewed = press(tmp_path, (PROGRAM, "Preview matches"))
    assert "*Faculty Mentoring* · 2 mentees matched" in previewed and "peer circles" not in previewed
    published = press(
        tmp_path, (PROGRAM, "Preview matches"), ("Proposed mentor matches", "Publish and introduce")
    )
    assert "Published 2 mentor matches" in published
    assert live_relationships(tmp_path) == [("Faculty Mentoring", "mentorship")] * 2

    roster = press(tmp_path, (PEOPLE, "See people"))
    assert "*People taking part in Faculty Mentoring*: 3" in roster
    assert roster.count("mentor @dev") == 2
    fixed = press(
        tmp_path,
        (PEOPLE, "See people"),
        ("People taking part in Faculty Mentoring", "Fix a match by hand"),
        then=("3", "@alice", "@dev"),
    )
    assert "`/mentor admin people` shows the roster as it is now." in fixed
    assert live_relationships(tmp_path) == [("Faculty Mentoring", "mentorship")]
    audited = query(tmp_path, "SELECT action, outcome FROM audit_log WHERE action = 'admin end'")
    assert len(audited) == 1

    announced = press(
        tmp_path, (PROGRAM, "Announce"), then=("Journal club moves to Thursday.", ":advance 1m", ":as ben")
    )
    assert "*3 active participants* of *Faculty Mentoring*" in announced
    assert "Your announcement is on its way to 3 people." in announced
    seen = announced.split(":as ben", 1)[1]
    assert "A message from your Faculty Mentoring coordinators" in seen
    assert seen.count("Journal club moves to Thursday.") == 1

    exported = press(tmp_path, (PROGRAM, "Export CSV"), then=(":advance 1m",))
    files = shared_files(exported)
    assert files, exported
    [(name, (size, path))] = files.items()
    assert name.startswith("mentor-circles-report-faculty-mentoring-") and name.endswith(".csv")
    assert path.exists() and path.stat().st_size == size
    assert path.read_text(encoding="utf-8").startswith("cycle,start,end,meetings_logged")

    archived = press(tmp_path, (PROGRAM, "Archive"), then=("y",))
    assert "archived" in archived.lower()
    home = script(tmp_path, [":as carmen", ":home"])
    card = home[home.rindex(PROGRAM) : home.rindex("*People*")]
    assert "_archived_" in card.splitlines()[0]
    assert "] Unarchive" in card and "] Preview matches" not in card and "] Announce" not in card
    assert query(
        tmp_path, "SELECT archived_at IS NOT NULL FROM programs WHERE name = 'Faculty Mentoring'"
    ) == [(1,)]
