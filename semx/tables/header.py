"""Flatten a one- to three-row table header into one name per column, and give each column a role.

Multi-row headers put a group label over its sub-columns (本年收入 over 小计, 财政拨款收入 …)
and leave the cell below a single column empty (合计 over nothing). The flat name of a
column is its lowest non-empty header cell; the group label above it is used only to tell
apart equal names (收入 项目 / 支出 项目 -> 收入项目, 支出项目).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from semx.tables.text import compact

Role = Literal["seq", "code", "code_part", "name", "value"]

# Notes on units inside a header cell are not part of the column's name.
_UNIT_NOTE = re.compile(r"[（(][^（()）]*单位[^（()）]*[）)]")
_SIDES = ("收入", "支出")
# Names that only mean something together with their side of a two-sided table.
_GENERIC = frozenset({"项目", "预算数", "金额", "合计", "小计", "数额", "预算", "本年预算数"})
_CODE_NAMES = re.compile(r"^(?:(?:功能|经济|支出)?(?:分类)?科目)?编码$|^科目代码$")
_CODE_PARTS = frozenset({"类", "款", "项"})
_NAME_NAMES = re.compile(r"科目名称$|^(?:功能|经济|支出)?(?:分类)?科目$|^项目$|^项目名称$|^单位名称$|^资产项目$")
# Kinds whose 项目名称 is one text column among several rather than the row's label.
_NO_NAME_COLUMN = frozenset({"government_procurement", "income_expenditure_summary", "fiscal_appropriation_summary"})
_TEXT_COLUMN = re.compile(r"名称|目录|计量单位|数量单位|^单位$|项目\d*$|性质|规格|形式|备注|说明|用途|来源|编码|代码")
_COUNT_COLUMN = re.compile(r"数量$|^数量")


@dataclass
class Column:
    name: str
    role: Role
    text: bool = False  # holds words, not amounts
    count: bool = False  # a quantity, never rescaled from 元 to 万元
    position: int = 0  # index of the cell in the printed row


def header_cells(cells: list[str]) -> list[str]:
    return [_UNIT_NOTE.sub("", compact(c)) for c in cells]


def _expand(upper: list[str], lower: list[str]) -> list[str]:
    """Re-insert the span gaps a DOCX export drops from the upper row of a merged header.

    Every run of filled cells in the lower row sits under one upper cell, every empty
    lower cell under one upper cell of its own. When that does not account for the upper
    row exactly, the rows are taken as aligned from the left.
    """
    if len(upper) >= len(lower):
        return upper
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(lower):
        if lower[i]:
            j = i
            while j + 1 < len(lower) and lower[j + 1]:
                j += 1
            runs.append((i, j))
            i = j + 1
        else:
            runs.append((i, i))
            i += 1
    if len(runs) != len(upper):
        return upper + [""] * (len(lower) - len(upper))
    out = [""] * len(lower)
    for cell, (start, _) in zip(upper, runs):
        out[start] = cell
    return out


def flatten(rows: list[list[str]]) -> tuple[list[str], list[str | None]]:
    """(flat name, group label) per column position of a header of one or more rows."""
    grid = [header_cells(r) for r in rows if r]
    if not grid:
        return [], []
    width = max(len(r) for r in grid)
    for k in range(len(grid) - 1, -1, -1):
        below = next((grid[m] for m in range(k + 1, len(grid)) if len(grid[m]) == width), None)
        grid[k] = _expand(grid[k], below) if below is not None else grid[k]
        grid[k] = grid[k] + [""] * (width - len(grid[k]))
    # left_fill[r][col]: the nearest filled cell of row r at or left of col (one pass per row;
    # scanning left from every column was quadratic in the width).
    left_fill: list[list[str]] = []
    for row in grid:
        last, filled = "", []
        for cell in row:
            last = cell or last
            filled.append(last)
        left_fill.append(filled)
    names: list[str] = []
    groups: list[str | None] = []
    for col in range(width):
        leaf_row = next((r for r in range(len(grid) - 1, -1, -1) if grid[r][col]), None)
        if leaf_row is None:
            names.append("")
            groups.append(None)
            continue
        names.append(grid[leaf_row][col])
        group = None
        for r in range(leaf_row - 1, -1, -1):
            # the nearest filled cell at or left of this column spans it
            label = left_fill[r][col]
            if label:
                group = label
                break
        groups.append(group)
    return _disambiguate(names, groups), groups


def _disambiguate(names: list[str], groups: list[str | None]) -> list[str]:
    out = list(names)
    for i, (name, group) in enumerate(zip(names, groups)):
        if group in _SIDES and name in _GENERIC:
            out[i] = group + name
    # Counts kept up to date as names change, exactly as out.count() saw them (which was quadratic).
    counts = Counter(out)
    for i, name in enumerate(out):
        if not name or counts[name] < 2:
            continue
        group = groups[i]
        if group and not name.startswith(group):
            out[i] = group + name
            counts[name] -= 1
            counts[out[i]] += 1
    seen: dict[str, int] = {}
    for i, name in enumerate(out):
        if not name:
            continue
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            out[i] = f"{name}{seen[name]}"
    return out


def two_sided_fallback(names: list[str]) -> list[str]:
    """Side prefixes for a one-row header of a two-sided table (项目 预算数 项目 预算数)."""
    out = list(names)
    stems = [re.sub(r"\d+$", "", n) for n in names]
    counts = Counter(stems)
    first_dup = next((i for i, s in enumerate(stems) if s and counts[s] > 1 and s != names[i]), None)
    if first_dup is None:
        return out
    for i, stem in enumerate(stems):
        if stem in _GENERIC:
            out[i] = ("支出" if i >= first_dup else "收入") + stem
    return out


def second_side(names: list[str]) -> list[str]:
    """A two-sided header whose 支出 group was printed right of its first column (text laid out
    anew): the income side's label printed twice (收入项目, 收入项目2) starts the 支出 side there."""
    d = next((i for i, n in enumerate(names) if re.fullmatch(r"收入项目\d+", n)), None)
    if d is None:
        return names
    return names[:d] + ["支出" + re.sub(r"\d+$", "", n[2:]) if n.startswith("收入") else n for n in names[d:]]


def columns_for(names: list[str], kind: str) -> list[Column]:
    """Role of each printed column: 序号 and 科目编码/名称 go to the row, the rest become cells."""
    cols: list[Column] = []
    seen_roles: set[str] = set()
    for pos, name in enumerate(names):
        role: Role = "value"
        if name in ("序号", "编号") and "seq" not in seen_roles:
            role = "seq"
        elif _CODE_NAMES.match(name) and "code" not in seen_roles:
            role = "code"
        elif name in _CODE_PARTS:
            role = "code_part"
        elif kind not in _NO_NAME_COLUMN and _NAME_NAMES.search(name) and "name" not in seen_roles:
            role = "name"
        seen_roles.add(role)
        text = bool(_TEXT_COLUMN.search(name)) and not name.endswith("资金")
        count = bool(_COUNT_COLUMN.search(name)) and not text
        cols.append(Column(name=name or f"列{pos + 1}", role=role, text=text, count=count, position=pos))
    return cols
