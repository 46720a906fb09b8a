"""`semx eval --baseline FILE`: the eval as a gate against regressions.

Every quality figure of a run (results.json: each LLM task's precision / recall / F1 and
accuracies, each scorer flag's pooled and per-sample precision / recall / F1 and average
precision, doubtful cells counted and left out) is compared with the same figure in a stored
baseline (eval/baseline.json, written by `semx eval --save-baseline FILE`). A figure that drops
by more than the threshold (default 0.02) fails the gate, so a prompt, rule or threshold change
cannot lower a number silently. Figures are all "higher is better"; costs and latencies are not
gated (they vary with the machine). A figure of the baseline that the run did not produce fails
too when its section (llm, scorer) ran, since a flag or task that disappears is a regression.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_THRESHOLD = 0.02
EXIT_REGRESSION = 5  # documented in README (semx eval exit codes)
_LLM_FIELDS = ("precision", "recall", "f1", "level2_acc", "value_acc", "accuracy", "schema_valid_rate")
_PRF = ("precision", "recall", "f1")


def _num(x: Any) -> float | None:
    return float(x) if isinstance(x, int | float) and not isinstance(x, bool) else None


def figures(results: Mapping[str, Any]) -> dict[str, float]:
    """Flat name -> value of every gated figure of a results.json document."""
    return dict(_walk(results))


def _walk(results: Mapping[str, Any]) -> Iterator[tuple[str, float]]:
    for s in results.get("llm") or []:
        base = f"llm/{s.get('task')}/{s.get('version')}/{s.get('model')}"
        for f in _LLM_FIELDS:
            v = _num(s.get(f))
            if v is not None:
                yield f"{base}/{f}", v
    scorer = results.get("scorer") or {}
    for fl in scorer.get("flags") or []:
        base = f"scorer/{fl['flag']}"
        ap = _num(fl.get("average_precision"))
        if ap is not None:
            yield f"{base}/average_precision", ap
        for part in ("excluding_doubtful", "including_doubtful"):
            m = fl.get(part) or {}
            for f in _PRF:
                v = _num((m.get("pooled") or {}).get(f))
                if v is not None:
                    yield f"{base}/{part}/pooled/{f}", v
            for sample, per in (m.get("per_sample") or {}).items():
                v = _num(per.get("f1"))
                if v is not None:
                    yield f"{base}/{part}/{sample}/f1", v


@dataclass(frozen=True)
class Drop:
    name: str
    baseline: float
    current: float | None  # None: the run did not produce it

    def line(self) -> str:
        if self.current is None:
            return f"{self.name}: {self.baseline:.3f} in the baseline, missing now"
        return f"{self.name}: {self.baseline:.3f} -> {self.current:.3f} ({self.current - self.baseline:+.3f})"


def compare(current: Mapping[str, float], baseline: Mapping[str, float], threshold: float = DEFAULT_THRESHOLD
            ) -> list[Drop]:
    """Figures that dropped by more than `threshold`, and baseline figures missing from a section that ran."""
    if threshold < 0:
        raise ValueError(f"gate threshold must be >= 0, got {threshold}")
    ran = {name.split("/", 1)[0] for name in current}
    drops: list[Drop] = []
    for name, old in sorted(baseline.items()):
        new = current.get(name)
        if new is None:
            if name.split("/", 1)[0] in ran:
                drops.append(Drop(name, old, None))
        elif old - new > threshold + 1e-9:
            drops.append(Drop(name, old, new))
    return drops


def load_baseline(path: Path) -> dict[str, float]:
    """A baseline file: {"figures": {name: value}} (or a whole results.json)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"baseline {path} does not exist (write one with --save-baseline)") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"baseline {path} is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(f"baseline {path}: expected a JSON object")  # noqa: TRY004 - bad input, one error type
    if "figures" in data:
        figs = data["figures"]
        if not isinstance(figs, dict) or not all(_num(v) is not None for v in figs.values()):
            raise ValueError(f"baseline {path}: 'figures' must map names to numbers")
        return {str(k): float(v) for k, v in figs.items()}
    return figures(data)


def baseline_document(results: Mapping[str, Any], note: str = "") -> dict[str, Any]:
    return {"note": note or "semx eval figures; regenerate with: semx eval --save-baseline eval/baseline.json",
            "figures": figures(results)}
