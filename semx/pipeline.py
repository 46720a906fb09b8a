"""The deterministic part of the pipeline: ingest -> tables -> checks -> targets.

No LLM and no embeddings here, so `semx parse` stays fast and import-light.
"""

from __future__ import annotations

from pathlib import Path

from semx.ingest import IngestError, ingest
from semx.models import Coverage, DocumentKind, ParsedDocument, SourceDocument, Table, Warning_


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
    from semx.tables.cover import read_cover
    from semx.tables.coverage import titles_seen, unread_titles

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


def parse_source(doc: SourceDocument) -> ParsedDocument:
    from semx.checks import check_document
    from semx.tables import document_meta, parse_tables
    from semx.targets import parse_targets

    tables, table_warnings = parse_tables(doc)
    unit_code, unit_name, year = document_meta(doc)
    projects, free_text, target_warnings = parse_targets(doc)
    findings = check_document(doc, tables)
    return annotate(ParsedDocument(
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
    ), doc)


def parse_file(path: str | Path) -> ParsedDocument:
    """Parse one file; raises IngestError for input that is not a readable disclosure."""
    return parse_source(ingest(path))


__all__ = ["IngestError", "annotate", "parse_file", "parse_source"]
