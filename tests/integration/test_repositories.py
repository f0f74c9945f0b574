from __future__ import annotations

import threading

from storage.db import Database
from storage.repositories import MemberRepository, WorkspaceRepository


def test_members_are_scoped_by_workspace(db: Database) -> None:
    with db.session() as session:
        first = WorkspaceRepository(session).ensure("T1", name="General Hospital")
        second = WorkspaceRepository(session).ensure("T2", name="Mercy Medical")
        MemberRepository(session, first.id).ensure("U1", display_name="Ana", tz="America/Chicago")
        MemberRepository(session, second.id).ensure("U1", display_name="Ben")
        MemberRepository(session, second.id).ensure("U2")

    with db.session() as session:
        first_members = MemberRepository(session, first.id).all()
        second_members = MemberRepository(session, second.id)
        assert [(m.slack_user_id, m.display_name, m.tz) for m in first_members] == [
            ("U1", "Ana", "America/Chicago")
        ]
        assert second_members.count() == 2
        assert second_members.find("U1").display_name == "Ben"
        assert MemberRepository(session, first.id).find("U2") is None


def test_ensure_is_idempotent_and_updates(db: Database) -> None:
    with db.session() as session:
        workspace = WorkspaceRepository(session).ensure("T9", "E1", name="Old name")
    with db.session() as session:
        again = WorkspaceRepository(session).ensure("T9", "E1", name="New name")
        assert again.id == workspace.id
        members = MemberRepository(session, again.id)
        members.ensure("U5", display_name="Cy")
        members.ensure("U5", tz="Europe/Berlin")
        assert members.count() == 1
        assert members.find("U5").tz == "Europe/Berlin"
        assert WorkspaceRepository(session).find("T9") is None, "enterprise id is part of the identity"


def test_concurrent_ensure_creates_one_row(db: Database) -> None:
    errors: list[BaseException] = []

    def create() -> None:
        try:
            with db.session() as session:
                workspace = WorkspaceRepository(session).ensure("T7")
                MemberRepository(session, workspace.id).ensure("U7")
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=create) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.session() as session:
        workspace = WorkspaceRepository(session).find("T7")
        assert MemberRepository(session, workspace.id).count() == 1
