"""Introductions for newly published circles and mentorships: queued, then each posted exactly once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block
from sqlalchemy.orm import Session

from bot.effects import Effects
from bot.presentation.matching import circle_intro_blocks, mentorship_intro_blocks
from storage.db import Database
from storage.effects import INTRO
from storage.goals import GoalRepository
from storage.models import Relationship
from storage.relationships import RelationshipRepository
from storage.rounds import RoundRepository

logger = logging.getLogger(__name__)


def intro_blocks(relationship: Relationship, goals: GoalRepository) -> tuple[str, list[Block]]:
    links = relationship.members
    if relationship.kind == "circle":
        user_ids = [link.member.slack_user_id for link in links]
        return "Welcome to your Mentor Circle!", circle_intro_blocks(
            user_ids, relationship.reasons, relationship.cadence_days
        )
    mentee = next(link.member for link in links if link.role == "mentee")
    mentors = [link.member.slack_user_id for link in links if link.role == "mentor"]
    open_goals = [goal.text for goal in goals.for_member(mentee.id, ("open",))]
    blocks = mentorship_intro_blocks(
        mentee.slack_user_id,
        mentors,
        relationship.reasons,
        list(mentee.needs or ()),
        open_goals,
        relationship.cadence_days,
    )
    return "Meet your mentor!", blocks


def queue_introductions(
    effects: Effects, session: Session, workspace_id: int, relationship_ids: Iterable[int]
) -> int:
    """Queue each relationship's introduction for the effect workers; how many were queued."""
    queued = 0
    for relationship_id in relationship_ids:
        effects.queue(
            session,
            workspace_id,
            INTRO,
            "",
            {"relationship_id": relationship_id},
            key=f"{INTRO}:{relationship_id}",
        )
        queued += 1
    return queued


def introduce(
    db: Database, clock: Callable[[], datetime], client: WebClient, workspace_id: int, relationship_id: int
) -> bool:
    """Post one introduction, once: claimed first, recorded after; False when it was already sent.

    A failed post releases the claim and re-raises, so the effect worker retries it (after Retry-After
    on a 429) and nobody else is held up.
    """
    with db.session() as session:
        if not RoundRepository(session, workspace_id).claim_intro(relationship_id, clock()):
            return False
        relationship = RelationshipRepository(session, workspace_id).get(relationship_id)
        if relationship is None or not relationship.is_live:
            return False
        user_ids = [link.member.slack_user_id for link in relationship.members]
        text, blocks = intro_blocks(relationship, GoalRepository(session, workspace_id))
    try:
        channel = client.conversations_open(users=",".join(user_ids))["channel"]["id"]
        posted = client.chat_postMessage(channel=channel, text=text, blocks=[b.to_dict() for b in blocks])
    except SlackApiError as error:
        logger.warning("introduction %s not sent yet: %s", relationship_id, error.response.get("error"))
        with db.session() as session:
            RoundRepository(session, workspace_id).release_intro(relationship_id)
        raise
    with db.session() as session:
        RoundRepository(session, workspace_id).record_intro(relationship_id, channel, posted["ts"])
    return True
