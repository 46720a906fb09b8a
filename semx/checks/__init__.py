"""Consistency checks: do the published figures add up, within and between tables and the 说明.

    check_document(doc, tables) -> list[Finding]   every finding, root causes first
    render_findings(findings, console)              the same for the terminal (rich)

A wrong figure is reported once, where it is printed; every other identity that fails
only because of it is a consequence (Finding.caused_by = the root finding's id). The
codes are listed in eval/findings.md. Modules: view/sides/figures read tables and the
说明; row_sums, hierarchy, parts, summaries check one table; crosstable/coded_compare
compare tables; prose_extract/prose_figures/prose check the 说明; completeness lists
missing tables; issues/sums/document hold the cause-tracking and the order of checks.
"""

from semx.checks.document import check_document
from semx.checks.render import render_findings

__all__ = ["check_document", "render_findings"]
