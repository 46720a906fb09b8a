"""Amounts stated in the 说明: deterministic extraction, their own sums, and the tables."""

from __future__ import annotations

from decimal import Decimal

from checks_helpers import EXPENSE_COLUMNS, by_code, coded, consistency, document

from semx.checks import check_document
from semx.checks.prose_extract import extract_facts

OVERVIEW = """二、部门预算安排的总体情况
1、收入说明
反映本部门当年全部收入。2022年预算收入100.50万元，其中：一般公共预算收入90.50万元，上年结转10万元。
2、支出说明
2022年支出预算为100.50万元，其中基本支出60.50万元，包括人员经费50万元、日常公用经费10.50万元；项目支出40万元，其中专项公用经费20万元，专项项目支出20万元。
3、比上年增减情况
2022年预算收支安排100.50万元，较2021年预算增加8.5万元，其中：基本支出增加3万元，项目支出减少2万元。
三、机关运行经费安排情况
机关运行经费（含下属单位）共计安排9.8万元，主要用于办公费。
四、财政拨款“三公”经费预算情况及增减变化原因
“三公”经费预算安排12万元，其中：因公出国（境）费0元；公务用车购置及运行维护费7万元（其中：公务用车购置费0万元，公务用车运行维护费7万元）；公务接待费5万元。与上年相比减少1万元。
五、预算绩效信息
"""


def facts_of(text: str) -> dict[str, list[Decimal]]:
    out: dict[str, list[Decimal]] = {}
    for f in extract_facts(document(text)):
        out.setdefault(f.key, []).append(f.amount)
    return out


def test_extraction_labels_each_amount_and_skips_changes() -> None:
    facts = facts_of(OVERVIEW)
    assert facts == {
        "income_total": [Decimal("100.50")],
        "income_general": [Decimal("90.50")],
        "income_carryover": [Decimal(10)],
        "expend_total": [Decimal("100.50")],
        "basic": [Decimal("60.50")],
        "personnel": [Decimal(50)],
        "public": [Decimal("10.50")],
        "project": [Decimal(40)],
        "item:project": [Decimal(20), Decimal(20)],  # 专项公用经费 / 专项项目支出 itemise 项目支出
        "budget_total": [Decimal("100.50")],
        "running_total": [Decimal("9.8")],
        "tp_total": [Decimal(12)],
        "tp_abroad": [Decimal(0)],
        "tp_car_total": [Decimal(7)],
        "tp_car_purchase": [Decimal(0)],
        "tp_car_running": [Decimal(7)],
        "tp_reception": [Decimal(5)],
    }


def test_extraction_keeps_the_sentence_and_line() -> None:
    doc = document(OVERVIEW)
    fact = next(f for f in extract_facts(doc) if f.key == "personnel")
    assert doc.lines[fact.line - 1].text.startswith("2022年支出预算为")
    assert "人员经费50万元" in fact.sentence


def test_extraction_joins_wrapped_lines() -> None:
    text = (
        "二、部门预算安排的总体情况\n1、收入说明\n反映本部门当年全部收入，2021年预算收入722.61万元。其中：一般公共预算收入722.61\n\n"
        "万元，基金预算收入 0 万元。\n2、支出说明\n2020预算支出957.7万元。其中基本支出625.36万元，项目支\n\n出 332.34 万元。\n"
        "三、机关运行经费安排情况\n"
    )
    doc = document(text)
    facts = {f.key: f for f in extract_facts(doc)}
    assert facts["income_general"].amount == Decimal("722.61")
    assert facts["project"].amount == Decimal("332.34")
    assert doc.lines[facts["project"].line - 1].text.startswith("出 332.34")


def test_extraction_reads_yuan_and_unitless_zero() -> None:
    text = ("四、“三公”经费支出预算情况说明\n我单位三公经费预算安排为38.9万元，其中\n- 1、因公出国（境）经费为 0，与上年相比一致。\n"
            "- 2、公务接待费 15000 元。\n五、绩效预算信息\n")
    facts = facts_of(text)
    assert facts["tp_abroad"] == [Decimal(0)]
    assert facts["tp_reception"] == [Decimal("1.5")]


def test_consistent_prose_gives_no_finding() -> None:
    assert consistency(check_document(document(OVERVIEW), [])) == []


def test_prose_parts_that_do_not_add_up() -> None:
    text = OVERVIEW.replace("日常公用经费10.50万元", "日常公用经费11.50万元").replace(
        "公务用车运行维护费7万元）", "公务用车运行维护费6.8万元）")
    findings = consistency(check_document(document(text), []))
    assert [(f.code, f.expected, f.actual) for f in findings] == [
        ("PROSE_SUM", Decimal("61.50"), Decimal("60.50")),
        ("PROSE_SUM", Decimal("6.8"), Decimal(7)),
    ]
    assert findings[0].evidence and "日常公用经费11.50万元" in findings[0].evidence


