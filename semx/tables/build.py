"""Turn the collected rows of one table into a Table: flat columns, typed cells, warnings.

What is printed is kept: amounts are never corrected, a cell that should be a number
and is not stays text and gets a warning with its line.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Literal

from semx.models import Cell, Table, TableKind, TableRow, Warning_
from semx.rows import Row
from semx.tables.block import TWO_SIDED, Block, header_text
from semx.tables.header import Column, columns_for, flatten, second_side, two_sided_fallback
from semx.tables.lines import declares_empty, money_scale, money_unit_in
from semx.tables.placement import place_split_side, place_three_public, place_vanished
from semx.tables.sides import join_wrapped_labels, realign_sides
from semx.tables.structure import column_paths, halves
from semx.tables.text import (
    as_code,
    clean,
    code_level,
    compact,
    is_int,
    is_number,
    parse_amount,
    split_code_name,
)
from semx.tables.titles import scope_of
from semx.vocab.columns import FUND_COLUMNS, SPLIT_COLUMNS, STANDARD_COLUMNS

_SPLIT_PARTS = frozenset(p for parts in SPLIT_COLUMNS.values() for p in parts)

# Tables whose rows are 科目 (功能分类 or 经济分类) and may print the code inside the name.
CODED: frozenset[TableKind] = frozenset(
    {
        "income_summary",
        "expenditure_summary",
        "general_budget_expenditure",
        "general_budget_basic_expenditure",
        "government_fund_expenditure",
        "state_capital_expenditure",
    }
)


# Far wider than any budget table (the widest standard one has about 30 columns).
MAX_COLUMNS = 200
# Extra cells quoted in a warning; the rest are counted.
_EXTRA_SHOWN = 20


def _infer_columns(rows: list[Row], kind: TableKind) -> list[Column]:
    """Columns of a table printed without a header, from the shape of its widest row."""
    widest = max(rows, key=lambda r: len(r.cells))
    cols: list[Column] = []
    roles: set[str] = set()  # roles taken so far (a scan of cols per cell was quadratic in the width)
    for pos, cell in enumerate(widest.cells):
        if pos == 0 and is_int(cell):
            cols.append(Column(name="序号", role="seq", position=pos))
        elif kind in CODED and as_code(cell) and "code" not in roles:
            cols.append(Column(name="科目编码", role="code", position=pos))
        elif "name" not in roles and kind not in TWO_SIDED and not parse_amount(cell)[1]:
            cols.append(Column(name="名称", role="name", text=True, position=pos))
        else:
            cols.append(Column(name=f"列{pos + 1}", role="value", position=pos))
        roles.add(cols[-1].role)
    return cols


def _tidy_unnamed(cols: list[Column], rows: list[Row]) -> list[Column]:
    """Columns the header leaves unnamed: a leading one holding 1, 2, 3 … is 序号; trailing empty ones go."""

    def cells_at(pos: int) -> list[str]:
        return [r.cells[pos] for r in rows if pos < len(r.cells)]

    def is_unnamed(c: Column) -> bool:
        return c.name.startswith("列") and c.role == "value"

    if not any(is_unnamed(c) for c in cols):
        return cols
    if is_unnamed(cols[0]) and rows and all(is_int(c) or not c.strip() for c in cells_at(0)):
        cols = [Column(name="序号", role="seq", position=0), *cols[1:]]
    # Trailing empty columns go; one cut at the end (slicing per column was quadratic in the width).
    end = len(cols)
    while end and is_unnamed(cols[end - 1]) and not any(c.strip() for c in cells_at(cols[end - 1].position)):
        end -= 1
    return cols[:end]


class _RowBuilder:
    def __init__(self, kind: TableKind, cols: list[Column], scale: Decimal, warnings: list[Warning_]) -> None:
        self.kind = kind
        self.cols = cols
        self.scale = scale
        self.warnings = warnings

    def value(self, raw: str, col: Column, line: int) -> Cell:
        if col.text:
            return clean(raw) or None
        amount, ok = parse_amount(raw)
        if not ok:
            self.warnings.append(
                Warning_(code="bad_amount", message=f"“{col.name}”列的值不是数字：{clean(raw)}", line=line)
            )
            return clean(raw)
        if amount is None or col.count or self.scale == 1:
            return amount
        return amount * self.scale

    def _total_row(self, cells: list[str]) -> list[str]:
        """合计 and its figures with the blank code cells gone (rows flattened with spaces): the
        label goes to the name column, the figures to the value columns from the first one."""
        if self.kind not in CODED or len(cells) >= len(self.cols) or not cells:
            return cells
        label = compact(cells[0])
        figures = [c for c in cells[1:] if c.strip()]
        values = [k for k, c in enumerate(self.cols) if c.role == "value"]
        names = [k for k, c in enumerate(self.cols) if c.role == "name"]
        if not label.endswith(("合计", "总计")) or not names or not figures:
            return cells
        if any(not is_number(c) for c in figures) or len(figures) > len(values):
            return cells
        out = [""] * len(self.cols)
        out[names[0]] = cells[0]
        for k, fig in zip(values, figures):
            out[k] = fig
        return out

    def build(self, row: Row, side: Literal["left", "right"] | None = None) -> TableRow:
        cells = list(row.cells)
        width = len(self.cols)
        # a row printed without its 序号 cell while the header has one
        if self.cols and self.cols[0].role == "seq" and len(cells) == width - 1 and cells and not is_int(cells[0]):
            cells = [""] + cells
        cells = self._total_row(cells)
        if self.kind in TWO_SIDED:
            labels = [k for k, c in enumerate(self.cols) if c.text]
            cells = realign_sides(cells, labels, width)
        if len(cells) > width:
            extra = [clean(c) for c in cells[width:] if c.strip()]
            if extra:
                shown = "，".join(extra[:_EXTRA_SHOWN]) + (f"…（共 {len(extra)} 个）" if len(extra) > _EXTRA_SHOWN else "")
                self.warnings.append(
                    Warning_(code="extra_cells", message=f"行的单元格多于表头列数，忽略：{shown}", line=row.line)
                )
            cells = cells[:width]
        cells += [""] * (width - len(cells))
        seq: int | None = None
        code: str | None = None
        name: str | None = None
        fallback_name: str | None = None
        parts: list[str] = []
        values: list[Cell] = []
        printed: list[str] = []
        for col, raw in zip(self.cols, cells):
            if col.role == "seq":
                if is_int(raw):
                    seq = int(compact(raw))
                elif raw.strip():
                    fallback_name = clean(raw)  # 合计 printed in the 序号 column
            elif col.role == "code":
                code = as_code(raw)
                if code is None and raw.strip():
                    fallback_name = clean(raw)
            elif col.role == "code_part":
                parts.append(compact(raw))
            elif col.role == "name":
                name = clean(raw) or None
            else:
                values.append(self.value(raw, col, row.line))
                printed.append(" ".join(raw.split()))
        if code is None and any(parts):
            code = as_code("".join(parts))
            if code is None and not name:
                # 合计 / 人员经费合计 printed across the 类/款/项 cells
                fallback_name = fallback_name or clean("".join(parts)) or None
        if code is None and name and self.kind in CODED:
            split = split_code_name(name)
            if split:
                code, name = split
        name = name or fallback_name
        if self.kind == "government_procurement":
            name = self._procurement_name(values) or name
        level = code_level(code)
        if code is not None and level is None:
            self.warnings.append(Warning_(code="code_length", message=f"科目编码 {code} 不是 3/5/7 位", line=row.line))
        return TableRow(line=row.line, side=side, seq=seq, code=code, level=level, name=name, cells=values, raw=printed)

    def _procurement_name(self, values: list[Cell]) -> str | None:
        """The purchased item names a procurement row; its project is one of the cells."""
        value_cols = [c for c in self.cols if c.role == "value"]
        for wanted in ("采购物品名称", "品目名称", "项目名称"):
            for col, v in zip(value_cols, values):
                if wanted in col.name and isinstance(v, str):
                    return v
        return None


def _wrapped_pieces(cols: list[Column]) -> bool:
    """Whether two neighbouring column names are the pieces of one wrapped name (附属单位上 / 缴收入):
    the header is wider than the printed columns, and which figure stands under which is unknown."""
    names = [c.name for c in cols]
    return any(a + b in STANDARD_COLUMNS | FUND_COLUMNS for a, b in pairwise(names))


def _misplaced(rows: list[TableRow], cols: list[Column]) -> bool:
    """Whether a label stands in a figure column of some row: the header's pieces and the row's cells
    do not line up, so every figure of the table may stand under another column's name (a sum
    checked on them would be a false finding)."""
    value_cols = [c for c in cols if c.role == "value"]
    return any(isinstance(v, str) and not c.text and not c.count for r in rows for c, v in zip(value_cols, r.cells))


def _has_values(row: TableRow, cols: list[Column]) -> bool:
    value_cols = [c for c in cols if c.role == "value"]
    if any(isinstance(v, Decimal) for v in row.cells):
        return True
    if value_cols and all(c.text for c in value_cols):  # 机构设置: words only
        return bool(row.name) or any(v for v in row.cells)
    return not value_cols and bool(row.name)


def _seq_warnings(rows: list[TableRow]) -> list[Warning_]:
    out: list[Warning_] = []
    prev: int | None = None
    for r in rows:
        if r.seq is None:
            continue
        if prev is not None and r.seq != prev + 1:
            out.append(Warning_(code="seq_gap", message=f"序号由 {prev} 跳到 {r.seq}", line=r.line))
        prev = r.seq
    return out


_FUNDS = ("一般公共预算", "政府性基金预算", "国有资本经营预算")


def _fund_parts(cols: list[Column]) -> bool:
    """The expenditure side's columns after its 合计 are the funds, each whole (a header whose
    names wrapped into pieces is not placed by them)."""
    names = [c.name for c in cols]
    at = max((k for k, n in enumerate(names) if n in ("合计", "支出合计")), default=None)
    parts = names[at + 1:] if at is not None else []
    return len(parts) >= 2 and all(any(p in (f, f + "财政拨款") for f in _FUNDS) for p in parts)


def build_table(block: Block, *, loose: bool = False, unplaced_out: bool = False) -> tuple[Table, list[Warning_]]:
    """The block's table; `loose`: its rows were rebuilt from text whose figures may stand in the
    wrong column (semx.tables.placement settles them by the table's sums); `unplaced_out`: the text
    kept no column positions at all (one cell per line), so a table whose figures cannot be placed
    under its columns is left out rather than read misaligned (see `_misplaced`)."""
    warnings: list[Warning_] = []
    names, groups = flatten([r.cells for r in block.header_rows])
    # a header printed twice side by side (301/303 left, 302/310 right, each with its 决算数):
    # each line holds two rows, read as the left half's rows then the right half's
    half = None if block.kind in TWO_SIDED else halves([r.cells for r in block.header_rows])
    data_rows = join_wrapped_labels(block.data_rows) if block.kind in TWO_SIDED else block.data_rows
    sides: list[Literal["left", "right"] | None] = [None] * len(data_rows)
    if half is not None:
        names, groups = flatten([r.cells[:half] for r in block.header_rows])
        left = [Row(line=r.line, cells=r.cells[:half], end_line=r.end_line) for r in data_rows]
        right = [Row(line=r.line, cells=r.cells[half:], end_line=r.end_line) for r in data_rows]
        data_rows = [r for r in left if r.filled] + [r for r in right if r.filled]
        n_left, n_right = sum(1 for r in left if r.filled), sum(1 for r in right if r.filled)
        sides = [*(["left"] * n_left), *(["right"] * n_right)]  # type: ignore[list-item]
    if block.kind in TWO_SIDED and not any(g in ("收入", "支出") for g in groups):
        names = two_sided_fallback(names)
    elif block.kind in TWO_SIDED:
        names = second_side(names)
    cols = columns_for(names, block.kind)
    if not cols and data_rows:
        cols = _infer_columns(data_rows, block.kind)
        warnings.append(
            Warning_(code="no_header", message=f"{block.title}：未找到表头，列名按位置推断", line=block.start_line)
        )
    cols = _tidy_unnamed(cols, data_rows)
    if len(cols) > MAX_COLUMNS:
        # Every row is padded to the header's width, so one garbled line of 40,000 cells would
        # make every row of its table that wide (rows x width cells, for each check to walk).
        warnings.append(Warning_(code="too_many_columns", line=block.start_line,
                                 message=f"{block.title}：{len(cols)} 列，超过上限 {MAX_COLUMNS} 列，其后的列未读取"))
        cols = cols[:MAX_COLUMNS]
    unit = block.furniture.money_unit or money_unit_in(header_text(block))
    builder = _RowBuilder(block.kind, cols, money_scale(unit), warnings)
    rows = [builder.build(r, side) for r, side in zip(data_rows, sides)]
    if block.kind in CODED and half is None:
        cut = {i for i, r in enumerate(data_rows) if len(r.cells) < len(cols)}
        rows = place_vanished(rows, [c.name for c in cols if c.role == "value"], cut, loose=loose)
    header = [r.cells for r in block.header_rows]
    paths = column_paths(header, [c.position for c in cols if c.role == "value"]) if header else []
    if block.kind == "three_public_expenditure" and loose:
        rows, unplaced = place_three_public(rows, [c.name for c in cols if c.role == "value"], paths)
        warnings.extend(
            Warning_(code="figures_not_placed", line=block.start_line,
                     message=f"{block.title}：一行数字 {figures} {why}，未读入")
            for figures, why in unplaced)
    if loose and ((block.kind == "fiscal_appropriation_summary" and not unplaced_out and _fund_parts(cols)) or (
            block.kind == "income_expenditure_summary" and any(c.name in _SPLIT_PARTS for c in cols))):
        short = {i for i, r in enumerate(data_rows) if len(r.cells) < len(cols)}
        rows, unsure = place_split_side(rows, [c.name for c in cols], short)
        warnings.extend(
            Warning_(code="figures_not_placed", line=block.start_line,
                     message=f"{block.title}：支出一侧 {u} 少于列数（空格丢失），按总计各列之和有多种放法，只读合计")
            for u in unsure)
    if unplaced_out and (block.kind not in TWO_SIDED or _wrapped_pieces(cols)) and _misplaced(rows, cols):
        warnings.append(Warning_(code="figures_not_placed", line=block.start_line,
                                 message=f"{block.title}：表头各列与数字对不上（列名折行或空单元格丢失），未读入"))
        rows = []
    note_texts = [clean(n.filled[0]) for n in block.notes]
    declared = any(declares_empty(t) for t in note_texts)
    with_values = [r for r in rows if _has_values(r, cols)]
    if declared and with_values:
        warnings.append(
            Warning_(
                code="declared_empty_with_data",
                message=f"{block.title}：注明无数据，但表中有数",
                line=block.notes[0].line,
            )
        )
    empty = not with_values
    if empty:
        rows = []  # a declared-empty table prints only its row labels
    warnings.extend(_seq_warnings(rows))
    table = Table(
        kind=block.kind,
        title=block.title,
        columns=[c.name for c in cols if c.role == "value"],
        rows=rows,
        empty=empty,
        start_line=block.start_line,
        end_line=block.end_line,
        pages=block.pages,
        unit_line=block.furniture.unit_line,
        printed_unit=unit,
        column_paths=paths,
        year=block.furniture.year,
        scope=scope_of(block.title),
        note="；".join(note_texts) or None,
    )
    return table, warnings
