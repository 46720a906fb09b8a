"""The horizontal "三公" table read from space-aligned text (`pdftotext -layout`, pdfplumber's layout).

Its header runs over four lines (“三公”经费预算数, 机关运行经费预算 / 数 wrapped around 公务用车购置及运行费,
then 合计 因公出国(境)费 公务接待费 over 小计 购置费 运行费) and its labels are not centred over their
columns in character positions, so the text's geometry does not say which column each label or figure
belongs to. The leaf names are read in their printed order, a row with as many figures as leaves holds
them in that order, a shorter one is placed by the table's sums, and a row the sums do not confirm is
left out with `figures_not_placed`, never read misaligned (semx.tables.structure.realign_three_public,
semx.tables.placement.place_three_public). The excerpts below are written for these tests, in the
layout the two tools print; the lines before them are a table of another kind, so the text reads as
space-aligned columns.
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from variant_support import DOCUMENTS, variant_document

from semx.evaluate.table_cells import compare_table
from semx.ingest import ingest_text
from semx.models import Table, Warning_
from semx.tables import parse_tables
from semx.tables.structure import printed_cells

ROOT = Path(__file__).resolve().parent.parent

_LEAD = """                    2026年单位一般公共预算基本支出部门预算经济分类预算表
编制单位：某某局                                                               单位:元
   经济分类科目编码      经济分类科目名称         合计            人员经费         公用经费
303        对个人和家庭的补助       466,200.00      466,200.00            0.00
303   02   退休费             466,200.00      466,200.00            0.00
                    合计   466,200.00   466,200.00   0.00
"""

# The two header lines of names side by side on one row of the text (seven figures make seven bands).
_ONE_ROW = """                     2026年单位“三公”经费和机关运行经费预算表
编制单位：某某局                                                                               单位:万元

                               “三公”经费预算数
                                                                              机关运行经费预算
                                                公务用车购置及运行费
                                                                                  数
   合计           因公出国(境)费     公务接待费
                                        小计          购置费          运行费



        25.40         3.00       2.40        {subtotal}         8.00        12.00        312.75
"""

# Four figures of seven: the text sets 购置费 and 运行费 in one band (`购置费运行费`).
_GLUED = """                  2025年部门“三公”经费和机关运行经费预算表
编制部门：某某办公室                                                          单位:万元

                            “三公”经费预算数

                                                             机关运行经费预算
                                          公务用车购置及运行费
                                                                 数
   合计        因公出国(境)费     公务接待费
                                     小计      购置费       运行费



    56.20        50.00       6.20                                 98.10
"""

# The labels carry the year, the last one wrapped (`2023年机关运行经` / `费预算数`).
_YEARS = """                     2023年部门“三公”经费和机关运行经费预算表
编制部门：某某街道办事处                                                                   单位:万元

                               2023年“三公”经费预算数

                                                                               2023年机关运行经
                                                  公务用车购置及运行费
                                                                                   费预算数
   合计           因公出国(境)费       公务接待费
                                          小计           购置费       运行费



        40.50              2       3.50        35.00         5         30.00         512.30
