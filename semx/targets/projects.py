"""Parse every 绩效目标表 into a Project.

Works on `Row`s, so the tab layout and the one-cell-per-line layout look the same.
A table starts at a `…绩效目标表` title and runs until the next title, a heading
(六、 / 第三部分 / （三）) or prose after its indicator rows. Inside it each row is
recognised by its label words, in any order: the 绩效目标 row may come before or
after the header, headers repeat after page breaks, and the spending plan may spill
its last month onto a row of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from semx.models import Indicator, Project, Warning_
from semx.rows import Row
from semx.targets.goals import split_goals
from semx.targets.indicator_rows import COLUMN_ROLES
from semx.targets.text import SEPARATOR, is_heading, join_wrapped, squash, title_name, to_amount
from semx.targets.values import parse_value

Level = Literal["project", "department", "special"]

LEVEL1_ALIASES = {"效果指标": "效益指标"}
LEVEL1_WORDS = ("产出指标", "效益指标", "效果指标", "满意度指标", "成本指标")
_MONTH_END = re.compile(r"^\d{1,2}月底$")
_GENERIC_TITLE = re.compile(r"(?:\d{4}年度?)?(?:财政|部门|单位)?(?:项目)?(?:支出)?(?:预算)?(?:项目)?")
_BUDGET_LABEL = re.compile(r"^(?:年度)?(?:预算数|预算金额|资金总额|预算资金总额)(?:[(（]万元[)）])?[:：]?$")
_META = re.compile(r"^(?:单位[:：]|预算年度|金额单位)")
# The goal row's label: 绩效目标, also 年度绩效目标 / 总体目标 / 项目目标 (not 目标值, not …目标表).
_GOAL_CELL = re.compile(r"^(?:(?:年度总体|年度|项目|整体|总体)(?:绩效)?|绩效)目标(?![表值])\s*[:：]?\s*")
_PLAN_VALUE = re.compile(r"^[-+]?\d+(?:\.\d+)?\s*%?$")
_HEADER_COLS: list[tuple[str, tuple[str, ...]]] = [
    # (field, header words); the first header cell containing one of the words wins.
    ("level1", ("一级指标",)),
    ("level2", ("二级指标",)),
    ("level3", ("三级指标",)),
    ("description", ("指标描述", "指标内容", "指标说明", "指标解释")),
    ("basis", ("确定依据", "依据")),
    ("value", ("指标值", "目标值")),
]


def normalise_level1(text: str) -> str:
    t = squash(text)
    return LEVEL1_ALIASES.get(t, t)


def context_level(heading: str) -> Level | None:
    """Which target level a heading such as `第二部分 专项资金绩效目标` opens, if any."""
    if "绩效" not in heading:
        return None
    if "部门整体" in heading or "整体绩效" in heading:
        return "department"
    if "专项资金" in heading:
        return "special"
    if "项目" in heading:
        return "project"
    return None


@dataclass
class _Columns:
    index: dict[str, int]
    width: int

    @classmethod
    def from_header(cls, cells: list[str]) -> _Columns:
        index: dict[str, int] = {}
        for i, cell in enumerate(cells):
            c = squash(cell)
            for name, words in _HEADER_COLS:
                if name in index:
                    continue
                # 指标值确定依据 also contains 指标值; it is the basis column, not the value.
                if name == "value" and "依据" in c:
                    continue
                if any(w in c for w in words):
                    index[name] = i
                    break
        width = len(cells)
        while width and not cells[width - 1].strip():
            width -= 1
        return cls(index=index, width=width)

    def get(self, cells: list[str], name: str) -> str:
        i = self.index.get(name)
        if i is None or i >= len(cells):
            return ""
        return cells[i].strip()


def _is_header(cells: list[str]) -> bool:
    flat = [squash(c) for c in cells]
    return "一级指标" in flat or ("三级指标" in flat and any("指标值" in c or "目标值" in c for c in flat))


def _filled(cells: list[str]) -> list[tuple[int, str]]:
    return [(i, c.strip()) for i, c in enumerate(cells) if c.strip()]


def _line_text(row: Row) -> str | None:
    """The text of a row that is a line of its own (title, heading, prose), else None.

    A title row may carry `单位：万元` in a cell of its own; that still counts as one line.
    """
    filled = _filled(row.cells)
    if filled and filled[0][0] == 0 and all(_META.match(squash(c)) for _, c in filled[1:]):
        return filled[0][1]
    return None


def _after_label(cells: list[str], pred: Callable[[str], bool]) -> str | None:
    """The first non-empty cell after the first cell that satisfies pred."""
    for i, c in enumerate(cells):
        if pred(squash(c)):
            for nxt in cells[i + 1:]:
                if nxt.strip():
                    return nxt.strip()
            return None
    return None


@dataclass
class _Builder:
    """Mutable state while reading one table; becomes a Project at the end."""

    title: str
    start: int
    level: Level
    end: int = 0
    name_cell: str | None = None
    code: str | None = None
    budget: str | None = None
    fiscal: str | None = None
    other: str | None = None
    purpose: str | None = None
    plan: dict[str, str | None] = field(default_factory=dict)
    plan_positions: dict[int, str] = field(default_factory=dict)
    goal_parts: list[str] = field(default_factory=list)
    columns: _Columns | None = None
    indicators: list[Indicator] = field(default_factory=list)
    level1: str | None = None
    level2: str | None = None
    # what the previous recognised row was, for rows that only make sense after it
    last: str = "title"

    def build(self) -> Project:
        goal_text = "\n".join(p for p in self.goal_parts if p) or None
        return Project(
            # A title that names no project (`财政项目支出绩效目标申报表` -> `财政项目支出`) gives way
            # to the 项目名称 cell.
            name=(self.name_cell if _GENERIC_TITLE.fullmatch(self.title) else self.title) or self.name_cell or "",
            level=self.level,
            code=self.code,
            budget=to_amount(self.budget),
            fiscal=to_amount(self.fiscal),
            other=to_amount(self.other),
            purpose=self.purpose,
            plan=self.plan,
            goal_text=goal_text,
            goals=split_goals(goal_text),
            indicators=self.indicators,
            indicator_columns=[f for f in COLUMN_ROLES if self.columns and f in self.columns.index],
            start_line=self.start,
            end_line=self.end or self.start,
        )


class _TableReader:
    def __init__(self, builder: _Builder, warnings: list[Warning_]) -> None:
        self.b = builder
        self.warnings = warnings

    # ------------------------------------------------------------ row kinds

    def read(self, row: Row, nxt: Row | None) -> str:
        """Consume one row. Returns what it was, 'merged' when nxt was consumed too, or 'stop'."""
        b = self.b
        cells = [c.strip() for c in row.cells]
        filled = _filled(cells)
        flat = [squash(c) for c in cells]
        if all(SEPARATOR.match(c) for c in cells):
            return "skip"
        first_i, first = filled[0]
        line = _line_text(row)
        if line is not None and (is_heading(line) or title_name(line) is not None):
            return "stop"
        if any(_META.match(c) for _, c in filled[:2]):
            return self._mark(row, "meta")
        if any(c in ("项目编码", "项目代码", "项目名称", "专项资金名称", "资金名称") for c in flat):
            self._names(cells)
            return self._mark(row, "names")
        if any(_BUDGET_LABEL.match(c) for c in flat):
            self._budget(cells)
            return self._mark(row, "budget")
        if "资金支出计划" in squash(first) or any(_MONTH_END.match(c) for c in flat):
            self._plan_header(cells)
            return self._mark(row, "plan")
        if b.last == "plan" and b.plan_positions and all(_PLAN_VALUE.match(c) for _, c in filled):
            self._plan_values(cells, row)
            return self._mark(row, "plan_values")
        if first_i == 0 and _GOAL_CELL.match(cells[0]):
            label_rest = _GOAL_CELL.sub("", cells[0])
            b.goal_parts.append("\n".join(x for x in [label_rest, *[c for _, c in filled[1:]]] if x))
            return self._mark(row, "goal")
        if _is_header(cells):
            b.columns = _Columns.from_header(cells)
            return self._mark(row, "header")
        if any(squash(c) == "资金用途" for c in cells):
            b.purpose = _after_label(cells, lambda c: c == "资金用途")
            return self._mark(row, "purpose")
        if b.last == "budget" and first_i > 0 and len(filled) == 1:
            b.purpose = join_wrapped(first)
            return self._mark(row, "purpose")
        if b.last in ("goal", "goal_more") and first_i > 0 and len(filled) == 1:
            b.goal_parts.append(first)
            return self._mark(row, "goal_more")
        if b.columns is not None:
            if first_i == 0 and len(filled) == 1 and b.indicators and first not in LEVEL1_WORDS:
                return "stop"  # prose after the table
            merged = self._merge_split_row(cells, nxt)
            if merged is not None and nxt is not None:
                self._indicator(merged, row)
                self._mark(nxt, "indicator")
                return "merged"
            self._indicator(cells, row)
            return self._mark(row, "indicator")
        if first_i == 0 and len(filled) == 1 and len(first) > 40:
            return "stop"  # prose: this title had no table under it
        self.warnings.append(
            Warning_(code="target_row_unrecognised", message=f"绩效目标表中无法识别的行：{row.text[:60]}", line=row.line)
        )
        return "skip"

    def _mark(self, row: Row, kind: str) -> str:
        self.b.last = kind
        self.b.end = max(self.b.end, row.end_line)
        return kind

    # ------------------------------------------------------------ parts

    def _names(self, cells: list[str]) -> None:
        b = self.b
        code = _after_label(cells, lambda c: c in ("项目编码", "项目代码"))
        if code:
            b.code = code
        name = _after_label(cells, lambda c: c in ("项目名称", "专项资金名称", "资金名称"))
        if name:
            b.name_cell = name
        if any(squash(c) == "专项资金名称" for c in cells):
            b.level = "special"

    def _budget(self, cells: list[str]) -> None:
        b = self.b
        b.budget = _after_label(cells, lambda c: bool(_BUDGET_LABEL.match(c)))
        b.fiscal = _after_label(cells, lambda c: "财政" in c and not c.startswith("预算"))
        b.other = _after_label(cells, lambda c: "其他资金" in c)
        # `其他资金` with nothing after it is blank, not the next label's value.
        for attr in ("budget", "fiscal", "other"):
            v = getattr(b, attr)
            if v is not None and to_amount(v) is None:
                setattr(b, attr, None)

    def _plan_header(self, cells: list[str]) -> None:
        """Month labels either head columns (values on the next row) or carry their value beside them."""
        b = self.b
        positions: dict[int, str] = {}
        for i, c in enumerate(cells):
            label = squash(c)
            if not _MONTH_END.match(label):
                continue
            after = next((x.strip() for x in cells[i + 1:] if x.strip()), "")
            if after and _PLAN_VALUE.match(after) and not _MONTH_END.match(squash(after)):
                b.plan[label] = after  # detached `12月底 100.00`
            else:
                positions[i] = label
                b.plan.setdefault(label, None)
        b.plan_positions = positions

    def _plan_values(self, cells: list[str], row: Row) -> None:
        b = self.b
        for i, c in enumerate(cells):
            if not c.strip():
                continue
            label = b.plan_positions.get(i)
            if label is None:
                self.warnings.append(
                    Warning_(code="target_plan_unaligned", message=f"资金支出计划数值无法对应月份：{c.strip()}", line=row.line)
                )
                continue
            b.plan[label] = c.strip()
        b.plan_positions = {}

    def _merge_split_row(self, cells: list[str], nxt: Row | None) -> list[str] | None:
        """One indicator row broken in two by a stray paragraph break (cell-per-line export)."""
        cols = self.b.columns
        if cols is None or nxt is None or len(cells) >= cols.width:
            return None
        rest = [c.strip() for c in nxt.cells]
        if len(cells) + len(rest) != cols.width or squash(rest[0]) in LEVEL1_WORDS or _is_header(rest):
            return None
        return cells + rest

    def _indicator(self, cells: list[str], row: Row) -> None:
        b = self.b
        cols = b.columns
        assert cols is not None
        if cols.width and len(cells) == cols.width - 1 and squash(cells[0]) not in LEVEL1_WORDS and cells[0]:
            cells = ["", *cells]  # the merged 一级 cell was dropped, not left empty
        l1 = cols.get(cells, "level1")
        l2 = cols.get(cells, "level2")
        l3 = join_wrapped(cols.get(cells, "level3"))
        desc = join_wrapped(cols.get(cells, "description"))
        value = cols.get(cells, "value")
        basis = join_wrapped(cols.get(cells, "basis"))
        if not (l3 or desc or value):
            return
        if l1:
            b.level1 = normalise_level1(l1)
            b.level2 = l2 or None
        elif l2:
            b.level2 = l2
        if len(cells) < cols.width:
            self.warnings.append(
                Warning_(code="target_row_short", message=f"指标行只有 {len(cells)} 列（表头 {cols.width} 列）", line=row.line)
            )
        b.indicators.append(
            Indicator(
                level1=b.level1,
                level2=b.level2,
                level3=l3,
                description=desc or None,
                value=parse_value(value),
                basis=basis or None,
                line=row.line,
            )
        )


def parse_projects(rows: list[Row]) -> tuple[list[Project], list[Warning_], list[tuple[int, int]]]:
    """All project tables in rows; also the (start, end) line ranges they cover."""
    projects: list[Project] = []
    warnings: list[Warning_] = []
    ranges: list[tuple[int, int]] = []
    context: Level = "project"
    i = 0
    while i < len(rows):
        row = rows[i]
        line = _line_text(row)
        text = line or ""
        if line is not None and is_heading(text):
            ctx = context_level(text)
            if ctx is not None:
                context = ctx
        name = title_name(text) if line is not None else None
        if name is None:
            i += 1
            continue
        level: Level = "department" if context_level(text) == "department" else context
        builder = _Builder(title=name, start=row.line, level=level)
        reader = _TableReader(builder, warnings)
        j = i + 1
        while j < len(rows):
            kind = reader.read(rows[j], rows[j + 1] if j + 1 < len(rows) else None)
            if kind == "stop":
                break
            j += 2 if kind == "merged" else 1
        project = builder.build()
        if builder.columns is None and not builder.goal_parts and builder.budget is None:
            warnings.append(Warning_(code="target_title_without_table", message=f"绩效目标表标题下没有表格：{text}", line=row.line))
        else:
            if not project.indicators:
                warnings.append(Warning_(code="target_no_indicators", message=f"绩效目标表没有指标行：{project.name}", line=row.line))
            projects.append(project)
            ranges.append((project.start_line, project.end_line))
        i = j
    return projects, warnings, ranges
