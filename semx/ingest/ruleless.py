"""Tables a PDF prints without ruling lines: their rows are read from the positions of the text.

The PDF reader builds a table's cells from its ruling lines; a table drawn without them comes out
as free lines split where wide gaps separate the words, and a row loses its empty cells and puts a
wrapped cell's second line on a line of its own. Such a run of lines keeps each cell's left and
right edge: the run is read by the columns its header names: each word goes under the header cell it starts in, and a line that
fills fewer than half the columns holds the wrapped lines of the row above (a line break inside a
cell never starts a row). A word processor that pads each row (LibreOffice) spaces two rows further
apart than a cell's wrapped lines: there the spacing tells a row from a wrapped line. A run with a
word across a header column's edge is not read by the header and stays free lines. The header's
lines above the one naming the most columns (its levels, its labels wrapped in narrow columns) go
under the columns their words start in, when every word starts at a column; the rows read here
are marked `placed`, so that a table whose labels end up under figure columns is left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from statistics import median
from typing import TYPE_CHECKING

from semx.models import Line

if TYPE_CHECKING:
    from semx.ingest.pdf import PageLine

_MIN_ROWS = 3  # lines of three cells or more that make a run a table
_MAX_BETWEEN = 4  # lines of one or two cells a run may hold between two of its rows
# The widest gap between two lines of a run, in line heights: a word processor pads each row of a
# table printed without rules (LibreOffice: 1.8 line heights between two rows).
_GAP = 2.0
# A table of contents' leaders (`1. 2025年部门财务收支预算总表 ……`): spaced like cells, not a table.
_LEADERS = re.compile(r"…{2,}|\.{4,}|·{4,}")


def _runs(lines: Sequence[PageLine]) -> list[tuple[int, int, int]]:
    """(first, first of three cells or more, last) index of each run of free lines laid out as a
    table without rules: the lines before the second are label rows of two cells."""
    out: list[tuple[int, int, int]] = []
    i = 0
    while i < len(lines):
        if lines[i].table is not None or len(_cells(lines[i])) < 3:
            i += 1
            continue
        start = end = i
        rows = 1
        k = i + 1
        between = 0
        while k < len(lines):
            ln, prev = lines[k], lines[k - 1]
            # the table goes on at the top of the next page with a row of its own, its words under
            # the header's columns (a row of two cells, 序号 and a name, like a short row), or with
            # a line of a cell or two: the end of the row cut by the page break, not at the left
            # edge, where a heading of the next page would start
            turned = ln.page == prev.page + 1 and _under_header(ln, lines[i: k]) and (
                len(_cells(ln)) >= 3 or _short_row(ln, lines[i: k])
                or _cells(ln)[0][1] > lines[i + _header_at(lines[i: k])].x0 + (ln.bottom - ln.top))
            if ln.table is not None or (ln.page != prev.page and not turned) or (
                    not turned and ln.top - prev.bottom > _GAP * (ln.bottom - ln.top)):
                break
            if len(_cells(ln)) >= 3 or _short_row(ln, lines[i: k]):
                rows, between, end = rows + 1, 0, k
            else:
                between += 1
                if between > _MAX_BETWEEN:
                    break
                end = k  # a wrapped cell's line under the last row belongs to it
            k += 1
        # label rows of two cells right above the first row (项目名称 | its name), and the wrapped
        # line of such a row's name
        while start > 0 and lines[start - 1].table is None and (
                lines[start - 1].page == lines[start].page
                and lines[start].top - lines[start - 1].bottom <= _GAP * (lines[start].bottom - lines[start].top)):
            if len(_cells(lines[start - 1])) == 2:
                start -= 1
            elif start > 1 and lines[start - 2].table is None and len(_cells(lines[start - 2])) == 2 and _wraps(
                    lines[start - 1], lines[start - 2]):
                start -= 2
            else:
                break
        if rows >= _MIN_ROWS and _aligned(lines[start: end + 1]):
            out.append((start, i, end))
        i = k if k > i else i + 1
    return out


def _wraps(ln: PageLine, above: PageLine) -> bool:
    """Whether a line of one word is the wrapped line of a cell of the line above: it starts where
    one of that line's words starts, closer under it than a line height (a cell's next line)."""
    words = _cells(ln)
    height = ln.bottom - ln.top
    return (len(words) == 1 and ln.page == above.page and 0 <= ln.top - above.bottom < height
            and any(abs(words[0][1] - x0) <= height / 2 for _, x0, _ in _cells(above)))


def _short_row(ln: PageLine, above: Sequence[PageLine]) -> bool:
    """Whether a line of two cells is a row of the run: its first word in the header's first
    column and every word under a header column (序号 and a name, the amounts left empty)."""
    words = _cells(ln)
    if len(words) != 2:
        return False
    head = above[_header_at(above)]
    tolerance = head.bottom - head.top
    lefts = [x0 for _, x0, _ in _cells(head)]
    return len(lefts) >= 3 and abs(words[0][1] - lefts[0]) <= tolerance and all(
        any(abs(x0 - left) <= tolerance for left in lefts) for _, x0, _ in words)


def _aligned(run: Sequence[PageLine]) -> bool:
    """Whether no word under the header runs over the left edge of a header column: a word across
    two columns means the header does not name the run's columns (two tables of different columns
    run together, a label row taken for the header), and the run stays free lines."""
    k = _header_at(run)
    head = run[k]
    tolerance = head.bottom - head.top
    lefts = [x0 for _, x0, _ in _cells(head)]
    return not any(x0 < left - tolerance and x1 > left + tolerance
                   for ln in run[k + 1:] for _, x0, x1 in _cells(ln) for left in lefts)


def _under_header(ln: PageLine, above: Sequence[PageLine]) -> bool:
    """Whether most of the line's words start where the run's header has a column."""
    head = above[_header_at(above)]
    tolerance = head.bottom - head.top
    lefts = [x0 for _, x0, _ in _cells(head)]
    words = _cells(ln)
    return 2 * sum(any(abs(x0 - left) <= tolerance for left in lefts) for _, x0, _ in words) > len(words)


def _cells(ln: PageLine) -> tuple[tuple[str, float, float], ...]:
    """A free line's words apart at the narrow gaps (its cells if the reader kept none); none for a
    line of a table of contents."""
    if any(_LEADERS.search(c) for c in ln.cells):
        return ()
    return ln.spans or tuple((c, ln.x0, ln.x1) for c in ln.cells[:1])


def _header_at(run: Sequence[PageLine]) -> int:
    """The run's line that names its columns: the first of the most cells (a header names every column)."""
    most = max(len(_cells(ln)) for ln in run)
    return next(k for k, ln in enumerate(run) if len(_cells(ln)) == most)


