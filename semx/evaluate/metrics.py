"""Metrics the eval harness reports: P/R/F1, the indicator matching rule, McNemar.

Kept free of I/O so the numbers can be checked on small hand-made cases.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class PRF:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, float]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


def prf_from_labels(gold: Sequence[bool], pred: Sequence[bool]) -> PRF:
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    fp = sum(1 for g, p in zip(gold, pred) if p and not g)
    fn = sum(1 for g, p in zip(gold, pred) if g and not p)
    return PRF(tp, fp, fn)


# ---------------------------------------------------------------- matching rule

_NOISE = re.compile(r"[\s（）()【】\[\]《》“”\"'、，,。.:：;；%％0-9]")


def _bigrams(text: str) -> set[str]:
    t = _NOISE.sub("", text)
    if len(t) < 2:
        return {t} if t else set()
    return {t[i : i + 2] for i in range(len(t) - 1)}


def name_similarity(a: str, b: str) -> float:
    """Dice coefficient over character bigrams; containment of one name in the other counts as 1.

    Chinese indicator names vary in wording ("参会人员到场率" vs "到场率"), so whole-name
    equality is too strict and embedding similarity too loose for a written-down rule.
    """
    ca, cb = _NOISE.sub("", a), _NOISE.sub("", b)
    if not ca or not cb:
        return 0.0
    if len(ca) >= 2 and len(cb) >= 2 and (ca in cb or cb in ca):
        return 1.0
    ga, gb = _bigrams(a), _bigrams(b)
    return 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else 0.0


def _num(x: object) -> Decimal | None:
    if x is None or x == "":
        return None
    try:
        return Decimal(str(x))
    except InvalidOperation:
        return None


def values_agree(gold_number: object, pred_number: object) -> bool:
    """Numbers must be equal when the gold has one; a gold without a number accepts anything."""
    g, p = _num(gold_number), _num(pred_number)
    if g is None:
        return True
    return p is not None and g == p


NAME_THRESHOLD = 0.5


@dataclass(frozen=True)
class Match:
    gold: int
    pred: int
    similarity: float


def match_indicators(
    gold: Sequence[tuple[str, object]], pred: Sequence[tuple[str, object]], threshold: float = NAME_THRESHOLD
) -> list[Match]:
    """One-to-one greedy matching of (name, number) pairs.

    A pair is eligible when name_similarity >= threshold and the values agree; pairs are
    taken best similarity first, so each gold and each prediction is used at most once.
    """
    candidates: list[Match] = []
    for i, (gname, gnum) in enumerate(gold):
        for j, (pname, pnum) in enumerate(pred):
            s = name_similarity(gname, pname)
            if s >= threshold and values_agree(gnum, pnum):
                candidates.append(Match(i, j, s))
    candidates.sort(key=lambda m: (-m.similarity, m.gold, m.pred))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: list[Match] = []
    for m in candidates:
        if m.gold in used_g or m.pred in used_p:
            continue
        used_g.add(m.gold)
        used_p.add(m.pred)
        out.append(m)
    return sorted(out, key=lambda m: m.gold)


def extraction_prf(gold: Sequence[tuple[str, object]], pred: Sequence[tuple[str, object]]) -> PRF:
    tp = len(match_indicators(gold, pred))
    return PRF(tp, len(pred) - tp, len(gold) - tp)


# ---------------------------------------------------------------- McNemar


@dataclass(frozen=True)
class McNemar:
    b: int  # A right, B wrong
    c: int  # A wrong, B right
    p_value: float


def mcnemar(a_correct: Sequence[bool], b_correct: Sequence[bool]) -> McNemar:
    """Exact (binomial) McNemar test on paired outcomes; two-sided.

    The exact form is used because eval sets are small and discordant counts often < 25,
    where the chi-square approximation is poor.
    """
    if len(a_correct) != len(b_correct):
        raise ValueError("paired outcomes differ in length")
    b = sum(1 for x, y in zip(a_correct, b_correct) if x and not y)
    c = sum(1 for x, y in zip(a_correct, b_correct) if y and not x)
    n = b + c
    if n == 0:
        return McNemar(b, c, 1.0)
    k = min(b, c)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return McNemar(b, c, min(1.0, 2 * tail))
