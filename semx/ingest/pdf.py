"""PDF reader: a page's characters and ruling lines become text lines and table rows of cells.

pypdfium2 (PDFium, Apache-2.0/BSD) gives every character with its box and every drawn path, at
a few milliseconds a page; `grid.py` turns the rules into cells. A table row becomes one line
whose cells are joined by tabs, so a line break inside a cell never splits a row and the later
stages read it exactly like the tab-separated text layout. Text outside tables becomes lines,
and a paragraph wrapped at the right margin is joined back into one line so sentences stay whole.

Each line keeps its page and box (PDF points, origin top-left) for the auditor's 第 N 页.
A table that goes on over the next page stays one table (pagebreak.py): the repeated header
rows are dropped and a row cut by the break is joined to its tail.
"""

from __future__ import annotations

import bisect
import ctypes
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from semx.ingest.errors import IngestError
from semx.ingest.grid import Cell, Grid, Segment, find_grids, segments_from_box
from semx.ingest.pagebreak import continue_tables
from semx.ingest.rivers import open_table_rules
from semx.models import Warning_

# PDFium is not thread-safe; the batch runner may ingest from several threads.
_LOCK = threading.Lock()

# A page with fewer characters than this carries no usable text layer (a scan, or a picture).
_MIN_CHARS_PER_PAGE = 5
# A page covered by a picture with no more text than this is a scan whose only text is a
# stamped running header or page number; its content is in the picture.
_MAX_CHARS_ON_SCAN = 60
_SCAN_COVER = 0.6  # share of the page's area a picture must cover to be a scan


@dataclass(slots=True)
class Char:
    """One character and its box; centre and height are computed once (they are read often)."""

    ch: str
    x0: float
    top: float
    x1: float
    bottom: float
    cx: float = 0.0
    cy: float = 0.0
    height: float = 0.0

    def __post_init__(self) -> None:
        self.cx = (self.x0 + self.x1) / 2
        self.cy = (self.top + self.bottom) / 2
        self.height = max(1.0, self.bottom - self.top)


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
    cols: tuple[float, ...] = ()  # the table's column boundaries, for rows (continuation across pages)
    end_page: int | None = None  # set when a row split by a page break was joined with its tail
    # table rows: the left and right edge of each cell's text (None for an empty cell), so a
    # continued part read with fewer columns can be put back into its header page's columns
    extents: tuple[tuple[float, float] | None, ...] = ()
    # free text: its words apart at narrower gaps (a table printed without rules spaces its
    # columns by the cells' margins only), each with its left and right edge
    spans: tuple[tuple[str, float, float], ...] = ()
    glyphs: tuple[tuple[str, float], ...] = ()  # free text: each character and its left edge

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
    total = 0.0  # running sum of the current line's centres: its mean is the line's height
    for c in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if lines:
            last = lines[-1]
            if abs(c.cy - total / len(last)) <= 0.45 * max(c.height, last[0].height):
                last.append(c)
                total += c.cy
                continue
        lines.append([c])
        total = c.cy
    return [sorted(line, key=lambda c: c.x0) for line in lines]


def _join_wrapped(parts: list[str]) -> str:
    """Lines of one cell as one string: Chinese wraps join directly, Latin words get a space."""
    text = ""
    for p in parts:
        if text and _is_ascii_word(text[-1]) and p and _is_ascii_word(p[0]) and text[-1].isalpha() and p[0].isalpha():
            text += " "
        text += p
    return text


def _split_on_gaps(chars: list[Char], wide: float = 2.5) -> list[list[Char]]:
    """A free text line split where a wide gap separates two fields (`编制部门：…      单位：元`);
    wide: the gap, in character heights."""
    groups: list[list[Char]] = []
    for c in chars:
        if groups:
            prev = groups[-1][-1]
            if c.x0 - prev.x1 > wide * max(prev.height, c.height):
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
    if n <= 0:
        return []
    # The page's text in one call instead of one FFI call per character; the per-character
    # call stays as the fallback when a character does not fit one UTF-16 unit (then the
    # text's units and PDFium's character indices no longer line up).
    buf = (ctypes.c_ushort * (n + 1))()
    got = pdfium_c.FPDFText_GetText(tp, 0, n, buf)
    text = bytes(buf)[: 2 * max(0, got - 1)].decode("utf-16-le", errors="replace")
    if len(text) != n or any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(tp, i)) for i in range(n))
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    box = pdfium_c.FPDFText_GetLooseCharBox
    chars: list[Char] = []
    for i, ch in enumerate(text):
        code = ord(ch)
        if code < 32 or code in (0xFFFE, 0xFFFF) or ch.isspace():
            continue
        if not box(tp, i, rect_ref):
            continue
        # Comparisons, not min()/max(): this loop runs once per character of the document.
        lx, rx, ty, by = rect.left, rect.right, rect.top, rect.bottom
        x0, x1 = (lx, rx) if lx <= rx else (rx, lx)
        top_y, bottom_y = (ty, by) if ty >= by else (by, ty)
        chars.append(Char(ch, x0, page_height - top_y, x1, page_height - bottom_y))
    return chars


