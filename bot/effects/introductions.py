"""Posting one introduction to its group DM, exactly once, for the effect workers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.blocks import Block

from bot.effects.posted import find_posted, metadata
from bot.presentation.matching import circle_intro_blocks, mentorship_intro_blocks
from bot.presentation.scheduling import find_time_button
from storage.db import Database
from storage.goals import GoalRepository
from storage.models import Relationship
from storage.relationships import RelationshipRepository
from storage.rounds import RoundRepository

logger = logging.getLogger(__name__)


def intro_blocks(relationship: Relationship, goals: GoalRepository) -> tuple[str, list[Block]]:
    """The introduction, ending with the "Find a time" button for everyone in it."""
    links = relationship.members
    if relationship.kind == "circle":
        user_ids = [link.member.slack_user_id for link in links]
        return "Welcome to your Mentor Circle!", [
            *circle_intro_blocks(user_ids, relationship.reasons, relationship.cadence_days),
            find_time_button(relationship.id),
        ]
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
    return "Meet your mentor!", [*blocks, find_time_button(relationship.id)]


INTRO_EVENT = "mentor_circles_intro"


def introduce(
    db: Database, clock: Callable[[], datetime], client: WebClient, workspace_id: int, relationship_id: int
) -> bool:
    """Post one introduction: claimed first, the conversation noted, recorded after; False when there is
    nothing to send.

    The conversation is noted before posting, so an attempt that ended in doubt (a timeout, a 5xx, a
    killed worker) leaves a trace: the next attempt first looks in that conversation for the post, by its
    metadata, and records it rather than sending it again. A failed attempt releases the claim and
    re-raises, so the worker retries it (after Retry-After on a 429). A post whose claim was reset
    meanwhile (a late joiner arrived) is not recorded, so the group is introduced again with the newcomer.
    """
    with db.session() as session:
        claimed_at = clock()
        rounds = RoundRepository(session, workspace_id)
        if not rounds.claim_intro(relationship_id, claimed_at):
            return False
        relationship = RelationshipRepository(session, workspace_id).get(relationship_id)
        if relationship is None or not relationship.is_live:
            return False
        user_ids = [link.member.slack_user_id for link in relationship.members]
        key = f"{relationship_id}:{len(user_ids)}"
        in_doubt = relationship.intro_channel
        text, blocks = intro_blocks(relationship, GoalRepository(session, workspace_id))
    try:
        ts = find_posted(client, in_doubt, INTRO_EVENT, key) if in_doubt else None
        if ts is not None:
            channel = in_doubt or ""
            logger.info("introduction %s had reached Slack before; recorded, not sent again", relationship_id)
        else:
            channel = client.conversations_open(users=",".join(user_ids))["channel"]["id"]
            with db.session() as session:
                RoundRepository(session, workspace_id).note_intro_channel(
                    relationship_id, channel, claimed_at
                )
            posted = client.chat_postMessage(
                channel=channel,
                text=text,
                blocks=[b.to_dict() for b in blocks],
                metadata=metadata(INTRO_EVENT, key),
            )
            ts = str(posted["ts"])
    except (SlackApiError, SlackClientError, OSError) as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
        logger.warning("introduction %s not sent yet: %s", relationship_id, reason)
        with db.session() as session:
            RoundRepository(session, workspace_id).release_intro(relationship_id, claimed_at)
        raise
    with db.session() as session:
        RoundRepository(session, workspace_id).record_intro(relationship_id, channel, ts, claimed_at)
    return True
