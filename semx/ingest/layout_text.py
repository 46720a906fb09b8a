"""Reader for space-aligned text (`pdftotext -layout`, pdfplumber `extract_text(layout=True)`).

The page's geometry survives as character positions: a table's columns are the bands that its
data rows' words occupy. Within a table block this reader assigns every word to its band, so a row
keeps its empty cells (an amount stays under its own column header), a header cell printed over
several lines (`事业单位` / `经营收入`) is joined back into the header row, and a wrapped name cell
(its tail on the next line, or with pdfplumber its head on the line above the row's codes and
numbers) goes back into its row: a line break inside a cell never splits a row. Lines outside
tables are read like flattened text (`flat_text`).

Positions are character columns, which is how both tools lay out the page (a CJK character takes
one column), so right-aligned numbers end at the same column in every row.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from semx.ingest.flat_text import AMOUNT, assemble, is_fragment, page_numbered, split_glued, tokens
from semx.ingest.pdf import _join_wrapped  # one rule for joining a wrapped cell, whatever the source
from semx.models import Line

_WORD = re.compile(r"\S+")
_ENUM = re.compile(r"^(?:\d{1,2}[.、．]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+[、.．])$")
# Furniture and titles end a table block: `编制部门：…  单位：元`, `2023年部门收入预算总表`.
_CJK_PUNCT = "、，。；：！？）》”"
_FURNITURE = re.compile(r"：|:|表$|表（续）$")


@dataclass
class Word:
    text: str
    start: int
    end: int


@dataclass
class Src:
    no: int
    page: int | None
    raw: str
    words: list[Word]


@dataclass
class Out:
    first: int
    last: int
    page: int | None
    raw: list[str]
    cells: list[list[str]]  # the pieces of each band, top to bottom

    def filled(self) -> set[int]:
        return {i for i, c in enumerate(self.cells) if c}

    def has_amounts(self) -> bool:
        return any(AMOUNT.match(p) for c in self.cells for p in c)


def _glued_words(text: str) -> list[tuple[str, int]]:
    """Words and their start columns, an amount glued to the next cell's label cut off."""
    out = []
    for m in _WORD.finditer(text):
        pos = m.start()
        for part in split_glued(m.group(0)):
            out.append((part, pos))
            pos += len(part)
    return out


def words(text: str) -> list[Word]:
    out: list[Word] = []
    for word, start in _glued_words(text):
        end = start + len(word)
        # pdftotext sets a space before full-width punctuation (`受理 、社区管`): one word still
        if out and (_ENUM.match(out[-1].text) or (word[0] in _CJK_PUNCT and start - out[-1].end == 1)):
            out[-1] = Word(out[-1].text + word, out[-1].start, end)
        else:
            out.append(Word(word, start, end))
    return out


@dataclass
class Column:
    """A table column: numbers share their right edge, text its left edge."""

    numeric: bool
    edge: int
    start: int
    end: int
    rows: set[int] = field(default_factory=set)  # data rows with a word in this column
    heads: set[tuple[int, int]] = field(default_factory=set)  # header words (start, end) set to name it by order
    texts: set[tuple[int, int, int]] = field(default_factory=set)  # (row, start, end) of its words
    # (line no, start) of header words printed on a data row over this column of codes (`类 款 项  合计 …`)
    headed: set[tuple[int, int]] = field(default_factory=set)

    def take(self, w: Word, row: int) -> None:
        self.start, self.end = min(self.start, w.start), max(self.end, w.end)
        self.rows.add(row)
        self.texts.add((row, w.start, w.end))


_EDGE_SLACK = 1  # the tools place a word one character off now and then


