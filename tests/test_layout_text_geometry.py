"""Rules of the space-aligned text reader and the centred-label placement that read the geometry of
the text (issue 17, item 3), on small synthetic pages: which column a line of a goal cell starts in,
a value printed between the two lines of its wrapped name, a cell ending in 表 beside other cells,
and a merged label centred on its block as printed."""

from __future__ import annotations

from semx.ingest.layout_text import read_layout
from semx.ingest.text import text_lines
from semx.targets.merged_cells import Extent, Label, assign_categories

MONEY = "    项目资金总额        7595500.00    年度资金申请总额      7595500.00\n"


def _rows(text: str) -> list[list[str]]:
    return [ln.text.split("\t") for ln in read_layout(text_lines(MONEY + text))]


def test_short_line_of_the_right_cell_goes_right() -> None:
    # a full line of the left cell pushes the right cell's words to column 15; where the left line is
    # short they start at 13. The right cell's last line (`丙。`, from 12) lies inside the left
    # lines' reach (to 14), short of where the right cell's words start.
    text = (
        "甲甲甲甲甲甲甲甲甲甲甲甲甲甲 乙乙乙乙乙乙乙乙乙乙\n"
        "甲甲甲甲甲甲甲甲甲甲甲甲甲甲 乙乙乙乙乙乙乙乙乙乙\n"
        "   甲甲甲甲甲甲甲甲  乙乙乙乙乙乙乙乙乙乙\n"
        "            丙。\n"
    )
    rows = _rows(text)
    left = "".join(r[0] for r in rows[1:])
    right = "".join(r[1] for r in rows[1:] if len(r) > 1)
    assert right.endswith("丙。") and "丙" not in left


def test_value_between_two_lines_of_its_name_is_one_row() -> None:
    text = (
        "    一级指标   二级指标     三级指标          指标值\n"
        "                      甲乙丙丁戊己          有效\n"
        "                  全面提升社区党员党性修养\n"
        "                                          有效\n"
        "                   立全心全意为民服务意识\n"
        "                      提升居民满意度          提升\n"
    )
    rows = [r for r in _rows(text) if any(c.strip() for c in r)]
    names = [[c for c in r if c.strip()] for r in rows]
    assert ["全面提升社区党员党性修养立全心全意为民服务意识", "有效"] in names
    assert ["甲乙丙丁戊己", "有效"] in names


def test_cell_ending_in_biao_beside_other_cells_is_no_title() -> None:
    text = (
        "    一级指标   二级指标     三级指标          指标值\n"
        "                      甲乙丙丁戊己          有效\n"
        "                   完善人大代表 “家站点”建设          达标\n"
        "                      提升居民满意度          提升\n"
    )
    names = [[c for c in r if c.strip()] for r in _rows(text)]
    assert ["完善人大代表“家站点”建设", "达标"] in names


def test_label_centred_in_page_lines() -> None:
    """The shape of a 绩效目标 form's 产出 / 效益 blocks read through `pdftotext -layout`: one-line
    rows, a label line of its own (19), and two rows of the 效益 block that print their value on a
    line between their name's two (35 and 41). Counted in text lines, the 效益 block's centre sits a
    line low, and its label takes the two last 质量指标 rows (lines 22, 23) from the block above."""
    lines = [*range(19), *range(20, 32)]
    extents = [Extent(k, k) for k in lines] + [Extent(32, 33), Extent(34, 36), Extent(37, 37), Extent(38, 38),
                                               Extent(39, 39), Extent(40, 42)]
    labels = [Label(2, "数量指标", 7, 7), Label(1, "产出指标", 11, 11), Label(2, "质量指标", 19, 19),
              Label(1, "效益指标", 32, 31), Label(2, "社会效益指标", 32, 31)]
    by_page = assign_categories(extents, labels, frozenset({35, 41}))
    assert [a for a, _ in by_page] == ["产出指标"] * 23 + ["效益指标"] * (len(extents) - 23)
    assert by_page[21:23] == [("产出指标", "质量指标")] * 2
    by_text = assign_categories(extents, labels)
    assert by_text[21:23] == [("效益指标", "社会效益指标")] * 2


def _table_rows(text: str) -> list[list[str]]:
    return [ln.text.split("\t") for ln in read_layout(text_lines(text))]


def _line(*cells: tuple[int, str]) -> str:
    """A text line with each cell at its column: a text from its start, an amount (a negative
    column) ending at that column, as the tools set them (a CJK character takes one column)."""
    out = ""
    for at, text in cells:
        start = -at - len(text) if at < 0 else at
        out = out.ljust(start) + text
    return out + "\n"


