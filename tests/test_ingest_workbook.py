"""XLSX and XLS input: a worksheet row is one line (cells joined by tabs, merged cells blank where they
continue, one-cell rows are prose), figures keep the sheet's decimals, and the later stages read
it like the PDF it was made from. Old Office files get a clear error."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from source_support import unpaged

from semx.ingest import IngestError, ingest, ingest_bytes
from semx.ingest.workbook import cell_text
from semx.pipeline import parse_source

ROOT = Path(__file__).resolve().parent.parent


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_from_lines(lines: list[str]) -> bytes:
    """One sheet a page-less document: a tab line's cells in columns; a prose line in column A,
    merged across the sheet as a title or heading typed into a workbook is."""
    wb = Workbook()
    ws = wb.active
    width = max(text.count("\t") + 1 for text in lines)
    for r, text in enumerate(lines, 1):
        cells = text.split("\t") if "\t" in text else [text]
        for c, cell in enumerate(cells, 1):
            if cell:
                ws.cell(r, c, cell).data_type = "s"  # "=100%" is printed text, not a formula
        if "\t" not in text and text and width > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    return _save(wb)


def test_cells_read_as_the_sheet_shows_them() -> None:
    assert cell_text(12.5, "0.00") == "12.50"
    assert cell_text(4412547, "#,##0.00") == "4,412,547.00"
    assert cell_text(3.0) == "3" and cell_text(0.1 + 0.2) == "0.3"
    assert cell_text(0.95, "0%") == "95%"
    assert cell_text(None) == "" and cell_text("产出\n指标") == "产出 指标"


def _tables(parsed: Any) -> list[tuple[Any, ...]]:
    # what a table says; where it ends and the header path above a column may differ (a note under
    # an empty table is prose in a workbook, a row in the PDF's text)
    return [(t.kind, t.title, t.columns, [(r.name, r.code, r.cells) for r in t.rows]) for t in parsed.tables]


@pytest.mark.parametrize("path", [
    "eval/corpus/000_0e92df39b5d37474.txt", "eval/corpus/002_c288364d933cd6f1.txt",
    "eval/corpus/003_151f06cdbfa3e50b.txt", "eval/corpus/004_b9d592c3cd286804.txt",
    "eval/shanghai/putuo_wanli_2023_dept.pdf", "eval/shanghai/putuo_justice_2026_unit.pdf",
])
def test_the_same_document_as_a_workbook_reads_the_same(path: str) -> None:
    """A workbook holding a document's table rows (cells in columns, prose lines merged across the
    sheet) gives the same tables, projects, indicators and findings."""
    src = ingest(ROOT / path)
    book = ingest_bytes(_xlsx_from_lines([ln.raw for ln in src.lines]), "x.xlsx")
    assert book.source == "workbook" and book.encoding == "xlsx" and book.layout == "tab"
    a, b = parse_source(src), parse_source(book)
    assert a.tables, "the source's tables are read"
    assert _tables(b) == _tables(a)
    for field in ("projects", "findings"):
        assert unpaged(b.model_dump(mode="json")[field]) == unpaged(a.model_dump(mode="json")[field]), field


def budget_workbook() -> Workbook:
    """A small departmental workbook: a 收支总表 sheet with figures formatted 0.00 and a merged
    title, and a 绩效目标表 sheet (also saved by LibreOffice as tests/data/office/budget_workbook.xls)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "表1"
    ws["A1"] = "某县农业农村局2024年部门预算收支总表"
    ws.merge_cells("A1:D1")
    ws["D2"] = "单位：万元"
    ws.append(["收入", "", "支出", ""])
    ws.append(["项目", "预算数", "项目", "预算数"])
    for row in (["一般公共预算拨款收入", 120.5, "农林水支出", 100.5], ["", None, "社会保障和就业支出", 20],
                ["收入总计", 120.5, "支出总计", 120.5]):
        ws.append(row)
    for r in range(5, 8):
        for c in ("B", "D"):
            ws[f"{c}{r}"].number_format = "0.00"
    ws2 = wb.create_sheet("绩效")
    ws2.append(["1、农技推广经费绩效目标表"])
    ws2.append(["项目名称", "农技推广经费", "", "", "", ""])
    ws2.append(["绩效目标", "1. 开展农技培训。2. 推广新品种。", "", "", "", ""])
    ws2.merge_cells("B3:F3")
    ws2.append(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"])
    ws2.append(["产出指标", "数量指标", "培训农户人次", "全年培训农户人次", "≥500 人次", "计划"])
    ws2.append(["", "成本指标", "培训成本", "全年培训费用", "≤8 万元", "预算"])
    ws2.append(["满意度指标", "服务对象满意度指标", "农户满意度", "参训农户满意程度", "≥90%", "调查"])
    return wb


def test_a_workbook_with_figures_merged_titles_and_a_sheet_a_table() -> None:
    wb = budget_workbook()
    doc = ingest_bytes(_save(wb), "农业.xlsx")
    texts = [ln.text for ln in doc.lines]
    assert texts[0] == "某县农业农村局2024年部门预算收支总表" and texts[1] == "单位：万元"
    assert "一般公共预算拨款收入\t120.50\t农林水支出\t100.50" in texts
    assert texts[texts.index("1、农技推广经费绩效目标表") - 1] == ""  # a blank line between sheets
    assert "绩效目标\t1. 开展农技培训。2. 推广新品种。\t\t\t\t" in texts
    parsed = parse_source(doc)
    assert [p.name for p in parsed.projects] == ["农技推广经费"]
    p = parsed.projects[0]
    assert [(i.level1, i.level3, i.value.raw) for i in p.indicators] == [
        ("产出指标", "培训农户人次", "≥500 人次"), ("产出指标", "培训成本", "≤8 万元"),
        ("满意度指标", "农户满意度", "≥90%")]
    assert parsed.tables and parsed.tables[0].printed_unit == "万元"


def test_an_empty_or_broken_workbook_and_old_office_files_say_what_they_are(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="empty XLSX"):
        ingest_bytes(_save(Workbook()), "e.xlsx")
    wb = Workbook()
    wb.active["A1"] = "x" * 50
    with pytest.raises(IngestError, match="broken XLSX") as info:
        ingest_bytes(_save(wb)[:2000], "t.xlsx")
    assert "\n" not in str(info.value)
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)  # no stream a reader knows
    with pytest.raises(IngestError, match=r"97-2003.*save it as \.docx"):
        ingest_bytes(ole2, "预算.doc")


