"""Run the quality scorer over the gold corpus and evaluate its flags against labels.jsonl.

The scorer sees every table project of every gold sample in one batch, as `semx score`
would (boilerplate is counted across the corpus), without LLM category hints: the scorer
eval then measures the embedding + rule detectors alone and does not depend on which
classify prompt was recorded. Only labelled rows are scored against gold.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from semx.evaluate.flag_gold import ProjectGoldRow
from semx.evaluate.flags import (
    CurvePoint,
    FlagMetrics,
    JoinResult,
    ScoredCell,
    TableKey,
    average_precision,
    curve_points,
    flag_metrics,
    join_labels,
    pr_curve,
    project_flag_metrics,
    raised_by_table,
)
from semx.evaluate.gold import FLAG_LABELS, GoldLabel
from semx.evaluate.items import parse_sample
from semx.evaluate.metrics import PRF


@dataclass
class FlagReport:
    flag: str
    firm: FlagMetrics  # doubtful cells excluded (the headline)
    with_doubtful: FlagMetrics
    curve: list[CurvePoint]
    ap: float | None  # None for a project flag: a fixed-score rule has no ranking to average over
    threshold: float | None  # the configured operating point

    def as_json(self) -> dict[str, Any]:
        def m(x: FlagMetrics) -> dict[str, Any]:
            return {
                "cells": x.cells, "doubtful_excluded": x.doubtful_excluded,
                "pooled": {"tp": x.pooled.tp, "fp": x.pooled.fp, "fn": x.pooled.fn, "precision": x.pooled.precision,
                           "recall": x.pooled.recall, "f1": x.pooled.f1},
                "per_sample": {s: {"tp": p.tp, "fp": p.fp, "fn": p.fn, "precision": p.precision,
                                   "recall": p.recall, "f1": p.f1} for s, p in x.per_sample.items()},
            }

        return {"flag": self.flag, "threshold": self.threshold, "average_precision": self.ap,
                "excluding_doubtful": m(self.firm), "including_doubtful": m(self.with_doubtful),
                "pr_curve": [[p.threshold, p.precision, p.recall] for p in self.curve]}


@dataclass
class ScorerReport:
    embedding_model: str
    config_version: int
    seconds: float
    labelled_rows: int
    joined_rows: int
    join_errors: list[str]
    flags: list[FlagReport] = field(default_factory=list)
    calibrated: bool = False  # thresholds fitted on this gold set: the numbers are in-sample
    held_out: dict[str, PRF] = field(default_factory=dict)  # the calibration's own held-out result, per flag

    def as_json(self) -> dict[str, Any]:
        # Timing is left to the report's meta block, so the numbers of two runs compare equal.
        return {"embedding_model": self.embedding_model, "config_version": self.config_version,
                "labelled_rows": self.labelled_rows,
                "joined_rows": self.joined_rows, "join_errors": self.join_errors, "calibrated": self.calibrated,
                "held_out": {k: {"tp": v.tp, "fp": v.fp, "fn": v.fn} for k, v in self.held_out.items()},
                "flags": [f.as_json() for f in self.flags]}


def evaluate_cells(labels: Sequence[GoldLabel], cells: Sequence[ScoredCell],
                   thresholds: dict[str, float]) -> tuple[JoinResult, list[FlagReport]]:
    joined = join_labels(labels, cells)
    reports: list[FlagReport] = []
    for flag in FLAG_LABELS:
        curve = pr_curve(curve_points(joined.rows, flag))
        reports.append(FlagReport(flag, flag_metrics(joined.rows, flag),
                                  flag_metrics(joined.rows, flag, include_doubtful=True),
                                  curve, average_precision(curve), thresholds.get(flag)))
    return joined, reports


def scored_tables(results: Sequence[Any]) -> list[tuple[TableKey, list[str]]]:
    """Each scored table with indicators, by (document key, line of its first indicator), with the
    codes of the flags raised on it (results: semx.score DocumentScore)."""
    return [((r.key, min(i.line for i in p.indicators)), [f.code for f in p.flags])
            for r in results for p in r.projects if p.indicators]


def project_flag_reports(results: Sequence[Any], rows: Sequence[ProjectGoldRow]) -> list[FlagReport]:
    """The project flags of project_labels.jsonl (goal_without_indicator …): fixed rule scores, so
    no curve and no threshold, only the counts (all tables, and doubtful tables left out)."""
    tables = scored_tables(results)
    reports: list[FlagReport] = []
    for flag in dict.fromkeys(c for g in rows for c in g.labels):
        raised = raised_by_table(tables, flag)
        reports.append(FlagReport(flag, project_flag_metrics(raised, rows, flag),
                                  project_flag_metrics(raised, rows, flag, include_doubtful=True), [], None, None))
    return reports


def run_scorer(labels: Sequence[GoldLabel], corpus_dir: Path | None = None, *, embed: bool = True,
               project_labels: Sequence[ProjectGoldRow] = ()) -> ScorerReport:
    from semx.embed.encoder import CharNgramEmbedder, SentenceTransformerEmbedder
    from semx.score import DocInput, RunInfo, load_config, score_documents

    t0 = time.perf_counter()
    samples = sorted({lab.sample for lab in labels})
    parsed = [parse_sample(s, corpus_dir) for s in samples]
    docs = [DocInput(key=p.sample, projects=list(p.projects), free_text=list(p.free_text)) for p in parsed]
    info = RunInfo(embedding_model="", config_version=0)
    embedder = SentenceTransformerEmbedder() if embed else CharNgramEmbedder()
    results = score_documents(docs, embedder=embedder, info=info)
    cells = [ScoredCell(r.key, c.line, c.level3, c.code, c.score, c.raised) for r in results for c in r.candidates]
    thresholds: dict[str, float] = {}
    for r in results:
        for c in r.candidates:
            thresholds.setdefault(c.code, c.threshold)
    joined, reports = evaluate_cells(labels, cells, thresholds)
    reports += project_flag_reports(results, project_labels)
    cfg = load_config(info.embedding_model)  # the same choice score_documents made
    held = {f: PRF(int(m["tp"]), int(m["fp"]), int(m["fn"])) for f, m in cfg.metrics.items()
            if f in FLAG_LABELS and {"tp", "fp", "fn"} <= m.keys()}
    return ScorerReport(info.embedding_model, info.config_version, time.perf_counter() - t0, len(labels),
                        len(joined.rows), joined.errors, reports, calibrated=cfg.calibrated, held_out=held)
