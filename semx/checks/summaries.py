"""Identities of the two-sided summaries (收支总表, 财政拨款收支总表).

Each side's items add up to its 本年…合计, which with the carry-over adds up to its
总计; 收入总计 = 支出总计, and 本年收入合计 = 本年支出合计 when nothing is carried over.
"""

from __future__ import annotations

import re

from semx.checks.amounts import TOLERANCE, ZERO
from semx.checks.figures import Cell
from semx.checks.issues import Issue, Ledger
from semx.checks.parts import PARTS_CODE
from semx.checks.sides import Entry, entries
from semx.checks.sums import check_sum
from semx.checks.view import TableView

BALANCE_CODE = "BALANCE"

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
            parts = [e for e in mine if e.row < total.row]
            if parts:
                issues += _side_sum(view, ledger, total, parts, f"{side}各项")
        if total is not None and grand is not None:
            between = [e for e in mine if total.row < e.row < grand.row]
            # a carry-over heading with its own sub-items (一般公共预算拨款 …) counts once:
            # by its own amount when it prints one, else by its sub-items
            heads = [e for e in between if carry_rx.search(e.label)]
            carry = heads if heads and not _blank_entries(view, heads) else between
            issues += _side_sum(view, ledger, grand, [total, *carry], "、".join(f"“{e.raw}”" for e in [total, *carry]))
    (in_total, in_grand), (out_total, out_grand) = sides["收入"], sides["支出"]
    if in_grand is not None and out_grand is not None:
        issues += _balance(view, ledger, out_grand, in_grand, "支出总计", "收入总计")
    if in_total is not None and out_total is not None and not _carries(view, items, sides):
        issues += _balance(view, ledger, out_total, in_total, "本年支出合计", "本年收入合计")
    return issues


def _blank_entries(view: TableView, items: list[Entry]) -> bool:
    return all((view.amount(e.row, j) or ZERO) == ZERO for e in items for j in e.cols)


def _carries(view: TableView, items: list[Entry], sides: dict[str, tuple[Entry | None, Entry | None]]) -> bool:
    """Whether anything is carried in or out: an amount between a side's 本年…合计 and its 总计."""
    for side, (total, grand) in sides.items():
        mine = [e for e in items if e.side == side]
        if total is not None and grand is not None:
            between = [e for e in mine if total.row < e.row < grand.row]
        else:
            between = [e for e in mine if _CARRY_IN.search(e.label) or _CARRY_OUT.search(e.label)]
        if not _blank_entries(view, between):
            return True
    return False


def _balance(view: TableView, ledger: Ledger, left: Entry, right: Entry, lname: str, rname: str) -> list[Issue]:
    issue = check_sum(
        ledger, code=BALANCE_CODE, total=Cell(view, left.row, left.cols[0], left.raw),
        parts=[Cell(view, right.row, right.cols[0], right.raw)],
        parts_text=f"“{rname}”", key=f"{view.kind}:{view.line(left.row)}:{lname}", blame_total=False,
        template="{where}为 {actual} 万元，与{parts}{expected} 万元不相等，相差 {diff} 万元",
    ) if left.cols and right.cols else None
    return [issue] if issue else []
