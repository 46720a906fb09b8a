"""Put the figures of the 收入总表 / 收入决算表 back under their sources of income, by the 收支总表.

Text that lost its empty cells prints `合计 2,946.25 2,940.05 6.20` under 本年收入合计 / 财政拨款收入
/ 上级补助收入 / 事业收入 / 经营收入 / 附属单位上缴收入 / 其他收入: read from the left, 6.20 lands under
上级补助收入, and every sum of the table still holds, so its own arithmetic cannot tell. The 收支总表
prints each source of income on a line of its own (四、上级补助收入, 八、其他收入): a source it leaves
empty or at zero holds no figure of the income table. A row with a figure in such a column is moved
to the one placement (figures in printed order, none in a closed column, the parts adding up to the
row's total) that exists; when there is none or more than one, the table is left out with a
`figures_not_placed` warning rather than read in columns it may not be in.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from semx.models import Table, TableRow, Warning_

_ZERO = Decimal(0)
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．])")
_TOTAL_NAMES = ("本年收入合计", "合计", "收入合计")


def _amount(cell: object) -> Decimal:
    return cell if isinstance(cell, Decimal) else _ZERO


def _label(cell: object) -> str:
    return _NUMBERING.sub("", re.sub(r"\s+", "", cell)) if isinstance(cell, str) else ""


def _income_side(summary: Table) -> list[tuple[str, Decimal]]:
    """(label, figure) of the summary's income side: its first label column and the figure after it."""
    if len(summary.columns) < 2 or "项目" not in summary.columns[0]:
        return []
    return [(_label(r.cells[0]), _amount(r.cells[1])) for r in summary.rows if len(r.cells) >= 2 and _label(r.cells[0])]


def _closed(columns: list[str], side: list[tuple[str, Decimal]]) -> set[int]:
    """Income columns whose source the summary prints with no figure (every line naming it)."""
    out: set[int] = set()
    for j, name in enumerate(columns[1:], 1):
        figures = [f for label, f in side if label.endswith(name)]
        if figures and all(f == 0 for f in figures):
            out.add(j)
    return out


def _placed(row: TableRow, width: int, closed: set[int]) -> TableRow | None:
    """The row with its figures where the closed columns allow (as it is when it has none in
    them); None: no single placement."""
    if not any(j in closed and _amount(row.cells[j]) != 0 for j in range(1, min(width, len(row.cells)))):
        return row
    raw = list(row.raw[:width]) + [""] * max(0, width - len(row.raw))
    figs = [(row.cells[j], raw[j] or str(row.cells[j])) for j in range(1, min(width, len(row.cells)))
            if isinstance(row.cells[j], Decimal)]
    total = row.cells[0] if row.cells else None
    found: list[tuple[int, ...]] = []
    for pos in itertools.combinations(range(1, width), len(figs)):
        if any(p in closed and _amount(c) != 0 for p, (c, _) in zip(pos, figs)):
            continue
        if isinstance(total, Decimal) and sum((_amount(c) for c, _ in figs), _ZERO) != total:
            continue
        found.append(pos)
        if len(found) > 1:
            return None
    if len(found) != 1:
        return None
    cells = [row.cells[0], *([None] * (width - 1)), *row.cells[width:]]
    new_raw = [raw[0], *([""] * (width - 1)), *row.raw[width:]]
    for p, (c, r) in zip(found[0], figs):
        cells[p], new_raw[p] = c, r
    return row.model_copy(update={"cells": cells, "raw": new_raw})


def place_income_by_the_summary(tables: list[Table]) -> tuple[list[Table], list[Warning_]]:
    """The income tables of loosely read text with figures under sources the 收支总表 leaves empty
    moved where they can only be (see the module doc), or left out."""
    summaries = [t for t in tables if t.kind == "income_expenditure_summary"]
    out: list[Table] = []
    warnings: list[Warning_] = []
    for table in tables:
        width = len(table.columns)
        if table.kind != "income_summary" or width < 3 or table.columns[0] not in _TOTAL_NAMES:
            out.append(table)
            continue
        total_row = next((r for r in table.rows if not r.code and _label(r.name) in ("合计", "总计")), None)
        # the summary of the same scope whose income total is this table's (the same body and year)
        summary = next((s for s in summaries if s.scope == table.scope and total_row is not None and any(
            label == "本年收入合计" and figure == _amount(total_row.cells[0]) for label, figure in _income_side(s))), None)
        closed = _closed(table.columns, _income_side(summary)) if summary is not None else set()
        if not closed:
            out.append(table)
            continue
        rows: list[TableRow] = []
        for row in table.rows:
            placed = _placed(row, width, closed)
            if placed is None:
                warnings.append(Warning_(code="figures_not_placed", line=table.start_line,
                                         message=f"{table.title}：数字落在收支总表为空的收入来源下，"
                                                 "按列序与合计均放不定，未读入"))
                rows = []
                break
            rows.append(placed)
        # left out as build_table leaves out a table it cannot place: no rows (read as without data)
        out.append(table.model_copy(update={"rows": rows, "empty": table.empty or not rows}))
    return out, warnings
