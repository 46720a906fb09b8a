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
from semx.targets.freetext import link_projects, parse_free_text
from semx.targets.projects import parse_projects
from semx.targets.values import parse_value

if TYPE_CHECKING:
    from rich.console import Console


def parse_targets(doc: SourceDocument) -> tuple[list[Project], list[FreeTextTarget], list[Warning_]]:
    """Every 绩效目标表 as a Project, every prose target block, and what could not be read."""
    projects, warnings, ranges = parse_projects(table_rows(doc))
    free_text, ft_warnings = parse_free_text(doc, exclude=ranges)
    link_projects(free_text, projects)
    return projects, free_text, [*warnings, *ft_warnings]


def render_targets(projects: list[Project], free_text_targets: list[FreeTextTarget], console: Console) -> None:
    """Readable per-project view; rich is imported only when something is printed."""
    from semx.targets.render import render_targets as _render

    _render(projects, free_text_targets, console)


__all__ = ["parse_targets", "parse_value", "render_targets"]
