"""Put the figures of a coded row whose empty cells vanished back under their columns.

Text extractors that flatten a row with spaces drop its empty cells: `208 08 抚恤 294,000 294,000`
under 合计 / 基本支出 / 项目支出 prints 294,000 twice and not which column the second one is in.
Reading the figures from the left is right for a row that is only cut short and wrong for the
rest. The table's own arithmetic settles it: a parent row's column is the sum of its children's,
and 合计 is the sum of the row's parts. A group of rows (one parent, its children) is changed only
when the reading from the left breaks one of those sums and exactly one placement of its short
rows keeps all of them; otherwise the rows stay as read, so nothing is guessed.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal

from semx.models import Table, TableRow
from semx.vocab.columns import SPLIT_COLUMNS

_MAX_COMBOS = 4096
_ZERO = Decimal(0)


def _amount(cell: object) -> Decimal:
    return cell if isinstance(cell, Decimal) else _ZERO


def _short(row: TableRow, width: int) -> int:
    """How many figures a row prints from its first value column on, when the rest are blank."""
    raw = row.raw[:width] + [""] * (width - len(row.raw))
    k = 0
    while k < width and raw[k].strip():
        k += 1
    if k == 0 or k == width or any(r.strip() for r in raw[k:]):
        return 0
    if any(not isinstance(c, Decimal) for c in row.cells[:k]):
        return 0
    return k


def _figures(row: TableRow, width: int, loose: bool) -> list[tuple[object, str]]:
    """The row's printed figures in order, (cell, raw), when they may stand in other columns.

    A short row (figures from the first column on, blanks after) always may; with `loose` any row
    whose value cells are figures or blank may, wherever it printed them.
    """
    k = _short(row, width)
    if k:
        return [(row.cells[j], row.raw[j]) for j in range(k)]
    if not loose:
        return []
    raw = row.raw[:width] + [""] * (width - len(row.raw))
    out: list[tuple[object, str]] = []
    for j in range(width):
        if not raw[j].strip():
            continue
        cell = row.cells[j] if j < len(row.cells) else None
        if not isinstance(cell, Decimal):
            return []
        out.append((cell, raw[j]))
    return out if 0 < len(out) < width else []


def _placements(figs: list[tuple[object, str]], width: int, total: bool) -> list[tuple[int, ...]]:
    """Column positions the printed figures can stand in, in order; 合计 is printed first."""
    figures = [_amount(c) for c, _ in figs]
    out: list[tuple[int, ...]] = []
    for pos in itertools.combinations(range(width), len(figs)):
        if total and pos[0] != 0:
            continue
        if total:
            parts = sum((f for p, f in zip(pos, figures) if p != 0), _ZERO)
            slack = sum((_half_unit(c) for c, _ in figs), _ZERO)  # 457.86 = 454.06 + 3.79, rounded
            if abs(parts - figures[0]) > slack:
                continue
        out.append(pos)
    return out


def _moved(row: TableRow, pos: tuple[int, ...], figs: Sequence[tuple[object, str]], width: int) -> TableRow:
    cells: list[object] = [None] * width
    raw = [""] * width
    for p, (c, r) in zip(pos, figs):
        cells[p] = c
        raw[p] = r
    return row.model_copy(update={"cells": cells + list(row.cells[width:]), "raw": raw + list(row.raw[width:])})


def _parent_code(code: str) -> str | None:
    return code[:-2] if len(code) in (5, 7) else None


def _half_unit(cell: object) -> Decimal:
    """Half a unit of the figure's last printed digit: how far its rounding may have moved it."""
    if not isinstance(cell, Decimal):
        return _ZERO
    exp = cell.as_tuple().exponent
    return Decimal(1).scaleb(exp) / 2 if isinstance(exp, int) else _ZERO


def _sums_hold(parent: TableRow, children: list[TableRow], width: int) -> bool:
    """Each column of the parent is the sum of its children's, up to the rounding of the printed
    figures (twelve items rounded to 0.01 万元 may miss their printed total by a few 0.01)."""
    for j in range(width):
        cells = [parent.cells[j], *(c.cells[j] for c in children)]
        slack = sum((_half_unit(c) for c in cells), _ZERO)
        if abs(_amount(parent.cells[j]) - sum((_amount(c.cells[j]) for c in children), _ZERO)) > slack:
            return False
    return True


