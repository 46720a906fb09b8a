#!/usr/bin/env python3
"""Extraction scores of the deterministic part of extract/v3 alone (no model), per sample and pooled.

Every span semx.llm.spans finds becomes an indicator named from its own quote (the words beside
the value) and categorised by its unit and words, exactly what extract/v3 keeps when the model's
answer stays invalid. Scored with the eval's own matching rule (semx/evaluate/extraction.py), so
the numbers are comparable with `semx eval`: what the model adds to v3 is the difference.

usage: python eval/tools/spans_baseline.py [REVISION]    (span grammar revision: 1 = extract/v3, 2 = extract/v4)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from semx.evaluate.extraction import score_block
    from semx.evaluate.gold import load_blocks
    from semx.evaluate.items import extract_items
    from semx.evaluate.metrics import PRF
    from semx.llm.span_extract import block_spans, fallback_level2, fallback_name

    revision = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    items = extract_items(load_blocks(ROOT / "eval" / "gold" / "extract.jsonl"), ROOT / "eval" / "corpus")
    per: dict[str, tuple[PRF, int, int]] = {}
    for it in items:
        if it.target is None:
            continue
        preds = [{"name": fallback_name(s), "level2": fallback_level2(s), "op": s.op, "unit": s.unit,
                  "number": None if s.number is None else format(s.number, "f")} for s in block_spans(it.target, revision)]
        sc = score_block(it.block, preds)
        prf, l2, val = per.get(it.block.sample, (PRF(0, 0, 0), 0, 0))
        per[it.block.sample] = (prf + sc.prf, l2 + sc.level2_ok, val + sc.value_ok)
    total = (PRF(0, 0, 0), 0, 0)
    print("| sample | TP/FP/FN | P | R | F1 | 二级 acc | value acc |\n|---|---|---|---|---|---|---|")
    for name, row in [*sorted(per.items()), ("pooled", None)]:
        if row is None:
            row = total
        else:
            total = (total[0] + row[0], total[1] + row[1], total[2] + row[2])
        prf, l2, val = row
        tp = prf.tp or 1
        print(f"| {name[:3] if name != 'pooled' else name} | {prf.tp}/{prf.fp}/{prf.fn} | {prf.precision:.3f} | "
              f"{prf.recall:.3f} | {prf.f1:.3f} | {l2 / tp:.3f} | {val / tp:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
