"""Tables as a reader of space-flattened text hands them on: the header's lines printed apart from
the left edge, and rows whose empty cells vanished (the figures of `208 08 抚恤 90 90` stand for
合计 and one of 基本支出 / 项目支出). Made-up figures in the shape of the Shanghai 2026 tables."""

from __future__ import annotations

from decimal import Decimal

from semx.ingest import ingest_text
from semx.models import SourceDocument, Table
from semx.pipeline import parse_source
from semx.tables import parse_tables

D = Decimal
T = "\t"


def doc(*lines: str) -> SourceDocument:
    return ingest_text("\n".join([*lines, "", "预算 支出 科目 万元 绩效"]))


def flat_header(group: str, *names: str) -> list[str]:
    return [
        T.join(["项目", group]),
        "功能分类科目编码",
        T.join(["功能分类科目名称", "合计", *names]),
        T.join(["类", "款", "项"]),
    ]


EXPENDITURE = [
    "2026年部门支出预算总表",
    T.join(["编制部门：某某局", "单位：万元"]),
    *flat_header("支出预算", "基本支出", "项目支出"),
    # 201: both parts printed; 201 05 only basic, 201 08 only project, their items alike
    T.join(["201", "", "", "一般公共服务支出", "130", "100", "30"]),
    T.join(["201", "05", "", "办公事务", "100", "100"]),
    T.join(["201", "05", "01", "行政运行", "60", "60"]),
    T.join(["201", "05", "02", "一般行政管理事务", "40", "40"]),
    T.join(["201", "08", "", "专项业务", "30", "30"]),
    T.join(["201", "08", "01", "专项服务", "30", "30"]),
    T.join(["205", "", "", "教育支出", "20", "20"]),
    T.join(["205", "01", "", "教育管理事务", "20", "20"]),
    T.join(["合计", "150", "100", "50"]),
]


def _cells(t: Table) -> dict[str | None, list[object]]:
    return {r.code or r.name: r.cells for r in t.rows}


def test_header_printed_apart_is_rebuilt_over_the_code_columns() -> None:
    t = next(t for t in parse_tables(doc(*EXPENDITURE))[0] if t.kind == "expenditure_summary")
    assert t.columns == ["合计", "基本支出", "项目支出"]
    assert [(r.code, r.level, r.name) for r in t.rows[:3]] == [
        ("201", "类", "一般公共服务支出"),
        ("20105", "款", "办公事务"),
        ("2010501", "项", "行政运行"),
    ]


def test_vanished_cells_are_placed_by_the_tables_sums() -> None:
    t = next(t for t in parse_tables(doc(*EXPENDITURE))[0] if t.kind == "expenditure_summary")
    cells = _cells(t)
    assert cells["20105"] == [D(100), D(100), None]
    assert cells["2010502"] == [D(40), D(40), None]
    assert cells["20108"] == [D(30), None, D(30)]
    assert cells["2010801"] == [D(30), None, D(30)]
    # 205 is settled by the 合计 row: 基本支出 is used up by 201
    assert cells["205"] == [D(20), None, D(20)]
    assert cells["20501"] == [D(20), None, D(20)]
    assert cells["合计"] == [D(150), D(100), D(50)]
    assert t.rows[4].raw == ["30", "", "30"]  # the printed figures move with their cells


def test_no_arithmetic_finding_on_a_consistent_flattened_table() -> None:
    parsed = parse_source(doc(*EXPENDITURE))
    codes = {f.code for f in parsed.findings}
    assert not codes & {"SUM_HIERARCHY", "SUM_COLUMNS", "SUM_TOTAL"}, codes


def test_a_real_error_in_a_flattened_table_is_still_found() -> None:
    lines = list(EXPENDITURE)
    lines[lines.index(T.join(["201", "05", "02", "一般行政管理事务", "40", "40"]))] = T.join(
        ["201", "05", "02", "一般行政管理事务", "45", "45"]
    )
    parsed = parse_source(doc(*lines))
    assert any(f.code == "SUM_HIERARCHY" and "20105" in f.message for f in parsed.findings)