def place_vanished(
    rows: list[TableRow], columns: list[str], cut: set[int] | None = None, *, loose: bool = False
) -> list[TableRow]:
    """The rows with short rows moved where the table's sums put them (see module doc).

    cut: indices of the rows printed with fewer cells than the header has columns; only those can
    have lost cells (a row of the tab layouts keeps its blank cells where they are). None: any row.
    loose: the rows were placed by position in text laid out anew on every page (`pdftotext
    -layout`), so any row with a blank cell can have its figures in the wrong columns.
    """
    width = len(columns)
    if width < 3:
        return rows
    total = columns[0] in ("合计", "小计", "总计")
    out = list(rows)
    by_code = {r.code: i for i, r in enumerate(out) if r.code}
    children: dict[int, list[int]] = {}
    total_row = next((i for i, r in enumerate(out) if not r.code and r.name and "合计" in r.name), None)
    for i, r in enumerate(out):
        if not r.code:
            continue
        parent = _parent_code(r.code)
        if parent is None and len(r.code) == 3 and total_row is not None:
            children.setdefault(total_row, []).append(i)
        elif parent is not None and parent in by_code:
            children.setdefault(by_code[parent], []).append(i)
    # parents before their children: the 合计 row, then 类, 款
    order = sorted(children, key=lambda i: len(out[i].code or ""))
    settled: set[int] = set()  # rows whose place their parent's group decided
    if total_row is not None:
        # the 合计 row heads every group: when it lost blanks too, its figures are read from the left
        # (the columns a table fills are its first ones) and the rows under it placed by its sums
        settled.add(total_row)
    for p in order:
        kids = children[p]
        group = [p, *kids]
        if _sums_hold(out[p], [out[i] for i in kids], width):
            settled.update(kids)
            continue
        options: list[list[tuple[int, ...] | None]] = []
        figs: list[list[tuple[object, str]]] = []
        for i in group:
            movable = (loose or cut is None or i in cut) and i not in settled
            f = _figures(out[i], width, loose) if movable else []
            figs.append(f)
            placements: list[tuple[int, ...] | None] = [*_placements(f, width, total)] if f else [None]
            options.append(placements)
        if options[0] == [None] and all(_amount(c) >= 0 for c in out[p].cells[:width]):
            # a column the fixed parent leaves at zero holds no positive figure of a child
            zero = {j for j in range(width) if _amount(out[p].cells[j]) == 0}
            for n, i in enumerate(kids, 1):
                if options[n] == [None] or not options[n]:
                    continue
                amounts = [_amount(c) for c, _ in figs[n]]
                options[n] = [pos for pos in options[n] if pos is not None and not any(
                    j in zero and f > 0 for j, f in zip(pos, amounts))]
        if any(not o for o in options):
            continue
        combos = 1
        for o in options:
            combos *= len(o)
        if combos > _MAX_COMBOS:
            continue
        found: list[list[TableRow]] = []
        for choice in itertools.product(*options):
            trial = [
                out[i] if pos is None else _moved(out[i], pos, f, width)
                for i, pos, f in zip(group, choice, figs)
            ]
            if _sums_hold(trial[0], trial[1:], width):
                found.append(trial)
                if len(found) > 1:
                    break
        if len(found) == 1:
            for i, row in zip(group, found[0]):
                out[i] = row
            settled.update(group)
    return out


_TOTALS = ("合计", "小计", "总计")


def _sum_groups(paths: list[list[str]]) -> list[tuple[int, list[list[int]]]]:
    """(total column, parts) from a horizontal table's header paths: under each header cell, a first
    column named 合计 / 小计 is the sum of its siblings; a sibling that is a group of columns counts
    by its own total (公务用车购置及运行费 by its 小计) or by all of its columns."""
    out: list[tuple[int, list[list[int]]]] = []
    parents = {tuple(p[:-1]) for p in paths if len(p) >= 2}
    for parent in parents:
        depth = len(parent)
        children: dict[str, list[int]] = {}
        for j, p in enumerate(paths):
            if len(p) > depth and tuple(p[:depth]) == parent:
                children.setdefault(p[depth], []).append(j)
        names = list(children)
        if len(names) < 2 or names[0] not in _TOTALS or len(children[names[0]]) != 1:
            continue
        parts: list[list[int]] = []
        for name in names[1:]:
            cols = children[name]
            sub = [j for j in cols if len(paths[j]) > depth + 1 and paths[j][depth + 1] in _TOTALS]
            parts.append(sub[:1] if sub else cols)
        out.append((children[names[0]][0], parts))
    return out


