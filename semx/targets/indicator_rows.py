"""The indicator rows of a form (一级 / 二级 / 三级 / 指标值) as Indicators.

Reads rows of cells whatever made them: a row from the PDF grid (one row per ruled row, a wrapped
cell already joined) or a row rebuilt from text. Rules:
- a column's role comes from the header row (一级指标, 二级指标, 三级指标, 指标值 …); a role owns the
  columns from its header cell up to the next role's, so a cell merged over several columns is found;
- merged 一级 / 二级 cells are printed once (or repeated): an empty cell carries the one above down,
  a new 一级 clears the 二级 unless the row names one;
- when a row's cells do not line up with the header (a text extraction that dropped empty cells),
  the category words are recognised by vocabulary and the last two remaining cells are 三级 and 指标值;
- a line break inside a cell never splits a row. Text extractions put a wrapped cell's lines on
  lines of their own, the short cell beside them on the first, middle or last line. So, without a
  new 一级 / 二级: a row holding only a 指标值 continues the indicator above (an indicator always has
  a name); a row holding only a 三级 continues the name above (an indicator row always has a value,
  save by mistake) unless the next row holds only a 指标值 (then that value is its own: the value
  printed beside the middle of a wrapped name); and a row with both continues an indicator above
  that has no value yet. Names wrapped with their value beside the last line are not told apart
  from a new row. The price: a printed row with an empty 指标值 is joined to a neighbour.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from semx.models import Indicator
from semx.rows import Row
from semx.targets.text import join_wrapped, squash
from semx.targets.values import parse_value
from semx.vocab.categories import LEVEL1_VALUES, LEVEL2_VALUES, normalize_level1, normalize_level2

_ROLES = ("level1", "level2", "level3", "description", "value", "basis")


def _role_of_header(cell: str) -> str | None:
    c = squash(cell)
    if not c:
        return None
    if "一级指标" in c:
        return "level1"
    if "二级指标" in c:
        return "level2"
    if "三级指标" in c or c in ("指标名称", "绩效指标名称"):
        return "level3"
    if "依据" in c:
        return "basis"
    if any(w in c for w in ("指标描述", "指标内容", "指标说明", "指标解释")):
        return "description"
    if "指标值" in c or "目标值" in c:
        return "value"
    return None


def is_indicator_header(cells: list[str]) -> bool:
    roles = {_role_of_header(c) for c in cells}
    return "value" in roles and ("level1" in roles or "level3" in roles) and len(roles - {None}) >= 3


def is_level1(text: str) -> bool:
    return normalize_level1(squash(text)) in LEVEL1_VALUES


# The merged row label in front of the whole indicator block, not a category.
_BLOCK_LABELS = ("绩效指标", "项目绩效指标", "年度绩效指标", "指标")


def is_level2(text: str) -> bool:
    t = squash(text)
    if t in _BLOCK_LABELS:
        return False
    return normalize_level2(t) in LEVEL2_VALUES or (t.endswith("指标") and 4 <= len(t) <= 10 and not is_level1(t))


@dataclass
class Columns:
    """Which columns each role owns, from the header row."""

    spans: dict[str, tuple[int, int]]
    width: int

    @classmethod
    def from_header(cls, cells: list[str]) -> Columns:
        starts: list[tuple[int, str]] = []
        values: list[tuple[int, str]] = []
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


def _by_vocabulary(filled: list[str], cols: Columns) -> _Cells:
    """Cells that do not line up with the header: categories by their words, then 三级 and 指标值."""
    out = _Cells()
    rest = [c for c in filled if squash(c) not in _BLOCK_LABELS]
    if rest and is_level1(rest[0]):
        out.level1 = rest.pop(0)
    if rest and is_level2(rest[0]):
        out.level2 = rest.pop(0)
    if len(rest) >= 2:
        out.level3, out.value = rest[0], rest[-1]
        middle = rest[1:-1]
        if middle and "description" in cols.spans:
            out.description = middle[0]
    elif len(rest) == 1:
        out.level3 = rest[0]
    return out


@dataclass
class IndicatorReader:
    """Reads indicator rows one at a time under one header; keeps the categories carried down."""

    cols: Columns
    indicators: list[Indicator] = field(default_factory=list)
    level1: str | None = None
    level2: str | None = None

    def _cells(self, row: Row) -> _Cells | None:
        cells = [c.strip() for c in row.cells]
        filled = [c for c in cells if c]
        if not filled or is_indicator_header(cells):
            return None
        if len(cells) == self.cols.width:
            got = _Cells(**{r: self.cols.get(cells, r) for r in _ROLES})
        else:
            got = _by_vocabulary(filled, self.cols)
        if got.level1 and not is_level1(got.level1) and is_level2(got.level1) and not got.level2:
            got.level2, got.level1 = got.level1, ""
        return got

    def read(self, row: Row, nxt: Row | None = None) -> None:
        got = self._cells(row)
        if got is None:
            return
        if not (got.level3 or got.value or got.description):
            # A row with categories only opens them for the rows below.
            self._categories(got)
            return
        last = self.indicators[-1] if self.indicators else None
        if last is not None and not (got.level1 or got.level2) and not got.description:
            after = self._cells(nxt) if nxt is not None else None
            value_next = after is not None and bool(after.value) and not (after.level1 or after.level2 or after.level3)
            if not got.level3 or (not got.value and not value_next) or not last.value.raw:
                self._extend(last, level3=got.level3, value=got.value)
                return
        self._categories(got)
        self.indicators.append(
            Indicator(
                level1=self.level1,
                level2=self.level2,
                level3=got.level3,
                description=got.description or None,
                value=parse_value(got.value),
                basis=got.basis or None,
                line=row.line,
            )
        )

    def _categories(self, got: _Cells) -> None:
        if got.level1:
            self.level1 = normalize_level1(got.level1)  # 效果指标 -> 效益指标, like the other layouts
            self.level2 = squash(got.level2) or None
        elif got.level2:
            # 二级 as printed (the scorer normalises when it compares); only wrapping removed.
            self.level2 = squash(got.level2)

    def _extend(self, ind: Indicator, *, level3: str = "", value: str = "") -> None:
        """A wrapped cell's next line: join it to the indicator above (Chinese joins without a space)."""
        if level3:
            ind.level3 = join_wrapped(f"{ind.level3}\n{level3}") if ind.level3 else level3
        if value:
            raw = join_wrapped(f"{ind.value.raw}\n{value}") if ind.value.raw else value
            ind.value = parse_value(raw)
