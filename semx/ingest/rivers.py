"""Column rules for a table drawn with horizontal rules only: found in the white space of its text.

Word processors and spreadsheets often print a table with a rule under every row and none
between the columns (a "three-line" or open style). The rows are then known from the rules, and
the columns from the rivers of white space that run down every row: a vertical rule is drawn
in each river, for each row the text of which does not cross it, so a cell whose text spans
several columns (a merged cell) stays one cell. The result goes through the same grid code as a
fully ruled table. Geometry only: characters are boxes with x0, x1, top and bottom.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Protocol

from semx.ingest.grid import MIN_LENGTH, Segment

# Horizontal rules belong to one open table when both their ends agree within this (points).
_SAME_EXTENT = 3.0
# An open table needs this many rules (at least two rows between them).
_MIN_RULES = 3
# A river must be at least this share of the text height wide: the padding between two cells,
# wider than the space between two characters of one word.
_MIN_RIVER = 0.4
# A river must be free in this share of the band's rows that hold text; a narrower column left
# empty in most rows is split out again from the all-free parts inside it.
_RIVER_SHARE = 0.75
_BIN = 0.5  # resolution of the white-space profile (points)


class Box(Protocol):
    x0: float
    x1: float
    top: float
    bottom: float


def _bands(horizontals: list[Segment]) -> list[list[Segment]]:
    """Rules of the same extent, top to bottom, grouped: each group an open table's row rules."""
    groups: list[list[Segment]] = []
    for h in sorted(horizontals, key=lambda s: (round(s.x0), round(s.x1), s.y0)):
        for g in groups:
            if abs(g[0].x0 - h.x0) <= _SAME_EXTENT and abs(g[0].x1 - h.x1) <= _SAME_EXTENT:
                if abs(g[-1].y0 - h.y0) > 1.0:  # a double stroke is one rule
                    g.append(h)
                break
        else:
            groups.append([h])
    return [sorted(g, key=lambda s: s.y0) for g in groups if len(g) >= _MIN_RULES]


def _free_runs(free: list[bool], start: float) -> list[tuple[float, float]]:
    runs: list[tuple[float, float]] = []
    k = 0
    while k < len(free):
        if not free[k]:
            k += 1
            continue
        j = k
        while j < len(free) and free[j]:
            j += 1
        runs.append((start + k * _BIN, start + j * _BIN))
        k = j
    return runs


