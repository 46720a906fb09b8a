"""Column names of the standard 部门预算 / 部门决算 tables, printed whole.

A text extractor that loses the page geometry prints some header cells on lines of their own;
a line that is one of these names is a column of its own, any other short line a piece of a
wrapped name (附属单位上 / 缴收入, 事业单位 / 经营收入). The names are the national templates'.
"""

from __future__ import annotations

FINAL_ACCOUNT_COLUMNS: frozenset[str] = frozenset({
    "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入",
    "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出",
})
BUDGET_COLUMNS: frozenset[str] = frozenset({
    "合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入", "上年结转",
    "基本支出", "项目支出", "人员经费", "公用经费",
})
STANDARD_COLUMNS: frozenset[str] = FINAL_ACCOUNT_COLUMNS | BUDGET_COLUMNS
# A column a template splits into its parts (the 财务收支预算总表 of a 2026 单位预算).
SPLIT_COLUMNS: dict[str, tuple[str, ...]] = {"基本支出": ("人员经费", "公用经费")}
# The 决算's columns by source of funds and its carry-over columns: names long enough to wrap in a
# header cell (一般公共预算财 / 政拨款), so their pieces tell a wrapped header from whole names.
# The budget's columns by source of funds, which PyMuPDF may print two to a line (政府性基金预算国有资本经营预算).
FUND_COLUMNS: frozenset[str] = frozenset({
    "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款", "年初结转和结余", "年末结转和结余",
    "一般公共预算", "政府性基金预算", "国有资本经营预算",
})
# The horizontal "三公" table's column names (budget template), and the words a header prints over
# the columns of any table (项目 / 预算数 over a side, 类 款 项 over the code columns).
THREE_PUBLIC_COLUMNS: frozenset[str] = frozenset({
    "因公出国(境)费", "因公出国（境）费", "公务接待费", "公务用车购置及运行费", "公务用车购置及运行维护费",
    "小计", "购置费", "运行费", "机关运行经费预算数",
})
HEADER_WORDS: frozenset[str] = frozenset({"项目", "预算数", "决算数", "类", "款", "项"})
# Families of column names: a header cell glued to its neighbour by a text extractor
# (`合计基本支出`, `一般公共预算政府性基金预算国有资本经营预算`, `类款项`) is split only into names of one
# family, so a row label made of two names of different kinds (一般公共预算基本支出) stays whole.
COLUMN_FAMILIES: tuple[frozenset[str], ...] = (STANDARD_COLUMNS, FUND_COLUMNS, THREE_PUBLIC_COLUMNS, HEADER_WORDS)

# The horizontal "三公" table (the Shanghai 预算 and the national 决算 template): the parts that
# 公务用车购置及运行(维护)费 spans, its own total first, as printed under it; a column after them is
# not under it.
VEHICLE_PARTS: tuple[str, ...] = (
    "小计", "合计", "购置费", "运行费", "运行维护费", "公务用车购置费", "公务用车运行费", "公务用车运行维护费",
)
# The label over the 三公 columns when the text lost its line: the standard table's own words.
THREE_PUBLIC_TOP = "“三公”经费预算数"
# The column printed after the 三公 ones (机关运行经费预算数, 2023年机关运行经费预算数): a wrapped
# header cell whose pieces text prints on lines apart (`2023年机关运行经` / `费预算数`).
RUNNING_COSTS_COLUMN = "机关运行经费预算数"
