"""A table ruled with horizontal rules only (no rule between the columns, as word processors and
spreadsheets often print one) reads like the same table fully ruled: its columns come from the
rivers of white space down its rows (semx/ingest/rivers.py)."""

from __future__ import annotations

from pdf_fixtures import EXPENDITURE_ROWS, TABLE_COLS, TABLE_HEADER, Page, Rule, Text, budget_table_page, build_pdf

from semx.ingest import ingest_bytes
from semx.ingest.grid import Segment
from semx.ingest.pdf import read_pdf
from semx.ingest.rivers import open_table_rules

HEADER = ["科目编码", *TABLE_HEADER[1:]]


def _texts(page: Page) -> list[str]:
    return [ln.text for ln in read_pdf(build_pdf([page]), "t.pdf").lines]


def _without_verticals(page: Page) -> Page:
    return Page(texts=page.texts, rules=[r for r in page.rules if r.top0 == r.top1])


def test_a_table_with_horizontal_rules_only_reads_like_the_ruled_one() -> None:
    # (The fixtures' own header overflows its 80-point first column; a printed cell holds its text.)
    ruled = budget_table_page("2023年部门支出预算总表", [HEADER, *EXPENDITURE_ROWS], header=False)
    want = _texts(ruled)
    assert "2010301\t行政运行\t100.00\t100.00\t" in want
    assert _texts(_without_verticals(ruled)) == want


def test_a_cell_spanning_columns_stays_one_cell() -> None:
    rows = [HEADER, *EXPENDITURE_ROWS]
    page = _without_verticals(budget_table_page("2023年部门支出预算总表", rows, header=False))
    # A note row whose text runs across the columns, as a merged cell prints it.
    top = page.rules[-1].top0
    page.rules.append(Rule(TABLE_COLS[0], top + 20, TABLE_COLS[-1], top + 20))
    page.texts.append(Text(TABLE_COLS[1] + 2, top + 5, "本表含政府办公厅（室）及相关机构事务支出全部科目"))
    got = _texts(page)
    assert "\t本表含政府办公厅（室）及相关机构事务支出全部科目\t\t\t" in got
    assert "2010302\t一般行政管理事务\t20.00\t\t20.00" in got


def test_two_tables_of_the_same_width_are_cut_at_the_title_between_them() -> None:
    first = [["项目名称", "路灯维护", "", ""], ["项目预算", "62.40", "", ""]]
    second = [["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "维护路灯盏数", "1260盏"],
              ["", "质量指标", "亮灯率", "≥98%"]]
    xs = [40.0, 140.0, 260.0, 420.0, 540.0]
    page = Page()
    y = 100.0
    for r, cells in enumerate(first):
        for c, cell in enumerate(cells):
            if cell:
                page.texts.append(Text(xs[c] + 2, y + 20 * r + 5, cell))
    # The title between the tables sits between the last rule of one and the first of the other.
    page.texts.append(Text(42, y + 45, "2、路灯维护项目绩效目标表（含全部指标）"))
    y2 = y + 60
    xs2 = [40.0, 110.0, 200.0, 400.0, 540.0]
    for r, cells in enumerate(second):
        for c, cell in enumerate(cells):
            if cell:
                page.texts.append(Text(xs2[c] + 2, y2 + 20 * r + 5, cell))
    for top in (y, y + 20, y + 40, y2, y2 + 20, y2 + 40, y2 + 60):
        page.rules.append(Rule(40, top, 540, top))
    got = _texts(page)
    assert got == ["项目名称\t路灯维护", "项目预算\t62.40", "2、路灯维护项目绩效目标表（含全部指标）",
                   "一级指标\t二级指标\t三级指标\t指标值", "产出指标\t数量指标\t维护路灯盏数\t1260盏",
                   "\t质量指标\t亮灯率\t≥98%"]


def test_rules_that_meet_a_vertical_are_left_to_the_grid() -> None:
    segs = [Segment(0, y, 100, y) for y in (0.0, 20.0, 40.0)] + [Segment(0, 0, 0, 40), Segment(100, 0, 100, 40)]
    assert open_table_rules(segs, []) == []


def _without_rules(page: Page) -> Page:
    return Page(texts=page.texts, rules=[])


def _ingested(page: Page) -> list[str]:
    return [ln.text for ln in ingest_bytes(build_pdf([page]), "t.pdf").lines]


def test_a_table_without_any_rule_reads_like_the_ruled_one() -> None:
    ruled = budget_table_page("2023年部门支出预算总表", [HEADER, *EXPENDITURE_ROWS], header=False)
    assert _ingested(_without_rules(ruled)) == _ingested(ruled)


def test_prose_with_a_wide_gap_is_no_table() -> None:
    page = Page(texts=[Text(40, 60, "编制部门：上海市普陀区测试街道办事处"), Text(480, 60, "单位：万元"),
                       Text(40, 80, "一、部门主要职能"), Text(40, 100, "负责街道的综合协调工作。")])
    assert _texts(page) == ["编制部门：上海市普陀区测试街道办事处\t单位：万元", "一、部门主要职能", "负责街道的综合协调工作。"]


def test_a_last_column_filled_in_one_row_keeps_its_own_cells() -> None:
    rows = [["201", "一般公共服务支出", ""], ["20103", "政府办公厅（室）及相关机构事务", ""],
            ["2010301", "行政运行", "100.00"], ["2010302", "一般行政管理事务", ""], ["2010350", "事业运行", ""]]
    page = _without_verticals(budget_table_page("2023年部门支出预算总表", rows, header=False))
    for r in page.rules:  # the table is three columns wide
        r.x1 = min(r.x1, TABLE_COLS[3])
    got = _texts(page)
    assert "2010301\t行政运行\t100.00" in got
    assert "20103\t政府办公厅（室）及相关机构事务\t" in got
