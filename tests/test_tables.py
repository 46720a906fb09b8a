"""semx.tables on the five sample disclosures.

Every expected value below was read from the sample text (line numbers given), not
from the parser's output. The samples carry real arithmetic defects; the parser must
keep what is printed.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from semx.ingest import ingest
from semx.models import Cell, SourceDocument, Table, TableRow, Warning_
from semx.tables import document_meta, parse_tables

CORPUS = Path(__file__).resolve().parents[1] / "eval" / "corpus"
D = Decimal

FULL_BLOCK = [
    "income_expenditure_summary",
    "income_summary",
    "expenditure_summary",
    "fiscal_appropriation_summary",
    "general_budget_expenditure",
    "general_budget_basic_expenditure",
    "government_fund_expenditure",
    "state_capital_expenditure",
    "three_public_expenditure",
    "institutions",
    "government_procurement",
    "fixed_assets",
]
SECTIONS_ONLY = ["institutions", "government_procurement", "fixed_assets"]


class Parsed:
    def __init__(self, doc: SourceDocument) -> None:
        self.doc = doc
        self.tables, self.warnings = parse_tables(doc)

    def table(self, kind: str) -> Table:
        found = [t for t in self.tables if t.kind == kind]
        assert len(found) == 1, f"{kind}: {len(found)} tables"
        return found[0]


def _load(number: str) -> Parsed:
    (path,) = sorted(CORPUS.glob(f"{number}_*.txt"))
    return Parsed(ingest(path))


@pytest.fixture(scope="module")
def s000() -> Parsed:
    return _load("000")


@pytest.fixture(scope="module")
def s001() -> Parsed:
    return _load("001")


@pytest.fixture(scope="module")
def s002() -> Parsed:
    return _load("002")


@pytest.fixture(scope="module")
def s003() -> Parsed:
    return _load("003")


@pytest.fixture(scope="module")
def s004() -> Parsed:
    return _load("004")


def row(table: Table, *, code: str | None = None, name: str | None = None, seq: int | None = None) -> TableRow:
    found = [
        r
        for r in table.rows
        if (code is None or r.code == code) and (name is None or r.name == name) and (seq is None or r.seq == seq)
    ]
    assert len(found) == 1, f"{table.kind} code={code} name={name} seq={seq}: {len(found)} rows"
    return found[0]


def cell(table: Table, r: TableRow, column: str) -> Cell:
    return r.cells[table.columns.index(column)]


def values(table: Table, r: TableRow, *columns: str) -> list[Cell]:
    return [cell(table, r, c) for c in columns]


# ---------------------------------------------------------------- which tables


@pytest.mark.parametrize(
    ("number", "kinds"),
    [("000", FULL_BLOCK), ("001", SECTIONS_ONLY), ("002", FULL_BLOCK), ("003", SECTIONS_ONLY), ("004", SECTIONS_ONLY)],
)
def test_every_standard_table_is_found_in_document_order(number: str, kinds: list[str]) -> None:
    assert [t.kind for t in _load(number).tables] == kinds


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("000", ("201", "党委", 2022)),
        ("001", ("203001", "中共香河县委组织部本级", 2021)),
        ("002", ("434001", "临西县人民政府办公室本级", 2021)),
        ("003", (None, "中共石家庄市鹿泉区委办公室", 2020)),
        ("004", ("103", "市委部门", 2021)),
    ],
)
def test_document_meta(number: str, expected: tuple[str | None, str | None, int | None]) -> None:
    assert document_meta(_load(number).doc) == expected


# ---------------------------------------------------------------- 000 (部门, full table block)


def test_000_income_expenditure_summary(s000: Parsed) -> None:
    t = s000.table("income_expenditure_summary")
    assert t.title == "部门预算收支总表" and t.scope == "department"
    assert t.columns == ["收入项目", "收入预算数", "支出项目", "支出预算数"]
    assert t.unit_line == "201 党委" and t.year == 2022
    assert [r.seq for r in t.rows] == list(range(1, 34))  # line 44-61, 72-86
    assert t.pages == 2
    first = row(t, seq=1)
    assert first.line == 44 and first.code is None
    assert first.cells == ["一、一般公共预算拨款收入", D("1379.53"), "一、一般公共服务支出", D("1225.6")]
    assert row(t, seq=10).cells == [None, None, "十、卫生健康支出", D("45.25")]  # line 53
    housing = row(t, seq=20)  # first data row of page 2
    assert housing.line == 73 and housing.cells[2:] == ["二十、住房保障支出", D("45.50")]
    assert row(t, seq=31).cells == ["本年收入合计", D("1379.53"), "本年支出合计", D("1379.53")]
    assert row(t, seq=32).cells == ["上年结转结余", None, "年终结转结余", None]
    assert row(t, seq=33).cells == ["收入总计", D("1379.53"), "支出总计", D("1379.53")]


def test_000_income_summary_keeps_printed_defect(s000: Parsed) -> None:
    t = s000.table("income_summary")
    assert t.columns == [
        "合计", "小计", "财政拨款收入", "财政专户收入", "事业收入", "经营收入",
        "上级补助收入", "附属单位上缴收入", "其他收入", "上年结转",
    ]  # fmt: skip
    assert len(t.rows) == 29 and t.pages == 3
    assert [r.seq for r in t.rows] == list(range(1, 30))
    total = row(t, name="合计")
    assert total.seq == 1 and total.code is None and total.level is None
    assert total.cells[:3] == [D("1379.53")] * 3 and total.cells[3:] == [None] * 7
    klass = row(t, code="201")
    assert klass.level == "类" and klass.name == "一般公共服务支出" and cell(t, klass, "合计") == D("1231.60")
    kuan = row(t, code="20131")
    assert kuan.level == "款" and kuan.line == 105 and cell(t, kuan, "合计") == D("1210.00")
    items = [r for r in t.rows if r.code and r.code.startswith("20131") and r.level == "项"]
    assert [r.code for r in items] == ["2013101", "2013103", "2013105", "2013150", "2013199"]
    # 1210.00 printed for the 款, its 项 rows add up to 1204.00: kept as printed
    assert sum(cell(t, r, "合计") for r in items) == D("1204.00")  # type: ignore[misc]
    assert values(t, row(t, code="2013101"), "合计", "小计", "财政拨款收入") == [D("889.12")] * 3
    assert row(t, code="2013199").line == 120  # first row after the page break
    assert cell(t, row(t, code="2101199"), "合计") == D("0.05")
    assert cell(t, row(t, code="2210201"), "上年结转") is None


def test_000_expenditure_summary(s000: Parsed) -> None:
    t = s000.table("expenditure_summary")
    assert t.columns == ["合计", "基本支出", "项目支出", "经营支出", "上解上级支出", "对附属单位补助支出"]
    assert len(t.rows) == 29 and t.pages == 2
    admin = row(t, code="2013101")
    assert admin.line == 167 and admin.name == "行政运行" and admin.level == "项"
    assert values(t, admin, "合计", "基本支出", "项目支出") == [D("889.12"), D("451.94"), D("437.18")]
    assert values(t, row(t, name="合计"), "合计", "基本支出", "项目支出") == [D("1379.53"), D("606.34"), D("773.19")]
    # 1225.6 here while 收入总表 prints 1231.60 for the same 类: both kept
    assert cell(t, row(t, code="201"), "合计") == D("1225.6")
    assert values(t, row(t, code="20126"), "合计", "基本支出", "项目支出") == [D("18"), None, D("18")]
    assert row(t, code="20827").line == 188


def test_000_fiscal_appropriation_summary_three_pages(s000: Parsed) -> None:
    t = s000.table("fiscal_appropriation_summary")
    assert t.columns == [
        "收入项目", "收入金额", "支出项目", "支出合计",
        "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款",
    ]  # fmt: skip
    assert [r.seq for r in t.rows] == list(range(1, 37))
    assert t.pages == 3
    assert row(t, seq=1).cells == [
        "一、一般公共预算拨款",
        D("1379.53"),
        "一、一般公共服务支出",
        D("1225.6"),
        D("1225.6"),
        None,
        None,
    ]
    assert row(t, seq=8).cells[2:5] == ["八、社会保障和就业支出", D("63.18"), D("63.18")]
    assert row(t, seq=33).cells == ["一、一般公共预算拨款", None, None, None, None, None, None]
    grand = row(t, seq=36)  # alone on the third page, under a header printed with spaces
    assert grand.line == 266
    assert grand.cells == ["收入总计", D("1379.53"), "支出总计", D("1379.53"), D("1379.53"), None, None]


def test_000_general_budget_expenditure(s000: Parsed) -> None:
    t = s000.table("general_budget_expenditure")
    assert t.columns == ["合计", "基本支出", "项目支出"]
    assert len(t.rows) == 29 and t.pages == 2
    assert values(t, row(t, code="208"), "合计", "基本支出", "项目支出") == [D("63.18"), D("60.05"), D("3.13")]
    assert values(t, row(t, code="2013101"), "合计", "基本支出", "项目支出") == [D("889.12"), D("451.94"), D("437.18")]
    assert cell(t, row(t, code="2210201"), "合计") == D("45.5")


def test_000_basic_expenditure_economic_codes(s000: Parsed) -> None:
    t = s000.table("general_budget_basic_expenditure")
    assert t.columns == ["合计", "人员经费", "公用经费"]
    assert len(t.rows) == 20 and t.pages == 2
    assert row(t, name="合计").cells == [D("606.34"), D("537.64"), D("68.7")]
    wages = row(t, code="301")
    assert wages.level == "类" and wages.name == "工资福利支出" and wages.cells == [D("527.05"), D("527.05"), None]
    assert row(t, code="30101").level == "款" and row(t, code="30101").cells[0] == D("236.6")
    assert row(t, code="30299").cells == [None, None, None]  # line 346, printed without amounts
    assert row(t, code="302").cells == [D("68.7"), None, D("68.7")]
    living = row(t, code="30305")
    assert living.line == 359 and living.seq == 20 and living.cells == [D("3.24"), D("3.24"), None]


@pytest.mark.parametrize("kind", ["government_fund_expenditure", "state_capital_expenditure"])
def test_000_declared_empty_fund_tables(s000: Parsed, kind: str) -> None:
    t = s000.table(kind)
    assert t.empty and t.rows == []
    assert t.columns == ["合计", "基本支出", "项目支出"]
    assert t.note is not None and "空表列示" in t.note


def test_000_three_public(s000: Parsed) -> None:
    t = s000.table("three_public_expenditure")
    assert t.columns == ["合计", "一般公共预算财政拨款", "政府性基金预算拨款", "国有资本经营预算财政拨款"]
    assert [r.name for r in t.rows] == [
        "合计", "一、因公出国（境）费", "二、公务用车购置及运维费", "其中：公务用车购置费", "公务用车运行维护费", "三、公务接待费",
    ]  # fmt: skip
    assert row(t, name="合计").cells == [D("50"), D("50"), None, None]
    assert row(t, name="公务用车运行维护费").cells == [D("50.00"), D("50.00"), None, None]
    assert row(t, name="三、公务接待费").cells == [None, None, None, None]


def test_000_institutions(s000: Parsed) -> None:
    t = s000.table("institutions")
    assert t.columns == ["单位性质", "单位规格", "经费保障形式"]
    assert len(t.rows) == 1
    (r,) = t.rows
    assert r.line == 448 and r.name == "中共巨鹿县委办公室本级" and r.cells == ["行政", "正科级", "财政拨款"]


def test_000_procurement_declared_empty(s000: Parsed) -> None:
    t = s000.table("government_procurement")
    assert t.title == "部门政府采购预算" and t.empty and t.rows == []
    assert t.columns == [
        "项目名称", "预算资金", "采购物品名称", "政府采购目录序号", "计量单位", "数量", "单价",
        "合计", "一般公共预算拨款", "基金预算拨款", "国有资本经营预算拨款", "财政专户核拨",
    ]  # fmt: skip
    assert t.note == "注：无政府采购预算，空表列示。"


def test_000_fixed_assets_with_data_despite_note(s000: Parsed) -> None:
    t = s000.table("fixed_assets")
    assert t.columns == ["数量", "价值"]
    assert not t.empty and len(t.rows) == 6
    assert row(t, name="资产总额").cells == [None, D("746.66")]
    assert row(t, name="1、房屋（平方米）").cells == [D("756"), D("31.92")]
    assert row(t, name="2、车辆（台、辆）").cells == [D("20"), D("303.59")]
    assert row(t, name="3、单价在20万元以上设备").cells == [None, None]
    assert row(t, name="4、其他固定资产").cells == [None, D("411.15")]
    # "注：无固定资产占用情况。" under a table that has figures
    assert any(w.code == "declared_empty_with_data" and w.line == 896 for w in s000.warnings)


# ---------------------------------------------------------------- 002 (单位, full table block)


def test_002_income_expenditure_summary(s002: Parsed) -> None:
    t = s002.table("income_expenditure_summary")
    assert t.title == "单位预算收支总表" and t.scope == "unit"
    assert t.unit_line == "434001 临西县人民政府办公室本级" and t.year == 2021
    assert [r.seq for r in t.rows] == list(range(1, 34)) and t.pages == 2
    assert row(t, seq=1).cells == ["一、一般公共预算拨款收入", D("722.61"), "一、一般公共服务支出", D("722.61")]
    assert row(t, seq=17).line == 42 and row(t, seq=17).cells[2] == "十七、金融支出"
    assert row(t, seq=33).cells == ["收入总计", D("722.61"), "支出总计", D("722.61")]


def test_002_income_and_expenditure_summaries(s002: Parsed) -> None:
    income = s002.table("income_summary")
    assert len(income.rows) == 5
    assert values(income, row(income, code="2010301"), "合计", "小计", "财政拨款收入") == [D("582.01")] * 3
    assert cell(income, row(income, code="2010302"), "合计") == D("140.60")
    spend = s002.table("expenditure_summary")
    assert len(spend.rows) == 5
    admin = row(spend, code="2010301")
    assert admin.line == 91
    assert values(spend, admin, "合计", "基本支出", "项目支出") == [D("582.01"), D("389.01"), D("193.00")]
    assert values(spend, row(spend, code="2010302"), "合计", "基本支出", "项目支出") == [D("140.60"), None, D("140.60")]


def test_002_fiscal_appropriation_summary_bold_cells(s002: Parsed) -> None:
    t = s002.table("fiscal_appropriation_summary")
    assert [r.seq for r in t.rows] == list(range(1, 37)) and t.pages == 2
    # line 145 is printed in <b>…</b>
    assert row(t, seq=31).cells == ["本年收入合计", D("722.61"), "本年支出合计", D("722.61"), D("722.61"), None, None]
    assert row(t, seq=18).line == 132
    assert row(t, seq=36).cells[:2] == ["收入总计", D("722.61")]


def test_002_general_budget_tables(s002: Parsed) -> None:
    t = s002.table("general_budget_expenditure")
    assert len(t.rows) == 5
    assert values(t, row(t, code="2010301"), "合计", "基本支出", "项目支出") == [D("582.01"), D("389.01"), D("193.00")]
    basic = s002.table("general_budget_basic_expenditure")
    assert len(basic.rows) == 17
    assert row(basic, name="合计").cells == [D("389.01"), D("342.00"), D("47.01")]
    assert row(basic, code="30213").name == "维修(护)费" and row(basic, code="30213").cells == [
        D("3.00"),
        None,
        D("3.00"),
    ]
    assert row(basic, code="30239").cells == [D("21.18"), None, D("21.18")]
    for kind in ("government_fund_expenditure", "state_capital_expenditure"):
        assert s002.table(kind).empty and s002.table(kind).rows == []


def test_002_three_public(s002: Parsed) -> None:
    t = s002.table("three_public_expenditure")
    assert len(t.rows) == 11 and [r.seq for r in t.rows] == list(range(1, 12))
    assert row(t, name="合计").cells[:2] == [D("50.00"), D("50.00")]
    assert row(t, name="“三公”经费小计").cells[:2] == [D("46.00"), D("46.00")]
    assert row(t, seq=4).name == "其中：教学科研人员因公出国（境）费"  # printed "（境） 费"
    assert row(t, name="公务用车运行维护费").cells[0] == D("34.00")
    assert row(t, name="三、公务接待费").cells[0] == D("12.00")
    assert row(t, name="四、会议费").cells[0] == D("4.00")
    assert row(t, name="五、培训费").cells == [None, None, None, None]


def test_002_institutions_procurement_assets(s002: Parsed) -> None:
    inst = s002.table("institutions")
    assert [(r.name, r.cells) for r in inst.rows] == [("临西县人民政府办公室本级", ["行政", None, "财政拨款"])]
    proc = s002.table("government_procurement")
    assert proc.empty and proc.rows == [] and proc.unit_line == "434001 临西县人民政府办公室本级"
    assets = s002.table("fixed_assets")
    assert assets.pages == 2
    assert [r.line for r in assets.rows] == [497, 498, 499, 506, 507, 508]  # header of page 2 not a row
    assert row(assets, name="资产总额").cells == [None, D("221.03")]
    assert row(assets, name="2、车辆（台、辆）").cells == [D("6"), D("137.22")]
    assert row(assets, name="4、其他固定资产").cells == [D("134"), D("83.81")]


# ---------------------------------------------------------------- 001 (one cell per line, 说明 only)


def test_001_institutions_cell_per_line(s001: Parsed) -> None:
    t = s001.table("institutions")
    assert t.columns == ["单位性质", "单位规格", "经费保障形式"]
    assert [(r.line, r.name, r.cells) for r in t.rows] == [
        (33, "中共香河县委组织部本级", ["行政", "正科级", "财政拨款（行政）"])
    ]


def test_001_procurement_quantity_times_price(s001: Parsed) -> None:
    t = s001.table("government_procurement")
    assert t.title == "单位政府采购预算" and not t.empty
    assert t.columns == [
        "项目名称", "预算资金", "采购物品名称", "政府采购目录序号", "计量单位", "数量", "单价",
        "合计", "一般公共预算拨款", "基金预算拨款", "国有资本经营预算拨款", "财政专户核拨", "单位资金",
    ]  # fmt: skip
    (r,) = t.rows
    assert r.line == 2547 and r.name == "电子显示屏"
    assert values(t, r, "项目名称", "预算资金", "采购物品名称", "政府采购目录序号", "计量单位") == [
        "合计",
        D("182"),
        "电子显示屏",
        "A020207",
        "个",
    ]
    qty, price, amount = values(t, r, "数量", "单价", "合计")
    assert (qty, price, amount) == (D("14"), D("13"), D("182"))
    assert qty * price == amount  # type: ignore[operator]
    assert cell(t, r, "一般公共预算拨款") == D("182") and cell(t, r, "单位资金") is None


def test_001_fixed_assets(s001: Parsed) -> None:
    t = s001.table("fixed_assets")
    assert len(t.rows) == 6 and not t.empty
    total = row(t, name="资产总额")
    assert total.line == 2568 and total.cells == [None, D("111.6792")]  # 数量 printed as ——
    assert row(t, name="2、车辆（台、辆）").cells == [D("2"), D("35.83")]
    assert row(t, name="4、其他固定资产").cells == [None, D("75.85")]
    assert row(t, name="1、房屋（平方米）").cells == [None, None]


# ---------------------------------------------------------------- 003 (untitled tables in the 说明)


def test_003_untitled_institutions(s003: Parsed) -> None:
    t = s003.table("institutions")
    assert [(r.line, r.name, r.cells) for r in t.rows] == [
        (48, "中共石家庄市鹿泉区委办公室（机关）", ["行政", "正科级", "财政拨款"]),
        (49, "中共石家庄市鹿泉区委督查室", ["事业", "正科级", "财政性资金基本保证"]),
    ]


def test_003_untitled_procurement_three_header_rows_declared_empty(s003: Parsed) -> None:
    t = s003.table("government_procurement")
    assert t.empty and t.rows == []
    assert t.columns == [
        "项目名称", "预算资金", "采购物品名称", "政府采购目录序号", "数量单位", "数量", "单价",
        "总计", "合计", "一般公共预算拨款", "基金预算拨款", "财政专户核拨", "其他渠道资金",
    ]  # fmt: skip
    assert t.note == "本部门无政府采购预算，空表列示。"


def test_003_fixed_assets_other_title(s003: Parsed) -> None:
    t = s003.table("fixed_assets")
    assert t.title == "固定资产占有情况表" and len(t.rows) == 6
    assert row(t, name="资产总额").cells == [None, D("862.39")]
    assert row(t, name="1、房屋（平方米）").cells == [None, D("454")]
    assert row(t, name="2、车辆（台、辆）").cells == [D("9"), D("233.12")]
    assert row(t, name="4、其他固定资产").cells == [None, D("175.27")]


# ---------------------------------------------------------------- 004 (部门 tables in the 说明)


def test_004_institutions_across_two_pages(s004: Parsed) -> None:
    t = s004.table("institutions")
    assert len(t.rows) == 14 and t.pages == 2
    assert all(r.name != "单位名称" for r in t.rows)
    assert t.rows[0].name == "中国共产党南宫市委员会办公室本级"
    assert (t.rows[-1].line, t.rows[-1].name) == (135, "南宫市信访局")
    assert row(t, name="南宫市档案馆").cells == ["事业", "正科级", "财政性资金基本保证"]
    assert row(t, name="文明办").cells == ["行政", "副科级", "财政拨款"]


def test_004_declared_empty_procurement_and_assets(s004: Parsed) -> None:
    proc = s004.table("government_procurement")
    assert proc.empty and proc.rows == [] and proc.unit_line == "103 市委部门"
    assert proc.columns[-1] == "单位资金"
    assets = s004.table("fixed_assets")
    assert assets.empty and assets.rows == [] and assets.pages == 2
    assert assets.note == "注：无固定资产占用情况，空表列示。"


# ---------------------------------------------------------------- all samples


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_rows_point_at_their_source_lines(number: str) -> None:
    parsed = _load(number)
    text = {ln.no: ln.text.replace(" ", "") for ln in parsed.doc.lines}
    for t in parsed.tables:
        assert t.start_line <= t.end_line
        for r in t.rows:
            assert t.start_line <= r.line <= t.end_line
            # a procurement row is named after its item, which is not its first printed cell
            label = None if t.kind == "government_procurement" else r.name
            first = next(c for c in [r.code, label, *r.cells] if c is not None)
            assert str(first).replace(" ", "")[:4] in text[r.line], (t.kind, r.line)


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_no_header_or_lanci_rows_leak_into_data(number: str) -> None:
    header_words = {"序号", "栏次", "科目编码", "科目名称", "项目", "单位名称", "项目名称"}
    for t in _load(number).tables:
        for r in t.rows:
            assert r.name not in header_words
            assert not any(isinstance(c, str) and c in header_words | {"预算数", "金额"} for c in r.cells)
            assert len(r.cells) == len(t.columns)


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_amounts_are_decimal_and_codes_have_levels(number: str) -> None:
    parsed = _load(number)
    for t in parsed.tables:
        for r in t.rows:
            assert all(c is None or isinstance(c, (Decimal, str)) for c in r.cells)
            if r.code is not None:
                assert r.level == {3: "类", 5: "款", 7: "项"}[len(r.code)]
    assert all(isinstance(w, Warning_) for w in parsed.warnings)
