"""Scorer flags against the gold labels: the join, per-flag P/R/F1 per sample and pooled, PR curves.

Pure functions over plain records, so each step can be checked on hand-made cases.

Join rule: a gold label (sample, line) is joined to the scored indicator of the same sample
whose first line is `line`; the 三级指标 text must agree (whitespace ignored) as a sanity
check, else the row is reported as a join error and left out, never guessed.

Doubtful cells: a (row, flag) whose flag name is in the row's `doubtful` list is a
judgement call of the labeller. The headline numbers EXCLUDE doubtful cells; the same
metrics with them included (the labeller's best guess counted as gold) are reported
separately as "incl. doubtful".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from semx.evaluate.flag_gold import ProjectGoldRow
from semx.evaluate.gold import GoldLabel
from semx.evaluate.metrics import PRF


@dataclass(frozen=True)
class ScoredCell:
    """One detector verdict on one indicator (from semx.score's Candidate)."""

    sample: str
    line: int
    level3: str
    code: str
    score: float
    raised: bool


@dataclass(frozen=True)
class JoinedRow:
    label: GoldLabel
    cells: dict[str, ScoredCell]  # flag code -> verdict


@dataclass(frozen=True)
class JoinResult:
    rows: list[JoinedRow]
    errors: list[str]


def _norm(text: str) -> str:
    return "".join(text.split())


def join_labels(labels: Sequence[GoldLabel], cells: Iterable[ScoredCell]) -> JoinResult:
    by_pos: dict[tuple[str, int], list[ScoredCell]] = defaultdict(list)
    for c in cells:
        by_pos[(c.sample, c.line)].append(c)
    rows: list[JoinedRow] = []
    errors: list[str] = []
    for lab in labels:
        found = by_pos.get((lab.sample, lab.line), [])
        same = [c for c in found if _norm(c.level3) == _norm(lab.level3)]
        if not found:
            errors.append(f"{lab.sample} line {lab.line} ({lab.level3}): no scored indicator at this line")
            continue
        if not same:
            errors.append(f"{lab.sample} line {lab.line}: gold 三级指标 {lab.level3!r} but the scored indicator "
                          f"there is {found[0].level3!r}")
            continue
        rows.append(JoinedRow(lab, {c.code: c for c in same}))
    return JoinResult(rows, errors)


def _cells(rows: Sequence[JoinedRow], flag: str, include_doubtful: bool) -> list[tuple[JoinedRow, ScoredCell]]:
    out: list[tuple[JoinedRow, ScoredCell]] = []
    for r in rows:
        if flag not in r.cells or flag not in r.label.flags:
            continue
        if not include_doubtful and flag in r.label.doubtful:
            continue
        out.append((r, r.cells[flag]))
    return out


@dataclass(frozen=True)
class FlagMetrics:
    flag: str
    per_sample: dict[str, PRF]
    pooled: PRF  # micro: counts summed over samples
    cells: int  # labelled cells used
    doubtful_excluded: int  # cells left out because doubtful (0 when included)


def flag_metrics(rows: Sequence[JoinedRow], flag: str, *, include_doubtful: bool = False) -> FlagMetrics:
    per: dict[str, PRF] = {}
    used = _cells(rows, flag, include_doubtful)
    for r, c in used:
        gold, pred = r.label.flags[flag], c.raised
        add = PRF(int(gold and pred), int(pred and not gold), int(gold and not pred))
        per[r.label.sample] = per.get(r.label.sample, PRF(0, 0, 0)) + add
    pooled = sum(per.values(), PRF(0, 0, 0))
    total = sum(1 for r in rows if flag in r.cells)
    return FlagMetrics(flag, dict(sorted(per.items())), pooled, len(used), total - len(used))


TableKey = tuple[str, int]  # (sample, line of the table's first indicator row): how project gold finds a table


def raised_by_table(tables: Iterable[tuple[TableKey, Iterable[str]]], flag: str) -> dict[TableKey, bool]:
    """Whether `flag` is among each table's flag codes, by `TableKey`."""
    return {key: flag in set(codes) for key, codes in tables}


def project_flag_metrics(raised: Mapping[TableKey, bool], rows: Sequence[ProjectGoldRow], flag: str, *,
                         include_doubtful: bool = False) -> FlagMetrics:
    """A project flag (goal_without_indicator …) against project_labels.jsonl: one cell per table.

    `raised`: whether the scorer raised the flag on each table, by `TableKey`; a labelled table the
    scorer did not find counts as not raised (a miss, never left out).
    """
    per: dict[str, PRF] = {}
    labelled = [g for g in rows if flag in g.labels]
    used = [g for g in labelled if include_doubtful or flag not in g.doubtful]
    for g in used:
        pred, gold = raised.get((g.sample, g.first_line), False), g.labels[flag]
        per[g.sample] = per.get(g.sample, PRF(0, 0, 0)) + PRF(int(pred and gold), int(pred and not gold),
                                                              int(gold and not pred))
    return FlagMetrics(flag, dict(sorted(per.items())), sum(per.values(), PRF(0, 0, 0)), len(used),
                       len(labelled) - len(used))


@dataclass(frozen=True)
class CurvePoint:
    threshold: float
    precision: float
    recall: float


def pr_curve(points: Sequence[tuple[float, bool]]) -> list[CurvePoint]:
    """Precision and recall of "flag when score >= t" for every distinct positive score t.

    Scores of 0 never raise a flag in the scorer (raised needs score > 0), so t > 0 only.
    Highest threshold first; recall is non-decreasing along the list.
    """
    positives = sum(1 for _, g in points if g)
    out: list[CurvePoint] = []
    for t in sorted({s for s, _ in points if s > 0}, reverse=True):
        tp = sum(1 for s, g in points if s >= t and g)
        fp = sum(1 for s, g in points if s >= t and not g)
        out.append(CurvePoint(t, tp / (tp + fp) if tp + fp else 0.0, tp / positives if positives else 0.0))
    return out


def average_precision(curve: Sequence[CurvePoint]) -> float:
    """Step-wise AP: sum over thresholds of (recall gain) x precision (no interpolation)."""
    ap, prev_r = 0.0, 0.0
    for p in curve:
        ap += (p.recall - prev_r) * p.precision
        prev_r = p.recall
    return ap


def curve_points(rows: Sequence[JoinedRow], flag: str, *, include_doubtful: bool = False) -> list[tuple[float, bool]]:
    return [(c.score, r.label.flags[flag]) for r, c in _cells(rows, flag, include_doubtful)]
