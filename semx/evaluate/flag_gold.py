"""Gold labels for the indicator flags (eval/gold/labels.jsonl, see eval/README.md).

One JSON object per table indicator row: sample (file stem), line, and booleans
boilerplate / mismatch / misclassified / unmeasurable, plus `doubtful` (labels
that are judgement calls).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from semx.vocab.flags import GOLD_CODES, PROJECT_GOLD_CODES


@dataclass(frozen=True)
class GoldRow:
    sample: str
    line: int
    labels: dict[str, bool]
    doubtful: frozenset[str]
    project: str = ""
    level3: str = ""


# The four flags labelled from the start: a row without one of them says "not raised".
_ALWAYS_LABELLED = ("boilerplate", "mismatch", "misclassified", "unmeasurable")


def load_gold(path: Path) -> list[GoldRow]:
    """A gold code is labelled on every row once any row carries it (a row without it: False);
    a code no row carries (a rule newer than the labels) is not labelled at all."""
    objs: list[tuple[int, dict[str, object]]] = []
    with path.open(encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            raw = raw.strip()
            if raw:
                objs.append((n, json.loads(raw)))
    present = {c for _, obj in objs for c in GOLD_CODES if c in obj} | set(_ALWAYS_LABELLED)
    codes = [c for c in GOLD_CODES if c in present]
    rows: list[GoldRow] = []
    for n, obj in objs:
        try:
            rows.append(
                GoldRow(
                    sample=str(obj["sample"]),
                    line=int(obj["line"]),  # type: ignore[call-overload]
                    labels={c: bool(obj.get(c, False)) for c in codes},
                    doubtful=frozenset(obj.get("doubtful") or ()),  # type: ignore[call-overload]
                    project=str(obj.get("project", "")),
                    level3=str(obj.get("level3", "")),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}:{n}: bad gold row: {exc}") from exc
    return rows


@dataclass(frozen=True)
class ProjectGoldRow:
    """One table of eval/gold/project_labels.jsonl: found by its sample and first labelled row."""

    sample: str
    first_line: int
    project: str
    labels: dict[str, bool]
    doubtful: frozenset[str]


def load_project_gold(path: Path) -> list[ProjectGoldRow]:
    rows: list[ProjectGoldRow] = []
    if not path.is_file():
        return rows
    with path.open(encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            raw = raw.strip()
            if not raw:
                continue
            obj = json.loads(raw)
            try:
                rows.append(ProjectGoldRow(
                    sample=str(obj["sample"]), first_line=int(obj["first_line"]), project=str(obj.get("project", "")),
                    labels={c: bool(obj[c]) for c in PROJECT_GOLD_CODES if c in obj},
                    doubtful=frozenset(obj.get("doubtful") or ()),
                ))
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path}:{n}: bad project gold row: {exc}") from exc
    return rows
