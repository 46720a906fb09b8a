"""Covers printed over several lines in page texts of documents semx had not seen: the unit's
name after its place on a line of its own, and the year apart from 年度 (`2025 年度部门决算`, which a
reader of flattened text must not take for a figure). Made-up units."""

from __future__ import annotations

from semx.ingest import ingest_text
from semx.tables.cover import read_cover

# a table page after the cover, so that the text is read as flattened rows
TABLE = (
    "\f收入决算表\n单位：万元\n功能分类 科目名称 科目编码 预算\n合计 300.00 300.00\n"
    "201 一般公共服务支出 300.00 300.00\n20101 人大事务 300.00 300.00\n2010101 行政运行 300.00 300.00\n"
)


def test_place_unit_and_year_on_three_cover_lines() -> None:
    doc = ingest_text("上海市某区\n体育局\n2025 年度部门决算\n" + TABLE)
    cover = read_cover(doc)
    assert (cover.kind, cover.year, cover.unit) == ("部门决算", 2025, "上海市某区体育局")


def test_a_unit_line_that_is_no_place_is_not_joined() -> None:
    doc = ingest_text("某某县人民政府\n某某街道办事处\n2025 年度部门决算\n" + TABLE)
    cover = read_cover(doc)
    assert (cover.year, cover.unit) == (2025, "某某街道办事处")
