"""check_document: run every check on one document in the order that lets causes be found first.

Within a coded table the leaf rows are checked across (合计 = 基本 + 项目) before the
hierarchy, and the parent rows after it, so that a wrong figure is reported where it
is printed and every identity that fails only because of it is a consequence. Tables
come before comparisons between tables, and those before the 说明.
"""

from __future__ import annotations

from semx.checks.completeness import check_completeness
from semx.checks.crosstable import check_cross_table
from semx.checks.hierarchy import check_hierarchy, children_map
from semx.checks.identities import (
    check_fixed_assets,
    check_procurement,
    check_rows,
    check_three_public,
    check_two_sided,
)
from semx.checks.issues import Issue, Ledger, finalise
from semx.checks.prose import check_prose
from semx.checks.prose_extract import extract_facts
from semx.checks.view import TableView, views
from semx.models import Finding, SourceDocument, Table

_TWO_SIDED = ("income_expenditure_summary", "fiscal_appropriation_summary")


def check_table(view: TableView, ledger: Ledger) -> list[Issue]:
    """Identities inside one table."""
    if view.table.empty or not view.rows:
        return []
    everything = list(range(len(view.rows)))
    if view.kind in _TWO_SIDED:
        return check_rows(view, ledger, everything) + check_two_sided(view, ledger)
    if view.kind == "three_public_expenditure":
        return check_rows(view, ledger, everything) + check_three_public(view, ledger)
    if view.kind == "fixed_assets":
        return check_fixed_assets(view, ledger)
    if view.kind == "government_procurement":
        return check_rows(view, ledger, everything) + check_procurement(view, ledger)
    if view.kind == "institutions":
        return []
    parents = children_map(view)
    leaves = [i for i in everything if i not in parents]
    ordered_parents = [i for i in everything if i in parents]
    return check_rows(view, ledger, leaves) + check_hierarchy(view, ledger) + check_rows(view, ledger, ordered_parents)


def check_document(doc: SourceDocument, tables: list[Table]) -> list[Finding]:
    """All consistency findings of a document, root causes first, each followed by its consequences."""
    ledger = Ledger()
    all_views = views(tables)
    issues: list[Issue] = []
    for view in all_views:
        issues += check_table(view, ledger)
    issues += check_cross_table(all_views, ledger)
    issues += check_prose(extract_facts(doc), all_views, ledger)
    issues += check_completeness(doc, tables)
    return finalise(issues)
