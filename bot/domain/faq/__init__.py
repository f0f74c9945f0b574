"""FAQ knowledge base and search: pure domain code (no Slack, no database).

Typical use from the Slack layer::

    check = check_question(text)
    if not check.ok: reply(check.problem)
    index = cache.get(team_id, workspace_entries_from_storage)
    result = index.search(check.question)
    if result.declined: show decline_message(coordinators) and result.closest()
    else: show result.answer.answer_with(coordinators) and index.related(result.answer)
"""

from bot.domain.faq.entry import COORDINATORS_PLACEHOLDER, MAX_ANSWER_CHARS, FaqEntry, Source
from bot.domain.faq.evaluation import EvaluationReport, LabelledQuestion, evaluate, load_questions
from bot.domain.faq.index import FaqIndex, ScoredEntry, SearchResult
from bot.domain.faq.knowledge_base import (
    KnowledgeBase,
    decline_message,
    load_builtin_entries,
    load_knowledge_base,
)
from bot.domain.faq.question import MAX_QUESTION_CHARS, QuestionCheck, check_question, normalize_question
from bot.domain.faq.settings import SearchSettings
from bot.domain.faq.workspace import (
    WORKSPACE_CATEGORY,
    WorkspaceIndexCache,
    build_workspace_index,
    check_workspace_entry,
    parse_keywords,
    workspace_entry,
)

__all__ = [
    "COORDINATORS_PLACEHOLDER",
    "MAX_ANSWER_CHARS",
    "MAX_QUESTION_CHARS",
    "WORKSPACE_CATEGORY",
    "EvaluationReport",
    "FaqEntry",
    "FaqIndex",
    "KnowledgeBase",
    "LabelledQuestion",
    "QuestionCheck",
    "ScoredEntry",
    "SearchResult",
    "SearchSettings",
    "Source",
    "WorkspaceIndexCache",
    "build_workspace_index",
    "check_question",
    "check_workspace_entry",
    "decline_message",
    "evaluate",
    "load_builtin_entries",
    "load_knowledge_base",
    "load_questions",
    "normalize_question",
    "parse_keywords",
    "workspace_entry",
]
