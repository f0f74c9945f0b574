"""Coordinators' own administration: who may run the programs, the audit log, workspace FAQ entries.

Every `/mentor admin` command and every coordinators-only button, menu or modal is checked with
`authorise`, which writes the attempt to the audit log whether it is allowed or refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from slack_sdk import WebClient

from bot.domain.audit import MAX_ENTRIES, AuditVocabulary, safe_entry
from bot.domain.commands import CommandSpec
from bot.domain.faq import check_workspace_entry, parse_keywords
from bot.domain.programs import USER_ID
from bot.domain.text import inflect, join_labels
from bot.usecases.deps import Deps
from bot.usecases.unit_of_work import UnitOfWork, unit_of_work
from storage.faq import FaqRepository
from storage.programs import CoordinatorRepository

REFUSAL = (
    "Sorry, `/mentor admin` is only for your program's coordinators. "
    "If you think you should have access, ask {coordinators}."
)
COORDINATORS_USAGE = (
    "Use `/mentor admin coordinators add @someone` or `remove @someone`, "
    "or `/mentor admin coordinators list` to see who coordinates."
)
ENTRY_REMOVED = "This entry was removed in the meantime."
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass(frozen=True)
class AdminAccess:
    allowed: bool
    refusal: str = ""
    """What to tell someone who is not a coordinator ("" when allowed)."""


@dataclass(frozen=True)
class CoordinatorsReply:
    message: str


@dataclass(frozen=True)
class AuditLine:
    """One audit entry as coordinators may see it: no text typed by members (see `bot.domain.audit`)."""

    actor: str
    """The Slack user id of whoever tried it ("" when the request carried none)."""
    action: str
    """`admin SUBCOMMAND [word]` or a button's id; "" for a request the app doesn't know the shape of."""
    target: str
    """A program name, mentions as `<@U…>`, ids or command words; often ""."""
    hidden: bool
    """Typed text was left out of `action` and `target`."""
    outcome: Literal["ok", "refused"]
    at: datetime


@dataclass(frozen=True)
class AuditListing:
    lines: tuple[AuditLine, ...]
    """Newest first."""
    limit: int
    """How many were asked for: fewer lines means that is all there is."""


@dataclass(frozen=True)
class FaqListing:
    entries: list[tuple[int, str, str]]
    """The workspace's own entries as (id, title, answer), oldest first."""
    page: int = 0


@dataclass(frozen=True)
class FaqEntryForm:
    """A stored entry as its edit modal shows it."""

    id: int
    title: str
    answer: str
    keywords: str


@dataclass(frozen=True)
class FaqEntrySaved:
    title: str


