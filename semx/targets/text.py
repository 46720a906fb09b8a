"""Small text helpers shared by the table and free-text parsers.

Structure is recognised by stable words (绩效目标表, 一级指标, 项目编码, 预算数, 资金支出计划,
绩效目标, 绩效指标) and by heading numbering, never by titles or line numbers of a sample.
"""

from __future__ import annotations

import re
from decimal import Decimal

from semx.vocab.numbers import to_decimal

_CN = "一二三四五六七八九十"

# Numbering in front of a title or item: 1.  2、  13、  (1)  （1）  一、  （一）  一)  二)、
NUMBERING = re.compile(
    rf"^\s*(?:[（(]\s*(?:\d+|[{_CN}]+)\s*[)）]\s*[、.．]?|(?:\d+|[{_CN}]+)\s*[)）]?\s*[、.．](?!\d)|\d+\s*[)）])\s*"
)
# A heading that closes a block of targets: 一、 （一） 二)、 第三部分. Arabic items (1、) are not
# headings here because they number the targets themselves.
HEADING = re.compile(rf"^\s*(?:第[{_CN}]+部分|[{_CN}]+\s*[)）]?\s*[、.．]|[（(][{_CN}]+[)）])")
# `…绩效目标表`, also `…绩效目标申报表` and a trailing note such as `（2022年）`.
PROJECT_TITLE = re.compile(r"绩效目标(?:申报)?表\s*(?:[（(][^（）()]*[)）])?\s*$")
# `绩效目标：`, also numbered (`1.绩效目标：`) or bracketed (`【绩效目标】`).
_LABEL_PREFIX = rf"^\s*(?:(?:\d+|[{_CN}]+)\s*[、.．]\s*|[（(]\s*(?:\d+|[{_CN}]+)\s*[)）]\s*)?[【\[]?"
GOAL_LABEL = re.compile(_LABEL_PREFIX + r"绩效目标\s*(?:[】\]]\s*[:：]?|[:：])")
INDICATOR_LABEL = re.compile(_LABEL_PREFIX + r"绩效指标\s*(?:[】\]]\s*[:：]?|[:：])")
SEPARATOR = re.compile(r"^[\s\-|:：=]*$")
_NAME_NOISE = re.compile(r"[\s\"“”‘’'《》<>〈〉「」、，,。.．:：;；!！?？·•\-—_]")


def strip_numbering(text: str) -> str:
    """`1.县级…` -> `县级…`; also `1. 1. 推进…` (numbered twice by the author)."""
    prev = None
    out = text.strip()
    while prev != out:
        prev = out
        out = NUMBERING.sub("", out, count=1).strip()
    return out


def numbering_style(text: str) -> str | None:
    """`35、` and `31、` share the style `D、`; `（一）` is `（C）`. None when the text is not numbered."""
    m = NUMBERING.match(text)
    if not m:
        return None
    return re.sub(rf"[{_CN}]+", "C", re.sub(r"\d+", "D", squash(m.group(0))))


def is_heading(text: str) -> bool:
    return bool(HEADING.match(text)) and len(text.strip()) <= 80


def title_name(text: str) -> str | None:
    """Project name from a `…绩效目标表` title line, or None when the line is not such a title."""
    t = text.strip()
    if not PROJECT_TITLE.search(t):
        return None
    name = PROJECT_TITLE.sub("", t)
    return strip_numbering(name)


def match_key(name: str) -> str:
    """Name reduced for comparison: no numbering, spaces, quotes or punctuation; full-width brackets as ASCII."""
    s = strip_numbering(name).replace("（", "(").replace("）", ")").replace("【", "[").replace("】", "]")
    return _NAME_NOISE.sub("", s)


def to_amount(text: str | None) -> Decimal | None:
    """`50.00` -> Decimal; blank or non-numeric cells -> None (empty is not zero)."""
    if text is None:
        return None
    m = re.match(r"^\s*([-+]?\d+(?:,\d{3})*(?:\.\d+)?)\s*(?:万元)?\s*$", text)
    if not m:
        return None
    return to_decimal(m.group(1))


def in_wan(value: Decimal | None, unit: str | None) -> Decimal | None:
    """An amount printed in `unit` as 万元: 元 divided by 10 000, every printed digit kept, at least
    two decimals (4,100,000.00 元 -> 410.00, 10,903,043.00 -> 1090.3043); 万元 or no unit as is."""
    if value is None or unit != "元":
        return value
    wan = value.scaleb(-4).normalize()
    return wan.quantize(Decimal("0.01")) if wan.as_tuple().exponent > -2 else wan  # type: ignore[operator]


# The money unit a table's unit line prints: `单位：元`, `金额单位：万元`.
MONEY_UNIT_LINE = re.compile(r"^(?:金额)?单位[:：](万元|元)$")


def squash(text: str) -> str:
    """Remove all whitespace; used to compare labels such as `3 月底` and `3月底`."""
    return re.sub(r"\s+", "", text)


_WRAP = re.compile(r"(?<=[\u4e00-\u9fff，。；、：）》”])[ \t]*\n\s*(?=[\u4e00-\u9fff（《“])")


def join_wrapped(text: str) -> str:
    """Undo line wraps inside a cell or goal: Chinese needs no space where a line was broken."""
    return " ".join(_WRAP.sub("", text).split())
