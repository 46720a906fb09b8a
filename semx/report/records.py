"""Flat records of a run: one per indicator and one per finding, shared by JSONL, Excel and CSV.

The per-document JSON keeps the full nested result; these flat rows are what an auditor
filters and sorts in a spreadsheet, so every row repeats its document, unit, year and project.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel

from semx.models import Finding, FreeTextTarget, Indicator, ParsedDocument, Project


@dataclass(frozen=True)
class DocResult:
    """A finished document: its result, and the names the report uses for it."""

    doc: ParsedDocument
    name: str  # file name as the user knows it
    result_file: str  # per-document JSON, relative to the output folder

    @property
    def key(self) -> str:
        """Stable HTML id / filter value (content hash, so two files with one name stay apart)."""
        return "d" + self.doc.sha256[:12]

    @property
    def unit(self) -> str:
        d = self.doc
        return " ".join(x for x in (d.unit_code, d.unit_name) if x) or "（未识别单位）"


class IndicatorRecord(BaseModel):
    document: str
    sha256: str
    unit_code: str | None
    unit_name: str | None
    year: int | None
    project: str
    project_level: str
    project_code: str | None
    project_budget: float | None
    project_grade: str | None
    origin: str  # "table": a 绩效目标表 row; "free_text": extracted from prose by the LLM
    level1: str | None
    level2: str | None
    level3: str
    description: str | None
    value: str
    value_op: str | None
    value_number: float | None
    value_unit: str | None
    value_kind: str
    basis: str | None
    flags: list[str]
    flag_reasons: list[str]
    flag_scores: dict[str, float]
    quality: float | None
    line: int
    evidence: str | None
    end_line: int | None = None
    page: int | None = None  # 页码 of `line` (paged sources: PDF)


class FindingRecord(BaseModel):
    document: str
    sha256: str
    unit_name: str | None
    year: int | None
    id: str
    code: str
    severity: str
    message: str
    tables: str
    lines: str
    expected: float | None
    actual: float | None
    difference: float | None
    caused_by: str | None
    evidence: str | None
    pages: str = ""  # 页码 of `lines`, space-separated like them (paged sources: PDF)


def _num(d: Decimal | None) -> float | None:
    return None if d is None else float(d)


def _indicator_record(r: DocResult, ind: Indicator, project: str, level: str, code: str | None,
                      budget: Decimal | None, grade: str | None, origin: str) -> IndicatorRecord:
    d = r.doc
    return IndicatorRecord(
        document=r.name,
        sha256=d.sha256,
        unit_code=d.unit_code,
        unit_name=d.unit_name,
        year=d.year,
        project=project,
        project_level=level,
        project_code=code,
        project_budget=_num(budget),
        project_grade=grade,
        origin=origin,
        level1=ind.level1,
        level2=ind.level2,
        level3=ind.level3,
        description=ind.description,
        value=ind.value.raw,
        value_op=ind.value.op,
        value_number=_num(ind.value.number),
        value_unit=ind.value.unit,
        value_kind=ind.value.kind,
        basis=ind.basis,
        flags=[f.code for f in ind.flags],
        flag_reasons=[f.reason for f in ind.flags],
        flag_scores={f.code: f.score for f in ind.flags},
        quality=ind.quality,
        line=ind.line,
        evidence=ind.evidence,
        end_line=ind.end_line,
        page=ind.page,
    )


def linked_project(doc: ParsedDocument, target: FreeTextTarget) -> Project | None:
    if not target.linked_project:
        return None
    return next((p for p in doc.projects if p.name == target.linked_project), None)


def indicator_records(r: DocResult) -> list[IndicatorRecord]:
    """Table indicators project by project, then the LLM-extracted indicators of free-text targets."""
    out: list[IndicatorRecord] = []
    for p in r.doc.projects:
        for ind in p.indicators:
            out.append(_indicator_record(r, ind, p.name, p.level, p.code, p.budget, p.grade, "table"))
    for t in r.doc.free_text_targets:
        proj = linked_project(r.doc, t)
        for ind in t.indicators:
            out.append(_indicator_record(
                r, ind, t.title, t.level, proj.code if proj else None, proj.budget if proj else None,
                None, "free_text",
            ))
    return out


def finding_records(r: DocResult) -> list[FindingRecord]:
    d = r.doc
    return [
        FindingRecord(
            document=r.name,
            sha256=d.sha256,
            unit_name=d.unit_name,
            year=d.year,
            id=f.id,
            code=f.code,
            severity=f.severity,
            message=f.message,
            tables="；".join(f.tables),
            lines=" ".join(str(n) for n in f.lines),
            expected=_num(f.expected),
            actual=_num(f.actual),
            difference=_num(f.difference),
            caused_by=f.caused_by,
            evidence=f.evidence,
            pages=" ".join(str(p) for p in f.pages),
        )
        for f in d.findings
    ]


def all_findings(results: list[DocResult]) -> list[tuple[DocResult, Finding]]:
    return [(r, f) for r in results for f in r.doc.findings]


def display_name(path: str) -> str:
    return Path(path).name


class ErrorRecord(BaseModel):
    """A document that did not finish, and why (one line of errors.jsonl)."""

    path: str
    sha256: str | None = None
    stage: str
    # bad_input: not a readable disclosure; internal: a bug; stage_failed: an optional stage broke;
    # unsupported: a file of a type semx does not read, found in a folder (listed, fails nothing);
    # llm_failed / llm_pending: one LLM task of a scored document failed / was not sent (budget)
    kind: str
    message: str

    @property
    def fails_document(self) -> bool:
        """Whether the record means its document has no result (LLM task records do not)."""
        return self.kind not in ("unsupported", "llm_failed", "llm_pending")
