"""Check 1: every 科目编码 row equals the sum of the rows directly below it.

The parent of a code is the longest other code of the table that is a prefix of it, so
功能分类 (201 ⊃ 20131 ⊃ 2013101) and 经济分类 (301 ⊃ 30101) need no separate rules, and
the 合计 row is the parent of the top-level codes. Rows are checked from the deepest
level up: the leaves are the most detailed figures and taken as given, so when a parent
disagrees with its children the parent is reported, and the ledger remembers that the
parent is off so the levels above it are reported as consequences, not again.
"""

from __future__ import annotations

from decimal import Decimal

from semx.checks.amounts import ZERO, fmt, printed_tolerance, signed
from semx.checks.issues import CONSEQUENCE_NOTE, Issue, Ledger, Verdict, judge, merge
from semx.checks.view import TableView

CODE = "SUM_HIERARCHY"
TOTAL_CODE = "SUM_TOTAL_ROW"


def children_map(view: TableView) -> dict[int, list[int]]:
    """Parent row -> child rows, from code prefixes; the 合计 row parents the top codes."""
    coded = [(i, (r.code or "").strip()) for i, r in enumerate(view.rows) if (r.code or "").strip().isdigit()]
    codes = {code: i for i, code in coded}
    out: dict[int, list[int]] = {}
    top: list[int] = []
    for i, code in coded:
        parent = next((codes[code[:n]] for n in range(len(code) - 1, 0, -1) if code[:n] in codes), None)
        if parent is None:
            top.append(i)
        else:
            out.setdefault(parent, []).append(i)
    total = view.total_row()
    if total is not None and top:
        out[total] = top
    return out


def _depth(view: TableView, row: int) -> int:
    code = (view.rows[row].code or "").strip()
    return len(code) if code else 0


def check_hierarchy(view: TableView, ledger: Ledger) -> list[Issue]:
    kids = children_map(view)
    if not kids:
        return []
    money = view.money_columns()
    issues: list[Issue] = []
    total_row = view.total_row()
    for parent in sorted(kids, key=lambda r: -_depth(view, r)):
        children = kids[parent]
        groups: dict[tuple[str, Decimal, str | None], list[tuple[int, Decimal, Decimal, Verdict]]] = {}
        for col in money:
            actual = view.amount(parent, col)
            parts = [view.amount(c, col) for c in children]
            if actual is None or any(p is None for p in parts):
                continue
            expected = sum((p for p in parts if p is not None), ZERO)
            child_dev = ledger.of(view.key(c, col) for c in children)
            verdict = judge(actual, expected, ledger.get(view.key(parent, col)), child_dev,
                            printed_tolerance([actual, *(p for p in parts if p is not None)]))
            if verdict.holds:
                # printed consistently with children that are themselves off: it carries their error
                ledger.add(view.key(parent, col), child_dev)
                continue
            kind = "root" if verdict.root else "consequence"
            groups.setdefault((kind, verdict.printed, verdict.cause if kind == "consequence" else None), []).append(
                (col, expected, actual, verdict)
            )
        for (kind, _, cause), cols in groups.items():
            issue = _issue(view, parent, children, cols, is_total=parent == total_row)
            if kind == "consequence":
                issue.caused_by = cause
                issue.message += CONSEQUENCE_NOTE
            issues.append(issue)
            for col, _, _, verdict in cols:
                if kind == "root":
                    ledger.add(
                        view.key(parent, col),
                        merge({issue.id: verdict.printed}, ledger.of(view.key(c, col) for c in children)),
                    )
    return issues


def _issue(view: TableView, parent: int, children: list[int], cols: list[tuple[int, Decimal, Decimal, Verdict]],
           *, is_total: bool) -> Issue:
    _, expected, actual, verdict = cols[0]
    names = [view.header(c) for c, *_ in cols]
    row = view.rows[parent]
    if is_total:
        what = "合计行"
        below = "各类（" + "、".join((view.rows[c].code or "") for c in children[:6]) + ("…" if len(children) > 6 else "") + "）"
    else:
        what = f"科目 {view.describe_row(parent)}"
        codes = [(view.rows[c].code or "") for c in children]
        below = "下级科目（" + "、".join(codes[:6]) + ("…" if len(codes) > 6 else "") + "）"
    also = f"；同一行“{'”“'.join(names[1:])}”列相差相同" if len(names) > 1 else ""
    message = (
        f"{view.name}第{row.line}行{what}的“{names[0]}”列为 {fmt(actual)} 万元，"
        f"{below}之和为 {fmt(expected)} 万元，相差 {signed(verdict.printed)} 万元{also}"
    )
    lines = [row.line, *(view.rows[c].line for c in children)]
    return Issue(
        code=TOTAL_CODE if is_total else CODE,
        severity="error",
        message=message,
        key=f"{view.kind}:{row.line}:{names[0]}",
        tables=[view.kind],
        lines=lines,
        expected=expected,
        actual=actual,
        evidence=view.row_text(parent),
        subject=None if is_total else (row.code or None),
    )


__all__ = ["CODE", "TOTAL_CODE", "check_hierarchy", "children_map"]
