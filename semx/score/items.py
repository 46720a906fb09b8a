"""The scorer's working view of a document: indicators with their texts.

Built once per run so every detector sees the same normalised strings, and so
all strings can be embedded in one batch (each distinct string once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from semx.models import Indicator, Project
from semx.score.text import bigrams, clean, strip_bracket_units, subject_of, template_key
from semx.score.values import ValueFacts, analyze_value

_SENT_SPLIT = re.compile(r"[。；;！!？?\n]|(?<!\d)\d+[、.．](?!\d)")


@dataclass
class Item:
    """One indicator in context."""

    doc: int
    project: int
    index: int
    ind: Indicator
    text: str  # what we embed: name + description
    key: str  # template key (boilerplate)
    grams: set[str]
    value: ValueFacts


@dataclass
class ProjectView:
    doc: int
    index: int
    project: Project
    name: str
    subject: str  # name without generic suffixes, + first goal sentence
    pieces: list[str]  # name, purpose, goal sentences: the project's own statements
    grams: set[str]  # bigrams of the pieces
    items: list[Item] = field(default_factory=list)
    # Per-project facts derived from name, purpose and goals (which scoring never changes),
    # computed on first use: a rule asked once per indicator would otherwise redo them for
    # every row of the project.
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class DocView:
    index: int
    key: str  # a label for reasons (file name); never used for logic
    projects: list[ProjectView]

    @property
    def items(self) -> list[Item]:
        return [it for p in self.projects for it in p.items]


def indicator_text(ind: Indicator) -> str:
    name = clean(strip_bracket_units(ind.level3)) or clean(ind.level3)
    desc = clean(ind.description)
    if desc and desc != name:
        return f"{name}：{desc}"
    return name


def sentences(text: str | None) -> list[str]:
    if not text:
        return []
    parts = [clean(p) for p in _SENT_SPLIT.split(text)]
    return [p for p in parts if len(p) >= 4]


def build_doc(index: int, key: str, projects: list[Project], linked_goals: dict[str, list[str]] | None = None
              ) -> DocView:
    """linked_goals: per cleaned project name, the 绩效目标 prose of the free-text block of the same
    name (the department's own statement of what the money is for, often fuller than the table's)."""
    views: list[ProjectView] = []
    for pi, p in enumerate(projects):
        goal_sents = [s for g in (p.goals or []) for s in sentences(g)] or sentences(p.goal_text)
        prose = [s for g in (linked_goals or {}).get(clean(p.name), []) for s in sentences(g)]
        pieces = [clean(p.name), *sentences(p.purpose), *goal_sents, *prose]
        pieces = list(dict.fromkeys(x for x in pieces if x))
        first_goal = goal_sents[0] if goal_sents else ""
        subject = subject_of(p.name) + ("：" + first_goal if first_goal else "")
        grams: set[str] = set()
        for x in pieces:
            grams |= bigrams(x)
        pv = ProjectView(
            doc=index, index=pi, project=p, name=clean(p.name), subject=subject, pieces=pieces, grams=grams
        )
        for ii, ind in enumerate(p.indicators):
            text = indicator_text(ind)
            key_src = f"{ind.level3}|{ind.description or ''}"
            pv.items.append(
                Item(
                    doc=index,
                    project=pi,
                    index=ii,
                    ind=ind,
                    text=text,
                    key=template_key(key_src, [p.name]),
                    grams=bigrams(text),
                    value=analyze_value(ind.value),
                )
            )
        views.append(pv)
    return DocView(index=index, key=key, projects=views)
