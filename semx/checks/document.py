"""check_document: run every check on one document in the order that lets causes be found first.

Within a coded table the leaf rows are checked across (合计 = 基本 + 项目) before the
hierarchy, and the parent rows after it, so that a wrong figure is reported where it
is printed and every identity that fails only because of it is a consequence. Tables
come before comparisons between tables, and those before the 说明.
"""

from __future__ import annotations

from collections.abc import Callable

from semx.checks.completeness import check_completeness
from semx.checks.crosstable import check_cross_table
from semx.checks.hierarchy import check_hierarchy, children_map
from semx.checks.issues import Issue, Ledger, finalise
from semx.checks.parts import check_fixed_assets, check_procurement, check_tree, three_public_tree
from semx.checks.prose import check_prose
from semx.checks.prose_extract import extract_facts
from semx.checks.prose_items import check_items
from semx.checks.row_sums import check_rows
from semx.checks.sets import TWO_SIDED, document_tables
from semx.checks.summaries import check_two_sided
from semx.checks.view import TableView, views
from semx.models import Finding, SourceDocument, Table


def check_table(view: TableView, ledger: Ledger) -> list[Issue]:
    """Identities inside one table."""
    if view.table.empty or not view.rows:
        return []
    everything = list(range(len(view.rows)))
    if view.kind in TWO_SIDED:
        return check_rows(view, ledger, everything) + check_two_sided(view, ledger)
    if view.kind == "three_public_expenditure":
        return _rows_and_tree(view, ledger, three_public_tree(view), check_tree)
    if view.kind == "fixed_assets":
        return check_fixed_assets(view, ledger)
    if view.kind == "government_procurement":
        return check_rows(view, ledger, everything) + check_procurement(view, ledger)
    if view.kind == "institutions":
        return []
    return _rows_and_tree(view, ledger, children_map(view), lambda v, led, _: check_hierarchy(v, led))


def _rows_and_tree(view: TableView, ledger: Ledger, tree: dict[int, list[int]],
                   check_down: Callable[[TableView, Ledger, dict[int, list[int]]], list[Issue]]) -> list[Issue]:
    """Across the leaf rows, then down the tree, then across the parent rows."""
    parent_of = {child: parent for parent, children in tree.items() for child in children}
    leaves = [i for i in range(len(view.rows)) if i not in tree]
    parents = [i for i in range(len(view.rows)) if i in tree]
    across_leaves = check_rows(view, ledger, leaves, parent_of)
    return across_leaves + check_down(view, ledger, tree) + check_rows(view, ledger, parents)


def check_document(doc: SourceDocument, tables: list[Table]) -> list[Finding]:
    """All consistency findings of a document, root causes first, each followed by its consequences."""
    ledger = Ledger()
    all_views = views(tables)
    issues: list[Issue] = []
    # the two-sided summaries last: a difference from the detailed tables tells which of
    # their figures is the misprint before their own sums are judged
    for view in all_views:
        if view.kind not in TWO_SIDED:
            issues += check_table(view, ledger)
    issues += check_cross_table(all_views, ledger)
    for view in all_views:
        if view.kind in TWO_SIDED:
            issues += check_table(view, ledger)
    issues += check_prose(extract_facts(doc), document_tables(all_views), ledger)
    issues += check_items(doc, document_tables(all_views), ledger)
    issues += check_completeness(doc, tables)
    return finalise(issues)
