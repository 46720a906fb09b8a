"""Compare two `semx score --out` folders: are the outputs the same after sorting?

    python scripts/compare_outputs.py BEFORE AFTER [--allow-new-fields]

Used to show that a change of structure changed no result (issue 15): indicators.jsonl,
findings.csv, errors.jsonl, summary.json and every documents/*.json are compared as sorted
records, with timings and other run-dependent values left out. `--allow-new-fields` accepts
fields or columns that only AFTER has (a new output such as the page number), and reports them,
while every field both sides have must still be equal. Exit 0 when equal, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

# Values that differ between two runs of the same code: wall times, token latencies, paths of
# the output folder, the time a run started; and where the run was executed (--engine, and the
# documents each Ray worker did), which must not change any result.
VOLATILE = {"seconds", "latency_s", "elapsed_s", "started_at", "finished_at", "phases", "out", "generated_at",
            "engine", "workers"}


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _paths(value: Any, out: set[str], path: str = "") -> set[str]:
    """Every key path in value (list items share their list's path)."""
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(f"{path}{k}")
            _paths(v, out, f"{path}{k}.")
    elif isinstance(value, list):
        for v in value:
            _paths(v, out, path)
    return out


def _only_known(value: Any, known: set[str], added: set[str], path: str = "") -> Any:
    """value without the key paths that no BEFORE record has (recording them as added)."""
    if isinstance(value, dict):
        kept: dict[str, Any] = {}
        for k, v in value.items():
            if f"{path}{k}" in known:
                kept[k] = _only_known(v, known, added, f"{path}{k}.")
            else:
                added.add(f"{path}{k}")
        return kept
    if isinstance(value, list):
        return [_only_known(v, known, added, path) for v in value]
    return value


def _records(path: Path) -> list[Any]:
    if not path.exists():
        return []
    if path.suffix == ".jsonl":
        return [_scrub(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return [dict(row) for row in csv.DictReader(fh)]
    return [_scrub(json.loads(path.read_text(encoding="utf-8")))]


def _key(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def compare_file(before: Path, after: Path, allow_new: bool) -> tuple[list[str], set[str]]:
    a_recs, b_recs = _records(before), _records(after)
    added: set[str] = set()
    problems: list[str] = []
    if len(a_recs) != len(b_recs):
        problems.append(f"{before.name}: {len(a_recs)} records before, {len(b_recs)} after")
    if allow_new:
        # Compare AFTER restricted to the fields BEFORE has anywhere; the rest is reported as new.
        known: set[str] = set()
        for r in a_recs:
            _paths(r, known)
        b_recs = [_only_known(r, known, added) for r in b_recs]
    a_keys = sorted(_key(r) for r in a_recs)
    b_keys = sorted(_key(r) for r in b_recs)
    if a_keys != b_keys:
        only_a = set(a_keys) - set(b_keys)
        only_b = set(b_keys) - set(a_keys)
        problems.append(f"{before.name}: {len(only_a)} records only before, {len(only_b)} only after")
        for r in sorted(only_a)[:3]:
            problems.append(f"  - {r[:300]}")
        for r in sorted(only_b)[:3]:
            problems.append(f"  + {r[:300]}")
    return problems, added


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--allow-new-fields", action="store_true", help="accept fields only AFTER has; report them")
    args = ap.parse_args(argv)
    names = ["indicators.jsonl", "findings.csv", "errors.jsonl", "summary.json"]
    docs_a = sorted(p.name for p in (args.before / "documents").glob("*.json"))
    docs_b = sorted(p.name for p in (args.after / "documents").glob("*.json"))
    problems: list[str] = []
    added: set[str] = set()
    if docs_a != docs_b:
        problems.append(f"documents/: {sorted(set(docs_a) ^ set(docs_b))} differ")
    pairs = [(args.before / n, args.after / n) for n in names]
    pairs += [(args.before / "documents" / n, args.after / "documents" / n) for n in docs_a if n in docs_b]
    for a, b in pairs:
        p, new = compare_file(a, b, args.allow_new_fields)
        problems += p
        added |= new
    if added:
        print("fields only after:", ", ".join(sorted(added)[:40]))
    for line in problems:
        print(line)
    print(f"{len(pairs)} files compared: {'equal' if not problems else 'DIFFERENT'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
