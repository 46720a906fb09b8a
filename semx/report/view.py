"""What report.html shows, prepared in Python so the template only loops and prints.

Nothing here builds HTML: text stays text and the template escapes it (autoescape), which is
what keeps a disclosure containing `<script>` inert. Highlighting is expressed as segments
(text, highlighted?) that the template wraps in <mark>.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from semx.models import Finding, Indicator, Line, ParsedDocument, Project
from semx.report.records import DocResult, ErrorRecord, linked_project
from semx.report.summary import Summary, project_anchor
from semx.vocab.pages import page_label, pages_label

Segment = tuple[str, bool]

GRADE_CLASS = {"优": "g-a", "良": "g-b", "中": "g-c", "差": "g-d"}
SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
STAGE_LABEL = {"ingest": "读取", "tables": "数字表", "targets": "绩效目标", "checks": "一致性检查",
               "llm": "LLM 抽取", "score": "指标评分"}
STATUS_LABEL = {"ran": "已运行", "skipped": "已跳过", "failed": "失败"}


@dataclass
class SourceLine:
    no: int
    segments: list[Segment]
    page_mark: int | None = None  # set on the first line of a page within a snippet: 第 N 页 before it


@dataclass
class Snippet:
    lines: list[SourceLine]


@dataclass
class IndicatorView:
    ind: Indicator
    flag_codes: str  # space-separated, for the JS filter
    snippet: Snippet | None
    pages: str = ""  # 第 N 页 for paged sources, else empty


@dataclass
class ProjectView:
    anchor: str
    name: str
    kind: str  # 绩效目标表 / 文本目标
    level: str
    code: str | None
    budget: Decimal | None
    fiscal: Decimal | None
    other: Decimal | None
    grade: str | None
    grade_class: str
    grade_reasons: list[str]
    project_flags: list[tuple[str, str]]
    goals: list[str]
    goal_text: str | None
    lines: tuple[int, int]
    indicators: list[IndicatorView]
    flag_codes: str
    note: str | None = None
    pages: str = ""


@dataclass
class FindingView:
    f: Finding
    severity_label: str
    snippet: Snippet | None
    pages: str = ""


@dataclass
class DocView:
    key: str
    name: str
    unit: str
    doc: ParsedDocument
    result_file: str
    stages: list[tuple[str, str, str, str | None]]  # (stage label, status, status label, notice)
    findings: list[FindingView]
    projects: list[ProjectView]
    indicators: int
    flagged: int
    flag_codes: str


@dataclass
class ReportView:
    title: str
    summary: Summary
    docs: list[DocView]
    errors: list[ErrorRecord]
    flag_codes: list[tuple[str, int]]
    notices: list[str] = field(default_factory=list)


def _segments(text: str, needles: list[str]) -> list[Segment]:
    """Split text so that every occurrence of a needle (longest first) is marked."""
    needles = sorted({n for n in needles if n and len(n.strip()) >= 1}, key=len, reverse=True)
    marks = [False] * len(text)
    for n in needles:
        start = text.find(n)
        while start != -1:
            for i in range(start, start + len(n)):
                marks[i] = True
            start = text.find(n, start + len(n))
    segs: list[Segment] = []
    for ch, m in zip(text, marks):
        if segs and segs[-1][1] == m:
            segs[-1] = (segs[-1][0] + ch, m)
        else:
            segs.append((ch, m))
    return segs


def _source_lines(picked: list[Line], needles: list[str]) -> list[SourceLine]:
    out: list[SourceLine] = []
    page: int | None = None
    for ln in picked:
        mark = ln.page if ln.page is not None and ln.page != page else None
        page = ln.page if ln.page is not None else page
        out.append(SourceLine(ln.no, _segments(ln.text, needles), page_mark=mark))
    return out


def snippet(lines_by_no: dict[int, Line], first: int, last: int, needles: list[str]) -> Snippet | None:
    picked = [lines_by_no[n] for n in range(first, last + 1) if n in lines_by_no]
    if not picked:
        return None
    return Snippet(_source_lines(picked, needles))


def _indicator_snippet(lines_by_no: dict[int, Line], ind: Indicator) -> Snippet | None:
    # The row's own span (a row in the one-cell-per-line layout covers one line per column);
    # an LLM quote also shows the line before it, for context.
    before = 1 if ind.source == "llm" else 0
    last = ind.end_line if ind.end_line is not None else ind.line
    needles = [ind.level3, ind.value.raw]
    if ind.evidence:
        needles.append(ind.evidence)
    return snippet(lines_by_no, ind.line - before, last + before, needles)


def _amount(d: Decimal | None) -> str | None:
    return None if d is None else f"{d:.2f}"


def _finding_snippet(lines_by_no: dict[int, Line], f: Finding) -> Snippet | None:
    if not f.lines:
        return None
    needles = [s for s in (_amount(f.expected), _amount(f.actual)) if s]
    needles += [s.rstrip("0").rstrip(".") for s in needles if "." in s]
    picked = [ln for n in sorted(set(f.lines))[:6] if (ln := lines_by_no.get(n)) is not None]
    return Snippet(_source_lines(picked, needles)) if picked else None


def _indicator_views(doc: ParsedDocument, lines_by_no: dict[int, Line], inds: list[Indicator]) -> list[IndicatorView]:
    return [
        IndicatorView(
            ind=i,
            flag_codes=" ".join(f.code for f in i.flags),
            snippet=_indicator_snippet(lines_by_no, i) if i.flags else None,
            pages=page_label(i.page, i.end_page),
        )
        for i in inds
    ]


def _codes(views: list[IndicatorView], extra: list[str] = []) -> str:  # noqa: B006 - read only
    return " ".join(sorted({c for v in views for c in v.flag_codes.split()} | set(extra)))


def _project_view(r: DocResult, i: int, p: Project, lines_by_no: dict[int, Line]) -> ProjectView:
    views = _indicator_views(r.doc, lines_by_no, p.indicators)
    return ProjectView(
        anchor=project_anchor(r, i), name=p.name, kind="绩效目标表", level=p.level, code=p.code, budget=p.budget,
        fiscal=p.fiscal, other=p.other, grade=p.grade, grade_class=GRADE_CLASS.get(p.grade or "", "g-none"),
        # Grade reasons repeat the project flags' reasons; those are shown once, with their badge.
        grade_reasons=[g for g in p.grade_reasons if g.rstrip("。") not in {f.reason.rstrip("。") for f in p.flags}],
        project_flags=[(f.code, f.reason) for f in p.flags], goals=p.goals,
        goal_text=p.goal_text if not p.goals else None, lines=(p.start_line, p.end_line), indicators=views,
        flag_codes=_codes(views, [f.code for f in p.flags]), pages=page_label(p.page, p.end_page),
    )


def _free_text_views(r: DocResult, lines_by_no: dict[int, Line]) -> list[ProjectView]:
    out: list[ProjectView] = []
    for j, t in enumerate(r.doc.free_text_targets):
        views = _indicator_views(r.doc, lines_by_no, t.indicators)
        proj = linked_project(r.doc, t)
        if t.llm_error:
            note = f"LLM 抽取失败：{t.llm_error}"
        elif t.llm is None and not t.indicators:
            note = "未经 LLM 抽取（见阶段说明或 --llm-scope）"
        else:
            note = None
        out.append(ProjectView(
            anchor=f"{r.key}-t{j}", name=t.title, kind="文本目标", level=t.level, code=proj.code if proj else None,
            budget=proj.budget if proj else None, fiscal=None, other=None, grade=None, grade_class="g-none",
            grade_reasons=[], project_flags=[], goals=[], goal_text=t.goal_text + ("\n" + t.indicator_text if t.indicator_text else ""),
            lines=(t.start_line, t.end_line), indicators=views, flag_codes=_codes(views), note=note,
            pages=page_label(t.page, t.end_page),
        ))
    return out


def doc_view(r: DocResult, lines: list[Line]) -> DocView:
    lines_by_no = {ln.no: ln for ln in lines}
    projects = [_project_view(r, i, p, lines_by_no) for i, p in enumerate(r.doc.projects)]
    projects += _free_text_views(r, lines_by_no)
    inds = [v for p in projects for v in p.indicators]
    return DocView(
        key=r.key, name=r.name, unit=r.unit, doc=r.doc, result_file=r.result_file,
        stages=[(STAGE_LABEL.get(s.stage, s.stage), s.status, STATUS_LABEL[s.status], s.notice) for s in r.doc.stages],
        findings=[FindingView(f, SEVERITY_LABEL.get(f.severity, f.severity), _finding_snippet(lines_by_no, f),
                              pages=pages_label(f.pages))
                  for f in r.doc.findings],
        projects=projects,
        indicators=len(inds),
        flagged=sum(1 for v in inds if v.flag_codes),
        flag_codes=" ".join(sorted({c for p in projects for c in p.flag_codes.split()})),
    )
