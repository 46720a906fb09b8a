"""A 部门决算 as pdfplumber `extract_text` flattens it: subject codes printed as one number
(2010507), names wrapped in their cells printed around the row (head above, middle on the row,
tail below), header labels on lines of their own (功能分类 / 科目名称 / 科目编码), the 合计 row
first, empty cells gone, and the 基本支出 table's two halves side by side. Made-up figures in the
shape of the Shanghai district 决算 tables."""

from __future__ import annotations

from decimal import Decimal

from semx.ingest import ingest_text
from semx.models import SourceDocument, Table, TableRow
from semx.pipeline import parse_source
from semx.tables import parse_tables
from semx.tables.structure import printed_cells

D = Decimal
FINAL_INCOME_COLUMNS = [
    "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入",
]

COVER = ["上海市普陀区人民政府某某街道办事处", "2025 年度部门决算"]

INCOME = [
    "收入决算表",
    "单位：万元",
    "项目",
    "附属单位",
    "本年收入合计 财政拨款收入 上级补助收入 事业收入 经营收入 其他收入",
    "功能分类",
    "上缴收入",
    "科目名称",
    "科目编码",
    "合计 300.00 300.00",
    "201 一般公共服务支出 100.00 100.00",
    "20105 统计信息事务 100.00 100.00",
    "2010507 专项普查活动 100.00 100.00",
    "208 社会保障和就业支出 200.00 200.00",
    "20805 行政事业单位养老支出 200.00 200.00",
    "机关事业单位基本养老保",
    "2080505 120.00 120.00",
    "险缴费支出",
    "其他行政事业单位养老支",
    "2080599 80.00 80.00",
    "出",
    "注：本表反映部门本年度取得的各项收入情况。",
]

# 合计 ≠ the sum of the classes by 0.01 (each figure rounded to 0.01 万元), as real tables print
GENERAL = [
    "一般公共预算财政拨款支出决算表",
    "单位：万元",
    "项目",
    "合计 基本支出 项目支出",
    "功能分类",
    "科目名称",
    "科目编码",
    "一般公共服务",
    "201 33.34 33.34",
    "支出",
    "20105 统计信息事务 33.34 33.34",
    "2010507 专项普查活动 33.34 33.34",
    "社会保障和就",
    "208 266.68 200.01 66.67",
    "业支出",
    "行政事业单位",
    "20805 200.01 200.01",
    "养老支出",
    "机关事业单位",
    "2080505 基本养老保险 200.01 200.01",
    "缴费支出",
    "20807 就业补助 66.67 66.67",
    "2080705 公益性岗位补贴 66.67 66.67",
    "合计 300.03 200.01 100.02",
    "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
]

BASIC = [
    "一般公共预算财政拨款基本支出决算表",
    "单位：万元",
    "经济分",
    "经济分",
    "类",
    "类科目 科目名称 决算数 科目名称 决算数",
    "科目编",
    "编码",
    "码",
    "301 工资福利支出 150.00 302 商品和服务支出 45.00",
    "30101 基本工资 100.00 30201 办公费 30.00",
    "机关事业单位基本养",
    "30108 50.00 30205 水费 10.00",
    "老保险缴费",
    "303 对个人和家庭的补助 5.00 30207 邮电费 0.00",
    "30302 退休费 5.00 30211 差旅费 5.00",
    "30303 退职（役）费 30213 维修（护）费 0.00",
    "310 资本性支出 0.00",
    "31002 办公设备购置",
    "人员经费合计 155.00 公用经费合计 45.00",
    "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
]


def doc(*blocks: list[str]) -> SourceDocument:
    return ingest_text("\n".join([*COVER, *(ln for b in blocks for ln in b)]))


def _table(d: SourceDocument, title: str) -> Table:
    return next(t for t in parse_tables(d)[0] if t.title == title)


def _cells(t: Table) -> dict[str | None, list[object]]:
    return {r.code or r.name: r.cells for r in t.rows}


def test_joined_codes_and_names_around_their_rows_are_one_row_each() -> None:
    d = doc(INCOME)
    assert d.rebuilt_from == "flat"
    rows = [ln.text.split("\t") for ln in d.lines]
    assert ["2080505", "机关事业单位基本养老保险缴费支出", "120.00", "120.00"] in rows
    assert ["2080599", "其他行政事业单位养老支出", "80.00", "80.00"] in rows
    # three pieces: head above, middle on the row, tail below
    rows = [ln.text.split("\t") for ln in doc(GENERAL).lines]
    assert ["2080505", "机关事业单位基本养老保险缴费支出", "200.01", "200.01"] in rows
    assert ["201", "一般公共服务支出", "33.34", "33.34"] in rows


