"""Indicator tables of other templates, known by their header words, not by their title.

The documents in tests/data/templates/ are synthetic (invented projects and figures), each in the
shape of a template semx had not been shown: the comparator and the unit in columns of their own
(指标性质 | 指标值 | 度量单位), 定性 values, 评(扣)分标准 / 指标值说明 columns, categories printed as
row groups under a 绩效指标 | 指标名称 | 目标值 header, the same columns inside a 申报表 form, and
a table with only two category columns, one step off from their headers.
Every row is checked whole: 一级, 二级, 三级, op, number, unit.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from semx.ingest import ingest, ingest_text
from semx.models import Project
from semx.targets import parse_targets
from semx.targets.indicator_rows import split_merged_header
from semx.targets.values import compose_value
from semx.vocab.indicator_columns import header_role, is_indicator_header

DATA = Path(__file__).resolve().parent / "data" / "templates"

Row = tuple[str | None, str | None, str, str | None, str | None, str | None]

OUT, BEN, SAT = "产出指标", "效益指标", "满意度指标"
NUM, QUAL, TIME, COST = "数量指标", "质量指标", "时效指标", "成本指标"
SOC, SUS, SERV = "社会效益指标", "可持续影响指标", "服务对象满意度指标"

EXPECTED: dict[str, tuple[str, str, list[Row]]] = {
    "op_unit_columns.txt": (
        "青禾镇农村饮水管网巡检维护",
        "project",
        [
            (OUT, NUM, "巡检村数", "≥", "12", "个"),
            (OUT, NUM, "维修管网长度", "≥", "3.5", "公里"),
            (OUT, QUAL, "维修验收合格率", "=", "100", "%"),
            (OUT, TIME, "故障响应时间", "≤", "24", "小时"),
            (OUT, COST, "巡检维护成本", "≤", "48.6", "万元"),
            (BEN, SOC, "供水保障水平", None, None, None),
            (BEN, SUS, "管网漏损率", "<", "8", "%"),
            (SAT, SERV, "村民满意度", "≥", "90", "%"),
        ],
    ),
    "nature_column.txt": (
        "清溪街道老年助餐服务补贴",
        "project",
        [
            (OUT, NUM, "助餐服务人次", "≥", "15000", "人次"),
            (OUT, QUAL, "补贴发放准确率", "=", "100", "%"),
            (OUT, TIME, "补贴发放及时性", None, None, None),
            (BEN, SOC, "老年人就餐便利程度", None, None, None),
            (SAT, SERV, "助餐老人满意度", "≥", "90", "%"),
        ],
    ),
    "row_groups.txt": (
        "部门整体支出",
        "department",
        [
            (OUT, NUM, "档案数字化页数", "≥", "60", "万页"),
            (OUT, NUM, "开放档案件数", "≥", "1800", "件"),
            (OUT, QUAL, "数字化差错率", "≤", "0.5", "%"),
            (OUT, TIME, "查档办结时限", "≤", "3", "个工作日"),
            (BEN, SOC, "年接待查档人次", "≥", "2400", "人次"),
            (SAT, SERV, "查档群众满意度", "≥", "95", "%"),
        ],
    ),
    # the same with numbered groups (`（二）效益指标`): rows of the table, not a heading that ends it
    "row_groups_numbered.txt": (
        "部门整体支出",
        "department",
        [
            (OUT, NUM, "档案数字化页数", "≥", "60", "万页"),
            (OUT, NUM, "开放档案件数", "≥", "1800", "件"),
            (OUT, QUAL, "数字化差错率", "≤", "0.5", "%"),
            (OUT, TIME, "查档办结时限", "≤", "3", "个工作日"),
            (BEN, SOC, "年接待查档人次", "≥", "2400", "人次"),
            (SAT, SERV, "查档群众满意度", "≥", "95", "%"),
        ],
    ),
    # 一级指标 | 二级指标 | 绩效标准 | 当年预期实现值 with no 三级 column: the 一级 column holds the
    # 二级 words and the 二级 column the names; the 一级 that is not printed stays None. The title
    # names no project (2025年部门预算项目支出): the 项目名称 cell does.
    "two_levels.txt": (
        "南湖片区路灯运行维护",
        "project",
        [
            (None, NUM, "维护路灯盏数", None, "1260", "盏"),
            (None, NUM, "更换灯具数量", "≥", "150", "套"),
            (None, QUAL, "亮灯率", "≥", "98", "%"),
            (None, TIME, "故障修复时限", "≤", "48", "小时"),
            (None, COST, "单盏年维护费用", "≤", "495", "元"),
            (None, SOC, "夜间出行安全", None, None, None),
            (SAT, None, "周边居民满意度", "≥", "90", "%"),
        ],
    ),
    # the header over two rows: 绩效指标 | | | 指标性质 | 指标值 | 度量单位 above 一级指标 | 二级指标 | 三级指标
    "two_row_header.txt": (
        "城南片区垃圾分类宣传督导",
        "project",
        [
            (OUT, NUM, "入户宣传户数", "≥", "8600", "户"),
            (OUT, NUM, "督导点位数", "=", "42", "个"),
            (OUT, TIME, "督导覆盖时段", None, None, None),
            (BEN, "生态效益指标", "分类投放准确率", "≥", "85", "%"),
            (SAT, SERV, "居民满意度", "≥", "88", "%"),
        ],
    ),
    "form_op_unit.txt": (
        "滨河社区公共空间微更新",
        "project",
        [
            (OUT, NUM, "改造公共空间数", "≥", "3", "处"),
            (OUT, NUM, "新增休憩座椅", "≥", "40", "张"),
            (OUT, QUAL, "工程验收合格率", "=", "100", "%"),
            (OUT, TIME, "完工时间", "≤", "10", "月"),
            (OUT, COST, "单处改造成本", "≤", "40", "万元"),
            (BEN, SOC, "居民休闲环境", None, None, None),
            (SAT, SERV, "居民满意度", "≥", "90", "%"),
        ],
    ),
}


def _projects(name: str) -> list[Project]:
    return parse_targets(ingest(DATA / name))[0]


def _row(
    level1: str | None, level2: str | None, level3: str, op: str | None, number: Decimal | None, unit: str | None
) -> Row:
    return (level1, level2, level3, op, None if number is None else f"{number.normalize():f}", unit)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_template_rows_read_whole(name: str) -> None:
    project_name, level, rows = EXPECTED[name]
    projects = _projects(name)
    assert [(p.name, p.level) for p in projects] == [(project_name, level)]
    got = [
        _row(i.level1, i.level2, i.level3, i.value.op, i.value.number, i.value.unit) for i in projects[0].indicators
    ]
    assert got == rows


@pytest.mark.parametrize("name", ["op_unit_columns.txt", "nature_column.txt", "form_op_unit.txt"])
def test_rows_that_lost_their_empty_cells(name: str) -> None:
    # the same documents as a text extraction prints them, empty cells gone (`\t\t维修管网长度\t≥…`
    # becomes `维修管网长度\t≥…`): each row is placed by its op cell, name before, value and unit after
    _, _, rows = EXPECTED[name]
    projects = _projects(name.replace(".txt", ".cells_dropped.txt"))
    got = [
        _row(i.level1, i.level2, i.level3, i.value.op, i.value.number, i.value.unit) for i in projects[0].indicators
    ]
    assert got == rows


def test_qualitative_values_keep_their_text() -> None:
    ind = next(i for i in _projects("nature_column.txt")[0].indicators if i.level3 == "补贴发放及时性")
    assert (ind.value.raw, ind.value.number, ind.value.kind) == ("按月发放", None, "text")


def test_scoring_rule_column_is_not_the_value() -> None:
    # 评(扣)分标准 after the unit column: never joined to the value or the unit
    ind = _projects("nature_column.txt")[0].indicators[0]
    assert ind.value.raw == "大于等于15000人次"


@pytest.mark.parametrize(
    ("cell", "role"),
    [
        ("一级指标", "level1"),
        ("三级指标", "level3"),
        ("指标名称", "level3"),
        ("绩效指标", "category"),
        ("指标性质", "op"),
        ("度量单位", "unit"),
        ("计量单位", "unit"),
        ("指标值", "value"),
        ("目标值", "value"),
        ("当年预期实现值", "value"),
        ("项目名称", "project"),
        ("预算金额", "budget"),
        ("年度绩效目标", "goal"),
        ("指标值说明", "basis"),
        ("指标值确定依据", "basis"),
        ("评(扣)分标准", "note"),
        ("绩效指标描述", "description"),
        ("绩效标准", "description"),
        ("单位名称", None),
    ],
)
def test_header_role(cell: str, role: str | None) -> None:
    assert header_role(cell) == role


def test_header_needs_a_name_or_level1_and_a_value() -> None:
    assert is_indicator_header(["绩效指标", "指标名称", "目标值"])
    assert not is_indicator_header(["项目名称", "目标值", "单位"])


@pytest.mark.parametrize(
    ("value", "op", "unit", "out"),
    [
        ("12", "≥", "个", "≥12个"),
        ("95%", "≥", "%", "≥95%"),  # the unit already printed with the value
        ("≥95", "≥", "%", "≥95%"),  # the comparator already printed with the value
        ("持续提升", "定性", "", "持续提升"),
        ("80", "正向", "%", "80%"),  # a direction, not a comparator
        ("", "≥", "个", ""),
        # space-aligned text: a value wider than its column read into the op or the unit column
        ("", "定性按月发放", "", "按月发放"),
        ("", "≥95", "%", "≥95%"),
        ("", "定性", "明显改善", "明显改善"),
        ("", "", "%", ""),
    ],
)
def test_compose_value(value: str, op: str, unit: str, out: str) -> None:
    assert compose_value(value, op, unit) == out


@pytest.mark.parametrize(
    ("cells", "out"),
    [
        (["三级指标", "指标性质", "", "指标值度量单位"], ["三级指标", "指标性质", "指标值", "度量单位"]),
        (["一级指标二级指标", "", "三级指标"], ["一级指标", "二级指标", "三级指标"]),
        (["指标名称目标值", ""], ["指标名称", "目标值"]),
        # one header, not two: 指标值确定依据 is the basis column
        (["三级指标", "指标值确定依据", ""], ["三级指标", "指标值确定依据", ""]),
        # no empty cell beside it: nothing to split into
        (["指标性质", "指标值度量单位", "说明"], ["指标性质", "指标值度量单位", "说明"]),
    ],
)
def test_split_merged_header(cells: list[str], out: list[str]) -> None:
    assert split_merged_header(cells) == out


def test_table_known_by_its_header_under_an_unknown_title() -> None:
    # `2025年度项目绩效指标` is no …绩效目标表 title; the second table prints only the project's name
    projects = _projects("untitled.txt")
    assert [(p.name, len(p.indicators)) for p in projects] == [("东坪村社区健身设施更新", 4), ("河湾社区便民服务点运行", 2)]
    first = projects[0].indicators[2]
    assert (first.level1, first.level2, first.level3, first.value.op, first.value.number) == (
        BEN,
        SOC,
        "村民日常锻炼人次",
        "≥",
        Decimal(300),
    )
    assert projects[0].budget == Decimal("18.00")


def _form_with_direction_column(direction: str) -> str:
    rows = [
        "项目支出绩效目标申报表",
        "项目名称\t西岸绿道养护",
        "主管部门\t某区绿化管理局\t实施单位\t某区绿化养护所",
        "项目资金（万元）\t年度资金总额\t30.00",
        "年度目标\t完成西岸绿道全年养护。",
        "一级指标\t二级指标\t三级指标\t指标方向\t指标值",
        f"产出指标\t数量指标\t养护绿道长度\t{direction}\t≥12公里",
        f"满意度指标\t服务对象满意度指标\t游客满意度\t{direction}\t≥90%",
    ]
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("direction", ["正向", "≥"])
def test_op_column_without_a_comparator_keeps_the_row(direction: str) -> None:
    # 指标方向 (正向 / 反向) is no comparator: the row is lined up all the same and its value read as printed
    (p,) = parse_targets(ingest_text(_form_with_direction_column(direction), path="direction.txt"))[0]
    got = [(i.level1, i.level2, i.level3, i.value.op, i.value.number, i.value.unit) for i in p.indicators]
    assert got == [
        (OUT, NUM, "养护绿道长度", "≥", Decimal(12), "公里"),
        (SAT, SERV, "游客满意度", "≥", Decimal(90), "%"),
    ]


def test_one_table_for_several_projects() -> None:
    # 项目名称 | 预算金额 | 年度绩效目标 | 一级指标 … : each name (printed once over its rows) starts a project
    projects = _projects("many_projects.txt")
    assert [(p.name, p.budget, len(p.indicators)) for p in projects] == [
        ("北岭水库库区保洁", Decimal("32.00"), 4),
        ("乡村学校少年宫运行补助", Decimal("15.60"), 3),
    ]
    assert projects[1].goal_text == "保障8所乡村学校少年宫常态化开展活动。"
    got = [_row(i.level1, i.level2, i.level3, i.value.op, i.value.number, i.value.unit) for i in projects[0].indicators]
    assert got == [
        (OUT, NUM, "保洁水域面积", "≥", "1.8", "平方公里"),
        (OUT, QUAL, "漂浮物清理及时率", "≥", "95", "%"),
        (BEN, "生态效益指标", "库区水质类别", None, None, None),
        (SAT, SERV, "周边群众满意度", "≥", "90", "%"),
    ]
    # the second project's categories are its own, not carried from the first
    assert (projects[1].indicators[0].level1, projects[1].indicators[0].level2) == (OUT, NUM)


@pytest.mark.parametrize("name", ["two_row_header.txt", "many_projects.txt"])
def test_a_table_printed_in_yuan_gives_its_amounts_in_wan(name: str) -> None:
    """The same table with 单位：元 and its amounts in 元 (×10 000) reads the same 万元 amounts."""
    text = (DATA / name).read_text(encoding="utf-8")
    want = parse_targets(ingest_text(text))[0]

    def yuan(cell: str) -> str:
        try:
            return f"{Decimal(cell) * 10000:,.2f}" if "." in cell else cell
        except ArithmeticError:
            return cell

    lines = [
        "\t".join(yuan(c) for c in ln.replace("单位：万元", "单位：元").split("\t")) for ln in text.splitlines()
    ]
    got = parse_targets(ingest_text("\n".join(lines)))[0]
    assert [p.budget for p in want] and all(p.budget for p in want)
    assert [(p.name, p.budget) for p in got] == [(p.name, p.budget) for p in want]
    assert {p.printed_unit for p in got} == {"元"}
