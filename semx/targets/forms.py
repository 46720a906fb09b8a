"""The project performance-target form (财政项目支出绩效目标填报表 / 申报表 and the like) as a Project.

A form is recognised by its field labels, not by its title: a 项目名称 cell followed by at least
three of 主管部门, 实施单位, 计划开始日期 / 实施周期, 项目资金 / 年度资金总额, 项目总目标 / 年度目标 and
the 一级指标 header. The project is named from its 项目名称 cell; the printed title is kept beside.

Works on rows of cells (`semx.rows.Row`), whatever reader made them:
- a label's value is the next non-empty cell that is not itself a label (or the text after
  `标签：` in the same cell);
- the money block may have two sides (项目资金总额 | 年度资金申请总额, 中期 | 年度): the annual side
  is the one whose label says 年度 / 当年, and a cell belongs to the side whose label column it
  sits under; when a row holds the same label twice, the second is the annual one;
- amounts printed in 元 (`项目资金（元）`, `单位：元`) are normalised to 万元, the printed text kept;
- 项目总目标 and 年度目标 sit side by side: each text cell goes to the goal label above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from semx.models import Project, Warning_
from semx.rows import Row
from semx.targets.goal_sides import separate_sides, written_twice
from semx.targets.goals import split_goals
from semx.targets.indicator_rows import (
    Columns,
    IndicatorReader,
    is_category_piece,
    is_indicator_header,
    value_between_name_lines,
)
from semx.targets.text import in_wan, is_heading, join_wrapped, squash
from semx.vocab import forms as F
from semx.vocab.values import to_decimal

_AMOUNT = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?$")
_YEAR_LINE = re.compile(r"^[（(]?\d{4}\s*年度?[)）]?$")
_PAGE_NUMBER = re.compile(r"^[-—–\s第页共/\d]+$")
# How far after 项目名称 the other labels must appear to make a form.
_LOOKAHEAD = 14
_LABEL_MAX = 16
_SHORT_LINE = 40
_NOTE_ONLY = re.compile(r"^[（(][^（）()]*[)）]$")  # `中期目标（2024年－2026年）`: the label's own note
_PERIOD_NOTE = re.compile(r"^[（(][^（）()]*\d{4}[^（）()]*[)）]$")  # the note when it has a line of its own
_AMOUNT_THEN_LABEL = re.compile(r"^([-+]?\d[\d,]*(?:\.\d+)?)\s+(\S.*)$")
# A piece of the stacked 项目绩效目标 label glued onto a goal line: before it (the piece's line beside
# the goal line), or after it (the piece alone on a line between two goal lines, taken as their wrap).
_GLUED_PIECE = re.compile(r"^(项目|绩效|目标)(?!$)")
_GLUED_PIECE_END = re.compile(r"(?<!^)(项目|绩效|目标)$")
_INLINE_AMOUNT = re.compile(r"[:：]([-+]?\d[\d,]*(?:\.\d+)?)$")
_TITLE = re.compile(r"表\s*(?:[（(][^（）()]*[)）])?$")
_ALL_LABELS = (
    F.NAME, F.CODE, F.DEPARTMENT, F.IMPLEMENTER, F.START, F.END, F.PERIOD, F.MONEY_BLOCK, F.UNIT_ONLY, F.GOAL_TOTAL, F.GOAL_ANNUAL,
    F.ROW_LABELS,
)  # fmt: skip


def _is_label(cell: str) -> bool:
    c = squash(cell)
    if not c or _AMOUNT.match(c):
        return False
    if any(p.match(c) for p in _ALL_LABELS):
        return True
    return bool(_money_kind(c))


def _money_kind(label: str) -> str | None:
    label = _INLINE_AMOUNT.sub("", label)
    if len(label) > _LABEL_MAX:
        return None  # a sentence that mentions 财政资金 is text, not a label
    if F.MONEY_OTHER.search(label):
        return "other"
    if F.MONEY_CARRY.search(label):
        return "carry"
    if F.MONEY_TOTAL.search(label):
        return "total"
    if F.MONEY_FISCAL.search(label):
        return "fiscal"
    return None


def _split_amount_label(cells: list[str]) -> list[str]:
    """`7595500.00 年度资金申请总额` in one cell (a text extraction that keeps one space between
    columns): the amount and the label as two cells."""
    out: list[str] = []
    for cell in cells:
        m = _AMOUNT_THEN_LABEL.match(cell)
        if m and _money_kind(squash(m.group(2))):
            out.extend([m.group(1), m.group(2)])
        else:
            out.append(cell)
    return out


def _after_label(cell: str, n: int) -> str:
    """The text of cell after its first n non-space characters (the label), spaces kept."""
    seen = 0
    for k, ch in enumerate(cell):
        if seen == n:
            return cell[k:].strip()
        if not ch.isspace():
            seen += 1
    return ""


def _filled(row: Row) -> list[str]:
    return [c.strip() for c in row.cells if c.strip()]


def _single_line(row: Row) -> str | None:
    """The text of a row that is one line of its own (title, heading, prose), else None."""
    filled = _filled(row)
    return filled[0] if len(filled) == 1 else None


def _is_value_piece(text: str) -> bool:
    """A short piece of a wrapped value: no label, no amount, no sentence."""
    c = squash(text)
    return 0 < len(c) <= _LABEL_MAX and not _is_label(text) and not _AMOUNT.match(c) and not re.search(r"[。；;：:]", c)


def _label_kinds(rows: list[Row]) -> set[str]:
    kinds: set[str] = set()
    for row in rows:
        for cell in row.cells:
            c = squash(cell)
            for kind, pattern in F.FORM_LABEL_KINDS.items():
                if c and pattern.match(c):
                    kinds.add(kind)
    return kinds


@dataclass
class FormSpan:
    anchor: int  # index of the 项目名称 row
    start: int  # index of the first row (the title when there is one)
    title: str | None
    unit: str | None  # from a `单位：元` line above the form


def find_forms(rows: list[Row]) -> list[FormSpan]:
    """Every form in rows, by its labels."""
    anchors = [i for i, r in enumerate(rows) if _is_anchor(r)]
    spans: list[FormSpan] = []
    for k, i in enumerate(anchors):
        limit = min(anchors[k + 1] if k + 1 < len(anchors) else len(rows), i + _LOOKAHEAD)
        # Labels on the rows below 项目名称, each beside its value: a table whose column headers
        # are 项目名称 | 实施单位 | 年度资金总额 … (all on one row) is not a form.
        if len(_label_kinds(rows[i + 1 : limit])) < F.FORM_MIN_LABELS:
            continue
        start, title, unit = i, None, None
        floor = spans[-1].anchor + 1 if spans else 0
        # Above 项目名称: the title, a `（2023年度）` line and a `单位：元` note, in any order, the
        # note possibly on the title's line. Right above 项目名称 a text extraction may print the
        # head of a value taller than its label row (`阶段` of 阶段性项目, a wrapped project name):
        # such short pieces belong to the form when its title or year line stands above them.
        j = i - 1
        pieces = True  # still in the run of value pieces right above 项目名称
        while j >= floor and i - j <= 4:
            texts = []
            for cell in _filled(rows[j]):
                m = F.UNIT_LINE.search(squash(cell))
                if m:
                    unit = unit or m.group(1)
                else:
                    texts.append(cell)
            if texts and len(texts) == 1 and _YEAR_LINE.match(squash(texts[0])):
                start, pieces = j, False
            elif len(texts) == 1 and _TITLE.search(texts[0]) and len(texts[0]) <= 60 and title is None:
                title, start, pieces = squash(texts[0]), j, False
            elif pieces and texts and all(_is_value_piece(t) for t in texts):
                pass  # decided by what stands above
            elif texts:
                break
            j -= 1
        spans.append(FormSpan(anchor=i, start=start, title=title, unit=unit))
    return spans


@dataclass
class _MoneyCell:
    kind: str
    label: str
    col: int
    amount: str
    row: int
    width: int


@dataclass
class _Goal:
    kind: str  # total | annual | generic
    col: int
    row: int
    parts: list[str] = field(default_factory=list)


@dataclass
class _FormReader:
    unit: str | None
    fields: dict[str, str] = field(default_factory=dict)
    money: list[_MoneyCell] = field(default_factory=list)
    goals: list[_Goal] = field(default_factory=list)
    goal_width: int = 0
    # Rows rebuilt from one-span-per-line text: the columns of side-by-side goals are lost, so the
    # goal block is also kept as lines in reading order for semx.targets.goal_sides.
    sequential: bool = False
    goal_cells: list[list[str]] = field(default_factory=list)  # each goal row's text cells
    # Rows rebuilt from space-aligned text: a goal row with more text cells than goal labels was cut
    # at gaps inside the text, so its cells cannot be given to the labels above them.
    columns: bool = False
    crowded: bool = False
    # The 项目绩效目标 row label stacked left of the goal cells (项目 / 绩效 / 目标, one piece a line):
    # space-aligned text glues a piece onto the goal line beside it (`绩效建成后作为…`). Pieces seen in
    # order, and the parts that start with one, stripped only when the pieces spell the whole label.
    label_pieces: list[str] = field(default_factory=list)
    # goal, part, piece, goal line, glued after the text
    glued: list[tuple[_Goal, int, str, int, bool]] = field(default_factory=list)
    # money labels of the last row that had no amount beside them: (kind, label, column, row width)
    pending: list[tuple[str, str, int, int]] = field(default_factory=list)
    indicators: IndicatorReader | None = None

    def read_field_row(self, idx: int, row: Row) -> None:
        cells = _split_amount_label([c.strip() for c in row.cells])
        filled = [(i, squash(c)) for i, c in enumerate(cells) if c]
        if self.pending and filled and all(_AMOUNT.match(c) for _, c in filled):
            self._amounts_under_labels(idx, cells, filled)
            return
        self.pending = []
        goal_row = False
        for i, cell in enumerate(cells):
            c = squash(cell)
            if not c:
                continue
            for name, pattern in (
                ("name", F.NAME),
                ("code", F.CODE), ("department", F.DEPARTMENT), ("implementer", F.IMPLEMENTER),
                ("start", F.START), ("end", F.END), ("period", F.PERIOD),
            ):  # fmt: skip
                m = pattern.match(c)
                if m and name not in self.fields:
                    value = _after_label(cell, m.end()) if len(c) > m.end() else None
                    if value and _NOTE_ONLY.match(value):
                        value = None  # `项目名称（全称）`: the label's own note
                    value = value or self._next_value(cells, i)
                    if value:
                        self.fields[name] = value
                    break
            else:
                self._other_label(idx, cells, i, c)
                if F.GOAL_TOTAL.match(c) or F.GOAL_ANNUAL.match(c):
                    goal_row = True
        if goal_row:
            self.goal_width = len(cells)
            # `年度目标 | 全年巡逻无盲区` on one row: a text goes to the goal label left of it
            here = [g for g in self.goals if g.row == idx]
            for i, cell in enumerate(cells):
                left = [g for g in here if g.col < i]
                if cell and left and not _is_label(cell):
                    left[-1].parts.append(cell)
                    self.goal_cells.append([cell])
        elif self.goals and not self._is_money_row(cells):
            self._goal_text(cells)

    def _other_label(self, idx: int, cells: list[str], i: int, c: str) -> None:
        block = F.MONEY_BLOCK.match(c) or F.UNIT_ONLY.match(c) or F.UNIT_LINE.search(c)
        if block:
            self.unit = self.unit or block.group(1)
            return
        goal_kind = "annual" if F.GOAL_ANNUAL.match(c) else "total" if F.GOAL_TOTAL.match(c) else None
        if goal_kind is None and c in ("绩效目标", "项目绩效目标") and not self.goals:
            goal_kind = "generic"
        if goal_kind is not None:
            goal = _Goal(goal_kind, i, idx)
            label = F.GOAL_ANNUAL.match(c) or F.GOAL_TOTAL.match(c)
            rest = c[label.end() :] if label is not None else ""
            if rest and not _NOTE_ONLY.match(rest):
                goal.parts.append(rest)  # `年度目标：…` with the text in the label's cell
            self.goals.append(goal)
            return
        kind = _money_kind(c)
        if kind is None or F.ROW_LABELS.match(c):
            return
        unit = re.search(r"[（(](万元|元)[)）]", c)
        if unit:
            self.unit = self.unit or unit.group(1)
        inline = _INLINE_AMOUNT.search(c)  # `年度资金总额：120.50` in one cell
        # the next cell, past the label itself repeated over a merged cell
        after = (x for x in cells[i + 1 :] if x.strip() and squash(x) != c)
        amount = inline.group(1) if inline else next(after, "")
        if _AMOUNT.match(squash(amount)):
            self.money.append(_MoneyCell(kind, c, i, squash(amount), idx, len(cells)))
        elif not amount or _money_kind(squash(amount)):
            self.pending.append((kind, c, i, len(cells)))  # its amount may be on the row below

    def _amounts_under_labels(self, idx: int, cells: list[str], filled: list[tuple[int, str]]) -> None:
        """`年度资金总额 | 财政拨款 | 其他资金` on one row, the amounts on the row below: by column
        when both rows have the same cells, else in order."""
        labels = self.pending
        self.pending = []
        same_grid = len(cells) == labels[0][3]
        for k, (kind, label, col, width) in enumerate(labels):
            if same_grid:
                amount = next((c for i, c in filled if i == col), None)
            else:
                amount = filled[k][1] if k < len(filled) else None
            if amount is not None:
                self.money.append(_MoneyCell(kind, label, col, amount, idx, width))

    @staticmethod
    def _is_money_row(cells: list[str]) -> bool:
        return any(_money_kind(squash(c)) for c in cells if c.strip() and not _AMOUNT.match(squash(c)))

    def _next_value(self, cells: list[str], i: int) -> str | None:
        for nxt in cells[i + 1 :]:
            if not nxt.strip() or squash(nxt) == squash(cells[i]):
                continue  # empty, or the label repeated over its merged cell
            return None if _is_label(nxt) else nxt.strip()
        return None

    def _goal_text(self, cells: list[str]) -> None:
        texts = [(i, c.strip()) for i, c in enumerate(cells) if c.strip() and not _is_label(c)]
        if not texts:
            return
        if not self.goal_cells and _PERIOD_NOTE.match(squash("".join(t for _, t in texts))):
            return  # `(2024 年-2026 年)` under 项目总体目标 on a line of its own: the label's note
        pieces = [t for _, t in texts if F.GOAL_ROW_LABEL_PIECE.match(squash(t))]
        self.label_pieces.extend(squash(t) for t in pieces)
        texts = [(i, t) for i, t in texts if t not in pieces]
        if not texts:
            return
        self.goal_cells.append([t for _, t in texts])
        goals = [g for g in self.goals if g.kind != "generic"] or self.goals
        if self.columns and len(goals) > 1 and len(texts) > len(goals):
            self.crowded = True
        if len(cells) == self.goal_width:
            placed = []
            for i, text in texts:
                above = [g for g in goals if g.col <= i]
                placed.append((above[-1] if above else goals[0], text))
        else:
            # Cells that do not line up with the label row: in order, extras to the last goal.
            placed = [(goals[min(k, len(goals) - 1)], text) for k, (_, text) in enumerate(texts)]
        for k, (goal, text) in enumerate(placed):
            first = k == 0 and not pieces
            glued = _GLUED_PIECE.match(squash(text)) if first else None
            at_end = _GLUED_PIECE_END.search(squash(text)) if first and not glued else None
            if glued or at_end:
                piece = (glued or at_end).group(1)  # type: ignore[union-attr]
                self.label_pieces.append(piece)
                self.glued.append((goal, len(goal.parts), piece, len(self.goal_cells) - 1, at_end is not None))
            goal.parts.append(text)

    def strip_glued_label(self) -> None:
        """Take the row label's pieces off the goal lines they were glued to, if they spell it."""
        if "".join(self.label_pieces) not in ("项目绩效目标", "绩效目标") or not self.glued:
            return
        for goal, k, piece, line, at_end in self.glued:
            goal.parts[k] = _strip_piece(goal.parts[k], piece, at_end)
            self.goal_cells[line][0] = _strip_piece(self.goal_cells[line][0], piece, at_end)

    # ------------------------------------------------------------ results

    def annual_money(self) -> dict[str, str]:
        """kind -> amount as printed, on the annual side of the money block."""
        annual_rows = [m for m in self.money if F.ANNUAL.search(m.label)]
        two_sided = bool(annual_rows) and any(m.kind == "total" and not F.ANNUAL.search(m.label) for m in self.money)
        annual_col = min((m.col for m in annual_rows), default=0)
        annual_width = annual_rows[0].width if annual_rows else 0
        out: dict[str, str] = {}
        for m in self.money:
            same = [x for x in self.money if x.row == m.row and x.kind == m.kind]
            if not two_sided or F.ANNUAL.search(m.label):
                side = "annual"
            elif len(same) > 1:
                side = "annual" if m is same[-1] else "project"
            elif m.width == annual_width:
                side = "annual" if m.col >= annual_col else "project"
            else:
                # cells that do not line up: only the annual side has 上年结转
                side = "annual" if m.kind == "carry" else "project"
            if side == "annual" and m.kind not in out:
                out[m.kind] = m.amount
        return out

    def goal(self, kind: str) -> str | None:
        parts = [p for g in self.goals if g.kind == kind for p in g.parts]
        return join_wrapped("\n".join(parts)) if parts else None

    def goal_lines(self) -> list[str]:
        """The goal block's rows in reading order, cells joined by a space."""
        return [" ".join(cells) for cells in self.goal_cells]

    def side_by_side_goals(self) -> bool:
        kinds = {g.kind for g in self.goals}
        return (self.sequential or self.crowded) and {"total", "annual"} <= kinds

    def separated_goals(self) -> tuple[str | None, str | None, str | None]:
        """(总目标, 年度目标, the block unsplit) for side-by-side goals in one-span-per-line text."""
        sides = separate_sides(self.goal_lines())
        if sides is None:
            text = "\n".join(self.goal_lines()).strip()
            return None, None, join_wrapped(text) if text else None
        return join_wrapped(sides[0]) or None, join_wrapped(sides[1]) or None, None

    def same_text_twice(self) -> str | None:
        """In space-aligned text, two goals whose cells differ but whose block is one text written
        twice: a line of one side was glued onto the other's cell (pdfplumber prints a full left
        line against the right one), and the text says both sides are that text."""
        if not self.columns or not {"total", "annual"} <= {g.kind for g in self.goals}:
            return None
        total, annual = self.goal("total"), self.goal("annual")
        if total is None or annual is None or squash(total) == squash(annual):
            return None
        twice = written_twice(self.goal_lines())
        return join_wrapped(twice) if twice else None


