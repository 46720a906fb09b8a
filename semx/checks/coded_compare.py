"""Two 科目编码 tables compared code by code, from the leaves up.

A leaf (or a code one table prints without its detail) that differs is a finding of its
own. A 类 or the 合计 that differs only because leaves below it differ, or because one
table's figure is already known to be off (the ledger), is reported as a consequence;
款 are not reported then, since the leaves and the class already say it all.
"""

from __future__ import annotations

from decimal import Decimal

from semx.checks.amounts import TOLERANCE, ZERO, fmt, signed
from semx.checks.issues import CONSEQUENCE_NOTE, Causes, Issue, Ledger, dominant, merge, negate, total
from semx.checks.view import TableView

CODE = "CROSS_TABLE"
MISSING_ROW = "CROSS_TABLE_ROW"


def codes(view: TableView) -> dict[str, int]:
    return {(r.code or "").strip(): i for i, r in enumerate(view.rows) if (r.code or "").strip().isdigit()}


def _parents(codes: set[str]) -> dict[str, str | None]:
    return {c: next((c[:n] for n in range(len(c) - 1, 0, -1) if c[:n] in codes), None) for c in codes}


def compare_coded(a: TableView, b: TableView, cols: list[tuple[int, int]], ledger: Ledger) -> list[Issue]:
    """Compare two 科目编码 tables on pairs of columns (a column, b column)."""
    codes_a, codes_b = codes(a), codes(b)
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