def test_income_header_printed_apart_without_code_parts() -> None:
    t = _table(doc(INCOME), "收入决算表")
    assert t.columns == FINAL_INCOME_COLUMNS
    cells = _cells(t)
    assert cells["合计"][:2] == [D("300.00"), D("300.00")]
    assert cells["2080505"][:2] == [D("120.00"), D("120.00")]
    assert [(r.code, r.name) for r in t.rows][-1] == ("2080599", "其他行政事业单位养老支出")


def test_short_rows_placed_by_the_sums_within_their_rounding() -> None:
    d = doc(GENERAL)
    t = _table(d, "一般公共预算财政拨款支出决算表")
    assert t.columns == ["合计", "基本支出", "项目支出"]
    cells = _cells(t)
    assert cells["201"] == [D("33.34"), None, D("33.34")]
    assert cells["2010507"] == [D("33.34"), None, D("33.34")]
    assert cells["20805"] == [D("200.01"), D("200.01"), None]
    assert cells["2080705"] == [D("66.67"), None, D("66.67")]
    arithmetic = [f for f in parse_source(d).findings if f.code.startswith(("SUM_", "CROSS_"))]
    assert arithmetic == []


def test_a_real_error_in_a_flattened_final_account_is_still_found() -> None:
    wrong = [ln.replace("20807 就业补助 66.67 66.67", "20807 就业补助 76.67 76.67") for ln in GENERAL]
    codes = [f.code for f in parse_source(doc(wrong)).findings]
    assert any(c.startswith("SUM_") for c in codes)


def test_basic_expenditure_halves_side_by_side() -> None:
    t = _table(doc(BASIC), "一般公共预算财政拨款基本支出决算表")
    by_side = {(r.side, r.code): (r.name, r.cells) for r in t.rows}
    assert by_side[("left", "30108")] == ("机关事业单位基本养老保险缴费", [D("50.00")])
    assert by_side[("right", "30205")] == ("水费", [D("10.00")])
    assert by_side[("left", "30303")] == ("退职（役）费", [None])  # its blank amount lost, not taken from the right
    assert by_side[("right", "30213")] == ("维修（护）费", [D("0.00")])
    # printed alone: 310 goes on, like 302, on the right
    assert by_side[("right", "310")] == ("资本性支出", [D("0.00")])
    assert ("right", "31002") in by_side


# `pdftotext -raw` / pypdfium2: the same tables with codes in their 类 款 项 cells, the header's
# lines in another order (whole column names after the names' line, the code label sharing a
# line with one), and the 类 款 项 line printing the 合计 figures
INCOME_RAW = [
    "收入决算表",
    "单位：万元",
    "项目",
    "本年收入合计 财政拨款收入 上级补助收入 事业收入 经营收入",
    "附属单位上",
    "缴收入",
    "功能分类 其他收入",
    "科目名称",
    "科目编码",
    "类 款 项 合计 306.20 300.00 6.20",
    "201 一般公共服务支出 106.20 100.00 6.20",
    "201 06 财政事务 106.20 100.00 6.20",
    "201 06 01 行政运行 106.20 100.00 6.20",
    "208 社会保障和就业支出 200.00 200.00",
    "208 05 行政事业单位养老支出 200.00 200.00",
    "208 05 01 行政单位离退休 200.00 200.00",
]

GENERAL_RAW = [
    "一般公共预算财政拨款支出决算表",
    "单位：万元",
    "项目",
    "合计 基本支出 项目支出",
    "功能分类",
    "科目名称",
    "科目编码",
    "类 款 项",
    "201 一般公共服务支出 100.00 60.00 40.00",
    "201 06 财政事务 100.00 60.00 40.00",
    "201 06 01 行政运行 60.00 60.00",
    "201 06 02 一般行政管理事务 40.00 40.00",
    "合计 100.00 60.00 40.00",
]

BASIC_RAW = [
    "一般公共预算财政拨款基本支出决算表",
    "单位：万元",
    "经济分类",
    "科目名称 决算数",
    "经济分类",
    "科目编码 科目编码",
    "类 款 类 款",
    "301 工资福利支出 150.00 302 商品和服务支出 45.00",
    "301 01 基本工资 150.00 302 01 办公费 45.00",
    "301 03 奖金 302 03 咨询费",
]


