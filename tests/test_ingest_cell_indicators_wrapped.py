"""A 绩效目标 form in one-cell-per-line text (PyMuPDF) where its labels and values
wrap: the outer label `绩效` / `指标`, a 2026 cost 二级 whose last word `成本指标` stands alone (and
is the only print of the 一级 beside it), a 二级 over three lines (`服务对象` / `满意度指` / `标`),
and a field's value wrapped before the next label (`…下立交工` / `程`).
Made-up rows in the shape of the 2026 Shanghai 申报表."""

from __future__ import annotations

from semx.ingest.cell_lines import read_cell_lines
from semx.ingest.text import text_lines

HEAD = "一级指标\n二级指标\n三级指标\n年度(/项目)指标值\n"


def _rows(text: str) -> list[list[str]]:
    return [ln.text.split("\t") for ln in read_cell_lines(text_lines(text))]


def test_outer_label_wrapped_over_two_lines() -> None:
    rows = _rows(HEAD + "绩效\n指标\n成本指标\n经济成本指标\n成本控制合理性\n合理\n"
                 "产出指标\n数量指标\n完成年度计划\n=100.00(%)\n")
    assert rows[1:] == [
        ["绩效指标", "成本指标", "经济成本指标", "成本控制合理性", "合理"],
        ["", "产出指标", "数量指标", "完成年度计划", "=100.00(%)"],
    ]


def test_cost_level2_wrapped_before_its_last_word_and_level2_over_three_lines() -> None:
    rows = _rows(HEAD + "生态环境\n成本指标\n文明施工情况\n可控\n产出指标\n数量指标\n道路建设长度\n985米\n"
                 "满意度指\n标\n服务对象\n满意度指\n标\n居民群众满意度\n≥90.00(%)\n")
    assert rows[1:] == [
        ["", "成本指标", "生态环境成本指标", "文明施工情况", "可控"],
        ["", "产出指标", "数量指标", "道路建设长度", "985米"],
        ["", "满意度指标", "服务对象满意度指标", "居民群众满意度", "≥90.00(%)"],
    ]


def test_a_value_before_a_cost_level1_is_not_joined_to_it() -> None:
    # `合规` then the 一级 成本指标 of the next block: no 二级 合规成本指标
    rows = _rows(HEAD + "产出指标\n数量指标\n规划面积\n合规\n成本指标\n经济成本指标\n预算控制\n合理\n")
    assert rows[1:] == [
        ["", "产出指标", "数量指标", "规划面积", "合规"],
        ["", "成本指标", "经济成本指标", "预算控制", "合理"],
    ]


def test_a_form_fields_wrapped_value_keeps_its_tail() -> None:
    rows = _rows("财政项目支出绩效目标申报表\n项目名称\n某某路下立交工\n程\n项目性质\n阶段性项\n目\n"
                 "主管部门\n上海市某某区建设和管\n理委员会\n实施单位\n上海市某某区市政工程建设中心\n")
    assert ["项目名称", "某某路下立交工程"] in rows
    assert ["主管部门", "上海市某某区建设和管理委员会"] in rows
    assert ["实施单位", "上海市某某区市政工程建设中心"] in rows
