"""Read the two-sided summary tables (收支总表, 财政拨款收支总表) as labelled entries.

These tables print income items beside expenditure items on the same row, so a row is
not one record: each text cell labels the amounts in the columns after it, up to the
next text column. Side comes from the column header (收入项目 / 支出项目) or, failing
that, from the order of the label columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from semx.checks.amounts import cell_amount, is_blank
from semx.checks.view import TableView, norm

Side = Literal["收入", "支出"]

_LABEL_HEADER = re.compile(r"项目$|名称$")


@dataclass(frozen=True)
class Entry:
    side: Side
    label: str  # normalised, for matching
    raw: str  # as printed, for messages
    row: int
    cols: tuple[int, ...]  # value columns that belong to this label, main amount first


def label_columns(view: TableView) -> list[int]:
    """Columns that hold item names: a 项目 header, or text in most filled cells."""
    out: list[int] = []
    for j, name in enumerate(view.columns):
        cells = [r.cells[j] for r in view.rows if j < len(r.cells) and not is_blank(r.cells[j])]
        texts = sum(1 for c in cells if isinstance(c, str) and cell_amount(c) is None)
        if _LABEL_HEADER.search(name) or (cells and texts * 2 > len(cells)):
            out.append(j)
    return out


def entries(view: TableView) -> list[Entry]:
    labels = label_columns(view)
    if not labels:
        return []
    out: list[Entry] = []
    for n, j in enumerate(labels):
        end = labels[n + 1] if n + 1 < len(labels) else len(view.columns)
        header = view.columns[j]
        side: Side = "支出" if header.startswith("支出") or (not header.startswith("收入") and n > 0) else "收入"
        value_cols = tuple(range(j + 1, end))
        for i, row in enumerate(view.rows):
            raw = row.cells[j] if j < len(row.cells) else None
            if not isinstance(raw, str) or not raw.strip():
                continue
            out.append(Entry(side=side, label=norm(raw), raw=raw.strip(), row=i, cols=value_cols))
    return out
