"""One identity "a printed total equals the sum of printed parts", judged against the ledger.

Every numeric identity of the checks (row sums, column sums, totals across tables) goes
through check_sum so that all of them report, explain and remember differences alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from semx.checks.amounts import ZERO, fmt, printed_tolerance, signed
from semx.checks.figures import Cell, Figure, Stated
from semx.checks.issues import CONSEQUENCE_NOTE, Issue, Ledger, Severity, judge, merge


def _evidence(total: Figure, parts: Sequence[Figure]) -> str | None:
    """The sentence a stated figure came from, else the printed row of the total."""
    stated = next((f for f in (total, *parts) if isinstance(f, Stated)), None)
    if stated is not None:
        return stated.fact.sentence
    if isinstance(total, Cell):
        return total.view.row_text(total.row)
    return None


def check_sum(
    ledger: Ledger,
    *,
    code: str,
    total: Figure,
    parts: Sequence[Figure],
    parts_text: str,
    key: str,
    severity: Severity = "error",
    subject: str | None = None,
    blame_total: bool = True,
    blame_part: Figure | None = None,
    template: str | None = None,
    tolerance: Decimal | None = None,
) -> Issue | None:
    """Report total != sum(parts) once; a difference already explained becomes a consequence.

    blame_total: when the identity fails for a new reason, the total is taken as the wrong
    figure, so identities that use the total later are explained by this finding;
    blame_part names a part to take as the wrong figure instead.
    """
    actual = total.value
    values = [p.value for p in parts]
    if actual is None or any(v is None for v in values):
        return None
    expected = sum((v for v in values if v is not None), ZERO)
    parts_dev = ledger.of(p.key for p in parts)
    # rounding allowance from the printed digits of table cells; a figure stated in prose is
    # exact as written (公务用车购置费10万元), so it widens nothing
    printed = [f.value for f in (total, *parts) if isinstance(f, Cell) and f.value is not None]
    allowed = printed_tolerance(printed) if tolerance is None else tolerance
    verdict = judge(actual, expected, ledger.get(total.key), parts_dev, allowed)
    if verdict.holds:
        if blame_total and not ledger.get(total.key):
            ledger.add(total.key, parts_dev)
        return None
    message = (template or "{where}为 {actual} 万元，{parts}之和为 {expected} 万元，相差 {diff} 万元").format(
        where=total.where, parts=parts_text, actual=fmt(actual), expected=fmt(expected), diff=signed(verdict.printed)
    )
    issue = Issue(
        code=code,
        severity=severity,
        message=message,
        key=key,
        tables=[t for t in (total.table, *(p.table for p in parts)) if t],
        lines=[total.line, *(p.line for p in parts)],
        expected=expected,
        actual=actual,
        subject=subject,
        evidence=_evidence(total, parts),
        row=f"{total.view.kind}:{total.line}" if isinstance(total, Cell) and total.label is None else None,
        column=total.view.header(total.col) if isinstance(total, Cell) else None,
    )
    if verdict.consequence:
        issue.caused_by = verdict.cause
        issue.message += CONSEQUENCE_NOTE
    elif blame_part is not None:
        ledger.add(blame_part.key, {issue.id: -verdict.intrinsic})
    elif blame_total:
        # the total is off by its own misprint plus whatever its parts are known to be off by
        inherited = {} if ledger.get(total.key) else parts_dev
        ledger.add(total.key, merge({issue.id: verdict.intrinsic - sum(inherited.values(), ZERO)}, inherited))
    return issue


def check_equal(
    ledger: Ledger,
    *,
    code: str,
    left: Figure,
    right: Figure,
    key: str,
    severity: Severity = "error",
    subject: str | None = None,
    blame: Figure | None = None,
    tolerance: Decimal | None = None,
) -> Issue | None:
    """The same figure printed in two places: report left != right (expected = right).

    blame: the figure taken as the misprint when the difference is new (left, right or neither);
    tolerance: the rounding allowed, when the caller knows it better than the sum's default.
    """
    return check_sum(
        ledger, code=code, total=left, parts=[right], parts_text=right.where,
        key=key, severity=severity, subject=subject,
        blame_total=blame is left, blame_part=right if blame is right else None,
        template="{where}为 {actual} 万元，而{parts}为 {expected} 万元，相差 {diff} 万元", tolerance=tolerance,
    )
