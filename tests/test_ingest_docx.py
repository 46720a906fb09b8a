"""DOCX input: paragraphs are lines, a table row is one line of cells, merged cells are blank
where they continue, and the later stages read it like any other source."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx_fixtures import INDICATORS, docx_from_lines, empty_docx, no_table_docx, project_docx
from source_support import unpaged

from semx.ingest import IngestError, ingest, ingest_bytes
from semx.pipeline import parse_source

ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = ROOT / "eval" / "shanghai"


def test_paragraphs_and_rows_in_document_order() -> None:
    doc = ingest_bytes(project_docx(), "p.docx")
    assert doc.source == "docx" and doc.encoding == "docx" and doc.layout == "tab" and doc.pages is None
    texts = [ln.text for ln in doc.lines]
    assert texts[0] == "某县人民政府办公室2022年部门预算信息公开"
    assert texts.index("1、会议保障经费绩效目标表") < texts.index("一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据")
    assert texts[-1] == "六、其他重要事项的情况说明"
    assert [ln.no for ln in doc.lines] == list(range(1, len(doc.lines) + 1))
    assert all(ln.page is None and ln.box is None for ln in doc.lines)


def test_merged_cells_are_blank_where_they_continue() -> None:
    doc = ingest_bytes(project_docx(), "p.docx")
    rows = [ln.text.split("\t") for ln in doc.lines if "\t" in ln.text]
    # The goal cell spans five columns: its text once, then blanks, still six cells.
    assert rows[0] == ["绩效目标", "1. 保障全年常务会议顺利召开。2. 提高会议组织效率。", "", "", "", ""]
    body = rows[2:]
    assert [r[0] for r in body] == [i[0] for i in INDICATORS]  # 产出指标 once, then blank below it
    assert all(len(r) == 6 for r in rows)


def test_a_docx_project_table_gives_the_project_and_its_indicators() -> None:
    doc = parse_source(ingest_bytes(project_docx(), "p.docx"))
    assert [p.name for p in doc.projects] == ["会议保障经费"]
    p = doc.projects[0]
    assert p.goals == ["保障全年常务会议顺利召开。", "提高会议组织效率。"]
    got = [(i.level1, i.level2, i.level3, i.value.raw) for i in p.indicators]
    want = [("产出指标" if not l1 else l1, l2, l3, v) for l1, l2, l3, _, v, _ in INDICATORS]
    assert got == want
    cost = p.indicators[3].value
    assert (cost.op, cost.number, cost.unit) == ("≤", 20, "万元")
    assert all(i.end_line == i.line and i.page is None for i in p.indicators)


def test_a_docx_without_tables_is_a_result_not_an_error() -> None:
    doc = parse_source(ingest_bytes(no_table_docx(), "n.docx"))
    assert doc.tables == [] and doc.projects == []
    assert doc.year == 2022


def test_empty_and_broken_docx_say_which() -> None:
    with pytest.raises(IngestError, match="empty DOCX"):
        ingest_bytes(empty_docx(), "e.docx")
    with pytest.raises(IngestError, match="broken DOCX") as info:
        ingest_bytes(project_docx()[:3000], "t.docx")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("name", ["putuo_wanli_2023_dept.pdf", "putuo_office_2025_dept.pdf"])
def test_the_same_document_as_pdf_and_as_docx_reads_the_same(name: str) -> None:
    """A DOCX holding the PDF's paragraphs and table rows (as a PDF-to-Word export would) gives
    the same lines, tables, projects and findings: only the page numbers are the PDF's own."""
    pdf = ingest(SHANGHAI / name)
    docx = ingest_bytes(docx_from_lines([ln.raw for ln in pdf.lines]), name.replace(".pdf", ".docx"))
    assert [ln.text for ln in docx.lines] == [ln.text for ln in pdf.lines]
    a, b = parse_source(pdf), parse_source(docx)
    assert a.tables, "the PDF's tables are read"
    for field in ("tables", "projects", "free_text_targets", "findings"):
        assert unpaged(b.model_dump(mode="json")[field]) == unpaged(a.model_dump(mode="json")[field]), field
    assert (b.year, b.unit_name) == (a.year, a.unit_name)


def test_a_docx_converted_from_pdf_is_read_and_says_its_cells_are_lost() -> None:
    """LibreOffice turns a PDF into positioned text boxes (tests/data/office/README.md): the text
    is read, never reported as an empty file, and the user is told to use the PDF for the tables."""
    doc = ingest(ROOT / "tests" / "data" / "office" / "wanli_pages_1_10_11_libreoffice.docx")
    texts = [ln.text for ln in doc.lines]
    assert "上海市普陀区2023年区级部门预算" in texts and "2023年部门收入预算总表" in texts
    assert not any("\t" in t for t in texts)
    assert [w.code for w in doc.warnings if w.code.startswith("docx")] == ["docx_text_boxes"]
    # Each box once: the VML copy Word keeps for old readers is not read a second time.
    assert texts.count("上海市普陀区2023年区级部门预算") == 1
    assert not any(w.code == "docx_text_boxes" for w in ingest_bytes(project_docx(), "p.docx").warnings)


def test_word_markup_content_controls_tracked_changes_and_line_breaks() -> None:
    from docx_fixtures import word_markup_docx

    lines = [ln.text for ln in ingest_bytes(word_markup_docx(), "w.docx").lines]
    # The contents in a content control are read; the tracked insertion is part of the text and
    # the deletion is not; a soft line break starts a new line; a tab stop definition adds no tab.
    assert lines == ["目录", "一、部门职责", "2022年部门预算支出120.00万元", "其中基本支出100.00万元", "项目支出20.00万元"]
