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
from semx.targets.indicator_rows import COLUMN_ROLES, align_by_op, is_level1, is_level2
from semx.targets.text import (
    MONEY_UNIT_LINE,
    SEPARATOR,
    in_wan,
    is_heading,
    join_wrapped,
    squash,
    strip_numbering,
    title_name,
    to_amount,
)
from semx.targets.values import compose_value, parse_value
from semx.vocab import indicator_columns as IC
from semx.vocab.categories import LEVEL1_PRINTED, normalize_level1

Level = Literal["project", "department", "special"]

_MONTH_END = re.compile(r"^\d{1,2}月底$")
# A title that names no project: a place, a year and the words of the table's kind in any order
# (`2025年部门预算项目支出`, `某市2022年市直部门预算项目支出`).
_GENERIC_TITLE = re.compile(r"(?:\S{1,8}?[省市县区](?=\d{4}|市直|县直|区级|部门))?(?:\d{4}年度?)?(?:财政|部门|单位|项目|支出|预算|本级|市直|县直|区级)*")
_BUDGET_LABEL = re.compile(r"^(?:年度)?(?:预算数|预算金额|资金总额|预算资金总额)(?:[(（]万元[)）])?[:：]?$")
_META = re.compile(r"^(?:单位[:：]|预算年度|金额单位)")
# The goal row's label: 绩效目标, also 年度绩效目标 / 总体目标 / 项目目标 (not 目标值, not …目标表).
_GOAL_CELL = re.compile(r"^(?:(?:年度总体|年度|项目|整体|总体)(?:绩效)?|绩效)目标(?![表值])\s*[:：]?\s*")
_PLAN_VALUE = re.compile(r"^[-+]?\d+(?:\.\d+)?\s*%?$")
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
        # Each role's first header cell; roles come from the shared vocabulary (semx/vocab/indicator_columns.py).
        index: dict[str, int] = {}
        for i, cell in enumerate(cells):
            role = IC.header_role(cell)
            if role is not None and role not in index:
                index[role] = i
        width = len(cells)
        while width and not cells[width - 1].strip():
            width -= 1
        return cls(index=index, width=width)

    def order(self) -> list[str]:
        """Every role the header prints, left to right."""
        return sorted(self.index, key=self.index.__getitem__)

    def get(self, cells: list[str], name: str) -> str:
        i = self.index.get(name)
        if i is None or i >= len(cells):
            return ""
        return cells[i].strip()


def _is_header(cells: list[str]) -> bool:
    flat = [squash(c) for c in cells]
    if "一级指标" in flat or ("三级指标" in flat and any("指标值" in c or "目标值" in c for c in flat)):
        return True
    return IC.is_indicator_header(cells)


def _is_header_part(cells: list[str]) -> bool:
    """One row of a header printed over two (绩效指标 | | | 指标性质 | 指标值 | 度量单位 over
    一级指标 | 二级指标 | 三级指标): at least two roles, every filled cell a header word."""
    filled = [c for c in cells if c.strip()]
    return len(IC.header_roles(filled)) >= 2 and all(IC.header_role(c) is not None for c in filled)


