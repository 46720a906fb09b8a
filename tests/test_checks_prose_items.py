"""The 科目 statements of a 决算 说明 (…(类)…(款)…(项) X 万元 … 支出决算为 Y 万元) against their rows.

All figures are invented.
"""

from __future__ import annotations

from decimal import Decimal

from checks_helpers import EXPENSE_COLUMNS, by_code, coded, consistency, document

from semx.checks import check_document
from semx.checks.amounts import copy_tolerance
from semx.checks.prose_extract import extract_facts
from semx.ingest.sections import split_sections

# 目录 without page numbers, as many 决算 print it, then the body.
FINAL = """目 录
第一部分 概况
第三部分 部门决算情况说明
一、收入支出决算总体情况说明
五、一般公共预算财政拨款支出决算情况说明
七、财政拨款“三公”经费支出决算情况说明
八、政府性基金预算财政拨款收入支出决算情况说明
第一部分 概况
收入支出决算总表
八、其他收入 1.00 八、社会保障和就业支出 40.00
第三部分 部门决算情况说明
一、收入支出决算总体情况说明
本单位2030年度收入支出总计70.00万元。与上年相比，收入支出总计减少3.00万元。
五、一般公共预算财政拨款支出决算情况说明
一般公共预算财政拨款支出60.00万元，主要用于以下方面：社会保障和就业支出（类）60.00万元，占100%。其中：
1、社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）12.34万元，主要用于:
职业年金缴费。年初预算为13.00万元，支出决算为12.34万元。决算数小于预算数的主要原因：按实缴费。
2、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）47.66万元，主要用于离退休费。
年初预算为47.00万元，支出决算为47.66万元。
七、财政拨款“三公”经费支出决算情况说明
本单位无“三公”经费支出。
八、政府性基金预算财政拨款收入支出决算情况说明
政府性基金预算财政拨款收入10.00万元，支出具体情况如下：
住房保障支出（类）超长期特别国债安排的支出（款）其他住房保障支出（项）10.00万元，主要用于电梯更新。
年初预算为0.00万元，支出决算为10.00万元。
九、国有资本经营预算财政拨款收入支出决算情况说明
"""


def tables(pension: str = "12.34", housing: str = "10.00") -> list:  # type: ignore[type-arg]
    general = coded("general_budget_expenditure", EXPENSE_COLUMNS, [
        (None, "合计", ["60.00", "60.00", None]),
        ("208", "社会保障和就业支出", ["60.00", "60.00", None]),
        ("20805", "行政事业单位养老支出", ["60.00", "60.00", None]),
        ("2080501", "行政单位离退休", ["47.66", "47.66", None]),
        ("2080506", "机关事业单位职业年金缴费支出", [pension, pension, None]),
    ])
    # the 支出决算表 covers all funds; it prints the 政府性基金 科目 too
    spending = coded("expenditure_summary", EXPENSE_COLUMNS, [
        (None, "合计", ["70.00", "60.00", "10.00"]),
        ("208", "社会保障和就业支出", ["60.00", "60.00", None]),
        ("2080501", "行政单位离退休", ["47.66", "47.66", None]),
        ("2080506", "机关事业单位职业年金缴费支出", [pension, pension, None]),
        ("221", "住房保障支出", [housing, None, housing]),
        ("2219899", "其他住房保障支出", [housing, None, housing]),
    ], start=40)
    return [general, spending]


def test_final_sections_skip_an_unnumbered_contents_and_table_rows() -> None:
    doc = document(FINAL)
    keys = [(s.key, doc.lines[s.start_line - 1].text) for s in split_sections(doc.lines)]
    assert keys == [
        ("overview", "一、收入支出决算总体情况说明"),
        ("final_general", "五、一般公共预算财政拨款支出决算情况说明"),
        ("three_public", "七、财政拨款“三公”经费支出决算情况说明"),
        ("final_fund", "八、政府性基金预算财政拨款收入支出决算情况说明"),
    ]


def test_consistent_final_gives_no_finding() -> None:
    assert consistency(check_document(document(FINAL), tables())) == []


