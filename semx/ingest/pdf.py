"""PDF reader: a page's characters and ruling lines become text lines and table rows of cells.

pypdfium2 (PDFium, Apache-2.0/BSD) gives every character with its box and every drawn path, at
a few milliseconds a page; `grid.py` turns the rules into cells. A table row becomes one line
whose cells are joined by tabs, so a line break inside a cell never splits a row and the later
stages read it exactly like the tab-separated text layout. Text outside tables becomes lines,
and a paragraph wrapped at the right margin is joined back into one line so sentences stay whole.

Each line keeps its page and box (PDF points, origin top-left) for the auditor's 第 N 页.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from semx.ingest.errors import IngestError
from semx.ingest.grid import Grid, Segment, find_grids, segments_from_box

# PDFium is not thread-safe; the batch runner may ingest from several threads.
_LOCK = threading.Lock()

# A page with fewer characters than this carries no usable text layer (a scan, or a picture).
_MIN_CHARS_PER_PAGE = 5


@dataclass
class Char:
    ch: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return max(1.0, self.bottom - self.top)


@dataclass
class PageLine:
    """One output line of a page: free text, or one table row with its cells."""

    page: int
    top: float
    x0: float
    x1: float
    bottom: float
    cells: list[str]
    table: int | None = None  # index of the table on the page, for rows

    @property
    def text(self) -> str:
        return "\t".join(self.cells)


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".%-+/")


# Inside a table cell, a gap wider than this share of the character height is a printed space
# (`…环保意识 提升驻区企业`); the side bearings before full-width punctuation stay below 0.35.
_CELL_SPACE_GAP = 0.55


def _join_chars(chars: list[Char], *, in_cell: bool = False) -> str:
    """Characters of one visual line, left to right; a space between separated Latin words, and in
    a table cell wherever a printed space separates any two characters."""
    out: list[str] = []
    prev: Char | None = None
    for c in chars:
        if prev is not None:
            gap = c.x0 - prev.x1
            height = max(prev.height, c.height)
            latin = _is_ascii_word(prev.ch[-1]) and _is_ascii_word(c.ch[0])
            if (latin and gap > 0.25 * height) or (in_cell and gap > _CELL_SPACE_GAP * height):
                out.append(" ")
        out.append(c.ch)
        prev = c
    return "".join(out)


def _visual_lines(chars: list[Char]) -> list[list[Char]]:
    """Group characters into lines by their vertical centre, each line sorted left to right."""
    lines: list[list[Char]] = []
    for c in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if lines:
            last = lines[-1]
            ref = sum(x.cy for x in last) / len(last)
            if abs(c.cy - ref) <= 0.45 * max(c.height, last[0].height):
                last.append(c)
                continue
        lines.append([c])
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def _join_wrapped(parts: list[str]) -> str:
    """Lines of one cell as one string: Chinese wraps join directly, Latin words get a space."""
    text = ""
    for p in parts:
        if text and _is_ascii_word(text[-1]) and p and _is_ascii_word(p[0]) and text[-1].isalpha() and p[0].isalpha():
            text += " "
        text += p
    return text


def _split_on_gaps(chars: list[Char]) -> list[list[Char]]:
    """A free text line split where a wide gap separates two fields (`编制部门：…      单位：元`)."""
    groups: list[list[Char]] = []
    for c in chars:
        if groups:
            prev = groups[-1][-1]
            if c.x0 - prev.x1 > 2.5 * max(prev.height, c.height):
                groups.append([c])
                continue
            groups[-1].append(c)
        else:
            groups.append([c])
    return groups


# ---------------------------------------------------------------- page content


def _page_chars(textpage: object, page_height: float) -> list[Char]:
    import pypdfium2.raw as pdfium_c

    tp = textpage.raw  # type: ignore[attr-defined]
    n = pdfium_c.FPDFText_CountChars(tp)
    rect = pdfium_c.FS_RECTF()
    chars: list[Char] = []
    for i in range(n):
        code = pdfium_c.FPDFText_GetUnicode(tp, i)
        if code in (0, 0xFFFE, 0xFFFF) or code < 32:
            continue
        ch = chr(code)
        if ch.isspace():
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(tp, i, ctypes.byref(rect)):
            continue
        x0, x1 = min(rect.left, rect.right), max(rect.left, rect.right)
        top_y, bottom_y = max(rect.top, rect.bottom), min(rect.top, rect.bottom)
        chars.append(Char(ch, x0, page_height - top_y, x1, page_height - bottom_y))
    return chars


def _white_fill_only(obj: object) -> bool:
    import pypdfium2.raw as pdfium_c

    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
    if stroke.value or not fill.value:
        return False
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetFillColor(obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)):
        return False
    return min(r.value, g.value, b.value) >= 245 or a.value == 0


def _path_segments(obj: object, page_height: float) -> list[Segment]:
    """Axis-aligned pieces of a path with many segments (a grid drawn as one path)."""
    import pypdfium2.raw as pdfium_c

    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return []
    out: list[Segment] = []
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        px = m.a * x.value + m.c * y.value + m.e
        py = page_height - (m.b * x.value + m.d * y.value + m.f)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or prev is None:
            start = prev = (px, py)
            continue
        if kind == pdfium_c.FPDF_SEGMENT_LINETO:
            out.extend(_axis_segment(prev, (px, py)))
        prev = (px, py)
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
            out.extend(_axis_segment(prev, start))
            prev = start
    return out


def _axis_segment(a: tuple[float, float], b: tuple[float, float]) -> list[Segment]:
    (x0, y0), (x1, y1) = a, b
    if abs(y1 - y0) <= 1.0 and abs(x1 - x0) > 1.0:
        y = (y0 + y1) / 2
        return [Segment(min(x0, x1), y, max(x0, x1), y)]
    if abs(x1 - x0) <= 1.0 and abs(y1 - y0) > 1.0:
        x = (x0 + x1) / 2
        return [Segment(x, min(y0, y1), x, max(y0, y1))]
    return []


def _page_segments(page: object, page_height: float) -> list[Segment]:
    import pypdfium2.raw as pdfium_c

    segs: list[Segment] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):  # type: ignore[attr-defined]
        raw = obj.raw
        if _white_fill_only(raw):
            continue
        n = pdfium_c.FPDFPath_CountSegments(raw)
        if n <= 6:
            left, bottom, right, top = obj.get_bounds()
            segs.extend(segments_from_box(left, page_height - top, right, page_height - bottom))
        else:
            segs.extend(_path_segments(raw, page_height))
    return segs


def _locate(grid: Grid, x: float, y: float) -> int | None:
    """Index of the cell of grid holding the point, or None when outside."""
    import bisect

    x0, top, x1, bottom = grid.box
    if not (x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1):
        return None
    c = min(max(bisect.bisect_right(grid.xs, x) - 1, 0), grid.n_cols - 1)
    r = min(max(bisect.bisect_right(grid.ys, y) - 1, 0), grid.n_rows - 1)
    for i, cell in enumerate(grid.cells):
        if cell.row <= r <= cell.row_end and cell.col <= c <= cell.col_end:
            return i
    return None


def _table_lines(page_no: int, t_index: int, grid: Grid, cell_chars: dict[int, list[Char]]) -> list[PageLine]:
    lines: list[PageLine] = []
    for r in range(grid.n_rows):
        cells = [""] * grid.n_cols
        starting = [(i, c) for i, c in enumerate(grid.cells) if c.row == r]
        if not starting:
            continue
        for i, cell in starting:
            parts = [_join_chars(line, in_cell=True) for line in _visual_lines(cell_chars.get(i, []))]
            cells[cell.col] = _join_wrapped(parts)
        if not any(c.strip() for c in cells):
            continue
        lines.append(
            PageLine(page_no, grid.ys[r], grid.xs[0], grid.xs[-1], grid.ys[r + 1], cells, table=t_index)
        )
    return lines


def _free_lines(page_no: int, chars: list[Char]) -> list[PageLine]:
    out: list[PageLine] = []
    for line in _visual_lines(chars):
        groups = _split_on_gaps(line)
        cells = [_join_chars(g) for g in groups]
        out.append(
            PageLine(
                page_no,
                min(c.top for c in line),
                line[0].x0,
                line[-1].x1,
                max(c.bottom for c in line),
                cells,
            )
        )
    return out


def _reflow(lines: list[PageLine]) -> list[PageLine]:
    """Join prose lines that wrap at the right margin, so a sentence (and its amount) stays whole."""
    free = [ln for ln in lines if ln.table is None and len(ln.cells) == 1]
    if not free:
        return lines
    right = max(ln.x1 for ln in free)
    left = min(ln.x0 for ln in free)
    out: list[PageLine] = []
    last: PageLine | None = None  # the last visual line of out[-1], which decides a wrap
    for ln in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and last is not None
            and prev.table is None
            and ln.table is None
            and len(prev.cells) == 1
            and len(ln.cells) == 1
            and last.x1 >= right - 2.0 * (last.bottom - last.top)
            and ln.x0 <= left + 1.5 * (ln.bottom - ln.top)
            and ln.top - last.bottom < 1.2 * (ln.bottom - ln.top)
        ):
            prev.cells = [prev.cells[0] + ln.cells[0]]
            prev.x1 = max(prev.x1, ln.x1)
            prev.bottom = ln.bottom
            last = ln
            continue
        out.append(ln)
        last = PageLine(ln.page, ln.top, ln.x0, ln.x1, ln.bottom, ln.cells, ln.table)
    return out


def page_lines(page: object, page_no: int) -> list[PageLine]:
    """The lines of one page, top to bottom: free text and table rows interleaved by position."""
    _, height = page.get_size()  # type: ignore[attr-defined]
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        chars = _page_chars(textpage, height)
    finally:
        textpage.close()
    grids = find_grids(_page_segments(page, height))
    cell_chars: list[dict[int, list[Char]]] = [{} for _ in grids]
    loose: list[Char] = []
    for c in chars:
        for gi, grid in enumerate(grids):
            idx = _locate(grid, c.cx, c.cy)
            if idx is not None:
                cell_chars[gi].setdefault(idx, []).append(c)
                break
        else:
            loose.append(c)
    lines = _free_lines(page_no, loose)
    for gi, grid in enumerate(grids):
        lines.extend(_table_lines(page_no, gi, grid, cell_chars[gi]))
    # Stable sort keeps a table's rows in order; a table sorts by its row tops among the text.
    lines.sort(key=lambda ln: ln.top)
    return _reflow(lines)


def read_pdf(data: bytes, path: str) -> Iterator[PageLine]:
    """Every line of the PDF in reading order. IngestError for an encrypted, broken or scanned file."""
    import pypdfium2 as pdfium

    with _LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            message = str(exc)
            if "password" in message.lower():
                raise IngestError(path, "encrypted PDF (a password is needed to open it)") from None
            raise IngestError(path, f"broken PDF ({message})") from None
        try:
            n = len(pdf)
            if n == 0:
                raise IngestError(path, "PDF without pages")
            lines: list[PageLine] = []
            for i in range(n):
                page = pdf[i]
                try:
                    lines.extend(page_lines(page, i + 1))
                finally:
                    page.close()
        finally:
            pdf.close()
    if sum(len(ln.text) for ln in lines) < _MIN_CHARS_PER_PAGE * n:
        raise IngestError(path, f"scanned PDF without a text layer ({n} pages, no text to read; OCR it first)")
    yield from lines
