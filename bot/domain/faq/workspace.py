"""A workspace's own FAQ entries, searched together with the built-ins in one index per workspace."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import replace

from bot.domain.faq.entry import MAX_ANSWER_CHARS, FaqEntry
from bot.domain.faq.index import FaqIndex
from bot.domain.faq.knowledge_base import load_builtin_entries
from bot.domain.faq.lexicon import SearchAids
from bot.domain.faq.settings import SearchSettings

WORKSPACE_CATEGORY = "Our program"
WORKSPACE_ID_PREFIX = "workspace:"
MAX_TITLE_CHARS = 150
MAX_KEYWORDS = 30
MAX_KEYWORD_CHARS = 60

_KEYWORD_SEPARATORS = re.compile(r"[,;\n]+")


def workspace_entry(
    workspace_id: str,
    key: str,
    title: str,
    answer: str,
    keywords: Iterable[str] = (),
    *,
    category: str = WORKSPACE_CATEGORY,
    related: Iterable[str] = (),
) -> FaqEntry:
    """An entry written by a workspace's coordinators; ``key`` is the storage's id for it.

    Its id carries the workspace, so it can never clash with a built-in topic or another workspace's entry.
    """
    if not workspace_id:
        raise ValueError("a workspace entry needs its workspace id")
    return FaqEntry(
        id=workspace_entry_id(workspace_id, key),
        title=title.strip(),
        category=category,
        answer=answer.strip(),
        related=tuple(related),
        keywords=tuple(k.strip() for k in keywords if k.strip()),
        workspace_id=workspace_id,
    )


def workspace_entry_id(workspace_id: str, key: str) -> str:
    return f"{WORKSPACE_ID_PREFIX}{workspace_id}:{key}"


def parse_keywords(text: str) -> tuple[str, ...]:
    """Keywords as a coordinator types them in one box: separated by commas, semicolons or lines."""
    return tuple(k.strip() for k in _KEYWORD_SEPARATORS.split(text or "") if k.strip())


def check_workspace_entry(title: str, answer: str, keywords: Sequence[str] = ()) -> dict[str, str]:
    """Problems with a coordinator's entry, keyed by field ("title", "answer", "keywords").

    The keys match what a modal needs to show errors next to the right input; empty means fine.
    """
    problems: dict[str, str] = {}
    if not title.strip():
        problems["title"] = "Please add a title, e.g. the question people will ask."
    elif len(title.strip()) > MAX_TITLE_CHARS:
        problems["title"] = f"Please keep the title under {MAX_TITLE_CHARS} characters."
    if not answer.strip():
        problems["answer"] = "Please write the answer people should see."
    elif len(answer.strip()) > MAX_ANSWER_CHARS:
        problems["answer"] = (
            f"Please keep the answer under {MAX_ANSWER_CHARS:,} characters so it fits one message."
        )
    if len(keywords) > MAX_KEYWORDS:
        problems["keywords"] = f"Please use at most {MAX_KEYWORDS} keywords."
    elif any(len(k) > MAX_KEYWORD_CHARS for k in keywords):
        problems["keywords"] = f"Please keep each keyword under {MAX_KEYWORD_CHARS} characters."
    return problems


Learned = Mapping[str, Sequence[str]]
"""Entry id -> the questions a workspace's coordinators mapped to that entry."""


def with_learned(entries: Iterable[FaqEntry], learned: Learned) -> tuple[FaqEntry, ...]:
    """Copies of the entries carrying the questions mapped to them; ids nothing matches are ignored
    (a workspace entry removed since, a topic renamed)."""
    return tuple(
        replace(entry, learned=(*entry.learned, *learned[entry.id])) if learned.get(entry.id) else entry
        for entry in entries
    )


def build_workspace_index(
    workspace_id: str,
    workspace_entries: Iterable[FaqEntry],
    *,
    learned: Learned | None = None,
    builtins: Sequence[FaqEntry] | None = None,
    aids: SearchAids | None = None,
    settings: SearchSettings | None = None,
) -> FaqIndex:
    """The built-ins plus one workspace's entries, so both rank on the same scale, with the questions its
    coordinators taught them."""
    own = tuple(workspace_entries)
    strangers = [e.id for e in own if e.workspace_id != workspace_id]
    if strangers:
        raise ValueError(f"entries {strangers} do not belong to workspace {workspace_id!r}")
    base = load_builtin_entries() if builtins is None else tuple(builtins)
    return FaqIndex.build(with_learned((*base, *own), learned or {}), aids=aids, settings=settings)


class WorkspaceIndexCache:
    """One index per workspace, rebuilt only when that workspace's entries change.

    ``version`` is any value that changes whenever the workspace's entries do (storage uses the count and
    the newest edit time), so a cached index is reused without loading the entries at all. Safe to share
    between the threads Bolt runs listeners on. The least recently used workspaces are dropped beyond
    ``max_workspaces``.
    """

    def __init__(
        self,
        *,
        builtins: Sequence[FaqEntry] | None = None,
        settings: SearchSettings | None = None,
        max_workspaces: int = 256,
    ) -> None:
        self._builtins = load_builtin_entries() if builtins is None else tuple(builtins)
        self._settings = settings
        self._max = max_workspaces
        self._cache: OrderedDict[str, tuple[Hashable, FaqIndex]] = OrderedDict()
        self._lock = threading.Lock()
        self.builds = 0
        """How many indexes this cache has built: lets callers and tests see reuse."""

    def get(
        self,
        workspace_id: str,
        version: Hashable,
        load_entries: Callable[[], Iterable[FaqEntry]],
        load_learned: Callable[[], Learned] | None = None,
    ) -> FaqIndex:
        """``version`` must change whenever what either loader returns does."""
        with self._lock:
            cached = self._cache.get(workspace_id)
            if cached is not None and cached[0] == version:
                self._cache.move_to_end(workspace_id)
                return cached[1]
            index = build_workspace_index(
                workspace_id,
                tuple(load_entries()),
                learned=load_learned() if load_learned else None,
                builtins=self._builtins,
                settings=self._settings,
            )
            self.builds += 1
            self._cache[workspace_id] = (version, index)
            self._cache.move_to_end(workspace_id)
            while len(self._cache) > self._max:
                self._cache.popitem(last=False)
            return index

    def invalidate(self, workspace_id: str) -> None:
        with self._lock:
            self._cache.pop(workspace_id, None)
