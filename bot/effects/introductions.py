"""Posting one introduction to its group DM, exactly once, for the effect workers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block

from bot.presentation.matching import circle_intro_blocks, mentorship_intro_blocks
from storage.db import Database
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


def introduce(
    db: Database, clock: Callable[[], datetime], client: WebClient, workspace_id: int, relationship_id: int
) -> bool:
    """Post one introduction: claimed first, recorded after; False when there is nothing to send.

    A failed post releases the claim and re-raises, so the worker retries it (after Retry-After on a
    429). A post whose claim was reset meanwhile (a late joiner arrived) is not recorded, so the group
    is introduced again with the newcomer.
    """
    with db.session() as session:
        claimed_at = clock()
        if not RoundRepository(session, workspace_id).claim_intro(relationship_id, claimed_at):
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
            RoundRepository(session, workspace_id).release_intro(relationship_id, claimed_at)
        raise
    with db.session() as session:
        RoundRepository(session, workspace_id).record_intro(
            relationship_id, channel, posted["ts"], claimed_at
        )
    return True
