"""checklist.xlsx: the auditor's review workbook of a batch (绩效目标审核清单).

One sheet per document and a roll-up sheet (汇总). Rows are the four review points of the
绩效目标审核 practice (完整性 / 相关性 / 适当性 / 可行性) and under each the rules of the flag
registry that belong to it (semx/vocab/flags.py); columns say whether the document passes the
rule, what is wrong, which projects, where (页 / 行) and the strongest flag score. Below the rules,
every project's overall grade (优/良/中/差) with the points that drove it. Every text cell goes
through the formula guard (document text is untrusted), headers are frozen, filters set.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from semx.atomic import atomic_path
from semx.models import Flag, Line, ParsedDocument
from semx.report.applicability import not_applicable
from semx.report.cell_guard import neutralise
from semx.report.locate import PageOf, cite_pages, position, where
from semx.report.records import DocResult, ErrorRecord
from semx.report.scoring_notes import scoring_notes
from semx.report.view import ERROR_KIND_LABEL, ERROR_STAGE_LABEL, error_reason
from semx.vocab.flags import FLAGS, REVIEW_POINTS, FlagSpec

COLUMNS: list[tuple[str, int]] = [
    ("审核要点", 10),
    ("审核规则", 22),
    ("是否通过", 9),
    ("问题说明", 70),
    ("涉及项目", 36),
    ("位置（页/行）", 24),
    ("最高分数（0–1）", 13),
]
# Above the header row of a document sheet: which document the sheet judges (a printed sheet
# travels without its tab name). The header row comes after these rows and a blank one.
DOC_INFO: list[str] = ["文件", "类型", "年度", "单位", "来源页数"]
HEADER_ROW = len(DOC_INFO) + 2
GRADE_COLUMNS: list[str] = ["项目", "综合评级", "评级依据（全部扣分点）"]
ROLLUP_COLUMNS: list[tuple[str, int]] = [("审核要点", 10), ("审核规则", 22), ("未通过文件数", 12), ("问题数", 8)]
ERROR_COLUMNS: list[str] = ["文件", "阶段", "类型", "原因"]
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
# An Excel cell holds 32,767 characters: past that the reasons are cut with a pointer to the report
# (every reason is shown up to there: the auditor signs this sheet, and a "等N处" hides what to check).
CELL_LIMIT = 32_000


@dataclass
class RuleOutcome:
    spec: FlagSpec
    reasons: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    score: float = 0.0
    # why the rule cannot be judged on this document ("" when it can): passing a check that could
    # not be made would tell the auditor something false
    not_applicable: str = ""

    @property
    def passed(self) -> bool:
        return not self.reasons

    @property
    def verdict(self) -> str:
        if not self.passed:
            return "未通过"
        return "不适用" if self.not_applicable else "通过"

    def add(self, reason: str, project: str | None, lines: list[int], score: float) -> None:
        self.reasons.append(f"【{project}】{reason}" if project else reason)
        if project and project not in self.projects:
            self.projects.append(project)
        self.lines += [n for n in lines if n not in self.lines]
        self.score = max(self.score, score)


def _lines_in(text: str) -> list[int]:
    """Line numbers a project flag's reason cites ("第542、543行", "第538—549行")."""
    out: list[int] = []
    for m in re.finditer(r"第([\d、—\-]+)行", text):
        for part in re.split(r"[、]", m.group(1)):
            first = re.split(r"[—\-]", part)[0]
            if first.isdigit():
                out.append(int(first))
    return out


def outcomes(r: DocResult, lines: list[Line] | None = None, batch: Sequence[ParsedDocument] = ()) -> dict[str, RuleOutcome]:
    """Per registry code, what the document's result says about it (lines: its source lines, batch: the run's documents)."""
    out = {f.code: RuleOutcome(f) for f in FLAGS}

    def take(f: Flag, project: str, lines: list[int]) -> None:
        if f.code in out:
            out[f.code].add(f.reason, project, lines, f.score)

    for p in r.doc.projects:
        for ind in p.indicators:
            for f in ind.flags:
                take(f, p.name, [ind.line])
        for f in p.flags:
            take(f, p.name, _lines_in(f.reason) or [p.start_line])
    for t in r.doc.free_text_targets:
        for ind in t.indicators:
            for f in ind.flags:
                take(f, t.title, [ind.line])
    for finding in r.doc.findings:
        if finding.code in out:
            out[finding.code].add(finding.message, None, list(finding.lines), 1.0 if finding.severity == "error" else 0.7)
    for o in out.values():
        o.not_applicable = not_applicable(o.spec, r.doc, lines or [], batch or [r.doc])
    return out


