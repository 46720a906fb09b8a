"""The indicator rows of a form (一级 / 二级 / 三级 / 指标值) as Indicators.

Reads rows of cells whatever made them: a row from the PDF grid (one row per ruled row, a wrapped
cell already joined) or a row rebuilt from text. Rules:
- a column's role comes from the header row (一级指标, 二级指标, 三级指标, 指标值 …); a role owns the
  columns from its header cell up to the next role's, so a cell merged over several columns is found;
- merged 一级 / 二级 cells are printed once (or repeated), in the block's first row or, in text
  extractions, in its middle: `merged_cells.py` places each label over its rows;
- when a row's cells do not line up with the header (a text extraction that dropped empty cells),
  the category words are recognised by vocabulary and the last two remaining cells are 三级 and 指标值;
- a line break inside a cell never splits a row. Text extractions put a wrapped cell's lines on
  lines of their own, the short cell beside them on the first, middle or last line. So, without a
  new 一级 / 二级: a row holding only a 指标值 continues the indicator above (an indicator always has
  a name); a row holding only a 三级 continues the name above (an indicator row always has a value,
  save by mistake) unless the next row holds only a 指标值 (then that value is its own: the value
  printed beside the middle of a wrapped name). A row with both is always a new indicator, so
  names wrapped with their value beside the last line are not told apart from a new row. The
  price: a printed row with an empty 指标值 takes the next row's name if that row has no value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from semx.models import Indicator
from semx.rows import Row
from semx.targets.merged_cells import CATEGORY_NAMES, Extent, Label, assign_categories
from semx.targets.text import join_wrapped, squash
from semx.targets.values import compose_value, is_unit_word, parse_value
from semx.vocab import indicator_columns as IC
from semx.vocab.categories import LEVEL1_VALUES, LEVEL2_VALUES, normalize_level1, normalize_level2

# The indicator columns a header may print, in the order Project.indicator_columns lists them.
COLUMN_ROLES = ("level1", "level2", "level3", "description", "value", "basis")


# Columns a header may print besides those: read to complete the value (`op`, `unit`) or only
# kept out of their neighbours' cells (`category`, `note`).
EXTRA_ROLES = ("op", "unit", "category", "note")


def _role_of_header(cell: str) -> str | None:
    return IC.header_role(cell)


def is_indicator_header(cells: list[str]) -> bool:
    return IC.is_indicator_header(cells)


def is_level1(text: str) -> bool:
    return normalize_level1(squash(text)) in LEVEL1_VALUES


# The merged row label in front of the whole indicator block, not a category.
_BLOCK_LABELS = ("绩效指标", "项目绩效指标", "年度绩效指标")


def is_level2(text: str) -> bool:
    t = squash(text)
    if t in _BLOCK_LABELS:
        return False
    return normalize_level2(t) in LEVEL2_VALUES or (t.endswith("指标") and 4 <= len(t) <= 10 and not is_level1(t))


_NEVER_PREFIX = ("level1", "level2", "level3", "category", "op", "unit")


def _header_pair(text: str) -> tuple[str, str] | None:
    """`一级指标二级指标`, `指标值度量单位`: two header words run together, split where both halves
    name a role (two different roles, so `三级指标名称` stays whole)."""
    t = squash(text)
    whole = _role_of_header(t)
    for k in range(2, len(t) - 1):
        a, b = _role_of_header(t[:k]), _role_of_header(t[k:])
        if a is None or b is None or a == b:
            continue
        # `指标值确定依据` is one header (its role is its second half's, and 指标值 heads phrases);
        # a name, op or unit word never does, so a cell that starts with one is two headers.
        if whole == a or a in _NEVER_PREFIX:
            return t[:k], t[k:]
    return None


def split_merged_header(cells: list[str]) -> list[str]:
    """Two header words read as one cell beside an empty cell (a text extraction put the two
    words in one column): each word owns one of the two columns."""
    out = list(cells)
    for i, c in enumerate(out):
        pair = _header_pair(c) if c.strip() else None
        if pair is None:
            continue
        if i + 1 < len(out) and not out[i + 1].strip():
            out[i], out[i + 1] = pair
        elif i > 0 and not out[i - 1].strip():
            out[i - 1], out[i] = pair
    return out


@dataclass
class Columns:
    """Which columns each role owns, from the header row."""

    spans: dict[str, tuple[int, int]]
    width: int

    @classmethod
    def from_header(cls, cells: list[str]) -> Columns:
        starts: list[tuple[int, str]] = []
        values: list[tuple[int, str]] = []
        cells = split_merged_header(cells)
        # Two whole sets side by side (中期 | 年度, the central 申报表): the year's set is the last.
        firsts = [i for i, c in enumerate(cells) if _role_of_header(c) == "level1"]
        first = firsts[-1] if len(firsts) > 1 else 0
        for i, cell in enumerate(cells):
            if i < first:
                continue
            role = _role_of_header(cell)
            if role == "value":
                values.append((i, squash(cell)))
            elif role is not None and role not in {r for _, r in starts}:
                starts.append((i, role))
        if values:
            # Two value columns (中期 / 年度): the annual one is the year's target.
            annual = [i for i, c in values if "年度" in c and "中期" not in c]
            starts.append((annual[0] if annual else values[0][0], "value"))
        starts.sort()
        spans: dict[str, tuple[int, int]] = {}
        value_cols = {i for i, _ in values}
        for k, (i, role) in enumerate(starts):
            end = starts[k + 1][0] if k + 1 < len(starts) else len(cells)
            # Another value column (中期指标值) inside a span is not part of it.
            for j in range(i + 1, end):
                if j in value_cols:
                    end = j
                    break
            spans[role] = (i, end)
        return cls(spans=spans, width=len(cells))

    def order(self) -> list[str]:
        """Every role the header prints, left to right."""
        return [r for r, _ in sorted(self.spans.items(), key=lambda kv: kv[1][0])]

    def roles(self) -> list[str]:
        """The columns the header prints, in the canonical order."""
        return [r for r in COLUMN_ROLES if r in self.spans]

    def get(self, cells: list[str], role: str) -> str:
        span = self.spans.get(role)
        if span is None:
            return ""
        parts = [c.strip() for c in cells[span[0] : span[1]] if c.strip()]
        return " ".join(parts)


@dataclass
class _Cells:
    level1: str = ""
    level2: str = ""
    level3: str = ""
    description: str = ""
    value: str = ""
    basis: str = ""
    op: str = ""
    unit: str = ""


def _piece_level(text: str, *, lone: bool = False) -> int | None:
    """The level of a category name's piece (`服务对象满意` / `度指标`, a label wrapped in text);
    a short tail (`标`, `指标`) only when it stands alone on its line."""
    t = squash(text)
    for level in (2, 1):
        names = CATEGORY_NAMES[level]
        if len(t) >= 3 and any(t != n and n.startswith(t) for n in names):
            return level
        if (len(t) >= 3 or lone) and any(t != n and n.endswith(t) for n in names):
            return level
    return None


def is_category_piece(text: str) -> bool:
    """A line holding only a category name or a piece of one (a merged label in a text extraction)."""
    return is_level1(text) or is_level2(text) or _piece_level(text, lone=True) is not None


def _split_pair(cell: str) -> list[str]:
    """`效益指标 社会效益指标` run together in one cell: the two names."""
    t = squash(cell)
    for n1 in LEVEL1_VALUES:
        if t.startswith(n1) and t != n1 and is_level2(t[len(n1) :]):
            return [n1, t[len(n1) :]]
    return [cell]


# A cell that begins with one of these continues the text before it (a name or value split where the
# extraction saw a wide gap, e.g. before a full-width comma).
_CONTINUES = tuple("，、。；：）)”」》%")


def _rejoin_split_cells(cells: list[str]) -> list[str]:
    out: list[str] = []
    for c in cells:
        if out and (c.strip().startswith(_CONTINUES) or c.strip() == '"') and not is_category_piece(out[-1]):
            out[-1] = out[-1] + c.strip()
        else:
            out.append(c)
    return out


def _cells_to_spare(cells: list[str]) -> bool:
    """Whether the leading cells hold no category word at all (then the spare cells are split text)."""
    return not any(is_category_piece(c) for c in cells[:-1])


def _join_extra(cells: list[str], spare: int) -> list[str]:
    """Fold `spare` surplus cells into the 三级 name, or into the value when the last cell is a bare
    figure whose wording (`不少于`) was cut off before it."""
    cells = list(cells)
    while spare > 0 and len(cells) >= 2:
        last, before = cells[-1].strip(), cells[-2].strip()
        if last[:1].isdigit() and not any(ch.isdigit() for ch in before) and len(cells) > 2:
            cells[-2:] = [before + last]
        else:
            cells[:2] = [cells[0].strip() + cells[1].strip()]
        spare -= 1
    return cells


def _by_vocabulary(filled: list[str], cols: Columns) -> _Cells:
    """Cells that do not line up with the header: categories by their words (whole, run together
    or in pieces), then 三级 and 指标值."""
    out = _Cells()
    rest = [p for c in filled if squash(c) not in _BLOCK_LABELS for p in _split_pair(c)]
    # 成本指标 is a 一级 of its own in newer templates and a 二级 under 产出指标 in older ones.
    if rest and is_level1(rest[0]) and not (squash(rest[0]) == "成本指标" and not (rest[1:2] and is_level2(rest[1]))):
        out.level1 = rest.pop(0)
    if rest and is_level2(rest[0]):
        out.level2 = rest.pop(0)
    rest = _rejoin_split_cells(rest)
    # Leading cells beyond 三级 and 指标值 (or a lone piece) are category pieces.
    spare = len(rest) - (3 if "description" in cols.spans else 2)
    lone = len(rest) == 1
    while rest and (spare > 0 or lone) and (_piece_level(rest[0], lone=lone) or spare > 0):
        level = _piece_level(rest[0], lone=lone)
        both_or_none = bool(out.level1) == bool(out.level2)
        if level is None and both_or_none and _cells_to_spare(rest):
            # Not a category's piece and no category in the row: a name or value that the
            # extraction split at a wide gap, joined below rather than taken for a category.
            rest = _join_extra(rest, spare)
            break
        level = level or (2 if not out.level2 else 1)
        if level == 2 and not out.level2:
            out.level2 = rest.pop(0)
        elif level == 1 and not out.level1:
            out.level1 = rest.pop(0)
        else:
            break
        spare -= 1
    if len(rest) >= 2:
        out.level3, out.value = rest[0], rest[-1]
        middle = rest[1:-1]
        if middle and "description" in cols.spans:
            out.description = middle[0]
    elif len(rest) == 1:
        out.level3 = rest[0]
    return out


def align_by_op(filled: list[str], order: list[str]) -> dict[str, str] | None:
    """A row that lost its empty cells (a text extraction) under a header with an op column
    (三级指标 | 指标性质 | 指标值 | 度量单位 …), placed by what its cells are: the op cell (`≥`, `大于等于`,
    定性) has the name before it and the value after it, then the unit when the next cell is one;
    the cells before the name are category words. `order` is the header's roles left to right.
    None when the row has no op cell, the header does not print op before value, or a cell before
    the name is no category word."""
    if "op" not in order or "value" not in order or order.index("op") > order.index("value"):
        return None
    k = next((i for i, c in enumerate(filled) if IC.is_op_cell(c)), None)
    if k is None or k == 0:
        return None
    out: dict[str, str] = {"level3": filled[k - 1], "op": filled[k]}
    cats = filled[: k - 1]
    # 成本指标 alone is the 二级 (under 产出指标); before a 二级 word it is a 一级 of its own.
    if cats and is_level1(cats[0]) and not (squash(cats[0]) == "成本指标" and not cats[1:2]):
        out["level1"] = cats.pop(0)
    if cats and is_level2(cats[0]):
        out["level2"] = cats.pop(0)
    if cats:
        return None
    after = filled[k + 1 :]
    if after:
        out["value"] = after.pop(0)
    if after and "unit" in order and order.index("unit") > order.index("value") and is_unit_word(after[0]):
        out["unit"] = after.pop(0)
    if after and "basis" in order:
        out["basis"] = " ".join(after)
    return out


_QUOTES = {'"': '"', "“": "”", "《": "》", "（": "）", "(": ")"}


def _open_quote(text: str) -> bool:
    """Whether a quotation mark or bracket opened in the text is not closed."""
    for a, b in _QUOTES.items():
        if a == b:
            if text.count(a) % 2:
                return True
        elif text.count(a) > text.count(b):
            return True
    return False


def _line_of(row: Row, text: str) -> float:
    """The source line a cell was printed on (a label beside a row rebuilt from several lines; the
    middle of a label wrapped over several lines)."""
    t = squash(text)
    for cell, first, last in zip(row.cells, row.cell_lines, row.cell_ends, strict=False):
        if squash(cell) == t:
            return (first + last) / 2
    return row.line


def _extent(row: Row, labels: set[str]) -> Extent:
    """The lines of an indicator's own cells: a merged label printed on lines of its own above or
    below them (joined into the row by the reader) is not part of the row's height."""
    cells = list(zip(row.cells, row.cell_lines, row.cell_ends, strict=False))
    own = [(a, b) for c, a, b in cells if c.strip() and squash(c) not in labels]
    label_lines = {ln for c, a, b in cells if squash(c) in labels for ln in range(a, b + 1)}
    if not own:
        return Extent(row.line, row.end_line)
    first, last = min(a for a, _ in own), row.end_line
    while last > max(b for _, b in own) and last in label_lines:
        last -= 1
    return Extent(first, last)