def _stack_header(upper: list[str], lower: list[str]) -> list[str]:
    """The two rows of a header as one: each column's word from the lower row (the finer one under a
    merged cell), else from the upper."""
    width = max(len(upper), len(lower))
    up, low = upper + [""] * (width - len(upper)), lower + [""] * (width - len(lower))
    return [b if b.strip() else a for a, b in zip(up, low, strict=True)]


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
class _Part:
    """One project of a table that lists several (its name cell printed once, merged over its rows)."""

    name: str
    line: int
    first: int  # index of its first indicator
    budget: str = ""
    goal: list[str] = field(default_factory=list)
    end: int = 0


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
    unit: str | None = None  # money unit of the table's unit line (元 / 万元); amounts become 万元
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
    # found by its indicator header under a title that is no …绩效目标表: named by its 项目名称 cell
    by_header: bool = False
    # one table for several projects: each project's name, money, goal and first indicator
    parts: list[_Part] = field(default_factory=list)
    # a header printed over two rows: the row of words that is no header alone, and the header row
    header_part: list[str] = field(default_factory=list)
    header_cells: list[str] = field(default_factory=list)

    def _yuan(self) -> str | None:
        # Only a table printed in 元 says so: one in 万元 reads as before (its amounts are as printed).
        return "元" if self.unit == "元" else None

    def build_all(self) -> list[Project]:
        """The table's project, or one per project when the table lists several."""
        if not self.parts:
            return [self.build()]
        out: list[Project] = []
        for k, part in enumerate(self.parts):
            last = self.parts[k + 1].first if k + 1 < len(self.parts) else len(self.indicators)
            goal_text = "\n".join(g for g in part.goal if g) or None
            out.append(
                Project(
                    name=part.name,
                    level=self.level,
                    budget=in_wan(to_amount(part.budget), self.unit),
                    printed_unit=self._yuan(),
                    budget_printed=part.budget if self._yuan() else None,
                    goal_text=goal_text,
                    goals=split_goals(goal_text),
                    indicators=self.indicators[part.first : last],
                    indicator_columns=[f for f in COLUMN_ROLES if self.columns and f in self.columns.index],
                    start_line=part.line,
                    end_line=max(part.end, part.line),
                )
            )
        return out

    def build(self) -> Project:
        goal_text = "\n".join(p for p in self.goal_parts if p) or None
        return Project(
            # A title that names no project (`财政项目支出绩效目标申报表` -> `财政项目支出`) gives way
            # to the 项目名称 cell.
            name=(self.name_cell if self.by_header or _GENERIC_TITLE.fullmatch(self.title) else self.title)
            or (self.title if self.by_header else None)
            or self.name_cell
            or "",
            level=self.level,
            code=self.code,
            budget=in_wan(to_amount(self.budget), self.unit),
            fiscal=in_wan(to_amount(self.fiscal), self.unit),
            other=in_wan(to_amount(self.other), self.unit),
            printed_unit=self._yuan(),
            budget_printed=self.budget if self._yuan() else None,
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
        # a numbered category (`（一）产出指标`) heads rows of the table, not a section
        if (line is not None and (is_heading(line) or title_name(line) is not None)
                and not (b.columns is not None and _category_word(line))):
            return "stop"
        if any(_META.match(c) for _, c in filled[:2]):
            for _, c in filled:
                m = MONEY_UNIT_LINE.match(squash(c))
                if m and b.unit is None:
                    b.unit = m.group(1)
            return self._mark(row, "meta")
        if _is_header(cells) and "project" in IC.header_roles(cells):
            # one table for several projects: 项目名称 | 预算金额 | 年度绩效目标 | 一级指标 …
            b.columns = _Columns.from_header(cells)
            b.header_cells = cells
            return self._mark(row, "header")
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
            if b.last == "header_part" and b.header_part:
                cells = _stack_header(b.header_part, cells)
            b.columns = _Columns.from_header(cells)
            b.header_cells = cells
            return self._mark(row, "header")
        if _is_header_part(cells) and (b.columns is None or b.last == "header"):
            if b.last == "header" and b.header_cells:
                # the header's second row (指标性质 | 度量单位 under a merged cell of the first)
                b.columns = _Columns.from_header(_stack_header(b.header_cells, cells))
                return self._mark(row, "header")
            b.header_part = cells
            return self._mark(row, "header_part")
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
            lone = first_i == 0 and len(filled) == 1
            if lone and b.indicators and first not in LEVEL1_PRINTED and not _category_word(first):
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
        if len(cells) + len(rest) != cols.width or squash(rest[0]) in LEVEL1_PRINTED or _is_header(rest):
            return None
        return cells + rest

    def _project_part(self, got: dict[str, str], row: Row) -> None:
        """A table that lists several projects: a name in the project column starts the next one;
        rows without one go on with the project above (its merged cell)."""
        b = self.b
        name = join_wrapped(got.get("project", ""))
        if name and (not b.parts or name != b.parts[-1].name):
            b.parts.append(_Part(name=name, line=row.line, first=len(b.indicators)))
        if not b.parts:
            return
        part = b.parts[-1]
        part.end = max(part.end, row.end_line)
        if got.get("budget") and not part.budget:
            part.budget = got["budget"]
        if got.get("goal"):
            part.goal.append(join_wrapped(got["goal"]))

    def _indicator(self, cells: list[str], row: Row) -> None:
        b = self.b
        cols = b.columns
        assert cols is not None
        if cols.width and len(cells) == cols.width - 1 and squash(cells[0]) not in LEVEL1_PRINTED and cells[0]:
            cells = ["", *cells]  # the merged 一级 cell was dropped, not left empty
        got = {role: cols.get(cells, role) for role in cols.index}
        if "op" in got and not IC.is_op_cell(got["op"]):
            # not lined up with a header that has an op column (empty cells dropped): by the op cell
            aligned = align_by_op([c for c in cells if c.strip()], cols.order())
            if aligned is not None:
                got = aligned
        if "project" in got:
            self._project_part(got, row)
        l1 = _category_word(got.get("level1", "")) or got.get("level1", "")
        l2 = _category_word(got.get("level2", "")) or got.get("level2", "")
        l3 = join_wrapped(got.get("level3", ""))
        desc = join_wrapped(got.get("description", ""))
        # The comparator and the unit in columns of their own (`≥ | 12 | 个`) join the value.
        value = compose_value(got.get("value", ""), got.get("op", ""), got.get("unit", ""))
        basis = join_wrapped(got.get("basis", ""))
        l1, l2 = _by_category_column(cols.get(cells, "category"), l1, l2, bool(l3 or desc or value))
        if "level3" not in cols.index:
            l1, l2, l3 = _two_levels(l1, l2, l3)
            if l2 and not l1:
                b.level1 = None  # the 一级 column printed this row's 二级: it has no 一级 of its own
        if not (l3 or desc or value):
            if l1 or l2:
                # a row of categories only (产出指标 printed over its rows): it heads the rows below
                if l1:
                    b.level1, b.level2 = normalize_level1(l1), l2 or None
                else:
                    b.level2 = l2
            return
        if l1:
            b.level1 = normalize_level1(l1)
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


def _category_word(text: str) -> str:
    """The category a cell names, its numbering dropped (`（一）产出指标` -> 产出指标), or ""."""
    t = squash(strip_numbering(text))
    return t if t and t != squash(text) and (is_level1(t) or is_level2(t)) else ""


def _by_category_column(cat: str, l1: str, l2: str, has_indicator: bool) -> tuple[str, str]:
    """A column of category words of either level (header 绩效指标): its cell is a 一级 or a 二级 by
    its words. 成本指标 is both (一级 in newer templates, 二级 under 产出 in older ones): on a row
    of its own it heads the rows below as a 一级, beside an indicator it is that indicator's 二级."""
    c = _category_word(cat) or squash(cat)
    if not c:
        return l1, l2
    if is_level1(c) and not (has_indicator and is_level2(c)):
        return l1 or c, l2
    if is_level2(c):
        return l1, l2 or c
    return l1, l2


def _two_levels(l1: str, l2: str, l3: str) -> tuple[str, str, str]:
    """A table with no 三级 column whose 一级 / 二级 headers are one step off (一级指标 | 二级指标
    holding 数量指标 | 维护路灯盏数): a 二级 word in the 一级 column is the 二级, a cell of the 二级
    column that is no category word is the indicator's name. The 一级 the table does not print
    stays None."""
    if l3 or not l2 or is_level1(l2) or is_level2(l2):
        return l1, l2, l3
    # 成本指标 is both levels; beside 数量指标 / 质量指标 in such a column it is their sibling.
    if l1 and is_level2(l1) and (not is_level1(l1) or squash(l1) == "成本指标"):
        return "", l1, l2
    if not l1:
        return "", "", l2
    return l1, "", l2


# How far above an indicator header a table known only by it may print its title (the rows between
# hold 项目名称, 预算数, 绩效目标, 单位：万元).
_TITLE_LOOKBACK = 8
_TITLE_MAX = 40


def _title_above(rows: list[Row], header: int, floor: int) -> int | None:
    """The index of the line of its own printed above an indicator header as its table's title: the
    nearest short one, above the table's label rows, not before floor (the last table's end)."""
    for k in range(header - 1, max(floor, header - _TITLE_LOOKBACK) - 1, -1):
        text = _line_text(rows[k])
        if text is None:
            continue
        if _META.match(squash(text)) or _GOAL_CELL.match(text):
            continue
        return k if len(text) <= _TITLE_MAX else None
    return None


def parse_projects(rows: list[Row]) -> tuple[list[Project], list[Warning_], list[tuple[int, int]]]:
    """All project tables in rows; also the (start, end) line ranges they cover."""
    projects: list[Project] = []
    warnings: list[Warning_] = []
    ranges: list[tuple[int, int]] = []
    context: Level = "project"
    floor = 0  # the row after the last table read
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
        by_header = False
        first = i + 1  # the first row read into the table
        if name is None:
            if not _is_header(row.cells):
                i += 1
                continue
            # An indicator table under a title semx does not know (`2025年度项目绩效指标`): known by
            # its header, read under its printed title, or from the header when it prints none.
            by_header = True
            k = _title_above(rows, i, floor)
            if k is None:
                text, first = "", i
            else:
                row, text, first = rows[k], _line_text(rows[k]) or "", k + 1
            name = strip_numbering(text)
        level: Level = "department" if context_level(text) == "department" else context
        builder = _Builder(title=name, start=row.line, level=level, by_header=by_header)
        reader = _TableReader(builder, warnings)
        j = first
        while j < len(rows):
            kind = reader.read(rows[j], rows[j + 1] if j + 1 < len(rows) else None)
            if kind == "stop":
                break
            j += 2 if kind == "merged" else 1
        if builder.columns is None and not builder.goal_parts and builder.budget is None:
            warnings.append(Warning_(code="target_title_without_table", message=f"绩效目标表标题下没有表格：{text}", line=row.line))
        else:
            built = builder.build_all()
            for project in built:
                if not project.indicators:
                    message = f"绩效目标表没有指标行：{project.name}"
                    warnings.append(Warning_(code="target_no_indicators", message=message, line=row.line))
                projects.append(project)
            ranges.append((min(p.start_line for p in built), max(p.end_line for p in built)))
        i = max(j, i + 1)
        floor = i
    return projects, warnings, ranges
