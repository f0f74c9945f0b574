"""The `match` command group, driven through a real argparse parser."""

from __future__ import annotations

import argparse
import json

import pytest

from bot.cli.match import add_commands


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="mentor-circles")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def circles_file(tmp_path):
    path = tmp_path / "pool.json"
    members = [
        {
            "id": "U1",
            "stage": "PGY-1",
            "specialty": "internal-medicine",
            "site": "A",
            "tz": "America/Chicago",
            "track": "academic",
            "avoid": ["U7"],
        },
    ] + [{"id": f"U{i}"} for i in range(2, 9)]
    path.write_text(json.dumps({"members": members, "history": [{"circles": [["U1", "U2", "U3"]]}]}))
    return path


def test_circles_json_output(circles_file, capsys):
    assert (
        _run(["match", "circles", "--input", str(circles_file), "--size", "4", "--rounds", "2", "--json"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert len(out["rounds"]) == 2
    for round_ in out["rounds"]:
        placed = sorted(p for c in round_["circles"] for p in c)
        assert placed == sorted(f"U{i}" for i in range(1, 9))
        assert all(not {"U1", "U7"} <= set(c) for c in round_["circles"])
        assert isinstance(round_["objective"], float)
    first = out["rounds"][0]["circles"]
    assert all(not {"U1", "U2"} <= set(c) for c in first)


def test_circles_table_output(circles_file, capsys):
    assert _run(["match", "circles", "--input", str(circles_file), "--size", "4"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Round 1: 2 circles")
    assert "new to each other" in out


def test_mentors_json_output(tmp_path, capsys):
    path = tmp_path / "mentors.json"
    path.write_text(
        json.dumps(
            {
                "mentees": [
                    {"id": "E1", "needs": ["research", "business"]},
                    {"id": "E2", "needs": ["education"]},
                ],
                "mentors": [
                    {"id": "M1", "offers": ["research"], "capacity": 2},
                    {"id": "M2", "offers": ["business", "education"], "capacity": 2},
                ],
            }
        )
    )
    assert _run(["match", "mentors", "--input", str(path), "--teams", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    e1 = next(m for m in out["matches"] if m["mentee"] == "E1")
    assert e1["mentors"] == ["M1", "M2"] and sorted(e1["covered"]) == ["business", "research"]
    assert out["unmatched"] == []
    assert _run(["match", "mentors", "--input", str(path), "--json"]) == 0
    single = json.loads(capsys.readouterr().out)
    assert all(len(m["mentors"]) == 1 for m in single["matches"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('{"members": 3}', "'members' must be a list"),
        ('{"members": [{"name": "x"}]}', "members[0] needs a non-empty string 'id'"),
        ('{"members": [{"id": "a", "avoid": "b"}]}', "members[0].avoid must be a list of strings"),
        ("[1, 2]", "the input must be a JSON object"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(tmp_path, capsys, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert _run(["match", "circles", "--input", str(path), "--size", "4"]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_missing_file_and_bad_sizes(tmp_path, capsys):
    assert _run(["match", "mentors", "--input", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
    path = tmp_path / "ok.json"
    path.write_text('{"members": []}')
    assert _run(["match", "circles", "--input", str(path), "--size", "4", "--min", "5"]) == 2
    assert "min <= target <= max" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "document", "named"),
    [
        (
            ["circles", "--size", "4"],
            {"members": [], "memebrs": []},
            "the input has an unknown key 'memebrs'",
        ),
        (
            ["circles", "--size", "4"],
            {"members": [{"id": "a", "speciality": "x"}]},
            "members[0] has an unknown key 'speciality'",
        ),
        (
            ["circles", "--size", "4"],
            {"members": [], "history": [{"circle": []}]},
            "history[0] has an unknown key 'circle'",
        ),
        (
            ["circles", "--size", "4"],
            {"members": [], "weights": {"stages": 1}},
            "'weights' has an unknown key 'stages'",
        ),
        (
            ["mentors"],
            {"mentees": [], "mentors": [{"id": "m", "capacty": 2}]},
            "mentors[0] has an unknown key 'capacty'",
        ),
        (["mentors"], {"mentees": [], "mentors": [], "keep": True}, "the input has an unknown key 'keep'"),
    ],
)
def test_unknown_keys_are_refused_by_name(tmp_path, capsys, command, document, named):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(document))
    assert _run(["match", command[0], "--input", str(path), *command[1:]]) == 2
    err = capsys.readouterr().err
    assert named in err and len(err.strip().splitlines()) == 1
    assert "`mentor-circles match --help` describes the format" in err


@pytest.mark.parametrize("command", ["circles", "mentors"])
def test_help_documents_every_key_the_format_accepts(capsys, command):
    from bot.cli.match import CIRCLES_KEYS, MENTORS_KEYS, PERSON_KEYS

    with pytest.raises(SystemExit):
        _run(["match", command, "--help"])
    help_text = capsys.readouterr().out
    top = CIRCLES_KEYS if command == "circles" else MENTORS_KEYS
    for key in [*top, *PERSON_KEYS]:
        assert f"\n  {key} " in help_text, key
    assert "Objective: the total cost the engine minimised" in help_text


def test_the_output_explains_the_objective(circles_file, tmp_path, capsys):
    assert _run(["match", "circles", "--input", str(circles_file), "--size", "4"]) == 0
    out = capsys.readouterr().out
    assert "objective " in out.splitlines()[0]
    assert out.rstrip().endswith("each scaled by 'weights'.")
    path = tmp_path / "mentors.json"
    path.write_text(
        json.dumps(
            {
                "mentees": [{"id": "E1", "needs": ["research"]}],
                "mentors": [{"id": "M1", "offers": ["research"]}],
            }
        )
    )
    assert _run(["match", "mentors", "--input", str(path)]) == 0
    out = capsys.readouterr().out
    assert "so matching everyone comes first." in out
    assert "This matching is the best possible" in out