def test_income_header_lines_in_another_order() -> None:
    t = _table(doc(INCOME_RAW, GENERAL_RAW, BASIC_RAW), "收入决算表")
    assert t.columns == FINAL_INCOME_COLUMNS
    cells = _cells(t)
    assert cells["合计"][:2] == [D("306.20"), D("300.00")]
    assert cells["2080501"][:2] == [D("200.00"), D("200.00")]


def test_names_line_and_code_parts_line_taken_for_data_are_header() -> None:
    d = doc(INCOME_RAW, GENERAL_RAW, BASIC_RAW)
    cells = _cells(_table(d, "一般公共预算财政拨款支出决算表"))
    assert cells["2010601"] == [D("60.00"), D("60.00"), None]
    assert cells["2010602"] == [D("40.00"), None, D("40.00")]
    assert cells["合计"] == [D("100.00"), D("60.00"), D("40.00")]
    assert [f.code for f in parse_source(d).findings if f.code.startswith(("SUM_", "CROSS_"))] == []


def test_halves_with_code_parts_and_scattered_labels() -> None:
    t = _table(doc(INCOME_RAW, GENERAL_RAW, BASIC_RAW), "一般公共预算财政拨款基本支出决算表")
    by_side = {(r.side, r.code): r.cells for r in t.rows}
    assert by_side[("left", "30101")] == [D("150.00")]
    assert by_side[("right", "30201")] == [D("45.00")]
    assert by_side[("left", "30103")] == [None]
    assert by_side[("right", "30203")] == [None]


def _three_public(figures: str) -> list[str]:
    return [
        "财政拨款“三公”经费支出决算表",
        "单位：万元",
        "财政拨款“三公”经费",
        "公务用车购置及运行维护费",
        "因公出国",
        "合计 公务用车 公务用车 公务接待费",
        "（境）费 小计",
        "购置费 运行维护费",
        " ".join(["预算数 决算数"] * 6),
        figures,
        "注：本表反映部门本年度“三公”经费支出预决算情况。",
    ]


def _three_public_table(figures: str) -> Table:
    return _table(doc(INCOME, _three_public(figures)), "财政拨款“三公”经费支出决算表")


def test_final_three_public_figures_placed_by_its_sums() -> None:
    # 购置费 and 运行维护费 both printed: one placement keeps every sum
    t = _three_public_table("40.00 30.00 5.00 4.00 30.00 22.00 20.00 0.00 10.00 22.00 5.00 4.00")
    paths = ["/".join(p[1:]) for p in t.column_paths]
    cells = dict(zip(paths, t.rows[0].cells))
    assert cells["合计/预算数"] == D("40.00")
    assert cells["公务用车购置及运行维护费/购置费/预算数"] == D("20.00")
    assert cells["公务接待费/决算数"] == D("4.00")
    # 因公出国 blank: 10 figures for 12 columns, still one placement
    t = _three_public_table("35.00 26.00 30.00 22.00 20.00 0.00 10.00 22.00 5.00 4.00")
    cells = dict(zip(["/".join(p[1:]) for p in t.column_paths], t.rows[0].cells))
    assert cells["因公出国（境）费/预算数"] is None
    assert cells["公务用车购置及运行维护费/运行维护费/决算数"] == D("22.00")


def test_final_three_public_ambiguous_columns_left_out_and_nothing_false() -> None:
    # only 小计 and one of 购置费 / 运行维护费 printed, equal: which one is not printed on the line
    figures = "31.00 19.00 30.00 18.00 30.00 18.00 1.00 1.00"
    t = _three_public_table(figures)
    paths = ["/".join(p[1:]) for p in t.column_paths]
    assert not any(p.split("/")[-2] in ("购置费", "运行维护费") for p in paths)
    cells = dict(zip(paths, t.rows[0].cells))
    assert cells["公务用车购置及运行维护费/小计/决算数"] == D("18.00")
    assert cells["公务接待费/预算数"] == D("1.00")
    findings = parse_source(doc(INCOME, _three_public(figures))).findings
    assert [f.code for f in findings if f.code.startswith(("SUM_", "CROSS_"))] == []