OFFICE = ROOT / "tests" / "data" / "office"


def test_an_xls_saved_by_a_spreadsheet_program_reads_as_its_xlsx() -> None:
    """Excel 97-2003 files (xlrd): the same lines as the workbook they were saved from, merged
    title, figure decimals and all; and the same tables, projects and findings as the text."""
    xls = ingest(OFFICE / "budget_workbook.xls")
    assert xls.source == "workbook" and xls.encoding == "xls" and not xls.warnings
    assert [ln.text for ln in xls.lines] == [ln.text for ln in ingest_bytes(_save(budget_workbook()), "b.xlsx").lines]
    text = parse_source(ingest(ROOT / "eval" / "corpus" / "002_c288364d933cd6f1.txt"))
    book = parse_source(ingest(OFFICE / "hebei_002_workbook.xls"))
    assert text.tables and _tables(book) == _tables(text)
    for field in ("projects", "findings"):
        assert unpaged(book.model_dump(mode="json")[field]) == unpaged(text.model_dump(mode="json")[field]), field


def test_a_doc_or_a_damaged_xls_is_refused_with_what_to_do() -> None:
    xls = (OFFICE / "budget_workbook.xls").read_bytes()
    with pytest.raises(IngestError, match="broken XLS"):
        ingest_bytes(xls[:3000], "t.xls")
    # a Word 97-2003 document names its WordDocument stream
    doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "WordDocument".encode("utf-16-le") + bytes(500)
    with pytest.raises(IngestError, match=r"Word 97-2003.*save it as \.docx"):
        ingest_bytes(doc, "说明.doc")


def test_a_formula_never_calculated_reads_blank_and_is_said() -> None:
    """openpyxl, like other programs that write workbooks, stores a formula without its result."""
    wb = budget_workbook()
    wb["表1"]["D7"] = "=D5+D6"  # 支出总计 as a formula with no stored value
    doc = ingest_bytes(_save(wb), "f.xlsx")
    assert "收入总计\t120.50\t支出总计\t" in [ln.raw for ln in doc.lines]  # blank, never a guess
    assert [w.code for w in doc.warnings] == ["xlsx_uncomputed_formulas"] and "1 个公式单元格" in doc.warnings[0].message
    assert not ingest_bytes(_save(budget_workbook()), "b.xlsx").warnings
