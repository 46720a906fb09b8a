"""Which standard table a title line names, and which lines end a table.

Titles differ between provinces and years (部门预算收支总表, 单位预算收支总表,
部门收支总体情况表, 收支预算总表 …), so kinds are recognised by their stable words,
most specific first: 财政拨款收支总表 before 收支总表, 基本支出 before 支出, "三公" before
一般公共预算.
"""

from __future__ import annotations

import re
from typing import Literal

from semx.models import TableKind
from semx.tables.text import clean, compact

_TOTAL = r"总(?:体情况)?表"
_EXPENSE_TABLE = r"支出(?:预算)?(?:情况|明细)?表"

_KIND_PATTERNS: list[tuple[TableKind, re.Pattern[str]]] = [
    ("three_public_expenditure", re.compile(r"三公.{0,8}表$")),
    ("fiscal_appropriation_summary", re.compile(rf"财政拨款收支(?:预算)?{_TOTAL}$")),
    ("income_expenditure_summary", re.compile(rf"收支(?:预算)?{_TOTAL}$")),
    ("income_summary", re.compile(rf"收入(?:预算)?{_TOTAL}$")),
    ("expenditure_summary", re.compile(rf"支出(?:预算)?{_TOTAL}$")),
    ("general_budget_basic_expenditure", re.compile(rf"一般公共预算(?:财政拨款)?基本{_EXPENSE_TABLE}$")),
    ("general_budget_expenditure", re.compile(rf"一般公共预算(?:财政拨款)?{_EXPENSE_TABLE}$")),
    ("government_fund_expenditure", re.compile(rf"政府性?基金(?:预算)?(?:财政拨款)?{_EXPENSE_TABLE}$")),
    ("state_capital_expenditure", re.compile(rf"国有资本经营(?:预算)?(?:财政拨款)?{_EXPENSE_TABLE}$")),
    ("government_procurement", re.compile(r"政府采购(?:预算)?(?:明细|情况)?表$|政府采购预算$")),
    ("fixed_assets", re.compile(r"固定资产.{0,6}表$|国有资产占用.{0,4}表$")),
    ("institutions", re.compile(r"^(?:部门|单位)?(?:内设)?机构设置(?:情况)?(?:表)?$")),
]

# Wording variants with the same table behind them: 决算 tables are the 预算 tables of the
# final accounts (收入支出决算总表, 收入决算表 …), "功能分类" / "(部门预算)经济分类" say how the
# rows are classed (一般公共预算支出功能分类预算表, 一般公共预算基本支出部门预算经济分类预算表),
# and the "三公" table may share its title with 机关运行经费 (Shanghai).
_FOLDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"决算"), "预算"),
    (re.compile(r"收入支出"), "收支"),
    (re.compile(r"(?:部门预算|部门|政府)?经济分类|功能分类"), ""),
    (re.compile(r"(?:和|及)机关运行经?费"), ""),
    (re.compile(r"(?<=预算)拨款"), "财政拨款"),  # 一般公共预算拨款基本支出明细表
    (re.compile(r"预算预算"), "预算"),
]
# Titles that only exist folded: 收入决算表 / 支出决算表 have no 总, and the fund tables of a
# 决算 print 收入支出 (政府性基金预算财政拨款收入支出决算表).
_FOLDED_PATTERNS: list[tuple[TableKind, re.Pattern[str]]] = [
    ("income_summary", re.compile(r"(?:^|部门|单位)收入预算表$")),
    ("expenditure_summary", re.compile(r"(?:^|部门|单位)支出预算表$")),
    ("government_fund_expenditure", re.compile(r"政府性?基金(?:预算)?(?:财政拨款)?收支(?:预算)?表$")),
    ("state_capital_expenditure", re.compile(r"国有资本经营(?:预算)?(?:财政拨款)?收支(?:预算)?表$")),
    ("general_budget_basic_expenditure", re.compile(r"(?:^|年|部门|单位)基本支出(?:预算)?(?:明细|情况)?表$")),
    # 单位一般公共预算拨款表 / 单位政府性基金拨款表 / 单位国有资本经营预算拨款表
    ("general_budget_expenditure", re.compile(r"一般公共预算财政拨款(?:预算)?表$")),
    ("government_fund_expenditure", re.compile(r"政府性?基金(?:预算)?(?:财政)?拨款(?:预算)?表$")),
    ("state_capital_expenditure", re.compile(r"国有资本经营(?:预算)?(?:财政)?拨款(?:预算)?表$")),
]


def fold_title(key: str) -> str:
    """A compact title with its wording variants folded onto the standard words."""
    for pattern, repl in _FOLDS:
        key = pattern.sub(repl, key)
    return key


DEFAULT_TITLES: dict[TableKind, str] = {
    "income_expenditure_summary": "收支总表",
    "income_summary": "收入总表",
    "expenditure_summary": "支出总表",
    "fiscal_appropriation_summary": "财政拨款收支总表",
    "general_budget_expenditure": "一般公共预算财政拨款支出表",
    "general_budget_basic_expenditure": "一般公共预算财政拨款基本支出表",
    "government_fund_expenditure": "政府性基金预算财政拨款支出表",
    "state_capital_expenditure": "国有资本经营预算财政拨款支出表",
    "three_public_expenditure": "财政拨款“三公”经费支出表",
    "government_procurement": "政府采购预算表",
    "fixed_assets": "固定资产占用情况表",
    "institutions": "机构设置情况",
}