def test_budget_income_header_whole_name_after_a_wrapped_one() -> None:
    # `pdftotext -raw` of a 收入预算总表: 事业单位 / 经营收入 (one wrapped name) and 其他收入 (a
    # column of its own) each on a line after the names' line
    budget = [
        "上海市普陀区2026年区级单位预算",
        "预算单位：上海市普陀区某某局",
        "2026年预算单位收入预算总表",
        "编制单位：上海市普陀区某某局 单位：元",
        "项目 收入预算",
        "功能分类科目编码",
        "功能分类科目名称 合计 财政拨款收入 事业收入",
        "事业单位",
        "经营收入",
        "其他收入",
        "类 款 项",
        "204 公共安全支出 1,000.00 900.00 0.00 0.00 100.00",
        "204 06 司法 1,000.00 900.00 0.00 0.00 100.00",
        "204 06 01 行政运行 1,000.00 900.00 0.00 0.00 100.00",
        "合计 1,000.00 900.00 0.00 0.00 100.00",
    ]
    t = _table(ingest_text("\n".join(budget)), "2026年预算单位收入预算总表")
    assert t.columns == ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"]
    assert _cells(t)["2040601"][-1] == D("0.01")  # 100.00 元 in 万元, under 其他收入


def test_summary_with_split_expenditure_side_flattened() -> None:
    # the 2026 单位预算's 财务收支预算总表: 预算数 of the expenditure side = 合计 / 基本支出
    # (人员经费, 公用经费) / 项目支出, each label on a line of its own
    summary = [
        "上海市普陀区2026年区级单位预算",
        "预算单位：上海市普陀区某某局",
        "2026年预算单位财务收支预算总表",
        "编制单位：上海市普陀区某某局 单位：元",
        "本年收入 本年支出",
        "项目 预算数 项目",
        "预算数",
        "合计",
        "基本支出",
        "项目支出",
        "人员经费 公用经费",
        "一、财政拨款收入 1,000.00 一、公共安全支出 900.00 500.00 100.00 300.00",
        "1、一般公共预算 1,000.00 二、住房保障支出 100.00 100.00 0.00 0.00",
        "二、事业收入 0.00",
        "收入总计 1,000.00 支出总计 1,000.00 600.00 100.00 300.00",
        "2026年预算单位收入预算总表",
    ]
    d = ingest_text("\n".join([*summary, "", "预算 支出 科目 万元 绩效"]))
    t = _table(d, "2026年预算单位财务收支预算总表")
    assert t.columns[-4:] == ["合计", "人员经费", "公用经费", "项目支出"]
    printed = {(c.side, c.row, c.column[-1]): c.raw for c in printed_cells(t)}
    assert [printed[("right", "一、公共安全支出", col)] for col in ("合计", "人员经费", "公用经费", "项目支出")] == [
        "900.00", "500.00", "100.00", "300.00"]
    assert printed[("left", "一、财政拨款收入", "预算数")] == "1,000.00"
    assert [f.code for f in parse_source(d).findings if f.code.startswith(("SUM_", "CROSS_"))] == []


def test_a_side_header_printed_once_stands_for_both_sides() -> None:
    from semx.rows import Row
    from semx.tables.block import Block
    from semx.tables.structure import join_side_headers

    block = Block(kind="income_expenditure_summary", title="2026年部门财务收支预算总表", start_line=1, end_line=9)
    block.header_rows = [Row(line=2, cells=["本年收入", "本年支出"]), Row(line=3, cells=["项目", "预算数"])]
    block.data_rows = [Row(line=4, cells=["一、财政拨款收入", "1,000", "一、一般公共服务支出", "600"]),
                       Row(line=5, cells=["二、事业收入", "二、教育支出", "400"])]
    join_side_headers(block)
    assert block.header_rows[1].cells == ["项目", "预算数", "项目", "预算数"]
    # rows no wider than one side: the header stays as printed
    block.header_rows = [Row(line=3, cells=["项目", "预算数"])]
    block.data_rows = [Row(line=4, cells=["一、财政拨款收入", "1,000"])]
    join_side_headers(block)
    assert block.header_rows[0].cells == ["项目", "预算数"]


