"""Check 3: a figure printed in two tables is the same figure.

Within one set of tables: 收入总表 and 支出总表 code by code; 一般公共预算支出表 and 支出总表
code by code when all spending is 一般公共预算; the classes of the two-sided summaries
against the coded tables; and every total printed twice (支出合计, 收入总计, 本年收入,
the fiscal income items, 一般公共预算支出, 财政拨款收入, 基本支出).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from semx.checks.amounts import TOLERANCE, ZERO, fmt
from semx.checks.classes import FUNCTION_CLASSES
from semx.checks.coded_compare import CODE, MISSING_ROW, codes, compare_coded
from semx.checks.figures import Cell, entry_cell, find_entry, total_cell
from semx.checks.issues import Issue, Ledger
from semx.checks.sets import TWO_SIDED, table_sets
from semx.checks.sides import Entry, entries
from semx.checks.summaries import side_sum_holds
from semx.checks.sums import check_equal
from semx.checks.view import TableView, first_of, norm

# ---------------------------------------------------------------- named figures


def _class_code(label: str, coded: list[TableView]) -> str | None:
    for view in coded:
        for r in view.rows:
            code = (r.code or "").strip()
            if len(code) == 3 and norm(r.name) == label:
                return code
    return FUNCTION_CLASSES.get(label)


def _class_rows(view: TableView) -> dict[str, int]:
    return {c: i for c, i in codes(view).items() if len(c) == 3}


def compare_classes(side_view: TableView, side_col: int, coded: TableView, coded_col: int, ledger: Ledger,
                    reference: list[TableView]) -> list[Issue]:
    """Each expenditure class of a two-sided table against the class row of a coded table."""
    rows = _class_rows(coded)
    issues: list[Issue] = []
    for e in entries(side_view):
        if e.side != "支出" or side_col not in e.cols:
            continue
        code = _class_code(e.label, reference)
        if code is None:
            continue
        left = Cell(side_view, e.row, side_col, e.raw)
        if code in rows:
            # the coded table was checked row by row already; a new difference is the summary's
            issue = check_equal(ledger, code=CODE, left=left, right=Cell(coded, rows[code], coded_col), blame=left,
                                key=f"{side_view.kind}:{left.line}~{coded.kind}:{coded.line(rows[code])}:{code}")
        elif (left.value or ZERO) != ZERO:
            issue = Issue(
                code=MISSING_ROW, severity="error",
                message=f"{left.where}为 {fmt(left.value)} 万元，{coded.name}中没有 {code} 类",
                key=f"{side_view.kind}:{left.line}~{coded.kind}:-:{code}", tables=[side_view.kind, coded.kind],
                lines=[left.line], expected=ZERO, actual=left.value,
            )
        else:
            issue = None
        if issue:
            issues.append(issue)
    return issues


def _pairs(views: list[TableView]) -> Iterator[tuple[Cell | None, Cell | None, str]]:
    """(figure, same figure elsewhere, key) for every total printed in two tables."""
    ies = first_of(views, "income_expenditure_summary")
    inc = first_of(views, "income_summary")
    exp = first_of(views, "expenditure_summary")
    fis = first_of(views, "fiscal_appropriation_summary")
    gen = first_of(views, "general_budget_expenditure")
    basic = first_of(views, "general_budget_basic_expenditure")
    fund = next((v for v in views if v.kind == "government_fund_expenditure"), None)
    if ies is not None:
        yield entry_cell(ies, find_entry(ies, "支出", r"^本年支出合计|^支出合计")), total_cell(exp, "合计"), "支出合计"
        yield entry_cell(ies, find_entry(ies, "收入", r"^收入总计")), total_cell(inc, "合计"), "收入总计"
        yield entry_cell(ies, find_entry(ies, "收入", r"^本年收入合计|^收入合计")), total_cell(inc, "小计"), "本年收入"
        if fis is not None:
            for name, rx in (("一般公共预算", r"一般公共预算"), ("政府性基金", r"政府性基金"), ("国有资本经营", r"国有资本经营")):
                left = entry_cell(ies, find_entry(ies, "收入", rx, before=r"^本年收入合计|^收入合计"))
                right = entry_cell(fis, find_entry(fis, "收入", rx, before=r"^本年收入合计|^收入合计"))
                yield left, right, f"收入:{name}"
    if fis is not None:
        fis_total = find_entry(fis, "支出", r"^本年支出合计|^支出合计")
        if fis_total is not None:
            general = _col_index(fis, fis_total, r"一般公共预算")
            yield (entry_cell(fis, fis_total, general) if general is not None else None), total_cell(gen, "合计"), "一般公共预算支出"
            funds = _col_index(fis, fis_total, r"政府性基金")
            if fund is not None and funds is not None:
                right = total_cell(fund, "合计") if not fund.table.empty else None
                left = entry_cell(fis, fis_total, funds)
                if right is not None or (left is not None and (left.value or ZERO) != ZERO):
                    yield left, right, "政府性基金支出"
        yield entry_cell(fis, find_entry(fis, "收入", r"^本年收入合计|^收入合计")), total_cell(inc, "财政拨款收入", "财政拨款"), "财政拨款收入"
    if basic is not None:
        yield total_cell(basic, "合计"), total_cell(gen, "基本支出"), "基本支出"


def _col_index(view: TableView, e: Entry, pattern: str) -> int | None:
    for k, j in enumerate(e.cols):
        if re.search(pattern, view.columns[j]):
            return k
    return None


def compare_totals(views: list[TableView], ledger: Ledger) -> list[Issue]:
    issues: list[Issue] = []
    for left, right, name in _pairs(views):
        if left is None or right is None:
            continue
        issue = check_equal(ledger, code=CODE, left=left, right=right, blame=_blame(left, right),
                            key=f"{left.view.kind}:{left.line}~{right.view.kind}:{right.line}:{name}")
        if issue:
            issues.append(issue)
    return issues


def _blame(left: Cell, right: Cell) -> Cell | None:
    """Which of two differing totals to take as the misprint.

    The coded tables were checked row by row before, so a new difference is put on the
    two-sided summary; between two summaries, on the one whose items do not add up.
    """
    summaries = [c for c in (left, right) if c.view.kind in TWO_SIDED]
    if len(summaries) == 2:
        failing = [c for c in summaries if not side_sum_holds(c.view, c.row, c.col)]
        return failing[0] if len(failing) == 1 else None
    return summaries[0] if summaries else None


def check_cross_table(views: list[TableView], ledger: Ledger) -> list[Issue]:
    issues: list[Issue] = []
    for table_set in table_sets(views):
        issues += _check_set(table_set, ledger)
    return issues


def _check_set(views: list[TableView], ledger: Ledger) -> list[Issue]:
    issues: list[Issue] = []
    inc = first_of(views, "income_summary")
    exp = first_of(views, "expenditure_summary")
    gen = first_of(views, "general_budget_expenditure")
    ies = first_of(views, "income_expenditure_summary")
    fis = first_of(views, "fiscal_appropriation_summary")
    coded = [v for v in (exp, inc, gen) if v is not None]
    if inc is not None and exp is not None:
        pair = _same_columns(inc, exp, ["合计"])
        issues += compare_coded(inc, exp, pair, ledger)
    if gen is not None and exp is not None and _totals_agree(gen, exp):
        # only when every expenditure is 一般公共预算 must the two tables agree row by row
        issues += compare_coded(gen, exp, _same_columns(gen, exp, ["合计", "基本支出", "项目支出"]), ledger)
    if ies is not None and exp is not None:
        col = _side_amount_col(ies)
        total_col = exp.col("合计")
        if col is not None and total_col is not None:
            issues += compare_classes(ies, col, exp, total_col, ledger, coded)
    if fis is not None and gen is not None:
        col = next((j for j, c in enumerate(fis.columns) if "一般公共预算" in c and c.startswith("一般")), None)
        total_col = gen.col("合计")
        if col is not None and total_col is not None:
            issues += compare_classes(fis, col, gen, total_col, ledger, coded)
    issues += compare_totals(views, ledger)
    return issues


def _same_columns(a: TableView, b: TableView, names: list[str]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for name in names:
        ca, cb = a.col(name), b.col(name)
        if ca is not None and cb is not None:
            out.append((ca, cb))
    return out


def _totals_agree(a: TableView, b: TableView) -> bool:
    ca, cb = total_cell(a, "合计"), total_cell(b, "合计")
    if ca is None or cb is None or ca.value is None or cb.value is None:
        return False
    return abs(ca.value - cb.value) <= TOLERANCE


def _side_amount_col(view: TableView) -> int | None:
    spend = [e for e in entries(view) if e.side == "支出" and e.cols]
    return spend[0].cols[0] if spend else None
