"""Collect the rows of one table: from its title (or header) to the first line that is not part of it.

Page breaks inside a table repeat the furniture and the header; those rows are
skipped and counted as pages, so the data rows of all pages end up in one list.
Nothing here interprets cells; see build.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from semx.models import TableKind
from semx.rows import Row
from semx.tables.lines import (
    Furniture,
    header_key,
    is_furniture,
    is_lanci,
    is_note,
    is_page_number,
    looks_like_header,
    name_like,
    read_furniture,
)
from semx.tables.text import compact, is_number
from semx.tables.titles import ends_table, is_section_head, kind_of_title
from semx.vocab.columns import RUNNING_COSTS_COLUMN

# The 收支总表: income on the left, expenditure on the right of one printed row.
TWO_SIDED: frozenset[TableKind] = frozenset({"income_expenditure_summary", "fiscal_appropriation_summary"})
_MAX_HEADER_ROWS = 4
_LOOKAHEAD = 8
_LABEL_RUN = 40
_MAX_LOOSE_NAMES = 2


@dataclass
class Block:
    kind: TableKind
    title: str
    start_line: int
    end_line: int
    continued: bool = False
    header_rows: list[Row] = field(default_factory=list)
    data_rows: list[Row] = field(default_factory=list)
    notes: list[Row] = field(default_factory=list)
    furniture: Furniture = field(default_factory=Furniture)
    pages: int = 1

    @property
    def has_content(self) -> bool:
        return bool(self.header_rows or self.data_rows or self.notes)


def is_text_line(row: Row, cell_lines: frozenset[int]) -> bool:
    """A line of prose or a title, not a table row that happens to have one filled cell.

    cell_lines are the lines that start with a tab, i.e. table cells in the one-cell-per-line layout.
    """
    return len(row.cells) == 1 and bool(row.filled) and row.line not in cell_lines


def title_row(row: Row, cell_lines: frozenset[int] = frozenset()) -> bool:
    """A row that starts something else: a table title, a 绩效目标表 title, a section heading."""
    filled = row.filled
    if not filled:
        return False
    if len(filled) == 1:
        # "一、因公出国（境）费⇥⇥" is a table row; a heading stands alone on its line, and a
        # heading is never a cell of the one-cell-per-line layout (a table title can be)
        if len(row.cells) > 1:
            return kind_of_title(filled[0]) is not None
        if row.line in cell_lines:
            return ends_table(filled[0]) and not is_section_head(filled[0])
        return ends_table(filled[0])
    # In the one-cell-per-line layout a title can share its row with the unit line and 单位：万元.
    rest = Row(line=row.line, cells=filled[1:])
    return len(filled) <= 3 and kind_of_title(filled[0]) is not None and is_furniture(rest)


def _break_ahead(rows: list[Row], start: int, known: set[tuple[str, ...]], cell_lines: frozenset[int]) -> bool:
    """Whether furniture or a loose line after data rows is a page break: the header comes back."""
    for k in range(start, min(len(rows), start + _LOOKAHEAD)):
        row = rows[k]
        if title_row(row, cell_lines):
            return False
        if is_lanci(row) or header_key(row) in known:
            return True
        if is_furniture(row) or is_page_number(row):
            continue
        return False
    return False


_PIECE_MAX = 10
# Words of a header's first line printed alone (“三公”经费预算数, 机关运行经费预算, 公务用车购置及运行费).
_HEADER_WORDS = re.compile(r"^项目$|经费|[^单]费$|预算数?$|^数$|合计|小计|^(?:经济|功能)分类?$")
# Pieces of the code and name labels of a coded table's header, printed on lines of their own.
_CODE_LABEL_PIECE = re.compile(r"分类|科目|编码|^编$|^码$|^类$|^(?:经济|功能)分")
_PIECE_STOP = re.compile(r"[\d。，；;,:：]")
_YEAR = re.compile(r"^(?:19|20)\d{2}年")


def _multi_rows(block: Block) -> int:
    """Header rows of two or more cells; lone pieces of a wrapped label do not count."""
    return sum(1 for r in block.header_rows if len(r.filled) > 1)


def _header_piece(rows: list[Row], i: int, block: Block, cell_lines: frozenset[int]) -> bool:
    """A short word line between a table's first header row and its first figures (after a line
    of column names that starts with 合计, taken for a total row, only the code and name labels
    of a coded table: 功能分类 / 科目名称 / 科目编码)."""
    if len(rows[i].filled) != 1 or any(is_number(c) for r in block.data_rows for c in r.filled):
        return False
    text = compact(rows[i].filled[0])
    if block.kind == "three_public_expenditure" and _YEAR.match(text):
        # the 三公 table's labels may carry the year (`2023年“三公”经费预算数`, and the wrapped
        # `2023年机关运行经` / `费预算数`): without it they are header words like the others
        rest = _YEAR.sub("", text)
        if "三公" in rest or (len(rest) >= 2 and RUNNING_COSTS_COLUMN.startswith(rest)):
            text = rest
    if block.data_rows and not _CODE_LABEL_PIECE.search(text):
        return False
    if not block.header_rows and not _HEADER_WORDS.search(text):
        return False  # before the header a lone line may be the unit's name
    if len(text) > 2 * _PIECE_MAX or _PIECE_STOP.search(text) or title_row(rows[i], cell_lines):
        return False
    for row in rows[i + 1 : i + 1 + _LOOKAHEAD]:
        if not row.filled:
            continue
        if title_row(row, cell_lines) or is_note(row):
            return False
        if len(row.filled) > 1:
            return True
    return False


_NUMBERED_LABEL = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[.．、])[\u4e00-\u9fff（(]")


_LABEL_PIECE = re.compile(r"^[\u4e00-\u9fff（）()、]+$")


def _lone_label(rows: list[Row], i: int, block: Block, cell_lines: frozenset[int]) -> bool:
    """A label alone on its line inside a two-sided summary, more rows of it following: a row
    whose figures are all blank (二、事业收入), or a piece of a label wrapped around its row
    (三、国有资本经营预 / row / 算), which tables.sides joins back."""
    if block.kind not in TWO_SIDED or not (block.data_rows or block.header_rows):
        return False
    text = compact(rows[i].filled[0])
    numbered = bool(_NUMBERED_LABEL.match(text))
    body = text[2:] if numbered else text
    if len(text) > 2 * _PIECE_MAX or not _LABEL_PIECE.match(body):
        return False
    if not numbered and (not block.data_rows or len(text) > _PIECE_MAX or title_row(rows[i], cell_lines)):
        return False  # an unnumbered piece is a short tail below a row, never a title
    if numbered and not text.endswith(("收入", "支出", "预算", "计", "拨款")):
        # the head of a wrapped label: its row follows, then the tail; or, its figures all
        # blank, the tail right after it (二十二、灾害防治及应急管理支 / 出)
        after = [r for r in rows[i + 1 : i + 3] if r.filled]
        alone = bool(after) and len(after[0].filled) == 1 and len(compact(after[0].filled[0])) <= _PIECE_MAX
        if alone and (text + compact(after[0].filled[0])).endswith(("收入", "支出", "预算")):
            pass
        elif len(after) < 2 or len(after[0].filled) < 2 or len(after[1].filled) != 1:
            return False
        else:
            tail = compact(after[1].filled[0])
            if _NUMBERED_LABEL.match(tail) or len(tail) > _PIECE_MAX:
                return False
    # a 决算's expenditure side lists every functional class (二十六、抗疫特别国债安排的支出), most
    # of them blank: a run of such labels is looked past as a whole
    for row in rows[i + 1 : i + 1 + _LABEL_RUN]:
        if not row.filled or (len(row.filled) == 1 and _NUMBERED_LABEL.match(compact(row.filled[0]))):
            continue  # more labels of the same kind
        if title_row(row, cell_lines) or is_note(row):
            return False
        if len(row.filled) > 1:
            return True
    return False


def scan(rows: list[Row], i: int, block: Block, cell_lines: frozenset[int] = frozenset()) -> int:
    """Fill block with rows[i:] up to the end of the table; return the index after it."""
    known: set[tuple[str, ...]] = set()
    furniture_seen: set[str] = set()
    header_closed = False  # 栏次 row seen
    pending_break = False  # page furniture or a repeated header since the last data row
    loose_names = 0
    while i < len(rows):
        row = rows[i]
        if not row.filled:
            i += 1
            continue
        if is_text_line(row, cell_lines) and _lone_label(rows, i, block, cell_lines):
            # a summary row whose figures are all blank: flattened text keeps only its label,
            # which reads like a numbered heading (二、事业收入)
            block.data_rows.append(row)
            block.end_line = row.end_line
            i += 1
            continue
        if title_row(row, cell_lines):
            break
        if is_note(row):
            block.notes.append(row)
            block.end_line = row.end_line
            i += 1
            continue
        key = header_key(row)
        flat = "".join(key)
        if is_furniture(row):
            if not block.data_rows:
                read_furniture(row, block.furniture)
                furniture_seen.add(flat)
                i += 1
                continue
            if flat in furniture_seen or _break_ahead(rows, i + 1, known, cell_lines):
                pending_break = True
                i += 1
                continue
            if is_text_line(row, cell_lines):
                break
        if is_lanci(row):
            header_closed = True
            pending_break = pending_break or bool(block.data_rows)
            i += 1
            continue
        if is_text_line(row, cell_lines) and _header_piece(rows, i, block, cell_lines):
            # a flattened header prints a wrapped label's lines apart (事业单位 / 经营收入 around
            # the row of column names, 功能分类科目编码 on a line of its own)
            block.header_rows.append(row)
            block.end_line = row.end_line
            i += 1
            continue
        if is_text_line(row, cell_lines):
            bare_name = name_like(row.filled[0])
            if bare_name and not block.data_rows and not block.header_rows and loose_names < _MAX_LOOSE_NAMES:
                # a unit printed without its code under the title
                loose_names += 1
                read_furniture(row, block.furniture)
                furniture_seen.add(flat)
                i += 1
                continue
            if (block.data_rows or block.header_rows) and _break_ahead(rows, i + 1, known, cell_lines):
                pending_break = pending_break or bool(block.data_rows)
                i += 1
                continue
            break
        if not block.data_rows and not header_closed:
            if key in known:
                # the same header printed twice before the first row (a repeated page header)
                i += 1
                continue
            if looks_like_header(row) and _multi_rows(block) < _MAX_HEADER_ROWS:
                block.header_rows.append(row)
                known.add(key)
                block.end_line = row.end_line
                i += 1
                continue
        elif key in known or (pending_break and looks_like_header(row)):
            pending_break = True
            i += 1
            continue
        if pending_break and block.data_rows:
            block.pages += 1
        pending_break = False
        block.data_rows.append(row)
        block.end_line = row.end_line
        i += 1
    return i


def header_text(block: Block) -> str:
    return " ".join(compact(c) for r in block.header_rows for c in r.cells)