def _unquoted(text: str | None) -> str | None:
    """A goal cell exported with its spreadsheet quoting (`"1.… 2.…"`, a cell of several lines
    quoted as in CSV) without the pair of quotes, so that its numbered items are seen."""
    if text is None:
        return None
    t = text.strip()
    if len(t) > 2 and t[0] == t[-1] == '"' and '"' not in t[1:-1]:
        return t[1:-1].strip()
    return text


def _strip_piece(text: str, piece: str, at_end: bool) -> str:
    text = text.strip()
    if at_end:
        return text.removesuffix(piece)
    return text.removeprefix(piece)


def _wan(amount: str | None, unit: str | None) -> Decimal | None:
    if amount is None:
        return None
    return in_wan(to_decimal(amount), unit)


# The title repeated over the next page's rows (…填报表, （2023年度）) or a running header (单位：元).
_FURNITURE_LINE = re.compile(r"表$|表[（(]续[）)]$|^[（(]\d{4}年度?[）)]$|[:：]")


def _stops(rows: list[Row], i: int, width: int | None) -> bool:
    """Whether rows[i] ends the form: a heading, a note, or, once the indicator rows (of `width`
    cells) have begun, a line of its own (a table row has cells), unless the indicator rows go on
    after it (the title repeated over the header on the next page, a running page header)."""
    row = rows[i]
    line = _single_line(row)
    if line is None or (len(row.cells) > 1 and any(c.strip() for c in row.cells[1:])):
        return False
    if is_heading(line) or line.startswith(("注：", "注:", "说明：")):
        return True
    if width is None or len(row.cells) > 1 or is_category_piece(line):
        return False
    for k, nxt in enumerate(rows[i + 1 : i + 7]):
        if _is_anchor(nxt):
            break
        if is_indicator_header(nxt.cells) or len(nxt.cells) == width > 1:
            return False
        # a line between rows of cells: a category printed in the middle of its merged cell,
        # or a wrapped piece of a cell, in a text extraction (not a sentence of prose)
        if len(line) <= _SHORT_LINE and not line.endswith("。") and len(_filled(nxt)) > 1:
            return False
        if len(nxt.cells) > 1:
            break
        # Further on only over more such lines: a wrapped cell's last piece, its value, and the
        # pieces of the next block's centred labels may come one per line before the next row.
        following = _single_line(nxt)
        if k >= 2 and not (following and is_category_piece(following)):
            break
        if following is None or is_heading(following) or len(following) > _SHORT_LINE:
            break
    return True