# pdfplumber on another PDF of the same template runs neighbouring header cells together
# (`项目预算数`, `合计基本支出`, `类款项`), prints the codes against their names (`2010506统计管理`,
# `301 01基本工资`) and drops the empty cells of the expenditure side. Made-up figures.
GLUED = [
    "上海市普陀区2026年区级单位预算",
    "预算单位：上海市普陀区某某街道办事处（本级）",
    "2026年预算单位财务收支预算总表",
    "编制单位：上海市普陀区某某街道办事处（本级） 单位：元",
    "本年收入 本年支出",
    "项目 预算数 项目预算数",
    "合计基本支出",
    "项目支出",
    "人员经费公用经费",
    "一、财政拨款收入 1,000,000 一、一般公共服务支出 300,000 300,000",
    "1、一般公共预算 1,000,000 二、社会保障和就业支出 700,000 400,000 100,000 200,000",
    "2、政府性基金预算 三、卫生健康支出",
    "收入总计 1,000,000 支出总计 1,000,000 400,000 100,000 500,000",
    "2026年预算单位收入预算总表",
    "编制单位：上海市普陀区某某街道办事处（本级） 单位：元",
    "项目 收入预算",
    "功能分类科目编码",
    "功能分类科目名称 合计 财政拨款收入事业收入事业单位",
    "经营收入其他收入",
    "类款项",
    "201 一般公共服务支出 300,000 300,000",
    "20105 统计信息事务 300,000 300,000",
    "2010506统计管理 300,000 300,000",
    "208 社会保障和就业支出 700,000 700,000",
    "20805 行政事业单位养老支出 700,000 700,000",
    "2080501行政单位离退休 700,000 700,000",
    "合计 1,000,000 1,000,000",
    "2026年预算单位一般公共预算基本支出部门预算经济分类预算表",
    "编制单位：上海市普陀区某某街道办事处（本级） 单位：元",
    "项目 一般公共预算基本支出",
    "经济分类科目编码",
    "部门经济分类科目名称 合计 人员经费 公用经费",
    "类 款",
    "301 工资福利支出 400,000 400,000",
    "301 01基本工资 300,000 300,000",
    "301 02津贴补贴 100,000 100,000",
    "302 商品和服务支出 100,000 100,000",
    "302 01办公费 100,000 100,000",
    "合计 500,000 400,000 100,000",
    "",
    "预算 支出 科目 万元 绩效",
]


