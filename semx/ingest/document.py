"""Assemble a SourceDocument from a reader's lines: one representation whatever the source."""

from __future__ import annotations

from typing import Literal

from semx.ingest.errors import IngestError
from semx.ingest.sections import split_sections
from semx.ingest.text import detect_layout, text_rows
from semx.models import Line, SourceDocument, Warning_

_DISCLOSURE_WORDS = ("预算", "万元", "绩效", "支出", "科目")


def build_document(
    lines: list[Line],
    *,
    path: str,
    sha256: str,
    encoding: str,
    source: Literal["text", "pdf", "docx", "workbook"] = "text",
    pages: int | None = None,
    warnings: list[Warning_] | None = None,
) -> SourceDocument:
    """Check the vocabulary, find the sections and the layout; IngestError for a non-disclosure."""
    layout = detect_layout(lines) if source == "text" else "tab"
    rebuilt_from = None
    if layout not in ("tab", "cell_per_line"):
        # text made by another extractor: rebuild its table rows, then it reads like any other source
        lines = text_rows(lines, layout)
        rebuilt_from, layout = layout, "tab"
    hits = {w for ln in lines for w in _DISCLOSURE_WORDS if w in ln.text}
    if len(hits) < 3:
        raise IngestError(path, "not a budget disclosure (no 预算/万元/绩效/支出/科目 vocabulary)")
    notes = list(warnings or [])
    sections = split_sections(lines)
    if not sections:
        notes.append(Warning_(code="no_sections", message="未识别到说明部分的章节标题（一、…九、）"))
    return SourceDocument(
        path=path,
        sha256=sha256,
        source=source,
        encoding=encoding,
        layout=layout,  # type: ignore[arg-type]
        rebuilt_from=rebuilt_from,
        pages=pages,
        lines=lines,
        sections=sections,
        warnings=notes,
    )
