"""One-cell-per-line text keeps no column positions: a table whose header was wrapped into pieces
and whose rows put a label under a figure column is left out with `figures_not_placed`, not read
misaligned (its sums would be false findings). Made-up figures in the shapes of a 决算's tables."""

from __future__ import annotations

from decimal import Decimal

from semx.rows import Row
from semx.tables.block import Block
from semx.tables.build import build_table


def _fiscal(header: list[str], body: list[list[str]]) -> Block:
    return Block(kind="fiscal_appropriation_summary", title="财政拨款收入支出决算总表", start_line=1, end_line=20,
                 header_rows=[Row(line=2, cells=header)],
                 data_rows=[Row(line=3 + k, cells=c) for k, c in enumerate(body)])


# the right side's header: 一般公共预算财政拨款 wrapped into 一般公共预算财 / 政拨款, so the header is
# one column wider than the figures, and the right label lands under a figure column
_WRAPPED = ["项目", "本年收入", "项目", "合计", "一般公共预算财", "政拨款", "政府性基金预算财政拨款"]
_WHOLE = ["项目", "本年收入", "项目", "合计", "一般公共预算", "政府性基金预算"]
_BODY = [["一、一般公共预算财政拨款", "100.00", "一、一般公共服务支出", "80.00", "80.00", ""],
         ["本年收入合计", "100.00", "本年支出合计", "一、一般公共服务支出", "80.00", "80.00"]]


def test_wrapped_header_pieces_leave_the_table_out() -> None:
    table, warnings = build_table(_fiscal(_WRAPPED, _BODY), loose=True, unplaced_out=True)
    assert table.rows == []
    assert [w.code for w in warnings if w.code == "figures_not_placed"] == ["figures_not_placed"]


def test_other_readers_still_read_it() -> None:
    """Readers that keep positions settle such rows themselves: the rule is the cell-per-line reader's."""
    table, warnings = build_table(_fiscal(_WRAPPED, _BODY), loose=True)
    assert table.rows and not any(w.code == "figures_not_placed" for w in warnings)


def test_whole_names_keep_a_two_sided_table() -> None:
    """Without wrapped pieces a two-sided table is kept: its sides are realigned by their labels."""
    table, warnings = build_table(_fiscal(_WHOLE, _BODY), loose=True, unplaced_out=True)
    assert table.rows and not any(w.code == "figures_not_placed" for w in warnings)


def test_one_sided_table_with_a_label_under_a_figure_is_left_out() -> None:
    block = Block(kind="income_summary", title="收入决算表", start_line=1, end_line=9,
                  header_rows=[Row(line=2, cells=["科目编码", "科目名称", "本年收入合计", "财政拨款收入", "事业收入"])],
                  data_rows=[Row(line=3, cells=["201", "一般公共服务支出", "10.00", "10.00", ""]),
                             Row(line=4, cells=["20106", "10.00", "财政事务", "10.00", ""])])
    kept, _ = build_table(block, loose=True, unplaced_out=False)
    out, warnings = build_table(block, loose=True, unplaced_out=True)
    assert kept.rows[0].cells[0] == Decimal("10.00")
    assert out.rows == [] and any(w.code == "figures_not_placed" for w in warnings)
