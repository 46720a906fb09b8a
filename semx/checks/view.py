"""Read a parsed Table by meaning: columns and rows found by their printed labels.

Headers and row labels vary between counties (spaces inside words, 一、 numbering,
其中： prefixes, full-width brackets), so every lookup goes through one normaliser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from semx.checks.amounts import ZERO, cell_amount
from semx.models import Table, TableRow
from semx.tables.titles import DEFAULT_TITLES

# Display names come from the table parser so a new table kind needs one entry only.
KIND_NAMES: dict[str, str] = {str(k): v for k, v in DEFAULT_TITLES.items()}


_SPACE = re.compile(r"\s+")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d)|[（(][一二三四五六七八九十\d]+[)）])")
_QUOTES = str.maketrans({"“": "", "”": "", '"': "", "‘": "", "’": "", "'": "", "（": "(", "）": ")", "：": ":"})
_TOTAL_NAMES = {"合计", "总计", "合计数"}
# Headers of columns that hold words, codes or counts, never money to add up:
# 收入项目 / 项目名称 are text, 项目支出 is money.
_TEXT_HEADER = re.compile(
    r"^(?:收入|支出)?项目$|名称$|目录|^(?:计量|数量)?单位$|数量|单价|编码|序号|栏次|科目$|用途|来源|性质|规格|备注|^预算资金$"
)


def is_text_header(name: str) -> bool:
    return bool(_TEXT_HEADER.search(name))


def norm(text: str | None) -> str:
    """Label without spaces, quotes, numbering or a 其中： prefix."""
    if not text:
        return ""
    out = _SPACE.sub("", text).translate(_QUOTES)
    out = out.removeprefix("其中:")
    out = _NUMBERING.sub("", out)
    return out.removeprefix("其中:")


def kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, kind)


CellKey = tuple[int, int, int]


@dataclass
class TableView:
    index: int  # position in the document's table list; part of every ledger key
    table: Table

    @property
    def kind(self) -> str:
        return self.table.kind

    @property
    def name(self) -> str:
        return kind_name(self.table.kind)

    @cached_property
    def columns(self) -> list[str]:
        # Cached: checks index it inside loops over columns, which re-normalised every header each time.
        return [norm(c) for c in self.table.columns]

    @property
    def rows(self) -> list[TableRow]:
        return self.table.rows

    def key(self, row: int, col: int) -> CellKey:
        return (self.index, row, col)

    def col(self, *names: str, contains: bool = False) -> int | None:
        """First column whose normalised header equals (or contains) one of names."""
        cols = self.columns
        for name in names:
            for j, c in enumerate(cols):
                if c == name:
                    return j
        if contains:
            for name in names:
                for j, c in enumerate(cols):
                    if name in c:
                        return j
        return None

    def amount(self, row: int, col: int) -> Decimal | None:
        cells = self.rows[row].cells
        if col >= len(cells):
            return ZERO
        return cell_amount(cells[col])

    def money_columns(self) -> list[int]:
        """Columns that hold amounts: a money-like header and at least one number below it."""
        out: list[int] = []
        for j, c in enumerate(self.columns):
            if is_text_header(c):
                continue
            cells = [r.cells[j] if j < len(r.cells) else None for r in self.rows]
            if any(isinstance(cell, Decimal) or (isinstance(cell, str) and cell_amount(cell) not in (None, ZERO))
                   for cell in cells):
                out.append(j)
        return out

    def label(self, row: int) -> str:
        r = self.rows[row]
        if r.name:
            return r.name
        for cell in r.cells:
            if isinstance(cell, str) and cell.strip() and cell_amount(cell) is None:
                return cell
        return ""

    def total_row(self) -> int | None:
        """The 合计 row; in 政府采购 tables 合计 may stand in the first cell of a row that is also an item."""
        for i, r in enumerate(self.rows):
            if (r.code or "").strip():
                continue
            first = r.cells[0] if r.cells and isinstance(r.cells[0], str) else ""
            if norm(self.label(i)) in _TOTAL_NAMES or norm(first) in _TOTAL_NAMES:
                return i
        return None

    def find_rows(self, pattern: str | re.Pattern[str]) -> Iterator[int]:
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        for i in range(len(self.rows)):
            if rx.search(norm(self.label(i))):
                yield i

    def find_row(self, pattern: str | re.Pattern[str]) -> int | None:
        return next(self.find_rows(pattern), None)

    def line(self, row: int) -> int:
        return self.rows[row].line

    def describe_row(self, row: int) -> str:
        r = self.rows[row]
        name = (r.name or self.label(row)).strip()
        return f"{r.code} {name}".strip() if r.code else name

    def row_text(self, row: int) -> str:
        """The row as printed (tab separated), for Finding.evidence."""
        r = self.rows[row]
        cells = [c if isinstance(c, str) else ("" if c is None else str(c)) for c in r.cells]
        return "\t".join([x for x in (r.code, r.name) if x] + cells).rstrip()

    def header(self, col: int) -> str:
        return self.table.columns[col].replace(" ", "") if col < len(self.table.columns) else f"第{col + 1}列"


def views(tables: list[Table]) -> list[TableView]:
    return [TableView(i, t) for i, t in enumerate(tables)]


def first_of(tables: list[TableView], kind: str) -> TableView | None:
    return next((t for t in tables if t.kind == kind and not t.table.empty), None)