"""

_COLUMNS = ["合计", "因公出国(境)费", "公务接待费", "小计", "购置费", "运行费"]


def _three_public(text: str) -> tuple[Table, list[Warning_]]:
    doc = ingest_text(_LEAD + text)
    assert doc.rebuilt_from == "columns"
    tables, warnings = parse_tables(doc)
    return next(t for t in tables if t.kind == "three_public_expenditure"), warnings


def _paths(table: Table) -> list[str]:
    return ["/".join(p[1:]) if len(p) > 1 else p[0] for p in table.column_paths]


def test_names_on_one_row_split_at_the_groups_total() -> None:
    table, warnings = _three_public(_ONE_ROW.format(subtotal="20.00"))
    assert _paths(table) == ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费/小计",
                             "公务用车购置及运行费/购置费", "公务用车购置及运行费/运行费", "机关运行经费预算数"]
    assert [r.cells for r in table.rows] == [[D("25.40"), D("3.00"), D("2.40"), D("20.00"), D("8.00"),
                                              D("12.00"), D("312.75")]]
    assert not [w for w in warnings if w.code == "figures_not_placed"]


def test_full_row_whose_sums_fail_is_left_out() -> None:
    """小计 19.00 ≠ 购置费 8.00 + 运行费 12.00 (and 合计 ≠ its parts): the order of the figures is
    not confirmed, so none is read."""
    table, warnings = _three_public(_ONE_ROW.format(subtotal="19.00"))
    assert table.rows == []
    assert [w for w in warnings if w.code == "figures_not_placed" and "合计关系不成立" in w.message]


def test_glued_part_names_and_short_row_placed_by_the_sums() -> None:
    table, warnings = _three_public(_GLUED)
    assert table.columns[:6] == _COLUMNS and table.columns[6] == "机关运行经费预算数"
    assert [r.cells for r in table.rows] == [[D("56.20"), D("50.00"), D("6.20"), None, None, None, D("98.10")]]
    assert not [w for w in warnings if w.code == "figures_not_placed"]


def test_year_prefixed_labels_keep_the_last_columns_name() -> None:
    table, _ = _three_public(_YEARS)
    assert table.columns == [*_COLUMNS, "2023年机关运行经费预算数"]
    assert table.column_paths[0][0] == "2023年“三公”经费预算数"
    assert [str(c) for c in table.rows[0].cells] == ["40.50", "2", "3.50", "35.00", "5", "30.00", "512.30"]


# Every 三公 cell of the hand-labelled pages (eval/shanghai/expected.json) read from both space-aligned
# texts; commerce prints 1.00 1.00 171.01, and its second 1.00 may be 因公出国 or 公务接待 by the sums:
# its row is left out with `figures_not_placed` and nothing is read misaligned.
_WHOLE = ("justice", "office", "wanli")
_LEFT_OUT = ("commerce",)


@pytest.mark.parametrize("variant", ["pdftotext_layout", "pdfplumber_layout"])
@pytest.mark.parametrize("name", [*_WHOLE, *_LEFT_OUT])
def test_shanghai_three_public_cells_as_labelled(name: str, variant: str) -> None:
    file = next(f for n, f, _ in DOCUMENTS if n == name)
    labelled = json.loads((ROOT / "eval" / "shanghai" / "expected.json").read_text(encoding="utf-8"))[file]
    exp = next(t for t in labelled["tables"] if "三公" in t["title"])
    tables, warnings = parse_tables(variant_document(ROOT / "tests" / "data" / "shanghai" / f"{name}.{variant}.txt"))
    table = next(t for t in tables if t.title.replace(" ", "") == exp["title"].replace(" ", ""))
    result = compare_table(table, exp)
    not_placed = [w for w in warnings if w.code == "figures_not_placed" and "三公" in w.message]
    if name in _WHOLE:
        assert result.wrong == [] and result.cells == 7
        assert not not_placed
    else:
        assert table.rows == [] and printed_cells(table) == [] and not_placed


def test_row_wider_than_the_header_read_in_order_only_when_every_column_has_a_figure() -> None:
    """Figures the text set over more cells than the header has columns (a blank band between them)
    stand in printed order when there is one for every column; with fewer, nothing tells where."""
    from semx.rows import Row
    from semx.tables.block import Block
    from semx.tables.structure import realign_three_public

    def block(*figures: str) -> Block:
        b = Block(kind="three_public_expenditure", title="“三公”经费和机关运行经费预算表", start_line=1, end_line=6)
        b.data_rows = [
            Row(line=2, cells=["", "", "“三公”经费预算数", "", "", "", ""]),
            Row(line=3, cells=["", "", "", "", "公务用车购置及运行费", "", ""]),
            Row(line=4, cells=["", "", "", "", "", "", "机关运行经费预算数"]),
            Row(line=5, cells=["合计", "因公出国(境)费", "公务接待费", "小计", "购置费", "运行费", ""]),
            Row(line=6, cells=list(figures)),
        ]
        return b

    full = block("25.40", "3.00", "", "2.40", "20.00", "8.00", "12.00", "312.75")
    realign_three_public(full)
    assert [r.cells for r in full.data_rows] == [["25.40", "3.00", "2.40", "20.00", "8.00", "12.00", "312.75"]]
    assert full.header_rows[-1].cells == ["", "", "", "小计", "购置费", "运行费", ""]
    short = block("25.40", "3.00", "", "2.40", "20.00", "", "", "312.75")
    realign_three_public(short)
    assert short.header_rows == [] and len(short.data_rows) == 5
