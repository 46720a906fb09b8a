"""Whether a document holds what a review rule reads: the reason it cannot be judged, or "".

A rule that found nothing has passed only if it had something to look at. The money statement of
the 说明 cannot disagree with the tables in a document that prints no such statement; a cross-year
copy cannot be seen without another year of the unit; a 满意度 target cannot be 100% where there
is no 满意度 row. The checklist says 不适用 with one of these reasons instead of 通过.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from semx.checks.prose_figures import table_figure
from semx.checks.sets import document_tables
from semx.checks.targets_money import project_paragraphs, statements_in
from semx.checks.view import views
from semx.models import Line, ParsedDocument, Project
from semx.score.items import indicator_text
from semx.score.text import clean
from semx.vocab.categories import normalize_level1, normalize_level2
from semx.vocab.flags import FlagSpec

NO_FORMS = "文件中没有绩效目标表或指标，此项无从审核。"
NO_TEXT = "未读到文件原文，无法判断说明中是否有此项内容。"


def _tables(doc: ParsedDocument) -> list[Project]:
    return [p for p in doc.projects if p.indicators]


def _targets_amount(doc: ParsedDocument, lines: list[Line]) -> str:
    if not lines:
        return NO_TEXT
    if not statements_in(lines, doc.sections):
        return "说明中没有“编报绩效目标的项目N个，涉及项目预算资金X万元”的表述，此项无从核对。"
    fig = table_figure("project", document_tables(views(doc.tables)))
    has_budget = any(p.budget is not None for p in doc.projects if p.level != "department")
    if (fig is None or fig.value is None) and not has_budget:
        return "说明有编报绩效目标的金额，但表中没有项目支出数，也没有项目预算数可供核对。"
    return ""


def _project_no_amount(doc: ParsedDocument, lines: list[Line]) -> str:
    if not lines:
        return NO_TEXT
    if not project_paragraphs(lines, doc.sections):
        return "说明没有逐项介绍项目，此项不适用。"
    return ""


def _annual_copies_total(doc: ParsedDocument) -> str:
    if not any(p.total_goal and (p.annual_goal or p.goal_text or p.goals) for p in doc.projects):
        return "没有同时列出项目总目标和年度目标的项目，此项不适用。"
    return ""


def _satisfaction_100(doc: ParsedDocument) -> str:
    if not any("满意" in indicator_text(i) or normalize_level1(i.level1) == "满意度指标"
               for p in _tables(doc) for i in p.indicators):
        return "没有满意度指标，此项不适用。"
    return ""


def _cost_vs_budget(doc: ParsedDocument) -> str:
    if not any(p.budget and any(normalize_level2(i.level2) == "成本指标" and i.value.wan is not None
                                for i in p.indicators) for p in _tables(doc)):
        return "没有既有预算数又有以金额表示的成本指标的项目，此项无从核对。"
    return ""


def _has_goals(doc: ParsedDocument) -> str:
    if not any(p.goal_text or p.goals for p in _tables(doc)):
        return "绩效目标表没有填写绩效目标文字，此项无从审核。"
    return ""


def _has_prose(doc: ParsedDocument) -> str:
    # prose_disagrees reads the goal text and the 资金用途 (semx/score/project_checks.prose_for)
    if not any(p.goal_text or p.goals or p.purpose for p in _tables(doc)):
        return "绩效目标表没有绩效目标或资金用途文字，无从与表中数字比对。"
    return ""


_PROJECT_INPUTS: dict[str, Callable[[ParsedDocument], str]] = {
    "annual_copies_total": _annual_copies_total,
    "satisfaction_100": _satisfaction_100,
    "cost_vs_budget": _cost_vs_budget,
    "goal_without_indicator": _has_goals,
    "prose_disagrees": _has_prose,
}


def _unit(doc: ParsedDocument) -> str:
    # the scorer's key for a unit across years (semx/score/documents.py)
    return clean(doc.unit_name or doc.unit_code or "")


def _cross_year(doc: ParsedDocument, batch: Sequence[ParsedDocument]) -> str:
    if not _unit(doc) or not doc.year:
        return "未识别文件的单位或年度，无从与其他年度比较。"
    if not any(_unit(o) == _unit(doc) and o.year and o.year < doc.year for o in batch):
        return "本批没有同一单位更早年度的文件，无从判断是否照搬。"
    return ""


def not_applicable(spec: FlagSpec, doc: ParsedDocument, lines: list[Line], batch: Sequence[ParsedDocument]) -> str:
    """Why `spec` cannot be judged on `doc` (lines: its source lines; batch: every document of the run), or ""."""
    if spec.code == "targets_amount":
        return _targets_amount(doc, lines)
    if spec.code == "project_no_amount":
        return _project_no_amount(doc, lines)
    if spec.level == "document":
        return ""
    tables = _tables(doc)
    if not tables and not any(t.indicators for t in doc.free_text_targets):
        return NO_FORMS
    if spec.needs_column and tables:
        column, label = spec.needs_column
        printed = any(column in p.indicator_columns or any(getattr(i, column, None) for i in p.indicators)
                      for p in tables)
        if not printed:
            return f"本文件的绩效目标表没有“{label}”栏，此项不适用。"
    if spec.code == "cross_year_copy":
        return _cross_year(doc, batch)
    rule = _PROJECT_INPUTS.get(spec.code)
    return rule(doc) if rule else ""
