"""`/mentor admin audit [N]`: coordinators read the audit log in Slack, without anything members typed."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.sandbox import validate_blocks
from storage.models import AuditEntry, Base
from storage.programs import AuditLog
from storage.repositories import WorkspaceRepository
from tests.e2e.conftest import RunningApp, wait_for_modal
from tests.e2e.members import join

REFUSED = "only for your program's coordinators"
USAGE = "/mentor admin audit N"
DATE_TOKEN = re.compile(r"<!date\^(\d+)\^\{date_short_pretty\} \{time\}\|(\d{4}-\d\d-\d\d \d\d:\d\d) UTC>")


def audit(running_app: RunningApp, user, args: str = "") -> dict:
    reply = running_app.session(user).slash_command("/mentor", f"admin audit {args}".strip()).reply()
    assert reply, f"no reply to /mentor admin audit {args}"
    return reply


def lines_of(reply: dict) -> list[str]:
    """The listing's entry lines, in the order shown."""
    assert not validate_blocks(reply["blocks"]), validate_blocks(reply["blocks"])
    return [
        line
        for block in reply["blocks"]
        if block["type"] == "section"
        for line in block["text"]["text"].split("\n")
        if line.startswith("• ")
    ]


def audit_rows(running_app: RunningApp) -> list[AuditEntry]:
    with running_app.services.db.session() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def row_counts(running_app: RunningApp) -> dict[str, int]:
    with running_app.services.db.session() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def plant(running_app: RunningApp, actor: str, count: int) -> None:
    """`count` older entries, `admin match preview 0` first, a minute apart."""
    start = datetime.now(UTC) - timedelta(days=1)
    with running_app.services.db.session() as session:
        space = WorkspaceRepository(session).ensure(running_app.workspace.team_id)
        log = AuditLog(session, space.id)
        for number in range(count):
            log.record(actor, "admin match preview", str(number), "ok", start + timedelta(minutes=number))


def test_a_coordinator_sees_recent_entries_newest_first_with_a_members_refused_attempt(
    running_app: RunningApp, coordinator, alice
) -> None:
    dana = running_app.sandbox.add_user(running_app.workspace.team_id, "dana", "Dana Diaz")
    assert REFUSED in running_app.session(alice).slash_command("/mentor", "admin stats").reply()["text"]
    added = running_app.session(coordinator).slash_command(
        "/mentor", f"admin coordinators add <@{dana.id}|dana>"
    )
    assert "can now coordinate" in added.reply()["text"]
    running_app.session(coordinator).slash_command("/mentor", "admin program add Research teams")
    wait_for_modal(running_app.session(coordinator), "program_settings")
    before = time.time()

    reply = audit(running_app, coordinator)
    assert reply["response_type"] == "ephemeral"
    assert reply["text"] == "Audit log: the last 4 entries, newest first."
    lines = lines_of(reply)
    assert len(lines) == 4
    newest, program, coordinators, refused = lines
    assert f"<@{coordinator.id}> · `admin audit` · ok" in newest
    assert f"<@{coordinator.id}> · `admin program add` Research teams · ok" in program
    assert f"<@{coordinator.id}> · `admin coordinators add` <@{dana.id}> · ok" in coordinators
    assert "|dana" not in coordinators
    assert refused.endswith(f"<@{alice.id}> · `admin stats` · *refused*")
    stamps = [int(DATE_TOKEN.search(line).group(1)) for line in lines]
    assert stamps == sorted(stamps, reverse=True)
    assert before - 60 < stamps[0] <= time.time() + 1
    assert "All 4 entries so far" in json.dumps(reply["blocks"])
    assert "in your time zone" in json.dumps(reply["blocks"])

    two = lines_of(audit(running_app, coordinator, "2"))
    assert len(two) == 2
    assert "`admin audit` 2 · ok" in two[0] and "`admin audit` · ok" in two[1]


