"""Introduction messages for newly published circles and mentorships, each sent exactly once."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block

from bot.services import Services
from handlers.blocks.matching import circle_intro_blocks, mentorship_intro_blocks
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


def send_introductions(
    services: Services, client: WebClient, workspace_id: int, relationship_ids: Iterable[int]
) -> tuple[int, int]:
    """(sent, failed). A failed one is released so that publishing again retries just that one."""
    sent = failed = 0
    for relationship_id in relationship_ids:
        with services.db.session() as session:
            if not RoundRepository(session, workspace_id).claim_intro(relationship_id, services.clock()):
                continue
            relationship = RelationshipRepository(session, workspace_id).get(relationship_id)
            assert relationship is not None
            user_ids = [link.member.slack_user_id for link in relationship.members]
            text, blocks = intro_blocks(relationship, GoalRepository(session, workspace_id))
        try:
            channel = client.conversations_open(users=",".join(user_ids))["channel"]["id"]
            posted = client.chat_postMessage(channel=channel, text=text, blocks=[b.to_dict() for b in blocks])
        except SlackApiError as error:
            logger.warning("introduction %s not sent: %s", relationship_id, error.response.get("error"))
            with services.db.session() as session:
                RoundRepository(session, workspace_id).release_intro(relationship_id)
            failed += 1
            continue
        with services.db.session() as session:
            RoundRepository(session, workspace_id).record_intro(relationship_id, channel, posted["ts"])
        sent += 1
    return sent, failed
