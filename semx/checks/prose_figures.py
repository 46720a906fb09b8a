"""The one table cell that prints the figure a 说明 statement names (收入总计, 基本支出 …).

The 收支总表 is asked first for income and totals, the 支出总表 for 支出, the 基本支出表 for
人员/公用经费 (only when it covers all 基本支出), the "三公" table row by row, and the 政府采购 /
固定资产 tables for their totals; a table printed empty states 0.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal

from semx.checks.amounts import TOLERANCE, ZERO
from semx.checks.figures import Cell, Figure, entry_cell, find_entry, total_cell
from semx.checks.parts import THREE_PUBLIC_ROWS
from semx.checks.view import TableView, first_of, norm


@dataclass(frozen=True)
class Zero:
    """The figure of a table declared empty: 0."""

    view: TableView

    @property
    def value(self) -> Decimal | None:
        return ZERO

    @property
    def key(self) -> Hashable:
        return ("empty", self.view.index)

    @property
    def line(self) -> int:
        return self.view.table.start_line

    @property
    def where(self) -> str:
        return f"{self.view.name}（第{self.line}行，空表）合计"

    @property
    def table(self) -> str | None:
        return self.view.kind


def _row_cell(view: TableView | None, pattern: str, col_names: tuple[str, ...] = ("合计",)) -> Cell | None:
    if view is None:
        return None
    row = view.find_row(pattern)
    col = view.col(*col_names, contains=True)
    return Cell(view, row, col) if row is not None and col is not None else None


def table_figure(key: str, views: list[TableView]) -> Figure | None:
    ies = first_of(views, "income_expenditure_summary")
    inc = first_of(views, "income_summary")
    exp = first_of(views, "expenditure_summary")
    basic = first_of(views, "general_budget_basic_expenditure")
    three = first_of(views, "three_public_expenditure")
    before = r"^本年收入合计|^收入合计"
    if ies is not None:
        income_rx = {
            "income_general": r"一般公共预算", "income_fund": r"政府性基金", "income_capital": r"国有资本经营",
            "income_special": r"财政专户", "income_business": r"^事业收入", "income_operating": r"经营收入",
            "income_superior": r"上级补助", "income_affiliated": r"附属单位", "income_other": r"^其他收入",
        }
        if key in income_rx:
            return entry_cell(ies, find_entry(ies, "收入", income_rx[key], before=before))
        if key == "income_carryover":
            return entry_cell(ies, find_entry(ies, "收入", r"上年结转|年初结转|结转结余"))
        if key in ("income_total", "budget_total"):
            return entry_cell(ies, find_entry(ies, "收入", r"^收入总计"))
        if key == "income_current":
            return entry_cell(ies, find_entry(ies, "收入", before))
        if key == "grand_total":
            return entry_cell(ies, find_entry(ies, "收入", r"^总计$|^收入总计"))
    if key == "income_total":
        return total_cell(inc, "合计")
    if key == "income_current":
        return total_cell(inc, "小计")
    if key == "income_carryover":
        return total_cell(inc, "上年结转")
    if key == "expend_total":
        return total_cell(exp, "合计", "本年支出合计") or (entry_cell(ies, find_entry(ies, "支出", r"^支出总计")) if ies else None)
    if key == "basic":
        return total_cell(exp, "基本支出")
    if key == "project":
        return total_cell(exp, "项目支出")
    if key in ("personnel", "public") and basic is not None and _basic_is_whole(basic, exp):
        return total_cell(basic, "人员经费" if key == "personnel" else "公用经费")
    if key.startswith("econ:") and basic is not None and _basic_is_whole(basic, exp):
        name = key.removeprefix("econ:")
        row = next((i for i, r in enumerate(basic.rows) if len((r.code or "").strip()) == 3 and norm(r.name) == name), None)
        col = basic.col("合计")
        return Cell(basic, row, col) if row is not None and col is not None else None
    if key.startswith("tp_") and three is not None:
        return _three_public_cell(key, three)
    if key == "procurement_total":
        return _total_or_zero(views, "government_procurement", ("合计", "金额"))
    if key == "assets_total":
        view = next((v for v in views if v.kind == "fixed_assets"), None)
        if view is None:
            return None
        if view.table.empty:
            return Zero(view)
        return _row_cell(view, r"^资产总额|^合计$", ("价值", "金额"))
    return None


def _basic_is_whole(basic: TableView, exp: TableView | None) -> bool:
    """The 基本支出表 covers 一般公共预算 only; it speaks for all 基本支出 when the totals agree."""
    if exp is None:
        return True
    a, b = total_cell(basic, "合计"), total_cell(exp, "基本支出")
    if a is None or b is None or a.value is None or b.value is None:
        return True
    return abs(a.value - b.value) <= TOLERANCE


_THREE_PUBLIC_KEYS = {
    "tp_abroad": "abroad", "tp_car_total": "car", "tp_car_purchase": "purchase", "tp_car_running": "running",
    "tp_reception": "reception", "tp_meeting": "meeting", "tp_training": "training",
}


def _three_public_cell(key: str, view: TableView) -> Cell | None:
    col = view.col("合计")
    if col is None:
        return None
    if key == "tp_total":
        row = view.find_row(THREE_PUBLIC_ROWS["subtotal"])
        row = row if row is not None else view.total_row()
    else:
        row = view.find_row(THREE_PUBLIC_ROWS[_THREE_PUBLIC_KEYS[key]])
    return Cell(view, row, col) if row is not None else None


def _total_or_zero(views: list[TableView], kind: str, cols: tuple[str, ...]) -> Figure | None:
    view = next((v for v in views if v.kind == kind), None)
    if view is None:
        return None
    if view.table.empty:
        return Zero(view)
    row, col = view.total_row(), view.col(*cols, contains=True)
    if row is None or col is None:
        return None
    return Cell(view, row, col)
