"""report.html from the jinja2 template, with autoescape on for every value."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from semx.atomic import atomic_write_text
from semx.models import Line
from semx.report.locate import cite_pages
from semx.report.records import DocResult, ErrorRecord
from semx.report.scoring_notes import scoring_notes
from semx.report.summary import Summary
from semx.report.view import (
    ERROR_KIND_LABEL,
    ERROR_STAGE_LABEL,
    STAGE_LABEL,
    ReportView,
    doc_view,
    error_reason,
    flag_level,
    page_map,
)
from semx.vocab.findings import finding_label
from semx.vocab.flags import flag_label

TEMPLATES = Path(__file__).with_name("templates")


def _env() -> Environment:
    # autoescape=True for every template (not only *.html): the page template is *.html.j2.
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.globals["label"] = flag_label
    env.globals["finding_label"] = finding_label
    env.globals["flag_level"] = flag_level
    env.globals["error_stage"] = ERROR_STAGE_LABEL
    env.globals["error_kind"] = ERROR_KIND_LABEL
    env.globals["error_reason"] = error_reason
    env.filters["wan"] = wan
    return env


def wan(amount: Decimal | float | None) -> str:
    """An amount in 万元 as the tables print it: two decimals."""
    return "—" if amount is None else f"{Decimal(str(amount)):.2f}"


def stage_notices(summary: Summary) -> list[str]:
    """One line per stage that did not simply run everywhere: a skipped stage is never silent."""
    out: list[str] = []
    for stage, c in summary.stages.items():
        label = STAGE_LABEL.get(stage, stage)
        detail = "；".join(c.notices[:5]) + ("；等" if len(c.notices) > 5 else "")
        if c.skipped or c.failed:
            out.append(f"{label}：{c.skipped} 个文件跳过，{c.failed} 个文件失败。{detail}")
        elif c.notices:
            out.append(f"{label}：{detail}")
    return out


def render_html(results: list[DocResult], lines: Mapping[str, list[Line]], errors: list[ErrorRecord],
                summary: Summary, title: str = "预算绩效目标审核报告") -> str:
    # indicator flags count rows, project flags count projects: both are what the filter finds
    flag_counts: Counter[str] = Counter()
    for r in results:
        for p in r.doc.projects:
            flag_counts.update({f.code for f in p.flags})
            for i in p.indicators:
                flag_counts.update(f.code for f in i.flags)
        for t in r.doc.free_text_targets:
            for i in t.indicators:
                flag_counts.update(f.code for f in i.flags)
    # the worst projects' reasons cite lines; a PDF's reader needs their pages
    pages_by_key = {r.key: page_map(lines.get(r.doc.sha256, [])) for r in results}
    summary = summary.model_copy(update={"worst_projects": [
        w.model_copy(update={"reasons": [cite_pages(x, pages_by_key.get(w.doc_key, {})) for x in w.reasons]})
        for w in summary.worst_projects]})
    view = ReportView(
        title=title,
        summary=summary,
        docs=[doc_view(r, lines.get(r.doc.sha256, [])) for r in results],
        errors=errors,
        flag_codes=sorted(flag_counts.items(), key=lambda kv: (-kv[1], kv[0])),
        notices=stage_notices(summary),
        scoring=scoring_notes([r.doc for r in results]),
    )
    return _env().get_template("report.html.j2").render(v=view)


def write_html(path: Path, html: str) -> None:
    atomic_write_text(path, html)
