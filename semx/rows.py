"""Turn either table layout into the same list of rows of cells.

Tables and targets parse `Row`s and never look at the layout again. A text line
outside a table is a row with one cell, so titles and prose keep their place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from semx.models import SourceDocument


@dataclass
class Row:
    line: int  # original line where the row starts
    cells: list[str]
    end_line: int = 0
    cell_lines: list[int] = field(default_factory=list)  # original line of each cell
    cell_ends: list[int] = field(default_factory=list)  # original line where each cell ends (wrapped)
    # original lines holding only a cell printed beside the middle of another cell of the row,
    # wrapped around it: in the page such a line is no line of its own (see merged_cells)
    beside: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.end_line:
            self.end_line = self.line
        if not self.cell_lines:
            self.cell_lines = [self.line] * len(self.cells)
        if not self.cell_ends:
            self.cell_ends = list(self.cell_lines)

    @property
    def text(self) -> str:
        return "".join(self.cells).strip()

    @property
    def filled(self) -> list[str]:
        """Non-empty cells, stripped."""
        return [c.strip() for c in self.cells if c.strip()]

    @property
    def is_blank(self) -> bool:
        return not self.filled


# A non-tab line right after a cell is a continuation of that cell (wrapped text in
# the DOCX export) unless it looks like the start of something new.
_NEW_BLOCK = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+部分|（[一二三四五六七八九十]+）"
    r"|\(?[一二三四五六七八九十]+\)|注[:：]|.*(?:绩效目标表|总表|支出表|情况表|预算表)\s*$)"
)


def _tab_rows(doc: SourceDocument, start: int, end: int) -> list[Row]:
    rows: list[Row] = []
    for ln in doc.lines:
        if ln.no < start or ln.no > end:
            continue
        text = ln.text
        if not text.strip():
            continue
        cells = text.split("\t")
        starts, ends = _cell_lines(ln.no, ln.end_no, ln.raw, cells)
        rows.append(Row(line=ln.no, cells=cells, end_line=ln.end_no or ln.no, cell_lines=starts, cell_ends=ends,
                        beside=_beside(ln.no, ln.raw, cells, starts, ends)))
    return rows


def _squash(text: str) -> str:
    return "".join(text.split())


def _cell_lines(no: int, end_no: int | None, raw: str, cells: list[str]) -> tuple[list[int], list[int]]:
    """The original lines where each cell of a row rebuilt from several lines starts and ends (its
    raw text keeps the lines, one per line): the first line holding the cell's opening characters,
    the next one from there holding its closing ones. A merged label printed on lines of its own
    beside a row is told apart from the row's own cells by them."""
    pieces = raw.split("\n")
    if not end_no or end_no <= no or len(pieces) != end_no - no + 1:
        return [], []
    flat = [_squash(p) for p in pieces]
    starts: list[int] = []
    ends: list[int] = []
    for cell in cells:
        text = _squash(cell)
        head, tail = text[:4], text[-3:]
        at = next((k for k, p in enumerate(flat) if head and head in p), 0)
        end = next((k for k in range(at, len(flat)) if tail and tail in flat[k]), at)
        starts.append(no + at)
        ends.append(no + end)
    return starts, ends


def _beside(no: int, raw: str, cells: list[str], starts: list[int], ends: list[int]) -> list[int]:
    """Lines of a row rebuilt from several lines that hold one whole cell of one line and nothing
    else, inside the lines of another cell (a value printed beside a name wrapped over two lines,
    set by the text on a line of its own between the name's two)."""
    if not starts:
        return []
    pieces = [_squash(p) for p in raw.split("\n")]  # one per line from `no` (see _cell_lines)
    out = []
    for i, cell in enumerate(cells):
        text = _squash(cell)
        # the line that is this cell and nothing else (its start by _cell_lines may be an earlier
        # line holding the same characters inside another cell's text)
        for line in (no + k for k, p in enumerate(pieces) if text and p == text):
            if any(j != i and starts[j] < line < ends[j] for j in range(len(cells)) if cells[j].strip()):
                out.append(line)
    return sorted(set(out))


def _cell_rows(doc: SourceDocument, start: int, end: int) -> list[Row]:
    """One cell per line: a blank line ends a row, a leading tab starts a cell."""
    rows: list[Row] = []
    current: Row | None = None

    def close() -> None:
        nonlocal current
        if current is not None and not current.is_blank:
            rows.append(current)
        current = None

    for ln in doc.lines:
        if ln.no < start or ln.no > end:
            continue
        text = ln.text
        if not text.strip():
            if text.startswith("\t"):
                # an empty cell, e.g. the blank 一级指标 that continues the one above
                if current is None:
                    current = Row(line=ln.no, cells=[], cell_lines=[])
                current.cells.append("")
                current.cell_lines.append(ln.no)
                current.end_line = ln.no
                continue
            close()
            continue
        if text.startswith("\t"):
            parts = text[1:].split("\t")
            if current is None:
                current = Row(line=ln.no, cells=[], cell_lines=[])
            for part in parts:
                current.cells.append(part)
                current.cell_lines.append(ln.no)
            current.end_line = ln.no
            continue
        if current is not None and current.cells and not _NEW_BLOCK.match(text):
            current.cells[-1] = current.cells[-1] + "\n" + text
            current.end_line = ln.no
            continue
        close()
        rows.append(Row(line=ln.no, cells=[text]))
    close()
    return rows


def table_rows(doc: SourceDocument, start: int | None = None, end: int | None = None) -> list[Row]:
    """Rows of doc between original lines start..end inclusive (whole document by default)."""
    lo = start if start is not None else 1
    hi = end if end is not None else (doc.lines[-1].no if doc.lines else 0)
    if doc.layout == "cell_per_line":
        return _cell_rows(doc, lo, hi)
    return _tab_rows(doc, lo, hi)
