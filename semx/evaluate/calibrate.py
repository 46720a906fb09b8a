"""Fit the scorer's thresholds (and the mismatch weights) on gold labels.

    python -m semx.evaluate.calibrate [--gold eval/gold/labels.jsonl] [--corpus eval/corpus]
                                   [--test-samples 003,004] [--min-precision 0.9] [--write]

Precision first: for each flag the threshold is the one with the best F1 among
those whose training precision reaches --min-precision; if none does, the one
with the best F0.5. Splits are by sample (document), never by row, since rows
of one document share templates:
- default: leave-one-sample-out; each sample is scored by a config fitted on
  the other samples, and pooled = the sum of those held-out counts;
- --test-samples: fit on the other samples, report on these.
The config written (--write) is fitted on all samples and records the held-out
metrics and the embedding model's name.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from semx.evaluate.flag_gold import GOLD_CODES, GoldRow, ProjectGoldRow, load_gold, load_project_gold
from semx.evaluate.flags import project_flag_metrics, raised_by_table
from semx.evaluate.metrics import PRF
from semx.evaluate.scorer_eval import scored_tables
from semx.score.config import BoilerplateParams, MismatchParams, ScoreConfig, config_files, load_config, write_config
from semx.score.mismatch import SIGNS, is_protected
from semx.score.mismatch import apply as apply_logistic
from semx.score.scorer import DocInput, DocumentScore, score_documents
from semx.vocab.flags import MIN_POSITIVES, PER_SAMPLE_TARGET_F1, PROJECT_GOLD_CODES, spec

MISMATCH_SIGNS = SIGNS  # features of the mismatch model and the sign of their weights
MISMATCH_L2 = 1.0  # ridge penalty on standardised weights (as sklearn C=1)
# Fewest rows of each class to fit the two-weight model: leave-one-out without 000 leaves 3
# usable positives (003 and 004), and the ridge keeps a 3-positive fit from running away.
MIN_CLASS = 3


@dataclass
class Obs:
    sample: str
    line: int
    score: float
    features: dict[str, float]
    label: bool
    doubtful: bool


# Precision/recall counts are the eval harness's, so calibration and `semx eval` agree.
Counts = PRF


# ------------------------------------------------------------------ data


def score_corpus(corpus: Path, samples: Iterable[str], **kwargs: object) -> list[DocumentScore]:
    """Parse and score the corpus files named by sample (file stem), as one batch."""
    from semx.pipeline import parse_file

    docs: list[DocInput] = []
    for sample in sorted(set(samples)):
        path = corpus / f"{sample}.txt"
        parsed = parse_file(path)
        docs.append(DocInput(key=sample, projects=parsed.projects, free_text=parsed.free_text_targets))
    return score_documents(docs, **kwargs)  # type: ignore[arg-type]


def observations(results: Sequence[DocumentScore], gold: Sequence[GoldRow], code: str) -> list[Obs]:
    """One observation per gold row; a row the parser missed scores 0 (a miss)."""
    by_key = {(r.key, c.line): c for r in results for c in r.candidates if c.code == code}
    out = []
    for g in gold:
        if code not in g.labels:  # a rule newer than this row's labels
            continue
        c = by_key.get((g.sample, g.line))
        out.append(
            Obs(
                sample=g.sample,
                line=g.line,
                score=c.score if c else 0.0,
                features=dict(c.features) if c else {},
                label=g.labels[code],
                doubtful=code in g.doubtful,
            )
        )
    return out


# ------------------------------------------------------------------ fitting


def counts(obs: Iterable[Obs], threshold: float, drop_doubtful: bool = False) -> Counts:
    tp = fp = fn = 0
    for o in obs:
        if drop_doubtful and o.doubtful:
            continue
        pred = o.score >= threshold and o.score > 0
        tp += pred and o.label
        fp += pred and not o.label
        fn += (not pred) and o.label
    return PRF(tp, fp, fn)


def choose_threshold(obs: Sequence[Obs], min_precision: float) -> float:
    """Best F1 among thresholds reaching min_precision on `obs`, else best F0.5.

    The threshold returned is the midpoint between the chosen score level and the
    next lower observed one: rule scores are discrete, and a level absent from the
    training samples should not decide on which side of the threshold it falls.
    """
    levels = sorted({round(o.score, 6) for o in obs if o.score > 0})
    if not levels:
        return 1.0
    best: tuple[float, int] | None = None
    fallback: tuple[float, int] | None = None
    for k, t in enumerate(levels):
        c = counts(obs, t)
        if c.tp == 0:
            continue
        if c.precision >= min_precision and (best is None or c.f1 > best[0]):
            best = (c.f1, k)
        p, r = c.precision, c.recall
        f05 = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
        if fallback is None or f05 > fallback[0]:
            fallback = (f05, k)
    chosen = best or fallback
    if chosen is None:
        return 1.0
    k = chosen[1]
    lower = levels[k - 1] if k > 0 else 0.0
    return round((lower + levels[k]) / 2, 6)


def fit_mismatch(
    obs: Sequence[Obs], prior: MismatchParams, signs: Mapping[str, int] = MISMATCH_SIGNS
) -> MismatchParams:
    """Monotone logistic regression on the mismatch features; the prior when a class is missing.

    Each weight is bounded to its sign in `signs` (L-BFGS-B with an L2 penalty on
    standardised features), so the model can only use a feature in its stated
    direction. `signs` defaults to `mismatch.SIGNS`; an experiment may add a feature
    it attached to the observations (eval/tools/relevance_probe.py). Rows decided by a gating rule (protected, or named after
    another project) are left out: the rule, not the model, scores them.
    """
    rows = [o for o in obs if o.features and not is_protected(prior, o.features) and not o.features.get("names_other")]
    y = np.array([o.label for o in rows], dtype=float)
    if len(rows) < 20 or y.sum() < MIN_CLASS or y.sum() > len(y) - MIN_CLASS:
        # The prior is the shipped config, fitted on every sample: a held-out fold that falls back
        # to it is not held out any more, so say so where the numbers are printed.
        print(f"mismatch model: {int(y.sum())} positives in {len(rows)} training rows, too few to fit; "
              "using the shipped weights (NOT held out)", file=sys.stderr)
        return prior
    from scipy.optimize import minimize  # type: ignore[import-untyped]

    names = tuple(signs)
    x = np.array([[o.features.get(f, 0.0) for f in names] for o in rows])
    mu, sd = x.mean(axis=0), np.maximum(x.std(axis=0), 1e-6)
    xs = (x - mu) / sd

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:-1], theta[-1]
        z = xs @ w + b
        p = 1.0 / (1.0 + np.exp(-z))
        nll = float(np.sum(np.logaddexp(0.0, z) - y * z)) + 0.5 * MISMATCH_L2 * float(w @ w)
        g = p - y
        return nll, np.append(xs.T @ g + MISMATCH_L2 * w, g.sum())

    bounds = [(0.0, None) if signs[f] > 0 else (None, 0.0) for f in names] + [(None, None)]
    res = minimize(loss, np.zeros(len(names) + 1), jac=True, method="L-BFGS-B", bounds=bounds)
    coef = res.x[:-1] / sd
    bias = float(res.x[-1] - (coef * mu).sum())
    weights = {f: round(float(w), 4) for f, w in zip(names, coef, strict=True)}
    return prior.model_copy(update={"weights": weights, "bias": round(bias, 4), "signs": dict(signs)})


def rescore_mismatch(obs: Sequence[Obs], params: MismatchParams) -> list[Obs]:
    return [
        Obs(
            o.sample, o.line, apply_logistic(params, o.features) if o.features else 0.0, o.features, o.label, o.doubtful
        )
        for o in obs
    ]


@dataclass
class Fit:
    thresholds: dict[str, float]
    mismatch: MismatchParams
    grid: int = 0  # index of the chosen boilerplate parameter set


# Boilerplate parameter sets tried (each needs a re-run of detection, cheap once
# the strings are embedded): how close two project subjects must be to count as
# the same subject, and how much a sharing document weighs.
BOILERPLATE_GRID: tuple[dict[str, float], ...] = (
    {"same_subject_cos": 0.97, "corpus_weight": 0.5},
    {"same_subject_cos": 0.95, "corpus_weight": 0.5},
    {"same_subject_cos": 0.93, "corpus_weight": 0.5},
    {"same_subject_cos": 0.95, "corpus_weight": 0.0},
)

Grid = list[dict[str, list[Obs]]]  # per parameter set: observations by code


def fit(grid: Grid, base: ScoreConfig, min_precision: float, signs: Mapping[str, int] = MISMATCH_SIGNS) -> Fit:
    obs_by_code = grid[0]
    mismatch = fit_mismatch(obs_by_code["mismatch"], base.mismatch, signs)
    thresholds = dict(base.thresholds)
    for code, obs in obs_by_code.items():
        if code == "mismatch":
            obs = rescore_mismatch(obs, mismatch)
        if code != "boilerplate" and any(o.label for o in obs):
            thresholds[code] = choose_threshold(obs, min_precision)
    best: tuple[float, int, float] | None = None
    for g, by_code in enumerate(grid):
        obs = by_code["boilerplate"]
        if not any(o.label for o in obs):
            continue
        t = choose_threshold(obs, min_precision)
        c = counts(obs, t)
        key = c.f1 if c.precision >= min_precision else c.f1 - 1.0
        if best is None or key > best[0]:
            best = (key, g, t)
    chosen = 0
    if best is not None:
        chosen, thresholds["boilerplate"] = best[1], best[2]
    return Fit(thresholds, mismatch, chosen)


def evaluate(grid: Grid, f: Fit, samples: Iterable[str], drop_doubtful: bool = False) -> dict[str, dict[str, Counts]]:
    """Counts per code and sample for the given fit (mismatch re-scored with its weights).

    drop_doubtful: leave out the cells the labeller marked doubtful for that code
    (judgement calls count neither as a hit nor as an error).
    """
    out: dict[str, dict[str, Counts]] = {}
    keep = set(samples)
    for code, obs in grid[0].items():
        if code == "boilerplate":
            obs = grid[f.grid][code]
        if code == "mismatch":
            obs = rescore_mismatch(obs, f.mismatch)
        per: dict[str, Counts] = {}
        for s in sorted(keep):
            per[s] = counts([o for o in obs if o.sample == s], f.thresholds.get(code, spec(code).default_threshold),
                            drop_doubtful)
        out[code] = per
    return out


def split_obs(grid: Grid, samples: set[str]) -> Grid:
    return [{c: [o for o in obs if o.sample in samples] for c, obs in by_code.items()} for by_code in grid]


Result = dict[str, dict[str, Counts]]  # code -> sample -> counts


def held_out(
    grid: Grid,
    base: ScoreConfig,
    min_precision: float,
    test: Sequence[str] | None,
    signs: Mapping[str, int] = MISMATCH_SIGNS,
) -> tuple[Result, Result]:
    """Held-out counts, (doubtful cells counted, doubtful cells excluded).

    Fitting always uses every label (the labeller's best guess); only the
    evaluation differs.
    """
    samples = sorted({o.sample for obs in grid[0].values() for o in obs})
    folds = [list(test)] if test else [[s] for s in samples]
    result: Result = {c: {} for c in grid[0]}
    excl: Result = {c: {} for c in grid[0]}
    for held in folds:
        train = set(samples) - set(held)
        f = fit(split_obs(grid, train), base, min_precision, signs)
        print(f"fold test={','.join(held)}: grid {BOILERPLATE_GRID[f.grid]} thresholds {f.thresholds}", file=sys.stderr)
        part = split_obs(grid, set(held))
        for code, per in evaluate(part, f, held).items():
            result[code].update(per)
        for code, per in evaluate(part, f, held, drop_doubtful=True).items():
            excl[code].update(per)
    return result, excl


def pooled(per_sample: dict[str, Counts]) -> Counts:
    total = PRF(0, 0, 0)
    for c in per_sample.values():
        total = total + c
    return total


def report(result: dict[str, dict[str, Counts]]) -> str:
    lines = [f"{'flag':14s} {'sample':22s} {'tp':>4s} {'fp':>4s} {'fn':>4s} {'P':>6s} {'R':>6s} {'F1':>6s}"]
    for code, per in result.items():
        for s, c in [*per.items(), ("pooled", pooled(per))]:
            lines.append(
                f"{code:14s} {s:22s} {c.tp:4d} {c.fp:4d} {c.fn:4d} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f}"
            )
    return "\n".join(lines)


def _meets(f1: float, target: float) -> bool:
    """f1 >= target up to float rounding: 3/0/2 is F1 0.75 exactly, computed as 0.7499999999999999."""
    return f1 >= target - 1e-9


def acceptance(result: Result, excl: Result) -> str:
    """The issue-18 decision (item 6) as one table: pooled F1 counts every cell (doubtful at the
    labeller's best guess) against the flag's target; per sample, F1 counts the non-doubtful cells
    (all cells beside) and is judged where the sample has at least MIN_POSITIVES positives."""
    lines = [(f"{'flag':18s} {'pooled F1 (all)':>16s} {'target':>7s} {'ok':>3s}   per sample F1 non-doubtful (all), "
              f"judged >= {PER_SAMPLE_TARGET_F1} where >= {MIN_POSITIVES} positives")]
    for code, per in result.items():
        p = pooled(per)
        target = spec(code).target_f1
        ok = "–" if target is None or p.tp + p.fn < MIN_POSITIVES else ("yes" if _meets(p.f1, target) else "NO")
        cells = []
        for s, c in per.items():
            firm = excl[code][s]
            pos = firm.tp + firm.fn
            if c.tp + c.fn + c.fp == 0:
                continue
            mark = "" if pos < MIN_POSITIVES else (" ok" if _meets(firm.f1, PER_SAMPLE_TARGET_F1) else " LOW")
            cells.append(f"{s[:3]} {firm.f1:.3f} ({c.f1:.3f}, {pos}+){mark}")
        lines.append(f"{code:18s} {p.f1:16.3f} {f'{target:.2f}' if target else '–':>7s} {ok:>3s}   "
                     + "; ".join(cells))
    return "\n".join(lines)


def project_counts(results: Sequence[DocumentScore], rows: Sequence[ProjectGoldRow], code: str,
                   drop_doubtful: bool = False) -> dict[str, Counts]:
    """Per sample, counts of a project flag against project_labels.jsonl. Project rules have fixed
    scores and nothing is fitted, so these counts are held-out by construction."""
    raised = raised_by_table(scored_tables(results), code)
    return project_flag_metrics(raised, rows, code, include_doubtful=not drop_doubtful).per_sample


def build_grid(corpus: Path, gold: Sequence[GoldRow], embedder: object, base: ScoreConfig,
               keep: list[DocumentScore] | None = None) -> Grid:
    """Observations per boilerplate parameter set; `keep` receives the results of the first (the base)."""
    grid: Grid = []
    for params in BOILERPLATE_GRID:
        cfg = base.model_copy(update={"boilerplate": base.boilerplate.model_copy(update=params)})
        results = score_corpus(corpus, {g.sample for g in gold}, embedder=embedder, config=cfg)
        if keep is not None and not grid:
            keep.extend(results)
        grid.append({code: observations(results, gold, code) for code in GOLD_CODES})
    return grid


def override(base: ScoreConfig, assignments: Sequence[str]) -> ScoreConfig:
    """base with SECTION.KEY=VALUE assignments applied (SECTION: boilerplate or mismatch),
    each value validated by the field's type."""
    sections: dict[str, dict[str, object]] = {
        "boilerplate": base.boilerplate.model_dump(),
        "mismatch": base.mismatch.model_dump(),
    }
    for a in assignments:
        target, sep, value = a.partition("=")
        section, _, key = target.partition(".")
        if not sep or section not in sections or key not in sections[section]:
            raise SystemExit(
                f"--set: expected SECTION.KEY=VALUE with SECTION boilerplate or mismatch and KEY one of its "
                f"fields, got {a!r}"
            )
        sections[section][key] = value
    return base.model_copy(
        update={
            "boilerplate": BoilerplateParams.model_validate(sections["boilerplate"]),
            "mismatch": MismatchParams.model_validate(sections["mismatch"]),
        }
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Calibrate semx scoring thresholds on gold labels.")
    ap.add_argument("--gold", type=Path, default=Path("eval/gold/labels.jsonl"))
    ap.add_argument("--corpus", type=Path, default=Path("eval/corpus"))
    ap.add_argument("--min-precision", type=float, default=0.9)
    ap.add_argument("--test-samples", default="", help="comma-separated sample ids (default: leave-one-sample-out)")
    ap.add_argument("--model", default=None, help="sentence-transformers model path or name")
    ap.add_argument("--write", action="store_true", help="write thresholds-v<N+1>.json fitted on all samples")
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="override a parameter of the base config (ablations), e.g. boilerplate.count_subjects=true",
    )
    args = ap.parse_args(argv)

    from semx.embed.encoder import SentenceTransformerEmbedder

    gold = load_gold(args.gold)
    embedder = SentenceTransformerEmbedder(args.model)
    base = load_config(embedder.name)
    if args.set:
        base = override(base, args.set)
    base_results: list[DocumentScore] = []
    grid = build_grid(args.corpus, gold, embedder, base, keep=base_results)

    test = [s.strip() for s in args.test_samples.split(",") if s.strip()] or None
    result, excl = held_out(grid, base, args.min_precision, test)
    print(
        f"embedding model: {embedder.name}; base config v{base.version}; held-out by sample "
        f"({'test=' + ','.join(test) if test else 'leave-one-sample-out'}); min precision {args.min_precision}"
    )
    print("\n== doubtful labels COUNTED (every cell at the labeller's best guess)")
    print(report(result))
    print("\n== doubtful cells EXCLUDED (a cell marked doubtful for a flag is left out of that flag's counts)")
    print(report(excl))
    print("\n== acceptance (pooled: all cells; per sample: non-doubtful cells, all cells beside)")
    print(acceptance(result, excl))
    project_gold = load_project_gold(args.gold.parent / "project_labels.jsonl")
    if project_gold:
        print("\n== project flags against project_labels.jsonl (fixed rule scores, nothing fitted)")
        for code in PROJECT_GOLD_CODES:
            all_cells = project_counts(base_results, project_gold, code)
            firm = project_counts(base_results, project_gold, code, drop_doubtful=True)
            print(report({code: all_cells}).split("\n", 1)[1] if all_cells else f"{code}: no labels")
            if firm:
                print(report({code + "|firm": firm}).split("\n", 1)[1])

    if args.write:
        final = fit(grid, base, args.min_precision)
        version = max((v for v, _ in config_files()), default=0) + 1
        metrics = {code: pooled(per).as_dict() for code, per in result.items()}
        for code, per in result.items():
            for s, c in per.items():
                metrics[f"{code}@{s}"] = c.as_dict()
        for code, per in excl.items():
            metrics[f"{code}|excluding_doubtful"] = pooled(per).as_dict()
            for s, c in per.items():
                metrics[f"{code}@{s}|excluding_doubtful"] = c.as_dict()
        cfg = base.model_copy(
            update={
                "version": version,
                "embedding_model": embedder.name,
                "calibrated": True,
                "note": f"fitted on {args.gold} ({len(gold)} rows), min precision {args.min_precision}; "
                f"metrics are held-out by sample (keys ending |excluding_doubtful leave out the cells "
                f"marked doubtful); base v{base.version}{'; overrides: ' + ', '.join(args.set) if args.set else ''}. "
                "Boilerplate: "
                "a shared text scores by the other subjects carrying it (k/(k+1), documents of the batch "
                "weighted), minus same-subject families, adaptations and texts that fit most carriers. "
                f"Mismatch = monotone logistic on {'+'.join(MISMATCH_SIGNS)}, then gates: protect_anchor_cov "
                "(an indicator whose subject words are its project's own words, or that has none, is scored "
                "without the template term, x protect_factor) and names_other_score (an indicator named after another project is a mismatch)",
                "thresholds": final.thresholds,
                "mismatch": final.mismatch,
                "boilerplate": base.boilerplate.model_copy(update=BOILERPLATE_GRID[final.grid]),
                "metrics": metrics,
            }
        )
        path = write_config(cfg)
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
