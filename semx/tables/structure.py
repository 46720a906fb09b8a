"""Recognise a table by its structure: header vocabulary and shape, not its exact title.

Provinces and years word their titles differently (上海: 一般公共预算支出功能分类预算表,
决算: 收入支出决算总表 …) while the header under the title says what the table is: 科目编码 with
基本支出 / 项目支出 is a 功能分类 expenditure table, 人员经费 / 公用经费 an 经济分类 one, two
项目 columns under 收入 and 支出 a two-sided summary, 因公出国 with 公务接待 the "三公" table.
A title line that no title pattern knows is read under its printed title when its header is
known (kind_of_structure), and the header itself is settled from the shape of the rows
(settle_header): rows without a figure above the first figures are header, a 类/款/项 row that
also carries the 合计 figures is split, a header printed twice side by side makes two halves.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from semx.models import Table, TableKind
from semx.rows import Row
from semx.tables.block import TWO_SIDED, Block
from semx.tables.header import header_cells
from semx.tables.lines import is_furniture, is_page_number
from semx.tables.text import clean, compact, is_number
from semx.tables.titles import title_text
from semx.vocab.columns import (
    FINAL_ACCOUNT_COLUMNS,
    SPLIT_COLUMNS,
    STANDARD_COLUMNS,
    THREE_PUBLIC_TOP,
    VEHICLE_PARTS,
)

# Kinds whose body is figures; the words-only tables (机构设置) and the 政府采购 / 固定资产 lists
# keep the header rules they were written with.
# The nine 部门预算公开表 in the order they are printed (a document prints one set per unit); the
# checks read the same list.
MAIN_KINDS: tuple[TableKind, ...] = (
    "income_expenditure_summary",
    "income_summary",
    "expenditure_summary",
    "fiscal_appropriation_summary",
    "general_budget_expenditure",
    "general_budget_basic_expenditure",
    "government_fund_expenditure",
    "state_capital_expenditure",
    "three_public_expenditure",
)
NUMERIC_KINDS: frozenset[TableKind] = frozenset(MAIN_KINDS)

_MAX_HEADER_ROWS = 5
_MAX_TITLE = 48
_SENTENCE = re.compile(r"[。，；;,]|：.|:.")
_TOC_LEADER = re.compile(r"\.{3,}|…{2,}|·{3,}")
_CODE_PARTS = ("类", "款", "项")
_DIGIT = re.compile(r"\d")


def looks_like_table_title(cell: str) -> bool:
    """A short line ending in 表 that is not a sentence, a TOC entry or a 绩效目标 form."""
    t, _ = title_text(cell)
    key = compact(t)
    if not key.endswith("表") or len(key) > _MAX_TITLE or len(key) < 3:
        return False
    return not (_SENTENCE.search(t) or _TOC_LEADER.search(t) or "绩效" in key)


def _has(words: str, *parts: str) -> bool:
    return all(p in words for p in parts)


def kind_of_structure(title: str, header: list[list[str]]) -> TableKind | None:
    """The standard table a header describes; title words only settle which fund a table covers."""
    cells = [c for r in header for c in header_cells(r) if c]
    if len(cells) < 2:
        return None
    words = "|".join(cells)
    scope = compact(title) + "|" + words
    if _has(words, "因公出国", "公务接待"):
        return "three_public_expenditure"
    labels = sum(1 for c in cells if c.endswith("项目") or c == "项目名称")
    income_side = any(re.fullmatch(r"(?:本年|财政拨款)?收入(?:项目)?", c) for c in cells)
    expense_side = any(re.fullmatch(r"(?:本年|财政拨款)?支出(?:项目)?", c) for c in cells)
    if labels >= 2 and income_side and expense_side:
        if "财政拨款" in words or _has(words, "一般公共预算", "政府性基金"):
            return "fiscal_appropriation_summary"
        return "income_expenditure_summary"
    coded = any(c in _CODE_PARTS or "科目" in c or c.endswith("编码") for c in cells)
    if not coded:
        return None
    # rows by 经济分类 are the basic expenditure (人员经费 / 公用经费) of the general budget
    if (_has(words, "人员经费", "公用经费") or "经济分类" in words) and "功能分类" not in words:
        return "general_budget_basic_expenditure"
    if "经济分类" in scope and "基本支出" in scope:
        return "general_budget_basic_expenditure"
    spends = "本年支出" in cells or _has(words, "基本支出", "项目支出")
    if any(c.startswith("年初结转") for c in cells) and spends:
        # 年初结转和结余 / 本年收入 / 本年支出 / 年末结转和结余: a fund's 收入支出 table of a 决算;
        # which fund only its title says
        if "政府性基金" in scope:
            return "government_fund_expenditure"
        if "国有资本经营" in scope:
            return "state_capital_expenditure"
        return None
    if any(c in ("财政拨款收入", "事业收入", "本年收入合计", "本年收入") for c in cells):
        return "income_summary"
    if _has(words, "基本支出", "项目支出"):
        if "政府性基金" in scope:
            return "government_fund_expenditure"
        if "国有资本经营" in scope:
            return "state_capital_expenditure"
        if "一般公共预算" in scope:
            return "general_budget_expenditure"
        return "expenditure_summary"
    return None


def _has_figure(row: Row) -> bool:
    return any(is_number(c) for c in row.filled)


def header_ahead(rows: list[Row], start: int) -> list[Row]:
    """The header rows after a title line: furniture skipped, up to the first row with a figure."""
    out: list[Row] = []
    for row in rows[start : start + _MAX_HEADER_ROWS + 4]:
        if not row.filled:
            continue
        if not out and (is_furniture(row) or is_page_number(row)):
            continue
        if _has_figure(row) or len(row.cells) < 2 or len(out) >= _MAX_HEADER_ROWS:
            break
        out.append(row)
    return out


# Data rows are numbered (一、 1. （一）) or coded; header cells never are.
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|[（(][一二三四五六七八九十\d]+[)）])")
# A header cell alone on its row: the second line of a wrapped 科目编码 / 功能分类 label.
_LONE_HEADER = re.compile(r"编码|科目|分类")
# A measure printed alone over the columns it spans (预算数 over 合计 / 基本支出 / 项目支出).
_LONE_MEASURE = re.compile(r"^(?:预算数|决算数)$")


def _header_like(row: Row, first: bool) -> bool:
    """A row of header words only: no digit, no numbering; two cells, a lone 科目编码, or a lone
    label over a table that has no header yet (财政拨款“三公”经费 over its columns)."""
    filled = [compact(c) for c in row.filled]
    if not filled or any(_DIGIT.search(c) or _NUMBERED.match(c) for c in filled):
        return False
    return (len(filled) >= 2 or bool(_LONE_HEADER.search(filled[0])) or (first and len(row.cells) > 1)
            or bool(_LONE_MEASURE.match(filled[0])))


def _refines(header: list[Row], row: Row) -> bool:
    """A header row below others names columns they leave open (小计 / 购置费 / 运行费 under
    公务用车购置及运行费); a data row of labels with blank amounts sits under filled header cells."""
    if not header:
        return True
    if len(row.filled) == 1 and _LONE_HEADER.search(compact(row.filled[0])):
        return True  # 科目编码 under 功能分类: the second line of a wrapped label
    def open_at(h: Row, pos: int) -> bool:
        if pos >= len(h.cells) or not h.cells[pos].strip():
            return True
        # a merged label repeated across its span by an export counts as printed once
        return pos > 0 and compact(h.cells[pos]) == compact(h.cells[pos - 1])

    open_cols = [pos for pos, c in enumerate(row.cells) if c.strip() and all(open_at(h, pos) for h in header)]
    return bool(open_cols)


# Column names a header row is made of; a row of other labels under a complete header is data.
_HEADER_NAME = re.compile(
    r"^(?:项目|项目名称|预算数|决算数|金额|合计|小计|总计|类|款|项|(?:功能|经济|部门经济|支出功能)?分类?科目(?:编码|名称)?"
    r"|(?:本年)?收入|(?:本年)?支出|预算|决算|单位|编码|名称|栏次)$"
)


def _unhead(block: Block) -> None:
    """Give back to the data the last header row that only repeats the columns above it with
    labels that are no column names (财政拨款收入 / 外交支出 with blank amounts, first data line)."""
    if len(block.header_rows) < 2 or not block.data_rows:
        return
    last = block.header_rows[-1]
    filled = [compact(c) for c in last.filled]
    if len(filled) < 2 or any(_HEADER_NAME.match(c) for c in filled):
        return
    if _refines(block.header_rows[:-1], last):
        return
    block.data_rows.insert(0, block.header_rows.pop())


_NAME_LABEL = re.compile(r"名称$")
_CODE_LABEL = re.compile(r"编码|科目|分类")
_CODE_CELL = re.compile(r"^(?:\d{2,3})?$")


def _code_row(row: Row) -> int:
    """How many code columns a 类 / 款 / 项 row declares from its first cell on (0: not one)."""
    lead = [compact(c) for c in row.cells]
    n = 0
    while n < len(lead) and n < len(_CODE_PARTS) and lead[n] == _CODE_PARTS[n]:
        n += 1
    return n if n >= 2 and not any(lead[n:]) else 0


_MAX_FLAT_HEADER = 5


def _take_flat_header(block: Block) -> None:
    """A flattened header read as data (its line of column names starts with 合计, as a total row
    does): rows of words only, down to the 类 款 项 row, are the header."""
    if any(len(r.filled) > 1 for r in block.header_rows):
        return  # a header of its own already; lone pieces above (项目, 功能分类) are not one
    rows = block.data_rows[:_MAX_FLAT_HEADER]
    end = next((k for k, r in enumerate(rows) if _code_row(r)), None)
    if end is None or not all(_header_like(r, k == 0) for k, r in enumerate(rows[:end])):
        return
    block.header_rows = [*block.header_rows, *rows[: end + 1]]
    del block.data_rows[: end + 1]


def realign_flat_header(block: Block) -> None:
    """Put back together a header whose lines were printed apart by a text extractor.

    Text that lost the page geometry prints a coded table's header as separate lines: the group row
    (项目 / 收入预算), the code label (功能分类科目编码, sometimes broken as 部门预算经济分类科目 / 编码),
    the row of column names starting with 科目名称 at the left edge, the lines of a wrapped name
    (事业单位 above that row, 经营收入 below it) and the 类 款 项 row, each from the left edge, while
    the rows below carry their codes in the first cells. The header is rebuilt as two rows over
    those cells: the code label and group over 类 款 项 / 科目名称 / the column names. A wrapped
    name's position is not printed; it is put before the trailing 其他… columns, where the
    standard tables print it.
    """
    rows = block.header_rows
    if len(rows) < 2:
        return
    n = next((k for k in (_code_row(r) for r in rows) if k), 0)
    total_first = 0  # the 类 款 项 line that also prints the 合计 figures (决算: 类 款 项 合计 2,946.25 …)
    if not n and block.data_rows:
        total_first = _code_total_row(block.data_rows[0])
        n = total_first
    labels = next(
        (r for r in rows if len(r.filled) >= 2 and _NAME_LABEL.search(compact(r.cells[0]))), None
    )
    tail_piece = ""
    named = next((r for r in rows if len(r.filled) >= 3 and _CODE_LABEL.search(compact(r.cells[0]))
                  and not _NAME_LABEL.search(compact(r.cells[0]))
                  and not any(_NAME_LABEL.search(compact(c)) or is_number(c) for c in r.filled[1:])), None)
    if labels is not None and len(labels.filled) == 2 and named is not None:
        # `功能分类 本年收入合计 … 其他收入` with `科目名称 缴收入` below it: the code label leads the
        # names' line, the name label shares its line with the tail of a wrapped name
        tail_piece = compact(labels.filled[1])
        labels = Row(line=named.line, cells=[labels.filled[0], *named.filled[1:]], end_line=named.end_line)
    lead_code = ""
    if labels is None:
        # `编码 经济分类科目名称 合计 …`: the code label printed on the names' line, before them
        found = next(
            (r for r in rows if len(r.filled) >= 3 and _CODE_LABEL.search(compact(r.cells[0]))
             and not _NAME_LABEL.search(compact(r.cells[0])) and _NAME_LABEL.search(compact(r.cells[1]))),
            None,
        )
        if found is not None:
            lead_code = compact(found.cells[0])
            labels = Row(line=found.line, cells=found.cells[1:], end_line=found.end_line)
    used: list[Row] = []
    if labels is None:
        # `合计 基本支出 项目支出` on a line of its own, `科目编码 科目名称` on another
        names = next((r for r in rows if 2 <= len(r.filled) <= 3 and _NAME_LABEL.search(compact(r.filled[-1]))
                      and all(_CODE_LABEL.search(compact(c)) for c in r.filled[:-1])), None)
        value_row = next((r for r in rows if len(r.filled) >= 2 and r is not names and not _code_row(r) and not any(
            _NAME_LABEL.search(compact(c)) or _CODE_LABEL.search(compact(c)) or is_number(c) for c in r.filled)), None)
        if names is not None and value_row is not None:
            lead_code = "".join(compact(c) for c in names.filled[:-1])
            labels = Row(line=names.line, cells=[names.filled[-1], *value_row.filled], end_line=names.end_line)
            used = [names, value_row]
    if not n or labels is None:
        return
    if block.data_rows[bool(total_first):]:
        # the rows below must carry their codes in the first cells, the name after them
        first = block.data_rows[bool(total_first)].cells
        if len(first) <= n or not all(_CODE_CELL.match(compact(c)) for c in first[:n]):
            return
        if not compact(first[0]) or is_number(first[n]):
            return
    group = next((r for r in rows if len(r.filled) == 2 and r is not labels and not _code_row(r)
                  and not any(r is u for u in used) and not tail_piece), None)
    # a header printed twice before the first row repeats its pieces: each counts once; 项目 is
    # the group label over the code and name columns, not a piece of a column name
    singles = list(dict.fromkeys(compact(r.filled[0]) for r in rows if len(r.filled) == 1
                                 and not ((used or tail_piece) and compact(r.filled[0]) == "项目")))
    if tail_piece and named is not None:
        singles = [compact(named.filled[0]), *singles]
    code_label = "".join(c for c in singles if _CODE_LABEL.search(c)) or lead_code or "科目编码"
    values = [compact(c) for c in labels.cells[1:] if compact(c)]
    # a whole column name on a line of its own after the names' line (其他收入 below 事业单位 /
    # 经营收入) is a column after them, not a piece of the wrapped name
    after_names = {compact(r.filled[0]) for r in rows if len(r.filled) == 1 and r.line > labels.line}
    pieces, whole = "", []
    for c in (c for c in singles if not _CODE_LABEL.search(c)):
        if c in STANDARD_COLUMNS and c in after_names and c not in values and pieces + c not in STANDARD_COLUMNS:
            whole.append(c)
        else:
            pieces += c  # a piece, or the tail that completes one (事业单位 + 经营收入)
    pieces += tail_piece
    if pieces:
        at = next((k for k, v in enumerate(values) if v.startswith("其他")), len(values))
        values.insert(at, pieces)
    values += whole
    top = [code_label] + [""] * n + ([compact(group.filled[1])] if group else [""]) + [""] * (len(values) - 1)
    bottom = list(_CODE_PARTS[:n]) + [compact(labels.cells[0])] + values
    line = (group or rows[0]).line
    block.header_rows = [Row(line=line, cells=top), Row(line=labels.line, cells=bottom)]
    if total_first:
        total_row = block.data_rows[0]
        block.data_rows[0] = Row(line=total_row.line, cells=[""] * n + total_row.cells[n:],
                                 end_line=total_row.end_line)


def _code_total_row(row: Row) -> int:
    """How many code columns a `类 款 项 合计 figures…` row declares (0: not one)."""
    lead = [compact(c) for c in row.cells]
    n = 0
    while n < len(lead) and n < len(_CODE_PARTS) and lead[n] == _CODE_PARTS[n]:
        n += 1
    rest = lead[n:]
    return n if n >= 2 and rest and _TOTAL_LABEL.match(rest[0]) and any(is_number(c) for c in rest[1:]) else 0


_JOINED_CODE = re.compile(r"^[1-9]\d{2}(?:\d{2}){0,2}$")
_TOTAL_LABEL = re.compile(r"^(?:合计|总计)$")


def realign_joined_code_header(block: Block) -> None:
    """The header of a 决算 coded table whose lines a text extractor printed apart.

    Flattened, the header is one line of column names (本年收入合计 财政拨款收入 …) with its other
    cells on lines of their own: the code and name labels (功能分类 / 科目名称 / 科目编码), the
    pieces of a wrapped name (附属单位 / 上缴收入) and whole column names (其他收入) printed after
    it. The rows below print the code as one number (2010507) and the name after it, or the code in
    its 类 款 项 cells, with the 类 款 项 line also printing the 合计 figures. The header is rebuilt
    as one row: code columns, name label, the column names; a wrapped name printed around the
    names' line goes before the trailing 其他… columns as in realign_flat_header, names printed
    after it follow in their order; the 合计 row's label goes under the names.
    """
    rows = block.header_rows
    code_rows = [r for r in rows if _code_row(r)]
    if not rows or not block.data_rows or len(code_rows) > 1:
        return
    # the 类 款 项 line: in the header, or printing the 合计 figures as the first data row
    parts = _code_row(code_rows[0]) if code_rows else _code_total_row(block.data_rows[0])
    total_first = bool(parts) and not code_rows
    # a code label sharing its line with a whole column name (`功能分类 其他收入`) counts as two lines
    loose = [r for r in rows if len(r.filled) >= 2 and not _code_row(r) and _label_and_columns(r)]
    multi = [r for r in rows if len(r.filled) >= 2 and not _code_row(r) and r not in loose]
    taken = 0
    first = block.data_rows[0]
    if not multi and not parts and len(first.filled) >= 2 and not any(is_number(c) for c in first.filled):
        multi, taken = [first], 1  # the names' line starts with 合计 and was taken for a total row
        if len(block.data_rows) > 1 and (n := _code_row(block.data_rows[1])):
            parts, taken = n, 2  # and the 类 款 项 line under it
    if len(multi) != 1:
        return
    values = [compact(c) for c in multi[0].filled]
    if any(_CODE_LABEL.search(c) or _NAME_LABEL.search(c) or is_number(c) for c in values):
        return
    singles = [(compact(c), r.line > multi[0].line) for r in rows if len(r.filled) == 1 or r in loose for c in r.filled]
    names = [c for c, _ in singles if _NAME_LABEL.search(c)]
    codes = [c for c, _ in singles if _CODE_LABEL.search(c) and not _NAME_LABEL.search(c)]
    if not names or not codes:
        return
    lead = parts or 1
    body = [r for r in block.data_rows[taken + total_first:]
            if r.filled and not _TOTAL_LABEL.match(compact(r.filled[0]))]
    if not body or not all(_coded_body_row(r, parts) for r in body[:5]):
        return
    # the other lines: pieces of a wrapped name, or whole column names printed after the names' line
    pieces, after = "", []
    for text, below in singles:
        if text in names or text in codes or text == "项目":
            continue
        if text in FINAL_ACCOUNT_COLUMNS and below and pieces + text not in STANDARD_COLUMNS:
            if pieces:
                after.append(pieces)
                pieces = ""
            after.append(text)
        else:
            pieces += text
    if after:
        values += [*after, *([pieces] if pieces else [])]
    elif pieces:
        at = next((k for k, v in enumerate(values) if v.startswith("其他")), len(values))
        values.insert(at, pieces)
    code_cells = list(_CODE_PARTS[:parts]) if parts else ["".join(codes)]
    block.header_rows = [Row(line=multi[0].line, cells=[*code_cells, names[0], *values])]
    del block.data_rows[:taken]
    for k, r in enumerate(block.data_rows):
        if total_first and k == 0:
            block.data_rows[0] = Row(line=r.line, cells=[""] * parts + r.cells[parts:], end_line=r.end_line)
        elif _TOTAL_LABEL.match(compact(r.cells[0])) and len(r.cells) > 1 and is_number(r.cells[1]):
            block.data_rows[k] = Row(line=r.line, cells=[""] * lead + r.cells, end_line=r.end_line)


def _label_and_columns(row: Row) -> bool:
    cells = [compact(c) for c in row.filled]
    return bool(_CODE_LABEL.search(cells[0])) and not _NAME_LABEL.search(cells[0]) and all(
        c in FINAL_ACCOUNT_COLUMNS for c in cells[1:])


def _coded_body_row(row: Row, parts: int) -> bool:
    """A row with its code in the first cell (or its 类 款 项 cells) and its name after it."""
    c = [compact(x) for x in row.cells]
    lead = parts or 1
    if len(c) <= lead + 1 or not _JOINED_CODE.match(c[0]) or not c[lead] or is_number(c[lead]):
        return False
    return not parts or (len(c[0]) == 3 and all(_CODE_CELL.match(x) for x in c[1:parts]))


def realign_two_half_code_header(block: Block) -> None:
    """The 基本支出 决算表 prints two halves side by side (301/303 left, 302/310 right), each with
    its code, name and 决算数. Flattened, its header is one line of both halves' labels
    (`科目编码 科目名称 决算数 科目编码 科目名称 决算数`, or `类科目 科目名称 决算数 科目名称 决算数`
    with the code label's pieces on lines of their own), the code parts `类 款 类 款` on another,
    and a half whose amount is blank loses its cell. The header is rebuilt as the two halves'
    columns, and each row is cut where its second code starts: a half printed alone goes to the
    side its class (302, 310) was last printed on, a new class to the side of the row above it.
    """
    rows = block.header_rows
    if not rows or not block.data_rows or any(_code_row(r) for r in rows):
        return
    parts = next((p for r in rows if (p := _half_parts(r))), 0)
    multi = [r for r in rows if len(r.filled) >= 2 and not _half_parts(r)]
    if parts:
        # `类 款 类 款` says there are two halves; their labels may be scattered over the lines
        words = [compact(c) for r in multi for c in r.filled]
        name = next((c for c in words if _NAME_LABEL.search(c)), None)
        left = list(dict.fromkeys(c for c in words if not _NAME_LABEL.search(c) and not _CODE_LABEL.search(c)))
        if name is None or not left or not multi or any(is_number(c) for c in left):
            return
        cells, at, line = [name], [0], multi[0].line
    else:
        if len(multi) > 1:
            multi = [r for r in multi if sum(bool(_NAME_LABEL.search(compact(c))) for c in r.filled) == 2]
        if len(multi) != 1:
            return
        cells = [compact(c) for c in multi[0].filled]
        at = [k for k, c in enumerate(cells) if _NAME_LABEL.search(c)]
        if len(at) != 2 or at[0] > 1:
            return
        left = [c for c in cells[at[0] + 1 : at[1]] if not _CODE_LABEL.search(c)]
        right = cells[at[1] + 1 :]
        if not left or left != right or any(_NAME_LABEL.search(c) for c in left):
            return
        line = multi[0].line
    codes = list(_CODE_PARTS[:parts]) if parts else ["科目编码"]
    width = len(codes) + 1 + len(left)
    split: list[tuple[list[str], list[str]]] = []
    for r in block.data_rows:
        c = list(r.cells)
        if not c or not _JOINED_CODE.match(compact(c[0])):
            # the halves' totals (人员经费合计 155.00 公用经费合计 45.00): label and figure each
            c = [x for x in c if compact(x)]
            pairs = [c[k : k + 2] for k in range(0, len(c), 2)]
            if len(c) not in (2, 4) or not all(not is_number(a) and is_number(b) for a, b in pairs):
                return
            lead = [""] * len(codes)
            split.append(([*lead, *pairs[0]], [*lead, *pairs[1]] if len(pairs) > 1 else []))
            continue
        first_name = next(
            (j for j in range(1, len(c)) if compact(c[j]) and not _CODE_CELL.match(compact(c[j]))), len(c)
        )
        cut = next((j for j in range(first_name + 1, len(c)) if _JOINED_CODE.match(compact(c[j]))), None)
        a, b = (c, []) if cut is None else (c[:cut], c[cut:])
        if len(a) > width or len(b) > width:
            return
        split.append((a, b))
    side: dict[str, int] = {}
    last = 0
    out: list[Row] = []
    for r, (a, b) in zip(block.data_rows, split):
        lone = [[], a] if a[0] and side.get(compact(a[0])[:3], last) == 1 else [a, []]
        halves_ = [a, b] if b else lone
        for k, h in enumerate(halves_):
            if h and h[0]:
                side[compact(h[0])[:3]] = k
                last = k
        cells_ = [*halves_[0], *[""] * (width - len(halves_[0])), *halves_[1], *[""] * (width - len(halves_[1]))]
        out.append(Row(line=r.line, cells=cells_, end_line=r.end_line))
    half = [*codes, cells[at[0]], *left]
    block.header_rows = [Row(line=line, cells=half + half)]
    block.data_rows = out


def _half_parts(row: Row) -> int:
    """The code parts of a header printed twice side by side (`类 款 类 款`): how many per half."""
    cells = [compact(c) for c in row.filled]
    n = len(cells) // 2
    return n if n >= 2 and len(cells) == 2 * n and cells[:n] == cells[n:] == list(_CODE_PARTS[:n]) else 0


def join_side_name_pieces(block: Block) -> None:
    """The fund columns right of a two-sided header's 合计, their names wrapped in two lines that
    flattened text prints apart (`一般公共预算财 政府性基金预算 …` above the 项目 row, `政拨款
    财政拨款 …` below it): the pieces are joined pairwise and follow the 项目 row's names."""
    if block.kind not in TWO_SIDED:
        return

    # pieces of fund names, never a side's label or a row's (本年收入, 财政拨款收入, 外交支出)
    def pieces_only(r: Row) -> bool:
        return not any(compact(c).endswith(("收入", "支出", "项目", "合计", "总计")) or is_number(c) for c in r.filled)

    def is_main(r: Row) -> bool:
        return sum(compact(c).endswith("项目") for c in r.filled) == 2

    # the header's lines before the first figures may have been taken for data
    lead: list[Row] = []
    for r in block.data_rows[:3]:
        if not (len(r.filled) >= 2 and (pieces_only(r) or is_main(r))):
            break
        lead.append(r)
    rows = [*block.header_rows, *lead]
    if len(rows) < 3:
        return
    main = next((r for r in rows if is_main(r)), None)
    if main is None:
        return

    others = [r for r in rows if r is not main and len(r.filled) >= 2 and pieces_only(r)]
    at = rows.index(main)
    after = rows[at + 1:]
    # names wrapped in three lines print their middles on the 项目 row, after its 合计
    own = [compact(c) for c in main.filled]
    total_at = max((k for k, c in enumerate(own) if c == "合计"), default=None)
    middles = own[total_at + 1:] if total_at is not None else []
    if middles and not all(pieces_only(Row(line=main.line, cells=[m])) for m in middles):
        middles = []
    if (len(others) == 2 and len(others[0].filled) == len(others[1].filled)
            and rows.index(others[0]) < at < rows.index(others[1])):
        heads, tails = others
        if middles and total_at is not None and len(middles) == len(heads.filled):
            names = [compact(h) + m + compact(t) for h, m, t in zip(heads.filled, middles, tails.filled)]
            main = Row(line=main.line, cells=main.filled[: total_at + 1], end_line=main.end_line)
            rows = [main if r is rows[at] else r for r in rows]
        else:
            names = [compact(h) + compact(t) for h, t in zip(heads.filled, tails.filled)]
        drop = [heads, tails]
    elif after and len(after) % 2 == 0 and all(len(r.filled) == 1 and pieces_only(r) for r in after):
        # one piece a line (`pdftotext -raw`): head, tail, head, tail … below the 项目 row
        pieces = [compact(r.filled[0]) for r in after]
        names = [h + t for h, t in zip(pieces[::2], pieces[1::2])]
        drop = after
    else:
        return
    joined = Row(line=main.line, cells=[*main.filled, *names], end_line=main.end_line)
    block.header_rows = [joined if r is main else r for r in rows if not any(r is d for d in drop)]
    del block.data_rows[: len(lead)]


def join_side_headers(block: Block) -> None:
    """A two-sided summary whose sides print the same labels (`项目 预算数` | `项目 预算数`), its
    header one cell a line (PyMuPDF): the second side's line was taken for a repeated header, and
    the one line left stands for both sides when the rows are twice as wide."""
    if block.kind not in TWO_SIDED:
        return
    rows = block.header_rows
    if any(sum(compact(c).endswith("项目") for c in r.filled) >= 2 for r in rows):
        return
    sides = [k for k, r in enumerate(rows)
             if r.filled and compact(r.filled[0]) == "项目" and sum(compact(c) == "项目" for c in r.filled) == 1]
    width = max((len(d.filled) for d in block.data_rows), default=0)
    if len(sides) == 1 and len(rows[sides[0]].filled) >= 2 and width == 2 * len(rows[sides[0]].filled):
        r = rows[sides[0]]
        block.header_rows[sides[0]] = Row(line=r.line, cells=[*r.filled, *r.filled], end_line=r.end_line)


def realign_split_expenditure_side(block: Block) -> None:
    """A 财务收支预算总表 whose expenditure side splits its 预算数 (合计 / 基本支出 with 人员经费 and
    公用经费 / 项目支出), flattened: `项目 预算数 项目` on one line, then 预算数, 合计, 基本支出,
    项目支出 each on a line and `人员经费 公用经费` on the last. The header is rebuilt as three
    rows over the row's cells: the sides' labels, the right side's 预算数 over its columns, and
    基本支出's parts under it (the template's, `semx/vocab/columns.py`)."""
    rows = block.header_rows
    # the right side's 预算数 printed on the sides' line (`项目 预算数 项目 预算数`) or on the next
    main = next((r for r in rows if [compact(c) for c in r.filled][:3] == ["项目", "预算数", "项目"]
                 and [compact(c) for c in r.filled][3:] in ([], ["预算数"])), None)
    if block.kind != "income_expenditure_summary" or main is None:
        return
    # lines of column names only, the first starting with 合计, were taken for data (a total row's
    # label): they are the header's when the realignment below holds
    taken = 0
    while taken < len(block.data_rows) and taken < 3 and block.data_rows[taken].filled and all(
            compact(c) in STANDARD_COLUMNS for c in block.data_rows[taken].filled):
        taken += 1
    after = rows[rows.index(main) + 1 :] + block.data_rows[:taken]
    words = [compact(c) for c in main.filled[3:]] + [compact(c) for r in after for c in r.filled]
    if not words or words[0] != "预算数" or len(set(words)) != len(words):
        return
    # the names in printed order, one a line or run together (`合计 基本支出` / `项目支出`), the
    # split column's parts among them
    group = next((g for g, sub in SPLIT_COLUMNS.items() if g in words and set(sub) <= set(words)), None)
    sub = SPLIT_COLUMNS.get(group or "", ())
    names = [w for w in words[1:] if w not in sub]
    parts = [w for w in words[1:] if w in sub]
    if group is not None and parts != list(sub):
        group = None
    if group is None or not all(n in STANDARD_COLUMNS for n in names):
        return
    at = names.index(group)
    mid = [*names[:at], group, *[""] * (len(parts) - 1), *names[at + 1 :]]
    low = [*[""] * at, *parts, *[""] * (len(names) - at - 1)]
    width = 3 + len(mid)
    data = block.data_rows[taken:]
    if not data or any(len(r.cells) != width for r in data if len(r.filled) == width):
        return
    del block.data_rows[:taken]
    sides = next((r for r in rows if len(r.filled) == 2 and r is not main), None)
    top = [*(sides.filled[:1] if sides else [""]), "", *(sides.filled[1:] if sides else [""]), "预算数",
           *[""] * (len(mid) - 1)]
    block.header_rows = [
        Row(line=(sides or main).line, cells=top),
        Row(line=main.line, cells=[*main.filled[:3], *mid]),
        Row(line=main.line, cells=["", "", "", *low]),
    ]


def place_side_groups(block: Block) -> None:
    """A side's group label (本年收入 / 财政拨款支出) over its own 项目 column.

    Flattened text prints the two group labels as a two-cell row; read from the left, the second
    would stand over the left side's 预算数. Each goes over the 项目 column that opens its side.
    """
    rows = block.header_rows
    if block.kind not in TWO_SIDED or len(rows) < 2:
        return
    top, below = rows[-2], rows[-1]
    groups = [c for c in top.cells if c.strip()]
    starts = [k for k, c in enumerate(below.cells) if compact(c).endswith("项目")]
    if len(groups) != 2 or len(starts) != 2 or len(top.cells) >= len(below.cells):
        return
    if [k for k, c in enumerate(top.cells) if c.strip()] == starts:
        return
    cells = [""] * len(below.cells)
    for k, g in zip(starts, groups):
        cells[k] = g
    block.header_rows[-2] = Row(line=top.line, cells=cells, end_line=top.end_line)


_MEASURE_CELL = re.compile(r"^(?:预算|决算)数$")


def _half_unit(text: str) -> Decimal:
    digits = text.split(".")[1] if "." in text else ""
    return Decimal(1).scaleb(-len(digits)) / 2


def realign_final_three_public(block: Block) -> None:
    """The 决算's "三公" table, its header flattened and its blank cells gone.

    Each item (合计, 因公出国（境）费, 公务用车购置及运行维护费 with 小计 / 购置费 / 运行维护费,
    公务接待费) prints a 预算数 and a 决算数 column; flattened text prints the header's words on
    lines apart and the one line of figures without its blanks. The header is rebuilt in the
    national template's order, and the figures are put where the table's sums put them (per
    measure: 合计 = 因公出国 + 小计 + 公务接待费, 小计 = 购置费 + 运行维护费, to the rounding of
    the printed figures). Where several placements keep every sum, the columns they disagree on
    are left out (购置费 or 运行维护费 of an equal 小计): nothing is guessed, nothing false checked.
    """
    rows = [*block.header_rows, *block.data_rows]
    at = next((k for k, r in enumerate(rows) if len(r.filled) >= 4 and len(r.filled) % 2 == 0
               and all(_MEASURE_CELL.match(compact(c)) for c in r.filled)), None)
    if at is None or len(rows[at].filled) != 12:
        return
    figures_at = [k for k, r in enumerate(rows) if k > at and r.filled and all(is_number(c) for c in r.filled)]
    if len(figures_at) != 1 or len(rows) != figures_at[0] + 1:
        return
    words = "".join(compact(c) for r in rows[:at] for c in r.filled)
    if not all(w in words for w in ("合计", "因公出国", "公务接待", "小计", "购置", "运行")):
        return
    measures = [compact(c) for c in rows[at].filled]
    if measures != ["预算数", "决算数"] * 6:
        return
    figures = [compact(c) for c in rows[figures_at[0]].filled]
    if len(figures) > 12:
        return
    amounts = [Decimal(f.replace(",", "")) for f in figures]
    slack = [_half_unit(f) for f in figures]
    # item order: 合计 0, 因公出国 1, 小计 2, 购置费 3, 运行维护费 4, 公务接待费 5; column = 2 * item + measure
    solutions: list[dict[int, int]] = []
    for pos in itertools.combinations(range(12), len(figures)):
        got = dict(zip(pos, range(len(figures))))

        def val(col: int, got: dict[int, int] = got) -> Decimal:
            return amounts[got[col]] if col in got else Decimal(0)

        def tol(cols: list[int], got: dict[int, int] = got) -> Decimal:
            return max(sum((slack[got[c]] for c in cols if c in got), Decimal(0)), Decimal("0.01"))

        ok = all(
            abs(val(0 + m) - val(2 + m) - val(4 + m) - val(10 + m)) <= tol([0 + m, 2 + m, 4 + m, 10 + m])
            and abs(val(4 + m) - val(6 + m) - val(8 + m)) <= tol([4 + m, 6 + m, 8 + m])
            for m in (0, 1)
        )
        if ok:
            solutions.append(got)
    if not solutions:
        return
    keep = [c for c in range(12) if len({figures[s[c]] if c in s else "" for s in solutions}) == 1]
    car = next((ln for ln in (compact(c) for r in rows[:at] for c in r.filled) if "公务用车购置及运行" in ln),
               "公务用车购置及运行维护费")
    running = "运行维护费" if "运行维护" in words else "运行费"
    top = compact(rows[0].filled[0]) if "三公" in compact(rows[0].filled[0]) else "“三公”经费"
    items = [[top, "合计"], [top, "因公出国（境）费"], [top, car, "小计"], [top, car, "购置费"],
             [top, car, running], [top, "公务接待费"]]
    paths = [[*items[c // 2], measures[c]] for c in keep]
    depth = max(len(p) for p in paths)
    header: list[list[str]] = []
    for level in range(depth):
        line: list[str] = []
        for k, p in enumerate(paths):
            # a measure stands on the last line; a label once, at the left of the columns it spans
            cell = p[-1] if level == depth - 1 else (p[level] if level < len(p) - 1 else "")
            if level < depth - 1 and k > 0 and paths[k - 1][: level + 1] == p[: level + 1]:
                cell = ""
            line.append(cell)
        header.append(line)
    first = solutions[0]
    values = [figures[first[c]] if c in first else "" for c in keep]
    data = rows[figures_at[0]]
    block.header_rows = [Row(line=rows[0].line, cells=h) for h in header]
    block.data_rows = [Row(line=data.line, cells=values, end_line=data.end_line)]


def _vehicle_parts(cell: str) -> list[str]:
    """A header cell that is several of 公务用车's part names glued together (`购置费运行费`: two
    names set close enough to fall into one band of the text) as those names; else the cell."""
    names = sorted(_VEHICLE_PARTS, key=len, reverse=True)
    out: list[str] = []
    rest = cell
    while rest:
        head = next((n for n in names if rest.startswith(n)), None)
        if head is None:
            return [cell]
        out.append(head)
        rest = rest[len(head):]
    return out if len(out) >= 2 else [cell]


def _split_names_row(names: list[str]) -> tuple[list[str], list[str], list[str]] | None:
    """The one-level names, the group's parts and what follows them, from one row of names that
    holds them all (`合计 因公出国(境)费 公务接待费 小计 购置费 运行费 [费预算数]`: text that printed
    the two header lines side by side puts them on one row, in the order the page prints them).
    The parts start at the group's own total after the first name; the names after the parts are
    pieces of the next column's wrapped name."""
    cells = [p for c in names for p in _vehicle_parts(c)]
    at = next((k for k, c in enumerate(cells) if k > 0 and c in ("小计", "合计")), None)
    if at is None:
        return None
    end = at
    while end < len(cells) and cells[end] in _VEHICLE_PARTS:
        end += 1
    if end - at < 2:
        return None
    return cells[:at], cells[at:end], cells[end:]


def realign_three_public(block: Block) -> None:
    """The horizontal "三公" table's header from the lines a text extractor printed apart.

    Flattened, its header is the top label (“三公”经费预算数), the group label
    (公务用车购置及运行费), the last column's wrapped name (机关运行经费预算 / 数) each on a line,
    then the one-level names (合计 因公出国(境)费 公务接待费) and the group's own (小计 购置费 运行费),
    on two rows or, side by side, on one. The standard table prints the group after the one-level
    columns and the 机关运行经费 column last; the header is rebuilt in that order over the row of
    figures. A row with as many figures as the header has columns holds them in that order,
    wherever the text set its blank cells; a shorter one is placed by the table's sums
    (semx.tables.placement.place_three_public), which also check a full one.
    """
    rows = block.header_rows
    if block.kind != "three_public_expenditure" or not block.data_rows:
        return
    singles = [compact(r.filled[0]) for r in rows if len(r.filled) == 1]
    multi = [[compact(c) for c in r.filled] for r in rows if len(r.filled) > 1]
    # rows of names the row-by-row header test left to the data (合计 … is a data label elsewhere)
    # (a single name among them is the group label printed between the two rows of names)
    taken = 0
    names_rows: list[int] = []
    while (
        len(multi) < 2
        and taken + 1 < len(block.data_rows)
        and block.data_rows[taken].filled
        and not any(is_number(c) for c in block.data_rows[taken].filled)
    ):
        if len(block.data_rows[taken].filled) > 1:
            multi.append([compact(c) for c in block.data_rows[taken].filled])
            names_rows.append(taken)
        else:
            singles.append(compact(block.data_rows[taken].filled[0]))
        taken += 1
    if not singles:
        return
    if len(multi) == 1:
        split = _split_names_row(multi[0])
        if split is None:
            return
        top_level, subs, tail = split
        words_row = block.data_rows[names_rows[0]] if names_rows else rows[-1]
        names_line = words_row.line
    elif len(multi) == 2:
        top_level, subs = multi
        subs = [p for c in subs for p in _vehicle_parts(c)]
        tail = []
        words_row = block.data_rows[names_rows[-1]] if names_rows else rows[-1]
        names_line = block.data_rows[names_rows[0]].line if len(names_rows) == 2 else rows[-1].line
    else:
        return
    group = next((s for s in singles if "公务用车" in s), None)
    if group is None and top_level and "公务用车" in top_level[-1]:
        group = top_level.pop()  # printed at the end of the one-level names, as the PDF's top row has it
    # the top label can be lost with its line (`2023年“三公”经费预算数` read as a title); the
    # columns under it are still the 三公 ones, apart from the 机关运行经费 column after them
    top = next((s for s in singles if "三公" in s), None) or THREE_PUBLIC_TOP
    if group is None or not subs or subs[0] not in ("小计", "合计"):
        return
    # the last column's name: its pieces above the names (机关运行经费预算 / 数), then any on their row
    last = "".join(s for s in singles if s not in (group, top)) + "".join(tail)
    width = len(top_level) + len(subs) + (1 if last else 0)
    body = block.data_rows[taken:]
    # a row of figures as wide as the header, or narrower when text lost its empty cells (its
    # figures are then placed by the table's sums: semx.tables.placement.place_three_public)
    if not 0 < max(len(r.filled) for r in body) <= width:
        return
    # a row wider than the header: only one with a figure for every column can be read (in order)
    if any(len(r.cells) > width and len(r.filled) != width for r in body):
        return
    first_line = (rows or block.data_rows)[0].line
    block.data_rows = [
        Row(line=r.line, cells=list(r.filled), end_line=r.end_line) if len(r.cells) > width else r for r in body
    ]
    tail_cells = [last] if last else []
    block.header_rows = [
        Row(line=first_line, cells=[top] + [""] * (width - 1 - len(tail_cells)) + tail_cells),
        Row(line=names_line, cells=top_level + [group] + [""] * (len(subs) - 1) + [""] * len(tail_cells)),
        Row(line=words_row.line, cells=[""] * len(top_level) + subs + [""] * len(tail_cells)),
    ]


_VEHICLE_PARTS = frozenset(VEHICLE_PARTS)


def _close_vehicle_group(block: Block) -> None:
    """End the 公务用车购置及运行费 group at its own parts. Text that lost a wrapped header cell's
    first line (`2023年机关运行经` / `费预算数`) leaves that column's top blank, and a blank top
    cell reads as more of the group to its left: the column's name goes up to the group's row."""
    if block.kind != "three_public_expenditure" or len(block.header_rows) < 2:
        return
    for k, top in enumerate(block.header_rows[:-1]):
        g = next((p for p, c in enumerate(top.cells) if "公务用车" in compact(c)), None)
        if g is None:
            continue
        below = block.header_rows[k + 1]
        for p in range(g + 1, min(len(top.cells), len(below.cells))):
            if compact(top.cells[p]):
                break
            name = compact(below.cells[p])
            if name and name not in _VEHICLE_PARTS:
                top.cells[p], below.cells[p] = below.cells[p], ""
                if not any("三公" in compact(c) for r in block.header_rows for c in r.cells):
                    # the columns before it are the 三公 ones, under their label
                    width = len(top.cells)
                    block.header_rows.insert(0, Row(line=top.line, cells=[THREE_PUBLIC_TOP] + [""] * (width - 1)))
                    top.cells[p] = ""
                    block.header_rows[0].cells[p] = name
        return


def settle_header(block: Block) -> None:
    """Fix the header/data split of a numeric table from the shape of its rows.

    Two shapes the row-by-row header test misses: a header row that starts with 合计 (the
    horizontal "三公" table: 合计 / 因公出国(境)费 / … over 小计 / 购置费 / 运行费), and the
    类/款/项 row that also prints the 合计 figures (收入决算表).
    """
    if block.kind not in NUMERIC_KINDS:
        return
    _take_flat_header(block)
    realign_flat_header(block)
    realign_joined_code_header(block)
    realign_two_half_code_header(block)
    if block.kind == "three_public_expenditure":
        realign_final_three_public(block)
    realign_three_public(block)
    join_side_headers(block)
    join_side_name_pieces(block)
    realign_split_expenditure_side(block)
    place_side_groups(block)
    _unhead(block)
    data = block.data_rows
    k = 0
    while (
        k < len(data)
        and len(block.header_rows) + k < _MAX_HEADER_ROWS
        and _header_like(data[k], first=not block.header_rows and k == 0)
        and _refines(block.header_rows + data[:k], data[k])
    ):
        k += 1
    if k:
        block.header_rows.extend(data[:k])
        del data[:k]
    _close_vehicle_group(block)
    if data:
        first = data[0]
        lead = [compact(c) for c in first.cells[:3]]
        n = 0
        while n < len(lead) and lead[n] == _CODE_PARTS[n]:
            n += 1
        if n >= 2:
            width = len(first.cells)
            block.header_rows.append(Row(line=first.line, cells=first.cells[:n] + [""] * (width - n)))
            data[0] = Row(
                line=first.line, cells=[""] * n + first.cells[n:], end_line=first.end_line
            )


def leaf_names(header: list[list[str]]) -> list[str]:
    """The lowest non-empty header cell of each column position, as printed."""
    grid = [header_cells(r) for r in header]
    width = max((len(r) for r in grid), default=0)
    out: list[str] = []
    for pos in range(width):
        out.append(next((r[pos] for r in reversed(grid) if pos < len(r) and r[pos]), ""))
    return out


def halves(header: list[list[str]]) -> int | None:
    """Width of one half when the header prints the same columns twice side by side."""
    names = leaf_names(header)
    n = len(names)
    while n and not names[n - 1]:
        n -= 1
    if n < 4 or n % 2:
        return None
    h = n // 2
    left, right = names[:h], names[h:n]
    # each half has its own row label (科目编码 / 类 / 科目名称): two tables printed side by side,
    # not the 预算数 / 决算数 pairs of one table
    labelled = any(c in _CODE_PARTS or "科目" in c or "编码" in c or c.endswith("名称") for c in left)
    if left == right and labelled:
        return h
    return None


def column_paths(header: list[list[str]], positions: list[int]) -> list[list[str]]:
    """Header cells above each column position, top to bottom.

    A merged cell is printed once, at its left; it covers the empty cells to its right that
    share every header cell above with it (公务用车购置及运行费 over 小计 / 购置费 / 运行费, but not
    over the next top-level column).
    """
    grid = [[clean(c) for c in r] for r in header]
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]
    owner: list[list[int | None]] = []
    for r, row in enumerate(grid):
        own: list[int | None] = []
        last: int | None = None  # the nearest filled cell left of pos (a rescan per cell was quadratic)
        for pos in range(width):
            if row[pos]:
                own.append(pos)
                last = pos
                continue
            left = last
            same_parent = left is not None and all(owner[a][left] == owner[a][pos] for a in range(r))
            own.append(left if same_parent else None)
        owner.append(own)
    out: list[list[str]] = []
    for pos in positions:
        path: list[str] = []
        for r, row in enumerate(grid):
            o = owner[r][pos] if pos < width else None
            cell = row[o] if o is not None else ""
            if cell and (not path or path[-1] != cell):
                path.append(cell)
        out.append(path)
    return out


@dataclass(frozen=True)
class PrintedCell:
    """One figure as the page prints it, keyed the way a reader names it."""

    side: str | None  # "left" / "right" in a table with two halves on one line
    row: str  # 科目编码 digits, else the row's label without spaces
    column: list[str]  # header path, top to bottom
    raw: str
    line: int


def _row_key(code: str | None, name: str | None) -> str:
    return code or compact(name or "")


def printed_cells(table: Table) -> list[PrintedCell]:
    """Every non-blank value cell of a table with its (side, row, column) key.

    In the two-sided summaries each label column names the figures right of it up to the next
    label column; the first label column is the left side. A row without any label (the one
    line of the horizontal "三公" table) is keyed "".
    """
    paths = table.column_paths or [[c] for c in table.columns]
    labels = [
        j for j, p in enumerate(paths) if p and (p[-1].endswith("项目") or p[-1] in ("项目名称",))
        and any(isinstance(r.cells[j], str) for r in table.rows if j < len(r.cells))
    ]
    out: list[PrintedCell] = []
    for r in table.rows:
        raw = r.raw or ["" if c is None else str(c) for c in r.cells]
        if labels:
            for n, j in enumerate(labels):
                end = labels[n + 1] if n + 1 < len(labels) else len(paths)
                label = raw[j] if j < len(raw) else ""
                if not label.strip():
                    continue
                for k in range(j + 1, min(end, len(raw))):
                    if raw[k].strip():
                        side = "left" if n == 0 else "right"
                        out.append(PrintedCell(side, compact(label), paths[k], raw[k].strip(), r.line))
            continue
        key = _row_key(r.code, r.name)
        for k, value in enumerate(raw):
            if value.strip() and k < len(paths):
                out.append(PrintedCell(r.side, key, paths[k], value.strip(), r.line))
    return out
