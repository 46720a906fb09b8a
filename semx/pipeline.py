"""The deterministic part of the pipeline: ingest -> tables -> checks -> targets.

No LLM and no embeddings here, so `semx parse` stays fast and import-light.
"""

from __future__ import annotations

from pathlib import Path

from semx.ingest import IngestError, ingest
from semx.models import ParsedDocument, SourceDocument
from semx.provenance import add_provenance


def parse_source(doc: SourceDocument) -> ParsedDocument:
    from semx.checks import check_document
    from semx.tables import document_meta, parse_tables
    from semx.targets import parse_targets

    tables, table_warnings = parse_tables(doc)
    unit_code, unit_name, year = document_meta(doc)
    projects, free_text, target_warnings = parse_targets(doc)
    findings = check_document(doc, tables)
    parsed = ParsedDocument(
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
    return add_provenance(parsed, doc)


def parse_file(path: str | Path) -> ParsedDocument:
    """Parse one file; raises IngestError for input that is not a readable disclosure."""
    return parse_source(ingest(path))


__all__ = ["IngestError", "add_provenance", "parse_file", "parse_source"]