def _columns(data: list[Src], header: list[Src]) -> list[Column]:
    """The columns of a table block, left to right, from its data rows; a header word over no data
    column (a column empty on this page) makes a column of its own."""
    cols: list[Column] = []
    for k, r in enumerate(data):
        for w in r.words:
            numeric = bool(AMOUNT.match(w.text))
            edge = w.end if numeric else w.start
            col = next((c for c in cols if c.numeric == numeric and abs(c.edge - edge) <= _EDGE_SLACK), None)
            if col is None:
                cols.append(Column(numeric, edge, w.start, w.end, {k}, texts={(k, w.start, w.end)}))
            else:
                col.take(w, k)
    cols = _merge_overlapping(cols)
    cols = _join_label_bands(sorted(_headers_over_codes(cols, data), key=lambda c: c.start))
    data_cols = list(cols)
    around = _around_main(header, _main_header(header), data_cols)
    for r in header:
        claims: dict[int, list[Word]] = {}
        for w in r.words:
            i = _territory_of(w, data_cols)
            if i is None or (r.no, w.start) in around:
                _header_column(cols, w)
            else:
                claims.setdefault(i, []).append(w)
        claims = _in_order(claims, data_cols)
        for i, ws in claims.items():
            # two headers over one data column: the nearer names it, the other an empty column
            ws.sort(key=lambda w: _distance(data_cols[i], w))
            for w in ws[1:]:
                _header_column(cols, w)
    cols.sort(key=lambda c: (c.start + c.end) / 2)
    return cols


def _around_main(header: list[Src], main: Src | None, cols: list[Column]) -> set[tuple[int, int]]:
    """(line no, start) of the pieces of a header cell wrapped around the fullest header line: in a
    gap of that line, one piece on the line above and one overlapping it on the line below
    (`附属单位上` / `缴收入`), over no column of figures. Such a cell is a column of its own (empty on this page), not a second
    name of the column beside it; a group header (`收入` over 项目 and 决算数) has no piece below."""
    if main is None:
        return set()
    above = next((r for r in header if r.no == main.no - 1), None)
    below = next((r for r in header if r.no == main.no + 1), None)
    if above is None or below is None:
        return set()
    # Only when the fullest line already has a name for every column of figures: else the wrapped
    # cell names one of them, set a little off by the tool (pdfplumber: `事业单位` / `经营收入`).
    figures = sum(c.numeric for c in cols)
    names = 0
    for m in main.words:
        i = _territory_of(m, cols)
        names += i is not None and cols[i].numeric
    if names < figures:
        return set()

    def in_gap(w: Word) -> bool:
        return all(min(m.end, w.end) <= max(m.start, w.start) for m in main.words) and all(
            _distance(c, w) > 0 for c in cols
        )

    out: set[tuple[int, int]] = set()
    for a in above.words:
        for b in below.words:
            if in_gap(a) and in_gap(b) and min(a.end, b.end) > max(a.start, b.start):
                out |= {(above.no, a.start), (below.no, b.start)}
    return out


def _in_order(claims: dict[int, list[Word]], cols: list[Column]) -> dict[int, list[Word]]:
    """Header words over a run of adjacent number columns, as many as the run has columns, name
    them in order, one each, even where the tool printed the header line narrower than the figures
    below it (pdfplumber's layout: `一般公共预算` over the gap between 合计's figures and its own)."""
    out = dict(claims)
    i = 0
    while i < len(cols):
        if not cols[i].numeric:
            i += 1
            continue
        j = i
        while j + 1 < len(cols) and cols[j + 1].numeric:
            j += 1
        run = range(i, j + 1)
        ws = sorted((w for k in run for w in claims.get(k, [])), key=lambda w: w.start)
        if len(ws) == len(run) and any(len(claims.get(k, [])) != 1 for k in run):
            for k in run:
                out.pop(k, None)
            out.update({k: [w] for k, w in zip(run, ws)})
            for k, w in zip(run, ws):
                cols[k].heads.add((w.start, w.end))
        i = j + 1
    return out


