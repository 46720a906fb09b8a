"""The report's tables as plain data, rendered to markdown (stdout) and HTML alike."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from semx.evaluate.compare import Paired, run_label
from semx.evaluate.metrics import PRF
from semx.evaluate.scorer_eval import ScorerReport
from semx.evaluate.summary import TaskSummary


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)


def pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def f3(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def prf_cells(p: PRF) -> list[str]:
    """P, R, F1 in percent; '–' where undefined (no predictions / no gold positives / neither)."""
    return [pct(p.precision) if p.tp + p.fp else "–", pct(p.recall) if p.tp + p.fn else "–",
            pct(p.f1) if p.tp + p.fp + p.fn else "–"]


def _usage_cells(s: TaskSummary) -> list[str]:
    u = s.usage
    return [f"{pct(u.valid_rate)} ({u.valid}/{u.calls})", str(u.reasks), str(u.transport_retries),
            str(u.prompt_tokens), str(u.completion_tokens), f"{u.latency_s:.0f} / {u.latency_per_call:.1f}"]


_USAGE_HEADERS = ["schema-valid % (calls)", "re-asks", "transport retries", "prompt tok", "completion tok",
                  "latency s (total / per call)"]


def _per_block_cell(s: TaskSummary) -> str:
    u = s.usage
    pt, ct = u.tokens_per_item()
    return f"{u.median_item_latency:.1f} / {pt:.0f}+{ct:.0f} ({u.items_called})"


def _coverage(s: TaskSummary) -> str:
    missing = s.not_recorded + s.replay_mismatch
    text = f"{s.evaluated}/{s.items}"
    return text + (f" ({s.not_recorded} not recorded, {s.replay_mismatch} mismatch)" if missing else "")


def _recorded_with(runs: Sequence[TaskSummary]) -> list[str]:
    """The request settings, when every run used the same (else they are in results.json)."""
    settings = {tuple(sorted(s.settings.items())) for s in runs if s.settings}
    if len(settings) != 1:
        return []
    return ["settings: " + ", ".join(f"{k}={v}" for k, v in sorted(dict(next(iter(settings))).items()))]


def _failure_notes(runs: Sequence[TaskSummary], with_model: bool) -> list[str]:
    return [f"{run_label(s, with_model)}: failed items by reason (last answer): "
            + ", ".join(f"{k} {v}" for k, v in s.failures.items()) for s in runs if s.failures]


def extract_table(runs: Sequence[TaskSummary], with_model: bool) -> Table:
    rows = [[run_label(s, with_model), _coverage(s), str(s.failed), f"{s.prf.tp}/{s.prf.fp}/{s.prf.fn}",
             *prf_cells(s.prf), pct(s.level2_acc), pct(s.value_acc),
             *_usage_cells(s), _per_block_cell(s)] for s in runs]
    return Table(
        "LLM extraction: free-text blocks (eval/gold/extract.jsonl)",
        ["prompt", "blocks run", "failed", "TP/FP/FN", "P %", "R %", "F1 %", "二级 acc %", "value acc %",
         *_USAGE_HEADERS, "per block: median s / prompt+compl tok (blocks called)"],
        rows,
        ["match: name bigram-Dice ≥ 0.5 or containment, AND equal number; greedy one-to-one (semx/evaluate/metrics.py)",
         "二级 acc and value acc (op + number + unit) are over matched pairs; a failed call counts as no indicators",
         *_recorded_with(runs), *_failure_notes(runs, with_model)],
    )


def classify_table(runs: Sequence[TaskSummary], with_model: bool) -> Table:
    rows = [[run_label(s, with_model), _coverage(s), str(s.failed), f"{s.rows} (+{s.doubtful_excluded} doubtful)",
             f"{s.prf.tp}/{s.prf.fp}/{s.prf.fn}", *prf_cells(s.prf), pct(s.accuracy), pct(s.answered), *_usage_cells(s)] for s in runs]
    return Table(
        "LLM classify: table rows → misclassified flag (gold: labels.jsonl `misclassified`)",
        ["prompt", "projects run", "failed", "rows", "TP/FP/FN", "P %", "R %", "F1 %", "accuracy %", "answered %",
         *_USAGE_HEADERS],
        rows,
        ["a row is flagged when the model's 一级/二级 differs from the table's (semx.llm.tasks.classify_project)",
         "doubtful `misclassified` cells are excluded; a row of a failed call counts as not flagged",
         *_recorded_with(runs), *_failure_notes(runs, with_model)],
    )


def paired_table(pairs: Sequence[Paired]) -> Table:
    rows = [[p.task, p.a, p.b, str(p.units), str(p.both_right), str(len(p.a_only)), str(len(p.b_only)),
             str(p.both_wrong), f"{p.p_value:.3g}"] for p in pairs]
    notes = [("units: extract = gold indicators (found or not); classify = non-doubtful rows (decided right or not); "
             "only units evaluated in both runs; exact two-sided McNemar on the discordant pairs")]
    for p in pairs:
        if p.a_only:
            notes.append(f"{p.task}: right only in {p.a}: " + ", ".join(p.a_only[:15]) + (" …" if len(p.a_only) > 15 else ""))
        if p.b_only:
            notes.append(f"{p.task}: right only in {p.b}: " + ", ".join(p.b_only[:15]) + (" …" if len(p.b_only) > 15 else ""))
    return Table("Paired comparison (each run vs the first of its task)",
                 ["task", "A", "B", "units", "both right", "A only", "B only", "both wrong", "McNemar p"], rows, notes)


def scorer_tables(rep: ScorerReport) -> list[Table]:
    pooled = []
    per_sample = []
    for f in rep.flags:
        p, q = f.firm.pooled, f.with_doubtful.pooled
        held = rep.held_out.get(f.flag)
        pooled.append([f.flag, f3(f.threshold), f"{f.firm.cells} (-{f.firm.doubtful_excluded})",
                       f"{p.tp}/{p.fp}/{p.fn}", *prf_cells(p), f3(f.ap), " / ".join(prf_cells(q)),
                       " / ".join(prf_cells(held)) if held is not None else "–"])
        for sample, s in f.firm.per_sample.items():
            a = f.with_doubtful.per_sample.get(sample)
            per_sample.append([f.flag, sample, f"{s.tp}/{s.fp}/{s.fn}", *prf_cells(s),
                               " / ".join(prf_cells(a)) if a is not None else "–"])
    notes = [(f"embedding model {rep.embedding_model}, scorer config v{rep.config_version}; "
             f"{rep.joined_rows}/{rep.labelled_rows} labelled rows joined by sample + line (+ 三级指标 check)"),
             "headline numbers exclude doubtful cells; 'incl. doubtful' counts the labeller's best guess as gold",
             "AP: step-wise average precision over the scorer's raw scores (doubtful excluded)"]
    if rep.calibrated:
        notes.insert(0, "CAUTION: this scorer config was calibrated on these same gold labels, so the numbers above "
                        "are in-sample (optimistic); the last column is the held-out-by-sample result the "
                        "calibration itself recorded (ScoreConfig.metrics), the fairer estimate")
    notes += [f"join error: {e}" for e in rep.join_errors[:10]]
    return [
        Table("Scorer flags, pooled over samples (gold: eval/gold/labels.jsonl)",
              ["flag", "threshold", "cells (-doubtful)", "TP/FP/FN", "P %", "R %", "F1 %", "AP",
               "P / R / F1 % incl. doubtful", "P / R / F1 % held-out by sample, incl. doubtful (config)"], pooled, notes),
        Table("Scorer flags per sample (doubtful excluded; all cells beside)",
              ["flag", "sample", "TP/FP/FN", "P %", "R %", "F1 %", "P / R / F1 % incl. doubtful"], per_sample,
              [("per-sample targets count the non-doubtful cells; pooled targets count every cell "
                "(the labeller's best guess), so the pooled target column is 'incl. doubtful'")]),
    ]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(tables: Sequence[Table]) -> str:
    out: list[str] = []
    for t in tables:
        out.append(f"### {t.title}\n")
        out.append("| " + " | ".join(_md_cell(h) for h in t.headers) + " |")
        out.append("|" + "---|" * len(t.headers))
        out.extend("| " + " | ".join(_md_cell(c) for c in r) + " |" for r in t.rows)
        if not t.rows:
            out.append("| " + " | ".join(["–"] * len(t.headers)) + " |")
        out.append("")
        out.extend(f"* {_md_cell(n)}" for n in t.notes)
        out.append("")
    return "\n".join(out)


def to_html(tables: Sequence[Table]) -> str:
    parts: list[str] = []
    for t in tables:
        parts.append(f"<h2>{html.escape(t.title)}</h2>\n<table>\n<tr>"
                     + "".join(f"<th>{html.escape(h)}</th>" for h in t.headers) + "</tr>")
        for r in t.rows:
            parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>")
        parts.append("</table>")
        if t.notes:
            parts.append("<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in t.notes) + "</ul>")
    return "\n".join(parts)
