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

from semx.checks.amounts import TOLERANCE
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
    return out


def _same(stated: str, printed: str) -> bool:
    a, b = norm(stated), norm(printed)
    return bool(a) and bool(b) and (a == b or b in a or a in b)


def item_row(view: TableView, names: tuple[str, str, str]) -> int | None:
    """The one 项 row (7-digit code) under the stated 类 whose name is the stated 项; its 款 narrows it."""
    rows = [((r.code or "").strip(), norm(r.name)) for r in view.rows]
    classes = [c for c, n in rows if len(c) == 3 and _same(names[0], n)]
    if len(classes) != 1:
        return None
    leaves = [i for i, (c, n) in enumerate(rows) if len(c) == 7 and c.startswith(classes[0]) and _same(names[2], n)]
    kuan = [c for c, n in rows if len(c) == 5 and c.startswith(classes[0]) and _same(names[1], n)]
    if len(leaves) > 1 and len(kuan) == 1:
        leaves = [i for i in leaves if rows[i][0].startswith(kuan[0])]
    return leaves[0] if len(leaves) == 1 else None


def check_items(doc: SourceDocument, views: list[TableView], ledger: Ledger) -> list[Issue]:
    issues: list[Issue] = []
    for section_key, kind in SECTION_TABLES.items():
        view = first_of(views, kind)
        for st in item_statements(doc, section_key):
            label = f"{st.names[2]}（项）"
            row = item_row(view, st.names) if view is not None else None
            col = view.col("合计", "决算数") if view is not None else None
            if view is not None and row is not None and col is not None:
                cell = Cell(view, row, col)
                seen: list[Decimal] = []
                for fact in st.facts:
                    if any(abs(fact.amount - v) <= TOLERANCE for v in seen):
                        continue  # the same figure said twice is one statement
                    seen.append(fact.amount)
                    issue = check_equal(ledger, code=TABLE_CODE, left=Stated(fact, label), right=cell,
                                        key=f"{section_key}:{fact.line}:{fact.order}", blame=Stated(fact, label))
                    if issue:
                        issues.append(issue)
            elif len(st.facts) == 2:
                a, b = st.facts
                issue = check_equal(ledger, code=SELF_CODE, left=Stated(a, label), right=Stated(b, f"{label}支出决算"),
                                    key=f"{section_key}:{a.line}:{a.order}~self")
                if issue:
                    issues.append(issue)
    return issues
