"""Which 一级 / 二级 category each indicator row falls under, from where the merged cells print them.

A merged category cell covers a block of indicator rows but its text is printed once:
- in the block's first row (a PDF grid, a DOCX table, the tab layouts): it carries down until the
  next label of its level (a new 一级 clears the 二级 unless its row names one);
- in the middle of the block (text extractions that follow the page: `pdftotext -layout`, and any
  reader that rebuilds rows from it): the label sits on the block's centre line, often on a line
  of its own, and a long label wraps into two pieces above and below the centre.
The second case is recognised by its first indicator row having no category when read top-down;
each block then ends where its label is the centre (end = 2 × label line − start), snapped to the
nearest end of an indicator row that keeps the next label in the next block.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from semx.targets.text import squash
from semx.vocab.categories import (
    LEVEL1_VALUES,
    LEVEL2_BY_LEVEL1,
    LEVEL2_VALUES,
    normalize_level1,
    normalize_level2,
)

# Known category names by level; a label that is only a piece of one is a wrapped label.
CATEGORY_NAMES: dict[int, tuple[str, ...]] = {
    1: LEVEL1_VALUES,
    2: (*LEVEL2_VALUES, "经济成本指标", "社会成本指标", "生态环境成本指标"),
}


@dataclass
class Label:
    level: int  # 1 or 2
    text: str
    line: float  # source line (the mean of the lines of a label wrapped in pieces)
    row: int  # index of the indicator read so far when the label was met (the next indicator's index)
    optional: bool = False  # a reading of a shared piece that the placement may leave unused


@dataclass
class Extent:
    first: float  # source line where the indicator's row starts (a half line: see _on_page)
    last: float  # source line where its last wrapped piece ends


def _known(level: int, text: str) -> bool:
    t = squash(text)
    if level == 1:
        return normalize_level1(t) in CATEGORY_NAMES[1]
    return normalize_level2(t) in CATEGORY_NAMES[2] or t in CATEGORY_NAMES[2]


def _piece(level: int, text: str) -> bool:
    t = squash(text)
    return not _known(level, t) and any(t != n and (n.startswith(t) or n.endswith(t)) for n in CATEGORY_NAMES[level])


def _join_pieces(labels: list[Label]) -> list[Label]:
    """`服务对象满意` … `度指标` within two lines of each other: one label when only together known."""
    out: list[Label] = []
    for lab in labels:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.level == lab.level
            and lab.line - prev.line <= 2
            and not (_known(lab.level, prev.text) and _known(lab.level, lab.text))
            and _known(lab.level, prev.text + lab.text)
        ):
            out[-1] = Label(lab.level, squash(prev.text + lab.text), (prev.line + lab.line) / 2, prev.row)
            continue
        out.append(lab)
    # A piece left over (its other half lost) labels nothing.
    return [lab for lab in out if not _piece(lab.level, lab.text)]


def _shared_level1(labels: list[Label], ones: list[Label]) -> list[Label]:
    """A 一级 printed on the same line as the last piece of a wrapped 二级 that ends in the same
    words (`生态环境` / row / `成本指标`: 一级 成本指标 beside 二级 生态环境成本指标) is printed once in
    text; when no such 一级 is read elsewhere, the shared piece is also offered as the 一级."""
    have = {_name(1, lab.text) for lab in ones}
    out: list[Label] = []
    twos = [lab for lab in labels if lab.level == 2]
    for prev, lab in itertools.pairwise(twos):
        tail = squash(lab.text)
        level1 = normalize_level1(tail)
        if (
            level1 in CATEGORY_NAMES[1]
            and level1 not in have
            and lab.line - prev.line <= 2
            and _piece(2, prev.text)
            and _known(2, prev.text + lab.text)
        ):
            out.append(Label(1, tail, lab.line, lab.row, optional=True))
            have.add(level1)
    return out


def _level_of(text: str) -> int | None:
    for level in (1, 2):
        if _known(level, text):
            return level
    return None


def _prefix(text: str) -> bool:
    t = squash(text)
    return any(n.startswith(t) for level in (1, 2) for n in CATEGORY_NAMES[level])


def _join_across_levels(labels: list[Label]) -> list[Label]:
    """Pieces of wrapped labels joined into known names, whichever level each piece was first
    taken for: a 二级 and the 一级 beside it wrap at the same lines and their pieces interleave
    (`服务对象` / `满意度指` / `满意度指` / `标` / `标`: 服务对象满意度指标 and 满意度指标). Each piece
    that starts a name takes the nearest following pieces (at most two lines apart) that carry it
    on until the name is whole; a known label stays as it is unless it ends a piece's name
    (`生态环境` + `成本指标`); pieces that make no name are dropped."""
    order = sorted(range(len(labels)), key=lambda k: labels[k].line)
    used: set[int] = set()
    out: list[Label] = []
    for pos, k in enumerate(order):
        lab = labels[k]
        whole = _known(lab.level, lab.text)  # `社会效益` is a name by itself and the head of 社会效益指标
        if k in used or not any(n.startswith(squash(lab.text)) and n != squash(lab.text) for level in (1, 2) for n in CATEGORY_NAMES[level]):
            continue
        chain, text, last = [k], squash(lab.text), lab.line
        for k2 in order[pos + 1 :]:
            other = labels[k2]
            if other.line - last > 2:
                break
            if k2 in used or k2 in chain or (whole and _known(other.level, other.text)):
                continue
            cand = text + squash(other.text)
            if _prefix(cand) or _level_of(cand):
                chain.append(k2)
                text, last = cand, other.line
                if _level_of(text) and not any(
                    n != text and n.startswith(text) for n in (*CATEGORY_NAMES[1], *CATEGORY_NAMES[2])
                ):
                    break
        level = _level_of(text)
        if level is not None and len(chain) > 1:
            used.update(chain)
            lines = [labels[c].line for c in chain]
            out.append(Label(level, text, sum(lines) / len(lines), labels[chain[0]].row))
    for k, lab in enumerate(labels):
        if k not in used and not _piece(lab.level, lab.text):
            out.append(lab)
    return sorted(out, key=lambda lab: lab.line)


def _name(level: int, text: str) -> str:
    # 一级 normalised (效果指标 -> 效益指标, like the other layouts); 二级 as printed, wrapping removed.
    return (normalize_level1(squash(text)) or "") if level == 1 else squash(text)


def _top_down(n: int, labels: list[Label], level: int) -> list[str | None]:
    out: list[str | None] = [None] * n
    current: str | None = None
    starts = {lab.row: _name(level, lab.text) for lab in labels}
    for k in range(n):
        current = starts.get(k, current)
        out[k] = current
    return out


def _centred(extents: list[Extent], rows: list[int], labels: list[Label]) -> dict[int, int]:
    """Blocks of `rows` (indicator indices, in order) around labels printed at their centre:
    indicator index -> index of its label."""
    out: dict[int, int] = {}
    if not rows or not labels:
        return out
    pos = 0
    start = extents[rows[0]].first
    for j, lab in enumerate(labels):
        if pos >= len(rows):
            break
        if j == len(labels) - 1:
            end = len(rows) - 1
        else:
            nxt = labels[j + 1].line
            target = 2 * lab.line - start
            fits = [m for m in range(pos, len(rows)) if extents[rows[m]].last < nxt]
            near = [m for m in fits if extents[rows[m]].last >= lab.line - 1]
            cands = near or fits or [pos]
            end = min(cands, key=lambda m: (abs(extents[rows[m]].last - target), m))
        for m in range(pos, end + 1):
            out[rows[m]] = j
        pos = end + 1
        if pos < len(rows):
            start = extents[rows[pos]].first
    return out


def _fits(level1: str | None, level2: str | None) -> bool:
    """Whether a 二级 category belongs under the 一级 (成本 categories under 成本指标 or, older, 产出指标)."""
    l1 = normalize_level1(squash(level1 or ""))
    l2 = squash(level2 or "")
    if not l1 or not l2:
        return False
    if l2.endswith("成本指标"):
        return l1 in ("成本指标", "产出指标")
    return (normalize_level2(l2) or l2) in LEVEL2_BY_LEVEL1.get(l1, ())


def _on_page(extents: list[Extent], labels: list[Label], beside: frozenset[int]) -> tuple[list[Extent], list[Label]]:
    """Extents and labels in lines as printed on the page: a line that holds only a cell printed
    beside the middle of a cell wrapped around it (a value between its name's two lines) is no line
    of its own there, so it and every line below move up (it by half a line). A label is centred on
    its block as printed, not as counted in text lines."""
    if not beside:
        return extents, labels
    marks = sorted(beside)

    def y(line: float) -> float:
        return line - sum(1 for b in marks if b < line) - (0.5 if line in beside else 0)

    return [Extent(y(e.first), y(e.last)) for e in extents], [Label(lab.level, lab.text, y(lab.line), lab.row, lab.optional) for lab in labels]


def assign_categories(
    extents: list[Extent], labels: list[Label], beside: frozenset[int] = frozenset()
) -> list[tuple[str | None, str | None]]:
    """(一级, 二级) of each indicator.

    Where the labels are printed (each block's first row, or its centre line) is told by the first
    indicator row having a 一级 or not; a block of one row has it both ways, so when it opens the
    form both readings are made and the one that puts more 二级 under their own 一级 is kept.
    """
    extents, labels = _on_page(extents, labels, beside)
    n = len(extents)
    joined = _join_across_levels(labels)
    ones = [lab for lab in joined if lab.level == 1]
    twos = [lab for lab in joined if lab.level == 2]
    ones = sorted(ones + _shared_level1(labels, ones), key=lambda lab: lab.line)
    level1 = _top_down(n, ones, 1)
    if not n or not ones:
        return _carried(n, level1, ones, twos)
    if level1[0] is not None:
        carried = _carried(n, level1, ones, twos)
        centred = _centred_categories(extents, n, ones, twos)
        if sum(_fits(a, b) for a, b in centred) > sum(_fits(a, b) for a, b in carried):
            return centred
        return carried
    return _centred_categories(extents, n, ones, twos)


def _carried(
    n: int, level1: list[str | None], ones: list[Label], twos: list[Label]
) -> list[tuple[str | None, str | None]]:
    """Printed in each block's first row: carry down; a new 一级 clears the 二级."""
    level2: list[str | None] = [None] * n
    current: str | None = None
    twos_at = {lab.row: _name(2, lab.text) for lab in twos}
    ones_at = {lab.row for lab in ones}
    for k in range(n):
        if k in ones_at:
            current = None
        current = twos_at.get(k, current)
        level2[k] = current
    return list(zip(level1, level2, strict=True))


# Costs of a reading of centred labels, in source lines: how far a label sits from the centre of its
# block, plus these for what the vocabulary says is wrong (a 二级 printed inside a 一级 block it does
# not belong to) or for a label left without rows.
_MISFIT = 3.0
_UNUSED = 4.0
_INF = float("inf")


def _centre(extents: list[Extent], s: int, e: int) -> float:
    return (extents[s].first + extents[e].last) / 2


def _partition_tables(
    extents: list[Extent], s: int, e: int, labels: list[Label]
) -> tuple[list[list[float]], list[list[tuple[int, bool]]]]:
    """best[k][i]: least cost of rows s..s+i-1 cut into blocks for labels 0..k-1 in order (a label
    may go unused at a cost), each label's cost its distance from its block's centre."""
    m = e - s + 1
    k_n = len(labels)
    best = [[_INF] * (m + 1) for _ in range(k_n + 1)]
    back: list[list[tuple[int, bool]]] = [[(0, False)] * (m + 1) for _ in range(k_n + 1)]
    best[0][0] = 0.0
    firsts = [extents[s + r].first for r in range(m)]
    lasts = [extents[s + r].last for r in range(m)]
    for k in range(1, k_n + 1):
        line = labels[k - 1].line
        prev, row, bk = best[k - 1], best[k], back[k]
        for i in range(m + 1):
            if prev[i] + _UNUSED < row[i]:
                row[i], bk[i] = prev[i] + _UNUSED, (i, False)
            if i == 0:
                continue
            last = lasts[i - 1]
            for j in range(i):
                if prev[j] == _INF:
                    continue
                c = prev[j] + abs((firsts[j] + last) / 2 - line)
                if c < row[i]:
                    row[i], bk[i] = c, (j, True)
    return best, back


def _partition_costs(extents: list[Extent], s: int, e: int, labels: list[Label]) -> list[list[float]]:
    return _partition_tables(extents, s, e, labels)[0]


def _partition(
    extents: list[Extent], s: int, e: int, labels: list[Label]
) -> tuple[float, list[int]]:
    """Rows s..e cut into one block per label (in order) so that each label is nearest its block's
    centre; a label may go unused at a cost. Returns (cost, label index of each row or -1)."""
    m = e - s + 1
    if not labels:
        return 0.0, [-1] * m
    k_n = len(labels)
    best, back = _partition_tables(extents, s, e, labels)
    if best[k_n][m] == _INF:
        return _INF, [-1] * m
    owner = [-1] * m
    i = m
    for k in range(k_n, 0, -1):
        j, used = back[k][i]
        if used:
            for r in range(j, i):
                owner[r] = k - 1
        i = j
    return best[k_n][m], owner


def _centred_categories(
    extents: list[Extent], n: int, ones: list[Label], twos: list[Label]
) -> list[tuple[str | None, str | None]]:
    """Printed at each block's centre line: 一级 blocks and the 二级 blocks inside them chosen
    together, each label as near its block's centre as the rows allow, a 二级 printed inside the
    block of a 一级 it does not belong to counting against the reading (vocabulary)."""
    # An optional 一级 (a shared piece, see _shared_level1) is kept only where it reads better
    # than going without it, at a small cost so that a tie goes to the piece's printed place.
    best: tuple[float, list[tuple[str | None, str | None]]] | None = None
    optional = [k for k, lab in enumerate(ones) if lab.optional]
    for mask in range(1 << len(optional)):
        dropped = {optional[b] for b in range(len(optional)) if mask >> b & 1}
        kept = [lab for k, lab in enumerate(ones) if k not in dropped]
        cost, out = _place(extents, n, kept, twos)
        cost += _UNUSED / 8 * len(dropped)
        if best is None or cost < best[0]:
            best = (cost, out)
    return best[1] if best is not None else [(None, None)] * n


def _place(
    extents: list[Extent], n: int, ones: list[Label], twos: list[Label]
) -> tuple[float, list[tuple[str | None, str | None]]]:
    if n == 0 or not ones or len(ones) > n:
        return _INF, [(None, None)] * n

    def span_labels(s: int, e: int) -> list[Label]:
        # a 二级 printed between two blocks belongs to the one whose rows it is nearer
        lo = (extents[s - 1].last + extents[s].first) / 2 if s > 0 else -_INF
        hi = (extents[e].last + extents[e + 1].first) / 2 if e + 1 < n else _INF
        return [lab for lab in twos if lo <= lab.line < hi]

    # The 二级 partition of every block s..e, one table per first row s (the labels inside a block
    # are a run of the sorted 二级 that only grows with e): cost[s][e].
    inner: dict[tuple[int, int], float] = {}
    for s in range(n):
        inside = span_labels(s, n - 1)
        table = _partition_costs(extents, s, n - 1, inside)
        for e in range(s, n):
            k = len(span_labels(s, e))
            inner[(s, e)] = table[k][e - s + 1] if k else 0.0  # no 二级 inside: its rows have none

    def block_cost(j: int, s: int, e: int) -> float:
        inside = span_labels(s, e)
        misfit = sum(not _fits(_name(1, ones[j].text), _name(2, lab.text)) for lab in inside)
        return abs(_centre(extents, s, e) - ones[j].line) + inner[(s, e)] + _MISFIT * misfit

    j_n = len(ones)
    # dp[j][e]: rows 0..e covered by 一级 labels 0..j
    dp = [[_INF] * n for _ in range(j_n)]
    back: list[list[int]] = [[-1] * n for _ in range(j_n)]
    for j in range(j_n):
        for e in range(j, n - (j_n - 1 - j)):
            for s in range(j, e + 1):
                prev = 0.0 if s == 0 else (dp[j - 1][s - 1] if j > 0 else _INF)
                if prev == _INF or (j == 0 and s != 0):
                    continue
                c = prev + block_cost(j, s, e)
                if c < dp[j][e]:
                    dp[j][e], back[j][e] = c, s
    if dp[j_n - 1][n - 1] == _INF:
        return _INF, [(None, None)] * n
    out: list[tuple[str | None, str | None]] = [(None, None)] * n
    e = n - 1
    for j in range(j_n - 1, -1, -1):
        s = back[j][e]
        inside = span_labels(s, e)
        _, owner = _partition(extents, s, e, inside)
        for r in range(s, e + 1):
            k = owner[r - s]
            out[r] = (_name(1, ones[j].text), _name(2, inside[k].text) if k >= 0 else None)
        e = s - 1
    return dp[j_n - 1][n - 1], out
