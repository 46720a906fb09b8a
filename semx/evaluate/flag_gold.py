"""Gold labels for the indicator flags (eval/gold/labels.jsonl, see eval/README.md).

One JSON object per table indicator row: sample (file stem), line, and booleans
boilerplate / mismatch / misclassified / unmeasurable, plus `doubtful` (labels
that are judgement calls).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

GOLD_CODES = ("boilerplate", "mismatch", "misclassified", "unmeasurable")


@dataclass(frozen=True)
class GoldRow:
    sample: str
    line: int
    labels: dict[str, bool]
    doubtful: frozenset[str]
    project: str = ""
    level3: str = ""


def load_gold(path: Path) -> list[GoldRow]:
    rows: list[GoldRow] = []
    with path.open(encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            raw = raw.strip()
            if not raw:
                continue
            obj = json.loads(raw)
            try:
                rows.append(
                    GoldRow(
                        sample=str(obj["sample"]),
                        line=int(obj["line"]),
                        labels={c: bool(obj.get(c, False)) for c in GOLD_CODES},
                        doubtful=frozenset(obj.get("doubtful") or ()),
                        project=str(obj.get("project", "")),
                        level3=str(obj.get("level3", "")),
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{n}: bad gold row: {exc}") from exc
    return rows