def _wrapped_values(rows: list[Row], i: int, first: int, end: int) -> Row | None:
    """A row of labels whose values are wrapped around them: a value cell taller than its label
    prints its first piece on the line above the label and the rest below (`兰溪路-真南路下立交工` /
    `项目名称 项目性质 …` / `程`). When the rows above and below hold only text, one piece for each
    label left without a value, the row with each value put back beside its label; else None."""
    if i + 1 >= end or i - 1 < 0:
        return None
    cells = [c.strip() for c in rows[i].cells if c.strip()]
    bare = [k for k, c in enumerate(cells) if _is_label(c) and (k + 1 == len(cells) or _is_label(cells[k + 1]))]
    if not bare:
        return None
    above, below = _filled(rows[i - 1]), _filled(rows[i + 1])
    if len(above) != len(bare) or not 0 < len(below) <= len(bare) or any(_is_label(c) for c in above + below):
        return None
    if i - 1 >= first and (_is_label(rows[i - 1].cells[0]) or is_indicator_header(rows[i - 1].cells)):
        return None
    out: list[str] = []
    pieces = {k: above[n] + (below[n] if n < len(below) else "") for n, k in enumerate(bare)}
    for k, c in enumerate(cells):
        out.append(c)
        if k in pieces:
            out.append(pieces[k])
    return Row(line=rows[i].line, cells=out, end_line=rows[i + 1].end_line)