def _text_turns(textpage: object, sample: int = 48) -> int:
    """Quarter turns (0-3, clockwise as PDFium measures them) of most of the page's text: a landscape table drawn
    turned on a portrait page (shown upright through /Rotate, or not) reads sideways otherwise."""
    import math

    import pypdfium2.raw as pdfium_c

    tp = textpage.raw  # type: ignore[attr-defined]
    n = pdfium_c.FPDFText_CountChars(tp)
    votes = [0, 0, 0, 0]
    step = max(1, n // sample)
    for i in range(0, n, step):
        if chr(pdfium_c.FPDFText_GetUnicode(tp, i)).isspace():
            continue
        angle = pdfium_c.FPDFText_GetCharAngle(tp, i)
        if angle < 0:  # PDFium's error value
            continue
        votes[round(angle / (math.pi / 2)) % 4] += 1
    best = max(range(4), key=lambda k: votes[k])
    return best if votes[best] > 0.6 * sum(votes) else 0


def _turn(chars: list[Char], segments: list[Segment], turns: int, width: float, height: float
          ) -> tuple[list[Char], list[Segment]]:
    """Chars and rules turned so that the text runs left to right (coordinates: y grows down)."""
    def point(x: float, y: float) -> tuple[float, float]:
        # PDFium measures a character's angle clockwise: a quarter turn (1) runs down the page.
        if turns == 1:  # text runs down the page
            return y, width - x
        if turns == 3:  # text runs up the page
            return height - y, x
        return width - x, height - y  # upside down

    out_chars: list[Char] = []
    for c in chars:
        (ax, ay), (bx, by) = point(c.x0, c.top), point(c.x1, c.bottom)
        out_chars.append(Char(c.ch, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
    out_segs: list[Segment] = []
    for sg in segments:
        (ax, ay), (bx, by) = point(sg.x0, sg.y0), point(sg.x1, sg.y1)
        out_segs.append(Segment(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
    return out_chars, out_segs


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


# An affine map (a, b, c, d, e, f) as PDF writes it: x' = a x + c y + e, y' = b x + d y + f.
Affine = tuple[float, float, float, float, float, float]
_IDENTITY: Affine = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _compose(inner: Affine, outer: Affine) -> Affine:
    """inner applied first, then outer (an object's matrix inside a form XObject placed by outer)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _matrix(obj: object) -> Affine | None:
    import pypdfium2.raw as pdfium_c

    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return None
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _path_segments(obj: object, page_height: float, outer: Affine) -> list[Segment]:
    """Axis-aligned pieces of a path with many segments (a grid drawn as one path); outer is the
    matrix of the form XObjects the path sits in (identity on the page itself)."""
    import pypdfium2.raw as pdfium_c

    own = _matrix(obj)
    if own is None:
        return []
    a, b, c, d, e, f = _compose(own, outer)
    out: list[Segment] = []
    start: tuple[float, float] | None = None
    prev: tuple[float, float] | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        px = a * x.value + c * y.value + e
        py = page_height - (b * x.value + d * y.value + f)
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


def _objects(page_raw: object) -> Iterator[tuple[object, Affine]]:
    """Every page object with the matrix of the form XObjects around it (identity for an object
    on the page itself: PDFium gives an object's own matrix and bounds in its form's space, and a
    page imported, scaled or turned by a producer is often one form XObject). Raw PDFium calls:
    the helper objects of pypdfium2 cost more than the calls themselves on pages with thousands
    of paths."""
    import pypdfium2.raw as pdfium_c

    def walk(count: int, get: Callable[[int], object], outer: Affine, depth: int) -> Iterator[tuple[object, Affine]]:
        for k in range(count):
            obj = get(k)
            if not obj:
                continue
            yield obj, outer
            if depth < 15 and pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
                inner = _compose(_matrix(obj) or _IDENTITY, outer)
                yield from walk(pdfium_c.FPDFFormObj_CountObjects(obj),
                                lambda j, o=obj: pdfium_c.FPDFFormObj_GetObject(o, j),  # type: ignore[misc]
                                inner, depth + 1)

    yield from walk(pdfium_c.FPDFPage_CountObjects(page_raw), lambda j: pdfium_c.FPDFPage_GetObject(page_raw, j),
                    _IDENTITY, 0)


def _box_through(outer: Affine, left: float, bottom: float, right: float, top: float
                 ) -> tuple[float, float, float, float]:
    """A bounding box (PDF space) carried through a matrix: the box of its four corners."""
    if outer == _IDENTITY:
        return left, bottom, right, top
    a, b, c, d, e, f = outer
    xs, ys = [], []
    for x, y in ((left, bottom), (left, top), (right, bottom), (right, top)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return min(xs), min(ys), max(xs), max(ys)


def _scanned(page: object) -> bool:
    """Whether a picture covers most of the page (a scanned page)."""
    import pypdfium2.raw as pdfium_c

    left0, bottom0, right0, top0 = page.get_mediabox()  # type: ignore[attr-defined]
    width, height = right0 - left0, top0 - bottom0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for raw, outer in _objects(page.raw):  # type: ignore[attr-defined]
        if pdfium_c.FPDFPageObj_GetType(raw) != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        if pdfium_c.FPDFPageObj_GetBounds(raw, ctypes.byref(left), ctypes.byref(bottom),
                                          ctypes.byref(right), ctypes.byref(top)):
            x0, y0, x1, y1 = _box_through(outer, left.value, bottom.value, right.value, top.value)
            w = min(x1, right0) - max(x0, left0)
            h = min(y1, top0) - max(y0, bottom0)
            if w > 0 and h > 0 and w * h >= _SCAN_COVER * width * height:
                return True
    return False


def _page_segments(page: object, page_height: float) -> list[Segment]:
    import pypdfium2.raw as pdfium_c

    segs: list[Segment] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for raw, outer in _objects(page.raw):  # type: ignore[attr-defined]
        if pdfium_c.FPDFPageObj_GetType(raw) != pdfium_c.FPDF_PAGEOBJ_PATH or _white_fill_only(raw):
            continue
        n = pdfium_c.FPDFPath_CountSegments(raw)
        if n <= 6:
            if not pdfium_c.FPDFPageObj_GetBounds(raw, ctypes.byref(left), ctypes.byref(bottom),
                                                  ctypes.byref(right), ctypes.byref(top)):
                continue
            x0, y0, x1, y1 = _box_through(outer, left.value, bottom.value, right.value, top.value)
            segs.extend(segments_from_box(x0, page_height - y1, x1, page_height - y0))
        else:
            segs.extend(_path_segments(raw, page_height, outer))
    return segs


class _Locator:
    """Which cell of a grid holds a point: two bisections and a table lookup, not a scan of cells."""

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.box = grid.box
        # owner[r][c]: index of the (possibly merged) cell covering base cell (r, c), or -1
        self.owner = [[-1] * grid.n_cols for _ in range(grid.n_rows)]
        for i, cell in enumerate(grid.cells):
            for r in range(cell.row, cell.row_end + 1):
                for c in range(cell.col, cell.col_end + 1):
                    if self.owner[r][c] < 0:
                        self.owner[r][c] = i

    def __call__(self, x: float, y: float) -> int | None:
        x0, top, x1, bottom = self.box
        if not (x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1):
            return None
        g = self.grid
        c = min(max(bisect.bisect_right(g.xs, x) - 1, 0), g.n_cols - 1)
        r = min(max(bisect.bisect_right(g.ys, y) - 1, 0), g.n_rows - 1)
        i = self.owner[r][c]
        return i if i >= 0 else None


def _table_lines(page_no: int, t_index: int, grid: Grid, cell_chars: dict[int, list[Char]]) -> list[PageLine]:
    lines: list[PageLine] = []
    by_row: dict[int, list[tuple[int, Cell]]] = {}
    for i, c in enumerate(grid.cells):
        by_row.setdefault(c.row, []).append((i, c))
    for r in range(grid.n_rows):
        cells = [""] * grid.n_cols
        extents: list[tuple[float, float] | None] = [None] * grid.n_cols
        starting = by_row.get(r)
        if not starting:
            continue
        for i, cell in starting:
            chars = cell_chars.get(i, [])
            parts = [_join_chars(line, in_cell=True) for line in _visual_lines(chars)]
            cells[cell.col] = _join_wrapped(parts)
            inked = [ch for ch in chars if ch.ch.strip()]
            if inked:
                extents[cell.col] = (min(ch.x0 for ch in inked), max(ch.x1 for ch in inked))
        if not any(c.strip() for c in cells):
            continue
        lines.append(
            PageLine(page_no, grid.ys[r], grid.xs[0], grid.xs[-1], grid.ys[r + 1], cells, table=t_index,
                     cols=tuple(grid.xs), extents=tuple(extents))
        )
    return lines


# The gap between the columns of a table printed without rules: its cells' margins, wider than a
# space between words (a third of a character) and narrower than the gap between free fields.
_NARROW_GAP = 0.5


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
                spans=tuple((_join_chars(g), g[0].x0, g[-1].x1) for g in _split_on_gaps(line, _NARROW_GAP)),
                glyphs=tuple((c.ch, c.x0) for c in line),
            )
        )
    return out


# A line that starts a numbered item or heading (一、 （二） 3. 第四) begins something new, and a
# table-of-contents entry (…… leaders, perhaps a page number) is never wrapped prose: both end
# the line above even when it reaches the right margin.
_STARTS_ITEM = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d)|第[一二三四五六七八九十]+)")
_NOT_WRAPPED_END = re.compile(r"(?:…{2,}|\.{4,}|·{4,})\s*\d*\s*$")


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
            and not _NOT_WRAPPED_END.search(last.cells[0])
            and not _STARTS_ITEM.match(ln.cells[0])
        ):
            prev.cells = [prev.cells[0] + ln.cells[0]]
            prev.x1 = max(prev.x1, ln.x1)
            prev.spans = ((prev.cells[0], prev.x0, prev.x1),)
            prev.glyphs = prev.glyphs + ln.glyphs
            prev.bottom = ln.bottom
            last = ln
            continue
        out.append(ln)
        last = PageLine(ln.page, ln.top, ln.x0, ln.x1, ln.bottom, ln.cells, ln.table)
    return out


def _place(chars: list[Char], grids: list[Grid]) -> tuple[list[Grid], list[dict[int, list[Char]]], list[Char]]:
    """The grids, the characters of each of their cells, and the characters outside them all."""
    cell_chars: list[dict[int, list[Char]]] = [{} for _ in grids]
    locators = [_Locator(g) for g in grids]
    loose: list[Char] = []
    for c in chars:
        for gi, locate in enumerate(locators):
            idx = locate(c.cx, c.cy)
            if idx is not None:
                cell_chars[gi].setdefault(idx, []).append(c)
                break
        else:
            loose.append(c)
    return grids, cell_chars, loose


def page_lines(page: object, page_no: int) -> list[PageLine]:
    """The lines of one page, top to bottom: free text and table rows interleaved by position."""
    # Coordinates are flipped against the top of the unrotated media box: the page size PDFium
    # reports is the displayed one, swapped on a page with /Rotate 90, while characters and paths
    # are in the unrotated page space.
    left, _, right, height = page.get_mediabox()  # type: ignore[attr-defined]
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    try:
        chars = _page_chars(textpage, height)
        turns = _text_turns(textpage)
    finally:
        textpage.close()
    segments = _page_segments(page, height)
    if turns:
        chars, segments = _turn(chars, segments, turns, right - left, height)
    grids, cell_chars, loose = _place(chars, find_grids(segments + open_table_rules(segments, chars)))
    lines = _free_lines(page_no, loose)
    for gi, grid in enumerate(grids):
        lines.extend(_table_lines(page_no, gi, grid, cell_chars[gi]))
    # Stable sort keeps a table's rows in order; a table sorts by its row tops among the text.
    lines.sort(key=lambda ln: ln.top)
    return _reflow(lines)


@dataclass
class PdfText:
    """What the PDF reader hands to ingest: lines in reading order, the page count, and notes."""

    lines: list[PageLine]
    pages: int
    warnings: list[Warning_]


# Above this share of characters without Unicode meaning (U+FFFD, private use area) the text
# layer is garbage: fonts embedded without a map to Unicode.
_MAX_UNDECODABLE = 0.3


def _undecodable_share(lines: list[PageLine]) -> float:
    total = bad = 0
    for ln in lines:
        for cell in ln.cells:
            for ch in cell:
                if ch.isspace():
                    continue
                total += 1
                if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff":
                    bad += 1
    return bad / total if total else 0.0


def _pages_label(pages: list[int]) -> str:
    shown = "、".join(str(p) for p in pages[:10])
    return shown + (f" 等 {len(pages)} 页" if len(pages) > 10 else "")


_ENCRYPT = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_PAGE_COUNT = re.compile(rb"/Type\s*/Pages\b.{0,200}?/Count\s+(\d+)|/Count\s+(\d+).{0,200}?/Type\s*/Pages\b", re.DOTALL)


def _unloadable(data: bytes, message: str, truncated: bool) -> str:
    """Why PDFium refused a file, in one line. PDFium's own error code is stale after some
    failures (a page-less file reports the previous file's "Incorrect password"), so the file's
    own dictionaries decide, and PDFium's words are only added where they say something."""
    if _ENCRYPT.search(data):
        return "encrypted PDF (a password is needed to open it)"
    counts = [int(a or b) for a, b in _PAGE_COUNT.findall(data)]
    if counts and max(counts) == 0:
        return "PDF without pages (the page tree is empty)"
    detail = message.replace("Failed to load document ", "").strip(" .()") if message else ""
    if "password" in detail.lower() or detail.endswith("Success"):
        detail = ""
    if truncated and b" obj" in data:
        return "truncated PDF (the file is cut short and cannot be repaired" + (f"; {detail})" if detail else ")")
    return "broken PDF (not a readable PDF file" + (f"; {detail})" if detail else ")")


def read_pdf(data: bytes, path: str) -> PdfText:
    """Every line of the PDF in reading order. IngestError with a one-line reason for an encrypted,
    broken, truncated beyond repair, page-less or scanned file."""
    import pypdfium2 as pdfium

    # PDFium repairs a file cut short by rebuilding its cross-reference table; the missing end
    # marker is how we can still tell the user that pages may be missing.
    truncated = b"%%EOF" not in data[-2048:]
    with _LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise IngestError(path, _unloadable(data, str(exc), truncated)) from None
        try:
            n = len(pdf)
            if n == 0:
                what = "truncated PDF (no page survives)" if truncated else "PDF without pages (the page tree is empty)"
                raise IngestError(path, what)
            lines: list[PageLine] = []
            blank: list[int] = []
            for i in range(n):
                try:
                    page = pdf[i]
                except pdfium.PdfiumError as exc:
                    raise IngestError(path, f"broken PDF (page {i + 1} cannot be loaded: {exc})") from None
                try:
                    got = page_lines(page, i + 1)
                    chars = sum(len(ln.text) for ln in got)
                    if chars < _MIN_CHARS_PER_PAGE or (chars < _MAX_CHARS_ON_SCAN and _scanned(page)):
                        blank.append(i + 1)
                except pdfium.PdfiumError as exc:
                    raise IngestError(path, f"broken PDF (page {i + 1} cannot be read: {exc})") from None
                finally:
                    page.close()
                lines.extend(got)
        finally:
            pdf.close()
    if len(blank) == n:
        raise IngestError(path, f"scanned PDF without a text layer ({n} pages, no text to read; OCR it first)")
    unreadable = _undecodable_share(lines)
    if unreadable > _MAX_UNDECODABLE:
        raise IngestError(path, f"PDF text layer cannot be decoded ({unreadable:.0%} of its characters have no Unicode "
                                "meaning: fonts without a Unicode map; OCR it or export it again)")
    warnings: list[Warning_] = []
    if blank:
        warnings.append(Warning_(
            code="pdf_pages_without_text",
            message=f"PDF 第 {_pages_label(blank)} 页没有文字层（扫描页或图片），其内容未读取",
        ))
    if truncated:
        warnings.append(Warning_(
            code="pdf_truncated",
            message=f"PDF 文件不完整（缺少文件尾 %%EOF），只读取了能修复的 {n} 页，后面的内容可能缺失",
        ))
    dropped: list[int] = []
    mended = continue_tables(lines, _join_wrapped, dropped)
    if dropped:
        warnings.append(Warning_(
            code="figures_not_placed",
            message=f"PDF 第 {_pages_label(dropped)} 页的续表列数少于表头页，其文字与表头各列对不上，这些行未读入",
        ))
    return PdfText(lines=mended, pages=n, warnings=warnings)
