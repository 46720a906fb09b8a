"""Paired comparison of two runs of the same task on the same items, with an exact McNemar test.

Paired units: for extract, each gold indicator (found by the run or not); for classify, each
non-doubtful gold row (misclassified decision right or not). Only units evaluated in both
runs are compared, so a partly recorded version is compared on the common part only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from semx.evaluate.metrics import mcnemar
from semx.evaluate.summary import TaskSummary


@dataclass(frozen=True)
class Paired:
    task: str
    a: str  # label of run A (version, model)
    b: str
    units: int
    both_right: int
    both_wrong: int
    a_only: list[str]  # units right in A and wrong in B (B lost them)
    b_only: list[str]  # units wrong in A and right in B (B gained them)
    p_value: float

    def as_json(self) -> dict[str, Any]:
        return {"task": self.task, "a": self.a, "b": self.b, "units": self.units, "both_right": self.both_right,
                "both_wrong": self.both_wrong, "a_only": self.a_only, "b_only": self.b_only,
                "mcnemar_b": len(self.a_only), "mcnemar_c": len(self.b_only), "p_value": self.p_value}


def run_label(s: TaskSummary, with_model: bool) -> str:
    return f"{s.label} [{s.model}]" if with_model else s.label


def paired(a: TaskSummary, b: TaskSummary, *, with_model: bool = False) -> Paired:
    if a.task != b.task:
        raise ValueError("paired comparison needs two runs of the same task")
    common = sorted(set(a.outcomes) & set(b.outcomes))
    xa = [a.outcomes[u] for u in common]
    xb = [b.outcomes[u] for u in common]
    test = mcnemar(xa, xb)
    return Paired(
        task=a.task, a=run_label(a, with_model), b=run_label(b, with_model), units=len(common),
        both_right=sum(1 for x, y in zip(xa, xb) if x and y),
        both_wrong=sum(1 for x, y in zip(xa, xb) if not x and not y),
        a_only=[u for u, x, y in zip(common, xa, xb) if x and not y],
        b_only=[u for u, x, y in zip(common, xa, xb) if y and not x],
        p_value=test.p_value,
    )


def all_pairs(summaries: Sequence[TaskSummary]) -> list[Paired]:
    """Each run against the first run of the same task (the baseline: first --prompt / --model given)."""
    models = {s.model for s in summaries}
    out: list[Paired] = []
    for task in dict.fromkeys(s.task for s in summaries):
        runs = [s for s in summaries if s.task == task]
        out.extend(paired(runs[0], other, with_model=len(models) > 1) for other in runs[1:])
    return out
