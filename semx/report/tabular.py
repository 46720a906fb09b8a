"""indicators.jsonl, indicators.xlsx, findings.csv and errors.jsonl, all written atomically."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from semx.atomic import atomic_path, atomic_write_text
from semx.redact import redact
from semx.report.cell_guard import neutralise
from semx.report.records import DocResult, ErrorRecord, FindingRecord, IndicatorRecord
from semx.vocab.findings import finding_label

# (field, Chinese header, column width) — the spreadsheet is read by auditors, so headers are Chinese.
INDICATOR_COLUMNS: list[tuple[str, str, int]] = [
    ("document", "文件", 26),
    ("unit_name", "单位", 24),
    ("year", "年度", 6),
    ("project", "项目", 28),
    ("project_budget", "预算数(万元)", 11),
    ("project_grade", "项目等级", 7),
    ("origin", "来源", 8),
    ("level1", "一级指标", 10),
    ("level2", "二级指标", 14),
    ("level3", "三级指标", 28),
    ("value", "指标值", 14),
    ("flags", "标记", 22),
    ("flag_reasons", "原因", 50),
    ("flag_scores", "分数", 22),
    ("quality", "质量分", 7),
    ("basis", "指标值确定依据", 30),
    ("line", "原文行号", 8),
    ("page", "页码", 6),
    ("evidence", "原文摘录", 30),
]

FINDING_COLUMNS = list(FindingRecord.model_fields)
# findings.csv keeps the field names (scripts read it); the workbook is read by people: Chinese headers,
# the finding's kind named beside its code, and the severity in words
FINDING_HEADERS: dict[str, str] = {
    "document": "文件", "sha256": "文件指纹（SHA-256）", "unit_name": "单位", "year": "年度", "id": "编号",
    "code": "代码", "severity": "级别", "message": "说明", "tables": "涉及表", "lines": "原文行号",
    "expected": "应为（万元）", "actual": "实为（万元）", "difference": "差额（万元）", "caused_by": "由此问题引起",
    "evidence": "原文摘录", "pages": "页码",
}
SEVERITY_WORDS = {"error": "错误", "warning": "警告", "info": "提示"}
ORIGIN_LABEL = {"table": "绩效目标表", "free_text": "文本(LLM)"}


def write_jsonl(path: Path, rows: Iterable[IndicatorRecord] | Iterable[ErrorRecord]) -> None:
    """One record a line, written as they come: the whole file is never one string in memory (issue 20).
    Each line is redacted on its own, as atomic_write_text would the whole text: a record is one
    line, so no secret or key-shaped string can span two."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(redact(r.model_dump_json()) + "\n" for r in rows)


def spreadsheet_safe(value: Any) -> Any:
    """CSV and XLSX cells through the one formula guard (report/cell_guard.py); numbers pass as they are."""
    return neutralise(value) if isinstance(value, str) else value


def write_findings_csv(path: Path, rows: list[FindingRecord]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FINDING_COLUMNS)
    for r in rows:
        d = r.model_dump()
        w.writerow([spreadsheet_safe("" if d[c] is None else d[c]) for c in FINDING_COLUMNS])
    # BOM so that Excel recognises UTF-8 and shows the Chinese text.
    atomic_write_text(path, "\ufeff" + buf.getvalue())


def _cell_text(field: str, value: Any) -> Any:
    if value is None:
        return None
    if field == "origin":
        return ORIGIN_LABEL.get(value, value)
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in value.items())
    return value


def write_indicators_xlsx(path: Path, indicators: Iterable[IndicatorRecord], findings: list[FindingRecord],
                          docs: list[DocResult]) -> None:
    # Imported here: openpyxl is only needed when a report is written.
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    def put(ws: Any, value: Any, **style: Any) -> Any:
        if isinstance(value, str):
            value = spreadsheet_safe(ILLEGAL_CHARACTERS_RE.sub("", value))
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            # openpyxl turns a string starting with "=" into a formula; document text never is one.
            cell.data_type = "s"
        for name, v in style.items():
            setattr(cell, name, v)
        return cell

    # Write-only: rows go to the file as they are appended, so the workbook of a large batch is
    # never all in memory (issue 20: ~1.4 MB a document). Widths and frozen panes must be set
    # before the first row; the filter's range is the sheet's, counted here.
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    flagged_fill = PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")

    def sheet(title: str, widths: list[int] | None = None) -> Any:
        ws = wb.create_sheet(title)
        for c, width in enumerate(widths or [], 1):
            ws.column_dimensions[get_column_letter(c)].width = width
        return ws

    ws = sheet("指标", [width for _, _, width in INDICATOR_COLUMNS])
    ws.freeze_panes = "A2"
    ws.append([put(ws, header, font=bold) for _, header, _ in INDICATOR_COLUMNS])
    rows = 1
    for rec in indicators:
        d = rec.model_dump()
        style: dict[str, Any] = {"alignment": wrap, **({"fill": flagged_fill} if rec.flags else {})}
        ws.append([put(ws, _cell_text(field, d[field]), **style) for field, _, _ in INDICATOR_COLUMNS])
        rows += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(INDICATOR_COLUMNS))}{rows}"

    wf = sheet("一致性问题")
    wf.freeze_panes = "A2"
    headers = [FINDING_HEADERS.get(n, n) for n in FINDING_COLUMNS]
    kind_at = FINDING_COLUMNS.index("code") + 1  # 问题类型 right after 代码
    headers.insert(kind_at, "问题类型")
    wf.append([put(wf, name, font=bold) for name in headers])
    for frec in findings:
        fd = frec.model_dump()
        fd["severity"] = SEVERITY_WORDS.get(fd["severity"], fd["severity"])
        values = [fd[name] for name in FINDING_COLUMNS]
        values.insert(kind_at, finding_label(frec.code))
        wf.append([put(wf, v) for v in values])
    wf.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(findings) + 1}"

    wd = sheet("文件")
    wd.append([put(wd, name, font=bold) for name in ["文件", "单位", "年度", "项目数", "一致性问题数", "结果文件"]])
    for res in docs:
        values = [res.name, res.unit, res.doc.year, len(res.doc.projects), len(res.doc.findings), res.result_file]
        wd.append([put(wd, v) for v in values])

    with atomic_path(path) as tmp:
        wb.save(tmp)
