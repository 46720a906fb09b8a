"""Table cells from ruling lines: the geometry half of the PDF reader, free of any PDF library.

A ruled table is a set of horizontal and vertical segments. Each connected group of segments is
one table; its distinct x and y positions cut it into base cells, and two neighbouring base cells
are one (merged) cell when no segment separates them. This is how a reader sees a table: by its
lines, not by guessing columns from the gaps in flattened text.

Coordinates are PDF points with y growing downwards (top of page = 0), so rows sort top-down.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

# Two rules closer than this are the same rule (double strokes, rounding in the producer).
SNAP = 2.0
# A segment shorter than this is a tick or a dot, not a rule.
MIN_LENGTH = 4.0
# How far a segment may fall short of a crossing and still count as touching it.
TOUCH = 2.5


@dataclass(frozen=True)
class Segment:
    """An axis-aligned rule: horizontal when y0 == y1, vertical when x0 == x1."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) < abs(self.x1 - self.x0)


@dataclass
class Cell:
    row: int  # first grid row
    col: int  # first grid column
    row_end: int  # last grid row (inclusive)
    col_end: int  # last grid column (inclusive)
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Grid:
    xs: list[float]  # column boundaries, left to right
    ys: list[float]  # row boundaries, top to bottom
    cells: list[Cell] = field(default_factory=list)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


def segments_from_box(x0: float, top: float, x1: float, bottom: float, thin: float = 3.0) -> list[Segment]:
    """A drawn rectangle as rules: a thin one is a single rule, a larger one is four cell borders."""
    w, h = x1 - x0, bottom - top
    if h <= thin and w > h:
        y = (top + bottom) / 2
        return [Segment(x0, y, x1, y)]
    if w <= thin and h > w:
        x = (x0 + x1) / 2
        return [Segment(x, top, x, bottom)]
    return [
        Segment(x0, top, x1, top),
        Segment(x0, bottom, x1, bottom),
        Segment(x0, top, x0, bottom),
        Segment(x1, top, x1, bottom),
    ]


def _cluster(values: list[float]) -> list[float]:
    """Sorted positions with near-duplicates (within SNAP) replaced by their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _snap(v: float, grid: list[float]) -> float:
    # grid is short (tens of positions); a linear scan is simpler than bisect and as fast here
    return min(grid, key=lambda g: abs(g - v))


def _merge(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Union of 1-D intervals, joining those that touch within TOUCH."""
    out: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + TOUCH:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _groups(segs: list[Segment]) -> list[list[Segment]]:
    """Connected groups of segments: a horizontal and a vertical rule that cross are one table."""
    hs = [i for i, s in enumerate(segs) if s.horizontal]
    vs = [i for i, s in enumerate(segs) if not s.horizontal]
    u = _Union(len(segs))
    # Sorting the verticals by x lets each horizontal look only at the verticals within its span.
    vs.sort(key=lambda i: segs[i].x0)
    vx = [segs[i].x0 for i in vs]
    for i in hs:
        h = segs[i]
        lo = bisect.bisect_left(vx, min(h.x0, h.x1) - TOUCH)
        hi = bisect.bisect_right(vx, max(h.x0, h.x1) + TOUCH)
        for j in vs[lo:hi]:
            v = segs[j]
            if min(v.y0, v.y1) - TOUCH <= h.y0 <= max(v.y0, v.y1) + TOUCH:
                u.join(i, j)
    groups: dict[int, list[Segment]] = {}
    for i, s in enumerate(segs):
        groups.setdefault(u.find(i), []).append(s)
    return list(groups.values())


def _covered(spans: list[tuple[float, float]], a: float, b: float) -> bool:
    """Whether the merged spans cover most of [a, b] (a border drawn with small gaps still counts)."""
    need = (b - a) * 0.6
    got = sum(max(0.0, min(hi, b) - max(lo, a)) for lo, hi in spans)
    return got >= need


def grid_from_segments(segs: list[Segment]) -> Grid | None:
    """One table's grid, or None when the segments do not enclose at least one cell."""
    hs = [s for s in segs if s.horizontal]
    vs = [s for s in segs if not s.horizontal]
    if len(hs) < 2 or len(vs) < 2:
        return None
    ys = _cluster([s.y0 for s in hs])
    xs = _cluster([s.x0 for s in vs])
    if len(ys) < 2 or len(xs) < 2:
        return None
    h_spans: dict[float, list[tuple[float, float]]] = {y: [] for y in ys}
    for s in hs:
        h_spans[_snap(s.y0, ys)].append((min(s.x0, s.x1), max(s.x0, s.x1)))
    v_spans: dict[float, list[tuple[float, float]]] = {x: [] for x in xs}
    for s in vs:
        v_spans[_snap(s.x0, xs)].append((min(s.y0, s.y1), max(s.y0, s.y1)))
    h_merged = {y: _merge(sp) for y, sp in h_spans.items()}
    v_merged = {x: _merge(sp) for x, sp in v_spans.items()}

    # Drop outer positions that bound nothing (a stray rule beside the table).
    n_r, n_c = len(ys) - 1, len(xs) - 1
    u = _Union(n_r * n_c)
    for r in range(n_r):
        for c in range(n_c):
            if c + 1 < n_c and not _covered(v_merged[xs[c + 1]], ys[r], ys[r + 1]):
                u.join(r * n_c + c, r * n_c + c + 1)
            if r + 1 < n_r and not _covered(h_merged[ys[r + 1]], xs[c], xs[c + 1]):
                u.join(r * n_c + c, (r + 1) * n_c + c)
    boxes: dict[int, list[int]] = {}
    for r in range(n_r):
        for c in range(n_c):
            root = u.find(r * n_c + c)
            b = boxes.setdefault(root, [r, c, r, c])
            b[0], b[1] = min(b[0], r), min(b[1], c)
            b[2], b[3] = max(b[2], r), max(b[3], c)
    cells: list[Cell] = []
    for r0, c0, r1, c1 in boxes.values():
        # A region with no border above or on the left is outside the table (an open margin).
        top_ok = _covered(h_merged[ys[r0]], xs[c0], xs[c1 + 1])
        left_ok = _covered(v_merged[xs[c0]], ys[r0], ys[r1 + 1])
        if not (top_ok or left_ok):
            continue
        cells.append(Cell(r0, c0, r1, c1, xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
    if not cells:
        return None
    cells.sort(key=lambda c: (c.row, c.col))
    return Grid(xs=xs, ys=ys, cells=cells)


def find_grids(segs: list[Segment]) -> list[Grid]:
    """Every ruled table on a page, top to bottom."""
    long_enough = [
        s for s in segs if max(abs(s.x1 - s.x0), abs(s.y1 - s.y0)) >= MIN_LENGTH
    ]
    grids = [g for g in (grid_from_segments(group) for group in _groups(long_enough)) if g is not None]
    # A grid needs at least two rows or two columns of cells to be a table rather than a box.
    grids = [g for g in grids if len(g.cells) >= 2]
    grids.sort(key=lambda g: (g.ys[0], g.xs[0]))
    return grids
