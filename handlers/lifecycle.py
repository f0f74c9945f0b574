"""The app leaving a workspace: `app_uninstalled` and `tokens_revoked`.

Both forget the workspace's stored tokens (with OAuth) and skip its nudges that have not gone out yet,
so delivery workers never try a dead token and the clock stops planning for it.
"""

from __future__ import annotations

import logging

from slack_bolt import App, BoltContext
from slack_bolt.listener.builtins import TokenRevocationListeners

from bot.services import Services
from storage.installations import skip_pending_nudges

logger = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    store = app.installation_store
    revocations = TokenRevocationListeners(store) if store is not None else None

    def stop_nudges(context: BoltContext, reason: str) -> None:
        with services.db.session() as session:
            skipped = skip_pending_nudges(session, context.team_id or "", context.enterprise_id, reason)
        logger.info("workspace %s: %s; %d pending nudge(s) skipped", context.team_id, reason, skipped)

    @app.event("app_uninstalled")
    def uninstalled(context: BoltContext) -> None:
        if revocations is not None:
            revocations.handle_app_uninstalled_events(context)
        stop_nudges(context, "app uninstalled")

    @app.event("tokens_revoked")
    def tokens_revoked(event: dict, context: BoltContext) -> None:
        if revocations is not None:
            revocations.handle_tokens_revoked_events(event, context)
        if event.get("tokens", {}).get("bot"):
            stop_nudges(context, "bot token revoked")
