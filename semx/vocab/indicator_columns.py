"""The column headers of an indicator table, whatever template printed it.

Templates differ in the columns they print and in their words for them:
  一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | 指标值 | 指标值确定依据            (Hebei)
  一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 指标值说明         (op and unit in own columns)
  绩效指标 | 指标名称 | 目标值                                                  (categories as row groups)
A header cell is given a role by its words; the reader then finds each column by its role, never
by its position. Matched on a cell with all whitespace removed. Plain Python only.
"""

from __future__ import annotations

import re

from semx.vocab.values import leading_op

# Roles a header cell can name. `category`: a column of category words of either level (the
# 一级 printed on a row of its own above its 二级 rows); `op`: the comparator (≥ ≤ =, 大于等于,
# or 定性 / 定量); `unit`: the value's unit; `note`: a column whose text is neither (评分标准),
# kept out of its neighbours' cells.
ROLES = (
    "level1", "level2", "level3", "category", "description", "value", "op", "unit", "basis", "note",
    "project", "budget", "goal",
)  # fmt: skip

_LEVEL3_NAMES = ("指标名称", "绩效指标名称", "三级指标名称", "指标项目")
_CATEGORY_NAMES = ("绩效指标", "指标类别", "指标类型", "指标分类")
_DESCRIPTION_WORDS = ("指标描述", "指标内容", "指标说明", "指标解释", "绩效标准")
# `指标值说明` / `指标值确定依据` explain the value: the basis column, never the value itself.
_BASIS = re.compile(r"依据|指标值说明|目标值说明|取值说明")
_NOTE = re.compile(r"评.{0,3}分标准|扣分标准|计分方法|评分规则|备注")
_OP = re.compile(r"^(?:指标性质|指标符号|计算符号|运算符号?|比较符号?|符号|指标方向)$")
_UNIT = re.compile(r"^(?:度量单位|计量单位|指标单位|指标值单位|单位)$")
# A table that lists several projects prints each one's name, money and goal in columns of its own.
_PROJECT = re.compile(r"^(?:项目名称|项目)$")
_BUDGET = re.compile(r"^(?:项目|年度)?(?:金额|预算金额|预算数|资金总额|预算资金)(?:[（(]万元[)）])?$")
_GOAL = re.compile(r"^(?:年度|项目|年度项目)?绩效目标$")
_VALUE = re.compile(r"指标值|目标值|预期(?:实现)?值|标准值|预期目标$")

# Values an `op` column may hold that are no comparator: the value's nature.
QUALITATIVE = ("定性",)
QUANTITATIVE = ("定量",)


def header_role(cell: str) -> str | None:
    """The role a header cell names, or None when it names none."""
    c = re.sub(r"\s+", "", cell)
    if not c:
        return None
    if "一级指标" in c:
        return "level1"
    if "二级指标" in c:
        return "level2"
    if "三级指标" in c or c in _LEVEL3_NAMES:
        return "level3"
    if c in _CATEGORY_NAMES:
        return "category"
    if _PROJECT.match(c):
        return "project"
    if _BUDGET.match(c):
        return "budget"
    if _GOAL.match(c):
        return "goal"
    if _BASIS.search(c):
        return "basis"
    if _NOTE.search(c):
        return "note"
    if _OP.match(c):
        return "op"
    if _UNIT.match(c):
        return "unit"
    if any(w in c for w in _DESCRIPTION_WORDS):
        return "description"
    if _VALUE.search(c):
        return "value"
    return None


def header_roles(cells: list[str]) -> set[str]:
    return {r for r in (header_role(c) for c in cells) if r is not None}


def is_indicator_header(cells: list[str]) -> bool:
    """A header row of an indicator table: a name column (三级指标 / 指标名称) or 一级指标, a value
    column, and a third role (categories, op, unit …), so a label row that happens to say 目标值 is not."""
    roles = header_roles(cells) - {"project", "budget", "goal"}
    return "value" in roles and ("level1" in roles or "level3" in roles) and len(roles) >= 3


def is_op_cell(text: str) -> bool:
    """A cell of the op column: a bare comparator (`≥`, `大于等于`) or the value's nature (定性 / 定量)."""
    c = re.sub(r"\s+", "", text)
    if not c:
        return False
    if c in QUALITATIVE or c in QUANTITATIVE:
        return True
    op, rest = leading_op(c)
    return op is not None and not rest
