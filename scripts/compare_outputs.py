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


def _common(a: Any, b: Any, added: set[str], path: str = "") -> tuple[Any, Any]:
    """a and b restricted to the keys a has (recording keys only b has)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in b.keys() - a.keys():
            added.add(f"{path}{k}")
        keys = [k for k in a if k in b]
        pairs = {k: _common(a[k], b[k], added, f"{path}{k}.") for k in keys}
        missing = {k: a[k] for k in a if k not in b}
        return ({k: p[0] for k, p in pairs.items()} | missing, {k: p[1] for k, p in pairs.items()})
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        pairs_l = [_common(x, y, added, path) for x, y in zip(a, b, strict=True)]
        return [p[0] for p in pairs_l], [p[1] for p in pairs_l]
    return a, b


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
    if allow_new and len(a_recs) == len(b_recs):
        # Align by the sorted order of the records' common part, then compare.
        pairs = [_common(x, y, added) for x, y in zip(sorted(a_recs, key=_key), sorted(b_recs, key=_key), strict=True)]
        a_keys = sorted(_key(p[0]) for p in pairs)
        b_keys = sorted(_key(p[1]) for p in pairs)
    else:
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