def test_code_headers_on_the_total_row_stay_over_their_codes() -> None:
    # `类 款 项` printed on the 合计 row, left-aligned over the codes below: the code columns'
    # headers, not three columns of their own beside them
    text = (
        _line((3, "科目编码"), (20, "科目名称"), (38, "合计"), (49, "基本支出"))
        + _line((0, "类"), (6, "款"), (11, "项"), (20, "合计"), (-45, "2,946.25"), (-58, "2,940.05"))
        + _line((0, "201"), (16, "一般公共服务支出"), (-45, "2,112.86"), (-58, "2,106.66"))
        + _line((0, "201"), (6, "06"), (16, "财政事务"), (-45, "2,112.86"), (-58, "2,106.66"))
        + _line((0, "201"), (6, "06"), (11, "01"), (16, "行政运行"), (-45, "1,511.90"), (-58, "1,511.89"))
    )
    rows = _table_rows(text)
    assert rows[1] == ["类", "款", "项", "合计", "2,946.25", "2,940.05"]
    assert rows[2] == ["201", "", "", "一般公共服务支出", "2,112.86", "2,106.66"]
    assert rows[4] == ["201", "06", "01", "行政运行", "1,511.90", "1,511.89"]


def test_header_cell_wrapped_around_the_header_line_is_a_column_of_its_own() -> None:
    # every figure column is named on the fullest header line; `附属单位上` / `缴收入` wrapped around
    # it in a gap over no figures is the header of a column empty on this page, not a second name of
    # the 其他收入 column beside it
    text = (
        _line((60, "附属单位上"))
        + _line((0, "科目名称"), (12, "本年收入合计"), (27, "财政拨款收入"), (45, "经营收入"), (70, "其他收入"))
        + _line((61, "缴收入"))
        + _line((0, "合计"), (-20, "2,946.25"), (-35, "2,940.05"), (-75, "6.20"))
        + _line((0, "行政运行"), (-20, "1,511.90"), (-35, "1,511.89"), (-75, "0.01"))
    )
    rows = _table_rows(text)
    assert rows[0] == ["科目名称", "本年收入合计", "财政拨款收入", "经营收入", "附属单位上缴收入", "其他收入"]
    assert rows[1] == ["合计", "2,946.25", "2,940.05", "", "", "6.20"]


def test_group_header_over_a_gap_names_no_column() -> None:
    # `收入` over 项目 and 决算数 with nothing below it is a group header: no column of its own
    text = (
        _line((15, "收入"), (45, "支出"))
        + _line((10, "项目"), (21, "决算数"), (40, "项目"), (50, "决算数"))
        + _line((0, "一、一般公共预算收入"), (-28, "2,940.05"), (31, "一、一般公共服务支出"), (-58, "2,106.66"))
        + _line((0, "八、其他收入"), (-28, "6.20"), (31, "八、社会保障支出"), (-58, "326.71"))
    )
    rows = _table_rows(text)
    assert all(len(r) == 4 for r in rows)
    assert rows[2] == ["一、一般公共预算收入", "2,940.05", "一、一般公共服务支出", "2,106.66"]


def test_value_between_the_lines_of_its_name_in_flat_text() -> None:
    # pdfplumber's extract_text: the value centred on a name wrapped over two lines is printed on a
    # line of its own between them; `pdftotext -raw` prints it after the name's last line
    from semx.rows import Row
    from semx.targets.indicator_rows import value_between_name_lines

    def rows(*texts: str) -> list[Row]:
        return [Row(line=10 + k, cells=t.split(" ")) for k, t in enumerate(texts)]

    between = rows("全面提升社区党员党性修养，提升书记综合素质，牢固树", "有效", "立全心全意为民服务意识", "提升居民满意度 提升")
    row = value_between_name_lines(between, 0, len(between))
    assert row is not None
    assert row.cells == ["全面提升社区党员党性修养，提升书记综合素质，牢固树立全心全意为民服务意识", "有效"]
    assert (row.line, row.end_line, row.beside) == (10, 12, [11])
    after = rows("全面提升社区党员党性修养，提升书记综合素质，牢固树", "立全心全意为民服务意识", "有效", "提升居民满意度 提升")
    assert value_between_name_lines(after, 0, len(after)) is None
    # the third line waits for a value of its own on the next line: a new indicator, not a tail
    waiting = rows("全面提升社区党员党性修养，提升书记综合素质，牢固树", "有效", "立全心全意为民服务意识", "提升")
    assert value_between_name_lines(waiting, 0, len(waiting)) is None