def _group_sums_hold(row: TableRow, groups: list[tuple[int, list[list[int]]]]) -> bool:
    """Every total column of the row is the sum of its parts, to the rounding of the printed figures."""
    for t, parts in groups:
        cols = [t, *(j for part in parts for j in part)]
        slack = sum((_half_unit(row.cells[j]) for j in cols), _ZERO)
        if abs(_amount(row.cells[t]) - sum((_amount(row.cells[j]) for j in cols[1:]), _ZERO)) > slack:
            return False
    return True


def place_three_public(
    rows: list[TableRow], columns: list[str], paths: list[list[str]]
) -> tuple[list[TableRow], list[tuple[str, str]]]:
    """Rows of a horizontal table (the "三公" table) in text whose figures stand in printed order,
    their columns not known from the page. A row with as many figures as columns has them in the
    columns' order: it is read when the header's sums (合计 = its siblings, 小计 = 购置费 + 运行费)
    hold. A shorter row lost its empty cells: its figures are moved where the sums put them when
    exactly one placement keeps every sum. A row whose sums hold in no placement, or in several
    (which figure is which cannot be told), is left out with a note (the figures as printed, the
    reason), rather than checked in columns it may not belong to."""
    width = len(columns)
    groups = _sum_groups(paths) if len(paths) == width else []
    if not groups:
        return rows, []
    out: list[TableRow] = []
    notes: list[tuple[str, str]] = []
    for row in rows:
        figs = [(c, r) for c, r in zip(row.cells[:width], row.raw[:width]) if r.strip()]
        printed = "、".join(r for _, r in figs)
        if not figs or len(figs) > width or any(not isinstance(c, Decimal) for c, _ in figs):
            out.append(row)
            continue
        if len(figs) == width:
            if _group_sums_hold(row, groups):
                out.append(row)
            else:
                notes.append((printed, "按列序读入后合计关系不成立"))
            continue
        found: list[TableRow] = []
        for pos in itertools.combinations(range(width), len(figs)):
            trial = _moved(row, pos, figs, width)
            if all(_amount(trial.cells[t]) == sum((_amount(trial.cells[j]) for part in parts for j in part), _ZERO)
                   for t, parts in groups):
                found.append(trial)
                if len(found) > 1:
                    break
        if len(found) == 1:
            out.append(found[0])
        elif found:
            notes.append((printed, "少于列数（空格丢失），按合计关系有多种放法"))
        else:
            notes.append((printed, "少于列数（空格丢失），没有一种放法合乎合计关系"))
    return out, notes


# The text of a part cell whose figure the text printed but not where: the checks read it as no
# figure (not as 0), so no identity is tested on it.
UNKNOWN_PART = "（列不明）"


_MAX_SIDE_COMBOS = 50_000
_TOTAL_LABEL = ("总计", "合计")
_SIDE_TOTALS = ("合计", "支出合计")  # the expenditure side's 合计 column (财政拨款收支总表: 支出合计)


def _is_total_label(row: TableRow, at: int) -> bool:
    label = row.cells[at - 1] if 0 < at <= len(row.cells) else None
    return isinstance(label, str) and label.strip().endswith(_TOTAL_LABEL)


