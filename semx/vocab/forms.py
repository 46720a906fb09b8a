"""Field labels of the project performance-target form (财政项目支出绩效目标填报表 / 申报表 and the
central 项目支出绩效目标申报表): the words that make a table such a form whatever its title says.

Labels are matched on a cell with all whitespace removed. Plain Python only.
"""

from __future__ import annotations

import re

# `项目名称`, also `项目名称：` with the name in the same cell.
NAME = re.compile(r"^项目名称[:：]?")
CODE = re.compile(r"^项目(?:编码|代码|编号)[:：]?")
DEPARTMENT = re.compile(r"^(?:预算)?主管部门(?:及代码|名称)?[:：]?")
IMPLEMENTER = re.compile(r"^(?:项目)?实施单位(?:名称)?[:：]?")
START = re.compile(r"^(?:计划)?开始(?:日期|时间)[:：]?")
END = re.compile(r"^(?:计划)?(?:完成|结束)(?:日期|时间)[:：]?")
PERIOD = re.compile(r"^(?:项目)?(?:实施周期|实施期限|项目期|项目周期|起止时间|执行期限)[:：]?")
# The money block: its row label (`项目资金（元）`) names the printed unit.
MONEY_BLOCK = re.compile(r"^(?:项目|年度)?(?:资金|预算)(?:情况)?[（(](万元|元)[)）]$")
# `（元）` alone: the money block's row label wrapped, its unit on a line of its own.
UNIT_ONLY = re.compile(r"^[（(](万元|元)[)）]$")
MONEY_TOTAL = re.compile(r"(?:资金|预算|申请)(?:申请)?总额|^(?:年度|本年|当年)?预算(?:数|金额|资金)")
MONEY_FISCAL = re.compile(r"财政(?:拨款|资金)")
MONEY_CARRY = re.compile(r"结转")
MONEY_OTHER = re.compile(r"其他资金")
# The annual side of a two-sided money block or goal row.
ANNUAL = re.compile(r"年度|当年")
GOAL_TOTAL = re.compile(r"^(?:项目)?(?:总|总体|中期|长期|整体)目标[:：]?")
GOAL_ANNUAL = re.compile(r"^年度(?:总体|绩效)?目标[:：]?")
# Row labels of merged left-hand cells, and other labels whose value is not read.
ROW_LABELS = re.compile(r"^(?:项目绩效目标|绩效目标|绩效指标|项目资金|项目性质|项目类别|项目属性|项目类型|备注)[:：]?$")
# A printed unit line near the form: `单位：元`, `金额单位：万元`.
UNIT_LINE = re.compile(r"(?:金额)?单位[:：]\s*(万元|元)")

# The labels that make a form (项目名称 plus at least FORM_MIN_LABELS of these kinds).
FORM_LABEL_KINDS: dict[str, re.Pattern[str]] = {
    "department": DEPARTMENT,
    "implementer": IMPLEMENTER,
    "start": START,
    "period": PERIOD,
    "money": re.compile(r"^(?:项目资金|年度资金|资金总额|年度预算|预算资金|项目预算)"),
    "goal": re.compile(r"^(?:项目总目标|总体目标|年度目标|年度总体目标|中期目标|年度绩效目标)"),
    "indicators": re.compile(r"^一级指标$"),
}
FORM_MIN_LABELS = 3

# Text layouts (SourceDocument.rebuilt_from) that print side-by-side cells one after the other.
SEQUENTIAL_TEXT = ("flat", "cell_lines")

# Pieces of the 项目绩效目标 row label stacked over several lines left of the goal cells (项目 / 绩效 /
# 目标): in one-span-per-line text they stand among the goal lines and are not goal text.
GOAL_ROW_LABEL_PIECE = re.compile(r"^(?:项目|绩效|目标|项目绩效|绩效目标|项目绩效目标)$")

# The column labels of the indicator table (一级指标 … 指标值确定依据): a line holding only these is a
# piece of the table's header, never a goal or an indicator ("3. 三级指标" under a goal text).
INDICATOR_HEADER_LABEL = re.compile(r"^(?:[一二三]级指标|绩效指标描述|指标描述|指标值确定依据|指标值|指标名称)+$")