def test_glued_header_cells_and_codes_are_put_apart() -> None:
    d = ingest_text("\n".join(GLUED))
    assert d.rebuilt_from == "flat"
    income = _table(d, "2026年预算单位收入预算总表")
    assert income.columns == ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"]
    cells = _cells(income)
    # 2010506 under 类 款 项 fills the three code cells as 201 does: the figures stay in their columns
    assert cells["2010506"][:2] == [D("30"), D("30")] and cells["201"][:2] == [D("30"), D("30")]
    assert [r.name for r in income.rows if r.code == "2010506"] == ["统计管理"]
    economic = _table(d, "2026年预算单位一般公共预算基本支出部门预算经济分类预算表")
    assert {r.code: r.name for r in economic.rows if r.code} == {
        "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "302": "商品和服务支出", "30201": "办公费"}


def test_split_side_figures_short_of_their_columns_are_placed_by_the_totals() -> None:
    d = ingest_text("\n".join(GLUED))
    t = _table(d, "2026年预算单位财务收支预算总表")
    assert t.columns[-4:] == ["合计", "人员经费", "公用经费", "项目支出"]
    printed = {(c.side, c.row, c.column[-1]): c.raw for c in printed_cells(t)}
    # all four printed: in their columns
    assert [printed[("right", "二、社会保障和就业支出", col)] for col in ("合计", "人员经费", "公用经费", "项目支出")] == [
        "700,000", "400,000", "100,000", "200,000"]
    # 合计 and one part: the 支出总计 row's columns leave only 项目支出 for it (read from the left it
    # would have gone under 人员经费)
    row = next(r for r in t.rows if "一般公共服务支出" in str(r.cells))
    assert row.cells[3:] == [D("30"), None, None, D("30")]
    assert [f.code for f in parse_source(d).findings if f.code.startswith(("SUM_", "CROSS_"))] == []


def test_split_side_figures_the_totals_do_not_settle_are_left_unknown() -> None:
    from semx.tables.placement import UNKNOWN_PART, place_split_side

    columns = ["本年收入项目", "预算数", "项目", "合计", "人员经费", "公用经费", "项目支出"]

    def row(line: int, label: str, *figures: str) -> TableRow:
        cells = [None, None, label, *[D(f) for f in figures]]
        cells += [None] * (len(columns) - len(cells))
        raw = ["", "", label, *figures] + [""] * (len(columns) - 3 - len(figures))
        return TableRow(line=line, cells=cells, raw=raw)

    # two rows of 合计 10 with one part 10 each, the totals 10 / 0 / 10: either could be 人员经费
    rows = [row(1, "一、甲支出", "10", "10"), row(2, "二、乙支出", "10", "10"), row(3, "支出总计", "20", "10", "0", "10")]
    out, notes = place_split_side(rows, columns, {0, 1})
    assert [r.cells[4:] for r in out[:2]] == [[UNKNOWN_PART] * 3] * 2 and notes == ["10", "10"]
    assert out[0].cells[3] == D("10")
    # 乙 printing 5: only 甲 under 公用经费 and 乙 under 项目支出 add up to the totals
    rows[1] = row(2, "二、乙支出", "5", "5")
    rows[2] = row(3, "支出总计", "15", "0", "10", "5")
    out, notes = place_split_side(rows, columns, {0, 1})
    assert notes == [] and [r.cells[4:] for r in out[:2]] == [[None, D("10"), None], [None, None, D("5")]]


def test_fund_table_rows_short_of_a_part_are_placed_by_the_expenditure_summary() -> None:
    """`2120803 城市建设支出 3,000,000 3,000,000` holds its sums as 基本 or as 项目; the 支出总表's row
    of the same subject has no 基本支出, so the fund's figure is 项目支出 (and its parents follow)."""
    text = [
        "上海市普陀区2026年区级单位预算",
        "预算单位：上海市普陀区某某街道办事处（本级）",
        "2026年预算单位支出预算总表",
        "编制单位：上海市普陀区某某街道办事处（本级） 单位：元",
        "项目 支出预算",
        "功能分类科目编码",
        "功能分类科目名称 合计 基本支出 项目支出",
        "类款项",
        "212 城乡社区支出 5,000,000 2,000,000 3,000,000",
        "21201 城乡社区管理事务 2,000,000 2,000,000",
        "2120101行政运行 2,000,000 2,000,000",
        "21208 国有土地使用权出让收入安排的支出 3,000,000 3,000,000",
        "2120803城市建设支出 3,000,000 3,000,000",
        "合计 5,000,000 2,000,000 3,000,000",
        "2026年预算单位政府性基金预算支出功能分类预算表",
        "编制单位：上海市普陀区某某街道办事处（本级） 单位：元",
        "项目 政府性基金预算支出",
        "功能分类科目编码",
        "功能分类科目名称 合计 基本支出 项目支出",
        "类款项",
        "212 城乡社区支出 3,000,000 3,000,000",
        "21208 国有土地使用权出让收入安排的支出 3,000,000 3,000,000",
        "2120803城市建设支出 3,000,000 3,000,000",
        "合计 3,000,000 3,000,000",
        "",
        "预算 支出 科目 万元 绩效",
    ]
    d = ingest_text("\n".join(text))
    assert d.rebuilt_from == "flat"
    fund = _table(d, "2026年预算单位政府性基金预算支出功能分类预算表")
    assert {r.code or r.name: r.cells for r in fund.rows if r.code or r.name == "合计"} == {
        k: [D("300"), None, D("300")] for k in ("212", "21208", "2120803", "合计")}
    assert _cells(_table(d, "2026年预算单位支出预算总表"))["2120101"] == [D("200"), D("200"), None]
    assert [f.code for f in parse_source(d).findings if f.code.startswith(("SUM_", "CROSS_"))] == []


def test_title_split_around_the_part_heading_is_read_before_its_header() -> None:
    # the title's last character on a line of its own, the part heading printed above the title
    # coming out between the two pieces (pdftotext -raw, pdfium): the table still starts at its
    # unit line and header, not at the part heading
    summary = [
        "收入支出决算总",
        "第二部分 某某局 2025 年度部门决算表",
        "表",
        "单位：万元",
        "收入 支出",
        "项目 决算数 项目 决算数",
        "一、一般公共预算财政拨款收入 300.00 一、一般公共服务支出 250.00",
        "二、事业收入 二、外交支出",
        "本年收入合计 300.00 本年支出合计 250.00",
        "年初结转和结余 10.00 年末结转和结余 60.00",
        "总计 310.00 总计 310.00",
    ]
    d = doc(summary, INCOME)
    t = _table(d, "收入支出决算总表")
    assert t.columns == ["收入项目", "收入决算数", "支出项目", "决算数"]
    assert t.rows[0].cells == ["一、一般公共预算财政拨款收入", D("300.00"), "一、一般公共服务支出", D("250.00")]
    assert t.rows[-1].cells == ["总计", D("310.00"), "总计", D("310.00")]
    assert [f.code for f in parse_source(d).findings if f.code.startswith(("BALANCE", "SUM_", "CROSS_"))] == []


def _summary(other: str, business: str = "") -> list[str]:
    """A 收支总表 whose income side prints 财政拨款 300.00 and the given 事业收入 / 其他收入."""
    total = D("300.00") + D(other or "0") + D(business or "0")
    return [
        "收入支出决算总表",
        "单位：万元",
        "收入 支出",
        "项目 决算数 项目 决算数",
        f"一、一般公共预算财政拨款收入 300.00 一、一般公共服务支出 {total}",
        "二、上级补助收入 二、外交支出",
        f"三、事业收入 {business} 三、国防支出".replace("  ", " "),
        "四、经营收入 四、公共安全支出",
        "五、附属单位上缴收入 五、教育支出",
        f"六、其他收入 {other} 六、科学技术支出".replace("  ", " "),
        f"本年收入合计 {total} 本年支出合计 {total}",
        f"总计 {total} 总计 {total}",
    ]


# The 收入决算表's title and header as flattened text prints them (one header piece a line).
_INCOME_HEAD = [
    "收入决算表",
    "单位：万元",
    "项目",
    "本年收入合计 财政拨款收入 上级补助收入 事业收入 经营收入 附属单位上缴收入 其他收入",
    "功能分类",
    "科目名称",
    "科目编码",
]


def test_income_figures_placed_under_the_sources_the_summary_fills() -> None:
    # 6.00 read from the left would stand under 上级补助收入, which the 收支总表 leaves empty
    income = [
        *_INCOME_HEAD,
        "合计 306.00 300.00 6.00",
        "201 一般公共服务支出 306.00 300.00 6.00",
        "20106 财政事务 306.00 300.00 6.00",
        "2010601 行政运行 106.00 100.00 6.00",
        "2010607 信息化建设 200.00 200.00",
    ]
    t = _table(doc(_summary("6.00"), income), "收入决算表")
    cells = _cells(t)
    assert cells["合计"] == [D("306.00"), D("300.00"), None, None, None, None, D("6.00")]
    assert cells["2010601"] == [D("106.00"), D("100.00"), None, None, None, None, D("6.00")]
    assert cells["2010607"][:3] == [D("200.00"), D("200.00"), None]


def test_income_figures_with_several_places_left_out() -> None:
    # 事业收入 and 其他收入 both filled in the summary: 4.00 + 6.00 could be either pair of sources
    income = [
        *_INCOME_HEAD,
        "合计 310.00 300.00 4.00 6.00",
        "201 一般公共服务支出 310.00 300.00 4.00 6.00",
        "20106 财政事务 310.00 300.00 4.00 6.00",
        "2010601 行政运行 10.00 4.00 6.00",
        "2010607 信息化建设 300.00 300.00",
    ]
    d = doc(_summary("6.00", "4.00"), income)
    tables, warnings = parse_tables(d)
    t = next(t for t in tables if t.title == "收入决算表")
    assert t.rows == []
    assert any(w.code == "figures_not_placed" and "收入决算表" in w.message for w in warnings)


# The 支出决算表 with its six columns, every row short of them: 合计 first, then one or two parts.
# Two 类, one printing one part (the 合计 row's group has several readings); the first has three 款, two printing one part (so its own group has several readings), and its first
# 款 six items printing one part each (5 ways each beside the 合计 column: more ways together than
# the search tries); the 类 and an item print parts that miss their 合计 by the rounding of the figures; no
# other set of the one-part items adds up to the 基本支出 the 合计 row leaves for them.
EXPENDITURE = [
    "支出决算表",
    "单位：万元",
    "项目",
    "对附属单位补",
    "本年支出合计 基本支出 项目支出 上缴上级支出 经营支出",
    "功能分类",
    "助支出",
    "科目名称",
    "科目编码",
    "合计 3,094.81 300.00 2,794.80",
    "207 文化旅游体育与传媒支出 1,094.81 300.00 794.80",
    "20701 文化和旅游 1,042.00 300.00 742.00",
    "2070101 行政运行 150.01 100.00 50.00",
    "2070104 图书馆 200.00 200.00",
    "2070105 文化展示及纪念机构 137.00 137.00",
    "2070108 文化活动 110.00 110.00",
    "2070109 群众文化 123.00 123.00",
    "2070110 文化和旅游交流与合作 131.00 131.00",
    "2070111 文化创作与保护 91.00 91.00",
    "2070199 其他文化和旅游支出 99.99 99.99",
    "20709 旅游发展基金支出 2.80 2.80",
    "2070904 地方旅游开发项目补助 2.80 2.80",
    "20799 其他文化旅游体育与传媒支出 50.00 50.00",
    "2079999 其他文化旅游体育与传媒支出 50.00 50.00",
    "212 城乡社区支出 2,000.00 2,000.00",
    "21219 国有土地使用权出让收入对应专项债务收入安排的支出 2,000.00 2,000.00",
    "2121999 其他国有土地使用权出让收入对应专项债务收入安排的支出 2,000.00 2,000.00",
    "注：本表反映部门本年度各项支出情况。",
]


def test_many_short_rows_placed_under_the_total_rows_columns() -> None:
    d = doc(INCOME, EXPENDITURE)
    cells = _cells(_table(d, "支出决算表"))
    assert cells["2070101"][:3] == [D("150.01"), D("100.00"), D("50.00")]
    assert cells["2070104"][:3] == [D("200.00"), D("200.00"), None]
    assert cells["2070105"][:3] == [D("137.00"), None, D("137.00")]
    assert cells["2070199"][:3] == [D("99.99"), None, D("99.99")]
    assert cells["20709"][:3] == [D("2.80"), None, D("2.80")]
    assert cells["212"][:3] == [D("2000.00"), None, D("2000.00")]
    assert all(c is None for c in cells["2070108"][3:])
    arithmetic = [f for f in parse_source(d).findings if f.code in ("SUM_HIERARCHY", "SUM_TOTAL_ROW", "SUM_ROW")]
    assert arithmetic == []


# The 财政拨款收入支出决算总表 flattened: a class paid from 政府性基金 alone prints its 合计 and one
# part (`十一、城乡社区支出 500.00 500.00`), as does a class paid from 一般公共预算; the 本年支出合计
# row, short itself (no 国有资本经营 figure), says which column each one is in.
FISCAL = [
    "财政拨款收入支出决算总表",
    "单位：万元",
    "收入 支出",
    "一般公共 政府性基 国有资本",
    "项目 决算数 项目 合计 预算财政 金预算财 经营预算",
    "拨款 政拨款 财政拨款",
    "一、一般公共预算财政拨款 300.00 一、一般公共服务支出",
    "二、政府性基金预算财政拨款 502.50 二、外交支出",
    "三、国有资本经营预算财政拨款 三、国防支出",
    "七、文化旅游体育与传媒支出 202.50 200.00 2.50",
    "八、社会保障和就业支出 100.00 100.00",
    "十一、城乡社区支出 500.00 500.00",
    "本年收入合计 802.50 本年支出合计 802.50 300.00 502.50",
    "年初财政拨款结转和结余 年末财政拨款结转和结余",
    "总计 802.50 总计 802.50 300.00 502.50",
    "注：本表反映部门本年度财政拨款总收支和结转结余情况。",
]


def test_fiscal_summary_rows_placed_by_the_expenditure_total() -> None:
    d = doc(INCOME, FISCAL)
    t = _table(d, "财政拨款收入支出决算总表")
    rows = {r.cells[2]: r.cells[3:] for r in t.rows if isinstance(r.cells[2], str)}
    assert rows["十一、城乡社区支出"] == [D("500.00"), None, D("500.00"), None]
    assert rows["八、社会保障和就业支出"] == [D("100.00"), D("100.00"), None, None]
    assert rows["七、文化旅游体育与传媒支出"] == [D("202.50"), D("200.00"), D("2.50"), None]
    assert [f for f in parse_source(d).findings if f.code == "SUM_PARTS"] == []


def test_a_right_label_of_a_row_without_figures_wrapped_onto_the_next_line() -> None:
    """`二十二、灾害防治及应急管理支` / `出`: an expenditure class with no figures, its label wrapped in
    its cell, stays one row on the expenditure side (not an income label and a row `出`)."""
    summary = [
        "收入支出决算总表",
        "单位：万元",
        "收入 支出",
        "项目 决算数 项目 决算数",
        "一、一般公共预算财政拨款收入 100.00 一、一般公共服务支出 100.00",
        "二、政府性基金预算财政拨款收入 二、外交支出",
        "二十一、国有资本经营预算支出",
        "二十二、灾害防治及应急管理支",
        "出",
        "二十三、其他支出",
        "本年收入合计 100.00 本年支出合计 100.00",
        "总计 100.00 总计 100.00",
    ]
    t = _table(doc(summary), "收入支出决算总表")
    labels = [(r.cells[0], r.cells[2]) for r in t.rows]
    assert (None, "二十二、灾害防治及应急管理支出") in labels
    assert not any(a == "出" or b == "出" for a, b in labels)