def _column(x0: float, lefts: list[float], tolerance: float) -> int:
    """The column a word starting at x0 stands in: the last whose left edge it does not precede."""
    k = 0
    for j, left in enumerate(lefts):
        if x0 >= left - tolerance:
            k = j
    return k


def _at_columns(ln: PageLine, lefts: list[float], tolerance: float) -> bool:
    """Whether every word of the line starts where a column starts: a header line whose cells are
    placed surely (a word elsewhere, centred over its columns, could belong to either)."""
    return all(any(abs(x0 - left) <= tolerance for left in lefts) for _, x0, _ in _cells(ln))


def _rows(run: Sequence[PageLine], top: int, header: int) -> list[tuple[int, int, list[str]]]:
    """(first, last line index in run, cells) of each row from line `top` on (the header's lines
    above the line that names the most columns, then the header and the body), each under the
    columns of the header. A line filling half the columns or more starts a row; a line filling
    fewer holds the wrapped lines of the cells above it (a line break inside a cell never starts a row)."""
    lefts = [x0 for _, x0, _ in _cells(run[header])]
    width = len(lefts)
    tolerance = median(ln.bottom - ln.top for ln in run)
    # Two spacings in a run: a cell's wrapped lines follow each other closer than two rows do
    # (a word processor pads each row). A line as far below the one above as a row is a row of its
    # own, however few cells it fills. A run spaced evenly further apart than a line height is
    # padded and wraps no cell: every line a row; one spaced evenly and closely keeps the rule by
    # the cells filled.
    gaps = [run[k].top - run[k - 1].bottom for k in range(top + 1, len(run)) if run[k].page == run[k - 1].page]
    two = bool(gaps) and max(gaps) - min(gaps) > tolerance
    spaced = min(gaps) + tolerance / 2 if two else None
    padded = bool(gaps) and not two and min(gaps) >= tolerance
    rows: list[tuple[int, int, list[str]]] = []
    for k in range(top, len(run)):
        cells = [""] * width
        if run[k].glyphs:
            # each character under the column it stands in: a cell filled to its edge touches the next
            for ch, x0 in run[k].glyphs:
                cells[_column(x0, lefts, tolerance / 2)] += ch
            cells = [c.strip() for c in cells]
        else:
            for text, x0, _ in _cells(run[k]):
                cells[_column(x0, lefts, tolerance)] += text
        filled = sum(1 for c in cells if c)
        if k == top:
            wrapped = False
        elif run[k].page != run[k - 1].page:
            # the top of the next page: the tail of a row cut by the break fills few cells and
            # never the first, where a row starts (its 序号 or its first label)
            wrapped = 2 * filled < width and not cells[0]
        elif spaced is not None:
            wrapped = run[k].top - run[k - 1].bottom <= spaced  # the spacing decides, however many cells
        else:
            wrapped = not padded and 2 * filled < width
        if wrapped:
            first, _, above = rows[-1]
            rows[-1] = (first, k, [a + c for a, c in zip(above, cells, strict=True)])
        else:
            rows.append((k, k, cells))
    return rows