class CoordinatorAdmin:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def is_coordinator(
        self, team_id: str, user_id: str, enterprise_id: str | None, directory: WebClient | None
    ) -> bool:
        """Configured, added, or a workspace admin or owner: `directory` (the listener's client) is asked
        `users.info` for the last, with the app's own client when it is None."""
        return self.deps.coordinators.is_coordinator(
            team_id, user_id, enterprise_id=enterprise_id, client=directory
        )

    def refusal(self, team_id: str, enterprise_id: str | None = None) -> str:
        return REFUSAL.format(coordinators=self.mentions(team_id, enterprise_id))

    def mentions(self, team_id: str, enterprise_id: str | None = None) -> str:
        """Who to ask about access: the coordinators as Slack mentions, or a plain phrase."""
        return self.deps.coordinators.mentions(team_id, enterprise_id)

    def audit(
        self,
        team_id: str | None,
        enterprise_id: str | None,
        actor: str,
        action: str,
        target: str = "",
        outcome: str = "ok",
    ) -> None:
        """Record who tried which admin action on what, and whether it was allowed.

        In a transaction of its own, committed before the action runs: a refused action runs nothing
        that could carry it, and an allowed one that fails afterwards stays on the record.
        """
        with unit_of_work(self.deps.db, team_id, enterprise_id) as uow:
            uow.audit_log.record(actor, action, target, outcome, self.deps.clock())

    def authorise(
        self,
        team_id: str | None,
        enterprise_id: str | None,
        actor: str,
        action: str,
        target: str,
        directory: WebClient | None,
    ) -> AdminAccess:
        """Check a coordinators-only action and audit the attempt either way.

        `directory` is the listener's client, used for `users.info` (workspace admins and owners count as
        coordinators); Slack is asked before the audit's transaction opens, so none is held open on it.
        """
        allowed = self.is_coordinator(team_id or "", actor, enterprise_id, directory)
        self.audit(team_id, enterprise_id, actor, action, target, "ok" if allowed else "refused")
        if allowed:
            return AdminAccess(True)
        return AdminAccess(False, self.refusal(team_id or "", enterprise_id))

    def audit_listing(self, uow: UnitOfWork, limit: int, commands: Iterable[CommandSpec]) -> AuditListing:
        """The workspace's last `limit` audit entries (1 to `MAX_ENTRIES`), newest first, safe to show.

        `commands` are the admin subcommands: their words, with the programs' names, are what an entry's
        action and target may show of what was typed.
        """
        limit = max(1, min(limit, MAX_ENTRIES))
        vocabulary = AuditVocabulary.of(commands, uow.programs.names())
        lines = []
        for entry in uow.audit_log.recent(limit):
            shown = safe_entry(entry.action, entry.target, vocabulary)
            lines.append(
                AuditLine(
                    actor=entry.actor if USER_ID.fullmatch(entry.actor) else "",
                    action=shown.action,
                    target=shown.target,
                    hidden=shown.hidden,
                    outcome="ok" if entry.outcome == "ok" else "refused",
                    at=entry.created_at,
                )
            )
        return AuditListing(tuple(lines), limit)

    def coordinators(self, uow: UnitOfWork, actor: str, args: str) -> CoordinatorsReply:
        """`/mentor admin coordinators list|add @someone|remove @someone` as typed (after `coordinators`)."""
        words = args.split()
        action = words[0].lower() if words else "list"
        users = _MENTION.findall(args)
        if action == "list":
            return CoordinatorsReply(self._listing(uow))
        if action not in ("add", "remove") or not users:
            return CoordinatorsReply(COORDINATORS_USAGE)
        repository = CoordinatorRepository(uow.session, uow.workspace_id)
        changed: list[str] = []
        unchanged: list[str] = []
        for user_id in users:
            done = repository.add(user_id, actor) if action == "add" else repository.remove(user_id)
            (changed if done else unchanged).append(f"<@{user_id}>")
        configured = action == "remove" and any(user in self.deps.coordinators.user_ids for user in users)
        return CoordinatorsReply(roster_change_message(action, changed, unchanged, configured=configured))

    def faq_listing(self, uow: UnitOfWork, page: int = 0) -> FaqListing:
        entries = FaqRepository(uow.session, uow.workspace_id).entries()
        return FaqListing([(row.id, row.title, row.answer) for row in entries], page)

    def faq_entry_form(self, uow: UnitOfWork, entry_id: int) -> FaqEntryForm | FaqListing:
        """The entry to edit, or the current listing when it was removed in the meantime."""
        row = FaqRepository(uow.session, uow.workspace_id).get(entry_id)
        if row is None:
            return self.faq_listing(uow)
        return FaqEntryForm(row.id, row.title, row.answer, row.keywords)

    def save_faq_entry(
        self,
        uow: UnitOfWork,
        entry_id: int | None,
        title: str,
        answer: str,
        keywords: str,
        author: str,
    ) -> FaqEntrySaved | dict[str, str]:
        """Add an entry (`entry_id` None) or edit one; inline errors by block id when it can't be saved."""
        problems = check_workspace_entry(title, answer, parse_keywords(keywords))
        if problems:
            return problems
        repository = FaqRepository(uow.session, uow.workspace_id)
        existing = repository.get(entry_id) if entry_id else None
        if entry_id and existing is None:
            return {"title": ENTRY_REMOVED}
        if existing is None:
            repository.add(title, answer, keywords, author)
        else:
            existing.title, existing.answer, existing.keywords = title, answer, keywords
        return FaqEntrySaved(title)

    def remove_faq_entry(self, uow: UnitOfWork, entry_id: int) -> FaqListing:
        """Remove an entry (gone already is fine); the listing as it is now."""
        FaqRepository(uow.session, uow.workspace_id).remove(entry_id)
        return self.faq_listing(uow)

    def _listing(self, uow: UnitOfWork) -> str:
        stored = CoordinatorRepository(uow.session, uow.workspace_id).user_ids()
        configured = self.deps.coordinators.user_ids
        lines = [f"• <@{user_id}> (set up with the app)" for user_id in configured]
        lines += [f"• <@{user_id}>" for user_id in stored if user_id not in configured]
        people = "\n".join(lines) if lines else "Nobody has been added yet."
        return f"*Coordinators*\n{people}\nWorkspace admins and owners can always coordinate too."


def roster_change_message(action: str, changed: list[str], unchanged: list[str], *, configured: bool) -> str:
    """The reply to `coordinators add|remove`: who changed and who was already so (mentions), agreeing
    with how many each list names; `configured` when someone set up with the app was named for removal."""
    parts = []
    if changed:
        count = len(changed)
        verb = (
            "can now coordinate"
            if action == "add"
            else inflect(count, "no longer coordinates", "no longer coordinate") + " here"
        )
        parts.append(f"{join_labels(changed)} {verb}.")
    if unchanged:
        count = len(unchanged)
        state = (
            inflect(count, "already coordinates", "already coordinate")
            if action == "add"
            else inflect(count, "wasn't", "weren't") + " on the list I keep"
        )
        parts.append(f"{join_labels(unchanged)} {state}.")
    if configured:
        parts.append("People set up with the app (`COORDINATOR_USER_IDS`) stay coordinators.")
    return " ".join(parts)
