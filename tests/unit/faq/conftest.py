from pathlib import Path

import pytest

from bot.domain.faq import FaqIndex, load_builtin_entries

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[2].parent / "shared"
VENDORED = HERE / "data"


def shared_faq_file(name: str) -> Path:
    """``../shared/faq/<name>`` beside the checkout when present (the maintained source), otherwise the
    vendored copy in ``data/``, so the repository's tests never depend on what sits beside it."""
    shared = SHARED / "faq" / name
    return shared if shared.exists() else VENDORED / name


@pytest.fixture(scope="session")
def builtin_index() -> FaqIndex:
    return FaqIndex.build(load_builtin_entries())


@pytest.fixture(scope="session")
def heldout_set() -> Path:
    return HERE / "heldout_questions.yaml"


@pytest.fixture(scope="session")
def blind_a_set() -> Path:
    return HERE / "blind_a.yaml"


@pytest.fixture(scope="session")
def blind_b_set() -> Path:
    return HERE / "blind_b.yaml"


@pytest.fixture(scope="session")
def heldout_v3_set() -> Path:
    return HERE / "heldout_v3.yaml"


@pytest.fixture(scope="session")
def heldout_v4_set() -> Path:
    return HERE / "heldout_v4.yaml"


@pytest.fixture(scope="session")
def heldout_v5_set() -> Path:
    return HERE / "heldout_v5.yaml"


@pytest.fixture(scope="session")
def heldout_v6_set() -> Path:
    return HERE / "heldout_v6.yaml"


@pytest.fixture(scope="session")
def heldout_v7_set() -> Path:
    return HERE / "heldout_v7.yaml"


@pytest.fixture(scope="session")
def heldout_v8_set() -> Path:
    return HERE / "heldout_v8.yaml"


@pytest.fixture(scope="session")
def heldout_v9_set() -> Path:
    return HERE / "heldout_v9.yaml"


HELD_OUT = frozenset({"heldout_v9"})
"""Own sets whose questions have not joined the example questions: searched as they are."""


@pytest.fixture(scope="session")
def own_sets(
    heldout_set,
    blind_a_set,
    blind_b_set,
    heldout_v3_set,
    heldout_v4_set,
    heldout_v5_set,
    heldout_v6_set,
    heldout_v7_set,
    heldout_v8_set,
    heldout_v9_set,
) -> dict[str, Path]:
    """The evaluation sets kept with the tests (the dev set lives in shared/)."""
    return {
        "heldout": heldout_set,
        "blind_a": blind_a_set,
        "blind_b": blind_b_set,
        "heldout_v3": heldout_v3_set,
        "heldout_v4": heldout_v4_set,
        "heldout_v5": heldout_v5_set,
        "heldout_v6": heldout_v6_set,
        "heldout_v7": heldout_v7_set,
        "heldout_v8": heldout_v8_set,
        "heldout_v9": heldout_v9_set,
    }


@pytest.fixture(scope="session")
def dev_set() -> Path:
    return shared_faq_file("dev-questions.yaml")


@pytest.fixture(scope="session")
def topics_file() -> Path:
    return shared_faq_file("topics.yaml")
