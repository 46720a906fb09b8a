"""The deterministic part of the pipeline: ingest -> tables -> targets -> checks, in one place.

Every entry point (`semx parse`, the batch behind `semx score`, eval, calibration, benches,
eval tools) runs a document through `run_stages`, so the tested path is the shipped path.
No LLM and no embeddings here, so `semx parse` stays fast and import-light.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from semx.checks import check_document
from semx.checks.targets_money import check_targets_money
from semx.ingest import IngestError, ingest
from semx.models import (
    Coverage,
    DocumentKind,
    Finding,
    FreeTextTarget,
    ParsedDocument,
    Project,
    SourceDocument,
    StageRun,
    Table,
    Warning_,
)
from semx.provenance import add_provenance
from semx.tables import document_meta, parse_tables
from semx.tables.cover import read_cover
from semx.tables.coverage import titles_seen, unread_titles
from semx.targets import parse_targets

# The order stages run in; also part of a batch's fingerprint, so a new stage redoes documents.
STAGES: tuple[str, ...] = ("tables", "targets", "checks")


def _kind_from_tables(tables: list[Table]) -> DocumentKind | None:
    """部门/单位 and 预算/决算 from the table titles when the cover does not say."""
    if not tables:
        return None
    final = any("决算" in t.title for t in tables)
    unit = sum(t.scope == "unit" for t in tables) > sum(t.scope == "department" for t in tables)
    return ("单位" if unit else "部门") + ("决算" if final else "预算")  # type: ignore[return-value]


def annotate(doc: ParsedDocument, src: SourceDocument) -> ParsedDocument:
    """Document kind from the cover and the coverage of tables and forms, with a warning when
    tables were seen and none read: an empty result is never silent."""
    kind = read_cover(src).kind or _kind_from_tables(doc.tables)
    seen = titles_seen(src)
    unread = unread_titles(seen, doc.tables)
    coverage = Coverage(
        table_titles=len(seen.titles),
        tables_read=len(seen.titles) - len(unread),
        unread_titles=unread,
        forms=len(seen.forms),
        forms_read=sum(1 for p in doc.projects if p.indicators),
    )
    warnings = list(doc.warnings)
    if coverage.table_titles and not doc.tables:
        warnings.append(
            Warning_(
                code="tables_unread",
                message=f"文件中有 {coverage.table_titles} 个数字表标题，但一个表也未能读出（{'、'.join(unread[:3])}…）",
            )
        )
    elif unread:
        warnings.append(
            Warning_(
                code="tables_partly_read",
                message=f"{coverage.table_titles} 个数字表标题中有 {len(unread)} 个未读出：{'、'.join(unread)}",
            )
        )
    if coverage.forms and not coverage.forms_read:
        warnings.append(
            Warning_(code="forms_unread", message=f"文件中有 {coverage.forms} 个绩效目标表，但未读出任何指标行")
        )
    return doc.model_copy(update={"kind": kind, "coverage": coverage, "warnings": warnings})



@dataclass
class StageFailure:
    """A stage that raised for one document: reported beside the others' results, never fatal."""

    stage: str
    message: str
    detail: str  # where it happened (file:line in function), for errors.jsonl


def where(exc: BaseException) -> str:
    """file:line in function of the innermost frame, so a bug report can point at the code."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    f = frames[-1]
    return f"{f.filename}:{f.lineno} in {f.name}"


def run_stages(src: SourceDocument, *, catch: bool = True) -> tuple[ParsedDocument, list[StageFailure]]:
    """Every deterministic stage over one ingested document.

    With `catch`, a stage that raises is recorded as failed for this document and the later
    stages still run (checks need tables, so they are skipped when tables failed); without it
    the exception propagates (a single-document command shows it as an internal error).
    """
    failures: list[StageFailure] = []
    runs: list[StageRun] = [StageRun(stage="ingest", status="ran")]
    warnings: list[Warning_] = list(src.warnings)
    tables: list[Table] = []
    meta: tuple[str | None, str | None, int | None] = (None, None, None)
    projects: list[Project] = []
    free_text: list[FreeTextTarget] = []
    findings: list[Finding] = []

    def attempt(stage: str, body: Callable[[], None]) -> bool:
        t0 = time.perf_counter()
        try:
            body()
        except Exception as exc:
            if not catch:
                raise
            f = StageFailure(stage=stage, message=f"{type(exc).__name__}: {exc}"[:500], detail=where(exc))
            failures.append(f)
            runs.append(StageRun(stage=stage, status="failed", notice=f.message,  # type: ignore[arg-type]
                                 seconds=round(time.perf_counter() - t0, 4)))
            return False
        runs.append(StageRun(stage=stage, status="ran", seconds=round(time.perf_counter() - t0, 4)))  # type: ignore[arg-type]
        return True

    def do_tables() -> None:
        nonlocal tables, meta
        tables, tw = parse_tables(src)
        warnings.extend(tw)
        meta = document_meta(src)

    def do_targets() -> None:
        nonlocal projects, free_text
        projects, free_text, tw = parse_targets(src)
        warnings.extend(tw)

    def do_checks() -> None:
        nonlocal findings
        # the 说明's statement of the money the targets cover needs the projects: checks run after targets
        findings = check_document(src, tables) + check_targets_money(src, tables, projects)

    tables_ok = attempt("tables", do_tables)
    attempt("targets", do_targets)
    if tables_ok:
        attempt("checks", do_checks)
    else:
        runs.append(StageRun(stage="checks", status="skipped", notice="数字表阶段未成功，一致性检查未运行"))  # type: ignore[arg-type]

    unit_code, unit_name, year = meta
    doc = ParsedDocument(
        path=src.path, sha256=src.sha256, encoding=src.encoding, layout=src.layout,
        unit_code=unit_code, unit_name=unit_name, year=year, sections=src.sections,
        tables=tables, findings=findings, projects=projects, free_text_targets=free_text,
        warnings=warnings, stages=runs,
    )
    try:
        doc = annotate(doc, src)
    except Exception as exc:  # the cover and coverage are extras: never lose the stages' results to them
        if not catch:
            raise
        failures.append(StageFailure(stage="coverage", message=f"{type(exc).__name__}: {exc}"[:500], detail=where(exc)))
    # Lines, end lines and pages on every result, whatever the entry point (semx/provenance.py).
    return add_provenance(doc, src), failures


def parse_source(src: SourceDocument) -> ParsedDocument:
    """One ingested document through every stage; a stage bug raises."""
    return run_stages(src, catch=False)[0]


def parse_file(path: str | Path) -> ParsedDocument:
    """Parse one file; raises IngestError for input that is not a readable disclosure."""
    return parse_source(ingest(path))


__all__ = [
    "STAGES", "IngestError", "StageFailure", "add_provenance", "annotate", "parse_file", "parse_source", "run_stages",
    "where",
]