def test_n_is_respected_defaulting_to_20_and_at_most_100_within_slacks_limits(
    running_app: RunningApp, coordinator
) -> None:
    plant(running_app, coordinator.id, 130)

    default = audit(running_app, coordinator)
    lines = lines_of(default)
    assert len(lines) == 20
    assert "`admin audit` · ok" in lines[0]
    assert [line.split("`admin match preview` ")[1].split(" ·")[0] for line in lines[1:]] == [
        str(number) for number in range(129, 110, -1)
    ]
    assert "The last 20 entries, newest first." in json.dumps(default["blocks"])

    five = lines_of(audit(running_app, coordinator, "5"))
    assert len(five) == 5 and "`admin audit` 5 · ok" in five[0]
    assert "`admin match preview` 127 · ok" in five[-1]

    most = audit(running_app, coordinator, "100")
    assert len(most["blocks"]) <= 50
    assert all(len(block["text"]["text"]) <= 3000 for block in most["blocks"] if block["type"] == "section")
    hundred = lines_of(most)
    assert len(hundred) == 100
    assert "`admin match preview` 33 · ok" in hundred[-1], "3 audit attempts and the 97 newest planted"


def test_a_member_is_refused_the_audit_log_and_the_refusal_is_audited(
    running_app: RunningApp, coordinator, alice
) -> None:
    plant(running_app, coordinator.id, 3)
    reply = audit(running_app, alice, "5")
    assert REFUSED in reply["text"]
    assert "admin match preview" not in json.dumps(reply)
    last = audit_rows(running_app)[-1]
    assert (last.actor, last.action, last.target, last.outcome) == (alice.id, "admin audit 5", "", "refused")

    shown = lines_of(audit(running_app, coordinator))
    assert f"<@{alice.id}> · `admin audit` 5 · *refused*" in shown[1]


def test_a_bad_n_gets_the_usage_and_changes_nothing(running_app: RunningApp, coordinator) -> None:
    plant(running_app, coordinator.id, 3)
    for bad in ("abc", "0", "-3", "101", "5 6", "2.5", "last 10"):
        before = row_counts(running_app)
        reply = audit(running_app, coordinator, bad)
        assert USAGE in reply["text"], bad
        assert "1 to 100" in reply["text"]
        assert not reply.get("blocks"), bad
        after = row_counts(running_app)
        assert after.pop("audit_log") == before.pop("audit_log") + 1, "only the attempt itself is logged"
        assert after == before, bad


def test_what_members_type_never_appears_in_the_listing(running_app: RunningApp, coordinator, alice) -> None:
    goal = "SECRET-GOAL get through my divorce"
    question = "SECRET-QUESTION can I take leave for chemo"
    join(running_app, alice)
    running_app.session(alice).slash_command("/mentor", f"goal add {goal}").reply(timeout=10)
    running_app.session(alice).slash_command("/mentor", f"ask {question}").reply(timeout=10)
    for typed in (
        f"goal add {goal}",
        f"ask {question}",
        f"stats {goal}",
        f"coordinators add {question} <@{alice.id}>",
        f"faq add {question}",
        "audit 5551234567",
    ):
        assert (
            REFUSED in running_app.session(alice).slash_command("/mentor", f"admin {typed}").reply()["text"]
        )
    stored = " ".join(f"{row.action} {row.target}" for row in audit_rows(running_app))
    assert "SECRET-GOAL" in stored and "SECRET-QUESTION" in stored, "the raw log does hold the typed text"

    reply = audit(running_app, coordinator)
    shown = json.dumps(reply)
    for secret in ("SECRET", "divorce", "chemo", "leave", "5551234567"):
        assert secret.lower() not in shown.lower(), secret
    lines = lines_of(reply)
    assert len(lines) == 7
    assert all(f"<@{alice.id}>" in line and "*refused*" in line for line in lines[1:])
    assert "`admin` _typed text not shown_" in lines[-1]
    assert "`admin stats` _typed text not shown_" in lines[-3]
    assert f"`admin coordinators add` <@{alice.id}> _typed text not shown_" in lines[-4]
    assert "`admin faq add` _typed text not shown_" in lines[-5]
    assert "`admin audit` _typed text not shown_" in lines[-6]


def test_the_admin_usage_lists_the_audit_command(running_app: RunningApp, coordinator) -> None:
    reply = running_app.session(coordinator).slash_command("/mentor", "admin").reply()
    assert "`/mentor admin audit N`" in reply["text"]
