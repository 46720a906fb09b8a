"""Which tables belong together: one set of the nine 部门预算公开表 per unit.

A 部门 document may print its own set and one per 所属单位; only tables of one set are
compared with each other, and the 说明 speaks about the first set.
"""

from __future__ import annotations

from semx.checks.view import TableView
from semx.tables.structure import MAIN_KINDS

SET_KINDS = frozenset(MAIN_KINDS)
TWO_SIDED = frozenset({"income_expenditure_summary", "fiscal_appropriation_summary"})


def table_sets(views: list[TableView]) -> list[list[TableView]]:
    """Tables grouped by the unit line printed above them; one without it joins the set before."""
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
