"""The built-in knowledge base shipped as ``bot/data/faq.yaml``, with the example questions of
``bot/data/faq_examples.yaml`` searched as its entries' phrasings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

import yaml

from bot.domain.faq.distress import DistressDetector, DistressTerms
from bot.domain.faq.entry import FaqEntry, as_tuple, fill_coordinators
from bot.domain.faq.lexicon import Lexicon, SearchAids, SynonymGroup

DATA_PACKAGE = "bot"
DATA_FILE = "data/faq.yaml"
EXAMPLES_FILE = "data/faq_examples.yaml"


@dataclass(frozen=True)
class ExampleQuestion:
    """A question the project wrote for an evaluation round, with the topic that answers it."""

    round: str
    question: str
    topic: str


@dataclass(frozen=True)
class KnowledgeBase:
    entries: tuple[FaqEntry, ...]
    synonyms: tuple[SynonymGroup, ...]
    off_topic: tuple[str, ...]
    """Words and phrases that mark a question as not about mentorship."""
    context: tuple[str, ...]
    """Words and phrases that say who is asking (training stage, role); they count for less."""
    decline_message: str
    """Shown when no entry fits; may contain the coordinators placeholder."""
    distress_terms: DistressTerms = DistressTerms()
    wellbeing_contacts_default: str = ""
    """Who to talk to when a program has set no wellbeing contacts of its own (Slack mrkdwn)."""
    examples: tuple[ExampleQuestion, ...] = ()
    """Already among ``entries``' phrasings; kept apart so a benchmark can leave a round out."""

    @property
    def aids(self) -> SearchAids:
        return _aids_for(self.synonyms, self.off_topic, self.context)

    @property
    def distress(self) -> DistressDetector:
        return _detector_for(self.distress_terms)


def parse_knowledge_base(data: Mapping[str, Any]) -> KnowledgeBase:
    entries = tuple(
        FaqEntry(
            id=str(item["id"]),
            title=str(item["title"]).strip(),
            category=str(item["category"]).strip(),
            answer=str(item["answer"]).strip(),
            related=as_tuple(item.get("related")),
            keywords=as_tuple(item.get("keywords")),
            phrasings=as_tuple(item.get("phrasings")),
        )
        for item in data["entries"]
    )
    synonyms = tuple(
        SynonymGroup(terms=as_tuple(group["terms"]), means=str(group["means"]))
        for group in data.get("synonyms", ())
    )
    off_topic = tuple(str(term) for group in data.get("off_topic", ()) for term in group)
    context = tuple(str(term) for term in data.get("context", ()))
    distress = data.get("distress") or {}
    terms = DistressTerms(
        **{name: as_tuple(distress.get(name)) for name in ("crisis", "signs", "general", "present", "now")}
    )
    return KnowledgeBase(
        entries,
        synonyms,
        off_topic,
        context,
        str(data["decline_message"]).strip(),
        terms,
        str(data.get("wellbeing_contacts_default") or "").strip(),
    )


def parse_examples(data: Mapping[str, Any]) -> tuple[ExampleQuestion, ...]:
    return tuple(
        ExampleQuestion(str(name), str(item["q"]), str(item["topic"]))
        for name, items in (data.get("rounds") or {}).items()
        for item in items
    )


def with_examples(entries: Iterable[FaqEntry], examples: Iterable[ExampleQuestion]) -> tuple[FaqEntry, ...]:
    """``entries`` with each example question added to its topic's phrasings."""
    by_topic: dict[str, list[str]] = {}
    for example in examples:
        by_topic.setdefault(example.topic, []).append(example.question)
    return tuple(replace(e, phrasings=(*e.phrasings, *by_topic.get(e.id, ()))) for e in entries)


def read_knowledge_base_text() -> str:
    return resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")


def read_examples_text() -> str:
    return resources.files(DATA_PACKAGE).joinpath(EXAMPLES_FILE).read_text(encoding="utf-8")


@cache
def load_written_knowledge_base() -> KnowledgeBase:
    """``bot/data/faq.yaml`` alone: the entries as written, without the example questions."""
    return parse_knowledge_base(yaml.safe_load(read_knowledge_base_text()))


@cache
def load_knowledge_base() -> KnowledgeBase:
    written = load_written_knowledge_base()
    examples = parse_examples(yaml.safe_load(read_examples_text()))
    unknown = {e.topic for e in examples} - {e.id for e in written.entries}
    if unknown:
        raise ValueError(f"example questions for topics the knowledge base lacks: {sorted(unknown)}")
    return replace(written, entries=with_examples(written.entries, examples), examples=examples)


def entries_without_round(name: str) -> tuple[FaqEntry, ...]:
    """The built-in entries as they would be had evaluation round ``name`` never joined the example
    questions: how a benchmark searches that round's questions as new ones."""
    written = load_written_knowledge_base().entries
    return with_examples(written, (e for e in load_knowledge_base().examples if e.round != name))


def load_builtin_entries() -> tuple[FaqEntry, ...]:
    return load_knowledge_base().entries


def default_wellbeing_contacts() -> str:
    return load_knowledge_base().wellbeing_contacts_default


def decline_message(coordinators: str) -> str:
    """The "no good answer" text with the coordinators (e.g. Slack mentions) filled in."""
    return fill_coordinators(load_knowledge_base().decline_message, coordinators)


@cache
def _aids_for(
    synonyms: tuple[SynonymGroup, ...], off_topic: tuple[str, ...], context: tuple[str, ...]
) -> SearchAids:
    return SearchAids(
        synonyms=Lexicon(synonyms),
        off_topic=Lexicon([SynonymGroup(off_topic, "")]),
        context=Lexicon([SynonymGroup(context, "")]),
    )


@cache
def _detector_for(terms: DistressTerms) -> DistressDetector:
    return DistressDetector(terms)
