"""semx.tables on layouts the samples do not show: other titles, one-row headers, no 序号/栏次,
类/款/项 columns, amounts in 元, malformed cells, continued titles, tables of contents."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from semx.ingest import ingest_text
from semx.models import SourceDocument, Table
from semx.tables import document_meta, parse_tables

D = Decimal
T = "\t"


def doc(*lines: str) -> SourceDocument:
    # ingest insists on budget vocabulary; the last line supplies it
    return ingest_text("\n".join([*lines, "", "预算 支出 科目 万元 绩效"]))


def only(tables: list[Table]) -> Table:
    assert len(tables) == 1, [t.kind for t in tables]
    return tables[0]


def test_one_row_header_without_seq_or_lanci_amounts_in_yuan_and_page_number() -> None:
    d = doc(
        "表1 部门收入总体情况表",
        "单位：元",
        T.join(["科目编码", "科目名称", "合计", "一般公共预算", "备注"]),
        T.join(["201", "一般公共服务支出", "1,000,000.00", "1,000,000.00", ""]),
        T.join(["20101", "人大事务", "500000", "500000", "含结转"]),
        "- 2 -",
        T.join(["科目编码", "科目名称", "合计", "一般公共预算", "备注"]),
        T.join(["2010101", "行政运行", "12x", "500000", ""]),
    )
    tables, warnings = parse_tables(d)
    t = only(tables)
    assert t.kind == "income_summary" and t.scope == "department" and t.pages == 2
    assert t.columns == ["合计", "一般公共预算", "备注"]
    assert [(r.code, r.level, r.name) for r in t.rows] == [
        ("201", "类", "一般公共服务支出"),
        ("20101", "款", "人大事务"),
        ("2010101", "项", "行政运行"),
    ]
    assert t.rows[0].cells == [D("100"), D("100"), None]  # 元 -> 万元
    assert t.rows[1].cells == [D("50"), D("50"), "含结转"]
    assert t.rows[2].cells == ["12x", D("50"), None]  # printed text kept, with a warning
    assert [(w.code, w.line) for w in warnings] == [("bad_amount", 8)]


def test_lei_kuan_xiang_columns_make_the_code() -> None:
    d = doc(
        "一般公共预算支出情况表",
        "单位：万元",
        T.join(["科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"]),
        T.join(["类", "款", "项", "", "", "", ""]),
        T.join(["201", "", "", "一般公共服务支出", "10", "6", "4"]),
        T.join(["201", "03", "", "政府办公厅（室）及相关机构事务", "10", "6", "4"]),
        T.join(["201", "03", "01", "行政运行", "6", "6", ""]),
    )
    t = only(parse_tables(d)[0])
    assert t.kind == "general_budget_expenditure"
    assert t.columns == ["合计", "基本支出", "项目支出"]
    assert [(r.code, r.level) for r in t.rows] == [("201", "类"), ("20103", "款"), ("2010301", "项")]
    assert t.rows[2].cells == [D("6"), D("6"), None]


def test_code_printed_inside_the_name_cell() -> None:
    d = doc(
        "部门支出总体情况表",
        "金额单位：万元",
        T.join(["科目", "合计", "基本支出", "项目支出"]),
        T.join(["合计", "10", "6", "4"]),
        T.join(["201 一般公共服务支出", "10", "6", "4"]),
        T.join(["2010101行政运行", "6", "6", ""]),
    )
    t = only(parse_tables(d)[0])
    assert t.kind == "expenditure_summary"
    assert [(r.code, r.name) for r in t.rows] == [(None, "合计"), ("201", "一般公共服务支出"), ("2010101", "行政运行")]


def test_continued_title_merges_pages() -> None:
    header = T.join(["序号", "项目", "合计"])
    d = doc(
        "财政拨款“三公”经费支出预算表",
        "单位：万元",
        header,
        T.join(["1", "合计", "10"]),
        T.join(["2", "一、因公出国（境）费", "2"]),
        "",
        "财政拨款“三公”经费支出预算表（续）",
        "单位：万元",
        header,
        T.join(["3", "二、公务接待费", "8"]),
    )
    t = only(parse_tables(d)[0])
    assert t.kind == "three_public_expenditure" and t.pages == 2
    assert [(r.seq, r.name, r.cells) for r in t.rows] == [
        (1, "合计", [D("10")]),
        (2, "一、因公出国（境）费", [D("2")]),
        (3, "二、公务接待费", [D("8")]),
    ]


def test_one_row_header_of_a_two_sided_table_gets_sides() -> None:
    d = doc(
        "收支预算总表",
        T.join(["项目", "预算数", "项目", "预算数"]),
        T.join(["一般公共预算拨款收入", "5", "一般公共服务支出", "5"]),
        T.join(["收入总计", "5", "支出总计", "5"]),
    )
    t = only(parse_tables(d)[0])
    assert t.kind == "income_expenditure_summary"
    assert t.columns == ["收入项目", "收入预算数", "支出项目", "支出预算数"]
    assert t.rows[1].cells == ["收入总计", D("5"), "支出总计", D("5")]


def test_table_of_contents_and_prose_mentions_are_not_tables() -> None:
    d = doc(
        "目录",
        "部门收支总表" + T + "1",
        "部门收入总表" + T + "2",
        "部门预算财政拨款“三公”经费支出表……………3",
        "",
        "一、部门职责",
        "本部门无政府性基金预算，所以政府性基金预算财政拨款支出表为空表。",
        "详见部门预算收支总表。",
    )
    assert parse_tables(d) == ([], [])


def test_note_right_under_a_cell_in_the_cell_per_line_layout() -> None:
    d = doc(
        "单位政府采购预算",
        T + "单位：万元",
        "",
        T + "项目名称",
        T + "采购物品名称",
        T + "数量",
        T + "单价",
        T + "金额",
        "",
        T + "合计",
        "注：无政府采购预算，空表列示。",
    )
    assert d.layout == "cell_per_line"
    t = only(parse_tables(d)[0])
    assert t.kind == "government_procurement" and t.empty and t.rows == []
    assert t.note == "注：无政府采购预算，空表列示。"
    assert t.columns == ["项目名称", "采购物品名称", "数量", "单价", "金额"]


def test_money_unit_in_header_rescales_value_not_quantity() -> None:
    d = doc(
        "单位固定资产占用情况表",
        T.join(["项目", "数量", "价值（金额单位：元）"]),
        T.join(["资产总额", "", "1234500"]),
        T.join(["2、车辆（台、辆）", "2", "300000"]),
    )
    t = only(parse_tables(d)[0])
    assert t.kind == "fixed_assets" and t.scope == "unit"
    assert [r.cells for r in t.rows] == [[None, D("123.45")], [D("2"), D("30")]]


def test_malformed_rows_become_warnings_not_exceptions() -> None:
    d = doc(
        "部门预算支出总表",
        "单位：万元",
        T.join(["序号", "科目编码", "科目名称", "合计"]),
        T.join(["1", "20101", "人大事务", "5", "7", "x"]),
        T.join(["2", "2010", "代码位数不对", "？"]),
        T.join(["4", "2010101", "行政运行", "5"]),
    )
    tables, warnings = parse_tables(d)
    t = only(tables)
    assert [r.cells for r in t.rows] == [[D("5")], ["？"], [D("5")]]
    assert t.rows[1].code == "2010" and t.rows[1].level is None
    assert sorted(w.code for w in warnings) == ["bad_amount", "code_length", "extra_cells", "seq_gap"]
    assert all(w.line is not None for w in warnings)


def test_untitled_procurement_found_by_its_header() -> None:
    d = doc(
        "六、政府采购预算情况",
        "",
        T.join(["政府采购项目来源", "", "采购物品名称", "数量", "单价", "政府采购金额"]),
        T.join(["项目名称", "预算资金", "", "", "", ""]),
        T.join(["办公设备", "3", "台式计算机", "2", "0.5", "1"]),
        "七、国有资产信息",
    )
    t = only(parse_tables(d)[0])
    assert t.kind == "government_procurement"
    assert t.columns == ["项目名称", "预算资金", "采购物品名称", "数量", "单价", "政府采购金额"]
    assert t.rows[0].name == "台式计算机" and t.rows[0].cells[3:] == [D("2"), D("0.5"), D("1")]


def test_document_meta_from_unit_line_or_title() -> None:
    with_unit = doc("单位预算收支总表", "", "105002 某某县财政局本级", "", "预算年度：2023", "单位：万元")
    assert document_meta(with_unit) == ("105002", "某某县财政局本级", 2023)
    title_only = doc("", "某某县财政局2023年单位预算信息公开情况说明", "一、单位职责")
    assert document_meta(title_only) == (None, "某某县财政局", 2023)
    neither = doc("一、单位职责")
    assert document_meta(neither) == (None, None, None)


def test_unnamed_seq_column_and_other_empty_wording() -> None:
    d = doc(
        "部门国有资产占用情况表",
        T.join(["", "项目", "数量", "价值", ""]),
        T.join(["1", "资产总额", "", "", ""]),
        "本表无数据。",
        "",
        "政府性基金预算支出情况表",
        T.join(["", "科目编码", "科目名称", "合计", ""]),
        T.join(["1", "212", "城乡社区支出", "3", ""]),
    )
    assets, fund = parse_tables(d)[0]
    assert assets.kind == "fixed_assets" and assets.empty and assets.rows == [] and assets.note == "本表无数据。"
    assert fund.kind == "government_fund_expenditure" and fund.columns == ["合计"]
    assert [(r.seq, r.code, r.cells) for r in fund.rows] == [(1, "212", [D("3")])]


def test_scrambled_documents_never_raise() -> None:
    corpus = Path(__file__).resolve().parents[1] / "eval" / "corpus"
    for path in sorted(corpus.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        rng = random.Random(path.name)
        for _ in range(3):
            sample = lines[:]
            rng.shuffle(sample)
            d = ingest_text("\n".join(sample[: len(sample) // 2]) + "\n预算 支出 科目 万元")
            tables, _ = parse_tables(d)
            document_meta(d)
            assert all(len(r.cells) == len(t.columns) for t in tables for r in t.rows)


def test_row_with_only_a_numbered_label_does_not_end_the_table() -> None:
    d = doc(
        "财政拨款“三公”经费支出表",
        "",
        T + "项目",
        T + "合计",
        "",
        T + "合计",
        T + "5",
        "",
        T + "一、因公出国（境）费",
        T,
        "",
        T + "二、公务接待费",
        T + "5",
    )
    assert d.layout == "cell_per_line"
    t = only(parse_tables(d)[0])
    assert [(r.name, r.cells) for r in t.rows] == [
        ("合计", [D("5")]),
        ("一、因公出国（境）费", [None]),
        ("二、公务接待费", [D("5")]),
    ]


def test_cell_per_line_row_reduced_to_its_label_stays_in_the_table() -> None:
    d = doc(
        "财政拨款“三公”经费支出表",
        "",
        T + "项目",
        T + "合计",
        "",
        T + "合计",
        T + "5",
        "",
        T + "一、因公出国（境）费",  # its empty amount cell not exported at all
        "",
        T + "二、公务接待费",
        T + "5",
        "",
        T + "项目",
        T + "合计",
        "",
    )
    t = only(parse_tables(d)[0])
    assert [(r.name, r.cells) for r in t.rows] == [
        ("合计", [D("5")]),
        ("一、因公出国（境）费", [None]),
        ("二、公务接待费", [D("5")]),
    ]
