"""Chinese names of the consistency findings (semx/checks/), as an auditor reads them in a report.

The checks give each finding a stable code (SUM_COLUMNS, TABLE_MISSING, …) that scripts and
`--fail-on` rules match; the report shows this name beside it, so that a reader who does not know
the codes still sees what kind of disagreement a row is. A code of the flag registry (the
document-level review rules targets_amount, project_no_amount) is named there, not here.
"""

from __future__ import annotations

from semx.vocab.flags import FLAG_LABELS

FINDING_LABELS: dict[str, str] = {
    "SUM_COLUMNS": "行内各栏合计不符",
    "SUM_HIERARCHY": "上下级科目合计不符",
    "SUM_TOTAL_ROW": "合计行与各科目之和不符",
    "SUM_PARTS": "分项之和与合计不符",
    "QTY_PRICE": "数量×单价≠金额",
    "BALANCE": "收支总额不平衡",
    "CROSS_TABLE": "表间数字不一致",
    "CROSS_TABLE_ROW": "表间科目缺失",
    "TABLE_MISSING": "缺少公开表",
    "TABLES_ABSENT": "未找到数字表",
    "PROSE_TABLE": "说明与表格数字不一致",
    "PROSE_SUM": "说明中分项之和不符",
    "PROSE_SELF": "说明前后数字不一致",
    "PROSE_ITEMS_PARTIAL": "说明中分项不全",
    "PROSE_RUNNING_COSTS": "机关运行经费口径有误",
    "PROSE_THREE_PUBLIC_SCOPE": "“三公”经费口径有误",
}


def finding_label(code: str) -> str:
    """Chinese name of a finding code; the code itself for one not named anywhere."""
    return FINDING_LABELS.get(code) or FLAG_LABELS.get(code) or code
