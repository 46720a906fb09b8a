"""Where each result came from: first and last original line, and the pages of a paged source.

One post-pass over a parsed document, run at the end of pipeline.run_stages (so by `semx parse`,
the batch behind `semx score` and every other entry point) and again in the batch after the LLM
stage for the indicators it extracts; tables/, targets/ and checks/ only record the line a thing
starts on and never look at pages. A value a
stage already set (e.g. a row it joined across a page break) is kept; the pass only fills gaps,
so running it twice changes nothing.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from semx.models import FreeTextTarget, Indicator, Line, ParsedDocument, SourceDocument
from semx.rows import table_rows


class _Pages:
    """Original line -> page, for one document (None everywhere for sources without pages)."""

    def __init__(self, lines: Iterable[Line]) -> None:
        lines = list(lines)
        self.by_line = {ln.no: ln.page for ln in lines if ln.page is not None}
        # A row joined across a page break ends on a later page than it starts.
        self.ends = {ln.no: ln.end_page for ln in lines if ln.end_page is not None}
        self.sorted = sorted(self.by_line)

    def of(self, line: int | None) -> int | None:
        if line is None or not self.by_line:
            return None
        page = self.by_line.get(line)
        if page is not None:
            return page
        # A line number that no line carries (e.g. a blank line dropped by a reader): the page of
        # the nearest line before it is where the reader would look.
        i = bisect.bisect_right(self.sorted, line)
        return self.by_line[self.sorted[i - 1]] if i else None

    def end_of(self, line: int | None) -> int | None:
        """Page where a line ends: a later one for a row joined across a page break."""
        if line is not None and line in self.ends:
            return self.ends[line]
        return self.of(line)

    def many(self, lines: Iterable[int]) -> list[int]:
        return sorted({p for n in lines if (p := self.of(n)) is not None})


def _indicator(ind: Indicator, ends: dict[int, int], pages: _Pages) -> Indicator:
    end = ind.end_line if ind.end_line is not None else ends.get(ind.line, ind.line)
    return ind.model_copy(update={
        "end_line": end,
        "page": ind.page if ind.page is not None else pages.of(ind.line),
        "end_page": ind.end_page if ind.end_page is not None else pages.end_of(end),
    })


def _free_text(t: FreeTextTarget, ends: dict[int, int], pages: _Pages) -> FreeTextTarget:
    return t.model_copy(update={
        "page": t.page if t.page is not None else pages.of(t.start_line),
        "end_page": t.end_page if t.end_page is not None else pages.end_of(t.end_line),
        "indicators": [_indicator(i, ends, pages) for i in t.indicators],
    })


def add_provenance(doc: ParsedDocument, src: SourceDocument) -> ParsedDocument:
    """doc with every table row, indicator, project, free-text target and finding located."""
    pages = _Pages(src.lines)
    # Where each row of cells ends: one line in the tab layouts (PDF, DOCX, tab text), several
    # lines in the one-cell-per-line layout. Keyed by the line the row starts on, which is the
    # line every TableRow and table Indicator records.
    ends = {r.line: r.end_line for r in table_rows(src)}
    tables = []
    for t in doc.tables:
        rows = []
        for r in t.rows:
            end = r.end_line if r.end_line is not None else ends.get(r.line, r.line)
            rows.append(r.model_copy(update={
                "end_line": end,
                "page": r.page if r.page is not None else pages.of(r.line),
                "end_page": r.end_page if r.end_page is not None else pages.end_of(end),
            }))
        tables.append(t.model_copy(update={
            "rows": rows,
            "page": t.page if t.page is not None else pages.of(t.start_line),
            "end_page": t.end_page if t.end_page is not None else pages.end_of(t.end_line),
        }))
    projects = [
        p.model_copy(update={
            "page": p.page if p.page is not None else pages.of(p.start_line),
            "end_page": p.end_page if p.end_page is not None else pages.end_of(p.end_line),
            "indicators": [_indicator(i, ends, pages) for i in p.indicators],
        })
        for p in doc.projects
    ]
    findings = [f.model_copy(update={"pages": f.pages or pages.many(f.lines)}) for f in doc.findings]
    return doc.model_copy(update={
        "tables": tables,
        "projects": projects,
        "free_text_targets": [_free_text(t, ends, pages) for t in doc.free_text_targets],
        "findings": findings,
    })


def add_llm_provenance(doc: ParsedDocument, lines: list[Line]) -> ParsedDocument:
    """Pages of the indicators the LLM stage added to free-text targets (they quote one line)."""
    pages = _Pages(lines)
    return doc.model_copy(update={
        "free_text_targets": [_free_text(t, {}, pages) for t in doc.free_text_targets],
    })
