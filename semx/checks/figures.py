"""Where a printed figure is: a table cell or a sentence of the 说明.

Checks compare figures without caring where they stand; a Figure knows its value, its
ledger key, its line and how to name itself in a message.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from semx.checks.prose_extract import Fact
from semx.checks.sides import Entry, entries
from semx.checks.view import TableView


class Figure(Protocol):
    """A printed figure in a table cell or in a sentence of the 说明."""

    @property
    def value(self) -> Decimal | None: ...
    @property
    def key(self) -> Hashable: ...
    @property
    def line(self) -> int: ...
    @property
    def where(self) -> str: ...
    @property
    def table(self) -> str | None: ...


@dataclass(frozen=True)
class Cell:
    """One printed figure: a table cell."""

    view: TableView
    row: int
    col: int
    label: str | None = None  # the item a cell belongs to when the row holds two (收支总表)

    @property
    def value(self) -> Decimal | None:
        return self.view.amount(self.row, self.col)

    @property
    def key(self) -> Hashable:
        return self.view.key(self.row, self.col)

    @property
    def line(self) -> int:
        return self.view.line(self.row)

    @property
    def where(self) -> str:
        row = self.label or self.view.describe_row(self.row)
        return f"{self.view.name}第{self.line}行“{row}”的“{self.view.header(self.col)}”"

    @property
    def table(self) -> str | None:
        return self.view.kind


@dataclass(frozen=True)
class Stated:
    """An amount stated in the 说明."""

    fact: Fact
    label: str

    @property
    def value(self) -> Decimal | None:
        return self.fact.amount

    @property
    def key(self) -> Hashable:
        return ("prose", self.fact.section, self.fact.order)

    @property
    def line(self) -> int:
        return self.fact.line

    @property
    def where(self) -> str:
        return f"说明第{self.fact.line}行所述{self.label}"

    @property
    def table(self) -> str | None:
        return None


def find_entry(view: TableView, side: str, pattern: str, before: str | None = None) -> Entry | None:
    """First entry of a side whose label matches; with before, only entries above that label."""
    items = [e for e in entries(view) if e.side == side]
    limit = next((e.row for e in items if before and re.search(before, e.label)), None)
    return next((e for e in items if re.search(pattern, e.label) and (limit is None or e.row < limit)), None)


def entry_cell(view: TableView, e: Entry | None, k: int = 0) -> Cell | None:
    if e is None or k >= len(e.cols):
        return None
    return Cell(view, e.row, e.cols[k], e.raw)


def total_cell(view: TableView | None, *names: str) -> Cell | None:
    if view is None:
        return None
    row, col = view.total_row(), view.col(*names)
    if row is None or col is None:
        return None
    return Cell(view, row, col)
