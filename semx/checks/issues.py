"""Issues while checking, the ledger of known wrong figures, and the final Finding list.

A figure that is wrong makes every identity it takes part in fail. The ledger remembers,
for each checked cell, by how much it is known to be off and which finding explains it,
so that a later identity that fails only because of that figure is reported as a
consequence (caused_by) instead of as a second error.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from semx.checks.amounts import TOLERANCE, ZERO
from semx.checks.view import kind_name
from semx.models import Finding

Severity = Literal["error", "warning", "info"]
Causes = dict[str, Decimal]

_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Issue:
    code: str
    severity: Severity
    message: str
    key: str = ""
    tables: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    expected: Decimal | None = None
    actual: Decimal | None = None
    evidence: str | None = None
    caused_by: str | None = None
    # What the figure is about (a 科目编码, a row label): the same wrong figure printed in
    # several tables is one mistake, recognised by subject + expected + actual.
    subject: str | None = None
    # The printed row and column of the figure; the same difference in several columns of
    # one row (合计 and 财政拨款收入 …) is one finding.
    row: str | None = None
    column: str | None = None

    @property
    def id(self) -> str:
        return f"{self.code}:{self.key}" if self.key else self.code

    @property
    def difference(self) -> Decimal | None:
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected


def merge(*parts: Causes) -> Causes:
    out: Causes = {}
    for part in parts:
        for cause, amount in part.items():
            out[cause] = out.get(cause, ZERO) + amount
    return {c: a for c, a in out.items() if a != ZERO}


def negate(causes: Causes) -> Causes:
    return {c: -a for c, a in causes.items()}


def total(causes: Causes) -> Decimal:
    return sum(causes.values(), ZERO)


def dominant(causes: Causes) -> str | None:
    """The cause that accounts for most of a difference."""
    best = max(causes.items(), key=lambda item: abs(item[1]), default=None)
    if best is None or abs(best[1]) <= TOLERANCE:
        return None
    return best[0]


class Ledger:
    """Known deviation (printed minus consistent value) of cells, by the findings that explain it."""

    def __init__(self) -> None:
        self._dev: dict[Hashable, Causes] = {}

    def get(self, key: Hashable) -> Causes:
        return self._dev.get(key, {})

    def of(self, keys: Iterable[Hashable]) -> Causes:
        return merge(*(self.get(k) for k in keys))

    def add(self, key: Hashable, causes: Causes) -> None:
        merged = merge(self.get(key), causes)
        if merged:
            self._dev[key] = merged
        else:
            self._dev.pop(key, None)


@dataclass(frozen=True)
class Verdict:
    """Outcome of comparing a printed figure with the value other printed figures imply."""

    printed: Decimal  # actual - expected as printed
    intrinsic: Decimal  # the same after removing deviations already explained
    cause: str | None  # when the printed difference is fully explained by known deviations
    tolerance: Decimal = TOLERANCE  # rounding allowance of the figures compared (printed_tolerance)

    @property
    def holds(self) -> bool:
        return abs(self.printed) <= self.tolerance

    @property
    def consequence(self) -> bool:
        return not self.holds and abs(self.intrinsic) <= self.tolerance and self.cause is not None

    @property
    def root(self) -> bool:
        return not self.holds and not self.consequence


def judge(actual: Decimal, expected: Decimal, actual_dev: Causes, expected_dev: Causes,
          tolerance: Decimal = TOLERANCE) -> Verdict:
    printed = actual - expected
    intrinsic = printed - total(actual_dev) + total(expected_dev)
    return Verdict(printed=printed, intrinsic=intrinsic, cause=dominant(merge(actual_dev, negate(expected_dev))),
                   tolerance=tolerance)


# ---------------------------------------------------------------- final list


CONSEQUENCE_NOTE = "；该差异由前述错误引起"


def _add_note(issue: Issue, note: str) -> None:
    """Put a note before the consequence remark, which always ends the message."""
    if issue.message.endswith(CONSEQUENCE_NOTE):
        issue.message = issue.message[: -len(CONSEQUENCE_NOTE)] + note + CONSEQUENCE_NOTE
    else:
        issue.message += note


def _merge_columns(issues: list[Issue]) -> list[Issue]:
    """One finding per row for the same difference in several columns, same cause."""
    alias: dict[str, str] = {}
    current = list(issues)
    while True:
        for issue in current:
            if issue.caused_by in alias:
                issue.caused_by = alias[issue.caused_by]
        kept: list[Issue] = []
        groups: dict[tuple[object, ...], Issue] = {}
        merged = False
        for issue in current:
            if issue.row is None or issue.column is None:
                kept.append(issue)
                continue
            sig = (issue.code, issue.row, issue.difference, issue.caused_by, issue.severity)
            first = groups.get(sig)
            if first is None:
                groups[sig] = issue
                kept.append(issue)
                continue
            alias[issue.id] = first.id
            _add_note(first, f"；同一行“{issue.column}”列相差相同")
            merged = True
        current = kept
        if not merged:
            return current


def _link_repeats(issues: list[Issue]) -> None:
    """The same wrong figure repeated in another table is a consequence of its first report."""
    first: dict[tuple[str, str, Decimal, Decimal], Issue] = {}
    for issue in sorted(issues, key=lambda i: min(i.lines, default=0)):
        if issue.caused_by or issue.subject is None or issue.expected is None or issue.actual is None:
            continue
        sig = (issue.code, issue.subject, issue.expected, issue.actual)
        if sig in first:
            issue.caused_by = first[sig].id
            where = kind_name(first[sig].tables[0]) if first[sig].tables else "前文"
            _add_note(issue, f"；与{where}第{min(first[sig].lines, default=0)}行是同一错误")
        else:
            first[sig] = issue


def _root_of(issue_id: str, parent: dict[str, str | None]) -> str:
    seen = {issue_id}
    current = issue_id
    while (nxt := parent.get(current)) is not None and nxt in parent and nxt not in seen:
        seen.add(nxt)
        current = nxt
    return current


def finalise(issues: list[Issue]) -> list[Finding]:
    """Unique ids, caused_by pointing at the root, roots first and each followed by its consequences."""
    issues = _merge_columns(issues)
    seen: dict[str, int] = {}
    for issue in issues:
        base = issue.id
        n = seen.get(base, 0) + 1
        seen[base] = n
        if n > 1:
            issue.key = f"{issue.key}#{n}"
    _link_repeats(issues)
    parent = {i.id: i.caused_by for i in issues}
    for issue in issues:
        if issue.caused_by is not None:
            top = _root_of(issue.id, parent)
            issue.caused_by = top if top != issue.id else None
            if issue.caused_by is None:  # its cause was never reported, so it stands on its own
                issue.message = issue.message.replace(CONSEQUENCE_NOTE, "")

    def order(i: Issue) -> tuple[int, int]:
        # ties keep the order the checks ran in (tables, then comparisons, then the 说明)
        return (_SEVERITY_RANK[i.severity], min(i.lines, default=10**9))

    roots = sorted((i for i in issues if i.caused_by is None), key=order)
    children: dict[str, list[Issue]] = {}
    for issue in issues:
        if issue.caused_by is not None:
            children.setdefault(issue.caused_by, []).append(issue)
    ordered: list[Issue] = []
    for head in roots:
        ordered.append(head)
        ordered.extend(sorted(children.get(head.id, []), key=lambda i: min(i.lines, default=10**9)))
    return [_to_finding(i) for i in ordered]


def _to_finding(issue: Issue) -> Finding:
    return Finding(
        id=issue.id,
        code=issue.code,
        severity=issue.severity,
        message=issue.message,
        tables=list(dict.fromkeys(issue.tables)),
        lines=sorted(set(issue.lines)),
        expected=issue.expected,
        actual=issue.actual,
        difference=issue.difference,
        caused_by=issue.caused_by,
        evidence=issue.evidence,
    )
