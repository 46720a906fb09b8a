"""A ruled table that goes on over the next page: repeated header rows dropped, a row cut by the
page break joined when the evidence is clear, and nothing else touched."""

from __future__ import annotations

from pathlib import Path

from pdf_fixtures import TABLE_COLS, TABLE_HEADER, Text, build_pdf, grid_page

from semx.ingest import ingest, ingest_bytes
from semx.models import SourceDocument
from semx.pipeline import parse_source

ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = ROOT / "eval" / "shanghai"

TITLE = [Text(150, 60, "2023年部门支出预算总表", 14), Text(40, 100, "编制部门：测试街道", 9), Text(480, 100, "单位：万元", 9)]
BODY = [
    ["201", "一般公共服务支出", "120.00", "100.00", "20.00"],
    ["20103", "政府办公厅（室）及相关机构事务", "120.00", "100.00", "20.00"],
    ["2010301", "行政运行", "100.00", "100.00", ""],
    ["2010302", "一般行政管理", "20.00", "", "20.00"],
]


def _rows(doc: SourceDocument) -> list[tuple[int | None, str]]:
    return [(ln.page, ln.text) for ln in doc.lines if "\t" in ln.text and "编制部门" not in ln.text]


def _two_pages(second: list[list[str]], cols: list[float] = TABLE_COLS, before: list[Text] | None = None) -> bytes:
    first = grid_page(120, TABLE_COLS, [TABLE_HEADER, *BODY], before=TITLE)
    return build_pdf([first, grid_page(40, cols, second, before=before)])


def test_repeated_header_is_dropped_and_rows_keep_their_order() -> None:
    doc = ingest_bytes(_two_pages([TABLE_HEADER, ["202", "外交支出", "5.00", "5.00", ""]]), "t.pdf")
    rows = _rows(doc)
    assert [t for _, t in rows].count("\t".join(TABLE_HEADER)) == 1
    assert rows[-1] == (2, "202\t外交支出\t5.00\t5.00\t")
    assert [t.split("\t")[0] for _, t in rows[1:]] == ["201", "20103", "2010301", "2010302", "202"]


def test_a_row_cut_by_the_page_break_is_joined() -> None:
    doc = ingest_bytes(_two_pages([TABLE_HEADER, ["", "事务", "", "", ""], ["202", "外交支出", "5.00", "5.00", ""]]),
                       "t.pdf")
    rows = _rows(doc)
    joined = next(ln for ln in doc.lines if ln.text.startswith("2010302"))
    assert joined.text == "2010302\t一般行政管理事务\t20.00\t\t20.00"
    assert (joined.page, joined.end_page) == (1, 2)
    assert len(rows) == 1 + len(BODY) + 1
    # The joined row's provenance says it runs over two pages.
    parsed = parse_source(doc)
    spans = [(r.page, r.end_page) for t in parsed.tables for r in t.rows if r.code == "2010302"]
    assert spans in ([], [(1, 2)])  # [] only while tables/ does not read this layout


def test_a_new_row_at_the_top_of_the_page_is_not_a_tail() -> None:
    # A 类 row of its own, and a row that repeats no code but has its own amount: both stay rows.
    second = [["202", "外交支出", "5.00", "5.00", ""], ["", "合计", "125.00", "105.00", "20.00"]]
    rows = _rows(ingest_bytes(_two_pages(second), "t.pdf"))
    assert rows[-2:] == [(2, "202\t外交支出\t5.00\t5.00\t"), (2, "\t合计\t125.00\t105.00\t20.00")]
    amount_only = [["", "", "5.00", "", ""]]
    rows = _rows(ingest_bytes(_two_pages(amount_only), "t.pdf"))
    assert rows[-1] == (2, "\t\t5.00\t\t")


def test_another_table_on_the_next_page_keeps_its_header() -> None:
    other_cols = [40.0, 200.0, 300.0, 540.0]
    doc = ingest_bytes(_two_pages([["项目", "金额", "备注"], ["甲", "1.00", "无"]], cols=other_cols), "t.pdf")
    assert (2, "项目\t金额\t备注") in _rows(doc)
    # Same columns, but a title between the two parts: a new table, header kept.
    titled = _two_pages([TABLE_HEADER, ["202", "外交支出", "5.00", "5.00", ""]],
                        before=[Text(150, 10, "2023年部门财政拨款支出预算表", 14)])
    assert [t for _, t in _rows(ingest_bytes(titled, "t.pdf"))].count("\t".join(TABLE_HEADER)) == 2


def test_shanghai_tables_over_several_pages_lose_only_their_repeated_headers() -> None:
    doc = ingest(SHANGHAI / "putuo_wanli_2023_dept.pdf")
    # 一般公共预算支出功能分类预算表 runs over pages 20-23 with its three header rows on each page.
    heads = [ln.page for ln in doc.lines if ln.text.startswith("功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出")]
    assert 20 in heads and not {21, 22, 23} & set(heads)
    # No row on these pages was joined: every 科目 row keeps its own code.
    assert all(ln.end_page is None for ln in doc.lines)


