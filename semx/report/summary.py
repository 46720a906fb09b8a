"""summary.json: counts and rates over the finished documents, plus what this run itself did.

Everything outside `run` is a function of the documents' results only, so an interrupted and
resumed run gives the same summary as an uninterrupted one; `run` holds the timing and the
tokens spent by this invocation (zero on a re-run served from the LLM cache).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from pydantic import BaseModel

from semx.models import Coverage, LLMUsage
from semx.report.records import DocResult, ErrorRecord, indicator_records

GRADE_ORDER = {"差": 0, "中": 1, "良": 2, "优": 3}


class Rate(BaseModel):
    indicators: int = 0
    flagged: int = 0
    flag_rate: float | None = None
    by_flag: dict[str, int] = {}

    def add(self, flags: list[str]) -> None:
        self.indicators += 1
        if flags:
            self.flagged += 1
        for code in flags:
            self.by_flag[code] = self.by_flag.get(code, 0) + 1
        self.flag_rate = round(self.flagged / self.indicators, 4)


class DocumentSummary(Rate):
    document: str
    result_file: str
    sha256: str
    unit: str
    year: int | None
    projects: int
    free_text_targets: int
    findings: dict[str, int]  # by severity
    grades: dict[str, int]
    kind: str | None = None  # 部门预算 / 单位预算 / 部门决算 / 单位决算, from the cover
    coverage: Coverage | None = None
    coverage_warnings: list[str] = []  # tables or forms seen but not read: never silent


# Warning codes that say part of the document was seen and not read.
COVERAGE_CODES = ("tables_unread", "tables_partly_read", "forms_unread")


class UnitSummary(Rate):
    unit: str
    documents: int = 0


class WorstProject(BaseModel):
    document: str
    doc_key: str
    project: str
    anchor: str
    grade: str | None
    flagged: int
    indicators: int
    quality: float | None
    reasons: list[str]


class Cost(BaseModel):
    currency: str
    prompt_per_million: float
    completion_per_million: float
    total: float


class StageCount(BaseModel):
    ran: int = 0
    skipped: int = 0
    failed: int = 0
    notices: list[str] = []


class RunInfo(BaseModel):
    started_at: str
    finished_at: str
    elapsed_s: float
    inputs: int
    processed: int
    skipped_unchanged: int
    failed: int
    llm: LLMUsage
    phases: dict[str, float] = {}  # seconds: documents (ingest..LLM), score
    options: dict[str, object]
    notices: list[str]
    # --engine ray: documents processed by each worker ("host:pid"); None for the local runner.
    workers: dict[str, int] | None = None
    # Distinct texts the scoring step embedded itself: 0 when every document's vectors came back
    # with its result (embedded where the document was processed) or from the run's store.
    embedded_at_scoring: int = 0


class Summary(BaseModel):
    schema_version: str = "semx.summary/1"
    documents: int
    failed_documents: int
    projects: int
    indicators: Rate
    grades: dict[str, int]
    findings: dict[str, int]
    findings_by_code: dict[str, int]
    per_document: list[DocumentSummary]
    per_unit: list[UnitSummary]
    worst_projects: list[WorstProject]
    stages: dict[str, StageCount]
    llm: LLMUsage
    cost: Cost
    exit_code: int
    exit_reasons: list[str]
    run: RunInfo


def project_anchor(r: DocResult, index: int) -> str:
    return f"{r.key}-p{index}"


def sum_usage(usages: list[LLMUsage | None]) -> LLMUsage:
    total = LLMUsage(status="ran")
    models: set[str] = set()
    for u in usages:
        if u is None:
            continue
        if u.model:
            models.add(u.model)
        for field in ("calls", "cache_hits", "prompt_tokens", "completion_tokens", "transport_retries",
                      "validation_retries", "errors"):
            setattr(total, field, getattr(total, field) + getattr(u, field))
        total.latency_s = round(total.latency_s + u.latency_s, 3)
    total.model = ", ".join(sorted(models)) or None
    return total


def worst_projects(results: list[DocResult], limit: int = 10) -> list[WorstProject]:
    """Lowest grade first, then most flagged indicators, then lowest mean quality."""
    cands: list[tuple[tuple[float, ...], WorstProject]] = []
    for r in results:
        for i, p in enumerate(r.doc.projects):
            flagged = sum(1 for ind in p.indicators if ind.flags) + len(p.flags)
            qs = [ind.quality for ind in p.indicators if ind.quality is not None]
            quality = round(sum(qs) / len(qs), 3) if qs else None
            if p.grade is None and not flagged:
                continue
            wp = WorstProject(
                document=r.name, doc_key=r.key, project=p.name, anchor=project_anchor(r, i), grade=p.grade,
                flagged=flagged, indicators=len(p.indicators), quality=quality,
                reasons=p.grade_reasons or [f.reason for f in p.flags],
            )
            key = (float(GRADE_ORDER.get(p.grade or "", 4)), -float(flagged), quality if quality is not None else 1.0)
            cands.append((key, wp))
    cands.sort(key=lambda kv: kv[0])
    return [wp for _, wp in cands[:limit]]


def build_summary(results: list[DocResult], errors: list[ErrorRecord], run: RunInfo, cost_rates: tuple[float, float, str],
                  exit_code: int, exit_reasons: list[str]) -> Summary:
    overall = Rate()
    per_doc: list[DocumentSummary] = []
    units: dict[str, UnitSummary] = {}
    grades: Counter[str] = Counter()
    sev: Counter[str] = Counter()
    by_code: Counter[str] = Counter()
    stages: dict[str, StageCount] = defaultdict(StageCount)
    for r in results:
        d = r.doc
        doc_grades = Counter(p.grade for p in d.projects if p.grade)
        grades.update(doc_grades)
        doc_sev = Counter(f.severity for f in d.findings)
        sev.update(doc_sev)
        by_code.update(f.code for f in d.findings)
        ds = DocumentSummary(
            document=r.name, result_file=r.result_file, sha256=d.sha256, unit=r.unit, year=d.year,
            projects=len(d.projects), free_text_targets=len(d.free_text_targets), findings=dict(doc_sev),
            grades=dict(doc_grades), kind=d.kind, coverage=d.coverage,
            coverage_warnings=[w.message for w in d.warnings if w.code in COVERAGE_CODES],
        )
        unit = units.setdefault(r.unit, UnitSummary(unit=r.unit))
        unit.documents += 1
        for rec in indicator_records(r):
            for rate in (overall, ds, unit):
                rate.add(rec.flags)
        per_doc.append(ds)
        for s in d.stages:
            sc = stages[s.stage]
            setattr(sc, s.status, getattr(sc, s.status) + 1)
            if s.notice and s.notice not in sc.notices:
                sc.notices.append(s.notice)
    usage = sum_usage([r.doc.llm_usage for r in results])
    p_rate, c_rate, currency = cost_rates
    cost = Cost(currency=currency, prompt_per_million=p_rate, completion_per_million=c_rate,
                total=round((usage.prompt_tokens * p_rate + usage.completion_tokens * c_rate) / 1e6, 6))
    return Summary(
        documents=len(results),
        failed_documents=len({e.path for e in errors if e.fails_document}),
        projects=sum(len(r.doc.projects) for r in results),
        indicators=overall,
        grades=dict(sorted(grades.items(), key=lambda kv: GRADE_ORDER.get(kv[0], 9))),
        findings=dict(sev),
        findings_by_code=dict(by_code.most_common()),
        per_document=per_doc,
        per_unit=sorted(units.values(), key=lambda u: u.unit),
        worst_projects=worst_projects(results),
        stages=dict(stages),
        llm=usage,
        cost=cost,
        exit_code=exit_code,
        exit_reasons=exit_reasons,
        run=run,
    )
