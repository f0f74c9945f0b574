"""Rebuilding an open modal when an answer changes which questions it asks (`dispatch_action` inputs)."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

logger = logging.getLogger(__name__)


def update_view(client: WebClient, view: dict[str, Any], rebuilt: dict[str, Any]) -> None:
    """`views.update` on the modal a `block_actions` payload came from, guarded by its `hash`.

    A `hash_conflict` means the modal changed after this payload was sent (another answer's rebuild won
    the race); that newer modal stands, and Slack keeps what the person typed into it either way.
    """
    try:
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=rebuilt)
    except SlackApiError as error:
        if error.response.get("error") != "hash_conflict":
            raise
        logger.info("modal %s changed before its rebuild; keeping the newer one", view["id"])
