"""Consistency checks on hand-made tables: identities, hierarchy, cross-table, causes."""

from __future__ import annotations

from decimal import Decimal

from checks_helpers import EXPENSE_COLUMNS, INCOME_COLUMNS, by_code, coded, consistency, document, named

from semx.checks import check_document
from semx.models import Table


def income(v20101: str = "84.00", v201: str = "84.00", total: str = "84.00") -> Table:
    return coded("income_summary", INCOME_COLUMNS, [
        (None, "合计", [total, total, total, None, None]),
        ("201", "一般公共服务支出", [v201, v201, v201, None, None]),
        ("20101", "人大事务", [v20101, v20101, v20101, None, None]),
        ("2010101", "行政运行", ["50.00", "50.00", "50.00", None, None]),
        ("2010102", "一般行政管理事务", ["34.00", "34.00", "34.00", None, None]),
    ])


def expense(v20101: tuple[str, str, str] = ("84", "50", "34"), v201: tuple[str, str, str] = ("84", "50", "34"),
            leaf: tuple[str, str, str] = ("50", "50", ""), kind: str = "expenditure_summary") -> Table:
    return coded(kind, EXPENSE_COLUMNS, [
        (None, "合计", ["84", "50", "34"]),
        ("201", "一般公共服务支出", list(v201)),
        ("20101", "人大事务", list(v20101)),
        ("2010101", "行政运行", list(leaf)),
        ("2010102", "一般行政管理事务", ["34", "", "34"]),
    ], start=40)


def test_consistent_tables_give_no_finding() -> None:
    assert consistency(check_document(document(), [income(), expense()])) == []


def test_wrong_kuan_is_one_root_and_its_class_a_consequence() -> None:
    # 20101 printed 90 over items summing to 84; 201 printed 84 (right) so 201 != sum of its 款
    findings = consistency(check_document(document(), [income(v20101="90.00")]))
    roots = [f for f in findings if f.caused_by is None]
    assert [(f.code, f.expected, f.actual, f.difference) for f in roots] == [
        ("SUM_HIERARCHY", Decimal("84.00"), Decimal("90.00"), Decimal("6.00"))
    ]
    assert roots[0].lines[0] == 12 and roots[0].tables == ["income_summary"]
    # one finding for the row although 合计, 小计 and 财政拨款收入 all differ
    assert "小计" in roots[0].message and "财政拨款收入" in roots[0].message
    consequences = [f for f in findings if f.caused_by == roots[0].id]
    assert [(f.code, f.lines[0]) for f in consequences] == [("SUM_HIERARCHY", 11)]


def test_wrong_kuan_carried_into_class_makes_total_row_a_consequence() -> None:
    findings = consistency(check_document(document(), [income(v20101="90.00", v201="90.00")]))
    root, *rest = findings
    assert root.code == "SUM_HIERARCHY" and root.caused_by is None and root.lines[0] == 12
    assert [(f.code, f.lines[0], f.caused_by) for f in rest] == [("SUM_TOTAL_ROW", 10, root.id)]


def test_class_difference_between_tables_is_linked_to_the_wrong_kuan() -> None:
    findings = consistency(check_document(document(), [income(v20101="90.00", v201="90.00"), expense()]))
    root = findings[0]
    cross = by_code(findings, "CROSS_TABLE")
    assert len(cross) == 1 and cross[0].caused_by == root.id
    assert (cross[0].expected, cross[0].actual) == (Decimal(84), Decimal("90.00"))
    assert "201" in cross[0].message


def test_same_wrong_figure_in_two_tables_is_reported_once() -> None:
    findings = consistency(check_document(document(), [
        income(v20101="90.00"), expense(v20101=("90", "56", "34")),
    ]))
    roots = [f for f in findings if f.caused_by is None]
    assert len(roots) == 1 and roots[0].tables == ["income_summary"]
    repeat = [f for f in findings if f.tables == ["expenditure_summary"] and f.lines[0] == 42]
    assert repeat and repeat[0].caused_by == roots[0].id and "同一错误" in repeat[0].message