def test_ambiguous_placement_stays_as_read() -> None:
    """Every figure in one column sums the same wherever that column is: nothing is moved."""
    lines = [
        "2026年部门收入预算总表",
        "单位：万元",
        T.join(["项目", "收入预算"]),
        "功能分类科目编码",
        "事业单位",
        T.join(["功能分类科目名称", "合计", "财政拨款收入", "事业收入", "其他收入"]),
        "经营收入",
        T.join(["类", "款", "项"]),
        T.join(["201", "", "", "一般公共服务支出", "70", "70"]),
        T.join(["201", "05", "", "办公事务", "70", "70"]),
        T.join(["合计", "70", "70"]),
    ]
    t = only_kind(parse_tables(doc(*lines))[0], "income_summary")
    # the wrapped 事业单位 / 经营收入 goes before the trailing 其他 column
    assert t.columns == ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"]
    assert _cells(t)["20105"] == [D(70), D(70), None, None, None]


def test_economic_table_with_a_two_part_code_label() -> None:
    lines = [
        "2026年部门一般公共预算基本支出部门预算经济分类预算表",
        "单位：万元",
        T.join(["项目", "一般公共预算基本支出"]),
        "部门预算经济分类科目",
        "编码",
        T.join(["经济分类科目名称", "合计", "人员经费", "公用经费"]),
        T.join(["类", "款"]),
        T.join(["301", "", "工资福利支出", "80", "80"]),
        T.join(["301", "01", "基本工资", "80", "80"]),
        T.join(["302", "", "商品和服务支出", "15", "15"]),
        T.join(["302", "01", "办公费", "10", "10"]),
        T.join(["302", "02", "印刷费", "5", "5"]),
        T.join(["合计", "95", "80", "15"]),
    ]
    t = only_kind(parse_tables(doc(*lines))[0], "general_budget_basic_expenditure")
    assert t.columns == ["合计", "人员经费", "公用经费"]
    cells = _cells(t)
    assert cells["30101"] == [D(80), D(80), None]
    assert cells["30202"] == [D(5), None, D(5)]
    assert cells["合计"] == [D(95), D(80), D(15)]


def only_kind(tables: list[Table], kind: str) -> Table:
    found = [t for t in tables if t.kind == kind]
    assert len(found) == 1, [t.kind for t in tables]
    return found[0]


SUMMARY = [
    "2026年部门财务收支预算总表",
    T.join(["编制部门：某某局", "单位：万元"]),
    T.join(["本年收入", "本年支出"]),
    T.join(["项目", "预算数", "项目", "预算数"]),
    T.join(["一、财政拨款收入", "1,250一、一般公共服务支出", "1,000"]),
    T.join(["1.一般公共预算", "1,250二、教育支出", "250"]),
    T.join(["2.政府性基金预算", "三、卫生健康支出"]),
    "二、事业收入",
    "三、其他收入",
    T.join(["收入总计", "1,250", "支出总计", "1,250"]),
]


def test_two_sided_row_without_its_blank_cells_is_read_by_what_each_cell_is() -> None:
    t = only_kind(parse_tables(doc(*SUMMARY))[0], "income_expenditure_summary")
    assert [r.raw for r in t.rows] == [
        ["一、财政拨款收入", "1,250", "一、一般公共服务支出", "1,000"],
        ["1.一般公共预算", "1,250", "二、教育支出", "250"],
        ["2.政府性基金预算", "", "三、卫生健康支出", ""],
        ["二、事业收入", "", "", ""],  # a label alone on its line stays in the table
        ["三、其他收入", "", "", ""],
        ["收入总计", "1,250", "支出总计", "1,250"],
    ]
    assert t.rows[0].cells[1] == D(1250) and t.rows[1].cells[3] == D(250)


def test_right_side_label_alone_goes_to_the_right() -> None:
    lines = [
        "2026年部门财政拨款收支预算总表",
        "单位：万元",
        T.join(["财政拨款收入", "财政拨款支出"]),
        T.join(["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算"]),
        T.join(["一、一般公共预算", "90", "一、教育支出", "60", "60"]),
        T.join(["二、政府性基金预算", "二、卫生健康支出", "30", "30"]),
        T.join(["三、住房保障支出", "0", "0"]),  # 三、… 支出 is the expenditure side's
        T.join(["收入总计", "90", "支出总计", "90", "90"]),
    ]
    parsed = parse_source(doc(*lines))
    t = only_kind(parsed.tables, "fiscal_appropriation_summary")
    assert t.rows[1].raw == ["二、政府性基金预算", "", "二、卫生健康支出", "30", "30", ""]
    assert t.rows[2].raw == ["", "", "三、住房保障支出", "0", "0", ""]
    assert not {f.code for f in parsed.findings} & {"SUM_COLUMNS", "SUM_TOTAL"}


