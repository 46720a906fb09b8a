"""Text normalisation shared by the flag detectors.

Two normal forms:
- `clean`: NFKC, no whitespace, no markup; what we embed.
- `template_key`: `clean` minus numbers, units, comparators, bracketed units and
  the project's own name, so "≥5 类" and "≥10 类" or "督查费用（元）" in two
  projects compare equal. Used for boilerplate detection.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_TAG = re.compile(r"<[^>]+>|\$|\\[a-zA-Z]+|\*\*")
_SPACE = re.compile(r"\s+")
# Bracketed units or notes: （%） (元) （个） （百分比）
_BRACKET = re.compile(r"[（(][^（()）]{0,8}[)）]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_COMPARATORS = re.compile(r"[≥≤=><＞＜＝]|大于等于|小于等于|不低于|不少于|不高于|不超过|以上|以下")
_UNITS = (
    "万元|千元|元|%|％|百分比|个|人次|人|次|台|套|件|份|期|篇|条|场|项|类|户|家|所|辆|天|日|月|年|小时|"
    "平方米|米|公里|千米|册|本|张|批|处|座|块|名|部|起|周|季度|分|万|千|百"
)
_UNIT_AFTER_NUMBER = re.compile(rf"\d+(?:\.\d+)?\s*(?:{_UNITS})?")
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)

# Words that carry no subject: dropping them from project names keeps
# "…专项经费" / "…工作经费" from looking alike because of the suffix.
GENERIC_NAME_WORDS = (
    "专项经费",
    "专项资金",
    "工作经费",
    "经费",
    "费用",
    "资金",
    "专项",
    "项目",
    "绩效目标表",
)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# clean and subject_of are pure functions of a string that the detectors call again and again
# for the same few names and texts (a million calls for 80 documents); remembered, the corpus-wide
# scoring, which runs once on the batch driver, spends its time comparing instead.
@lru_cache(maxsize=1 << 16)
def clean(text: str | None) -> str:
    """NFKC, markup removed, whitespace removed."""
    if not text:
        return ""
    t = _TAG.sub("", nfkc(text))
    return _SPACE.sub("", t)


def strip_bracket_units(text: str) -> str:
    return _BRACKET.sub("", text)


@lru_cache(maxsize=1 << 16)
def subject_of(name: str) -> str:
    """The distinctive part of a project name (generic suffixes removed)."""
    s = clean(name)
    for w in GENERIC_NAME_WORDS:
        s = s.replace(w, "")
    return s or clean(name)


def template_key(text: str | None, project_names: Iterable[str] = ()) -> str:
    """Text with numbers, units, comparators, punctuation and project names removed."""
    s = clean(text)
    for name in sorted({clean(n) for n in project_names if n}, key=lambda n: (-len(n), n)):
        subj = subject_of(name)
        for part in (name, subj):
            if len(part) >= 2:
                s = s.replace(part, "")
    s = _BRACKET.sub("", s)
    s = _UNIT_AFTER_NUMBER.sub("", s)
    s = _NUMBER.sub("", s)
    s = _COMPARATORS.sub("", s)
    s = _PUNCT.sub("", s)
    return s


def bigrams(text: str) -> set[str]:
    """Character bigrams of the CJK/alnum content (punctuation breaks a run)."""
    out: set[str] = set()
    for run in _PUNCT.split(clean(text)):
        run = _NUMBER.sub("#", run)
        for i in range(len(run) - 1):
            g = run[i : i + 2]
            if "#" not in g:
                out.add(g)
    return out


def dice(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


class Idf:
    """Inverse document frequency of bigrams over a set of distinct texts.

    Counted over *distinct* texts so a template pasted into 30 projects does not
    make its own words look common.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        distinct = {clean(t) for t in texts if t}
        self.n = max(len(distinct), 1)
        self.df: dict[str, int] = {}
        for t in distinct:
            for g in bigrams(t):
                self.df[g] = self.df.get(g, 0) + 1

    def weight(self, gram: str) -> float:
        return math.log((self.n + 1) / (self.df.get(gram, 0) + 1)) + 1.0

    def coverage(self, grams: set[str], context: set[str]) -> tuple[float, float]:
        """(IDF mass of `grams` found in `context` / total mass, total mass)."""
        total = sum(self.weight(g) for g in grams)
        if total <= 0:
            return 0.0, 0.0
        hit = sum(self.weight(g) for g in grams if g in context)
        return hit / total, total
