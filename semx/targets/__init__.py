"""Performance targets: project tables, indicator values and free-text target blocks.

Public API (used by the pipeline, the LLM stage and the scorer):
  parse_targets(doc) -> (projects, free_text_targets, warnings)
  parse_value(raw) -> IndicatorValue
  render_targets(projects, free_text_targets, console)   # `semx targets FILE`
No LLM calls happen here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from semx.models import FreeTextTarget, Project, SourceDocument, Warning_
from semx.rows import table_rows
from semx.targets.forms import parse_forms
from semx.targets.freetext import link_projects, parse_free_text
from semx.targets.project_notes import parse_project_notes
from semx.targets.projects import parse_projects
from semx.targets.values import parse_value

if TYPE_CHECKING:
    from rich.console import Console


def parse_targets(doc: SourceDocument) -> tuple[list[Project], list[FreeTextTarget], list[Warning_]]:
    """Every 绩效目标表 and 绩效目标填报表 form as a Project, every prose target block, and what could not be read."""
    rows = table_rows(doc)
    # Forms are found by their field labels first, so a form titled like a Hebei table
    # (…绩效目标申报表) is still read as the form it is; the rest goes to the title-led reader.
    forms, form_warnings, form_ranges = parse_forms(rows, doc.rebuilt_from)
    rest = [r for r in rows if not any(a <= r.line <= b for a, b in form_ranges)] if forms else rows
    tables, warnings, ranges = parse_projects(rest)
    projects = sorted([*forms, *tables], key=lambda p: p.start_line)
    table_ranges = sorted([*form_ranges, *ranges])
    # 项目经费情况说明 sections first: their 绩效目标 parts are read (and linked) by their own
    # structure, and the labelled-prose reader skips them so nothing is read twice.
    notes, note_warnings, note_ranges = parse_project_notes(doc, table_ranges, projects)
    free_text, ft_warnings = parse_free_text(doc, exclude=sorted([*table_ranges, *note_ranges]))
    link_projects(free_text, projects)
    free_text = sorted([*free_text, *notes], key=lambda t: t.start_line)
    return projects, free_text, [*form_warnings, *warnings, *ft_warnings, *note_warnings]


def render_targets(projects: list[Project], free_text_targets: list[FreeTextTarget], console: Console) -> None:
    """Readable per-project view; rich is imported only when something is printed."""
    from semx.targets.render import render_targets as _render

    _render(projects, free_text_targets, console)


__all__ = ["parse_targets", "parse_value", "render_targets"]
