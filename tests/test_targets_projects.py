"""Project tables (绩效目标表) in every sample layout, and synthetic layouts from other counties."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from rich.console import Console

from semx.ingest import ingest, ingest_text
from semx.models import FreeTextTarget, Project, Warning_
from semx.targets import parse_targets, render_targets
from semx.targets.goals import split_goals

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"


@cache
def targets(sample: str) -> tuple[list[Project], list[FreeTextTarget], list[Warning_]]:
    (path,) = CORPUS.glob(f"{sample}_*.txt")
    return parse_targets(ingest(path))


def project(sample: str, name: str, nth: int = 0) -> Project:
    found = [p for p in targets(sample)[0] if p.name == name]
    return found[nth]


Row = tuple[int, str | None, str | None, str, str | None, str, str | None]


def rows(p: Project) -> list[Row]:
    return [(i.line, i.level1, i.level2, i.level3, i.description, i.value.raw, i.basis) for i in p.indicators]


# ---------------------------------------------------------------- counts

INDICATORS_PER_PROJECT = {
    "000": [7] * 16 + [8, 7, 7, 8] + [7] * 6 + [6],
    "001": [7] * 25,
    "002": [7] * 10,
    "003": [8, 5, 7, 6, 2, 5, 9, 5, 2, 2, 8],
    "004": [6, 6, 7] + [6] * 27 + [7] + [6] * 5 + [7] + [6] * 7 + [8, 8] + [6] * 6 + [7, 7, 8, 8],
}


@pytest.mark.parametrize(("sample", "count"), [("000", 27), ("001", 25), ("002", 10), ("003", 11), ("004", 56)])
def test_project_count(sample: str, count: int) -> None:
    assert len(targets(sample)[0]) == count


@pytest.mark.parametrize("sample", sorted(INDICATORS_PER_PROJECT))
def test_indicators_per_project(sample: str) -> None:
    assert [len(p.indicators) for p in targets(sample)[0]] == INDICATORS_PER_PROJECT[sample]


@pytest.mark.parametrize("sample", sorted(INDICATORS_PER_PROJECT))
def test_every_indicator_is_categorised(sample: str) -> None:
    for p in targets(sample)[0]:
        for ind in p.indicators:
            assert ind.level1 in ("产出指标", "效益指标", "满意度指标"), (p.name, ind.line)
            assert ind.level2 and ind.level2.endswith("指标"), (p.name, ind.line)
            assert p.start_line < ind.line <= p.end_line


def test_no_parser_warnings_on_samples_except_the_stray_heading() -> None:
    codes = {s: [w.code for w in targets(s)[2]] for s in INDICATORS_PER_PROJECT}
    assert codes == {"000": [], "001": [], "002": [], "003": [], "004": ["free_text_orphan_heading"]}


def test_levels() -> None:
    assert {p.level for s in ("000", "001", "002", "004") for p in targets(s)[0]} == {"project"}
    assert {p.level for p in targets("003")[0]} == {"special"}


# ---------------------------------------------------------------- 000: tab layout, no budget rows


def test_000_duplicated_row_is_kept() -> None:
    p = project("000", "改革办专项经费")
    assert (p.start_line, p.end_line) == (767, 778)
    assert (p.code, p.budget, p.plan, p.purpose) == (None, None, {}, None)
    assert p.goal_text == "确保圆满完成各项改革任务"
    assert p.goals == ["确保圆满完成各项改革任务"]
    sat = (None, "网络评估满意率（%）", "培训学员通过网络评估系统对培训班满意率", "100%", "调查问卷")
    assert rows(p) == [
        (771, "产出指标", "数量指标", "上报建议、意见数量（条）", "上报建议和意见的数量", "≥200 条", "工作需要"),
        (772, "产出指标", "质量指标", "编发信息刊物数量（期）", "当年编发信息刊物的数量", "≥50 期", "工作需要"),
        (773, "产出指标", "时效指标", "完成率（%）", "按照要求和计划完成研究任务的项目在所有立项项目中的比例（百分比）", "100%", "工作需要"),
        (774, "产出指标", "成本指标", "日常办公费用（元）", "改革办日常办公、印刷产生的费用", "≤40000 元", "工作需要"),
        (775, "效益指标", "社会效益指标", "参与政府决策活动次数（次）", "参与决策咨询活动次数", "≥10 次", "工作需要"),
        (776, "效益指标", "可持续影响指标", "协助党委领导工作（%）", "按时按量完成交办的工作任务", "100%", "工作需要"),
        (777, "满意度指标", "服务对象满意度指标", *sat[1:]),
        (778, "满意度指标", "服务对象满意度指标", *sat[1:]),
    ]
    assert p.indicators[3].value.wan == Decimal(4)


def test_000_goal_row_after_header() -> None:
    p = project("000", "全市广电网络视频会议专线使用费")
    assert (p.start_line, p.end_line) == (780, 790)
    assert p.goals == ["保障电视电话会议线路畅通"]
    assert [r[0] for r in rows(p)] == list(range(784, 791))
    assert rows(p)[3] == (787, "产出指标", "成本指标", "网络视频会议专线使用费（元）", "全市广电网络视频会议专线使用费用", "4000 元", "工作需要")


def test_000_names_keep_brackets_and_drop_title_suffix() -> None:
    names = [p.name for p in targets("000")[0]]
    assert names[0] == "机要局密码主渠道装备资金"
    assert "专项运转保障经费（原政府事务局）" in names
    assert not any("绩效目标表" in n for n in names)


# ---------------------------------------------------------------- 001: one cell per line


def test_001_talent_fund() -> None:
    p = project("001", "县级人才工作专项经费")
    assert (p.start_line, p.end_line, p.level) == (66, 159, "project")
    assert p.code == "131024214T8NMM711RZ6U"
    assert (p.budget, p.fiscal, p.other) == (Decimal("50.00"), Decimal("50.00"), Decimal(0))
    assert p.purpose == "激发县域人才的工作热情，留住现有人才，吸引县域外人才。"
    assert p.plan == {"3月底": None, "6月底": None, "10月底": "50.00%", "12月底": "100.00%"}
    assert p.goals == [
        "落实县管优秀专家和县域特色人才优惠待遇，实现对县管优秀专家和县域特色人才的关怀",
        "形成敬才爱才的人才服务氛围，激发县域人才的工作热情。",
        "减少专家人才的流失率。",
    ]
    assert rows(p) == [
        (112, "产出指标", "数量指标", "专家体检", "为专家人才安排体检次数", "1次", "工作总结"),
        (119, "产出指标", "质量指标", "津贴发放率", "专家人才津贴发放率", "≥95%", "调查问卷"),
        (126, "产出指标", "时效指标", "完成时间", "完成时间", "≤12月", "工作总结"),
        (133, "产出指标", "成本指标", "预算成本", "预算成本", "≤50万",
         "《关于印发王亚军同志在市委人才工作领导小组2020年度第一次会议上讲话的通知》（廊发〔2020〕6号）"),
        (140, "效益指标", "社会效益指标", "人才流失率", "县管优秀专家和县域特色人才流失率", "≤5%", "需求调研"),
        (147, "效益指标", "可持续影响指标", "专家人才在我县工作积极性", "专家人才在我县工作积极性提升率", "≥5%", "需求调研"),
        (154, "满意度指标", "服务对象满意度指标", "专家满意度", "县管专家对我县服务人才工作满意度", "≥95%", "满意度调查"),
    ]
    cost = p.indicators[3].value
    assert (cost.op, cost.number, cost.unit, cost.kind, cost.wan) == ("≤", Decimal(50), "万", "money", Decimal(50))


def test_001_row_broken_by_blank_line_is_merged() -> None:
    p = project("001", "党建工作经费（含党代表常任制、社会组织党组织、城市党建日常办公经费")
    assert p.budget == Decimal("74.00")
    assert rows(p)[2] == (714, "产出指标", "时效指标", "制定工作计划", "工作进度", "1年", "工作计划")
    assert len(p.indicators) == 7


def test_001_wrapped_cells_are_joined() -> None:
    p = project("001", "干部人事档案数字化维护经费")
    assert rows(p)[0] == (1386, "产出指标", "数量指标", "干部人事档案管理数量", "开展干部人事档案整理维护本数", "≥3300本", "年初工作计划")


# ---------------------------------------------------------------- 002: tab layout, <b> tags, LaTeX, page splits


def test_002_page_split_with_repeated_headers() -> None:
    p = project("002", "运转保障经费（劳务费）")
    assert (p.start_line, p.end_line) == (335, 351)
    assert p.goals == ["保障该同志人员工资、养老、医疗等经费按时发放到位。", "扎实推进办公室正常工作进度。"]
    basis = "《临西县人力资源和社会保障局关于社会救助和养老机构 23 名人员分流的意见》2020 年 4 月 8 日"
    assert rows(p) == [
        (343, "产出指标", "数量指标", "保障正常生活秩序的分流人员数量", "保障我单位 1 名分流人员的正常生活秩序。", "1 名", basis),
        (344, "产出指标", "质量指标", "工资发放率", "实际发放工资金额占应发工资金额比例（百分比）", "≥95%", basis),
        (345, "产出指标", "时效指标", "工资发放及时率", "及时发放工资数占政府办工资总额比例。", "≥99%", basis),
        (346, "产出指标", "成本指标", "支付分流人员工资额",
         "总成本控制在 3.8 万元内,包括基本工资、津贴补贴、绩效工资、社会保障缴费等经费。", "≤3.8 万元", basis),
        (347, "效益指标", "社会效益指标", "确保资金使用效率带来的社会效益",
         "通过正常劳务经费的实施,确保资金使用效率,保障该同志工作进展顺利。", "≥95%", basis),
        (350, "效益指标", "可持续影响指标", "本年度保障该同志工作平稳进行。", "年底前按时完成工资支付，长期保障工作平稳进行。", "≤10 日", basis),
        (351, "满意度指标", "服务对象满意度指标", "分流人员满意度", "通过基本经费的实施，力争使服务对象的满意度达到较高水平。", "≥95%", basis),
    ]


def test_002_tags_and_latex() -> None:
    p = project("002", "电子政务外网优化改造服务项目")
    assert (p.start_line, p.end_line) == (413, 427)
    assert len(p.goals) == 2 and p.goals[1].startswith("严格落实安全等级保护等制度要求")
    values = [(r[0], r[1], r[5]) for r in rows(p)]
    assert values == [
        (419, "产出指标", "≤1 次"),
        (420, "产出指标", "≥95%"),
        (421, "产出指标", "≤12 月份"),
        (422, "产出指标", "≤66 万元"),
        (423, "效益指标", "≥95%"),
        (426, "效益指标", "≤1 个"),
        (427, "满意度指标", "≥95%"),
    ]
    assert p.indicators[3].value.wan == Decimal(66)


def test_002_markdown_heading_title() -> None:
    assert project("002", "《2020 年年鉴》编纂").start_line == 367


# ---------------------------------------------------------------- 003: 专项资金 tables, detached 12月底


def test_003_reception_detached_december() -> None:
    p = project("003", "接待费")
    assert (p.start_line, p.end_line, p.level) == (263, 276, "special")
    assert p.code == "000-9999-JSN-FZDX"
    assert (p.budget, p.fiscal, p.other) == (Decimal("10.00"), Decimal("10.00"), None)
    assert p.purpose == "用于区委重大会议活动的支出安排"
    assert p.plan == {"3月底": None, "6月底": "35.00", "10月底": "70.00", "12月底": "100.00"}
    assert p.goals == ["加强重要会议活动的统筹安排协调，精心谋划组织好大型会议活动，特别是区委主要领导参加的重要会议活动。"]
    assert rows(p) == [
        (275, "产出指标", "时效指标", "大型会议控制率", "减少大型会议数量占上年度大会的比例", "≥1", "工作计划"),
        (276, "产出指标", "时效指标", "重大工作参与率", "反映区领导参与区委重大改革工作", "≥90", "领导批示"),
    ]


def test_003_effect_level_normalised_and_masked_name_kept() -> None:
    p = project("003", "****工程")
    assert (p.start_line, p.end_line) == (186, 206)
    assert (p.code, p.budget) == ("000-9999-JSN-NL6N", Decimal("48.40"))
    assert p.plan == {"3月底": "30.00", "6月底": "60.00", "10月底": "70.00"}
    assert [r[1] for r in rows(p)] == ["产出指标"] * 5 + ["效益指标"] * 2 + ["满意度指标"]
    assert rows(p)[5] == (204, "效益指标", "社会效益指标", "网络覆盖率", "鹿泉区两办网络覆盖程度", "≥100%", "石家庄市鹿泉区****工程实施方案")
    assert rows(p)[7][4] == "两办工作人员对****工程满意度测评"


def test_003_goal_continuation_rows() -> None:
    p = project("003", "培训费")
    assert p.goals == [
        "该项目为进一步提高干部业务能力，2019年机构改革史志档案新划分为我单位，2020年计划安排史志档案人员培训10人次培训学习相关知识",
        "督查人员培训10人次",
    ]


def test_003_plan_without_values() -> None:
    assert project("003", "因公出国经费").plan == {"3月底": None, "6月底": None, "10月底": None}


# ---------------------------------------------------------------- 004: many tables, page splits, odd goal rows


def test_004_goal_in_label_cell_after_header() -> None:
    p = project("004", "迎宾馆防疫资金")
    assert (p.start_line, p.end_line) == (653, 662)
    assert p.goals == ["完成邢台市、南宫市疫情防控联合指挥部后勤保障工作", "完成邢台市领导工作指导组后勤保障工作"]
    assert rows(p) == [
        (657, "产出指标", "数量指标", "后勤工作保障时长", "疫情防控期间每天后勤保障时长", "24 小时", "执行情况"),
        (658, "产出指标", "质量指标", "有效做好疫情防控", "有效做好我市疫情防控工作", "有效做好防控", "领导批示"),
        (659, "产出指标", "时效指标", "工作完成及时率", "按时间节点工作完成情况比例", "100%", "执行情况"),
        (660, "产出指标", "成本指标", "迎宾馆防疫资金成本", "迎宾馆防疫后勤保障成本", "200 万元", "执行情况"),
        (661, "效益指标", "社会效益指标", "疫情防控成效", "疫情防控效果情况", "有效做好防控", "执行情况"),
        (662, "满意度指标", "服务对象满意度指标", "群众满意度", "群众满意度情况", "≥90%", "调查问卷"),
    ]


def test_004_separator_and_goal_continuation() -> None:
    p = project("004", "宗教工作事务管理")
    assert (p.start_line, p.end_line) == (1074, 1086)
    assert p.goals[1].endswith("牵头有关部门做好宗教维稳、抵御境外渗透工作。")
    assert [r[0] for r in rows(p)] == list(range(1081, 1087))


def test_004_basis_mentioning_spending_plan_is_an_indicator() -> None:
    p = project("004", "“三深化三提升”活动群众满意度测评")
    assert rows(p)[4] == (1126, "产出指标", "成本指标", "测评工作项目支出费用", "“三深化三提升”群众满意度测评总支出费用情况", "≤2.78万元", "资金支出计划")


def test_004_double_numbering_and_same_name_twice() -> None:
    assert project("004", "村级活动场所补助资金").goals[0] == "推进村级活动场所规范化建设，对符合条件的村级活动场所进行改造提"
    twins = [p for p in targets("004")[0] if p.name == "上年结转 2020 年省级国家电影事业发展专项资金冀财教【2020】156 号"]
    assert [p.start_line for p in twins] == [891, 915]


# ---------------------------------------------------------------- goals


@pytest.mark.parametrize(
    ("text", "goals"),
    [
        ("1. 甲。 2. 乙", ["甲。", "乙"]),
        ("1.甲\n2.乙\n3.丙", ["甲", "乙", "丙"]),
        ("1、控制在3.8 万元内 2、于 2020 年完成", ["控制在3.8 万元内", "于 2020 年完成"]),
        ("保障机关正常运转", ["保障机关正常运转"]),
        ("1. 只有一条", ["只有一条"]),
        ("1. 甲 3. 不连续的编号不拆", ["甲 3. 不连续的编号不拆"]),
        ("", []),
    ],
)
def test_split_goals(text: str, goals: list[str]) -> None:
    assert split_goals(text) == goals


# ---------------------------------------------------------------- layouts from other counties

OTHER_COUNTY = """部门预算 万元 支出
五、预算绩效信息
第一部分 部门整体绩效目标
某某局部门整体绩效目标表
绩效目标\t1.保障机关运转 2.完成年度任务\t\t\t\t
一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据
产出指标\t数量指标\t服务人数\t服务人数\t不少于100人\t工作计划
成本指标\t经济成本指标\t总成本\t总成本\t≦20万元\t预算批复
效果指标\t社会效益指标\t知晓率\t知晓率\t90%以上\t调查
满意度指标\t服务对象满意度指标\t满意度\t满意度\t≧90%\t调查问卷
第二部分 专项资金绩效目标
（一）农村道路养护专项资金绩效目标表
项目编码\tX01\t项目名称\t农村道路养护专项资金
预算规模及资金用途\t预算数\t1,200.50\t其中：财政资金\t1000\t其他资金\t200.50
资金用途\t道路养护\t\t\t\t
资金支出计划（%）\t3月底\t6月底\t10月底\t12月底
\t10%\t40%\t80%\t100%
绩效目标\t养护道路
一级指标\t二级指标\t三级指标\t绩效指标描述\t指标值\t指标值确定依据
产出指标\t数量指标\t养护里程\t养护里程\t≥120公里\t计划
\t\t修补面积\t修补面积\t≥5000平方米\t计划
注：以上为专项资金绩效目标。
六、政府采购预算情况
"""


def test_other_county_layouts() -> None:
    projects, _, warnings = parse_targets(ingest_text(OTHER_COUNTY, path="other.txt"))
    assert [p.name for p in projects] == ["某某局部门整体", "农村道路养护专项资金"]
    dept, road = projects
    assert dept.level == "department" and road.level == "special"
    # 成本指标 as its own 一级 is accepted as printed; 效果指标 becomes 效益指标
    assert [(i.level1, i.value.op) for i in dept.indicators] == [
        ("产出指标", "≥"), ("成本指标", "≤"), ("效益指标", "≥"), ("满意度指标", "≥")
    ]
    assert dept.goals == ["保障机关运转", "完成年度任务"]
    assert (road.code, road.budget, road.fiscal, road.other) == ("X01", Decimal("1200.50"), Decimal(1000), Decimal("200.50"))
    assert road.purpose == "道路养护"
    assert road.plan == {"3月底": "10%", "6月底": "40%", "10月底": "80%", "12月底": "100%"}
    # an extra row under the same 二级 with the 二级 cell left empty carries it down
    assert [(i.level1, i.level2, i.level3) for i in road.indicators] == [
        ("产出指标", "数量指标", "养护里程"), ("产出指标", "数量指标", "修补面积")
    ]
    assert road.indicators[1].value.unit == "平方米"
    # the note after the table is prose, not part of it
    assert road.end_line == OTHER_COUNTY.splitlines().index("\t\t修补面积\t修补面积\t≥5000平方米\t计划") + 1
    assert warnings == []


def test_title_in_table_of_contents_without_table_is_not_a_project() -> None:
    text = "部门预算 万元 支出\n1.办公经费绩效目标表\n二、其他说明\n正文段落。\n"
    projects, free, warnings = parse_targets(ingest_text(text, path="toc.txt"))
    assert projects == [] and free == []
    assert [w.code for w in warnings] == ["target_title_without_table"]


def test_title_variants_and_header_words() -> None:
    text = (
        "部门预算 万元 支出\n"
        "2.办公设备购置项目绩效目标申报表（2022年）\t\t单位：万元\n"
        "项目名称\t办公设备购置\n"
        "年度预算数（万元）\t8.00\t其中：财政拨款\t8.00\n"
        "一级指标\t二级指标\t三级指标\t指标内容\t年度指标值\t备注\n"
        "产出指标\t数量指标\t购置台数\t电脑\t10台\t\n"
        "3.会议费绩效目标表\t\t\t单位：万元\n"
        "一级指标\t二级指标\t三级指标\t指标内容\t年度指标值\t备注\n"
        "产出指标\t数量指标\t会议次数\t会议\t4次\t\n"
        "六、政府采购预算情况\n"
    )
    (p, q), _, _ = parse_targets(ingest_text(text, path="x.txt"))
    assert (p.name, p.budget, p.fiscal, p.end_line) == ("办公设备购置项目", Decimal("8.00"), Decimal("8.00"), 6)
    assert [(i.level3, i.description, i.value.raw, i.basis) for i in p.indicators] == [("购置台数", "电脑", "10台", None)]
    assert (q.name, q.start_line, len(q.indicators)) == ("会议费", 7, 1)


def test_render_targets_prints_every_project() -> None:
    projects, free, _ = targets("003")
    console = Console(record=True, width=200, color_system=None)
    render_targets(projects, free, console)
    out = console.export_text()
    assert "绩效目标表 11 个，指标 59 条；文字绩效目标 9 段" in out
    assert "12月底 100.00" in out and "****工程" in out
    assert "会议接待费" in out and "→ 表格项目「接待费」" in out


@pytest.mark.parametrize("sample", sorted(INDICATORS_PER_PROJECT))
def test_hebei_tables_list_their_header_columns(sample: str) -> None:
    # every Hebei 绩效目标表 prints the three levels and the value; the basis column is read from the header
    for p in targets(sample)[0]:
        assert {"level1", "level2", "level3", "value"} <= set(p.indicator_columns), p.name
        if any(i.basis for i in p.indicators):
            assert "basis" in p.indicator_columns, p.name