def test_item_stated_off_by_one_cent_from_its_row() -> None:
    text = FINAL.replace("缴费支出（项）12.34万元", "缴费支出（项）12.35万元")
    findings = by_code(consistency(check_document(document(text), tables())), "PROSE_TABLE")
    assert [(f.expected, f.actual) for f in findings] == [(Decimal("12.34"), Decimal("12.35"))]
    assert findings[0].evidence and "12.35万元" in findings[0].evidence


def test_item_whose_row_prints_another_figure() -> None:
    # (the tables' own sums then fail too; only the prose finding is asked about here)
    findings = by_code(check_document(document(FINAL), tables(pension="12.30")), "PROSE_TABLE")
    assert [(f.expected, f.actual) for f in findings] == [(Decimal("12.30"), Decimal("12.34"))]


def test_class_stated_against_its_row() -> None:
    text = FINAL.replace("社会保障和就业支出（类）60.00万元", "社会保障和就业支出（类）61.00万元")
    findings = consistency(check_document(document(text), tables()))
    assert [(f.code, f.expected, f.actual) for f in findings] == [("PROSE_TABLE", Decimal("60.00"), Decimal("61.00"))]


def test_fund_item_above_all_funds_of_its_row() -> None:
    text = FINAL.replace("其他住房保障支出（项）10.00万元", "其他住房保障支出（项）13.00万元").replace(
        "支出决算为10.00万元", "支出决算为13.00万元")
    findings = consistency(check_document(document(text), tables()))
    assert [(f.code, f.expected, f.actual) for f in findings] == [("PROSE_TABLE", Decimal("10.00"), Decimal("13.00"))]
    # below the all-funds figure is no contradiction: other funds may pay for the same 项
    lower = FINAL.replace("（项）10.00万元", "（项）8.00万元").replace("支出决算为10.00万元", "支出决算为8.00万元")
    assert consistency(check_document(document(lower), tables())) == []


def test_item_contradicting_itself_without_tables() -> None:
    text = FINAL.replace("离退休（项）47.66万元", "离退休（项）46.66万元")
    findings = consistency(check_document(document(text), []))
    assert [(f.code, f.expected, f.actual) for f in findings] == [("PROSE_SELF", Decimal("47.66"), Decimal("46.66"))]


def test_grand_total_of_a_final_is_not_basic_plus_project() -> None:
    keys = {f.key for f in extract_facts(document(FINAL))}
    assert "grand_total" in keys and "expend_total" not in keys


def test_copy_tolerance() -> None:
    assert copy_tolerance(Decimal("269.85"), Decimal("269.86")) == 0
    assert copy_tolerance(Decimal("8252.79"), Decimal("8252.7880")) == Decimal("0.005")
    assert copy_tolerance(Decimal("0.3"), Decimal("0.30")) == Decimal("0.05")


def test_final_spending_total_against_the_column_a_final_prints() -> None:
    text = "一、收入支出决算总体情况说明\n本年支出合计70.00万元，其中：基本支出60.00万元，项目支出10.00万元。\n"
    table = coded("expenditure_summary", ["本年支出合计", "基本支出", "项目支出"], [(None, "合计", ["71.00", "61.00", "10.00"])])
    findings = by_code(check_document(document(text), [table]), "PROSE_TABLE")
    assert {(f.expected, f.actual) for f in findings} == {(Decimal("71.00"), Decimal("70.00")), (Decimal("61.00"), Decimal("60.00"))}


def test_three_public_final_figures_are_read() -> None:
    text = ("七、财政拨款“三公”经费支出决算情况说明\n“三公”经费财政拨款支出决算为1.50万元，其中：因公出国（境）费决算为0.00万元；"
            "公务用车购置及运行维护费支出决算为1.20万元，完成预算的60%；公务接待费支出决算为0.30万元。\n八、其他\n")
    facts = {f.key: f.amount for f in extract_facts(document(text))}
    assert facts == {"tp_total": Decimal("1.50"), "tp_abroad": Decimal("0.00"), "tp_car_total": Decimal("1.20"),
                     "tp_reception": Decimal("0.30")}
