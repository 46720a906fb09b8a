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
from semx.models import Finding, FreeTextTarget, ParsedDocument, Project, SourceDocument, StageRun, Table, Warning_
from semx.tables import document_meta, parse_tables
from semx.targets import parse_targets

# The order stages run in; also part of a batch's fingerprint, so a new stage redoes documents.
STAGES: tuple[str, ...] = ("tables", "targets", "checks")


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
    return doc, failures


def parse_source(src: SourceDocument) -> ParsedDocument:
    """One ingested document through every stage; a stage bug raises."""
    return run_stages(src, catch=False)[0]


def parse_file(path: str | Path) -> ParsedDocument:
    """Parse one file; raises IngestError for input that is not a readable disclosure."""
    return parse_source(ingest(path))


__all__ = ["STAGES", "IngestError", "StageFailure", "parse_file", "parse_source", "run_stages", "where"]
