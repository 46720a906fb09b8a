#!/usr/bin/env python3
"""List a flag's disagreements with the gold: false positives and false negatives, each with the
row's text, the scorer's score and reason, and the labeller's note (for reading, decides nothing).

Scores the corpus once with the shipped config (fitted on all samples, so this is NOT a held-out
figure: use `python -m semx.evaluate.calibrate` for those).

usage: python eval/tools/disagreements.py CODE [CODE ...] [--doubtful-only | --firm-only]
  CODE: an indicator flag (mismatch, unlinked_indicator, trivial_target, ...) or a project
  flag of project_labels.jsonl (goal_without_indicator).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _raw(path: Path, key: tuple[str, ...]) -> dict[tuple[object, ...], dict[str, object]]:
    out: dict[tuple[object, ...], dict[str, object]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            out[tuple(obj[k] for k in key)] = obj
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("codes", nargs="+")
    ap.add_argument("--doubtful-only", action="store_true")
    ap.add_argument("--firm-only", action="store_true")
    args = ap.parse_args()

    from semx.embed.encoder import SentenceTransformerEmbedder
    from semx.evaluate.calibrate import score_corpus
    from semx.score.config import load_config
    from semx.vocab.flags import PROJECT_GOLD_CODES

    gold_dir = ROOT / "eval" / "gold"
    rows = _raw(gold_dir / "labels.jsonl", ("sample", "line"))
    projects = _raw(gold_dir / "project_labels.jsonl", ("sample", "first_line"))
    emb = SentenceTransformerEmbedder(None)
    cfg = load_config(emb.name)
    results = score_corpus(ROOT / "eval" / "corpus", {str(k[0]) for k in rows}, embedder=emb, config=cfg)

    def keep(doubtful: bool) -> bool:
        return not (args.doubtful_only and not doubtful) and not (args.firm_only and doubtful)

    for code in args.codes:
        fps, fns = [], []
        if code in PROJECT_GOLD_CODES:
            for r in results:
                for p in r.projects:
                    if not p.indicators:
                        continue
                    first = min(i.line for i in p.indicators)
                    g = projects.get((r.key, first))
                    if g is None or code not in g:
                        continue
                    flags = [f for f in p.flags if f.code == code]
                    pred, label = bool(flags), bool(g[code])
                    doubtful = code in (g.get("doubtful") or [])
                    if pred == label or not keep(doubtful):
                        continue
                    goals = " | ".join(p.goals) or (p.goal_text or "")
                    inds = " / ".join(f"{i.level3}:{i.value.raw}" for i in p.indicators)
                    text = (f"{r.key[:3]}:{first} {p.name}{' [doubtful]' if doubtful else ''}\n"
                            f"    goals: {goals[:300]}\n    inds: {inds[:400]}\n"
                            f"    rule: {flags[0].reason if flags else '-'}\n"
                            f"    gold: {g.get('unmeasured_goals')} | {g.get('reason', '')}")
                    (fps if pred else fns).append(text)
        else:
            thr = cfg.thresholds.get(code, 0.5)
            for r in results:
                proj = {i.line: pv for pv in r.projects for i in pv.indicators}
                cands = {c.line: c for c in r.candidates if c.code == code}
                for (sample, line), g in rows.items():
                    if sample != r.key or code not in g:
                        continue
                    c = cands.get(int(line))  # type: ignore[call-overload]
                    score = c.score if c else 0.0
                    pred, label = score >= thr and score > 0, bool(g.get(code))
                    doubtful = code in (g.get("doubtful") or [])
                    if pred == label or not keep(doubtful):
                        continue
                    p = proj.get(int(line))  # type: ignore[call-overload]
                    goals = (" | ".join(p.goals) or (p.goal_text or "")) if p else ""
                    text = (f"{r.key[:3]}:{line} [{g['project']}] {g['level1']}/{g['level2']}/{g['level3']} = "
                            f"{g['value']}{' [doubtful]' if doubtful else ''}\n"
                            f"    goals: {goals[:200]}\n"
                            f"    rule {score:.2f} (thr {thr}): {(c.reason if c else 'not applied')[:200]}\n"
                            f"    gold: {g.get('reason', '')}")
                    (fps if pred else fns).append(text)
        print(f"===== {code}: {len(fps)} false positives, {len(fns)} false negatives")
        for name, lst in (("FP", fps), ("FN", fns)):
            for t in lst:
                print(f"[{name}] {t}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
