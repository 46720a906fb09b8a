"""Amount tables a word processor prints without ruling lines, in narrow columns (LibreOffice's
rule-free table): the header's labels wrap over several lines and its levels stand on lines of
their own, every row is padded, and a row may fill only its 序号 and one name. Made-up figures in
the shape of the national budget tables; the sums hold, so any arithmetic finding is a misreading."""

from __future__ import annotations

from pdf_fixtures import Page, Text, build_pdf

from semx.ingest import ingest_bytes
from semx.pipeline import parse_source

SIZE = 8.0  # characters are SIZE wide and high
PITCH = 22.0  # row to row: a line height and the padding of a word processor's row
WRAP = 12.0  # a cell's wrapped line under the one above

Cells = list[tuple[int, str]]  # (column, text) of one printed line


def _lines(cols: list[float], rows: list[list[Cells]], top: float) -> tuple[list[Text], float]:
    """Each row's printed lines, a cell's wrapped lines WRAP apart and the rows PITCH apart."""
    texts: list[Text] = []
    for row in rows:
        for k, line in enumerate(row):
            texts += [Text(cols[c], top + k * WRAP, s, SIZE) for c, s in line]
        top += PITCH + WRAP * (len(row) - 1)
    return texts, top


def _head(title: str) -> list[Text]:
    return [Text(40, 50, title, 12), Text(40, 80, "预算年度：2022", SIZE), Text(40, 100, "单位：万元", SIZE)]


