"""Find the quantified spans of a free-text target block without a model.

The embedded 1.5B model is slow at writing JSON (a few tokens a second on this machine) and
invents numbers and quotes when it writes a whole extraction. Numbers, comparators, units and
quotes are a grammar, not a judgement: this module finds them deterministically, each with a
verbatim quote and its offsets in the text, and leaves the model only what needs language
(the indicator's name and category, see prompts/extract/v3.md).

A span is one number with its comparator and unit (`不少于120公里`, `95%以上`, `12月底前`),
quoted as the clause around it (cut between numbers when a clause holds several), or a
qualitative target without a number (`年底前完成`, `无差错`) quoted as its clause.

Revision 2 (extract/v4, `spans: 2` in the prompt's front matter) adds what revision 1 missed on
real prose: Chinese numerals before a measure word (租一个场地, 九月底之前), a rank (排名后 5) and the
day of a date (10月1日) are not amounts, the value a word stands for (无差错 = 0 次, 年底前 = 12 月底),
and targets stated in the 绩效目标 text beside those of the 绩效指标 text. Revision 1 stays as it
was, so extract/v3's recordings replay unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from semx.llm.schemas import cn_to_int
from semx.models import ValueOp
from semx.targets.values import parse_value
from semx.vocab.quantities import (
    APPROX_MORE,
    CLAUSE_BREAK,
    CN_NOT_AFTER,
    CN_NUMBER,
    DEADLINE_AFTER,
    DOC_NUMBER,
    EXTRA_LEAD_OPS,
    FULL_DATE,
    IMPLIED_VALUES,
    LIST_MARK_AFTER,
    ORDINAL_BEFORE,
    QUALITATIVE,
    RANK_BEFORE,
    YEAR,
    YEAR_AFTER,
    YEAR_RANGE,
)
from semx.vocab.values import SUFFIX_OPS, leading_op

SpanKind = Literal["quantity", "qualitative"]
Revision = Literal[1, 2]

# Digits with optional thousands separators and decimals; \d also matches full-width digits.
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
# How far around a number the value grammar may reach: `大于或等于 300 人次以上` fits.
_LEAD_WINDOW = 6
_TAIL_WINDOW = 8
_STRIP = " \t\u3000、：:"


@dataclass(frozen=True)
class Span:
    """One target found in the text: `text[start:end] == quote` always holds."""

    quote: str
    start: int
    end: int
    kind: SpanKind
    number: Decimal | None = None
    op: ValueOp | None = None
    unit: str | None = None
    value_text: str = ""  # the comparator + number + unit as written, e.g. "大于等于 300 人次"


@dataclass(frozen=True)
class _Hit:
    number: Decimal
    op: ValueOp | None
    unit: str | None
    value_start: int  # offsets within the clause
    value_end: int


def _clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause, split at sentence and clause punctuation."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in CLAUSE_BREAK.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _in_book_title(clause: str, i: int) -> bool:
    """Whether position i is inside 《…》 (a document or programme title: 《榜样5》)."""
    return clause.rfind("《", 0, i) > clause.rfind("》", 0, i)


def _in_quotation(clause: str, i: int) -> bool:
    """Whether position i is inside “…” (a slogan or a name: “四个意识”, “两个维护”)."""
    return clause.rfind("“", 0, i) > clause.rfind("”", 0, i)


def _is_target_number(clause: str, m: re.Match[str], revision: Revision = 1) -> bool:
    before = clause[: m.start()].rstrip()
    after = clause[m.end():]
    if _in_book_title(clause, m.start()):
        return False
    if before.endswith(ORDINAL_BEFORE):
        return False
    if revision >= 2 and (before.endswith(RANK_BEFORE) or _is_day_of_date(clause, m)
                          or any(a <= m.start() < b for a, b in _references(clause))):
        return False
    if YEAR.fullmatch(m.group()) and YEAR_AFTER.match(after) and not after.lstrip().startswith(("年底", "年末")):
        return False
    # "1、…" / "(2)…" at the start of a clause numbers a list
    return not (not before.strip("（( ") and after.startswith(LIST_MARK_AFTER))


def _is_day_of_date(clause: str, m: re.Match[str]) -> bool:
    """The 1 of 10月1日: the month already carries the date's value."""
    return bool(re.search(r"\d\s*月\s*$", clause[: m.start()])) and clause[m.end():].lstrip().startswith(("日", "号"))


def _references(clause: str) -> list[tuple[int, int]]:
    """Where the clause cites rather than targets: document numbers, year ranges, dates of events
    (a full date not followed by 前/底, which would make it a deadline)."""
    out = [(m.start(), m.end()) for pat in (DOC_NUMBER, YEAR_RANGE) for m in pat.finditer(clause)]
    out += [(m.start(), m.end()) for m in FULL_DATE.finditer(clause)
            if not clause[m.end():].lstrip().startswith(DEADLINE_AFTER)]
    return out


