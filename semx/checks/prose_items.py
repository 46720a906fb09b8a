"""The 科目 statements of a 决算 说明 (五 一般公共预算, 八 政府性基金) against their table row.

Those parts list each 功能分类 项 as "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位
职业年金缴费支出（项）269.85万元，主要用于…。年初预算为285.33万元，支出决算为269.86万元". The
phrase names one row of one table (the section's own 财政拨款支出决算表), so each stated
决算 figure is compared with that row's 合计; a statement whose two figures disagree while
its row is not found is still a contradiction of the text with itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from semx.checks.amounts import copy_tolerance, fmt, signed
from semx.checks.figures import Cell, Stated
from semx.checks.issues import Issue, Ledger
from semx.checks.prose_extract import Fact, section_text
from semx.checks.sums import check_equal
from semx.checks.view import TableView, first_of, norm
from semx.models import SourceDocument

TABLE_CODE = "PROSE_TABLE"
SELF_CODE = "PROSE_SELF"

# Which table a part's 科目 statements name.
SECTION_TABLES: dict[str, str] = {
    "final_general": "general_budget_expenditure",
    "final_fund": "government_fund_expenditure",
}

_NUM = r"(\d+(?:\.\d+)?)"
# 类, 款, 项 names, then the amount stated right after the 项 (it may be missing).
_ITEM = re.compile(r"([^()\n，。；:、]+)\(类\)([^()\n，。；:]+)\(款\)([^()\n，。；:]+)\(项\)(?:" + _NUM + r"万元)?")
# The structure sentence: "主要用于以下方面：一般公共服务支出（类）207.40万元，占1.03%；…".
_CLASS = re.compile(r"([^()\n，,。；;:、]+)\(类\)" + _NUM + r"万元")
# "支出决算为 X 万元" / "决算数为 X" later in the same statement.
_FINAL = re.compile(r"(?:支出决算|决算数)(?:为|是)?" + _NUM)
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class ItemStatement:
    names: tuple[str, str, str]  # 类, 款, 项 as stated
    facts: tuple[Fact, ...]  # the stated figure after the 项, then the 支出决算 figure


def item_statements(doc: SourceDocument, section_key: str) -> list[ItemStatement]:
    out: list[ItemStatement] = []
    for section in doc.sections:
        if section.key != section_key:
            continue
        text, line_of = section_text(doc, section.start_line, section.end_line)
        found = list(_ITEM.finditer(text))
        for i, m in enumerate(found):
            end = found[i + 1].start() if i + 1 < len(found) else len(text)
            body = text[m.end():end]
            names = (_DIGITS.sub("", m.group(1)).strip(), m.group(2).strip(), m.group(3).strip())
            facts: list[Fact] = []
            spots = [(m.group(4), m.start(4))] if m.group(4) else []
            final = _FINAL.search(body)
            if final:
                spots.append((final.group(1), m.end() + final.start(1)))
            for number, at in spots:
                facts.append(Fact(key=f"item:{names[2]}", amount=Decimal(number), line=line_of[at],
                                  text=text[m.start():end], clause=(at - m.start(), at - m.start() + len(number)),
                                  section=section_key, order=10_000 + 2 * i + len(facts)))
            if facts:
                out.append(ItemStatement(names=names, facts=tuple(facts)))
        for i, m in enumerate(_CLASS.finditer(text)):
            at = m.start(2)
            fact = Fact(key=f"class:{m.group(1)}", amount=Decimal(m.group(2)), line=line_of[at], text=text[m.start():m.end()],
                        clause=(at - m.start(), m.end() - m.start()), section=section_key, order=20_000 + i)
            out.append(ItemStatement(names=(_DIGITS.sub("", m.group(1)).strip(), "", ""), facts=(fact,)))
    return out


def _same(stated: str, printed: str) -> bool:
    a, b = norm(stated), norm(printed)
    return bool(a) and bool(b) and (a == b or b in a or a in b)


def code_names(views: list[TableView]) -> dict[str, str]:
    """科目编码 -> name as any table prints it (a table may print the code alone)."""
    names: dict[str, str] = {}
    for view in views:
        for r in view.rows:
            code = (r.code or "").strip()
            if code.isdigit() and norm(r.name) and code not in names:
                names[code] = norm(r.name)
    return names


def item_row(view: TableView, names: tuple[str, str, str], known: dict[str, str]) -> int | None:
    """The one 项 row (7-digit code) under the stated 类 whose name is the stated 项; its 款 narrows it.

    A statement of a 类 alone (no 款, 项) names the 类 row.
    """
    rows = [((r.code or "").strip(), norm(r.name)) for r in view.rows]
    rows = [(c, n or known.get(c, "")) for c, n in rows]
    classes = [c for c, n in rows if len(c) == 3 and _same(names[0], n)]
    if len(classes) != 1:
        return None
    if not names[2]:
        exact = [i for i, (c, n) in enumerate(rows) if c == classes[0] and n == norm(names[0])]
        return exact[0] if len(exact) == 1 else None
    leaves = [i for i, (c, n) in enumerate(rows) if len(c) == 7 and c.startswith(classes[0]) and _same(names[2], n)]
    kuan = [c for c, n in rows if len(c) == 5 and c.startswith(classes[0]) and _same(names[1], n)]
    exact = [i for i in leaves if rows[i][1] == norm(names[2])]
    leaves = exact or leaves
    if len(leaves) > 1 and len(kuan) == 1:
        leaves = [i for i in leaves if rows[i][0].startswith(kuan[0])]
    return leaves[0] if len(leaves) == 1 else None


def _cell(view: TableView | None, names: tuple[str, str, str], known: dict[str, str]) -> Cell | None:
    if view is None:
        return None
    col = view.col("合计", "本年支出合计", "决算数")
    row = item_row(view, names, known)
    return Cell(view, row, col) if row is not None and col is not None else None


def _distinct(facts: tuple[Fact, ...]) -> list[Fact]:
    """The same figure said twice is one statement."""
    out: list[Fact] = []
    for f in facts:
        if not any(f.amount == g.amount for g in out):
            out.append(f)
    return out


def _exceeds(fact: Fact, label: str, cell: Cell) -> Issue | None:
    """A 项 paid from one fund cannot have spent more than the 项 from all funds (支出决算表)."""
    value = cell.value
    if value is None or fact.amount - value <= copy_tolerance(fact.amount, value):
        return None
    return Issue(
        code=TABLE_CODE, severity="error",
        message=(f"说明第{fact.line}行所述政府性基金{label}支出决算 {fmt(fact.amount)} 万元，超过了{cell.where}"
                 f"（该科目全部资金的支出）{fmt(value)} 万元（{signed(fact.amount - value)} 万元）"),
        key=f"final_fund:{fact.line}:{fact.order}:bound", tables=[t for t in (cell.table,) if t],
        lines=[fact.line, cell.line], expected=value, actual=fact.amount, evidence=fact.sentence,
    )


def check_items(doc: SourceDocument, views: list[TableView], ledger: Ledger) -> list[Issue]:
    known = code_names(views)
    issues: list[Issue | None] = []
    for section_key, kind in SECTION_TABLES.items():
        own = first_of(views, kind)
        for st in item_statements(doc, section_key):
            label = f"{st.names[2]}（项）" if st.names[2] else f"{st.names[0]}（类）"
            cell = _cell(own, st.names, known)
            if cell is not None:
                for fact in _distinct(st.facts):
                    stated = Stated(fact, label)
                    issues.append(check_equal(ledger, code=TABLE_CODE, left=stated, right=cell, blame=stated,
                                              key=f"{section_key}:{fact.line}:{fact.order}",
                                              tolerance=copy_tolerance(fact.amount, cell.value or fact.amount)))
                continue
            bound = _cell(first_of(views, "expenditure_summary"), st.names, known) if section_key == "final_fund" else None
            if bound is not None:
                issues.extend(_exceeds(f, label, bound) for f in _distinct(st.facts))
            elif len(st.facts) == 2:
                a, b = st.facts
                issues.append(check_equal(ledger, code=SELF_CODE, left=Stated(a, label), right=Stated(b, f"{label}支出决算"),
                                          key=f"{section_key}:{a.line}:{a.order}~self",
                                          tolerance=copy_tolerance(a.amount, b.amount)))
    return [i for i in issues if i is not None]