@dataclass
class IndicatorReader:
    """Reads indicator rows one at a time under one header; `finish` places the categories."""

    cols: Columns
    indicators: list[Indicator] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    extents: list[Extent] = field(default_factory=list)
    beside: set[int] = field(default_factory=set)  # lines of a value between its name's lines (Row.beside)
    # The last indicator's name opened a quotation mark not yet closed: values met meanwhile, and
    # the text printed beside its first line.
    _quoted: list[str] | None = None
    _first_extra: str = ""
    # The widest line of a name seen (the 三级 column's width in characters) and the last line of the
    # last indicator's name: a name whose last line is narrower did not wrap, so a line after it is
    # not more of it.
    _width: int = 0
    _last_piece: str = ""

    def _full(self, piece: str, width: int) -> bool:
        return len(squash(piece)) >= width - 1

    def waits(self, line: str) -> bool:
        """Whether a line of its own belongs to the indicator rows (forms.py passes it on): a piece
        of the last name, or its value, while that has none."""
        last = self.indicators[-1] if self.indicators else None
        if last is None or self._quoted is not None:
            return False
        return not last.value.raw and bool(last.level3)

    def passed_over(self, row: Row) -> None:
        """A lone line forms.py passes over: while the last name's quotation mark is open, it lies
        between that name's lines (a value printed beside their middle), no page line of its own."""
        if self._quoted is not None:
            self.beside.add(row.line)

    def _cells(self, row: Row) -> _Cells | None:
        cells = [c.strip() for c in row.cells]
        filled = [c for c in cells if c]
        if not filled or is_indicator_header(cells):
            return None
        roles = (*COLUMN_ROLES, "op", "unit")
        got = _Cells(**{r: self.cols.get(cells, r) for r in roles}) if len(cells) == self.cols.width else None
        if got is None or squash(got.level1) in _BLOCK_LABELS or (got.op and not IC.is_op_cell(got.op)):
            # not lined up with the header (or shifted by the block's row label); an op column that
            # holds no comparator (指标方向: 正向) is lined up all the same when no cell is an op
            aligned = align_by_op(filled, self.cols.order())
            if aligned is not None:
                got = _Cells(**aligned)
            elif got is None or squash(got.level1) in _BLOCK_LABELS:
                got = _by_vocabulary(filled, self.cols)
        if not got.level1 and got.level2:
            pair = _split_pair(got.level2)  # `效益指标社会效益指标`: two labels run into one cell
            if len(pair) == 2:
                got.level1, got.level2 = pair
        if got.level1 and not is_level1(got.level1) and is_level2(got.level1) and not got.level2:
            got.level2, got.level1 = got.level1, ""
        if got.op or got.unit:
            # the comparator and the unit printed in columns of their own (`≥ | 3 | 处`)
            got.value = compose_value(got.value, got.op, got.unit)
        return got

    def read(self, row: Row, nxt: Row | None = None, ahead: list[Row] | None = None) -> None:
        """One row; `nxt` (or the rows `ahead`, nearest first) tell a wrapped name's next line from
        a new indicator whose value is printed below its name."""
        for part in self._two_rows_on_one_line(row):
            self._read(part, nxt, ahead)

    def _two_rows_on_one_line(self, row: Row) -> list[Row]:
        """A flattened extraction may print two indicator rows on one line (`名称 满意率100% 名称
        提升`): four cells not lined up with the header, no category word among them, the second a
        value with a figure (lined up with a four-column header or not: the first two are no
        categories). Split into two rows; anything else is one row."""
        filled = [c.strip() for c in row.cells if c.strip()]
        if (
            len(filled) != 4
            or "description" in self.cols.spans
            or any(is_category_piece(c) for c in filled)
            or parse_value(filled[1]).number is None
            or parse_value(filled[0]).number is not None
            or parse_value(filled[2]).number is not None
        ):
            return [row]
        return [
            Row(line=row.line, cells=filled[:2], end_line=row.end_line),
            Row(line=row.line, cells=filled[2:], end_line=row.end_line),
        ]

    def _read(self, row: Row, nxt: Row | None = None, ahead: list[Row] | None = None) -> None:
        got = self._cells(row)
        if got is None:
            return
        try:
            self._read_cells(got, row, nxt, ahead)
        finally:
            if got.level3 and "\n" not in got.level3:
                self._width = max(self._width, len(squash(got.level3)))

    def _read_cells(self, got: _Cells, row: Row, nxt: Row | None, ahead: list[Row] | None) -> None:
        self.beside.update(row.beside)
        if not (got.level3 or got.value or got.description):
            self._labels(got, row)  # a row with categories only
            return
        last = self.indicators[-1] if self.indicators else None
        if last is not None and not (got.level1 or got.level2) and not got.description and self._quoted is not None:
            # A name whose quotation mark is still open goes on over the next lines (a name
            # printed in two columns of its wrapped cell); a lone value between them is its value.
            self.extents[-1].last = max(self.extents[-1].last, row.end_line)
            if not got.level3:
                self._quoted.append(got.value)
                self.beside.add(row.line)  # printed beside the middle of the name: no page line of its own
                return
            name = squash(last.level3 + self._first_extra + got.level3)
            self._first_extra = ""
            piece = got.level3
            if _open_quote(name) and got.value:
                name, piece, got.value = squash(name + got.value), got.level3 + got.value, ""
            last.level3 = name
            self._last_piece = piece  # the line the name ends on
            if not _open_quote(name):
                values = [v for v in (*self._quoted, got.value) if v]
                last.value = parse_value(join_wrapped("\n".join(values)) if values else "")
                self._quoted = None
            return
        if last is not None and not (got.level1 or got.level2) and not got.description:
            value_next = self._value_follows(ahead if ahead is not None else ([nxt] if nxt is not None else []))
            width = max(self._width, len(squash(got.level3)))
            complete = bool(got.level3) and not got.value and not self._full(self._last_piece, width)
            if complete and not last.value.raw and len([c for c in row.cells if c.strip()]) == 1:
                # a line of its own after a name that did not wrap, which has no value yet: its value
                self._extend(last, value=got.level3)
                self.extents[-1].last = max(self.extents[-1].last, row.end_line)
                return
            if not complete and (not got.level3 or (not got.value and not value_next)):
                self._extend(last, level3=got.level3, value=got.value)
                if got.level3:
                    self._last_piece = got.level3
                self.extents[-1].last = max(self.extents[-1].last, row.end_line)
                return
        self._labels(got, row)
        self._quoted, self._first_extra = None, ""
        if _open_quote(got.level3) and got.value and parse_value(got.value).number is None:
            # the open name's next column, printed beside it: part of the name, not its value
            self._quoted, self._first_extra, got.value = [], got.value, ""
        self.extents.append(_extent(row, {squash(got.level1), squash(got.level2)} - {""}))
        self._last_piece = got.level3
        self.indicators.append(
            Indicator(
                level3=got.level3,
                description=got.description or None,
                value=parse_value(got.value),
                basis=got.basis or None,
                line=row.line,
            )
        )

    def _value_follows(self, ahead: list[Row]) -> bool:
        """Whether a lone value comes next, after only more lone pieces of a name (a name wrapped
        over several lines with its value beside or after the last)."""
        for k, r in enumerate(ahead):
            after = self._cells(r)
            if after is None or after.level1 or after.level2:
                return False
            if after.value and not after.level3:
                return True
            if after.value or k >= 2:
                return False
        return False

    def _labels(self, got: _Cells, row: Row) -> None:
        for level, text in ((1, got.level1), (2, got.level2)):
            if text:
                self.labels.append(Label(level, text, _line_of(row, text), len(self.indicators)))

    def finish(self) -> list[Indicator]:
        """The indicators with their 一级 / 二级."""
        for ind, (l1, l2) in zip(self.indicators, assign_categories(self.extents, self.labels, frozenset(self.beside)), strict=True):
            ind.level1, ind.level2 = l1, l2
        return self.indicators

    def _extend(self, ind: Indicator, *, level3: str = "", value: str = "") -> None:
        """A wrapped cell's next line: join it to the indicator above (Chinese joins without a space)."""
        if level3:
            ind.level3 = join_wrapped(f"{ind.level3}\n{level3}") if ind.level3 else level3
        if value:
            raw = join_wrapped(f"{ind.value.raw}\n{value}") if ind.value.raw else value
            ind.value = parse_value(raw)