def test_a_complete_indicator_row_under_a_merged_cell_is_not_a_tail() -> None:
    """An indicator form cut after its first row: the row on the next page leaves its merged 一级指标
    blank and fills every other cell (a row of its own); a row filling only its wrapped 三级指标 is
    the tail."""
    from semx.ingest.pagebreak import continue_tables
    from semx.ingest.pdf import PageLine

    cols = (40.0, 120.0, 200.0, 300.0, 420.0, 500.0, 560.0)

    def row(page: int, top: float, cells: list[str]) -> PageLine:
        return PageLine(page=page, top=top, x0=40, x1=560, bottom=top + 12, cells=cells, table=0, cols=cols)

    first = [
        row(1, 600, ["绩效目标", "完成某项工作", "", "", "", ""]),
        row(1, 620, ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]),
        row(1, 640, ["产出指标", "数量指标", "整理卷数（卷）", "整理的卷数", "≥100卷", "工作需要"]),
    ]
    own = row(2, 40, ["", "质量指标", "合格率（%）", "合格卷数占比", "≥95%", "工作需要"])
    out = continue_tables([*first, own], "".join)
    assert [ln.cells[1] for ln in out] == ["完成某项工作", "二级指标", "数量指标", "质量指标"]
    tail = row(2, 40, ["", "", "（卷）", "", "", ""])
    first[2].cells[2] = "整理卷数"
    out = continue_tables([*first, tail], "".join)
    assert len(out) == 3 and out[2].cells[2] == "整理卷数（卷）"


def test_a_tail_after_a_short_part_and_a_one_cell_tail_are_joined() -> None:
    """A form's part of a header and one row before the break still shows which columns the row
    fills; a tail holding only the rest of a name (`二、政府性基金` / `预算拨款`) is joined however few
    cells the row before fills."""
    from semx.ingest.pagebreak import continue_tables
    from semx.ingest.pdf import PageLine

    cols = (40.0, 120.0, 200.0, 300.0, 420.0, 500.0, 560.0)

    def row(page: int, top: float, cells: list[str]) -> PageLine:
        return PageLine(page=page, top=top, x0=40, x1=560, bottom=top + 12, cells=cells, table=0, cols=cols)

    part = [row(1, 600, ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]),
            row(1, 620, ["效益指标", "社会效益指标", "知晓率", "按时完成宣传", "≥90%", "某某通知"])]
    out = continue_tables([*part, row(2, 40, ["", "", "", "告知的人数比例", "", "（2020）1号"])], "".join)
    assert len(out) == 2 and out[1].cells[3] == "按时完成宣传告知的人数比例" and out[1].end_page == 2
    two_sided = [row(1, 600, ["32", "年初结转和结余", "", "年末结转和结余", "", ""]),
                 row(1, 620, ["33", "一、一般公共预算拨款", "", "", "", ""]),
                 row(1, 640, ["34", "二、政府性基金", "", "", "", ""])]
    out = continue_tables([*two_sided, row(2, 40, ["", "预算拨款", "", "", "", ""])], "".join)
    assert len(out) == 3 and out[2].cells[1] == "二、政府性基金预算拨款"


def test_a_code_cut_by_the_page_break_is_joined_under_a_two_row_header() -> None:
    """A narrow code column wraps `2010399` as `201039` / `9`; when the page break falls between,
    the `9` is the code's end, not an amount, and the blank 序号 cell of the header's second row
    does not hide that every body row fills the 序号 column."""
    from semx.ingest.pagebreak import continue_tables
    from semx.ingest.pdf import PageLine

    cols = (40.0, 70.0, 130.0, 230.0, 300.0, 370.0, 440.0)

    def row(page: int, top: float, cells: list[str]) -> PageLine:
        return PageLine(page=page, top=top, x0=40, x1=440, bottom=top + 12, cells=cells, table=0, cols=cols)

    part = [row(1, 560, ["序号", "功能分类科目", "", "合计", "本年收入", "上年结转"]),
            row(1, 580, ["", "科目编码", "科目名称", "", "", ""]),
            row(1, 600, ["1", "201", "一般公共服务支出", "3.60", "3.60", ""]),
            row(1, 620, ["2", "20103", "政府办公厅（室）及相关机构事务", "3.60", "3.60", ""]),
            row(1, 640, ["3", "201039", "其他政", "3.60", "3.60", ""])]
    tail = row(2, 40, ["", "9", "府办公厅（室）及相关机构事务支出", "", "", ""])
    out = continue_tables([*part, tail, row(2, 60, ["4", "20126", "档案事务", "18.00", "18.00", ""])], "".join)
    assert [r.cells[1] for r in out[2:]] == ["201", "20103", "2010399", "20126"]
    assert out[4].cells[2] == "其他政府办公厅（室）及相关机构事务支出" and out[4].end_page == 2
    # a number under an amount column of the row before is no code's end: a row of its own
    amount = row(2, 40, ["", "", "", "18", "", ""])
    assert len(continue_tables([*part, amount], "".join)) == len(part) + 1


