from pathlib import Path

import pytest

from bot.domain.faq import FaqIndex, load_builtin_entries

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[2].parent / "shared"


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
def own_sets(heldout_set, blind_a_set, blind_b_set) -> dict[str, Path]:
    """The evaluation sets kept with the tests (the dev set lives in shared/)."""
    return {"heldout": heldout_set, "blind_a": blind_a_set, "blind_b": blind_b_set}


@pytest.fixture(scope="session")
def dev_set() -> Path:
    path = SHARED / "faq" / "dev-questions.yaml"
    if not path.exists():
        pytest.skip("shared/faq/dev-questions.yaml is not beside the checkout")
    return path


@pytest.fixture(scope="session")
def topics_file() -> Path:
    path = SHARED / "faq" / "topics.yaml"
    if not path.exists():
        pytest.skip("shared/faq/topics.yaml is not beside the checkout")
    return path
