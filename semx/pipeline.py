"""The deterministic part of the pipeline: ingest -> tables -> checks -> targets.

No LLM and no embeddings here, so `semx parse` stays fast and import-light.
"""

from __future__ import annotations

from pathlib import Path

from semx.ingest import IngestError, ingest
from semx.models import ParsedDocument, SourceDocument


def parse_source(doc: SourceDocument) -> ParsedDocument:
    from semx.checks import check_document
    from semx.checks.targets_money import check_targets_money
    from semx.tables import document_meta, parse_tables
    from semx.targets import parse_targets

    tables, table_warnings = parse_tables(doc)
    unit_code, unit_name, year = document_meta(doc)
    projects, free_text, target_warnings = parse_targets(doc)
    # the 说明's statement of the money the targets cover needs the projects, so it runs after targets
    findings = check_document(doc, tables) + check_targets_money(doc, tables, projects)
    return ParsedDocument(
        path=doc.path,
        sha256=doc.sha256,
        encoding=doc.encoding,
        layout=doc.layout,
        unit_code=unit_code,
        unit_name=unit_name,
        year=year,
        sections=doc.sections,
        tables=tables,
        findings=findings,
        projects=projects,
        free_text_targets=free_text,
        warnings=[*doc.warnings, *table_warnings, *target_warnings],
    )


def parse_file(path: str | Path) -> ParsedDocument:
    """Parse one file; raises IngestError for input that is not a readable disclosure."""
    return parse_source(ingest(path))


__all__ = ["IngestError", "parse_file", "parse_source"]
