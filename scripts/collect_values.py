#!/usr/bin/env python3
"""List every distinct 指标值 found in the project tables of the given files.

usage: python scripts/collect_values.py [FILE ...]   (default: eval/corpus/*.txt)

Output (TSV, one distinct value per line, sorted by value):
    raw, count, first place (file:line), then the current parse: op, number, unit, kind, wan
The parse columns are a draft for review only: tests/data/indicator_values.tsv holds the
expected parse written by hand, and the test compares the parser against that file.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from semx.pipeline import parse_file
from semx.targets import parse_value


def _fmt(x: object) -> str:
    return "" if x is None else str(x)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "eval" / "corpus").glob("*.txt"))
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for path in paths:
        projects = parse_file(path).projects
        for project in projects:
            for ind in project.indicators:
                raw = ind.value.raw
                counts[raw] += 1
                first.setdefault(raw, f"{path.name}:{ind.line}")
    out = sys.stdout
    out.write("raw\tcount\tfirst\top\tnumber\tunit\tkind\twan\n")
    for raw in sorted(counts):
        v = parse_value(raw)
        cols = [raw, str(counts[raw]), first[raw], _fmt(v.op), _fmt(v.number), _fmt(v.unit), v.kind, _fmt(v.wan)]
        out.write("\t".join(c.replace("\t", " ") for c in cols) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
