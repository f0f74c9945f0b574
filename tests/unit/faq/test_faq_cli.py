"""`mentor-circles faq ask|eval` through a real argparse parser, as the main CLI will mount it."""

import argparse
import json

import jsonschema
import pytest

from bot.cli.faq import add_commands

ASK_SCHEMA = {
    "type": "object",
    "required": ["answer", "ranked"],
    "additionalProperties": False,
    "properties": {
        "answer": {"type": ["string", "null"]},
        "distress": {"type": "boolean"},
        "ranked": {
            "type": "array",
            "maxItems": 5,
            "items": {
                "type": "object",
                "required": ["id", "score"],
                "additionalProperties": False,
                "properties": {"id": {"type": "string"}, "score": {"type": "number"}},
            },
        },
    },
}


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="mentor-circles")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_ask_json_matches_the_schema(capsys):
    assert run("faq", "ask", "is my noncompete clause normal?", "--json") == 0
    payload = json.loads(capsys.readouterr().out)
    jsonschema.validate(payload, ASK_SCHEMA)
    assert payload["answer"] == "contract-negotiation" == payload["ranked"][0]["id"]


def test_ask_json_reports_a_decline_as_null(capsys):
    assert run("faq", "ask", "--json", "where", "is", "the", "parking", "garage") == 0
    payload = json.loads(capsys.readouterr().out)
    jsonschema.validate(payload, ASK_SCHEMA)
    assert payload["answer"] is None


def test_ask_says_when_a_question_reads_as_distress(capsys):
    assert run("faq", "ask", "--json", "so", "exhausted", "i", "cant", "cope") == 0
    payload = json.loads(capsys.readouterr().out)
    jsonschema.validate(payload, ASK_SCHEMA)
    assert (
        payload["distress"] is True
        and payload["answer"] == payload["ranked"][0]["id"] == "resident-wellbeing"
    )
    assert run("faq", "ask", "so exhausted i cant cope") == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("reads as distress")


def test_ask_text_lists_ranked_topics_and_marks_the_answer(capsys):
    assert run("faq", "ask", "how do I pause reminders while on vacation") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "answer: pause-or-leave"
    assert lines[1].startswith("1. pause-or-leave") and lines[1].endswith("<- answer")
    assert 2 <= len(lines) <= 6


def test_ask_with_an_empty_question_prints_usage_and_fails(capsys):
    assert run("faq", "ask", "   ") == 2
    assert "/mentor ask" in capsys.readouterr().err


def test_eval_prints_accuracy_and_misses(capsys, tmp_path):
    questions = tmp_path / "q.yaml"
    questions.write_text(
        "questions:\n"
        "  - {q: 'how do I negotiate my salary', topic: contract-negotiation}\n"
        "  - {q: 'is it going to rain tomorrow', topic: none}\n"
        "  - {q: 'how do I negotiate my salary', topic: privacy}\n"
    )
    assert run("faq", "eval", str(questions)) == 0
    out = capsys.readouterr().out
    assert "top-1 accuracy: 50.0% (1/2)" in out
    assert "top-3 accuracy:" in out
    assert "none declined:  100.0% (1/1)" in out
    assert "expected privacy, got contract-negotiation" in out


def test_eval_json_and_bad_files(capsys, tmp_path, dev_set):
    assert run("faq", "eval", str(dev_set), "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["questions"] >= 50 and 0 <= report["top1"] <= 1
    assert run("faq", "eval", str(tmp_path / "missing.yaml")) == 2
    (tmp_path / "bad.yaml").write_text("questions: nope\n")
    assert run("faq", "eval", str(tmp_path / "bad.yaml")) == 2


@pytest.mark.parametrize("argv", [("faq",), ("faq", "ask")])
def test_incomplete_commands_exit_with_usage(argv):
    with pytest.raises(SystemExit):
        run(*argv)
