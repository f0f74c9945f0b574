"""Closeness in meaning, with the vendored model: found without shared words, each text encoded once."""

from dataclasses import replace

import numpy as np

from bot.domain.faq import FaqEntry
from bot.domain.faq.semantic import SemanticSimilarity, TextEmbeddings, builtin_embeddings, vendored_model
from bot.domain.faq.text import is_content_word, normalize_text, stem, tokenize

SILENT = FaqEntry(
    "silent",
    "When your mentor goes quiet",
    "Basics",
    "Follow up once, then talk to the coordinator.",
    phrasings=["what if my mentor never replies to my messages", "my mentor ignores me"],
)
PARKING = FaqEntry(
    "parking",
    "Parking at the hospital",
    "Site",
    "Lot C is open to residents.",
    phrasings=["where can I leave my car overnight", "is there a garage for staff"],
)


def content_stems(text: str) -> set[str]:
    return {stem(t) for t in tokenize(normalize_text(text)) if is_content_word(t)}


class CountingEncoder:
    """The real model, counting the texts it is asked to encode."""

    def __init__(self) -> None:
        self.model = vendored_model()
        self.texts: list[str] = []

    def encode(self, sentences: list[str]) -> np.ndarray:
        self.texts.extend(sentences)
        return self.model.encode(sentences)


def test_a_question_close_in_meaning_finds_its_entry_without_sharing_a_word():
    question = "my advisor hasn't written back in six weeks"
    for entry in (SILENT, PARKING):
        for text in (entry.title, *entry.phrasings):
            assert not content_stems(question) & content_stems(text) - {"mentor"}, text
    silent, parking = SemanticSimilarity([SILENT, PARKING], builtin_embeddings()).similarities(question)
    assert silent > parking + 0.05


def test_scores_stay_between_zero_and_one_and_an_empty_question_scores_nothing():
    similarity = SemanticSimilarity([SILENT, PARKING], builtin_embeddings())
    for question in ("where do I park", "asdf qwerty", "mentor mentor mentor"):
        scores = similarity.similarities(question)
        assert scores.shape == (2,) and ((scores >= 0) & (scores <= 1)).all()
    assert not similarity.similarities("   ").any()


def test_an_entry_without_phrasings_is_scored_by_its_title():
    titled = FaqEntry("retreat", "Spring retreat for residents", "Site", "It is in May.")
    scores = SemanticSimilarity([titled, PARKING], builtin_embeddings()).similarities(
        "when is the spring retreat"
    )
    assert scores[0] > scores[1]


def test_learned_questions_bring_their_entry_closer():
    question = "nobody from my pairing has replied since march"
    learned = replace(SILENT, learned=("my match stopped answering messages",))
    before = SemanticSimilarity([SILENT, PARKING], builtin_embeddings()).similarities(question)[0]
    after = SemanticSimilarity([learned, PARKING], builtin_embeddings()).similarities(question)[0]
    assert after > before


def test_each_text_is_encoded_once_however_many_indexes_use_it():
    encoder = CountingEncoder()
    embeddings = TextEmbeddings(encoder)
    SemanticSimilarity([SILENT, PARKING], embeddings)
    first = len(encoder.texts)
    assert first == 6
    SemanticSimilarity([SILENT, PARKING, FaqEntry("new", "A new entry", "Site", "Text.")], embeddings)
    assert encoder.texts[first:] == ["A new entry"]


def test_a_full_cache_starts_again_rather_than_growing():
    encoder = CountingEncoder()
    embeddings = TextEmbeddings(encoder, max_texts=4)
    SemanticSimilarity([SILENT], embeddings)
    SemanticSimilarity([PARKING], embeddings)
    SemanticSimilarity([SILENT], embeddings)
    assert len(encoder.texts) == 9
