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

from semx.tables.text import compact, is_number

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


def realign_sides(cells: list[str], label_positions: list[int], width: int) -> list[str]:
    """The row's cells at their columns; unchanged when the row is full or does not fit."""
    if len(label_positions) != 2 or not cells or len(cells) >= width and not any(_GLUED.match(c.strip()) for c in cells):
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
            if used[side] >= len(slots[side]):
                return cells
            out[slots[side][used[side]]] = tok
            used[side] += 1
            continue
        if side == right or (side is None and _expense(tok)):
            if out[right]:
                return cells
            side = right
        elif side is None:
            side = left
        else:
            side = right
        if out[side]:
            return cells
        out[side] = tok
    return out
