#!/usr/bin/env python3
"""P/R/F1 of a scorer version's shipped config on a subset of gold rows (no fitting).

Used to test a config on rows labelled after it was calibrated: check out the old code
(`git worktree add /tmp/old <commit>`) and point --code at it; the gold file and corpus are
read from this checkout.

usage: python eval/tools/score_rows.py [--code DIR] [--last N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--code", type=Path, default=ROOT, help="checkout whose semx package is scored")
    ap.add_argument("--last", type=int, default=0, help="only the last N rows of labels.jsonl (0: all)")
    ap.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold" / "labels.jsonl")
    args = ap.parse_args()
    sys.path.insert(0, str(args.code.resolve()))

    from semx.embed.encoder import SentenceTransformerEmbedder
    from semx.evaluate.calibrate import counts, observations, score_corpus
    from semx.evaluate.flag_gold import GOLD_CODES, load_gold
    from semx.score.config import load_config

    gold = load_gold(args.gold)
    rows = gold[-args.last :] if args.last else gold
    emb = SentenceTransformerEmbedder(None)
    cfg = load_config(emb.name)
    results = score_corpus(ROOT / "eval" / "corpus", {g.sample for g in gold}, embedder=emb, config=cfg)
    print(f"code {args.code}, scorer config v{cfg.version}, {len(rows)} rows; doubtful counted | excluded")
    samples = sorted({g.sample for g in rows})
    for code in GOLD_CODES:
        obs = observations(results, rows, code)
        for s in [*samples, None]:
            part = [o for o in obs if s is None or o.sample == s]
            c, x = counts(part, cfg.thresholds[code]), counts(part, cfg.thresholds[code], drop_doubtful=True)
            print(f"{code:14s} {s or 'all':22s} {c.tp:3d}/{c.fp:3d}/{c.fn:3d} F1 {c.f1:.3f} | {x.tp:3d}/{x.fp:3d}/{x.fn:3d} F1 {x.f1:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