def test_rounding_within_tolerance_is_not_reported() -> None:
    assert consistency(check_document(document(), [income(v20101="84.01", v201="84.01", total="84.01")])) == []
    findings = consistency(check_document(document(), [income(v20101="84.02", v201="84.02", total="84.02")]))
    assert [(f.code, f.difference) for f in findings if f.caused_by is None] == [("SUM_HIERARCHY", Decimal("0.02"))]


def test_misprinted_leaf_part_is_one_root() -> None:
    # 2010101: 合计 50 but 基本支出 45; the 款 above says 基本支出 50, so 45 is the misprint
    findings = consistency(check_document(document(), [expense(leaf=("50", "45", ""))]))
    root, *rest = findings
    assert (root.code, root.lines[0], root.expected, root.actual) == ("SUM_COLUMNS", 43, Decimal(45), Decimal(50))
    assert [(f.code, f.lines[0], f.caused_by) for f in rest] == [("SUM_HIERARCHY", 42, root.id)]


def test_misprinted_leaf_total_is_one_root() -> None:
    # 2010101: 合计 55 over 基本 50 + 项目 0; the 款 above adds up to the right 84 in 基本 and 项目 but
    # not in 合计 (84 != 55 + 34), so the leaf's 合计 is the misprint
    findings = consistency(check_document(document(), [expense(leaf=("55", "50", ""))]))
    root, *rest = findings
    assert (root.code, root.lines[0]) == ("SUM_COLUMNS", 43)
    assert [(f.code, f.lines[0], f.caused_by) for f in rest] == [("SUM_HIERARCHY", 42, root.id)]


def test_general_budget_table_compared_with_expenditure_summary_row_by_row() -> None:
    general = expense(kind="general_budget_expenditure", leaf=("50", "50", ""))
    general.rows[3].cells = [Decimal(50), Decimal(50), None]
    exp = expense()
    exp.rows[4].cells = [Decimal(34), None, Decimal(34)]
    assert consistency(check_document(document(), [exp, general])) == []
    # totals agree but a leaf moved between 基本 and 项目: reported on the leaf
    general.rows[3].cells = [Decimal(50), Decimal(40), Decimal(10)]
    general.rows[2].cells = [Decimal(84), Decimal(40), Decimal(44)]
    general.rows[1].cells = [Decimal(84), Decimal(40), Decimal(44)]
    general.rows[0].cells = [Decimal(84), Decimal(40), Decimal(44)]
    findings = consistency(check_document(document(), [exp, general]))
    roots = [f for f in findings if f.caused_by is None]
    assert {(f.code, f.lines[0]) for f in roots} == {("CROSS_TABLE", 43)}
    assert all(f.code == "CROSS_TABLE" for f in findings)


def test_three_public_with_subtotal_and_meetings() -> None:
    cols = ["合计", "一般公共预算财政拨款", "政府性基金预算拨款"]
    good = named("three_public_expenditure", cols, [
        ("合计", ["50.00", "50.00", None]),
        ("“三公”经费小计", ["46.00", "46.00", None]),
        ("一、因公出国（境）费", [None, None, None]),
        ("二、公务用车购置及运维费", ["34.00", "34.00", None]),
        ("其中：公务用车购置费", [None, None, None]),
        ("公务用车运行维护费", ["34.00", "34.00", None]),
        ("三、公务接待费", ["12.00", "12.00", None]),
        ("四、会议费", ["4.00", "4.00", None]),
        ("五、培训费", [None, None, None]),
    ])
    assert consistency(check_document(document(), [good])) == []


def test_three_public_blank_car_line_is_the_root() -> None:
    cols = ["合计", "一般公共预算财政拨款"]
    table = named("three_public_expenditure", cols, [
        ("合计", ["50", "50"]),
        ("一、因公出国（境）费", [None, None]),
        ("二、公务用车购置及运维费", [None, None]),
        ("其中：公务用车购置费", [None, None]),
        ("公务用车运行维护费", ["50.00", "50.00"]),
        ("三、公务接待费", [None, None]),
    ])
    findings = consistency(check_document(document(), [table]))
    root = findings[0]
    assert (root.code, root.lines[0], root.expected, root.actual) == ("SUM_PARTS", 12, Decimal("50.00"), Decimal(0))
    assert [(f.code, f.lines[0], f.caused_by) for f in findings[1:]] == [("SUM_PARTS", 10, root.id)]


