"""What report.html shows, prepared in Python so the template only loops and prints.

Nothing here builds HTML: text stays text and the template escapes it (autoescape), which is
what keeps a disclosure containing `<script>` inert. Highlighting is expressed as segments
(text, highlighted?) that the template wraps in <mark>.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from semx.models import Finding, Flag, Indicator, Line, ParsedDocument, Project, Table
from semx.report.locate import PageOf, cite_pages, position, where
from semx.report.records import DocResult, ErrorRecord, linked_project
from semx.report.scoring_notes import ScoringNotes
from semx.report.summary import Summary, project_anchor
from semx.vocab.findings import finding_label
from semx.vocab.flags import flag_label, spec
from semx.vocab.ingest_reasons import ingest_reason_zh
from semx.vocab.pages import page_label

Segment = tuple[str, bool]

GRADE_CLASS = {"优": "g-a", "良": "g-b", "中": "g-c", "差": "g-d"}
SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
STAGE_LABEL = {"ingest": "读取", "tables": "数字表", "targets": "绩效目标", "checks": "一致性检查",
               "llm": "LLM 抽取", "score": "指标评分"}
# errors.jsonl keeps the machine words (scripts match them); the report names them in Chinese
ERROR_STAGE_LABEL = {"discover": "查找文件", "worker": "处理", "ingest": "读取", "tables": "数字表", "targets": "绩效目标",
                     "checks": "一致性检查", "llm": "LLM 抽取", "score": "指标评分"}
ERROR_KIND_LABEL = {
    "bad_input": "无法读取（文件损坏、加密、扫描件无文字层或不是预算公开文件）",
    "unsupported": "不支持的文件类型，未读取",
    "internal": "程序内部错误",
    "stage_failed": "该阶段失败，其他阶段照常",
    "llm_failed": "LLM 任务失败",
    "llm_pending": "LLM 任务未发送（时间预算用完）",
}


def error_reason(e: ErrorRecord) -> str | None:
    """The Chinese reason of a file that could not be read (None: show the record's own message).

    Only the reading kinds: an internal error's message is a traceback line, not a reason."""
    return ingest_reason_zh(e.message) if e.kind in ("bad_input", "unsupported") else None


COVERAGE_WARNINGS = ("tables_unread", "tables_partly_read", "forms_unread")
STATUS_LABEL = {"ran": "已运行", "skipped": "已跳过", "failed": "失败"}


@dataclass
class SourceLine:
    no: int
    segments: list[Segment]
    page_mark: int | None = None  # set on the first line of a page within a snippet: 第 N 页 before it
    # a paged source's line numbers are semx's own, printed nowhere on the page: the snippet hides them
    paged: bool = False


@dataclass
class Snippet:
    lines: list[SourceLine]


@dataclass
class FlagView:
    code: str
    label: str
    score: float
    reason: str  # line citations turned into pages for a paged source


@dataclass
class IndicatorView:
    ind: Indicator
    flag_codes: str  # space-separated, for the JS filter
    snippet: Snippet | None
    pages: str = ""  # 第 N 页 for paged sources, else empty
    where: str = ""  # 第 N 页 (paged) or 第 L 行 (text): what the 位置 column shows
    flags: list[FlagView] = field(default_factory=list)


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
    project_flags: list[FlagView]
    goals: list[str]
    goal_text: str | None
    lines: tuple[int, int]
    indicators: list[IndicatorView]
    flag_codes: str
    note: str | None = None
    pages: str = ""
    where: str = ""
    total_goal: str | None = None  # 项目总目标, shown above the 年度目标 when the form prints a different one
    goals_label: str = "绩效目标"
    no_basis_column: bool = False  # the form prints no 指标值确定依据 column: the 依据 cell says so
    budget_printed: str | None = None  # 年度资金总额 as the form prints it, in printed_unit
    printed_unit: str | None = None


@dataclass
class FindingView:
    f: Finding
    severity_label: str
    snippet: Snippet | None
    pages: str = ""
    label: str = ""
    message: str = ""
    where: str = ""
    cause: str = ""  # the root-cause finding named by its kind and position, not by its internal id


@dataclass
class TableView:
    title: str
    printed_unit: str
    rows: int
    empty: bool
    where: str


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
    tables: list[TableView]
    indicators: int
    flagged: int
    flag_codes: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (warning message, where) of the reading


@dataclass
class ReportView:
    title: str
    summary: Summary
    docs: list[DocView]
    errors: list[ErrorRecord]
    flag_codes: list[tuple[str, int]]
    notices: list[str] = field(default_factory=list)
    scoring: ScoringNotes | None = None


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
        out.append(SourceLine(ln.no, _segments(ln.text, needles), page_mark=mark, paged=ln.page is not None))
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
    # a table printed in 元 shows the figure as 14,348,853.34, not as the 1434.89 万元 of the message
    needles += [f"{d * 10000:,.2f}" for d in (f.actual, f.expected) if d is not None]
    picked = [ln for n in sorted(set(f.lines))[:6] if (ln := lines_by_no.get(n)) is not None]
    return Snippet(_source_lines(picked, needles)) if picked else None


def page_map(lines: list[Line]) -> dict[int, int | None]:
    """Line number → page, for the lines of a paged source (empty for a text: nothing to turn into pages)."""
    return {ln.no: ln.page for ln in lines if ln.page is not None}


def _flag_views(flags: list[Flag], page_of: PageOf) -> list[FlagView]:
    return [FlagView(f.code, flag_label(f.code), f.score, cite_pages(f.reason, page_of)) for f in flags]


def _indicator_views(lines_by_no: dict[int, Line], inds: list[Indicator], page_of: PageOf) -> list[IndicatorView]:
    return [
        IndicatorView(
            ind=i,
            flag_codes=" ".join(f.code for f in i.flags),
            snippet=_indicator_snippet(lines_by_no, i) if i.flags else None,
            pages=page_label(i.page, i.end_page),
            where=position(i.line, i.end_line, i.page, i.end_page),
            flags=_flag_views(i.flags, page_of),
        )
        for i in inds
    ]


def _codes(views: list[IndicatorView], extra: list[str] = []) -> str:  # noqa: B006 - read only
    return " ".join(sorted({c for v in views for c in v.flag_codes.split()} | set(extra)))


def _same_text(a: str | None, b: str | None) -> bool:
    return bool(a and b and "".join(a.split()) == "".join(b.split()))


def _project_view(r: DocResult, i: int, p: Project, lines_by_no: dict[int, Line], page_of: PageOf) -> ProjectView:
    views = _indicator_views(lines_by_no, p.indicators, page_of)
    flag_reasons = {f.reason.rstrip("。") for f in p.flags}
    # 项目总目标 beside 年度目标 only when the form prints a different 总目标: the goals list above is
    # the 年度目标 (what the indicators measure), and the same text twice would say nothing.
    total = p.total_goal if p.total_goal and not _same_text(p.total_goal, p.annual_goal or p.goal_text) else None
    return ProjectView(
        anchor=project_anchor(r, i), name=p.name, kind="绩效目标表", level=p.level, code=p.code, budget=p.budget,
        fiscal=p.fiscal, other=p.other, grade=p.grade, grade_class=GRADE_CLASS.get(p.grade or "", "g-none"),
        # Grade reasons repeat the project flags' reasons; those are shown once, with their badge.
        grade_reasons=[cite_pages(g, page_of) for g in p.grade_reasons if g.rstrip("。") not in flag_reasons],
        project_flags=_flag_views(p.flags, page_of), goals=p.goals,
        goal_text=p.goal_text if not p.goals else None, lines=(p.start_line, p.end_line), indicators=views,
        flag_codes=_codes(views, [f.code for f in p.flags]), pages=page_label(p.page, p.end_page),
        where=position(p.start_line, p.end_line, p.page, p.end_page),
        total_goal=total,
        budget_printed=p.budget_printed, printed_unit=p.printed_unit,
        goals_label="年度目标" if total else ("绩效目标（项目总目标与年度目标相同）" if p.total_goal else "绩效目标"),
        no_basis_column=bool(p.indicators) and bool(p.indicator_columns) and "basis" not in p.indicator_columns,
    )


def _free_text_views(r: DocResult, lines_by_no: dict[int, Line], page_of: PageOf) -> list[ProjectView]:
    out: list[ProjectView] = []
    for j, t in enumerate(r.doc.free_text_targets):
        views = _indicator_views(lines_by_no, t.indicators, page_of)
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
            pages=page_label(t.page, t.end_page), where=position(t.start_line, t.end_line, t.page, t.end_page),
        ))
    return out


