"""Consistency checks: do the published figures add up, within and between tables and the 说明.

    check_document(doc, tables) -> list[Finding]   every finding, root causes first
    render_findings(findings, console)              the same as a rich table
"""

from semx.checks.document import check_document
from semx.checks.render import render_findings

__all__ = ["check_document", "render_findings"]