def place_split_side(
    rows: list[TableRow], columns: list[str], short: set[int]
) -> tuple[list[TableRow], list[str]]:
    """A two-sided summary's expenditure side split under its 合计 (合计 / 人员经费 / 公用经费 /
    项目支出), in text that lost its empty cells: a row printing 合计 and fewer parts than there are
    columns (`一、一般公共服务支出 3,353,072 3,353,072`) does not say which parts it printed, and
    every choice keeps 合计 = the sum of its parts. The side's 总计 row, printed whole, settles it:
    each part column must add up to its figure there. The short rows are placed when exactly one
    choice for all of them together does that; otherwise their 合计 is kept and their parts marked
    unknown (the figures as printed in a note), rather than read from the left into columns they
    may not be in. short: the rows printed with fewer cells than the header has columns."""
    try:
        at = next(k for k in range(len(columns) - 1, -1, -1) if columns[k] in _SIDE_TOTALS)
    except StopIteration:
        return rows, []
    parts = list(range(at + 1, len(columns)))
    # the expenditure side's own columns after its 项目 label, its split group as its parts only (a
    # header read otherwise, 基本支出 beside 人员经费, is not placed by this)
    if len(parts) < 2 or not columns[at - 1].endswith("项目") or any(
            columns[j] in SPLIT_COLUMNS for j in parts):
        return rows, []
    out = list(rows)

    def figures(row: TableRow) -> list[tuple[Decimal, str]]:
        return [(c, row.raw[j] if j < len(row.raw) else str(c))
                for j in parts if j < len(row.cells) for c in [row.cells[j]] if isinstance(c, Decimal)]

    unsure = [i for i, r in enumerate(out) if i in short and isinstance(r.cells[at] if at < len(r.cells) else None, Decimal)
              and 0 < len(figures(r)) < len(parts)]
    if not unsure:
        return rows, []
    def is_total(row: TableRow) -> bool:
        label = row.cells[at - 1] if 0 < at <= len(row.cells) else None
        return isinstance(label, str) and label.strip().endswith(_TOTAL_LABEL) and len(figures(row)) == len(parts)

    total = next((i for i, r in enumerate(out) if i not in unsure and is_total(r)), None)
    anchored = False
    if total is None:
        # no total printed whole: the side's first total row (本年支出合计) read from the left (the
        # columns a table fills are its first ones; those it leaves blank hold nothing in any
        # row) sums the rows above it, up to the rounding of the printed figures; the rows below
        # it (结转和结余, 总计) stay as read
        total = next((i for i in unsure if _is_total_label(out[i], at)), None)
        anchored = total is not None
        if total is not None:
            unsure = [i for i in unsure if i < total]
    options: list[list[tuple[int, ...]]] = []
    for i in unsure:
        figs = figures(out[i])
        head = out[i].cells[at]
        assert isinstance(head, Decimal)
        gap = abs(sum((f for f, _ in figs), _ZERO) - head)
        fits = gap <= sum((_half_unit(f) for f, _ in figs), _half_unit(head)) if anchored else gap == 0
        options.append([pos for pos in itertools.combinations(parts, len(figs))] if fits else [])
    count = 1
    for o in options:
        count *= len(o)
    found: list[tuple[tuple[int, ...], ...]] = []
    if total is not None and 0 < count <= _MAX_SIDE_COMBOS:
        want = {j: _amount(out[total].cells[j]) for j in parts}
        above = total if anchored else len(out)
        fixed = {j: sum((_amount(r.cells[j]) for i, r in enumerate(out) if i not in unsure and i != total
                         and i < above and j < len(r.cells)), _ZERO) for j in parts}
        slack = sum((_half_unit(c) for r in out[:above] for c in r.cells[at:]), _ZERO) if anchored else _ZERO
        figs_of = [figures(out[i]) for i in unsure]
        for choice in itertools.product(*options):
            sums = dict(fixed)
            for pos, figs in zip(choice, figs_of):
                for j, (f, _) in zip(pos, figs):
                    sums[j] += f
            if all(abs(sums[j] - want[j]) <= slack for j in parts):
                found.append(choice)
                if len(found) > 1:
                    break
    if anchored and not found:
        return rows, []  # no placement adds up to a total read from the left: nothing to go by
    notes: list[str] = []
    for n, i in enumerate(unsure):
        row = out[i]
        figs = figures(row)
        cells, raw = list(row.cells), list(row.raw)
        for j in parts:
            cells[j] = None if len(found) == 1 else UNKNOWN_PART
            if j < len(raw):
                raw[j] = ""
        if len(found) == 1:
            for j, (f, r) in zip(found[0][n], figs):
                cells[j] = f
                if j < len(raw):
                    raw[j] = r
        else:
            notes.append("、".join(r for _, r in figs))
        out[i] = row.model_copy(update={"cells": cells, "raw": raw})
    return out, notes


