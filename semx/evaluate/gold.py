"""The gold data of eval/gold as typed records, and the corpus documents they refer to.

Only reading and validation of shape happen here; the labelling rules live in
eval/README.md and the checks of content in eval/gold/tools/validate.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from semx.vocab.flags import GOLD_CODES

# The gold-labelled flag codes, from the registry (named FLAG_LABELS for the callers' sake: the
# flags that have labels, not the flags' Chinese labels, which are semx.vocab.flags.FLAG_LABELS).
FLAG_LABELS: tuple[str, ...] = GOLD_CODES


def repo_root() -> Path:
    # semx/evaluate/gold.py -> repository root
    return Path(__file__).resolve().parents[2]


def default_eval_dir() -> Path:
    return repo_root() / "eval"


@dataclass(frozen=True)
class GoldLabel:
    """One hand-labelled table indicator row (eval/gold/labels.jsonl)."""

    sample: str
    line: int
    project: str
    level3: str
    value: str
    flags: dict[str, bool]
    doubtful: frozenset[str] = frozenset()
    reason: str = ""


@dataclass(frozen=True)
class GoldIndicator:
    name: str
    level1: str
    level2: str
    op: str | None
    number: str | None
    unit: str | None
    evidence: str


@dataclass(frozen=True)
class GoldBlock:
    """One free-text 分项绩效目标 block with the indicators an auditor reads out of it."""

    sample: str
    title: str
    title_line: int
    indicators: tuple[GoldIndicator, ...] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        return f"{self.sample}:L{self.title_line}"


def _jsonl(path: Path) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw.strip():
            try:
                out.append(json.loads(raw))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON: {exc}") from exc
    return out


def _list(value: object) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def load_labels(path: Path | None = None) -> list[GoldLabel]:
    path = path or default_eval_dir() / "gold" / "labels.jsonl"
    labels: list[GoldLabel] = []
    for obj in _jsonl(path):
        labels.append(
            GoldLabel(
                sample=str(obj["sample"]),
                line=int(obj["line"]),  # type: ignore[call-overload]
                project=str(obj.get("project", "")),
                level3=str(obj["level3"]),
                value=str(obj.get("value", "")),
                flags={name: bool(obj[name]) for name in FLAG_LABELS if name in obj},
                doubtful=frozenset(str(x) for x in _list(obj.get("doubtful"))),
                reason=str(obj.get("reason", "")),
            )
        )
    return labels


def load_blocks(path: Path | None = None) -> list[GoldBlock]:
    path = path or default_eval_dir() / "gold" / "extract.jsonl"
    blocks: list[GoldBlock] = []
    for obj in _jsonl(path):
        inds = tuple(
            GoldIndicator(
                name=str(i["name"]),
                level1=str(i["level1"]),
                level2=str(i["level2"]),
                op=i.get("op"),
                number=None if i.get("number") in (None, "") else str(i["number"]),
                unit=i.get("unit"),
                evidence=str(i.get("evidence", "")),
            )
            for i in _list(obj.get("indicators"))
        )
        blocks.append(GoldBlock(sample=str(obj["sample"]), title=str(obj["title"]),
                                title_line=int(obj["title_line"]), indicators=inds))  # type: ignore[call-overload]
    return blocks


def corpus_file(sample: str, corpus_dir: Path | None = None) -> Path:
    """eval/corpus/<sample>.txt; the sample id is the file stem."""
    path = (corpus_dir or default_eval_dir() / "corpus") / f"{sample}.txt"
    if not path.is_file():
        raise FileNotFoundError(f"gold refers to sample {sample!r} but {path} does not exist")
    return path