def test_fixed_assets_parts_exclude_the_of_which_line() -> None:
    rows: list[tuple[str | None, list[str | None]]] = [
        ("资产总额", [None, "221.03"]),
        ("1、房屋（平方米）", ["500", "100.00"]),
        ("其中：办公用房（平方米）", ["300", "60.00"]),
        ("2、车辆（台、辆）", ["6", "37.22"]),
        ("3、单价在20万元以上的设备", [None, None]),
        ("4、其他固定资产", ["134", "83.81"]),
    ]
    assert consistency(check_document(document(), [named("fixed_assets", ["数量", "价值"], rows)])) == []
    rows[5] = ("4、其他固定资产", ["134", "83.71"])
    findings = consistency(check_document(document(), [named("fixed_assets", ["数量", "价值"], rows)]))
    assert [(f.code, f.expected, f.actual) for f in findings] == [("SUM_PARTS", Decimal("220.93"), Decimal("221.03"))]


PROCUREMENT_COLUMNS = ["项目名称", "预算资金", "采购物品名称", "政府采购目录序号", "计量单位", "数量", "单价", "合计",
                       "一般公共预算拨款", "基金预算拨款"]


def test_procurement_quantity_times_price() -> None:
    row: list[str | None] = ["合计", "182", "电子显示屏", "A020207", "个", "14", "13", "182", "182", None]
    table = named("government_procurement", PROCUREMENT_COLUMNS, [("电子显示屏", row)])
    assert consistency(check_document(document(), [table])) == []
    row[5] = "15"
    findings = consistency(
        check_document(document(), [named("government_procurement", PROCUREMENT_COLUMNS, [("电子显示屏", row)])])
    )
    assert [(f.code, f.expected, f.actual) for f in findings] == [("QTY_PRICE", Decimal(195), Decimal(182))]


def test_procurement_total_row_and_fund_columns() -> None:
    table = named("government_procurement", PROCUREMENT_COLUMNS, [
        (None, ["合计", None, None, None, None, None, None, "30", "20", "10"]),
        ("电脑", ["办公设备", "30", "台式机", "A02010104", "台", "4", "5", "20", "20", None]),
        ("打印机", ["办公设备", "30", "打印机", "A020201", "台", "2", "5", "10", None, "10"]),
    ])
    assert consistency(check_document(document(), [table])) == []
    table.rows[0].cells[7] = Decimal(31)
    findings = consistency(check_document(document(), [table]))
    assert {f.code for f in findings} == {"SUM_COLUMNS", "SUM_PARTS"}
    assert len([f for f in findings if f.caused_by is None]) == 1


SUMMARY_COLUMNS = ["收入项目", "收入预算数", "支出项目", "支出预算数"]


def summary(income_total: str = "100", spend: str = "100", carry: str | None = None) -> Table:
    grand = str(Decimal(income_total) + Decimal(carry or "0"))
    return named("income_expenditure_summary", SUMMARY_COLUMNS, [
        (None, ["一、一般公共预算拨款收入", "80", "一、一般公共服务支出", spend]),
        (None, ["五、事业收入", "20", "二、外交支出", None]),
        (None, ["本年收入合计", income_total, "本年支出合计", spend]),
        (None, ["上年结转结余", carry, "年终结转结余", None]),
        (None, ["收入总计", grand, "支出总计", spend]),
    ])


def test_two_sided_summary_balances() -> None:
    assert consistency(check_document(document(), [summary()])) == []


def test_two_sided_summary_with_carry_over() -> None:
    table = summary(income_total="100", spend="110", carry="10")
    # 本年收入 100 != 本年支出 110 is legitimate with 10 carried over
    assert consistency(check_document(document(), [table])) == []
    table.rows[4].cells[1] = Decimal(100)
    findings = consistency(check_document(document(), [table]))
    assert [f.id for f in findings if f.caused_by is None] == ["SUM_PARTS:income_expenditure_summary:14:收入预算数"]
    assert [f.code for f in findings if f.caused_by is not None] == ["BALANCE"]


