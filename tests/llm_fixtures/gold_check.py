"""How right the recorded extraction is: replay the test cassettes and score them on the gold blocks.

    python -m tests.llm_fixtures.gold_check

The replay tests assert what the model answered; this prints how good those answers are,
against eval/gold/extract.jsonl (the matching rule of semx eval: name similarity AND equal
number), per document and pooled. Offline: cassettes only, record mode "none".
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from semx.evaluate.extraction import score_block
from semx.evaluate.gold import load_blocks as load_gold_blocks
from semx.evaluate.metrics import PRF
from semx.llm.client import LLMClient
from semx.llm.tasks import extract_target
from tests.llm_fixtures.replay import CASSETTES, DOCS, load_blocks, make_vcr, replay_config


def predicted(target: Any) -> list[dict[str, Any]]:
    return [{"name": i.level3, "level1": i.level1, "level2": i.level2, "op": i.value.op,
             "number": None if i.value.number is None else format(i.value.number, "f"), "unit": i.value.unit}
            for i in target.indicators]


def main() -> int:
    gold = {(b.sample, b.title_line): b for b in load_gold_blocks()}
    v = make_vcr()
    totals: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as tmp, LLMClient(replay_config(Path(tmp))) as client:
        for doc, sample in DOCS.items():
            t = totals.setdefault(doc, [0, 0, 0, 0, 0, 0, 0])  # blocks, failed, tp, fp, fn, level2 ok, value ok
            for i, block in enumerate(load_blocks(doc)):
                name = f"extract/{doc}/{i:02d}.yaml"
                g = gold.get((sample, block.start_line))
                if g is None or not (CASSETTES / name).exists():
                    continue
                with v.use_cassette(name):
                    target, _ = extract_target(client, block, document=sample)
                s = score_block(g, predicted(target))
                t[0] += 1
                t[1] += target.llm_error is not None and not target.llm_error.startswith("partial:")
                t[2] += s.prf.tp
                t[3] += s.prf.fp
                t[4] += s.prf.fn
                t[5] += s.level2_ok
                t[6] += s.value_ok
    rows = [*totals.items(), ("pooled", [sum(x) for x in zip(*totals.values(), strict=True)])]
    print("| doc | blocks | failed | TP/FP/FN | P % | R % | F1 % | 二级 right (matched) | op+number+unit right (matched) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for doc, (n, failed, tp, fp, fn, l2, val) in rows:
        p = PRF(tp, fp, fn)
        print(f"| {doc} | {n} | {failed} | {tp}/{fp}/{fn} | {100 * p.precision:.1f} | {100 * p.recall:.1f} | "
              f"{100 * p.f1:.1f} | {l2}/{tp} | {val}/{tp} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
