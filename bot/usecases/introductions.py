"""Introductions for newly published circles and mentorships: queued here, posted once by the effect
workers (`bot.effects.introductions`)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.effects import Effects
from storage.effects import INTRO
from storage.models import RelationshipMember


def queue_introductions(
    effects: Effects, session: Session, workspace_id: int, relationship_ids: Iterable[int]
) -> int:
    """Queue each relationship's introduction; how many were queued.

    The queue key names the relationship and its size, so asking twice for the same group queues one
    post, while a group that gained a late joiner is introduced again (with the newcomer).
    """
    queued = 0
    for relationship_id in relationship_ids:
        size = session.scalar(
            select(func.count()).where(RelationshipMember.relationship_id == relationship_id)
        )
        effects.queue(
            session,
            workspace_id,
            INTRO,
            "",
            {"relationship_id": relationship_id},
            key=f"{INTRO}:{relationship_id}:{size}",
        )
        queued += 1
    return queued