def _header_column(cols: list[Column], w: Word) -> None:
    """A column named by a header word only (empty on this page); the pieces of one header cell
    printed on several lines make one column."""
    for c in cols:
        if not c.rows and min(c.end, w.end) > max(c.start, w.start):
            c.start, c.end = min(c.start, w.start), max(c.end, w.end)
            return
    cols.append(Column(False, w.start, w.start, w.end))


def _distance(c: Column, w: Word) -> int:
    """Characters between a word and a column's words (0 when they overlap)."""
    return max(0, c.start - w.end, w.start - c.end)


_SPAN_OVERLAP = 2


def _territory_of(w: Word, cols: list[Column]) -> int | None:
    """The column a header word stands over. Left-aligned text owns the room to its right up to
    the next column; right-aligned numbers own the room to their left; a header centred over a
    column lies in its room. None when the word is beyond every column's room."""
    best: tuple[int, int] | None = None
    choice = None
    wide = []
    for i, c in enumerate(cols):
        prev = cols[i - 1] if i > 0 else None
        nxt = cols[i + 1] if i + 1 < len(cols) else None
        if c.numeric:
            lo = 0 if prev is None else prev.end if prev.numeric else (prev.end + c.start) // 2
            hi = c.end
        else:
            # the room between a text column and the numbers to its right is shared between them
            lo = c.start
            hi = c.end if nxt is None else nxt.start if not nxt.numeric else max(c.end, (c.end + nxt.start) // 2)
        overlap = min(hi, w.end) - max(lo, w.start)
        if overlap <= 0:
            continue
        # a header spanning columns is wider than each of them (功能分类科目编码 over 类/款/项); a
        # narrower word beside a wide number column only reaches into its room
        if overlap >= _SPAN_OVERLAP and w.end - w.start > c.end - c.start:
            wide.append(i)
        score = (overlap, -_distance(c, w))
        if best is None or score > best:
            best, choice = score, i
    # a header spanning several columns (功能分类科目编码 over 类/款/项) belongs to the first, as in the PDF
    return wide[0] if len(wide) >= 2 else choice


def _merge_overlapping(cols: list[Column]) -> list[Column]:
    """Columns of one kind whose words overlap and that never share a row are one column whose
    words the tool placed a character or more apart (pdfplumber's layout mode does)."""
    out: list[Column] = []
    for c in sorted(cols, key=lambda c: c.start):
        prev = next((o for o in out if o.numeric == c.numeric and _same_band(o, c) and not (o.rows & c.rows)), None)
        if prev is not None:
            prev.start, prev.end = min(prev.start, c.start), max(prev.end, c.end)
            prev.edge = max(prev.edge, c.edge) if c.numeric else min(prev.edge, c.edge)
            prev.rows |= c.rows
            prev.texts |= c.texts
        else:
            out.append(c)
    return out


_CODE = re.compile(r"^\d{1,7}$")


def _headers_over_codes(cols: list[Column], data: list[Src]) -> list[Column]:
    """Header words printed on the first data row over the columns of codes below them (`类 款 项`
    on the 合计 row, as the page prints them) belong to those code columns, not to columns of their
    own: a code is a left-aligned number, and the word over it starts where it starts."""
    codes = [c for c in cols if c.numeric and c.rows and all(
        _CODE.match(w.text) for k, s, _ in c.texts for w in data[k].words if w.start == s)]
    out: list[Column] = []
    for c in cols:
        over = None
        if not c.numeric and c.rows:
            over = next((n for n in codes if abs(n.start - c.start) <= _EDGE_SLACK and max(c.rows) < min(n.rows)), None)
        if over is None:
            out.append(c)
            continue
        over.headed |= {(data[k].no, s) for k, s, _ in c.texts}
    return out


def _same_band(a: Column, b: Column) -> bool:
    """Words of two columns overlapping by most of the narrower one's width are one band; numbers of
    neighbouring columns touch by a character or two where the tool set them close (pdfplumber's
    layout puts a 人员经费 figure's last digits over the first of the 公用经费 figure beside it)."""
    overlap = min(a.end, b.end) - max(a.start, b.start)
    if not a.numeric:
        return overlap > 0
    return overlap * 2 > min(a.end - a.start, b.end - b.start)


def _join_label_bands(cols: list[Column]) -> list[Column]:
    """Side-by-side text bands that never share a row are one label column: a label the tool set a
    little right of the names (`合计` under the names on a page laid out anew) is not a column."""
    out: list[Column] = []
    for c in cols:
        last = out[-1] if out else None
        if last is not None and not last.numeric and not c.numeric and not (last.rows & c.rows):
            out[-1] = Column(False, min(last.edge, c.edge), min(last.start, c.start), max(last.end, c.end),
                             last.rows | c.rows)
        else:
            out.append(c)
    return out


def _column_of(w: Word, cols: list[Column], header: bool, no: int = -1) -> int:
    headed = [i for i, c in enumerate(cols) if (no, w.start) in c.headed]
    if headed:
        return headed[0]
    if not header:
        numeric = bool(AMOUNT.match(w.text))
        edge = w.end if numeric else w.start
        inside = [i for i, c in enumerate(cols) if c.numeric == numeric and c.start <= w.start and w.end <= c.end]
        same = inside or [i for i, c in enumerate(cols) if c.numeric == numeric]
        if same:
            return min(same, key=lambda i: abs(cols[i].edge - edge))
    own = [i for i, c in enumerate(cols) if (c.start == w.start and c.end == w.end and not c.rows)
           or (w.start, w.end) in c.heads]
    if own:
        return own[0]
    i = _territory_of(w, cols)
    if i is not None:
        return i
    # a group header centred over several columns belongs to the first of them, as in the PDF
    centre = (w.start + w.end) / 2
    left = [i for i, c in enumerate(cols) if c.start <= centre]
    return left[-1] if left else 0


def _place(src: Src, cols: list[Column], header: bool = False) -> Out:
    cells: list[list[str]] = [[] for _ in cols]
    at = [_column_of(w, cols, header, src.no) for w in src.words]
    if header:
        at = _spread_header(src.words, at, cols)
    for w, i in zip(src.words, at, strict=True):
        cells[i].append(w.text)
    # words of one column on one line are one cell (a name split by a single space)
    return Out(src.no, src.no, src.page, [src.raw], [[_join_wrapped(c)] if c else [] for c in cells])


def _spread_header(ws: list[Word], at: list[int], cols: list[Column]) -> list[int]:
    """Header words of one line set apart (two spaces or more) that fell into one column of figures
    while a figure column beside it has no word of the line name those columns in order, each the
    one whose figures' centre is nearest (pdfplumber's layout prints `人员经费  公用经费` narrower
    than the figures under them, both over the wider 人员经费 figures)."""
    out = list(at)
    for i in sorted(set(at)):
        mine = [k for k, a in enumerate(at) if a == i]
        if len(mine) < 2 or not cols[i].numeric:
            continue
        if any(ws[b].start - ws[a].end < 2 for a, b in itertools.pairwise(mine)):
            continue
        lo = hi = i
        while lo - 1 >= 0 and cols[lo - 1].numeric and (lo - 1) not in at:
            lo -= 1
        while hi + 1 < len(cols) and cols[hi + 1].numeric and (hi + 1) not in at:
            hi += 1
        run = list(range(lo, hi + 1))
        if len(run) < len(mine):
            continue
        best: tuple[float, tuple[int, ...]] | None = None
        for pick in itertools.combinations(run, len(mine)):
            cost = sum(abs((ws[k].start + ws[k].end) / 2 - (cols[c].start + cols[c].end) / 2)
                       for k, c in zip(mine, pick, strict=True))
            if best is None or cost < best[0]:
                best = (cost, pick)
        if best is not None:
            for k, c in zip(mine, best[1], strict=True):
                out[k] = c
    return out


def _text_column(w: Word, cols: list[Column]) -> int:
    """The text column a word starts in: the last whose first character is at or before the word's.
    Columns of text do not overlap on the page, but a full line of the left cell pushes the right
    cell's words a character or more to the right (pdfplumber's layout), so the left column's reach
    in text runs past where the right one starts; a short line of the right cell, printed where that
    cell really starts, lies inside that reach (`服务意识。` under 年度总体目标)."""
    text = [i for i, c in enumerate(cols) if not c.numeric and c.start <= w.start + _EDGE_SLACK]
    return text[-1] if text else _column_of(w, cols, header=False)


def _place_text(src: Src, cols: list[Column]) -> Out:
    """A line of a table of text, each word in the column it starts in."""
    cells: list[list[str]] = [[] for _ in cols]
    for w in src.words:
        i = _column_of(w, cols, header=False) if AMOUNT.match(w.text) else _text_column(w, cols)
        cells[i].append(w.text)
    return Out(src.no, src.no, src.page, [src.raw], [[_join_wrapped(c)] if c else [] for c in cells])


def _phrases(ws: list[Word]) -> list[Word]:
    """Words one space apart are one cell's text (`完善人大代表 “家站点”建设`); columns are wider apart."""
    out: list[Word] = []
    for w in ws:
        if out and w.start - out[-1].end <= 1:
            out[-1] = Word(_join_wrapped([out[-1].text, w.text]), out[-1].start, w.end)
        else:
            out.append(w)
    return out


def _under_header(lines: list[Src]) -> list[Out]:
    """Lines of a table headed by its first line, cells centred under their header words (the
    indicator rows of a 绩效目标 form): each word goes to the header whose centre is nearest; a
    word left of the first header is the table's outer label column (绩效指标)."""
    head = lines[0].words
    centres = [(w.start + w.end) / 2 for w in head]
    outs = []
    for src in lines:
        cells: list[list[str]] = [[] for _ in range(len(centres) + 1)]
        for w in _phrases(src.words):
            if w.end <= head[0].start:
                cells[0].append(w.text)
                continue
            c = (w.start + w.end) / 2
            cells[1 + min(range(len(centres)), key=lambda i: abs(centres[i] - c))].append(w.text)
        outs.append(Out(src.no, src.no, src.page, [src.raw], [[_join_wrapped(c)] if c else [] for c in cells]))
    return outs


def _is_data(src: Src) -> bool:
    return any(AMOUNT.match(w.text) for w in src.words) and len(src.words) >= 2


def _merge(into: Out, other: Out, before: bool = False) -> None:
    for i, c in enumerate(other.cells):
        if c:
            into.cells[i] = c + into.cells[i] if before else into.cells[i] + c
    into.first, into.last = min(into.first, other.first), max(into.last, other.last)
    into.raw = other.raw + into.raw if before else into.raw + other.raw


def _main_header(header: list[Src]) -> Src | None:
    """The fullest header line: the one that names most columns."""
    return max(header, key=lambda r: len(r.words), default=None)


def _header(rows: list[Out], main_no: int) -> list[Out]:
    """Header lines as rows. A header cell printed over several lines sits centred on the fullest
    header line: its pieces on the lines right above and below, in columns where that line is
    empty, are joined into it (`事业单位` / `经营收入`). A one-character word is never such a piece:
    it is a header of its own (`类 款 项`)."""
    main = next((r for r in rows if r.first == main_no), None)
    if main is None:
        return rows
    empty = {i for i, c in enumerate(main.cells) if not c}
    out: list[Out] = []
    for r in rows:
        if r is main or abs(r.first - main_no) > 1:
            out.append(r)
            continue
        moved = Out(r.first, r.last, r.page, r.raw, [[] for _ in r.cells])
        for i in list(r.filled()):
            if i in empty and len(_join_wrapped(r.cells[i])) > 1:
                moved.cells[i], r.cells[i] = r.cells[i], []
        if moved.filled():
            _merge(main, moved, before=r.first < main.first)
            main.raw = sorted(set(main.raw), key=main.raw.index)
        if r.filled():
            out.append(r)
    return out


def _fit_continuation(bands: list[Column], before: list[Column]) -> list[Column]:
    """The bands of a table's next page shaped like the table's own columns. The tool lays every
    page out anew, so a label printed a little right of the names (`合计` under 功能分类科目名称)
    can make a text band of its own; adjacent text bands are one column when the table has one
    there (the kinds then line up with the table's columns)."""
    if [c.numeric for c in bands] == [c.numeric for c in before]:
        return bands
    merged: list[Column] = []
    for c in bands:
        last = merged[-1] if merged else None
        if last is not None and not last.numeric and not c.numeric:
            merged[-1] = Column(False, min(last.edge, c.edge), min(last.start, c.start), max(last.end, c.end),
                                last.rows | c.rows)
        else:
            merged.append(c)
    kinds = [c.numeric for c in merged]
    return merged if kinds == [c.numeric for c in before][: len(kinds)] else bands


_NOWHERE = -(10**6)  # the position of a column that no word of this page is in


def _within(bands: list[Column], before: list[Column]) -> list[Column]:
    """The bands of a headerless next page laid out anew, fewer than its table's columns (a page
    whose rows fill only some columns, set at other positions: `310 19 其他交通工具购置` under a
    two-sided table, its last line `人员经费合计 2,152.26  公用经费合计 184.65`): when the bands'
    kinds (text, numbers) fit into the table's columns in order in exactly one way, each band takes
    its place there and the columns it skips stay empty. Else the bands are left as they are."""
    kinds, table = [c.numeric for c in bands], [c.numeric for c in before]
    found: list[list[int]] = []

    def fit(k: int, j: int, taken: list[int]) -> None:
        if len(found) > 1:
            return
        if k == len(kinds):
            found.append(list(taken))
            return
        for i in range(j, len(table) - (len(kinds) - k) + 1):
            if table[i] == kinds[k]:
                fit(k + 1, i + 1, [*taken, i])

    fit(0, 0, [])
    if len(found) != 1:
        return bands
    at = dict(zip(found[0], bands, strict=True))
    return [at.get(i) or Column(c.numeric, _NOWHERE, _NOWHERE, _NOWHERE) for i, c in enumerate(before)]


def _table(block: list[Src], before: list[Column] | None) -> tuple[list[Out], list[Column]]:
    """The rows of one table block and its columns. A block without a header continues the table
    of the block before (its next page): when its columns are the first ones of that table, the
    rows get that table's width, so trailing empty columns are not lost."""
    data = [s for s in block if _is_data(s)]
    first_data = block.index(data[0])
    header = [s for s in block[:first_data] if s.words]
    main = _main_header(header)
    near = [s for s in header if main is not None and abs(s.no - main.no) <= 1]
    bands = _columns(data, near)
    if not header and before:
        bands = _fit_continuation(bands, before)
    if not header and before and len(before) > len(bands) and all(
        a.numeric == b.numeric for a, b in zip(bands, before)
    ):
        right = max(c.end for c in bands)
        bands = bands + [
            Column(c.numeric, right + 1 + k, right + 1 + k, right + 1 + k) for k, c in enumerate(before[len(bands):])
        ]
    elif not header and before and len(before) > len(bands):
        bands = _within(bands, before)
    head = _header([_place(s, bands, header=True) for s in header], main.no if main else -1)
    out: list[Out] = list(head)
    pending: Out | None = None  # a wrapped cell's head printed above its row (pdfplumber)
    prev_no = -1
    for s in block[first_data:]:
        if not s.words:
            prev_no = -1
            continue
        row = _place(s, bands)
        last = out[-1] if len(out) > len(head) else None
        adjacent = last is not None and last.last == s.no - 1 and prev_no == s.no - 1
        prev_no = s.no
        if _is_data(s):
            if pending is not None and pending.last == s.no - 1 and not (pending.filled() & row.filled()):
                _merge(row, pending, before=True)
                pending = None
            elif pending is not None:
                out.append(pending)
                pending = None
            if adjacent and last is not None and not last.has_amounts() and not (last.filled() & row.filled()):
                _merge(last, row)  # numbers pushed below the row's label
                continue
            out.append(row)
            continue
        if pending is not None:
            out.append(pending)
            pending = None
        if adjacent and last is not None and _is_tail(s, row, last, bands):
            _merge(last, row)  # a wrapped cell's tail
            continue
        if len(row.filled()) == 1 or is_fragment([w.text for w in s.words], head=True):
            pending = row  # perhaps a wrapped cell's head: its row follows
            continue
        out.append(row)
    if pending is not None:
        out.append(pending)
    return out, bands


_EDGE_TAIL = 2


def _is_tail(src: Src, row: Out, last: Out, cols: list[Column]) -> bool:
    """The next line of the row above's text cells: short pieces that start at their column's left
    edge, each under a text cell of that row (a header or a new row's label does neither)."""
    if not all(is_fragment([w.text]) for w in src.words):
        return False
    for w in src.words:
        i = _column_of(w, cols, header=False)
        col = cols[i]
        if col.numeric or abs(w.start - col.edge) > _EDGE_TAIL:
            return False
        cell = last.cells[i]
        if not cell or AMOUNT.match(cell[-1]):
            return False
    return True


_LABEL = re.compile(r"：|:")
_TITLE = re.compile(r"表$|表（续）$")


def _is_furniture(texts: list[str]) -> bool:
    """A 编制单位 / 单位 line (a colon anywhere) or a table's title: a title is printed as a line of
    its own, so a word ending in 表 beside other cells is a cell (`完善人大代表  “家站点”建设  达标`)."""
    return any(_LABEL.search(t) for t in texts) or (len(texts) == 1 and bool(_TITLE.search(texts[0])))


def _blocks(src: list[Src]) -> list[tuple[bool, list[Src]]]:
    """Runs of table lines (True) and other lines (False). A table run holds data rows and the
    header and wrapped lines around them; furniture, titles, prose and page breaks end it."""
    kinds = []
    for s in src:
        texts = [w.text for w in s.words]
        if not texts:
            kinds.append("blank")
        elif _is_furniture(texts):
            kinds.append("other")
        elif _is_data(s):
            kinds.append("data")
        elif len(texts) >= 2 or is_fragment(texts, head=True):
            kinds.append("table")
        else:
            kinds.append("other")
    out: list[tuple[bool, list[Src]]] = []
    i = 0
    while i < len(src):
        if kinds[i] in ("table", "data"):
            j = i
            while j < len(src) and kinds[j] in ("table", "data", "blank") and not (j > i and src[j].page != src[i].page):
                j += 1
            run = src[i:j]
            if any(k == "data" for k in kinds[i:j]):
                out.append((True, run))
            else:
                out.append((False, run))
            i = j
        else:
            out.append((False, [src[i]]))
            i += 1
    return out


_TEXT_TABLE_MIN = 3  # text rows after the last amount row that make a table of their own
_HEADER_WORD_MAX = 12  # header words are short labels; a goal text beside them is not one


def _split_text_table(block: list[Src]) -> tuple[list[Src], list[Src]]:
    """A block's numeric part and the text table printed after its last amount row (the goal and
    indicator rows of a 绩效目标 form under its money rows): text columns are not the amount columns."""
    last = max(i for i, s in enumerate(block) if _is_data(s))
    start = next((i for i in range(last + 1, len(block)) if len(block[i].words) >= 2), None)
    if start is None or sum(1 for s in block[start:] if len(s.words) >= 2) < _TEXT_TABLE_MIN:
        return block, []
    return block[:start], block[start:]


def _text_table(block: list[Src]) -> list[Out]:
    """Rows of a table of text (indicator rows: 一级 / 二级 / 三级 / 指标值). Columns come from every
    line; a line with one cell is a piece of a wrapped cell: the head of the row below when that
    row's cell is empty there, else the tail of the row above (a cell wrapped over three lines
    sits centred on its row, its head above and its tail below)."""
    lines = [s for s in block if s.words]
    # The first line with several words heads a table of its own (一级指标 二级指标 三级指标 指标值
    # under the goal texts, whose long wrapped lines would blur its columns).
    top = next(
        (i for i, s in enumerate(lines)
         if len(s.words) >= _TEXT_TABLE_MIN and all(len(w.text) <= _HEADER_WORD_MAX for w in s.words)),
        None,
    )
    if top is not None and top > 0:
        return _text_table(lines[:top]) + _text_table(lines[top:])
    if top == 0:
        outs = _under_header(lines)
    else:
        cols = _columns([s for s in lines if len(s.words) >= 2] or lines, [])
        outs = [_place_text(s, cols) for s in lines]
    outs = _centred_beside(outs)
    rows: list[Out] = []
    opened: dict[int, set[int]] = {}  # id(row) -> columns that took a head piece
    heads: list[Out] = []
    for k, o in enumerate(outs):
        if len(o.filled()) >= 2:
            for h in heads:
                if h.last == o.first - 1 or h.last == heads[-1].last:
                    _merge(o, h, before=True)
                    opened.setdefault(id(o), set()).update(h.filled())
            heads = []
            rows.append(o)
            continue
        col = next(iter(o.filled()))
        above = rows[-1] if rows and rows[-1].last == o.first - 1 and not heads else None
        below = outs[k + 1] if k + 1 < len(outs) and outs[k + 1].first == o.last + 1 else None
        if above is not None and col in opened.get(id(above), set()):
            _merge(above, o)
        elif below is not None and len(below.filled()) >= 2 and not below.cells[col]:
            heads.append(o)
        elif above is not None:
            _merge(above, o)
        else:
            rows.append(o)
    rows.extend(heads)
    return rows


def _centred_beside(outs: list[Out]) -> list[Out]:
    """A cell alone on a line between two lines that each hold one piece of a cell left of it is
    printed at the vertical centre of that wrapped cell: the three lines are one row (a name wrapped
    over two lines with its value beside them, set by the tool on a line of its own between them)."""
    out: list[Out] = []
    k = 0
    while k < len(outs):
        trio = outs[k : k + 3]
        if (
            len(trio) == 3
            and all(len(o.filled()) == 1 for o in trio)
            and trio[1].first == trio[0].last + 1
            and trio[2].first == trio[1].last + 1
            and trio[0].filled() == trio[2].filled()
            and min(trio[1].filled()) > min(trio[0].filled())
        ):
            row = trio[0]
            _merge(row, trio[1])
            _merge(row, trio[2])
            out.append(row)
            k += 3
            continue
        out.append(outs[k])
        k += 1
    return out


def read_layout(lines: list[Line]) -> list[Line]:
    """Tab-joined rows of a space-aligned text."""
    src = [
        Src(ln.no, page, ln.raw, words(ln.text.replace("\f", " ").rstrip()))
        for ln, page in page_numbered(lines)
    ]
    result: list[Line] = []
    before: list[Column] | None = None
    for is_table, run in _blocks(src):
        if not is_table:
            result.extend(assemble((s.no, s.page, s.raw, tokens(s.raw.replace("\f", " ")), False) for s in run))
            if any(_FURNITURE.search(w.text) for s in run for w in s.words):
                before = None  # a title or 编制单位 line: a new table starts
            continue
        numeric, text = _split_text_table(run)
        rows, before = _table(numeric, before)
        if text:
            rows += _text_table(text)
        for o in rows:
            result.append(
                Line(no=o.first, end_no=o.last if o.last != o.first else None,
                     text="\t".join(_join_wrapped(c) for c in o.cells), raw="\n".join(o.raw), page=o.page)
            )
    return result