def test_three_public_header_printed_line_by_line() -> None:
    lines = [
        "2026年部门“三公”经费和机关运行经费预算表",
        T.join(["编制部门：某某局", "单位:万元"]),
        "“三公”经费预算数",
        "机关运行经费预算",
        "公务用车购置及运行费",
        "数",
        T.join(["合计", "因公出国(境)费", "公务接待费"]),
        T.join(["小计", "购置费", "运行费"]),
        T.join(["21.50", "0.00", "1.50", "20.00", "12.00", "8.00", "99.00"]),
    ]
    parsed = parse_source(doc(*lines))
    t = only_kind(parsed.tables, "three_public_expenditure")
    assert t.columns == ["合计", "因公出国(境)费", "公务接待费", "小计", "购置费", "运行费", "机关运行经费预算数"]
    assert t.column_paths[4] == ["“三公”经费预算数", "公务用车购置及运行费", "购置费"]
    assert t.rows[0].cells[3] == D("20.00") and t.rows[0].cells[6] == D("99.00")
    assert not [f for f in parsed.findings if f.code.startswith("SUM_")]
    wrong = parse_source(doc(*lines[:-1], T.join(["21.50", "0.00", "1.50", "20.00", "13.00", "8.00", "99.00"])))
    assert [f for f in wrong.findings if f.code.startswith("SUM_") and "购置费" in f.message]


def test_a_header_that_broke_off_is_not_counted_as_read() -> None:
    parsed = parse_source(
        doc(
            "2026年部门支出预算总表",
            T.join(["项目", "支出预算"]),
            "本表按功能分类科目列示，数字详见下文说明。",
            T.join(["201", "一般公共服务支出", "10", "6", "4"]),
        )
    )
    assert parsed.coverage is not None
    assert parsed.coverage.unread_titles == ["2026年部门支出预算总表"]


def test_a_row_that_keeps_its_blank_cells_is_never_moved() -> None:
    """Tab layouts print every cell: a 基本支出 figure that breaks the sum is an error, not a lost cell."""
    lines = [
        "2026年部门支出预算总表",
        "单位：万元",
        T.join(["科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"]),
        T.join(["类", "款", "项", "", "", "", ""]),
        T.join(["201", "", "", "一般公共服务支出", "30", "", "30"]),
        T.join(["201", "08", "", "专项业务", "30", "30", ""]),
        T.join(["", "", "", "合计", "30", "", "30"]),
    ]
    parsed = parse_source(doc(*lines))
    t = only_kind(parsed.tables, "expenditure_summary")
    assert _cells(t)["20108"] == [D(30), D(30), None]
    assert any(f.code == "SUM_HIERARCHY" for f in parsed.findings)


def test_labels_wrapped_around_their_row_are_joined_and_put_on_their_side() -> None:
    lines = [
        "2026年部门财政拨款收支预算总表",
        "单位：万元",
        T.join(["财政拨款收入", "财政拨款支出"]),
        T.join(["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算"]),
        "一、教育",  # right label's first line, above the row's centre line
        T.join(["一、一般公共预算", "80", "50", "50", "0"]),
        "支出",
        "二、政府性基金预",  # left label with a blank figure, wrapped
        T.join(["二、卫生健康支出", "20", "20", "0"]),
        "算",
        "三、节能环保",
        T.join(["10", "10", "0"]),  # a row printed with its figures only
        "支出",
        T.join(["收入总计", "80", "支出总计", "80", "80", "0"]),
    ]
    parsed = parse_source(doc(*lines))
    t = only_kind(parsed.tables, "fiscal_appropriation_summary")
    assert [r.raw for r in t.rows] == [
        ["一、一般公共预算", "80", "一、教育支出", "50", "50", "0"],
        ["二、政府性基金预算", "", "二、卫生健康支出", "20", "20", "0"],
        ["", "", "三、节能环保支出", "10", "10", "0"],
        ["收入总计", "80", "支出总计", "80", "80", "0"],
    ]
    assert not {f.code for f in parsed.findings} & {"SUM_COLUMNS", "SUM_TOTAL"}
