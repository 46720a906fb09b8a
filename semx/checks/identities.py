"""Check 2: the identities inside one table.

Across a row: 合计 = the columns it totals (基本支出 + 项目支出 …, 人员经费 + 公用经费,
小计 + 上年结转, 小计 = the income sources, the fund columns of "三公" and 政府采购).
Down a table without 科目编码: the "三公" items, the 固定资产 items, 数量 × 单价 = 金额,
and the two sides of the 收支总表 / 财政拨款收支总表.
"""

from __future__ import annotations

import re
from decimal import Decimal

from semx.checks.amounts import TOLERANCE, ZERO, fmt, signed
from semx.checks.issues import Issue, Ledger
from semx.checks.sides import Entry, entries
from semx.checks.sums import Cell, check_sum
from semx.checks.view import TableView, is_text_header, norm

ROW_CODE = "SUM_COLUMNS"
PARTS_CODE = "SUM_PARTS"
BALANCE_CODE = "BALANCE"
QTY_CODE = "QTY_PRICE"

_CARRY = re.compile(r"上年结转|结转结余|年初结转")


def value_columns(view: TableView) -> list[int]:
    return [j for j, c in enumerate(view.columns) if c and not is_text_header(c)]


def _total_col(view: TableView) -> int | None:
    return view.col("合计", "支出合计", "合计数", "总计")


def _row_label(view: TableView, row: int) -> str:
    return view.describe_row(row)


# ---------------------------------------------------------------- across a row


def row_groups(view: TableView) -> list[tuple[int, list[int]]]:
    """(total column, part columns) identities that hold on every row of the table."""
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


# ---------------------------------------------------------------- down a table


