"""Reader for tab-separated rows whose cells keep their own line breaks.

A table copied out of a spreadsheet or a word processor (or exported by a table finder) prints a
row's cells joined by tabs, and a cell holding a line break continues on the next line:
`208⇥05⇥05⇥机关事业单位基本养老保险缴费支` / `出⇥4,412,547⇥4,412,547⇥⇥⇥`. The row is short of the
table's width until its continuation lines are added, so a row is closed only when its cells reach
the width of the rows around it; a line break inside a cell never splits a row. Quotes are kept as
printed: a cell may well open and close with a quotation mark of its own.
"""

from __future__ import annotations

import re

from semx.ingest.pdf import _join_wrapped  # one rule for joining a wrapped cell, whatever the source
from semx.models import Line


def _width(counts: list[int], i: int) -> int:
    """The width a row at line i should reach: that of the tab row right before it in the same
    table (rows of an exported table are as wide as each other). 0 when no tab row comes right
    before: the first row of a table, or a row after a title, is taken as it stands."""
    return counts[i - 1] if i > 0 and counts[i - 1] > 1 else 0


_SHORT_HEAD = 6  # a one-cell line that opens a wrapped row is a short label (`项目` / `绩效` / `目标`)
_CJK = re.compile(r"[\u4e00-\u9fff]")  # a page number such as `- 2 -` opens no row


_AMOUNT_CELL = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?$")


def line_counts(lines: list[Line]) -> list[int]:
    """Cells per line (0 for a blank line); a short one-cell line counts as -1: it may open a row."""
    counts = []
    for ln in lines:
        text = ln.text
        if not text.strip():
            counts.append(0)
        elif "\t" in text:
            counts.append(text.count("\t") + 1)
        else:
            short = len(text.strip()) <= _SHORT_HEAD and _CJK.search(text) is not None
            counts.append(-1 if short else 1)
    return counts


def continuation(counts: list[int], i: int, starts: list[bool]) -> int:
    """How many lines after line i complete its row to the table width (0: the row is whole).

    A row opening with a one-cell line is taken only inside a table (the line before is a tab row),
    so a title above a table's header is never joined to it; a line opening with a number or a
    subject code (`208⇥05…`) starts a row of its own (numbers do not wrap).
    """
    have = abs(counts[i])
    if counts[i] == -1 and not (i > 0 and counts[i - 1] > 1):
        return 0
    if counts[i] == 1 or have == 0:
        return 0
    width = _width(counts, i)
    if have >= width:
        return _completed_by_next_row(counts, i, starts)
    k = i + 1
    while k < len(counts) and have < width and counts[k] != 0 and not starts[k]:
        have += abs(counts[k]) - 1  # the first cell of the next line continues the last cell
        k += 1
    return k - i - 1 if have == width else 0


_MAX_WRAPS = 3


def _completed_by_next_row(counts: list[int], i: int, starts: list[bool]) -> int:
    """The first row of a table (no tab row of its width before it, e.g. its header under a title)
    completed by the next lines: taken only when the joined row is exactly as wide as the tab row
    that follows it and each line joined is narrower, as a header cell wrapped onto a second line
    (`…⇥附属单位上` / `缴收入⇥其他收入` / then rows of eleven cells)."""
    have = counts[i]
    k = i + 1
    while k < len(counts) and k - i <= _MAX_WRAPS and counts[k] not in (0, 1) and not starts[k]:
        have += abs(counts[k]) - 1
        k += 1
        nxt = counts[k] if k < len(counts) else 0
        if nxt > 1 and nxt == have and all(abs(counts[j]) < have for j in range(i, k)):
            return k - i - 1
    return 0


def _after_amount(prev: Line, line: Line) -> bool:
    """A line opening with a word after a line whose last cell is an amount (`年度预算数⇥215.30` /
    `年度绩效目标⇥…`): an exported cell never wraps a number into the text of a label, so the line
    opens a row of its own however the widths of the two add up."""
    last = prev.text.rsplit("\t", 1)[-1].strip()
    first = line.text.split("\t", 1)[0].strip()
    return bool(_AMOUNT_CELL.match(last)) and _CJK.match(first) is not None


def row_starts(lines: list[Line]) -> list[bool]:
    """Lines that open a row of their own: a number or a subject code first (numbers do not wrap)."""
    return [ln.text.lstrip()[:1].isdigit() for ln in lines]


def _read_starts(lines: list[Line]) -> list[bool]:
    """row_starts, and a word right after an amount. Only the reader takes the second: whether a
    text is in this layout at all is judged as before (the rows it joins, not these)."""
    digit = row_starts(lines)
    return [d or (i > 0 and _after_amount(lines[i - 1], ln)) for i, (d, ln) in enumerate(zip(digit, lines, strict=True))]


def read_tsv(lines: list[Line]) -> list[Line]:
    """Tab-joined rows, one per logical row, numbered by the line where the row starts."""
    counts = line_counts(lines)
    starts = _read_starts(lines)
    out: list[Line] = []
    i = 0
    while i < len(lines):
        more = continuation(counts, i, starts)
        if not more:
            out.append(lines[i])
            i += 1
            continue
        group = lines[i: i + more + 1]
        cells = group[0].text.split("\t")
        for ln in group[1:]:
            parts = ln.text.split("\t")
            cells[-1] = _join_wrapped([cells[-1], parts[0]])
            cells.extend(parts[1:])
        out.append(
            Line(no=group[0].no, end_no=group[-1].no, text="\t".join(cells),
                 raw="\n".join(ln.raw for ln in group), page=group[0].page)
        )
        i += more + 1
    return out