def _is_anchor(row: Row) -> bool:
    return any(F.NAME.match(squash(c)) for c in row.cells)


def read_form(
    rows: list[Row], span: FormSpan, end: int, warnings: list[Warning_], rebuilt_from: str | None = None
) -> Project:
    """The form whose rows are rows[span.start:end] (it may end earlier, at a heading or prose)."""
    reader = _FormReader(unit=span.unit, sequential=rebuilt_from in F.SEQUENTIAL_TEXT,
                         columns=rebuilt_from == "columns")
    last = span.anchor
    i = span.anchor
    while i < end:
        row = rows[i]
        cells = [c.strip() for c in row.cells]
        line = _single_line(row)
        if line is not None and _PAGE_NUMBER.match(line):
            i += 1
            continue
        if _stops(rows, i, reader.indicators.cols.width if reader.indicators is not None else None):
            break
        if is_indicator_header(cells):
            if reader.indicators is None:
                reader.indicators = IndicatorReader(Columns.from_header(cells))
            last = i
        elif reader.indicators is not None:
            between = value_between_name_lines(rows, i, end) if line is not None else None
            if between is not None:
                reader.indicators.read(between, ahead=rows[i + 3 : min(i + 6, end)])
                last = i + 2
                i += 3
                continue
            if line is not None and len(row.cells) == 1 and not is_category_piece(line) and not (
                    reader.indicators.waits(line) and not _FURNITURE_LINE.search(squash(line))):
                reader.indicators.passed_over(row)
                i += 1  # a line kept by _stops: the title or a page header over the rows that go on
                continue
            reader.indicators.read(row, ahead=rows[i + 1 : min(i + 4, end)])
            last = i
        else:
            wrapped = _wrapped_values(rows, i, span.anchor, end)
            reader.read_field_row(i, wrapped or row)
            last = i
            if wrapped is not None:
                i += 1  # the row below held the values' last pieces
        i += 1
    money = reader.annual_money()
    unit = reader.unit
    start, finish = reader.fields.get("start"), reader.fields.get("end")
    period = reader.fields.get("period") or (f"{start}–{finish}" if start and finish else start or finish)
    reader.strip_glued_label()
    annual_goal = reader.goal("annual") or reader.goal("generic")
    total_goal = reader.goal("total")
    if reader.side_by_side_goals():
        total_goal, annual_goal, unsplit = reader.separated_goals()
        if unsplit is not None:
            warnings.append(Warning_(
                code="goal_sides_not_separated",
                message="项目总目标与年度目标在文本中并列、无法分开，作为一段目标保留："
                f"{reader.fields.get('name') or span.title or ''}",
                line=rows[span.anchor].line,
            ))
        goal_text = annual_goal or total_goal or unsplit
    else:
        twice = reader.same_text_twice()
        if twice is not None:
            total_goal = annual_goal = twice
        goal_text = annual_goal or total_goal
    total_goal, annual_goal, goal_text = _unquoted(total_goal), _unquoted(annual_goal), _unquoted(goal_text)
    indicators = reader.indicators.finish() if reader.indicators is not None else []
    name = reader.fields.get("name") or span.title or ""
    if reader.indicators is None:
        warnings.append(
            Warning_(
                code="target_form_without_indicators",
                message=f"绩效目标表没有指标行：{name}",
                line=rows[span.anchor].line,
            )
        )
    project = Project(
        name=name,
        level="project",
        code=reader.fields.get("code"),
        budget=_wan(money.get("total"), unit),
        fiscal=_wan(money.get("fiscal"), unit),
        other=_wan(money.get("other"), unit),
        goal_text=goal_text,
        goals=split_goals(goal_text),
        indicators=indicators,
        start_line=rows[span.start].line,
        end_line=rows[last].end_line,
        form_title=span.title,
        department=reader.fields.get("department"),
        implementer=reader.fields.get("implementer"),
        period=period,
        total_goal=total_goal,
        annual_goal=annual_goal,
        printed_unit=unit,
        budget_printed=money.get("total"),
        indicator_columns=reader.indicators.cols.roles() if reader.indicators is not None else [],
    )
    return project


def parse_forms(
    rows: list[Row], rebuilt_from: str | None = None
) -> tuple[list[Project], list[Warning_], list[tuple[int, int]]]:
    """All forms in rows; also the (start, end) line ranges they cover. rebuilt_from: the text
    layout the rows were rebuilt from (SourceDocument.rebuilt_from), None for cells read as cells."""
    projects: list[Project] = []
    warnings: list[Warning_] = []
    ranges: list[tuple[int, int]] = []
    spans = find_forms(rows)
    for k, span in enumerate(spans):
        end = spans[k + 1].start if k + 1 < len(spans) else len(rows)
        project = read_form(rows, span, end, warnings, rebuilt_from)
        projects.append(project)
        ranges.append((project.start_line, project.end_line))
    return projects, warnings, ranges