# The standard names of the same tables in a 决算 (final accounts), for messages about them.
FINAL_TITLES: dict[TableKind, str] = {
    "income_expenditure_summary": "收入支出决算总表",
    "income_summary": "收入决算表",
    "expenditure_summary": "支出决算表",
    "fiscal_appropriation_summary": "财政拨款收入支出决算总表",
    "general_budget_expenditure": "一般公共预算财政拨款支出决算表",
    "general_budget_basic_expenditure": "一般公共预算财政拨款基本支出决算表",
    "government_fund_expenditure": "政府性基金预算财政拨款收入支出决算表",
    "state_capital_expenditure": "国有资本经营预算财政拨款收入支出决算表",
    "three_public_expenditure": "财政拨款“三公”经费支出决算表",
}

# "附表1-2", "表3", "1.", "2、", "（一）" in front of a title; "（续）" behind it on a continued page.
_LEADING_NUMBER = re.compile(
    r"^(?:附?表\s*\d+(?:\s*[-—－.]\s*\d+)?[:：、.．]?|\d+(?:\.\d+)+(?!\d)|\d+\s*[、.．]"
    r"|[（(][一二三四五六七八九十\d]+[）)])\s*"
)
_CONTINUED = re.compile(r"[（(]\s*续(?:表)?\s*[）)]\s*$|续表$")
_SENTENCE = re.compile(r"[。，；;,]|：.|:.")
_TOC_LEADER = re.compile(r"\.{3,}|…{2,}|·{3,}")
_SECTION_HEAD = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.．]|第[一二三四五六七八九十]+部分)")
_MAX_TITLE = 48


# "表二 收入预算表": a Chinese numeral needs its separator, read before spaces near CJK are dropped
# (表八一般公共预算… would otherwise lose the 一 of 一般).
_LEADING_CN_NUMBER = re.compile(r"^\s*附?表\s*[一二三四五六七八九十]{1,3}(?:\s+|\s*[:：、.．]\s*)")


def title_text(cell: str) -> tuple[str, bool]:
    """(title without numbering or 续 mark, continued?)."""
    t = clean(_LEADING_CN_NUMBER.sub("", cell)).strip("#* ")
    continued = bool(_CONTINUED.search(t))
    t = _CONTINUED.sub("", t).strip()
    t = _LEADING_NUMBER.sub("", t)
    return t, continued


def _title_candidate(cell: str) -> str | None:
    t, _ = title_text(cell)
    if not t or len(t) > _MAX_TITLE or _TOC_LEADER.search(t) or _SENTENCE.search(t):
        return None
    return t


# Every standard title contains one of these; most lines of a document contain none.
_TITLE_HINTS = ("表", "采购预算", "机构设置")


def kind_of_title(cell: str) -> TableKind | None:
    """The standard table a title names, or None (also for prose that merely mentions a table)."""
    if not any(h in cell for h in _TITLE_HINTS):
        return None
    t = _title_candidate(cell)
    if t is None or _SECTION_HEAD.match(clean(cell)):
        return None
    # 收入支出 is always both sides (收入支出总表 is no 支出总表), whatever else the title says
    key = compact(t).replace("收入支出", "收支")
    if "绩效" in key:  # 绩效目标表 of a project named after a table's subject
        return None
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(key):
            return kind
    # Second chance with the wording variants of other provinces and of 决算 (final accounts)
    # folded onto the words above; tried only after the printed words failed, so a title that
    # matched before still gets the same kind.
    folded = fold_title(key)
    for kind, pattern in [*(_KIND_PATTERNS if folded != key else []), *_FOLDED_PATTERNS]:
        if pattern.search(folded):
            return kind
    return None


def is_section_head(cell: str) -> bool:
    """一、… of the 说明 or 第一部分 …"""
    return bool(_SECTION_HEAD.match(clean(cell)))


def ends_table(cell: str) -> bool:
    """A title of any table (绩效目标表 too), a 说明 section heading or a 第X部分 line."""
    c = clean(cell)
    if _SECTION_HEAD.match(c):
        return True
    if not any(h in cell for h in _TITLE_HINTS):
        return False
    t = _title_candidate(cell)
    return t is not None and (compact(t).endswith("表") or kind_of_title(cell) is not None)


def scope_of(title: str) -> Literal["department", "unit"] | None:
    """部门 tables cover the department with its units; 单位 tables a single unit."""
    t = compact(title)
    dept, unit = t.find("部门"), t.find("单位")
    if dept < 0 and unit < 0:
        return None
    if unit < 0 or 0 <= dept < unit:
        return "department"
    return "unit"


# ---------------------------------------------------------------- untitled tables


def kind_of_header(cells: list[str]) -> TableKind | None:
    """Kind of a table that starts with its header, without a title line (seen in 说明 sections)."""
    joined = compact("".join(cells))
    if not any(h in joined for h in ("采购", "单位名称", "数量")):
        return None
    keys = [compact(c) for c in cells if c.strip()]
    if any(k.startswith("政府采购项目") or k == "采购物品名称" or "采购目录" in k for k in keys):
        return "government_procurement"
    if "单位名称" in keys and any(k in ("单位性质", "单位规格", "经费保障形式") for k in keys):
        return "institutions"
    if keys[0] in ("项目", "资产项目") and "数量" in keys and any(k.startswith(("价值", "金额")) for k in keys):
        return "fixed_assets"
    return None