def value_between_name_lines(rows: list[Row], i: int, end: int) -> Row | None:
    """An indicator printed over three lines of their own, its value between the two lines of its
    wrapped name (pdfplumber's `extract_text` sets a value centred on a name wrapped over two lines
    on a line of its own between them): one row `name | value`, the value's line marked as beside.

    Taken only when the lines tell it: three consecutive lone lines, no category among them; the
    middle one short (less than half the first), the last longer than it (a value printed after
    both name lines, as `pdftotext -raw` does, is the short one last); and the line after them not
    another lone line, which would make the third a new name waiting for its value."""
    if i + 2 >= end:
        return None
    trio = rows[i : i + 3]
    texts = []
    for k, r in enumerate(trio):
        filled = [c.strip() for c in r.cells if c.strip()]
        if len(filled) != 1 or is_category_piece(filled[0]) or is_indicator_header(r.cells):
            return None
        if k and r.line != trio[k - 1].end_line + 1:
            return None
        texts.append(filled[0])
    head, value, tail = (squash(t) for t in texts)
    if len(value) * 2 >= len(head) or len(tail) <= len(value) or parse_value(tail).number is not None:
        return None
    if i + 3 < end:
        after = [c for c in rows[i + 3].cells if c.strip()]
        if len(after) == 1 and not is_category_piece(after[0]):
            return None
    return Row(line=trio[0].line, cells=[join_wrapped(f"{texts[0]}\n{texts[2]}"), texts[1]],
               end_line=trio[2].end_line, beside=[trio[1].line])