def _cn_numbers(clause: str) -> list[tuple[int, int, str]]:
    """(start, end, digits) of each Chinese numeral that counts something (vocab.quantities.CN_NUMBER)."""
    out: list[tuple[int, int, str]] = []
    for m in CN_NUMBER.finditer(clause):
        n = cn_to_int(m.group())
        if n is None or any(w in clause[max(0, m.start() - 2): m.start()] for w in CN_NOT_AFTER):
            continue
        if _in_book_title(clause, m.start()) or _in_quotation(clause, m.start()):
            continue
        out.append((m.start(), m.end(), str(n)))
    return out


def _lead(clause: str, start: int) -> tuple[ValueOp | None, int]:
    """The comparator written just before the number (spaces allowed) and where it starts."""
    head = clause[max(0, start - _LEAD_WINDOW - 4): start]
    stripped = head.rstrip()
    for i in range(len(stripped)):
        candidate = stripped[i:]
        op, rest = leading_op(candidate)
        if op is not None and rest == "":
            return op, start - (len(head) - i)
        for word, extra in EXTRA_LEAD_OPS:
            if candidate == word:
                return extra, start - (len(head) - i)
    return None, start


def _hit(clause: str, start: int, end: int, digits: str) -> _Hit | None:
    """The value around the number clause[start:end] (written as `digits`)."""
    lead_op, lead_start = _lead(clause, start)
    tail = clause[end: end + _TAIL_WINDOW]
    # Stop the tail at the next number: its words belong to that value.
    nxt = _NUMBER.search(tail)
    if nxt:
        tail = tail[: nxt.start()]
    approx = tail.lstrip().startswith(APPROX_MORE)
    if approx:
        lstripped = tail.lstrip()
        tail = tail[: len(tail) - len(lstripped)] + lstripped[1:]
    pv = parse_value(f"{digits}{tail}")
    if pv.number is None:
        return None
    unit = pv.unit
    # Where the value ends: after the unit and a suffix comparator (以上, 以内, 底前); the tail
    # window also holds the words after the value, so the suffix is read here, not by parse_value.
    consumed, suffix_op = end, None
    if unit is not None:
        k = tail.find(unit[0])
        if k >= 0:
            consumed = end + k + len(unit) + (1 if approx else 0)
            rest = clause[consumed:]
            for word, word_op in SUFFIX_OPS:
                if rest.startswith(word):
                    consumed += len(word)
                    suffix_op = word_op
                    break
    op = lead_op or suffix_op or pv.op or ("≥" if approx else None)
    return _Hit(number=pv.number, op=op, unit=unit, value_start=lead_start, value_end=consumed)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    return start, end


def _numbers(clause: str, revision: Revision) -> list[tuple[int, int, str]]:
    found = [(m.start(), m.end(), m.group()) for m in _NUMBER.finditer(clause)
             if _is_target_number(clause, m, revision)]
    if revision >= 2:
        found = sorted(found + _cn_numbers(clause))
    return found


def _qualitative(text: str, c_start: int, c_end: int, revision: Revision) -> Span | None:
    q = QUALITATIVE.search(text, c_start, c_end)
    if q is None:
        return None
    s, e = _trim(text, c_start, c_end)
    if revision >= 2:
        # 无差错 is "= 0 次" and 年底前 "≤ 12 月底" in the gold's definitions: the word is the value.
        for words, number, unit, op in IMPLIED_VALUES:
            w = words.search(text, c_start, c_end)
            if w:
                return Span(quote=text[s:e], start=s, end=e, kind="qualitative", number=Decimal(number), op=op,
                            unit=unit, value_text=w.group())
    return Span(quote=text[s:e], start=s, end=e, kind="qualitative", value_text=q.group())


def find_spans(text: str, revision: Revision = 1) -> list[Span]:
    """Every quantified and qualitative target span of the text, in order of appearance."""
    spans: list[Span] = []
    for c_start, c_end in _clauses(text):
        clause = text[c_start:c_end]
        hits = [h for a, b, digits in _numbers(clause, revision) if (h := _hit(clause, a, b, digits))]
        if not hits:
            qual = _qualitative(text, c_start, c_end, revision)
            if qual is not None:
                spans.append(qual)
            continue
        # Several values in one clause: each quote runs from the end of the previous value to
        # the end of its own, the last one to the clause end ("A 5 个、B 90%以上" -> two quotes).
        prev_end = 0
        for n, h in enumerate(hits):
            seg_end = len(clause) if n == len(hits) - 1 else h.value_end
            s, e = _trim(text, c_start + prev_end, c_start + seg_end)
            spans.append(Span(quote=text[s:e], start=s, end=e, kind="quantity", number=h.number, op=h.op,
                              unit=h.unit, value_text=clause[h.value_start:h.value_end].strip()))
            prev_end = h.value_end
    return spans
