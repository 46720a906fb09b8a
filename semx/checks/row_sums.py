"""Identities across a row: 合计 = the columns it totals.

基本支出 + 项目支出 (+ 经营支出 …), 人员经费 + 公用经费, 小计 = the income sources and
合计 = 小计 + 上年结转, the fund columns of "三公", 政府采购 and 财政拨款收支总表.
"""

from __future__ import annotations

import re
from decimal import Decimal

from semx.checks.amounts import TOLERANCE, ZERO
from semx.checks.figures import Cell
from semx.checks.issues import Issue, Ledger
from semx.checks.sums import check_sum
from semx.checks.view import TableView, is_text_header

ROW_CODE = "SUM_COLUMNS"

_CARRY = re.compile(r"上年结转|结转结余|年初结转")


def value_columns(view: TableView) -> list[int]:
    return [j for j, c in enumerate(view.columns) if c and not is_text_header(c)]


def _total_col(view: TableView) -> int | None:
    # 本年收入合计 / 本年支出合计 head the 收入决算表 / 支出决算表 of a 决算
    return view.col("合计", "支出合计", "合计数", "总计", "本年收入合计", "本年支出合计")


_SUBTOTAL = ("小计", "合计")
# A last header row that names the measure of every item (预算数 | 决算数 under each 三公 item of a
# 决算): identities hold between columns of the same measure.
_MEASURE = re.compile(r"^(?:\d{4}年度?)?(?:预算|决算|执行)数?$|^(?:年初)?预算数$|^(?:全年)?决算数$")


def path_groups(paths: list[list[str]]) -> list[tuple[int, list[int]]]:
    """(total, parts) read off a nested header: a 合计/小计 column totals the columns beside it
    under the same header cell; a group of those with its own 小计 counts by that 小计, a group
    without one by its columns (合计 = 因公出国 + 公务接待 + 公务用车 小计; 小计 = 购置费 + 运行费).
    Where every column ends in a measure (预算数 / 决算数), each measure is read on its own."""
    if paths and all(p and _MEASURE.match(p[-1]) for p in paths):
        out: list[tuple[int, list[int]]] = []
        for measure in dict.fromkeys(p[-1] for p in paths):
            cols = [j for j, p in enumerate(paths) if p[-1] == measure]
            for t, group in path_groups([paths[j][:-1] for j in cols]):
                out.append((cols[t], [cols[k] for k in group]))
        return out
    out = []
    for t, path in enumerate(paths):
        if not path or path[-1] not in _SUBTOTAL:
            continue
        parent = path[:-1]
        under = [j for j, p in enumerate(paths) if j != t and len(p) > len(parent) and p[: len(parent)] == parent]
        nodes: dict[str, list[int]] = {}
        for j in under:
            nodes.setdefault(paths[j][len(parent)], []).append(j)
        parts: list[int] = []
        for node, cols in nodes.items():
            exact = [j for j in cols if len(paths[j]) == len(parent) + 1]
            sub = [j for j in cols if paths[j] == [*parent, node, "小计"] or paths[j] == [*parent, node, "合计"]]
            parts.extend(exact or sub or cols)
        if len(parts) >= 2:
            out.append((t, sorted(parts)))
    return out


def row_groups(view: TableView) -> list[tuple[int, list[int]]]:
    """(total column, part columns) identities that hold on every row of the table."""
    paths = view.table.column_paths
    if view.kind == "three_public_expenditure" and any("因公出国" in c for c in view.columns) and paths:
        return path_groups(paths)  # the horizontal "三公" table: one line, the items as columns
    values = value_columns(view)
    total = _total_col(view)
    if total is None:
        return []
    if view.kind == "income_summary":
        sub = view.col("小计", "本年收入小计", "本年收入")
        carry = next((j for j in values if _CARRY.search(view.columns[j])), None)
        sources = [j for j in values if j not in (total, sub, carry)]
        if sub is None:
            return [(total, sources + ([carry] if carry is not None else []))]
        groups = [(sub, sources)] if sources else []
        groups.append((total, [sub] + ([carry] if carry is not None else [])))
        return groups
    after = [j for j in values if j > total]
    grand = view.col("总计")
    inner = view.col("合计")
    if grand is not None and inner is not None and grand < inner:
        # 政府采购: 总计 = 合计 of this year's budget funds + 其他渠道资金 printed after them
        other = [j for j in values if j > inner and "其他" in view.columns[j]]
        budget = [j for j in values if j > inner and j not in other]
        return [(grand, [inner, *other]), (inner, budget)]
    return [(total, after)] if after else []


def check_rows(view: TableView, ledger: Ledger, rows: list[int], parent_of: dict[int, int] | None = None) -> list[Issue]:
    """Row identities; parent_of (leaf row -> its parent row) lets a failing leaf blame the right cell."""
    issues: list[Issue] = []
    for total, parts in row_groups(view):
        names = "＋".join(f"“{view.header(j)}”" for j in parts)
        for i in rows:
            if view.kind in ("income_expenditure_summary", "fiscal_appropriation_summary") and _blank_row(view, i, [total, *parts]):
                continue
            culprit = _culprit(view, i, total, parts, parent_of) if parent_of else None
            issue = check_sum(
                ledger,
                code=ROW_CODE,
                total=Cell(view, i, total),
                parts=[Cell(view, i, j) for j in parts],
                parts_text=f"同一行{names}",
                key=f"{view.kind}:{view.line(i)}:{view.header(total)}",
                subject=view.rows[i].code,
                blame_part=Cell(view, i, culprit) if culprit is not None else None,
            )
            if issue:
                issues.append(issue)
    return issues


def _culprit(view: TableView, row: int, total: int, parts: list[int], parent_of: dict[int, int]) -> int | None:
    """The part column of a leaf that its parent's figures show to be the wrong one, if any.

    A leaf whose 合计 != 基本 + 项目 could be wrong in either cell. When the parent's
    column of one part is off from the sum of its children by exactly this gap, while the
    parent's 合计 column adds up, that part is the misprint.
    """
    parent = parent_of.get(row)
    if parent is None:
        return None
    siblings = [r for r, p in parent_of.items() if p == parent]

    def column_gap(col: int) -> Decimal | None:
        values = [view.amount(r, col) for r in siblings]
        top = view.amount(parent, col)
        if top is None or any(v is None for v in values):
            return None
        return top - sum((v for v in values if v is not None), ZERO)

    t, vals = view.amount(row, total), [view.amount(row, j) for j in parts]
    if t is None or any(v is None for v in vals):
        return None
    gap = t - sum((v for v in vals if v is not None), ZERO)
    total_gap = column_gap(total)
    if abs(gap) <= TOLERANCE or total_gap is None or abs(total_gap) > TOLERANCE:
        return None
    for j in parts:
        part_gap = column_gap(j)
        if part_gap is not None and abs(part_gap - gap) <= TOLERANCE:
            return j
    return None


def _blank_row(view: TableView, row: int, cols: list[int]) -> bool:
    return all((view.amount(row, j) or ZERO) == ZERO for j in cols)