def test_itemised_project_spending() -> None:
    over = OVERVIEW.replace("专项项目支出20万元", "专项项目支出21万元")
    findings = consistency(check_document(document(over), []))
    assert [(f.code, f.severity, f.expected, f.actual) for f in findings] == [
        ("PROSE_SUM", "error", Decimal(41), Decimal(40))
    ]
    partial = OVERVIEW.replace("专项项目支出20万元", "专项项目支出10万元")
    findings = consistency(check_document(document(partial), []))
    assert [(f.code, f.severity) for f in findings] == [("PROSE_ITEMS_PARTIAL", "info")]


def test_three_public_total_that_counts_meetings() -> None:
    text = OVERVIEW.replace("“三公”经费预算安排12万元", "“三公”经费预算安排20万元").replace(
        "公务接待费5万元。", "公务接待费5万元。会议费6万元，培训费2万元。")
    findings = consistency(check_document(document(text), []))
    assert [(f.code, f.severity, f.expected, f.actual) for f in findings] == [
        ("PROSE_THREE_PUBLIC_SCOPE", "warning", Decimal(12), Decimal(20))
    ]


# A 三公 paragraph whose 公务接待费 clause lost its label (a web page's text, words dropped) and
# which names 因公出国 as `费用`: its parts are the car's only, so the total is not theirs to add up to.
THREE_PUBLIC_GAPS = """三、“三公”经费情况说明
2018年“三公”经费预算300.50万元，比2017年减少20万元。其中：因公出国(境)费用10万元，比2017年减少2万元，严控40.5万元，比2017年减少1万元；公务用车运行维护费250万元，比2017年减少5万元；公务用车购置费0万元，与2017年一致。
"""


def test_three_public_fee_words_ending_in_yong() -> None:
    facts = facts_of(THREE_PUBLIC_GAPS)
    assert facts["tp_abroad"] == [Decimal(10)]
    assert facts["tp_car_running"] == [Decimal(250)]


def test_three_public_total_over_parts_that_miss_a_kind_is_no_finding() -> None:
    # 因公出国 10 + 用车 250 + 0 = 260 < 300.50: the unnamed 公务接待费 may hold the rest
    assert consistency(check_document(document(THREE_PUBLIC_GAPS), [])) == []
    # parts of two kinds that already exceed the total are wrong whatever the third holds
    over = THREE_PUBLIC_GAPS.replace("公务用车运行维护费250万元", "公务用车运行维护费295万元")
    findings = consistency(check_document(document(over), []))
    assert [(f.code, f.expected, f.actual) for f in findings] == [("PROSE_SUM", Decimal(305), Decimal("300.50"))]


def test_running_costs_equal_to_basic_spending() -> None:
    text = ("二、部门预算安排的总体情况\n单位预算经费为400万元，其中基本支出预算安排180万元，项目支出预算安排220万元。\n"
            "三、机关运行经费安排情况\n2021年，机关运行经费共计安排180万元，主要用于日常办公。\n四、“三公”经费\n")
    findings = consistency(check_document(document(text), []))
    assert [(f.code, f.severity) for f in findings] == [("PROSE_RUNNING_COSTS", "warning")]


def expense_table(basic: str = "60.50") -> list:  # type: ignore[type-arg]
    total = str(Decimal(basic) + 40)
    return [coded("expenditure_summary", EXPENSE_COLUMNS, [
        (None, "合计", [total, basic, "40"]),
        ("201", "一般公共服务支出", [total, basic, "40"]),
        ("2010101", "行政运行", [total, basic, "40"]),
    ])]


def test_prose_against_tables() -> None:
    doc = document(OVERVIEW)
    assert consistency(check_document(doc, expense_table())) == []
    findings = consistency(check_document(doc, expense_table(basic="61.50")))
    root = findings[0]
    assert (root.code, root.expected, root.actual) == ("PROSE_TABLE", Decimal("101.50"), Decimal("100.50"))
    assert root.evidence and "支出预算为100.50万元" in root.evidence
    prose_table = by_code(findings, "PROSE_TABLE")
    assert {(f.expected, f.actual) for f in prose_table} == {
        (Decimal("101.50"), Decimal("100.50")), (Decimal("61.50"), Decimal("60.50"))
    }
    # the stated 支出 = 基本 + 项目 still holds in the prose, so nothing else is reported
    assert all(f.caused_by is None for f in prose_table)
    assert len(findings) == 2
