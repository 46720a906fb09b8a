"""A ruled table that goes on over the next page is one table: its rows keep their order, the
header rows the printer repeats on the new page are dropped, and a row cut in two by the page
break is joined back when the evidence is clear.

Works on the PDF reader's lines (free text, and table rows that know their page, table and
column boundaries), so it needs no PDF library.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from semx.ingest.pdf import PageLine

# Two tables are one when every column boundary is within this of the other's (PDF points).
_COL_TOLERANCE = 2.0
# Printed page numbers ("- 12 -", "12", "第 12 页") between the two parts do not separate them.
_FURNITURE = re.compile(r"^\s*(?:[-—–]?\s*\d{1,4}\s*[-—–]?|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?)\s*$")
# Header rows are at most this many rows at the top of a table's first part.
_MAX_HEADER_ROWS = 4
_AMOUNT = re.compile(r"^[-+]?[\d,]*\d(?:\.\d+)?%?$")
# A classification code (`2010399`) cut by the page break: digits on both sides, no amount.
_CODE_HEAD = re.compile(r"^\d{3,}$")
_CODE_TAIL = re.compile(r"^\d{1,4}$")
# A figure's first part, perhaps ending in its decimal point (`1379.` / `53`).
_FIGURE_HEAD = re.compile(r"^[-+]?[\d,]*\d(?:\.\d*)?$")
# Text edges that agree within this are one edge (PDF points).
_EDGE = 0.5
# How many body rows before the break establish which columns every row fills.
_MIN_BODY_ROWS = 2


def _same_columns(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return len(a) == len(b) and len(a) > 1 and all(abs(x - y) <= _COL_TOLERANCE for x, y in zip(a, b, strict=True))


def _fit(row: PageLine, cols: tuple[float, ...]) -> tuple[list[str], list[tuple[float, float] | None]] | None:
    """row's cells put into the columns cols (a wider set: the table's header page), each cell
    by where its text lies, with their extents; None when a cell's text does not lie in one of
    those columns, or two cells of the row fall into one."""
    out = [""] * (len(cols) - 1)
    extents: list[tuple[float, float] | None] = [None] * (len(cols) - 1)
    for text, ext in zip(row.cells, row.extents, strict=False):
        if not text.strip():
            continue
        if ext is None:
            return None
        at = [i for i in range(len(cols) - 1) if cols[i] - _COL_TOLERANCE <= ext[0] and ext[1] <= cols[i + 1] + _COL_TOLERANCE]
        if len(at) != 1 or out[at[0]]:
            return None
        out[at[0]], extents[at[0]] = text, ext
    return out, extents


def _short_part(ln: PageLine, cols: tuple[float, ...]) -> bool:
    """Whether ln's table is a table of the same width read with fewer columns than cols: a column
    empty on every row of a page leaves no white-space river to find it by (a table ruled with
    horizontal rules only)."""
    return (1 < len(ln.cols) < len(cols) and abs(ln.cols[0] - cols[0]) <= _COL_TOLERANCE
            and abs(ln.cols[-1] - cols[-1]) <= _COL_TOLERANCE)


def _key(ln: PageLine) -> str:
    return "\t".join(re.sub(r"\s+", "", c) for c in ln.cells)


def _filled(ln: PageLine) -> set[int]:
    return {i for i, c in enumerate(ln.cells) if c.strip()}


def _is_split_tail(row: PageLine, body: list[PageLine], n_header: int = 0) -> bool:
    """Whether row is the tail of body[-1], cut off by the page break.

    Clear evidence only: the row has no cell in the first column that every one of the last
    rows before the break fills (its code or name: it starts further right), it has text only
    in columns that the row before the break has text in, and none of its cells is an amount
    (a number is never wrapped), and not in every one of those columns from its first cell on
    (a complete row). A new row under a merged cell (blank 一级指标, its own 三级指标)
    or a new 类 row (its own code) is never taken for a tail.
    """
    if len(body) < _MIN_BODY_ROWS:
        return False
    # the columns every row fills are judged on the rows under the header (a header row leaves
    # the 序号 column of a short part blank where the 科目编码/科目名称 sub-header is)
    last = body[n_header:][-8:] or body[-8:]
    always = set.intersection(*(_filled(r) for r in last))
    mine = _filled(row)
    if not mine or not always or min(mine) <= min(always):
        return False
    before = _filled(body[-1])
    if any(_AMOUNT.match(row.cells[i].strip()) and not _wrapped_code(body[-1].cells[i], row.cells[i])
           and not _wrapped_figure(body[n_header:], row, i) for i in mine):
        return False
    # a row that fills every column the row before fills from its first cell on is a row of its
    # own under a merged cell (`⇥质量指标⇥…⇥≥50期⇥工作需要` after an indicator row), however short
    # the rows before the break: a cut row's tail holds only the cells that wrapped
    # (two cells at least: one cell left of a row, `二、政府性基金` / `预算拨款`, is a wrapped name)
    if len(mine) >= 2 and mine == {i for i in before if i >= min(mine)}:
        return False
    return mine <= before


def _wrapped_code(head: str, tail: str) -> bool:
    """Whether tail is the last digits of a code whose first digits (head) end the row before the
    break: a narrow code column wraps `2010399` as `201039` / `9`, and the page break may fall between."""
    return bool(_CODE_HEAD.match(head.strip()) and _CODE_TAIL.match(tail.strip()))


def _wrapped_figure(body: list[PageLine], row: PageLine, i: int) -> bool:
    """Whether row's figure in column i is the end of the figure that closes the row before the
    break, wrapped in a narrow cell (`889.1` / `2`): that figure fills its cell, from the left
    edge where the column's text starts to the furthest its text reaches on the rows before (body:
    the rows under the header), the
    tail starts at the same left edge (a cell's wrapped line), and the two make one figure."""
    if not body:
        return False
    head = body[-1]
    text, tail = head.cells[i].strip(), row.cells[i].strip()
    if not (_FIGURE_HEAD.match(text) and _AMOUNT.match(text + tail)):
        return False
    mine = head.extents[i] if i < len(head.extents) else None
    below = row.extents[i] if i < len(row.extents) else None
    edges = [r.extents[i] for r in body if i < len(r.extents) and r.extents[i] is not None]
    if mine is None or below is None or not edges:
        return False
    left, reach = min(e[0] for e in edges if e), max(e[1] for e in edges if e)
    return (abs(mine[0] - left) <= _EDGE and abs(below[0] - left) <= _EDGE and mine[1] >= reach - _EDGE)


def _is_header(ln: PageLine) -> bool:
    """A header row names columns; a row with an amount in it is data (so is a 栏次 row: kept)."""
    return not any(_AMOUNT.match(c.strip()) for c in ln.cells if c.strip())


def continue_tables(lines: list[PageLine], join: Callable[[list[str]], str],
                    dropped: list[int] | None = None) -> list[PageLine]:
    """lines with continued tables mended; join glues a cell's text to its tail.

    A continuation part read with fewer columns than the table's first part has its cells put
    into the first part's columns when their text fits them; when it does not, its rows are left
    out (never read one column shifted) and their pages added to dropped."""
    out: list[PageLine] = []
    part: tuple[int, int] | None = None  # (page, table index) of the part being read
    cols: tuple[float, ...] = ()
    header: list[str] = []  # the table's header rows (keys), from its first part
    in_header = False  # the first part's rows so far are all header rows
    rows: list[PageLine] = []  # the table's rows kept so far
    fresh = False  # at the top of a continuation part: none of its rows kept yet
    between: list[PageLine] = []  # free lines since the table's last row
    by_part: dict[tuple[int, int], list[PageLine]] = {}
    for ln in lines:
        if ln.table is not None:
            by_part.setdefault((ln.page, ln.table), []).append(ln)
    skipped: set[tuple[int, int]] = set()  # parts read with too few columns that do not fit
    for ln in lines:
        if ln.table is None:
            out.append(ln)
            between.append(ln)
            continue
        where = (ln.page, ln.table)
        if where in skipped:
            continue
        if where != part and (
            part is not None and ln.page == part[0] + 1 and _short_part(ln, cols) and not _is_header(ln)
            and all(_FURNITURE.match(f.text) for f in between)
        ):
            # the whole part fits the first part's columns, or none of it is read
            fitted = [_fit(r, cols) for r in by_part[where]]
            if any(f is None for f in fitted):
                skipped.add(where)
                if dropped is not None:
                    dropped.append(ln.page)
                continue
            for r, f in zip(by_part[where], fitted, strict=True):
                if f is not None:
                    r.cells, r.extents, r.cols = f[0], tuple(f[1]), cols
        if where != part:
            continued = (
                part is not None
                and ln.page == part[0] + 1
                and _same_columns(ln.cols, cols)
                and all(_FURNITURE.match(f.text) for f in between)
            )
            part, fresh = where, continued
            if not continued:
                cols, header, in_header, rows = ln.cols, [], True, []
        between = []
        if fresh:
            if _key(ln) in header:
                continue  # the header repeated at the top of the new page
            fresh = False
            if _is_split_tail(ln, rows, len(header)):
                for i, c in enumerate(ln.cells):
                    if c.strip():
                        rows[-1].cells[i] = join([rows[-1].cells[i], c])
                rows[-1].end_page = ln.page
                continue
        elif in_header:
            in_header = _is_header(ln) and len(header) < _MAX_HEADER_ROWS
            if in_header:
                header.append(_key(ln))
        out.append(ln)
        rows.append(ln)
    return out