def read_ruleless(page_lines: Sequence[PageLine], lines: list[Line]) -> list[Line]:
    """lines (one per page line, in the same order) with each run of a ruleless table rebuilt
    into its rows: one tab-joined line per row, numbered by its first line, with its pages."""
    runs = _runs(page_lines)
    if not runs:
        return lines
    out: list[Line] = []
    done = 0
    for first, top_line, last in runs:
        run = page_lines[first: last + 1]
        header = _header_at(run)
        named = run[header]
        lefts = [x0 for _, x0, _ in _cells(named)]
        # the header's lines above the one naming the most columns (a header of two levels, a
        # label wrapped in a narrow column) go under the columns they start in, when all do
        top = top_line - first
        if not all(_at_columns(run[k], lefts, named.bottom - named.top) for k in range(top, header)):
            top = header
        out.extend(lines[done: first])
        for k in range(first, first + top):
            # the label rows above the header (项目名称 | its name | 项目类别 | …): each word a cell,
            # as the reader put them apart at the cells' margins; a name's wrapped line joins its cell
            words = _cells(page_lines[k])
            if k > first and _wraps(page_lines[k], page_lines[k - 1]) and len(_cells(page_lines[k - 1])) >= 2:
                row = out[-1]
                cells = row.text.split("\t")
                at = min(range(len(cells)), key=lambda j: abs(_cells(page_lines[k - 1])[j][1] - words[0][1]))
                cells[at] += words[0][0]
                out[-1] = row.model_copy(update={"text": "\t".join(cells), "end_no": lines[k].no,
                                                 "raw": row.raw + "\n" + lines[k].raw})
                continue
            out.append(lines[k].model_copy(update={"text": "\t".join(w for w, _, _ in words)})
                       if len(words) >= 2 else lines[k])
        for a, b, cells in _rows(run, top, header):
            head, tail = lines[first + a], lines[first + b]
            out.append(head.model_copy(update={
                "text": "\t".join(cells), "end_no": tail.no if b > a else None, "placed": True,
                "raw": "\n".join(ln.raw for ln in lines[first + a: first + b + 1]),
                "end_page": tail.page if tail.page != head.page else head.end_page,
            }))
        done = last + 1
    out.extend(lines[done:])
    return out