def _separators(rows: list[list[Box]], x0: float, x1: float) -> list[float]:
    """x positions of the column rivers inside [x0, x1] for rows of character boxes."""
    n = int((x1 - x0) / _BIN) + 1
    covered_rows: list[list[bool]] = []
    heights: list[float] = []
    for chars in rows:
        if not chars:
            continue
        cov = [False] * n
        for c in chars:
            lo = max(0, int((c.x0 - x0) / _BIN))
            hi = min(n, int((c.x1 - x0) / _BIN) + 1)
            for k in range(lo, hi):
                cov[k] = True
            heights.append(c.bottom - c.top)
        covered_rows.append(cov)
    if len(covered_rows) < 2 or not heights:
        return []
    height = sorted(heights)[len(heights) // 2]
    need = _RIVER_SHARE * len(covered_rows)
    free_count = [sum(1 for cov in covered_rows if not cov[k]) for k in range(n)]
    mostly = [f >= need for f in free_count]
    always = [f == len(covered_rows) for f in free_count]
    # Only the white space between text counts: the margins left and right of all text do not.
    first = min(k for cov in covered_rows for k in range(n) if cov[k])
    last = max(k for cov in covered_rows for k in range(n) if cov[k])
    out: list[float] = []
    lo_edge, hi_edge = x0 + first * _BIN, x0 + last * _BIN
    for a, b in _free_runs(mostly, x0):
        if b - a < _MIN_RIVER * height:
            continue
        inner = [(p, q) for p, q in _free_runs(always, x0)
                 if p >= a and q <= b and q - p >= _MIN_RIVER * height and p > lo_edge and q < hi_edge]
        if a <= lo_edge or b >= hi_edge:
            # White space in most rows that reaches the margin: a first or last column filled in
            # few rows lies inside it, apart from its neighbour by a river free in every row.
            out.extend((p + q) / 2 for p, q in inner)
            continue
        if len(inner) >= 2:  # a column empty in most rows lies between two rivers
            out.extend((p + q) / 2 for p, q in inner)
            continue
        # The rule goes where most rows leave the river free, and of those places the rightmost:
        # cells are mostly left-aligned, so a long text that nearly fills its cell reaches far
        # into the river from the left while the next column's text starts at its right edge.
        ka, kb = int((a - x0) / _BIN), int((b - x0) / _BIN)
        best = max(free_count[ka:kb])
        k = max(j for j in range(ka, kb) if free_count[j] == best)
        out.append(x0 + k * _BIN)
    return out


def open_table_rules(segments: Sequence[Segment], chars: Sequence[Box]) -> list[Segment]:
    """Vertical rules for the tables ruled by horizontal rules only (none when there are none):
    the two outer edges and, per row, a rule in each column river the row's text leaves free."""
    long_h = [s for s in segments if s.horizontal and s.x1 - s.x0 >= MIN_LENGTH]
    verticals = [s for s in segments if not s.horizontal and s.y1 - s.y0 >= MIN_LENGTH]
    # Rules that meet a vertical belong to a ruled grid already.
    lone = [h for h in long_h
            if not any(v.x0 - 2.5 <= h.x0 <= v.x0 + 2.5 or v.x0 - 2.5 <= h.x1 <= v.x0 + 2.5
                       for v in verticals if v.y0 - 2.5 <= h.y0 <= v.y1 + 2.5)]
    out: list[Segment] = []
    for band in _bands(lone):
        left, right = band[0].x0, band[0].x1
        top, bottom = band[0].y0, band[-1].y0
        inside = [c for c in chars
                  if left <= (c.x0 + c.x1) / 2 <= right and top <= (c.top + c.bottom) / 2 <= bottom]
        if not inside:
            continue
        ys = [h.y0 for h in band]
        rows: list[list[Box]] = [[] for _ in range(len(ys) - 1)]
        for c in inside:
            cy = (c.top + c.bottom) / 2
            for r in range(len(ys) - 1):
                if ys[r] <= cy <= ys[r + 1]:
                    rows[r].append(c)
                    break
        for lo, hi in _parts(rows, left, right):
            part = rows[lo:hi]
            seps = _separators(part, left, right)
            if not seps or not all(_cells_whole(row, [left, *seps, right]) for row in part):
                continue
            out.append(Segment(left, ys[lo], left, ys[hi]))
            out.append(Segment(right, ys[lo], right, ys[hi]))
            for r, row in enumerate(part, start=lo):
                for x in seps:
                    if not any(c.x0 < x < c.x1 for c in row):
                        out.append(Segment(x, ys[r], x, ys[r + 1]))
    return out


def _cells_whole(row: list[Box], edges: list[float]) -> bool:
    """Whether every cell the rules make of a row holds one cell's text: a row whose text runs over
    a rule is one merged cell there, and a merged cell is one run of text. Two runs apart by a
    river inside it are two cells the rivers failed to part (a figure glued to its label): the
    columns are then not trusted at all, and the rows stay free lines."""
    crossed = [x for x in edges[1:-1] if any(c.x0 < x < c.x1 for c in row)]
    kept = [edges[0], *(x for x in edges[1:-1] if x not in crossed), edges[-1]]
    for a, b in itertools.pairwise(kept):
        inside = [c for c in row if a <= (c.x0 + c.x1) / 2 <= b]
        if inside and any(a < x < b for x in crossed) and not _one_run(inside):
            return False
    return True


def _paragraphs(row: list[Box]) -> bool:
    """Whether a row's lines stand a blank line apart: paragraphs between two tables (a heading, the
    title, the unit line), not the wrapped lines of a cell, which follow each other closely."""
    chars = sorted(row, key=lambda c: c.top)
    height = max(c.bottom - c.top for c in chars)
    bottom = chars[0].bottom
    for c in chars[1:]:
        if c.top - bottom >= height:
            return True
        bottom = max(bottom, c.bottom)
    return False


def _one_run(row: list[Box]) -> bool:
    """Whether a row's text is one run, no gap in it as wide as a river (a title, a sentence)."""
    chars = sorted(row, key=lambda c: c.x0)
    height = max(c.bottom - c.top for c in chars)
    reach = chars[0].x1
    for c in chars[1:]:
        if c.x0 - reach >= _MIN_RIVER * height:
            return False
        reach = max(reach, c.x1)
    return True


def _parts(rows: list[list[Box]], left: float, right: float) -> list[tuple[int, int]]:
    """The band's rows cut into tables (row ranges [lo, hi)) at the rows that are not table rows:
    two tables of the same width, one under the other, are ruled alike, and the title or unit
    line between them sits in a band row of its own, or the space between them is an empty row.
    A title row is one run of text that starts
    at the band's left text edge and runs across a column river of the rows around it (a cell
    of the first column stays inside its column; a row continued from the page before, or the
    wrapped text of one cell, does not start at the left edge)."""
    starts = [min(c.x0 for c in row) for row in rows if row]
    if not starts:
        return []
    text_left = min(starts)
    seps = _separators(rows, left, right)
    out: list[tuple[int, int]] = []
    lo = 0
    for r, row in enumerate(rows):
        if not row:
            # An empty row between two runs of rows may part two tables whose columns differ; each
            # side keeps its rows as a table when it has at least two.
            if r - lo >= 2 and len(rows) - r - 1 >= 2:
                out.append((lo, r))
                lo = r + 1
            continue
        if not _one_run(row):
            continue
        height = max(c.bottom - c.top for c in row)
        x0, x1 = min(c.x0 for c in row), max(c.x1 for c in row)
        if (x0 <= text_left + 1.5 * height and any(x0 < x < x1 for x in seps)) or _paragraphs(row):
            if r - lo >= 2:
                out.append((lo, r))
            lo = r + 1
    if len(rows) - lo >= 2:
        out.append((lo, len(rows)))
    return out

