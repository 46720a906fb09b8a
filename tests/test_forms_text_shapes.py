"""Shapes of 绩效目标申报表 forms met in page texts of documents semx had not seen (pdfplumber's
extract_text of 2026 district budgets): the lines printed between the form's title and its 项目名称
row, the 项目总体目标 label's period note on a line of its own, goal cells exported with spreadsheet
quoting. Made-up projects and
figures, in the shape of those pages (cells apart by single spaces, one printed line a line).
"""

from __future__ import annotations

from semx.ingest import ingest_text
from semx.targets import parse_targets

# A table page before the forms, so that the text is known as one flattened with single spaces.
PAGE_HEAD = (
    "上海市某区2026年区级部门预算\n预算主管部门：某区市容管理局\n\f"
    "2026年部门支出预算总表\n编制部门：某区市容管理局 单位：元\n项目 支出预算\n"
    "功能分类科目编码\n功能分类科目名称 合计 基本支出 项目支出\n类 款 项\n"
    "212 城乡社区支出 1,300,000 1,000,000 300,000\n"
    "212 01 城乡社区管理事务 1,300,000 1,000,000 300,000\n"
    "212 01 04 城管执法 1,300,000 1,000,000 300,000\n"
    "合计 1,300,000 1,000,000 300,000\n\f"
)

# The form's title, its year line and, right above 项目名称, the head of 阶段性项目 wrapped in its cell.
FORM = (
    "财政项目支出绩效目标申报表\n"
    "（2026年度）\n"
    "阶段\n"
    "项目名称 市容巡查经费 项目性质 性项 项目类别 特定目标类\n"
    "目\n"
    "主管部门 某区市容管理局 实施单位 某区市容管理所\n"
    "计划开始日期 2024-01-01 计划完成日期 2026-12-31\n"
    "项目资金总额 900,000.00 年度资金申请总额 300,000.00\n"
    "其中：当年财政拨款 300,000.00\n"
    "其他资金 0.00 其他资金 0.00\n"
    "项目总体目标\n"
    "年度总体目标\n"
    "(2024 年-2026 年)\n"
    '"1.完成年度市容巡查任务。 "1.完成年度市容巡\n'
    "2.巡查问题当日处置。 查任务。\n"
    '" 2.巡查问题当日处置。"\n'
    "一级指标 二级指标 三级指标 年度(/项目)指标值\n"
    "数量指标 巡查次数 ≥200.00(次)\n"
    "产出指标 质量指标 问题处置率 ≥95.00(%)\n"
    "满意度指标 服务对象满意度指标 群众满意度 ≥90.00(%)\n"
)


def _parse(text: str):  # type: ignore[no-untyped-def]
    return parse_targets(ingest_text(PAGE_HEAD + text, path="form.txt"))


def test_lines_between_the_title_and_the_name_row_belong_to_the_form() -> None:
    (p,), _, warnings = _parse(FORM)
    assert p.name == "市容巡查经费"
    assert p.form_title == "财政项目支出绩效目标申报表"
    # the title, the year line and the value piece are the form's, not a table of their own
    assert [w.code for w in warnings if w.code.startswith("target_")] == []


def test_a_value_piece_without_a_title_above_is_not_taken_into_the_form() -> None:
    text = FORM.replace("财政项目支出绩效目标申报表\n（2026年度）\n", "某段说明文字，不是表题。\n")
    (p,), _, _ = _parse(text)
    assert p.form_title is None


def test_the_total_goal_label_note_is_no_goal_and_quoted_cells_lose_their_quotes() -> None:
    (p,), _, warnings = _parse(FORM)
    assert "goal_sides_not_separated" not in [w.code for w in warnings]
    assert p.total_goal == p.annual_goal == "1.完成年度市容巡查任务。2.巡查问题当日处置。"
    assert p.goals == ["完成年度市容巡查任务。", "巡查问题当日处置。"]
    assert [(i.level3, i.value.raw) for i in p.indicators] == [
        ("巡查次数", "≥200.00(次)"),
        ("问题处置率", "≥95.00(%)"),
        ("群众满意度", "≥90.00(%)"),
    ]
