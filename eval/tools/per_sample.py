#!/usr/bin/env python3
"""Per-sample extraction scores from a `semx eval` output folder (its items.json).

`semx eval` pools the 69 blocks; the issue asks for each document too. Reads the per-block
TP/FP/FN and matched-pair counts the eval already wrote, so the numbers are the eval's own.

usage: python eval/tools/per_sample.py EVAL_OUT_DIR
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    data = json.loads((Path(argv[0]) / "items.json").read_text(encoding="utf-8"))
    print("| run | sample | TP/FP/FN | P | R | F1 | 二级 acc | value acc |\n|---|---|---|---|---|---|---|---|")
    for run, blocks in data["extract_blocks"].items():
        per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
        for b in blocks:
            for sample in (b["key"].split("/")[0][:3], "pooled"):
                row = per[sample]
                for i, k in enumerate(("tp", "fp", "fn", "level2_ok", "value_ok")):
                    row[i] += b[k]
        for sample, (tp, fp, fn, l2, val) in sorted(per.items(), key=lambda kv: (kv[0] == "pooled", kv[0])):
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            print(f"| {run} | {sample} | {tp}/{fp}/{fn} | {p:.3f} | {r:.3f} | {f1:.3f} | "
                  f"{l2 / tp if tp else 0:.3f} | {val / tp if tp else 0:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