def _cause(findings: list[Finding], cause_id: str | None, page_of: PageOf) -> str:
    if not cause_id:
        return ""
    cause = next((c for c in findings if c.id == cause_id), None)
    if cause is None:
        return "由另一处错误引起"
    # its first line is the row the root cause is about (the others are the rows it was summed from)
    at = where(cause.lines[:1], page_of) if cause.lines else ""
    return f"由{at}的“{finding_label(cause.code)}”错误引起" if at else f"由“{finding_label(cause.code)}”错误引起"


def _table_view(t: Table) -> TableView:
    return TableView(title=t.title, printed_unit=t.printed_unit or "", rows=len(t.rows), empty=t.empty,
                     where=position(t.start_line, t.end_line, t.page, t.end_page))


def doc_view(r: DocResult, lines: list[Line]) -> DocView:
    lines_by_no = {ln.no: ln for ln in lines}
    page_of = page_map(lines)
    projects = [_project_view(r, i, p, lines_by_no, page_of) for i, p in enumerate(r.doc.projects)]
    projects += _free_text_views(r, lines_by_no, page_of)
    inds = [v for p in projects for v in p.indicators]
    return DocView(
        key=r.key, name=r.name, unit=r.unit, doc=r.doc, result_file=r.result_file,
        stages=[(STAGE_LABEL.get(s.stage, s.stage), s.status, STATUS_LABEL[s.status], s.notice) for s in r.doc.stages],
        findings=[FindingView(f, SEVERITY_LABEL.get(f.severity, f.severity), _finding_snippet(lines_by_no, f),
                              label=finding_label(f.code),
                              message=cite_pages(f.message, page_of),
                              where=where(f.lines, page_of, counts=False) if f.lines else "",
                              cause=_cause(r.doc.findings, f.caused_by, page_of))
                  for f in r.doc.findings],
        projects=projects,
        tables=[_table_view(t) for t in r.doc.tables],
        # every reading warning but the coverage ones, which the template shows as alerts above
        notes=[(cite_pages(w.message, page_of),
                position(w.line, None, page_of.get(w.line), None) if w.line is not None else "")
               for w in r.doc.warnings if w.code not in COVERAGE_WARNINGS],
        indicators=len(inds),
        flagged=sum(1 for v in inds if v.flag_codes),
        flag_codes=" ".join(sorted({c for p in projects for c in p.flag_codes.split()})),
    )


def flag_level(code: str) -> str:
    """指标 / 项目 / 文件: what a flag is raised on, for the overview's count table."""
    try:
        return {"indicator": "指标", "project": "项目", "document": "文件"}[spec(code).level]
    except KeyError:
        return ""
