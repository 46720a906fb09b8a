"""Reader for space-aligned text (`pdftotext -layout`, pdfplumber `extract_text(layout=True)`).

Columns are runs of spaces; a wrapped cell continues on the next line(s) at its column, and
pdfplumber's layout mode prints a wrapped name's first line above its row and its tail below. The
words of each line go through the same row assembly as flattened text (`flat_text.assemble`), so a
budget-subject row is rebuilt across the lines of its wrapped name; the blank lines that separate
rows in this layout keep two rows from being joined.
"""

from __future__ import annotations

from semx.ingest.flat_text import assemble, page_numbered, tokens
from semx.models import Line


def read_layout(lines: list[Line]) -> list[Line]:
    """Tab-joined rows of a space-aligned text."""
    items = []
    blank = False
    for ln, page in page_numbered(lines):
        text = ln.text.replace("\f", " ")
        toks = tokens(text)
        items.append((ln.no, page, ln.raw, toks, blank))
        blank = not toks
    return assemble(items)
