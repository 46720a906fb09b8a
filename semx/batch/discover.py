"""Turn the PATH arguments of `semx score` into the list of files to score."""

from __future__ import annotations

from pathlib import Path

from semx.ingest import SUPPORTED_SUFFIXES as SUFFIXES


def discover(paths: list[Path]) -> list[Path]:
    """Files as given, and the .txt files under each folder (recursively), sorted, without repeats.

    A named file is kept whatever its suffix (the user asked for it); a missing path is kept
    too, so that it fails visibly in errors.jsonl instead of vanishing.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        candidates = (
            sorted(c for c in p.rglob("*") if c.is_file() and c.suffix.lower() in SUFFIXES) if p.is_dir() else [p]
        )
        for c in candidates:
            key = c.resolve()
            if key not in seen:
                seen.add(key)
                found.append(c)
    return found
