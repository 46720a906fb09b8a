"""What an auditor holding the PDF finds in report.html and checklist.xlsx (issue 17 item 2, issue 18 item 3).

Scored from the real 万里街道 2023 PDF: every position is a page the auditor can open (checked
against the page the source line is on), never one of semx's internal line numbers; line
citations inside flag reasons and finding messages become pages; every flag shows its code and
score, project flags included (counted and in the filter); findings are named in Chinese; the
tables are listed with their pages; the checklist holds every reason, not the first five, the
roll-up names each document in full, each graded project has its position, and the sheet says
what its numbers mean.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from batch_support import ROOT, SAMPLES, run_semx
from openpyxl import load_workbook

from semx.ingest import ingest
from semx.report.checklist import HEADER_ROW
from semx.report.locate import cite_pages, position, where
from semx.vocab.findings import FINDING_LABELS, finding_label

WANLI = ROOT / "eval" / "shanghai" / "putuo_wanli_2023_dept.pdf"
JUSTICE = ROOT / "eval" / "shanghai" / "putuo_justice_2026_unit.pdf"
OFFICE = ROOT / "eval" / "shanghai" / "putuo_office_2025_dept.pdf"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("aud")
    corpus = base / "in"
    corpus.mkdir()
    # a long name sharing its first 20 characters with another: the roll-up must keep them apart
    shutil.copy(WANLI, corpus / WANLI.name)
    shutil.copy(JUSTICE, corpus / JUSTICE.name)
    shutil.copy(OFFICE, corpus / OFFICE.name)
    (corpus / "README.md").write_text("# 说明\n", encoding="utf-8")  # a file semx does not read: listed
    shutil.copy(SAMPLES[0], corpus / SAMPLES[0].name)
    out = base / "out"
    proc = run_semx("score", corpus, "--out", out, "--no-llm", "--no-embed", "-q")
    assert proc.returncode == 0, proc.stderr
    return out


def _page_of() -> dict[int, int | None]:
    return {ln.no: ln.page for ln in ingest(WANLI).lines}


def test_cite_pages_turns_line_citations_into_pages_and_leaves_text_sources_alone() -> None:
    page_of = {514: 34, 431: 32, 446: 32, 566: 3, 567: 3, 568: 4, 108: 11}
    assert cite_pages("（“家长及学生满意比例”满意率100%，第514行）", page_of) == "（“家长及学生满意比例”满意率100%，第 34 页）"
    assert cite_pages("绩效目标“管理各类下拨费用”；第431—446行）", page_of) == "绩效目标“管理各类下拨费用”；第 32 页）"
    assert cite_pages("产出指标共3个，第566、567、568行", page_of) == "产出指标共3个，第 3–4 页"
    assert cite_pages("支出总表第108行“2040601 行政运行”", page_of) == "支出总表第 11 页“2040601 行政运行”"
    # a text source (no pages) and a line without a page keep the line as written
    assert cite_pages("第514行", {}) == "第514行"
    assert cite_pages("第514、999行", page_of) == "第514、999行"
    assert position(426, 426, 31, 31) == "第 31 页" and position(426, 430, None, None) == "第 426–430 行"
    assert where([427, 428, 443], {427: 31, 428: 31, 443: 32}) == "第 31 页（2处）、第 32 页"
    assert where([544, 546], {}) == "第 544 行、第 546 行"


def test_every_check_code_has_a_chinese_name() -> None:
    import semx.checks as checks_pkg

    codes: set[str] = set()
    for path in Path(checks_pkg.__file__).parent.glob("*.py"):
        codes |= set(re.findall(r'^[A-Z_]*(?:CODE|MISSING_ROW) = "([A-Z_]+)"', path.read_text(encoding="utf-8"), re.MULTILINE))
    assert codes >= {"SUM_COLUMNS", "TABLE_MISSING", "CROSS_TABLE"}
    assert codes <= set(FINDING_LABELS), codes - set(FINDING_LABELS)
    assert finding_label("targets_amount") == "绩效目标覆盖金额不符"


def _doc_section(page: str, name: str) -> str:
    start = page.index(f"<h2>{name}")
    end = page.find('<section class="doc card"', start)
    return page[start:end if end != -1 else len(page)]


def test_report_positions_are_pages_the_auditor_can_open(run: Path) -> None:
    page = (run / "report.html").read_text(encoding="utf-8")
    wanli = _doc_section(page, WANLI.name)
    page_of = _page_of()
    rows = re.findall(r'<tr class="ind[^"]*"[^>]*>(.*?)</tr>', wanli, re.DOTALL)
    assert len(rows) == 65
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        assert re.fullmatch(r"第 \d+ 页", cells[-1].strip()), cells[-1]
    # 规划建筑面积 is on page 31 of the PDF, 补贴对象满意度 on page 32
    for name, want in (("规划建筑面积", 31), ("补贴对象满意度", 32), ("居民满意度", 31)):
        row = next(r for r in rows if f"<td>{name}" in r)
        assert re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)[-1].strip() == f"第 {want} 页"
    # a project's place is its page, not "原文第 414–430 行"
    assert "原文第 31 页" in wanli and not re.search(r"原文第 \d+–\d+ 行", wanli)
    # the reasons of goal_without_indicator and satisfaction_100 cite lines: on a PDF they say the page
    assert "第431—446行" not in wanli and "第514行" not in wanli
    assert "第 32 页）：表中找不到" in html.unescape(wanli) and "满意率100%，第 34 页）" in html.unescape(wanli)
    assert page_of[514] == 34 and page_of[431] == 32
    # a text source keeps its lines
    text_doc = _doc_section(page, SAMPLES[0].name)
    assert re.search(r'<td class="num">第 \d+ 行</td>', text_doc)


def test_report_flags_show_code_score_and_project_flags_are_findable(run: Path) -> None:
    page = (run / "report.html").read_text(encoding="utf-8")
    wanli = _doc_section(page, WANLI.name)
    # indicator flags: label, code and score visible (not only in a tooltip)
    assert re.search(r'<span class="flag"[^>]*>不可衡量</span> <code class="muted small">unmeasurable · 0\.\d\d</code>', wanli)
    # project flags: the same, and counted in the overview and offered in the filter
    assert re.search(r'<span class="flag"[^>]*>无成本指标</span> <code class="muted small">no_cost · 分数 0\.\d\d</code>', wanli)
    overview = page[page.index('id="overview"'):page.index('<section class="doc card"')]
    counts = overview[overview.index('id="flag-counts"'):]
    assert "no_cost" in counts and "goal_without_indicator" in counts and "satisfaction_100" in counts
    options = page[page.index('id="f-flag"'):page.index("</select>", page.index('id="f-flag"'))]
    assert 'value="no_cost"' in options and 'value="goal_without_indicator"' in options
    # what 分数 / 质量 / 项目得分 / 优良中差 mean, with the cut-offs in force
    assert 'id="scoring"' in overview and "≥85 为优" in overview and "标记分数（0–1）" in overview


def test_report_lists_tables_and_names_findings_in_chinese(run: Path) -> None:
    page = html.unescape((run / "report.html").read_text(encoding="utf-8"))
    wanli = _doc_section(page, WANLI.name)
    assert "数字表（9）" in wanli
    assert re.search(r"<td>2023年部门收入预算总表</td><td>元 .*?</td>\s*<td class=\"num\">67</td><td>第 11–14 页</td>", wanli)
    justice = _doc_section(page, JUSTICE.name)
    # SUM_COLUMNS is named, its amounts are said to be 万元, its place is the page, its cause is not an id
    assert "行内各栏合计不符" in justice and "应为（万元）" in justice
    assert "支出总表第 11 页“2040601 行政运行”" in justice and "第108行" not in justice
    assert "SUM_COLUMNS:expenditure_summary" not in justice and "由第 11 页的“行内各栏合计不符”错误引起" in justice
    # the table prints 元: the figure the message gives in 万元 (1434.89) is highlighted as printed
    assert "<mark>14,348,853.34</mark>" in justice
    # the forms print a 项目总目标 beside the 年度目标 (the same text in all five 2023 forms): the goal says so
    assert wanli.count("<b>绩效目标（项目总目标与年度目标相同）</b>") == 5
    # the form prints its money in 元: the 万元 figure says what was printed, so the auditor can find it
    assert "预算数 410.00 万元（表中印为 4,100,000.00 元）" in wanli
    # the 申报表 has no 指标值确定依据 column: the empty 依据 cell says so
    assert "表中无此栏" in wanli


def test_a_document_without_forms_says_why_it_has_no_projects(run: Path) -> None:
    page = html.unescape((run / "report.html").read_text(encoding="utf-8"))
    office = _doc_section(page, OFFICE.name)
    # its 七、绩效目标 only says 详见单位的项目绩效目标表 (page 22): the reading warnings are shown, placed
    assert "读取提示" in office and "详见单位的项目绩效目标表 <span class=\"muted\">（第 22 页）</span>" in office
    assert "没有读出项目绩效目标" in office


def test_files_not_read_are_listed_in_chinese(run: Path) -> None:
    page = html.unescape((run / "report.html").read_text(encoding="utf-8"))
    errors = page[page.index('id="errors"'):page.index("</table>", page.index('id="errors"'))]
    assert "README.md</td><td>查找文件</td><td>不支持的文件类型，未读取</td>" in errors


def test_a_different_total_goal_is_shown_above_the_annual_goal() -> None:
    from semx.pipeline import parse_file
    from semx.report.records import DocResult
    from semx.report.view import doc_view

    doc = parse_file(WANLI)
    p = doc.projects[0]
    doc = doc.model_copy(update={"projects": [p.model_copy(update={"total_goal": "三年内建成并投入使用。"})]})
    (view, *_) = doc_view(DocResult(doc, WANLI.name, "x.json"), []).projects
    assert view.total_goal == "三年内建成并投入使用。" and view.goals_label == "年度目标"


def test_checklist_for_a_pdf_cites_pages_and_keeps_every_reason(run: Path) -> None:
    wb = load_workbook(run / "checklist.xlsx")
    roll = [c.value for c in wb["汇总"][1]]
    assert WANLI.name in roll and JUSTICE.name in roll and SAMPLES[0].name in roll  # names in full
    ws = wb[WANLI.name]
    rows = list(ws.iter_rows(values_only=True))
    unmeasurable = next(r for r in rows if r[1] == "不可衡量（unmeasurable）")
    assert unmeasurable[2] == "未通过"
    assert unmeasurable[3].count("【") == 31 and "等共" not in unmeasurable[3]  # all 31, not 5
    assert "行" not in unmeasurable[5] and unmeasurable[5].startswith("第 31 页")
    sat = next(r for r in rows if r[1] == "满意度目标100%（satisfaction_100）")
    assert "第 34 页" in sat[3] and "第514行" not in sat[3] and sat[5] == "第 34 页"
    # each graded project: where it is, and every point that drove the grade
    graded = [r for r in rows if r[2] in ("优", "良", "中", "差")]
    assert len(graded) == 5 and all(re.fullmatch(r"第 \d+ 页", r[5]) for r in graded)
    various = next(r for r in graded if r[1] == "各类工作经费")
    assert various[5] == "第 34 页" and len(various[3].split("\n")) == 6
    assert any(r[0] == "说明" for r in rows) and any("≥85 为优" in str(r[3]) for r in rows)
    # printed, every column fits across one landscape page and the header repeats
    for sheet in wb.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        head = 1 if sheet.title == "汇总" else HEADER_ROW  # a document sheet names its document above the header
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows == f"${head}:${head}"
    # a text source keeps its lines in 位置
    text_rows = list(wb[SAMPLES[0].name].iter_rows(values_only=True))
    mis = next(r for r in text_rows if r[1] == "指标归类错误（misclassified）")
    assert re.match(r"第 \d+ 行、", mis[5]) and "等" not in mis[5]


def test_indicators_workbook_names_findings_in_chinese(run: Path) -> None:
    sheet = list(load_workbook(run / "indicators.xlsx")["一致性问题"].values)
    head = list(sheet[0])
    assert {"文件", "级别", "代码", "问题类型", "说明", "应为（万元）", "页码"} <= set(head)
    row = next(dict(zip(head, r, strict=True)) for r in sheet[1:] if r[head.index("代码")] == "SUM_COLUMNS")
    assert row["问题类型"] == "行内各栏合计不符" and row["级别"] == "错误" and row["文件"] == JUSTICE.name
