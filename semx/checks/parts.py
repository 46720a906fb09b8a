"""Identities down a table without 科目编码: the "三公" items, the 固定资产 items and the
政府采购 items (数量 × 单价 = 金额, the items = the 合计 row)."""

from __future__ import annotations

import re
from decimal import Decimal

from semx.checks.amounts import TOLERANCE, ZERO, fmt, signed
from semx.checks.figures import Cell
from semx.checks.issues import Issue, Ledger
from semx.checks.row_sums import value_columns
from semx.checks.sums import check_sum
from semx.checks.view import TableView

PARTS_CODE = "SUM_PARTS"
QTY_CODE = "QTY_PRICE"

# Row labels of the "三公" table (normalised: no numbering, no 其中：, ASCII brackets).
THREE_PUBLIC_ROWS = {
    "subtotal": r"三公经费(?:合计|小计)",
    "abroad": r"^因公出国\(境\)(?:经)?费",
    "car": r"公务用车购置及运",
    "purchase": r"公务用车购置费$|^购置费$",
    "running": r"公务用车运行(?:维护)?费$|^运行(?:维护)?费$",
    "reception": r"公务接待费",
    "meeting": r"^会议费",
    "training": r"^培训费",
}


def _sum_rows(view: TableView, ledger: Ledger, total: int, parts: list[int], cols: list[int], what: str,
              code: str = PARTS_CODE) -> list[Issue]:
    issues: list[Issue] = []
    for j in cols:
        issue = check_sum(
            ledger,
            code=code,
            total=Cell(view, total, j),
            parts=[Cell(view, p, j) for p in parts],
            parts_text=what,
            key=f"{view.kind}:{view.line(total)}:{view.header(j)}",
        )
        if issue:
            issues.append(issue)
    return issues


def _names(view: TableView, rows: list[int]) -> str:
    return "、".join(f"“{view.describe_row(r)}”" for r in rows)


def three_public_tree(view: TableView) -> dict[int, list[int]]:
    """Parent row -> the rows it adds up: 购置费 + 运行维护费 under 公务用车, the three items under
    the "三公" 小计 or the 合计, and 小计 + 会议费 + 培训费 under the 合计 where a 小计 is printed."""
    cols = value_columns(view)
    total = view.total_row()
    sub, abroad, car, purchase, running, reception, meeting, training = (
        view.find_row(THREE_PUBLIC_ROWS[name])
        for name in ("subtotal", "abroad", "car", "purchase", "running", "reception", "meeting", "training")
    )
    abroad_parts = [i for i in view.find_rows(r".+因公出国\(境\)") if i != abroad]
    extras = [i for i in (meeting, training) if i is not None]
    tree: dict[int, list[int]] = {}
    if abroad is not None and abroad_parts:
        tree[abroad] = abroad_parts
    if car is not None and (purchase is not None or running is not None):
        tree[car] = [p for p in (purchase, running) if p is not None]
    three = [p for p in (abroad, car, reception) if p is not None]
    if not three:
        return tree
    if sub is not None:
        tree[sub] = three
        if total is not None:
            tree[total] = [sub, *extras]
    elif total is not None:
        # some tables print 会议费/培训费 under the 合计 without a "三公" 小计
        tree[total] = three + extras if extras and not _adds_up(view, total, three, cols) else three
    return tree


def check_tree(view: TableView, ledger: Ledger, tree: dict[int, list[int]]) -> list[Issue]:
    """Each parent row = the sum of its child rows, in every value column, deepest parents first."""
    issues: list[Issue] = []
    for parent in sorted(tree, key=lambda row: tree_depth(tree, row)):
        issues += _sum_rows(view, ledger, parent, tree[parent], value_columns(view), _names(view, tree[parent]))
    return issues


def tree_depth(tree: dict[int, list[int]], row: int, above: frozenset[int] = frozenset()) -> int:
    """How many levels of rows lie under row. A row found in two roles of a garbled table (the 合计
    line read as 公务用车 too) can make the tree a loop: a row already above is not walked again."""
    if row in above:
        return 0
    return max((tree_depth(tree, c, above | {row}) + 1 for c in tree.get(row, [])), default=0)


def _adds_up(view: TableView, total: int, parts: list[int], cols: list[int]) -> bool:
    for j in cols:
        t = view.amount(total, j)
        vals = [view.amount(p, j) for p in parts]
        if t is None or any(v is None for v in vals):
            continue
        if abs(t - sum((v for v in vals if v is not None), ZERO)) > TOLERANCE:
            return False
    return True


def check_fixed_assets(view: TableView, ledger: Ledger) -> list[Issue]:
    total = view.find_row(r"^资产总额|^合计$|^总计$")
    value = view.col("价值", "金额", "账面价值", contains=True)
    if total is None or value is None:
        return []
    parts = [
        i for i, r in enumerate(view.rows)
        if i != total and re.match(r"^\s*(?:\d+|[一二三四五六七八九十]+)\s*[、.．]", view.label(i))
    ]
    if not parts:
        return []
    return _sum_rows(view, ledger, total, parts, [value], _names(view, parts))


def check_procurement(view: TableView, ledger: Ledger) -> list[Issue]:
    qty = view.col("数量")
    price = view.col("单价")
    amount_col = view.col("合计", "金额", "政府采购金额", contains=True)
    issues: list[Issue] = []
    if qty is not None and price is not None and amount_col is not None:
        for i in range(len(view.rows)):
            q, p, a = view.amount(i, qty), view.amount(i, price), view.amount(i, amount_col)
            if q is None or p is None or a is None or (q == ZERO and p == ZERO):
                continue
            expected = q * p
            # 单价 is printed rounded to 0.01 万元, so the product may drift by 数量 × 0.005
            if abs(a - expected) <= max(TOLERANCE, abs(q) * Decimal("0.005")):
                continue
            issues.append(Issue(
                code=QTY_CODE,
                severity="error",
                message=(f"{view.name}第{view.line(i)}行“{view.describe_row(i)}”：数量 {q} × 单价 {fmt(p)} = "
                         f"{fmt(expected)} 万元，但金额为 {fmt(a)} 万元，相差 {signed(a - expected)} 万元"),
                key=f"{view.kind}:{view.line(i)}",
                tables=[view.kind],
                lines=[view.line(i)],
                expected=expected,
                actual=a,
            ))
    total = view.total_row()
    if total is not None and amount_col is not None:
        items = [i for i in range(len(view.rows)) if i != total and view.amount(i, amount_col) not in (None, ZERO)]
        if items:
            cols = [j for j in value_columns(view) if j >= amount_col]
            issues += _sum_rows(view, ledger, total, items, cols, "各采购项目")
    return issues