# 序号 | 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出, each column 48 points wide: five characters and the cell margins
GEN_COLS = [40.0, 88.0, 136.0, 184.0, 232.0, 280.0]
GEN_ROWS: list[list[Cells]] = [
    # the header: 功能分类科目 over 编码 and 名称, wrapped in its narrow column; the levels a row apart
    [[(0, "序号"), (1, "功能分类"), (3, "合计"), (4, "基本支出"), (5, "项目支出")], [(1, "科目")]],
    [[(1, "科目编码"), (2, "科目名称")]],
    [[(0, "栏次"), (1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")]],
    [[(0, "1"), (2, "合计"), (3, "9.00"), (4, "6.00"), (5, "3.00")]],
    [[(0, "2"), (1, "201"), (2, "一般公共"), (3, "9.00"), (4, "6.00"), (5, "3.00")], [(2, "服务支出")]],
    [[(0, "3"), (1, "20131"), (2, "党委办公"), (3, "9.00"), (4, "6.00"), (5, "3.00")], [(2, "厅事务")]],
    [[(0, "4"), (1, "20131"), (2, "行政运行"), (3, "6.00"), (4, "6.00")], [(1, "01")]],
    [[(0, "5"), (1, "20131"), (2, "专项业务"), (3, "3.00"), (5, "3.00")], [(1, "05")]],
]


def test_a_narrow_header_wrapped_over_its_lines_names_the_columns() -> None:
    """Each header line goes under the columns its words start in, its wrapped labels joined: the
    table's columns are read by their names, every row keeps its code, name and figures."""
    texts, _ = _lines(GEN_COLS, GEN_ROWS, 130.0)
    data = build_pdf([Page(texts=_head("部门预算一般公共预算财政拨款支出表") + texts)])
    lines = [ln.text for ln in ingest_bytes(data, "g.pdf").lines]
    assert "序号\t功能分类科目\t\t合计\t基本支出\t项目支出" in lines
    assert "\t科目编码\t科目名称\t\t\t" in lines
    doc = parse_source(ingest_bytes(data, "g.pdf"))
    (table,) = doc.tables
    assert table.columns[-3:] == ["合计", "基本支出", "项目支出"]
    assert [(r.code, r.name, [str(c) if c is not None else None for c in r.cells[-3:]]) for r in table.rows] == [
        (None, "合计", ["9.00", "6.00", "3.00"]),
        ("201", "一般公共服务支出", ["9.00", "6.00", "3.00"]),
        ("20131", "党委办公厅事务", ["9.00", "6.00", "3.00"]),
        ("2013101", "行政运行", ["6.00", "6.00", None]),
        ("2013105", "专项业务", ["3.00", None, "3.00"]),
    ]
    assert not [f for f in doc.findings if f.code.startswith(("SUM_", "CROSS_"))]


# 序号 | 收入项目 | 预算数 | 支出项目 | 预算数
SIDE_COLS = [40.0, 80.0, 200.0, 250.0, 370.0]
SIDE_HEADER: list[list[Cells]] = [
    [[(0, "序号"), (1, "收入"), (3, "支出")]],
    [[(1, "项目"), (2, "预算数"), (3, "项目"), (4, "预算数")]],
    [[(0, "栏次"), (1, "1"), (2, "2"), (3, "3"), (4, "4")]],
]


def _row(seq: str, income: str = "", a: str = "", spending: str = "", b: str = "") -> list[Cells]:
    return [[(c, s) for c, s in enumerate((seq, income, a, spending, b)) if s]]


def test_padded_rows_of_two_cells_are_rows_on_both_pages() -> None:
    """Rows evenly padded, none wrapped: a row filling only its 序号 and a name is a row of its own,
    on its page and at the top of the next, not the wrapped end of the row above."""
    first, _ = _lines(SIDE_COLS, SIDE_HEADER + [
        _row("1", "一、财政拨款收入", "9.00", "一、一般公共服务支出", "6.00"),
        _row("2", "二、事业收入", "", "二、教育支出", "3.00"),
        _row("3", "", "", "三、科学技术支出"),
        _row("4", "", "", "四、文化旅游体育支出"),
    ], 130.0)
    second, end = _lines(SIDE_COLS, [
        _row("5", "", "", "五、卫生健康支出"),
        _row("6", "", "", "六、节能环保支出"),
        _row("7", "本年收入合计", "9.00", "本年支出合计", "9.00"),
    ], 60.0)
    data = build_pdf([Page(texts=_head("部门预算收支总表") + first),
                      Page(texts=second + [Text(40, end + 40, "二、部门预算安排的总体情况", SIZE)])])
    lines = [ln.text for ln in ingest_bytes(data, "s.pdf").lines]
    assert [ln for ln in lines if ln.count("\t") == 4][:3] == ["序号\t收入\t\t支出\t", "\t项目\t预算数\t项目\t预算数",
                                                             "栏次\t1\t2\t3\t4"]
    assert "3\t\t\t三、科学技术支出\t" in lines and "4\t\t\t四、文化旅游体育支出\t" in lines
    assert "5\t\t\t五、卫生健康支出\t" in lines and "6\t\t\t六、节能环保支出\t" in lines
    doc = parse_source(ingest_bytes(data, "s.pdf"))
    (table,) = doc.tables
    assert len(table.rows) == 7
    assert not [f for f in doc.findings if f.code.startswith(("SUM_", "CROSS_"))]


def test_a_table_whose_header_cannot_be_placed_is_left_out_not_misread() -> None:
    """A header label centred over two columns starts at no column: the header's lines cannot be
    put under the columns surely, and the rows would be read under the wrong names (a name under
    合计, every figure one column off). The table is left out with a warning: no finding from it."""
    centred = [[[(0, "序号"), (3, "合计"), (4, "基本支出"), (5, "项目支出")]], *GEN_ROWS[1:]]
    texts, _ = _lines(GEN_COLS, centred, 130.0)
    texts.append(Text(GEN_COLS[1] + 16, 130.0, "功能分类", SIZE))
    doc = parse_source(ingest_bytes(build_pdf([Page(texts=_head("部门预算一般公共预算财政拨款支出表") + texts)]), "c.pdf"))
    (table,) = doc.tables
    assert table.rows == []
    assert any(w.code == "figures_not_placed" for w in doc.warnings)
    assert not [f for f in doc.findings if f.code.startswith(("SUM_", "CROSS_"))]
