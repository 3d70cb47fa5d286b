"""Shared paths for the rtc_tokens test suite."""

import json
from pathlib import Path

#: The workspace root (bindings/python/tests -> ../../..).
ROOT = Path(__file__).resolve().parents[3]


def suite_files(*relative):
    """The JSON suites under the given workspace directories, files with
    identical content taken once (as the Rust harness does)."""
    seen, files = set(), []
    for rel in relative:
        directory = (ROOT / rel).resolve()
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.json")):
            text = path.read_text(encoding="utf-8")
            if text not in seen:
                seen.add(text)
                files.append((path, json.loads(text)))
    return files
