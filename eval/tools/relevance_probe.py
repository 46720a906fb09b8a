#!/usr/bin/env python3
"""Experiment: does an LLM's "is this indicator relevant to its project" opinion help `mismatch`?

Not part of semx: a measurement that decides whether a relevance task is worth building.

    python -m semx.llm.local_server start
    python eval/tools/relevance_probe.py ask --out /tmp/relevance.jsonl   # resumable, ~2 s a row on 2 cores
    python -m semx.llm.local_server stop
    python eval/tools/relevance_probe.py report /tmp/relevance.jsonl

`ask` sends every gold row of eval/gold/labels.jsonl, as semx's own parser reads it, to an
OpenAI-compatible endpoint: the project's name, purpose and goals and the indicator, with a
one-word answer (相关 / 不相关). It asks for the first token's log-probabilities and keeps
p(不相关) = P("不") / (P("不") + P("相关")): a yes/no answer alone says 不相关 on a third to
two thirds of the rows, too coarse to calibrate.

`report` prints, against the gold `mismatch` labels, the opinion's ranking quality (AUC per
sample) and the held-out table of `python -m semx.evaluate.calibrate` for mismatch twice: the
shipped features, then with p(不相关) as one more feature (weight constrained >= 0). The
lexical gate is unchanged, so the opinion can only raise scores of unprotected rows.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "eval" / "gold" / "labels.jsonl"
CORPUS = ROOT / "eval" / "corpus"
FEATURE = "llm_irrelevant"

SYSTEM = (
    "你是财政绩效评价专家。判断一个绩效指标是否与所属项目相关：指标衡量的应是该项目资金买到的产出或带来的效果。"
    "只回答“相关”或“不相关”。"
)


def _gold() -> dict[tuple[str, int], dict[str, Any]]:
    rows = (json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip())
    return {(r["sample"], r["line"]): r for r in rows}


def _p_irrelevant(top: dict[str, float]) -> float:
    no, yes = math.exp(top.get("不", -30.0)), math.exp(top.get("相关", -30.0))
    return no / (no + yes)


def ask(out: Path, base_url: str, model: str) -> int:
    from openai import OpenAI

    from semx.pipeline import parse_file

    gold = _gold()
    done: set[tuple[str, int]] = set()
    if out.exists():
        for line in out.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            done.add((r["sample"], r["line"]))
    # The local server needs no key; another endpoint takes the one semx itself reads.
    api_key = os.environ.get("SEMX_LLM_API_KEY") or "not-needed"
    client = OpenAI(base_url=base_url, api_key=api_key, max_retries=2, timeout=120)
    with out.open("a", encoding="utf-8") as fh:
        for sample in sorted({s for s, _ in gold}):
            projects = parse_file(CORPUS / f"{sample}.txt").projects
            for p in projects:
                context = "；".join(x for x in [p.purpose or "", *(p.goals or [p.goal_text or ""])] if x)[:300]
                for ind in p.indicators:
                    if (sample, ind.line) not in gold or (sample, ind.line) in done:
                        continue
                    user = f"项目：{p.name}\n项目用途与目标：{context}\n指标：{ind.level3}（{ind.description or ''}）"
                    started = time.monotonic()
                    r = client.chat.completions.create(
                        model=model, temperature=0, max_tokens=3, logprobs=True, top_logprobs=5,
                        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}],
                    )
                    choice = r.choices[0]
                    content = choice.logprobs.content if choice.logprobs else None
                    top = {t.token: t.logprob for t in content[0].top_logprobs} if content else {}
                    fh.write(json.dumps({
                        "sample": sample, "line": ind.line, "answer": choice.message.content, "top": top,
                        "p_irrelevant": _p_irrelevant(top), "secs": round(time.monotonic() - started, 2),
                    }, ensure_ascii=False) + "\n")
                    fh.flush()
    return 0


def _auc(pos: list[float], neg: list[float]) -> float:
    if not pos or not neg:
        return float("nan")
    return sum((a > b) + 0.5 * (a == b) for a in pos for b in neg) / (len(pos) * len(neg))


def report(answers: Path, min_precision: float) -> int:
    from semx.embed.encoder import SentenceTransformerEmbedder
    from semx.evaluate import calibrate as cal
    from semx.evaluate.flag_gold import load_gold
    from semx.score.config import load_config

    gold = _gold()
    p = {}
    for line in answers.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        p[(r["sample"], r["line"])] = float(r["p_irrelevant"])
    missing = len(set(gold) - set(p))
    print(f"{len(p)} answers for {len(gold)} gold rows ({missing} missing, scored 0.5)")
    print(f"{'sample':22s} {'rows':>5s} {'pos':>4s} {'AUC':>6s} {'AUC excl. doubtful':>19s}")
    for sample in [*sorted({s for s, _ in gold}), "pooled"]:
        keys = [k for k in gold if sample in ("pooled", k[0])]
        sure = [k for k in keys if "mismatch" not in gold[k]["doubtful"]]

        def auc(ks: list[tuple[str, int]]) -> float:
            return _auc([p.get(k, 0.5) for k in ks if gold[k]["mismatch"]],
                        [p.get(k, 0.5) for k in ks if not gold[k]["mismatch"]])

        pos = sum(gold[k]["mismatch"] for k in keys)
        print(f"{sample:22s} {len(keys):5d} {pos:4d} {auc(keys):6.3f} {auc(sure):19.3f}")

    emb = SentenceTransformerEmbedder(None)
    base = load_config(emb.name)
    grid = cal.build_grid(CORPUS, load_gold(GOLD), emb, base)
    for by_code in grid:
        for o in by_code["mismatch"]:
            if o.features:
                o.features[FEATURE] = p.get((o.sample, o.line), 0.5)
    for title, signs in (("shipped features", cal.MISMATCH_SIGNS), (f"+ {FEATURE}", {**cal.MISMATCH_SIGNS, FEATURE: 1})):
        counted, excluded = cal.held_out(grid, base, min_precision, None, signs)
        print(f"\n== mismatch held out by sample, {title} (config v{base.version}); doubtful counted, then excluded")
        print(cal.report({"mismatch": counted["mismatch"]}))
        print(cal.report({"mismatch": excluded["mismatch"]}))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("ask", help="ask the endpoint about every gold row (appends; resumable)")
    a.add_argument("--out", type=Path, required=True)
    a.add_argument("--base-url", default=os.environ.get("SEMX_LLM_BASE_URL", "http://127.0.0.1:8765/v1"))
    a.add_argument("--model", default=os.environ.get("SEMX_LLM_MODEL", "qwen2.5-coder-1.5b-instruct-q4_k_m"))
    r = sub.add_parser("report", help="AUC per sample and the held-out mismatch table with the opinion")
    r.add_argument("answers", type=Path)
    r.add_argument("--min-precision", type=float, default=0.9)
    args = ap.parse_args()
    if args.cmd == "ask":
        return ask(args.out, args.base_url, args.model)
    return report(args.answers, args.min_precision)


if __name__ == "__main__":
    sys.exit(main())