# Tables whose 功能分类 rows are a part of the 支出总表's same rows (one source of funds each).
_FUND_KINDS = frozenset({"general_budget_expenditure", "government_fund_expenditure", "state_capital_expenditure"})


def place_by_the_summary(tables: list[Table]) -> list[Table]:
    """A fund table's row printing 合计 and one part equal to it (`2120803 城市建设支出 338 338`), in
    text that lost its empty cells: its own sums hold whichever part it is. The 支出总表 settles it
    when its row of the same subject has nothing in one of the two parts: a fund's spending is a part
    of the whole, so the figure cannot be in the part that is empty there. A parent row (类, 款, the
    合计 row) printed the same way then follows its children when they all moved and add up to it."""
    summary = next((t for t in tables if t.kind == "expenditure_summary"), None)
    if summary is None or not {"合计", "基本支出", "项目支出"} <= set(summary.columns):
        return tables
    sb, sp = (summary.columns.index(c) for c in ("基本支出", "项目支出"))
    whole = {r.code or r.name: r for r in summary.rows if r.code or r.name == "合计"}
    out = []
    for table in tables:
        if table.kind not in _FUND_KINDS or not {"合计", "基本支出", "项目支出"} <= set(table.columns):
            out.append(table)
            continue
        jt, jb, jp = (table.columns.index(c) for c in ("合计", "基本支出", "项目支出"))
        rows = list(table.rows)
        moves: dict[int, tuple[int, int]] = {}
        for i, row in enumerate(rows):
            of = whole.get(row.code or row.name or "")
            side = _one_part(row, jt, jb, jp)
            if of is None or side is None or max(sb, sp) >= len(of.cells):
                continue
            w_basic, w_project = _amount(of.cells[sb]), _amount(of.cells[sp])
            total = _amount(row.cells[jt])
            if side == jb and w_basic == 0 and w_project >= total:
                moves[i] = (jb, jp)
            elif side == jp and w_project == 0 and w_basic >= total:
                moves[i] = (jp, jb)
        if not moves:
            out.append(table)
            continue
        rows = [_moved_part(r, *moves[i]) if i in moves else r for i, r in enumerate(rows)]
        # parents after their children: 款 (5 digits) before 类 (3), the 合计 row last
        order = sorted((i for i, r in enumerate(rows) if i not in moves),
                       key=lambda i: -len(rows[i].code or ""))
        for i in order:
            row = rows[i]
            side = _one_part(row, jt, jb, jp)
            if side is None:
                continue
            kids = _children(rows, i)
            other = jp if side == jb else jb
            if kids and all(k in moves for k in kids) and sum(
                    (_amount(rows[k].cells[other]) for k in kids), _ZERO) == _amount(row.cells[jt]):
                rows[i] = _moved_part(row, side, other)
                moves[i] = (side, other)
        out.append(table.model_copy(update={"rows": rows}))
    return out


def _one_part(row: TableRow, jt: int, jb: int, jp: int) -> int | None:
    """The part column of a row that prints 合计 and that part only, equal to it (else None)."""
    if max(jt, jb, jp) >= len(row.cells) or not all(
            isinstance(row.cells[j], Decimal) or row.cells[j] is None for j in (jt, jb, jp)):
        return None
    total, basic, project = (_amount(row.cells[j]) for j in (jt, jb, jp))
    if total <= 0:
        return None
    if basic == total and project == 0:
        return jb
    if project == total and basic == 0:
        return jp
    return None


def _children(rows: list[TableRow], i: int) -> list[int]:
    code = rows[i].code
    if code:
        return [k for k, r in enumerate(rows) if r.code and _parent_code(r.code) == code]
    return [k for k, r in enumerate(rows) if r.code and len(r.code) == 3] if rows[i].name == "合计" else []


def _moved_part(row: TableRow, src: int, dst: int) -> TableRow:
    cells, raw = list(row.cells), list(row.raw)
    cells[dst], cells[src] = cells[src], None
    if max(src, dst) < len(raw):
        raw[dst], raw[src] = raw[src], ""
    return row.model_copy(update={"cells": cells, "raw": raw})