def _fit(parts: list[str], sep: str, total: int) -> str:
    """Every part, or as many as one cell holds and how many are left out."""
    text = sep.join(parts)
    if len(text) <= CELL_LIMIT:
        return text
    kept: list[str] = []
    size = 0
    for part in parts:
        if size + len(part) + len(sep) > CELL_LIMIT - 80:
            break
        kept.append(part)
        size += len(part) + len(sep)
    return sep.join(kept) + f"{sep}……另{total - len(kept)}处超出单元格容量，见 report.html"


def _explain(o: RuleOutcome, page_of: PageOf) -> str:
    if o.passed:
        return o.not_applicable
    return _fit([cite_pages(r, page_of) for r in o.reasons], "\n", len(o.reasons))


def _text_lines(text: str, width: int, most: int = 6) -> int:
    """Lines a wrapped cell needs (a CJK character is about two width units)."""
    lines = sum(max(1, -(-len(part) * 2 // width)) for part in text.split("\n"))
    return max(1, min(most, lines))


def sheet_name(name: str, index: int, taken: set[str]) -> str:
    base = _SHEET_BAD.sub("_", name)[:26] or "文件"
    title = base
    if title in taken or title == "汇总":
        title = f"{base[:24]}_{index}"
    taken.add(title)
    return title


def doc_info(r: DocResult, lines: list[Line]) -> list[str]:
    """The values of DOC_INFO for one document, in order (a text source has no pages)."""
    d = r.doc
    pages = max((ln.page for ln in lines if ln.page is not None), default=None)
    return [r.name, d.kind or "（未识别）", f"{d.year} 年度" if d.year else "（未识别）", r.unit,
            f"{pages} 页" if pages else "无（文本文件，不分页）"]


def write_checklist(path: Path, results: list[DocResult], lines: Mapping[str, list[Line]],
                    errors: Sequence[ErrorRecord] = ()) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    fail_fill = PatternFill("solid", fgColor="F8CBAD")
    point_fill = PatternFill("solid", fgColor="DDEBF7")

    def put(ws: Any, row: int, col: int, value: Any) -> Any:
        if isinstance(value, str):
            value = neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
        cell = ws.cell(row=row, column=col, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever openpyxl would guess
        cell.alignment = wrap
        return cell

    def printable(ws: Any, header_row: int = 1) -> None:
        # the auditor hands the sheet in on paper: every column on one page across, landscape A4,
        # the header row repeated on each page
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{header_row}:{header_row}"

    def header(ws: Any, row: int, cols: list[tuple[str, int]]) -> None:
        for c, (name, width) in enumerate(cols, 1):
            put(ws, row, c, name).font = bold
            ws.column_dimensions[ws.cell(row=row, column=c).column_letter].width = width

    wb = Workbook()
    roll = wb.active
    roll.title = "汇总"
    taken: set[str] = {"汇总"}
    batch = [r.doc for r in results]
    per_doc = [(r, outcomes(r, lines.get(r.doc.sha256, []), batch)) for r in results]
    notes = scoring_notes(batch)

    for i, (r, outs) in enumerate(per_doc, 1):
        ws = wb.create_sheet(sheet_name(r.name, i, taken))
        doc_lines = lines.get(r.doc.sha256, [])
        for n, (label, value) in enumerate(zip(DOC_INFO, doc_info(r, doc_lines), strict=True), 1):
            put(ws, n, 1, label).font = bold
            put(ws, n, 2, value)
            ws.merge_cells(start_row=n, start_column=2, end_row=n, end_column=len(COLUMNS))
        header(ws, HEADER_ROW, COLUMNS)
        page_of = {ln.no: ln.page for ln in doc_lines if ln.page is not None}
        row = HEADER_ROW + 1
        for point in REVIEW_POINTS:
            under = [o for o in outs.values() if o.spec.point == point]
            failed = [o for o in under if not o.passed]
            put(ws, row, 1, point).font = bold
            put(ws, row, 2, f"{len(under)}条规则")
            put(ws, row, 3, "未通过" if failed else ("不适用" if all(o.not_applicable for o in under) else "通过"))
            put(ws, row, 4, "；".join(f"{o.spec.label}{len(o.reasons)}处" for o in failed))
            for c in range(1, len(COLUMNS) + 1):
                ws.cell(row=row, column=c).fill = point_fill
            row += 1
            for o in under:
                put(ws, row, 1, point)
                put(ws, row, 2, f"{o.spec.label}（{o.spec.code}）")
                put(ws, row, 3, o.verdict)
                explained = _explain(o, page_of)
                put(ws, row, 4, explained)
                put(ws, row, 5, "、".join(o.projects))
                put(ws, row, 6, _fit(where(o.lines, page_of).split("、"), "、", len(o.lines)) if o.lines else None)
                put(ws, row, 7, round(o.score, 3) if not o.passed else None)
                if not o.passed:
                    ws.cell(row=row, column=3).fill = fail_fill
                    # spreadsheet programs do not grow a row to wrapped text written by openpyxl
                    ws.row_dimensions[row].height = 15 * _text_lines(explained, COLUMNS[3][1], most=20)
                row += 1
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        printable(ws, HEADER_ROW)
        ws.auto_filter.ref = f"A{HEADER_ROW}:{ws.cell(row=row - 1, column=len(COLUMNS)).coordinate}"
        row += 1
        # the grade block reuses the wide columns: project under 审核规则, reasons under 问题说明
        put(ws, row, 1, "综合评级").font = bold
        for c, name in zip((2, 3, 4), GRADE_COLUMNS, strict=True):
            put(ws, row, c, name).font = bold
        put(ws, row, 6, "位置（页/行）").font = bold
        row += 1
        for p in r.doc.projects:
            reasons = "\n".join(cite_pages(g, page_of) for g in p.grade_reasons)
            put(ws, row, 2, p.name)
            put(ws, row, 3, p.grade or "未评")
            put(ws, row, 4, reasons)
            put(ws, row, 6, position(p.start_line, p.end_line, p.page, p.end_page))
            ws.row_dimensions[row].height = 15 * _text_lines(reasons, COLUMNS[3][1], most=8)
            row += 1
        # what the numbers on this sheet are (分数, 项目得分, the grade cut-offs), under the grades
        row += 1
        put(ws, row, 1, "说明").font = bold
        for note in notes.lines:
            put(ws, row, 4, note)
            row += 1

    # the document's whole name: two names that share their first characters stay apart
    cols = ROLLUP_COLUMNS + [(r.name, max(14, min(40, len(r.name) + 2))) for r, _ in per_doc]
    header(roll, 1, cols)
    row = 2
    for point in REVIEW_POINTS:
        for f in (f for f in FLAGS if f.point == point):
            per = [outs[f.code] for _, outs in per_doc]
            put(roll, row, 1, point)
            put(roll, row, 2, f"{f.label}（{f.code}）")
            put(roll, row, 3, sum(not o.passed for o in per))
            put(roll, row, 4, sum(len(o.reasons) for o in per))
            for c, o in enumerate(per, len(ROLLUP_COLUMNS) + 1):
                put(roll, row, c, o.verdict if o.passed else f"未通过（{len(o.reasons)}处）")
            row += 1
    roll.freeze_panes = "C2"
    printable(roll)
    roll.auto_filter.ref = f"A1:{roll.cell(row=max(row - 1, 1), column=len(cols)).coordinate}"
    # below the filtered rules: the files with no sheet of their own, and why (as in report.html)
    unread = [e for e in errors if e.fails_document or e.kind == "unsupported"]
    if unread:
        row += 1
        put(roll, row, 1, "未读取或处理失败的文件").font = bold
        row += 1
        for c, name in enumerate(ERROR_COLUMNS, 1):
            put(roll, row, c, name).font = bold
        row += 1
        for e in unread:
            put(roll, row, 1, Path(e.path).name)
            put(roll, row, 2, ERROR_STAGE_LABEL.get(e.stage, e.stage))
            put(roll, row, 3, ERROR_KIND_LABEL.get(e.kind, e.kind))
            put(roll, row, 4, error_reason(e) or e.message)
            row += 1

    with atomic_path(path) as tmp:
        wb.save(tmp)
