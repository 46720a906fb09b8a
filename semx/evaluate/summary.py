"""One row of the comparison table per (task, prompt version, model).

What counts: items that were run (replayed or live) are scored as the pipeline would use
them, so a call that stayed invalid after its re-asks contributes no indicators (extract)
or no opinion (classify, read as "no misclassified flag"). Items that could not be run
(not recorded, or a recording that no longer matches the request) are left out of every
metric and counted in their own columns, so a partial recording can never pass for a
complete one.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from semx.evaluate.extraction import BlockScore, score_block
from semx.evaluate.gold import GoldBlock, GoldLabel
from semx.evaluate.items import ClassifyItem
from semx.evaluate.llm_run import ItemRun, VersionRun
from semx.evaluate.metrics import PRF

NOT_RUN = ("not_recorded", "replay_mismatch")

# Why a call's last answer was rejected, from the validator messages (semx.llm.schemas) and
# pydantic's error types; one error message can name several reasons.
FAILURE_PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("not JSON", ("json_invalid", "Invalid JSON", "Expecting value")),
    ("missing or null field", ("Field required", "type=missing", "input_value=None")),
    ("category not in the list", ("literal_error",)),
    ("二级 not under its 一级", ("不属于一级指标",)),
    ("evidence not verbatim", ("不是原文中的原句",)),
    ("number not in evidence", ("没有出现在 evidence",)),
    ("wrong row indexes", ("index 必须恰好是",)),
    ("wrong span numbering", ("必须恰好包含编号",)),
    ("name is a category or a sentence", ("不是被衡量的量", "名称不能是整句")),
    ("truncated", ("truncated",)),
)


def failure_reasons(errors: Sequence[str]) -> dict[str, int]:
    """Failed calls per reason (a call counts once per reason it shows); 'other' when none matches."""
    counts: dict[str, int] = {}
    for e in errors:
        hits = [name for name, marks in FAILURE_PATTERNS if any(m in e for m in marks)] or ["other"]
        for h in hits:
            counts[h] = counts.get(h, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass
class Usage:
    calls: int = 0
    valid: int = 0
    first_try_valid: int = 0
    reasks: int = 0
    transport_retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    # Time of each item that made at least one call: a block with nothing to ask (extract/v3 finds
    # no span) costs no model time, and counting it as 0 s would flatter the median.
    item_latencies: list[float] = field(default_factory=list)

    def add(self, run: ItemRun) -> None:
        if run.calls:
            self.item_latencies.append(run.latency_s)
        for c in run.calls:
            self.calls += 1
            self.valid += int(c.ok)
            self.first_try_valid += int(c.ok and c.attempts <= 1)
            self.reasks += c.validation_retries
            self.prompt_tokens += c.prompt_tokens
            self.completion_tokens += c.completion_tokens
        self.transport_retries += run.transport_retries
        self.latency_s += run.latency_s

    @property
    def valid_rate(self) -> float:
        return self.valid / self.calls if self.calls else 0.0

    @property
    def latency_per_call(self) -> float:
        return self.latency_s / self.calls if self.calls else 0.0

    @property
    def items_called(self) -> int:
        return len(self.item_latencies)

    @property
    def median_item_latency(self) -> float:
        return statistics.median(self.item_latencies) if self.item_latencies else 0.0

    def tokens_per_item(self) -> tuple[float, float]:
        """(prompt, completion) tokens per item that made a call."""
        n = self.items_called
        return (self.prompt_tokens / n, self.completion_tokens / n) if n else (0.0, 0.0)


@dataclass
class TaskSummary:
    task: str
    version: str
    model: str
    mode: str
    items: int
    evaluated: int
    not_recorded: int
    replay_mismatch: int
    failed: int
    usage: Usage
    prf: PRF
    # extract: matched pairs with the right 二级 / with op+number+unit right
    level2_acc: float | None = None
    value_acc: float | None = None
    # classify: share of rows decided right, rows with an answer, doubtful rows left out
    accuracy: float | None = None
    answered: float | None = None
    rows: int = 0
    doubtful_excluded: int = 0
    # paired unit id -> right?  (extract: gold indicator found; classify: flag decision right)
    outcomes: dict[str, bool] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)  # failed items by reason (failure_reasons)
    settings: dict[str, Any] = field(default_factory=dict)  # request settings of the run (recorded ones on replay)
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.task}/{self.version}"

    def as_json(self) -> dict[str, Any]:
        u = self.usage
        return {
            "task": self.task, "version": self.version, "model": self.model, "mode": self.mode,
            "items": self.items, "evaluated": self.evaluated, "not_recorded": self.not_recorded,
            "replay_mismatch": self.replay_mismatch, "failed": self.failed,
            "tp": self.prf.tp, "fp": self.prf.fp, "fn": self.prf.fn,
            "precision": self.prf.precision, "recall": self.prf.recall, "f1": self.prf.f1,
            "level2_acc": self.level2_acc, "value_acc": self.value_acc, "accuracy": self.accuracy,
            "answered": self.answered, "rows": self.rows, "doubtful_excluded": self.doubtful_excluded,
            "calls": u.calls, "schema_valid_rate": u.valid_rate, "first_try_valid": u.first_try_valid,
            "reasks": u.reasks, "transport_retries": u.transport_retries, "prompt_tokens": u.prompt_tokens,
            "completion_tokens": u.completion_tokens, "latency_s": round(u.latency_s, 3),
            "latency_per_call_s": round(u.latency_per_call, 3), "items_called": u.items_called,
            "median_item_latency_s": round(u.median_item_latency, 3),
            "prompt_tokens_per_item": round(u.tokens_per_item()[0], 1),
            "completion_tokens_per_item": round(u.tokens_per_item()[1], 1), "failures": self.failures, "settings": self.settings,
            "notes": self.notes,
        }


def _base(run: VersionRun) -> tuple[list[ItemRun], Usage, dict[str, int]]:
    done = [r for r in run.items if r.status not in NOT_RUN]
    usage = Usage()
    for r in done:
        usage.add(r)
    counts = {s: sum(1 for r in run.items if r.status == s) for s in ("not_recorded", "replay_mismatch")}
    counts["failed"] = sum(1 for r in done if r.status != "ok")
    return done, usage, counts


def _failures(done: Sequence[ItemRun]) -> dict[str, int]:
    return failure_reasons([r.error or "" for r in done if r.status != "ok"])


def summarize_extract(run: VersionRun, blocks: Sequence[GoldBlock]) -> tuple[TaskSummary, list[BlockScore]]:
    by_key = {f"{b.sample}/L{b.title_line:04d}": b for b in blocks}
    done, usage, counts = _base(run)
    scores = [score_block(by_key[r.key], r.extracted) for r in done]
    prf = sum((s.prf for s in scores), PRF(0, 0, 0))
    matched = prf.tp
    outcomes = {f"{s.key}#{i}": f for s in scores for i, f in enumerate(s.found)}
    summary = TaskSummary(
        run.task, run.version, run.model, run.mode, len(run.items), len(done), counts["not_recorded"],
        counts["replay_mismatch"], counts["failed"], usage, prf,
        level2_acc=sum(s.level2_ok for s in scores) / matched if matched else None,
        value_acc=sum(s.value_ok for s in scores) / matched if matched else None,
        outcomes=outcomes, failures=_failures(done), settings=dict(run.settings),
        notes=list(run.notes),
    )
    return summary, scores


@dataclass(frozen=True)
class RowOutcome:
    sample: str
    line: int
    level3: str
    gold: bool  # gold misclassified
    pred: bool  # the model disputes the table's category (-> misclassified flag)
    answered: bool
    doubtful: bool


def classify_rows(item: ClassifyItem, run: ItemRun, labels: dict[tuple[str, int], GoldLabel]) -> list[RowOutcome]:
    out: list[RowOutcome] = []
    for ind in item.project.indicators:
        lab = labels.get((item.sample, ind.line))
        if lab is None:
            continue
        op = run.opinions.get(ind.line)
        out.append(RowOutcome(item.sample, ind.line, lab.level3, lab.flags["misclassified"],
                              pred=op is not None and not op["agrees"], answered=op is not None,
                              doubtful="misclassified" in lab.doubtful))
    return out


def summarize_classify(run: VersionRun, items: Sequence[ClassifyItem],
                       labels: Sequence[GoldLabel]) -> tuple[TaskSummary, list[RowOutcome]]:
    by_pos = {(lab.sample, lab.line): lab for lab in labels}
    by_key = {it.key: it for it in items}
    done, usage, counts = _base(run)
    rows = [o for r in done for o in classify_rows(by_key[r.key], r, by_pos)]
    firm = [o for o in rows if not o.doubtful]
    prf = PRF(sum(o.gold and o.pred for o in firm), sum(o.pred and not o.gold for o in firm),
              sum(o.gold and not o.pred for o in firm))
    summary = TaskSummary(
        run.task, run.version, run.model, run.mode, len(run.items), len(done), counts["not_recorded"],
        counts["replay_mismatch"], counts["failed"], usage, prf,
        accuracy=sum(o.gold == o.pred for o in firm) / len(firm) if firm else None,
        answered=sum(o.answered for o in rows) / len(rows) if rows else None,
        rows=len(firm), doubtful_excluded=len(rows) - len(firm),
        outcomes={f"{o.sample}/L{o.line:04d}": o.gold == o.pred for o in firm}, failures=_failures(done),
        settings=dict(run.settings), notes=list(run.notes),
    )
    return summary, rows