def test_next_page_laid_out_anew_keeps_the_two_sided_tables_columns() -> None:
    # the last page of a two-sided 基本支出 table: only the right half's codes and names, set further
    # left, and a last line with both halves' totals; its bands fit the table's columns one way only
    text = (
        _line((0, "类"), (6, "款"), (11, "科目名称"), (-40, "决算数"), (42, "类"), (48, "款"), (53, "科目名称"), (-82, "决算数"))
        + _line((0, "301"), (11, "工资福利支出"), (-40, "2,082.85"), (42, "302"), (53, "商品和服务支出"), (-82, "171.07"))
        + _line((0, "301"), (6, "01"), (11, "基本工资"), (-40, "262.33"), (42, "302"), (48, "01"), (53, "办公费"), (-82, "21.21"))
        + _line((42, "310"), (48, "13"), (53, "公务用车购置"))
        + "\f"
        + _line((20, "310"), (25, "19"), (30, "其他交通工具购置"))
        + _line((20, "310"), (25, "99"), (30, "其他资本性支出"))
        + _line((0, "人员经费合计"), (-17, "2,152.26"), (31, "公用经费合计"), (-48, "184.65"))
    )
    rows = _table_rows(text)
    assert rows[-3] == ["", "", "", "", "310", "19", "其他交通工具购置", ""]
    assert rows[-1] == ["", "", "人员经费合计", "2,152.26", "", "", "公用经费合计", "184.65"]


def test_header_words_narrower_than_their_figures_name_them_in_order() -> None:
    # pdfplumber's layout: `人员经费  公用经费` printed narrower than the figures under them, both over
    # the wider 人员经费 figures; each names the figure column whose centre is nearest
    text = (
        _line((0, "项目"), (22, "合计"), (40, "基本支出"), (64, "项目支出"))
        + "\n"
        + _line((33, "人员经费"), (44, "公用经费"))
        + _line((0, "一、公共安全支出"), (-30, "79,189,400.34"), (-46, "12,604,173.00"), (-58, "1,744,680"), (-72, "64,840,547"))
        + _line((0, "二、社会保障支出"), (-30, "2,925,857.00"), (-48, "2,925,857.00"), (-56, "0.00"), (-72, "0.00"))
    )
    rows = _table_rows(text)
    assert ["", "", "人员经费", "公用经费", ""] in rows


def test_measure_alone_over_its_columns_stays_in_the_header() -> None:
    # 预算数 printed on a line of its own over 合计 … 项目支出: a header row, so the columns get
    # their names (a lone label is otherwise no header row)
    from semx.ingest import ingest_text
    from semx.tables import parse_tables

    text = (
        "2026年预算单位财务收支预算总表\n编制单位：某局  单位：元\n"
        + _line((9, "本年收入"), (51, "本年支出"))
        + _line((69, "预算数"))
        + _line((4, "项目"), (17, "预算数"), (35, "项目"), (68, "基本支出"))
        + _line((46, "合计"), (87, "项目支出"))
        + _line((61, "人员经费"), (75, "公用经费"))
        + _line((0, "一、财政拨款收入"), (-29, "86,959,408.34"), (30, "一、公共安全支出"), (-57, "79,189,400.34"),
                (-72, "12,604,173"), (-84, "1,744,680"), (-97, "64,840,547"))
        + _line((0, "1、一般公共预算"), (-29, "86,959,408.34"), (30, "二、社会保障和就业支出"), (-57, "7,770,008.00"),
                (-72, "7,770,008.00"), (-84, "0.00"), (-97, "0.00"))
        + _line((0, "2、政府性基金预算"), (-29, "0.00"), (30, "三、卫生健康支出"), (-57, "982,692.00"),
                (-72, "982,692.00"), (-84, "0.00"), (-97, "0.00"))
        + "预算 万元 绩效 支出 科目\n" * 3
    )
    table = next(t for t in parse_tables(ingest_text(text))[0] if t.title.endswith("财务收支预算总表"))
    assert table.columns[3:] == ["合计", "人员经费", "公用经费", "项目支出"]
    assert [str(c) for c in table.rows[0].cells[3:]] == ["7918.940034", "1260.4173", "174.4680", "6484.0547"]
