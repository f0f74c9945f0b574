"""Rebuild the vendored Slack specs from a folder of Slack's own files (by default `../shared/slack-specs`).

    python -m bot.sandbox.specdata.refresh [PATH_TO_SLACK_SPECS]

Writes `web_api_methods.json` (every Web API method and its required arguments, derived from
`slack_web_openapi_v2.json` as `WebApiSpec.load` does) and copies `manifest.schema.1.0.0.json` and the
licence files unchanged, all beside this script.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.sandbox.spec import SPEC_FILENAME, TABLE_FORMAT, required_arguments_from_openapi
from bot.sandbox.specdata import LICENSE_FILES, MANIFEST_SCHEMA_V1, SPECDATA_DIR, WEB_API_METHODS

REPO_ROOT = SPECDATA_DIR.parents[2]
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "slack-specs"
COPIED = (MANIFEST_SCHEMA_V1.name, *LICENSE_FILES)
"""Files copied byte for byte from the source folder."""


def render_table(document: Mapping[str, Any]) -> str:
    """The compact table for an OpenAPI document: sorted, one method per line."""
    required = required_arguments_from_openapi(document)
    version = document.get("info", {}).get("version", "unknown")
    header = {
        "format": TABLE_FORMAT,
        "source": f"{SPEC_FILENAME} (Slack Web API {version}) and NEWER_METHODS in bot/sandbox/spec.py",
        "regenerate": "python -m bot.sandbox.specdata.refresh [PATH_TO_SLACK_SPECS]",
    }
    lines = [f"  {json.dumps(key)}: {json.dumps(value)}," for key, value in header.items()]
    methods = [f"    {json.dumps(name)}: {json.dumps(sorted(required[name]))}" for name in sorted(required)]
    return "{\n" + "\n".join(lines) + '\n  "methods": {\n' + ",\n".join(methods) + "\n  }\n}\n"


def table_from(source: Path) -> str:
    return render_table(json.loads((source / SPEC_FILENAME).read_text(encoding="utf-8")))


def refresh(source: Path, target: Path = SPECDATA_DIR) -> list[Path]:
    """Write the table and copy the other files from `source` into `target`; return what was written."""
    missing = [name for name in (SPEC_FILENAME, *COPIED) if not (source / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{source} lacks {', '.join(missing)}")
    written = [target / WEB_API_METHODS.name]
    written[0].write_text(table_from(source), encoding="utf-8")
    for name in COPIED:
        shutil.copyfile(source / name, target / name)  # contents only: the source may be read-only
        written.append(target / name)
    return written


def stale(source: Path, target: Path = SPECDATA_DIR) -> list[str]:
    """The vendored files that differ from what `refresh(source)` would write (empty: up to date)."""
    missing = [name for name in (SPEC_FILENAME, *COPIED) if not (source / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{source} lacks {', '.join(missing)}")
    differing = []
    if (target / WEB_API_METHODS.name).read_text(encoding="utf-8") != table_from(source):
        differing.append(WEB_API_METHODS.name)
    differing += [name for name in COPIED if (target / name).read_bytes() != (source / name).read_bytes()]
    return differing


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.sandbox.specdata.refresh", description=__doc__)
    parser.add_argument(
        "source",
        nargs="?",
        type=Path,
        default=DEFAULT_SOURCE,
        help=f"folder holding Slack's spec files (default {DEFAULT_SOURCE})",
    )
    parser.add_argument(
        "--check", action="store_true", help="only say whether the vendored files are up to date"
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            differing = stale(args.source)
            for name in differing:
                print(f"{name} differs from {args.source}: run the refresh", file=sys.stderr)
            return 1 if differing else 0
        written = refresh(args.source)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path.relative_to(REPO_ROOT)} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