def _find(view: TableView, pattern: str, exclude: str | None = None) -> int | None:
    for i in view.find_rows(pattern):
        if exclude and re.search(exclude, norm(view.label(i))):
            continue
        return i
    return None


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
    sub = _find(view, r"三公经费(?:合计|小计)")
    abroad = _find(view, r"^因公出国\(境\)(?:经)?费")
    abroad_parts = [i for i in view.find_rows(r".+因公出国\(境\)") if i != abroad]
    car = _find(view, r"公务用车购置及运")
    purchase = _find(view, r"公务用车购置费$|^购置费$")
    running = _find(view, r"公务用车运行(?:维护)?费$|^运行(?:维护)?费$")
    reception = _find(view, r"公务接待费")
    extras = [i for i in (_find(view, r"^会议费"), _find(view, r"^培训费")) if i is not None]
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
    def depth(row: int) -> int:
        return max((depth(c) + 1 for c in tree.get(row, [])), default=0)

    issues: list[Issue] = []
    for parent in sorted(tree, key=depth):
        issues += _sum_rows(view, ledger, parent, tree[parent], value_columns(view), _names(view, tree[parent]))
    return issues


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
    total = _find(view, r"^资产总额|^合计$|^总计$")
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
                message=(f"{view.name}第{view.line(i)}行“{_row_label(view, i)}”：数量 {q} × 单价 {fmt(p)} = "
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


# ---------------------------------------------------------------- two-sided summaries

_INCOME_TOTAL = re.compile(r"^本年收入合计|^收入合计")
_INCOME_GRAND = re.compile(r"^收入总计")
_EXPEND_TOTAL = re.compile(r"^本年支出合计|^支出合计")
_EXPEND_GRAND = re.compile(r"^支出总计")
_CARRY_IN = re.compile(r"上年结转|年初.*结转|结转结余|用事业基金弥补|上年结余")
_CARRY_OUT = re.compile(r"年终结转|年末.*结转|结转下年|年末结余")


def _entry(items: list[Entry], rx: re.Pattern[str]) -> Entry | None:
    return next((e for e in items if rx.search(e.label)), None)


def _side_sum(view: TableView, ledger: Ledger, total: Entry, parts: list[Entry], what: str,
              code: str = PARTS_CODE) -> list[Issue]:
    issues: list[Issue] = []
    for k, j in enumerate(total.cols):
        part_cells = [Cell(view, p.row, p.cols[k], p.raw) for p in parts if k < len(p.cols)]
        issue = check_sum(
            ledger, code=code, total=Cell(view, total.row, j, total.raw), parts=part_cells, parts_text=what,
            key=f"{view.kind}:{view.line(total.row)}:{view.header(j)}",
        )
        if issue:
            issues.append(issue)
    return issues


def side_sum_holds(view: TableView, row: int, col: int) -> bool:
    """Whether the items of the side a cell is on add up to that side's 本年…合计 as printed."""
    items = entries(view)
    entry = next((e for e in items if e.row == row and col in e.cols), None)
    if entry is None:
        return True
    mine = [e for e in items if e.side == entry.side]
    total = _entry(mine, _INCOME_TOTAL if entry.side == "收入" else _EXPEND_TOTAL)
    if total is None:
        return True
    k = entry.cols.index(col)
    printed = view.amount(total.row, total.cols[k]) if k < len(total.cols) else None
    parts = [view.amount(e.row, e.cols[k]) for e in mine if e.row < total.row and k < len(e.cols)]
    if printed is None or any(p is None for p in parts):
        return True
    return abs(printed - sum((p for p in parts if p is not None), ZERO)) <= TOLERANCE


def check_two_sided(view: TableView, ledger: Ledger) -> list[Issue]:
    items = entries(view)
    issues: list[Issue] = []
    sides: dict[str, tuple[Entry | None, Entry | None]] = {}
    for side, total_rx, grand_rx, carry_rx in (
        ("收入", _INCOME_TOTAL, _INCOME_GRAND, _CARRY_IN),
        ("支出", _EXPEND_TOTAL, _EXPEND_GRAND, _CARRY_OUT),
    ):
        mine = [e for e in items if e.side == side]
        total = _entry(mine, total_rx)
        grand = _entry(mine, grand_rx)
        sides[side] = (total, grand)
        if total is not None:
            # the items of a side are the labelled rows printed above its 本年…合计
            parts = [e for e in mine if e.row < total.row and e is not total]
            if parts:
                issues += _side_sum(view, ledger, total, parts, f"{side}各项")
        if total is not None and grand is not None:
            between = [e for e in mine if total.row < e.row < grand.row]
            # a carry-over heading with its own sub-items (一般公共预算拨款 …) counts once
            heads = [e for e in between if carry_rx.search(e.label)]
            carry = heads if heads else between
            issues += _side_sum(view, ledger, grand, [total, *carry], "、".join(f"“{e.raw}”" for e in [total, *carry]))
    (in_total, in_grand), (out_total, out_grand) = sides["收入"], sides["支出"]
    if in_grand is not None and out_grand is not None:
        issues += _balance(view, ledger, out_grand, in_grand, "支出总计", "收入总计")
    if in_total is not None and out_total is not None and _no_carry(view, items):
        issues += _balance(view, ledger, out_total, in_total, "本年支出合计", "本年收入合计")
    return issues


def _no_carry(view: TableView, items: list[Entry]) -> bool:
    for e in items:
        carries = _CARRY_IN.search(e.label) or _CARRY_OUT.search(e.label)
        if carries and any((view.amount(e.row, j) or ZERO) != ZERO for j in e.cols):
            return False
    return True


def _balance(view: TableView, ledger: Ledger, left: Entry, right: Entry, lname: str, rname: str) -> list[Issue]:
    issue = check_sum(
        ledger, code=BALANCE_CODE, total=Cell(view, left.row, left.cols[0], left.raw),
        parts=[Cell(view, right.row, right.cols[0], right.raw)],
        parts_text=f"“{rname}”", key=f"{view.kind}:{view.line(left.row)}:{lname}", blame_total=False,
        template="{where}为 {actual} 万元，与{parts}{expected} 万元不相等，相差 {diff} 万元",
    ) if left.cols and right.cols else None
    return [issue] if issue else []
