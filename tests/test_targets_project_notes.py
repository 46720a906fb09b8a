"""项目经费情况说明 sections (Shanghai template): their 绩效目标 part as a project-level free-text target.

Counts on the five Shanghai PDFs were read off the pages: only 万里街道 2023 (p. 30) and 区政府办公室
2025 (p. 22) print such a section; 万里's 绩效目标 part is prose, 办公室's only points at the form.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from semx.ingest import ingest, ingest_text
from semx.models import FreeTextTarget, Project, Warning_
from semx.pipeline import parse_file
from semx.targets import parse_targets
from semx.targets.project_notes import parse_project_notes

SHANGHAI = Path(__file__).resolve().parent.parent / "eval" / "shanghai"


@cache
def _targets(name: str) -> tuple[list[Project], list[FreeTextTarget], list[Warning_]]:
    return parse_targets(ingest(SHANGHAI / name))


@pytest.mark.parametrize(
    ("name", "count", "pointers"),
    [
        ("putuo_wanli_2023_dept.pdf", 1, 0),
        ("putuo_office_2025_dept.pdf", 0, 1),
        ("putuo_commerce_2025_unit.pdf", 0, 0),
        ("putuo_justice_2026_unit.pdf", 0, 0),
        ("putuo_finance_2024_final_testvariant.pdf", 0, 0),
    ],
)
def test_shanghai_section_counts(name: str, count: int, pointers: int) -> None:
    _, free, warnings = _targets(name)
    assert len(free) == count
    assert sum(w.code == "project_note_goal_in_form" for w in warnings) == pointers
    assert not [w for w in warnings if w.code == "project_note_no_goal"]
    # The department's 绩效目标设置情况 paragraph (a count of projects) is never a target.
    assert not [t for t in free if "编报绩效目标的项目" in t.goal_text]


def test_wanli_section_is_a_linked_project_target() -> None:
    projects, free, _ = _targets("putuo_wanli_2023_dept.pdf")
    (t,) = free
    # The bare heading names no project: the title comes from 一、项目概况, the link from the form
    # whose 项目名称 (新建万里街道社区公共服务中心) is worded differently.
    assert t.title == "万里街道社区公共服务中心新建工程"
    assert t.level == "project"
    assert t.linked_project == "新建万里街道社区公共服务中心"
    assert t.linked_project in [p.name for p in projects]
    assert t.goal_text.startswith("建成后作为万里街道社区事务受理")
    assert t.goal_text.endswith("为周边居民提供便捷、优质的社区服务和生活配套设施。")
    assert "第一季度用款计划" not in t.goal_text and "财政项目支出" not in t.goal_text
    assert t.indicator_text == ""
    assert t.goal_lines is not None and t.goal_lines[0] > t.start_line


def test_wanli_pages_in_parsed_document() -> None:
    doc = parse_file(SHANGHAI / "putuo_wanli_2023_dept.pdf")
    (t,) = doc.free_text_targets
    assert (t.page, t.end_page) == (30, 30)


def test_office_pointer_names_the_heading_project() -> None:
    _, _, warnings = _targets("putuo_office_2025_dept.pdf")
    (w,) = [w for w in warnings if w.code == "project_note_goal_in_form"]
    assert "区政府督查及建议提案工作业务经费" in w.message


_SECTION = (
    "七、项目经费情况说明……………………12\n"
    "四、绩效目标设置情况\n"
    "本部门编报绩效目标的项目3个，涉及项目预算资金100万元。\n"
    "五、国有资产占有使用情况\n"
    "截至2024年8月31日，共有车辆0辆。\n"
    "{heading}\n"
    "一、项目概况\n"
    "{overview}\n"
    "二、立项依据\n"
    "区政府文件。\n"
    "六、年度预算安排\n"
    "2025年度预算安排50万元。\n"
    "{goal}\n"
    "八、其他\n"
    "不属于绩效目标的段落。\n"
)


def _parse(heading: str, goal: str, overview: str = "本项目用于社区服务。", projects: list[Project] | None = None
           ) -> tuple[list[FreeTextTarget], list[Warning_]]:
    text = _SECTION.format(heading=heading, overview=overview, goal=goal)
    doc = ingest_text(text, path="x.txt")
    free, warnings, _ = parse_project_notes(doc, [], projects or [])
    return free, warnings


def test_named_heading_with_quantified_goal() -> None:
    free, warnings = _parse("社区食堂建设项目经费情况说明", "七、绩效目标\n新建社区食堂2家，\n服务老人不少于500人次。")
    (t,) = free
    assert (t.title, t.level, t.goal_text) == ("社区食堂建设", "project", "新建社区食堂2家，\n服务老人不少于500人次。")
    assert (t.start_line, t.end_line, t.goal_lines) == (6, 15, (14, 15))
    assert t.linked_project is None and warnings == []


def test_inline_goal_and_link_by_name() -> None:
    form = Project(name="社区食堂建设", start_line=30, end_line=40)
    free, _ = _parse("社区食堂建设项目经费情况说明", "七、绩效目标：新建社区食堂2家。", projects=[form])
    assert [(t.goal_text, t.linked_project) for t in free] == [("新建社区食堂2家。", "社区食堂建设")]


def test_bare_heading_linked_by_name_in_prose() -> None:
    forms = [Project(name="拆违经费", start_line=30, end_line=40), Project(name="社区食堂建设", start_line=50, end_line=60)]
    free, _ = _parse("项目经费情况说明", "七、绩效目标\n全年拆除违法建筑5万平方米。",
                     overview="本年度拆违经费用于违法建筑治理。", projects=forms)
    (t,) = free
    assert (t.title, t.linked_project) == ("拆违经费", "拆违经费")


def test_bare_heading_without_form_keeps_overview_name() -> None:
    free, _ = _parse("项目经费情况说明", "七、绩效目标\n按期完工。",
                     overview="由区建设中心建设的真如路改建工程，位于普陀区。")
    assert [(t.title, t.linked_project) for t in free] == [("真如路改建工程", None)]


def test_pointer_goal_is_a_warning_not_a_target() -> None:
    free, warnings = _parse("社区食堂建设项目经费情况说明", "七、绩效目标\n（包括总目标、年度目标、分解目标等，具体见表格）")
    assert free == []
    assert [(w.code, w.line) for w in warnings] == [("project_note_goal_in_form", 13)]


def test_section_without_goal_part_is_reported() -> None:
    free, warnings = _parse("社区食堂建设项目经费情况说明", "七、实施周期\n2025全年。")
    assert free == [] and [w.code for w in warnings] == ["project_note_no_goal"]


def test_table_of_contents_and_department_paragraph_are_not_sections() -> None:
    doc = ingest_text(_SECTION.format(heading="八、其他说明", overview="无。", goal="七、绩效目标\n无。"), path="x.txt")
    assert parse_project_notes(doc, [], []) == ([], [], [])


def test_labelled_goal_inside_a_section_is_read_once() -> None:
    text = _SECTION.format(heading="社区食堂建设项目经费情况说明", overview="本项目用于社区服务。",
                           goal="七、绩效目标\n绩效目标：新建社区食堂2家。")
    _, free, _ = parse_targets(ingest_text(text, path="x.txt"))
    assert [(t.title, t.level) for t in free] == [("社区食堂建设", "project")]


def test_inline_overview_names_the_project_and_project_goal_heading() -> None:
    text = ("部门预算 万元 支出\n项目经费情况说明\n一、项目概况：由区建设中心建设的真如路改建工程，位于普陀区。\n"
            "七、项目绩效目标：按期完工。\n")
    free, _, _ = parse_project_notes(ingest_text(text, path="x.txt"), [], [])
    assert [(t.title, t.goal_text) for t in free] == [("真如路改建工程", "按期完工。")]


def test_page_number_skipped_and_table_row_ends_the_goal() -> None:
    free, _ = _parse("社区食堂建设项目经费情况说明", "七、绩效目标\n新建社区食堂2家，\n- 31 -\n服务老人500人次。\n项目名称\t社区食堂建设\t项目性质")
    assert [t.goal_text for t in free] == ["新建社区食堂2家，\n服务老人500人次。"]


# Pages 29–31 of 万里街道 2023: the 绩效目标设置情况 paragraph, the section and the form after it.
WANLI_PAGES = [29, 30, 31]


@pytest.mark.parametrize("variant", ["pdftotext_layout", "pdftotext_raw", "pdfplumber_text", "pdfplumber_layout",
                                     "pdfium_text", "tsv"])
def test_wanli_section_through_text_extractions(variant: str) -> None:
    from variant_support import _MAKER  # the maker of the committed text-variant fixtures

    text = _MAKER.make("wanli", SHANGHAI / "putuo_wanli_2023_dept.pdf", WANLI_PAGES, variant)  # type: ignore[attr-defined]
    if text is None:
        pytest.skip(f"{variant}: extractor not installed")
    _, free, _ = parse_targets(ingest_text(text, path=f"wanli.{variant}.txt"))
    _, (ref,), _ = _targets("putuo_wanli_2023_dept.pdf")
    (t,) = free
    assert (t.title, t.level) == (ref.title, ref.level)
    assert re.sub(r"\s", "", t.goal_text) == re.sub(r"\s", "", ref.goal_text)


def test_wrapped_heading() -> None:
    free, _ = _parse("兰溪路-真南路下立交工程项目经费情况说\n明", "七、绩效目标\n2026年完成隧道主体结构。")
    assert [(t.title, t.start_line) for t in free] == [("兰溪路-真南路下立交工程", 6)]