def test_two_sided_summary_imbalance() -> None:
    table = summary(spend="100")
    table.rows[4].cells[3] = Decimal(101)
    findings = consistency(check_document(document(), [table]))
    assert [f.code for f in findings if f.caused_by is None] == ["SUM_PARTS"]
    assert [f.code for f in findings if f.caused_by is not None] == ["BALANCE"]


def test_no_tables_gives_one_info() -> None:
    findings = check_document(document(), [])
    assert [(f.code, f.severity) for f in findings] == [("TABLES_ABSENT", "info")]


def test_missing_tables_are_listed_and_empty_ones_count_as_present() -> None:
    fund = named("government_fund_expenditure", EXPENSE_COLUMNS, [], empty=True)
    findings = check_document(document(), [income(), fund])
    missing = {f.tables[0] for f in by_code(findings, "TABLE_MISSING")}
    assert "government_fund_expenditure" not in missing and "income_summary" not in missing
    assert "expenditure_summary" in missing and len(missing) == 7
    assert all(f.severity == "warning" for f in by_code(findings, "TABLE_MISSING"))


def test_ids_are_unique_and_stable() -> None:
    tables = [income(v20101="90.00", v201="90.00"), expense(v20101=("90", "56", "34"))]
    first = check_document(document(), tables)
    second = check_document(document(), tables)
    assert [f.id for f in first] == [f.id for f in second]
    assert len({f.id for f in first}) == len(first)
    ids = {f.id for f in first}
    assert all(f.caused_by in ids for f in first if f.caused_by)


def test_each_unit_set_is_compared_within_itself() -> None:
    # a 部门 document printing its own tables and a 所属单位's: the two sets differ, each is consistent
    dept_income, dept_expense = income(), expense()
    unit_income = income(v20101="50.00", v201="50.00", total="50.00")
    unit_income.rows[4].cells = [Decimal(0), Decimal(0), Decimal(0), None, None]
    unit_expense = coded("expenditure_summary", EXPENSE_COLUMNS, [
        (None, "合计", ["50", "50", ""]),
        ("201", "一般公共服务支出", ["50", "50", ""]),
        ("20101", "人大事务", ["50", "50", ""]),
        ("2010101", "行政运行", ["50", "50", ""]),
    ], start=80)
    for table, unit in ((dept_income, "001 某部门"), (dept_expense, "001 某部门"),
                        (unit_income, "001001 某部门本级"), (unit_expense, "001001 某部门本级")):
        table.unit_line = unit
    tables = [dept_income, dept_expense, unit_income, unit_expense]
    assert consistency(check_document(document(), tables)) == []
    # the unit's own tables are still compared with each other
    unit_expense.rows[3].code = "2010150"
    findings = consistency(check_document(document(), tables))
    roots = [f for f in findings if f.caused_by is None]
    assert [f.code for f in roots] == ["CROSS_TABLE_ROW", "CROSS_TABLE_ROW"]
    assert all(line >= 80 or line < 20 for f in findings for line in f.lines)
    assert all(f.tables == ["income_summary", "expenditure_summary"] for f in roots)


def test_fiscal_summary_carry_over_printed_by_sub_items() -> None:
    cols = ["收入项目", "收入金额", "支出项目", "支出合计", "一般公共预算财政拨款"]
    table = named("fiscal_appropriation_summary", cols, [
        (None, ["一、一般公共预算拨款", "100", "一、一般公共服务支出", "110", "110"]),
        (None, ["本年收入合计", "100", "本年支出合计", "110", "110"]),
        (None, ["年初财政拨款结转和结余", None, "年末财政拨款结转和结余", None, None]),
        (None, ["一、一般公共预算拨款", "10", None, None, None]),
        (None, ["收入总计", "110", "支出总计", "110", "110"]),
    ])
    assert consistency(check_document(document(), [table])) == []
    table.rows[2].cells[1] = Decimal(10)  # the heading now prints the total of its sub-items
    assert consistency(check_document(document(), [table])) == []