def test_a_part_read_with_fewer_columns_takes_the_header_pages_columns_or_is_left_out() -> None:
    """A table ruled with horizontal rules only gets its columns from white space: on a page where
    a column is empty in every row, no river marks it and the part is read one column short. Its
    cells go back into the first part's columns by where their text lies; a part whose text does
    not fit them is left out, never read shifted."""
    from semx.ingest.pagebreak import continue_tables
    from semx.ingest.pdf import PageLine

    wide = (40.0, 150.0, 250.0, 360.0, 460.0, 560.0)
    narrow = (40.0, 150.0, 360.0, 455.0, 560.0)  # 收入 预算数 (250-360) empty on the whole page

    def row(page: int, top: float, cols: tuple[float, ...], cells: list[str],
            extents: list[tuple[float, float] | None]) -> PageLine:
        return PageLine(page=page, top=top, x0=40, x1=560, bottom=top + 12, cells=cells, table=0, cols=cols,
                        extents=tuple(extents))

    first = [row(1, 600, wide, ["序号", "收入项目", "预算数", "支出项目", "预算数"],
                 [(42, 60), (152, 190), (252, 280), (362, 400), (462, 490)]),
             row(1, 620, wide, ["1", "一、一般公共预算拨款收入", "1379.53", "一、一般公共服务支出", "1225.60"],
                 [(42, 48), (152, 248), (252, 290), (362, 455), (462, 500)]),
             row(1, 640, wide, ["2", "二、政府性基金预算拨款收入", "", "二、外交支出", ""],
                 [(42, 48), (152, 248), None, (362, 410), None])]
    second = [row(2, 40, narrow, ["3", "三、事业收入", "三、社会保障和就业支出", "63.18"],
                  [(42, 48), (152, 210), (362, 452), (462, 492)]),
              row(2, 60, narrow, ["4", "", "四、卫生健康支出", "45.25"],
                  [(42, 48), None, (362, 430), (462, 492)])]
    dropped: list[int] = []
    out = continue_tables([*first, *second], "".join, dropped)
    assert [r.cells for r in out[3:]] == [["3", "三、事业收入", "", "三、社会保障和就业支出", "63.18"],
                                          ["4", "", "", "四、卫生健康支出", "45.25"]]
    assert dropped == []
    # text lying across two of the first part's columns does not fit: the part is left out
    across = [row(2, 40, narrow, ["3", "三、事业收入 12.00", "三、社会保障和就业支出", "63.18"],
                  [(42, 48), (152, 300), (362, 452), (462, 492)])]
    out = continue_tables([*first, *across], "".join, dropped)
    assert len(out) == len(first) and dropped == [2]


def test_a_figure_wrapped_in_a_narrow_cell_and_cut_by_the_page_break_is_joined() -> None:
    """A narrow amount column wraps `889.12` as `889.1` / `2` (a word processor's rule-free or
    open table); when the page break falls between, the `2` is the figure's end: the figure before
    fills its cell (from the column's left text edge to the furthest its text reaches) and the `2`
    starts at the same left edge. A figure that does not fill its cell, or one standing at the
    right of the cell below it, is a row of its own."""
    from semx.ingest.pagebreak import continue_tables
    from semx.ingest.pdf import PageLine

    cols = (40.0, 70.0, 120.0, 200.0, 240.0, 280.0)

    def row(page: int, top: float, cells: list[str], extents: list[tuple[float, float] | None]) -> PageLine:
        return PageLine(page=page, top=top, x0=40, x1=280, bottom=top + 12, cells=cells, table=0, cols=cols,
                        extents=tuple(extents))

    def part(last: str, reach: float) -> list[PageLine]:
        return [row(1, 560, ["序号", "科目编码", "科目名称", "合计", "基本支出"],
                    [(42, 52), (72, 90), (122, 140), (202, 212), (242, 260)]),
                row(1, 580, ["1", "201", "一般公共服务支出", "1210.00", "1210.00"],
                    [(42, 46), (72, 84), (122, 190), (202, 230), (242, 270)]),
                row(1, 600, ["2", "20131", "行政运行", last, last],
                    [(42, 46), (72, 92), (122, 154), (202, 202 + reach), (242, 242 + reach)])]

    def tail(left: float) -> PageLine:
        return row(2, 40, ["", "01", "", "2", "2"], [None, (72, 80), None, (left, left + 5), (left + 40, left + 45)])

    out = continue_tables([*part("889.1", 28), tail(202)], "".join)
    assert out[-1].cells == ["2", "2013101", "行政运行", "889.12", "889.12"] and out[-1].end_page == 2
    assert len(continue_tables([*part("88.1", 20), tail(202)], "".join)) == 4  # did not fill its cell
    assert len(continue_tables([*part("889.1", 28), tail(225)], "".join)) == 4  # right-aligned: a figure of its own
