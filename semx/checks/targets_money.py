"""The money the 说明 says the performance targets cover, against the tables and the projects.

A Shanghai-style 说明 states "编报绩效目标的项目共 N 个，涉及项目预算资金 X 万元". X should not
exceed the tables' 项目支出 (targets cover project spending), and should equal the 预算数 of the
projects whose target forms are published when all N are (N forms printed): a difference means a
project's form is missing or its amount misprinted. A project the 项目经费情况说明 describes with
no amount at all cannot be checked against anything. Findings carry the statement's line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from semx.checks.amounts import TOLERANCE, fmt
from semx.checks.prose_figures import table_figure
from semx.checks.sets import document_tables
from semx.checks.view import views
from semx.models import Finding, Line, Project, Section, SourceDocument, Table
from semx.vocab.numbers import to_decimal

_STATEMENT = re.compile(
    r"编报绩效目标的项目(?:共|合计|总计)?\s*(\d+)\s*个[，,、]?\s*(?:共)?涉及(?:项目)?预算(?:资金|金额)?(?:共|合计)?\s*"
    r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万元|元)"
)
_PROJECT_PARA = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])\s*"
                           r"([^：:，,。]{2,30}?项目)\s*[：:，,]")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|元|亿元)")


@dataclass(frozen=True)
class TargetsStatement:
    """"编报绩效目标的项目共 N 个，涉及项目预算资金 X 万元" as the 说明 prints it."""

    line: int
    projects: int
    amount_wan: Decimal
    text: str


def targets_statements(doc: SourceDocument) -> list[TargetsStatement]:
    return statements_in(doc.lines, doc.sections)


def statements_in(lines: list[Line], sections: list[Section]) -> list[TargetsStatement]:
    """The statements of the lines outside the tables (the report has lines and sections, not the source)."""
    out: list[TargetsStatement] = []
    for ln in lines:
        if _in_tables(sections, ln.no):
            continue
        m = _STATEMENT.search(ln.text.replace(" ", ""))
        amount = to_decimal(m.group(2)) if m else None
        if m and amount is not None:
            wan = amount / Decimal(10000) if m.group(3) == "元" else amount
            out.append(TargetsStatement(ln.no, int(m.group(1)), wan, ln.text.strip()))
    return out


def check_targets_money(doc: SourceDocument, tables: list[Table], projects: list[Project]) -> list[Finding]:
    out: list[Finding] = []
    for st in targets_statements(doc):
        n, stated = st.projects, st.amount_wan
        fig = table_figure("project", document_tables(views(tables)))
        if fig is not None and fig.value is not None:
            spent = fig.value  # table cells are 万元 whatever unit the table prints
            if stated > spent + TOLERANCE:
                out.append(Finding(
                    id=f"targets_amount:L{st.line}", code="targets_amount", severity="warning",
                    message=f"说明称编报绩效目标的项目涉及预算资金{fmt(stated)}万元，超过表中项目支出{fmt(spent)}万元"
                            f"（{fig.where}）：绩效目标覆盖的资金不能多于项目支出。",
                    lines=[st.line, fig.line], expected=spent, actual=stated, difference=stated - spent,
                    evidence=st.text[:200]))
        budgets = [p.budget for p in projects if p.level != "department" and p.budget is not None]
        if len(budgets) == n and budgets:
            total = sum(budgets, Decimal(0))
            if abs(total - stated) > TOLERANCE * max(1, n):
                out.append(Finding(
                    id=f"targets_amount:L{st.line}:projects", code="targets_amount", severity="warning",
                    message=f"说明称{n}个项目涉及预算资金{fmt(stated)}万元，而公开的{n}张项目绩效目标表预算数合计"
                            f"{fmt(total)}万元，相差{fmt(stated - total)}万元。",
                    lines=[st.line], expected=total, actual=stated, difference=stated - total,
                    evidence=st.text[:200]))
        elif budgets and len(budgets) != n:
            out.append(Finding(
                id=f"targets_amount:L{st.line}:count", code="targets_amount", severity="info",
                message=f"说明称编报绩效目标的项目{n}个，文件中有预算数的项目绩效目标表{len(budgets)}张，"
                        "金额无法逐项核对。",
                lines=[st.line], evidence=st.text[:200]))
    for ln, name in project_paragraphs(doc.lines, doc.sections):
        if not _AMOUNT.search(ln.text):
            out.append(Finding(
                id=f"project_no_amount:L{ln.no}", code="project_no_amount", severity="info",
                message=f"说明介绍项目“{name}”但没有给出金额，无法与表中数字核对。",
                lines=[ln.no], evidence=ln.text.strip()[:200]))
    return out


def project_paragraphs(lines: list[Line], sections: list[Section]) -> list[tuple[Line, str]]:
    """The 说明's paragraphs that introduce a project ("（一）XX项目：主要用于……"), with its name."""
    out: list[tuple[Line, str]] = []
    for ln in lines:
        m = _PROJECT_PARA.match(ln.text)
        if m and not _in_tables(sections, ln.no) and ("用于" in ln.text or "主要" in ln.text):
            out.append((ln, m.group(1)))
    return out


def _in_tables(sections: list[Section], line: int) -> bool:
    return any(s.key == "tables" and s.start_line <= line <= s.end_line for s in sections)
