"""Check 5: which standard tables a document with a table block leaves out.

A table printed empty (注：无…，空表列示) is present. A document that prints no budget
table at all gets one notice, not one finding per table. The 政府采购 and 固定资产 tables
belong to sections 六 and 七 of the 说明, so they are expected only where those sections are.
"""

from __future__ import annotations

import re

from semx.checks.issues import Issue
from semx.checks.view import kind_name
from semx.models import SourceDocument, Table
from semx.tables.structure import MAIN_KINDS
from semx.tables.titles import FINAL_TITLES

MISSING_CODE = "TABLE_MISSING"
ABSENT_CODE = "TABLES_ABSENT"

MAIN_TABLES = MAIN_KINDS
_FINAL_NAMES: dict[str, str] = {str(k): v for k, v in FINAL_TITLES.items()}
# Tables printed inside a section of the 说明: kind -> section key.
SECTION_TABLES = {"government_procurement": "procurement", "fixed_assets": "assets"}


_TABLE_REF = re.compile(r"见.{0,20}表|下表|附表|表[:：]|^\S{0,40}表$")


def _points_at_table(doc: SourceDocument, start: int, end: int) -> bool:
    """The section's body (heading excluded) has table rows or mentions a table (见下表, 附表)."""
    body = [ln.text for ln in doc.lines if start < ln.no <= end]
    return any("\t" in t.strip() or _TABLE_REF.search(t.strip()) for t in body) or not body


def check_completeness(doc: SourceDocument, tables: list[Table]) -> list[Issue]:
    present = {t.kind for t in tables}
    if not present & set(MAIN_TABLES):
        line = next((s.start_line for s in doc.sections if s.key == "tables"), None)
        return [Issue(
            code=ABSENT_CODE,
            severity="info",
            message="文件中没有部门预算公开表（收支总表、收入总表、支出总表等），表间核对无法进行，只核对了说明中的数字",
            key="document",
            lines=[line] if line else [],
        )]
    anchor = min((t.start_line for t in tables if t.kind in MAIN_TABLES), default=0)
    expected: list[tuple[str, int]] = [(kind, anchor) for kind in MAIN_TABLES]
    # 决算 (final accounts) publish procurement and assets in prose: the section tables are a
    # budget template's rule; so is a section that states its figures in sentences without
    # pointing at a table (上海: 五、国有资产占有使用情况 — 共有车辆0辆 …)
    final = any("决算" in t.title for t in tables)
    for kind, section_key in SECTION_TABLES.items():
        section = next((s for s in doc.sections if s.key == section_key), None)
        if section is not None and not final and _points_at_table(doc, section.start_line, section.end_line):
            expected.append((kind, section.start_line))
    return [
        Issue(
            code=MISSING_CODE,
            severity="warning",
            message=f"缺少{_FINAL_NAMES.get(kind, kind_name(kind)) if final else kind_name(kind)}：既未列出，也未注明空表",
            key=kind,
            tables=[kind],
            lines=[line] if line else [],
        )
        for kind, line in expected
        if kind not in present
    ]
