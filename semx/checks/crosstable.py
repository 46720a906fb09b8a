"""Check 3: a figure printed in two tables is the same figure.

Coded tables are compared code by code from the leaves up. A leaf that differs is a
finding of its own; a 类 or 合计 that differs only because of leaves that differ, or
because one table's 类 is already known to be off (the ledger), is reported as a
consequence. Only the class level and the totals are reported as consequences, since
those are the figures a reader compares between tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from semx.checks.amounts import TOLERANCE, ZERO, fmt, signed
from semx.checks.classes import FUNCTION_CLASSES
from semx.checks.identities import side_sum_holds
from semx.checks.issues import CONSEQUENCE_NOTE, Causes, Issue, Ledger, dominant, merge, negate, total
from semx.checks.sides import Entry, entries
from semx.checks.sums import Cell, check_equal
from semx.checks.view import MAIN_KINDS, TableView, first_of, norm

CODE = "CROSS_TABLE"
MISSING_ROW = "CROSS_TABLE_ROW"

SET_KINDS = frozenset(MAIN_KINDS)
TWO_SIDED = frozenset({"income_expenditure_summary", "fiscal_appropriation_summary"})


def _codes(view: TableView) -> dict[str, int]:
    return {(r.code or "").strip(): i for i, r in enumerate(view.rows) if (r.code or "").strip().isdigit()}


def _parents(codes: set[str]) -> dict[str, str | None]:
    return {c: next((c[:n] for n in range(len(c) - 1, 0, -1) if c[:n] in codes), None) for c in codes}


def compare_coded(a: TableView, b: TableView, cols: list[tuple[int, int]], ledger: Ledger) -> list[Issue]:
    """Compare two 科目编码 tables on pairs of columns (a column, b column)."""
    codes_a, codes_b = _codes(a), _codes(b)
    union = set(codes_a) | set(codes_b)
    parent = _parents(union)
    kids: dict[str | None, list[str]] = {}
    for code, p in parent.items():
        kids.setdefault(p, []).append(code)
    issues: list[Issue] = []
    for ca, cb in cols:
        tdiff: dict[str, Causes] = {}
        for code in sorted(union, key=lambda c: (-len(c), c)):
            ia, ib = codes_a.get(code), codes_b.get(code)
            has_kids = bool(kids.get(code)) and _has_children(a, codes_a, code) and _has_children(b, codes_b, code)
            issue, causes = _compare_one(a, b, ia, ib, ca, cb, code, kids.get(code, []) if has_kids else [],
                                         tdiff, ledger, report_consequence=parent[code] is None)
            tdiff[code] = causes
            if issue:
                issues.append(issue)
        ta, tb = a.total_row(), b.total_row()
        if ta is not None and tb is not None:
            issue, _ = _compare_one(a, b, ta, tb, ca, cb, None, kids.get(None, []), tdiff, ledger,
                                    report_consequence=True)
            if issue:
                issues.append(issue)
    return issues


def _has_children(view: TableView, codes: dict[str, int], code: str) -> bool:
    return any(c != code and c.startswith(code) for c in codes)


def _compare_one(a: TableView, b: TableView, ia: int | None, ib: int | None, ca: int, cb: int, code: str | None,
                 children: list[str], tdiff: dict[str, Causes], ledger: Ledger, *,
                 report_consequence: bool) -> tuple[Issue | None, Causes]:
    va = a.amount(ia, ca) if ia is not None else ZERO
    vb = b.amount(ib, cb) if ib is not None else ZERO
    if va is None or vb is None:
        return None, {}
    dev_a = ledger.get(a.key(ia, ca)) if ia is not None else {}
    dev_b = ledger.get(b.key(ib, cb)) if ib is not None else {}
    printed = va - vb
    # true values of a parent are the sums of its children, so their differences carry over
    causes = merge(*(tdiff.get(c, {}) for c in children))
    residual = printed - total(dev_a) + total(dev_b) - total(causes)
    if abs(residual) > TOLERANCE:
        issue = _issue(a, b, ia, ib, ca, cb, code, va, vb, missing=ia is None or ib is None)
        return issue, merge(causes, {issue.id: residual})
    if abs(printed) <= TOLERANCE or not report_consequence:
        return None, causes
    issue = _issue(a, b, ia, ib, ca, cb, code, va, vb, missing=False)
    issue.caused_by = dominant(merge(dev_a, negate(dev_b), causes))
    if issue.caused_by is not None:
        issue.message += CONSEQUENCE_NOTE
    return issue, causes


def lines_key(view: TableView, row: int | None) -> str:
    return str(view.line(row)) if row is not None else "-"


def _issue(a: TableView, b: TableView, ia: int | None, ib: int | None, ca: int, cb: int, code: str | None,
           va: Decimal, vb: Decimal, *, missing: bool) -> Issue:
    row_a = a.describe_row(ia) if ia is not None else code or ""
    row_b = b.describe_row(ib) if ib is not None else code or ""
    what = row_a if ia is not None else row_b
    if missing:
        present, absent = (a, b) if ia is not None else (b, a)
        message = (f"{present.name}列有“{what}”{fmt(va if ia is not None else vb)} 万元，"
                   f"{absent.name}中没有这一行")
    else:
        message = (f"“{what}”在{a.name}第{a.line(ia) if ia is not None else '—'}行“{a.header(ca)}”为 {fmt(va)} 万元，"
                   f"在{b.name}第{b.line(ib) if ib is not None else '—'}行“{b.header(cb)}”为 {fmt(vb)} 万元，"
                   f"相差 {signed(va - vb)} 万元")
    lines = [x for x in (a.line(ia) if ia is not None else None, b.line(ib) if ib is not None else None) if x]
    return Issue(
        code=MISSING_ROW if missing else CODE,
        severity="error",
        message=message,
        key=f"{a.kind}:{lines_key(a, ia)}~{b.kind}:{lines_key(b, ib)}:{a.header(ca)}",
        tables=[a.kind, b.kind],
        lines=lines,
        expected=vb,
        actual=va,
    )


# ---------------------------------------------------------------- named figures


def _class_code(label: str, coded: list[TableView]) -> str | None:
    for view in coded:
        for r in view.rows:
            code = (r.code or "").strip()
            if len(code) == 3 and norm(r.name) == label:
                return code
    return FUNCTION_CLASSES.get(label)


def _class_rows(view: TableView) -> dict[str, int]:
    return {c: i for c, i in _codes(view).items() if len(c) == 3}


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


def find_entry(view: TableView, side: str, pattern: str, before: str | None = None) -> Entry | None:
    """First entry of a side whose label matches; with before, only entries above that label."""
    items = [e for e in entries(view) if e.side == side]
    limit = next((e.row for e in items if before and re.search(before, e.label)), None)
    return next((e for e in items if re.search(pattern, e.label) and (limit is None or e.row < limit)), None)


def entry_cell(view: TableView, e: Entry | None, k: int = 0) -> Cell | None:
    if e is None or k >= len(e.cols):
        return None
    return Cell(view, e.row, e.cols[k], e.raw)


def total_cell(view: TableView | None, *names: str) -> Cell | None:
    if view is None:
        return None
    row, col = view.total_row(), view.col(*names)
    if row is None or col is None:
        return None
    return Cell(view, row, col)


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


def table_sets(views: list[TableView]) -> list[list[TableView]]:
    """The budget tables of each unit: a 部门 document may print its own set and one per 所属单位.

    Tables are grouped by the unit line printed above them; a table without one belongs to
    the set before it. Only tables of one set are compared with each other.
    """
    sets: list[list[TableView]] = []
    units: list[str | None] = []
    for view in views:
        if view.kind not in SET_KINDS:
            continue
        unit = view.table.unit_line
        if unit is not None and unit in units:
            sets[units.index(unit)].append(view)
        elif unit is None and sets:
            sets[-1].append(view)
        else:
            sets.append([view])
            units.append(unit)
    return sets


def document_tables(views: list[TableView]) -> list[TableView]:
    """The tables the 说明 speaks about: the first set, and the tables printed inside the 说明."""
    sets = table_sets(views)
    return (sets[0] if sets else []) + [v for v in views if v.kind not in SET_KINDS]


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
