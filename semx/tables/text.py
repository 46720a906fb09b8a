"""Cell-level helpers: layout whitespace, amounts, 科目编码.

Exports from PDF and DOCX break CJK words with spaces ("项 目", "一般公共预 算财政拨款");
those spaces carry no meaning, so they are removed wherever a CJK character is on
either side. Spaces between Latin letters or digits are kept.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from semx.vocab.numbers import is_too_long, to_decimal

_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_MULTI_SPACE = re.compile(r"\s{2,}")


def clean(text: str) -> str:
    """Cell text as a reader sees it: wrapped lines joined, layout spaces around CJK removed."""
    t = text.replace("\n", " ").strip()
    t = _SPACE_NEAR_CJK.sub("", t)
    return _MULTI_SPACE.sub(" ", t)


def compact(text: str) -> str:
    """Text without any whitespace; used to compare header cells across pages."""
    return "".join(text.split())


# ---------------------------------------------------------------- amounts

# Placeholders printed in empty numeric cells.
_BLANK_MARKS = frozenset("-—–－/／─")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_PAREN_NEGATIVE = re.compile(r"^[(（](\d+(?:\.\d*)?)[)）]$")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?:\D|$))")


def is_blank_mark(text: str) -> bool:
    t = compact(text)
    return not t or set(t) <= _BLANK_MARKS


def parse_amount(text: str) -> tuple[Decimal | None, bool]:
    """(value, ok). Blank cells and dash placeholders are (None, True); text that is no number is (None, False)."""
    if is_blank_mark(text):
        return None, True
    t = _THOUSANDS.sub("", compact(text))
    t = t.removesuffix("万元")  # a unit repeated inside the cell of a 万元 table
    if _NUMBER.match(t):
        value = to_decimal(t)  # None for a digit run too long to be a figure: text, not a crash
        return value, value is not None
    m = _PAREN_NEGATIVE.match(t)
    if m and (neg := to_decimal(m.group(1))) is not None:
        return -neg, True
    return None, False


def is_number(text: str) -> bool:
    value, ok = parse_amount(text)
    return ok and value is not None


_ASCII_INT = re.compile(r"[0-9]+")


def is_int(text: str) -> bool:
    # ASCII only: str.isdigit() accepts "²" and "①", which int() rejects; and no longer than a
    # figure can be (int() refuses 4,300+ digits, and such a cell is garbage, not a 序号)
    t = compact(text)
    return _ASCII_INT.fullmatch(t) is not None and not is_too_long(t)


# ---------------------------------------------------------------- 科目编码

Level = Literal["类", "款", "项"]
# 功能分类 201 / 20103 / 2010301 and 经济分类 301 / 30101 share the 3-2-2 digit pattern.
_LEVELS: dict[int, Level] = {3: "类", 5: "款", 7: "项"}
_CODE = re.compile(r"^\d{3,9}$")
_CODE_AND_NAME = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?:\s+|(?=[^\d\s]))([^\d\s].*)$")


def as_code(text: str) -> str | None:
    """The digits of a 科目编码 cell ("201 03 01" -> "2010301"), or None when it is no code."""
    t = compact(text)
    return t if _CODE.match(t) else None


def code_level(code: str | None) -> Level | None:
    return _LEVELS.get(len(code)) if code else None


def split_code_name(text: str) -> tuple[str, str] | None:
    """("2010301", "行政运行") from "2010301 行政运行" when a table has no separate code column."""
    m = _CODE_AND_NAME.match(clean(text))
    return (m.group(1), m.group(2).strip()) if m else None
