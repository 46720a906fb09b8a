"""Put a two-sided summary row whose empty cells vanished back under its columns.

The 收支总表 print income labels and figures on the left, expenditure on the right. Text that lost
the page geometry drops the empty cells (`2.政府性基金预算 三、城乡社区支出 33,775,592`: no figure on
the left) and can print a figure against the next label (`47,483,458一、社会保障和就业支出`). Cells
are read by what they are: a label opens its side, the figures after it fill that side's value
columns from the left. A label naming an expenditure (…支出, 支出总计) is the right side's, any
other the left side's first and the right side's after it.
"""

from __future__ import annotations

import re

from semx.rows import Row
from semx.tables.text import compact, is_number

# A label that is whole: it ends as the labels of these tables end.
_COMPLETE = re.compile(r"(?:收入|支出|预算|总计|合计)$")
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[.．、])")

# A figure with a thousands separator or decimals glued to the label after it.
_GLUED = re.compile(r"^(-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+))([\u4e00-\u9fff（(].*)$")


def _tokens(cells: list[str]) -> list[str]:
    out: list[str] = []
    for cell in cells:
        c = cell.strip()
        if not c:
            continue
        m = _GLUED.match(c)
        out.extend([m.group(1), m.group(2)] if m else [c])
    return out


def _expense(label: str) -> bool:
    key = compact(label)
    return "支出" in key and "收入" not in key


def _in_place(cells: list[str], label_positions: list[int], width: int) -> bool:
    """Every cell already where its kind belongs: labels in label columns, figures elsewhere."""
    if len(cells) < width or any(_GLUED.match(c.strip()) for c in cells):
        return False
    for k, c in enumerate(cells[:width]):
        if c.strip() and (k in label_positions) == is_number(c):
            return False
    left, right = label_positions
    # an expenditure label alone in the left label column: its row lost the cells before it
    return not (_expense(cells[left]) and not cells[right].strip())


def realign_sides(cells: list[str], label_positions: list[int], width: int) -> list[str]:
    """The row's cells at their columns; unchanged when they already are or do not fit.

    A label naming an expenditure opens the right side, any other label the left side while it is
    free; figures fill the side of the label before them, and figures past the left side's one
    column go on to the right side (the right label was printed on another line).
    """
    if len(label_positions) != 2 or not cells or _in_place(cells, label_positions, width):
        return cells
    left, right = label_positions
    slots = {left: list(range(left + 1, right)), right: list(range(right + 1, width))}
    out = [""] * width
    side: int | None = None
    used: dict[int, int] = {left: 0, right: 0}
    for tok in _tokens(cells):
        if is_number(tok):
            if side is None:
                return cells
            if side == left and used[left] >= len(slots[left]):
                side = right
            if used[side] >= len(slots[side]):
                return cells
            out[slots[side][used[side]]] = tok
            used[side] += 1
            continue
        side = right if _expense(tok) or out[left] else left
        if out[side]:
            return cells
        out[side] = tok
    return out


def _piece(row: Row) -> str | None:
    return compact(row.filled[0]) if len(row.filled) == 1 and len(row.cells) <= 1 else None


def join_wrapped_labels(rows: list[Row]) -> list[Row]:
    """A label printed in two pieces around its row (`一、社会保障和就业` / row / `支出`): text
    extractions print a wrapped cell's first line above the row's centre line and the rest below;
    in a row with no figures the two pieces follow each other. The joined label becomes the row's
    first cell; realign_sides puts it on its side."""
    out: list[Row] = []
    i = 0
    while i < len(rows):
        head = _piece(rows[i])
        if (
            head is not None
            and not _COMPLETE.search(head)
            and i + 2 < len(rows)
            and len(rows[i + 1].filled) > 1
            and (tail := _piece(rows[i + 2])) is not None
            and not _NUMBERED.match(tail)
        ):
            mid = rows[i + 1]
            out.append(Row(line=rows[i].line, cells=[head + tail, *mid.cells],
                           end_line=rows[i + 2].end_line or rows[i + 2].line))
            i += 3
            continue
        if (
            head is not None
            and _NUMBERED.match(head)
            and not _COMPLETE.search(head)
            and i + 1 < len(rows)
            and (tail := _piece(rows[i + 1])) is not None
            and not _NUMBERED.match(tail)
            and _COMPLETE.search(head + tail)
            and not (i + 2 < len(rows) and rows[i + 2].filled and is_number(compact(rows[i + 2].filled[0])))
        ):
            # a numbered label of a row with no figures, wrapped onto the next line
            # (`二十二、灾害防治及应急管理支` / `出`); when figures follow, they may be its own,
            # printed apart, and nothing is joined
            out.append(Row(line=rows[i].line, cells=[head + tail],
                           end_line=rows[i + 1].end_line or rows[i + 1].line))
            i += 2
            continue
        out.append(rows[i])
        i += 1
    return out
