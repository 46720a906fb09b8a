"""DOCX reader: paragraphs become lines, tables become rows of cells (python-docx).

A merged cell is reported once, in its first row and column, and left blank where it continues
(the same convention as the PDF reader and the tab text layout), so a 一级指标 spanning three rows
reads like the Hebei tables. Text inside a cell that wraps or holds several paragraphs stays in
its cell: a row is always one line.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from semx.ingest.errors import IngestError
from semx.ingest.text import normalise_line
from semx.models import Line, Warning_

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Share of the text in floating text boxes above which the document is said to be a layout of
# positioned boxes (a PDF converted to Word): its table cells cannot be recovered as cells.
_BOXED_SHARE = 0.5


# Text that is not part of the body's own reading: text boxes (read on their own), the VML copy
# of a drawing, tracked deletions and moved-away text.
_SKIP = frozenset({f"{_W}txbxContent", f"{_MC}Fallback", f"{_W}del", f"{_W}moveFrom"})
# Containers whose children are block content (a table of contents or form field in a content
# control, custom XML markup): read through, never dropped.
_WRAPPERS = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"})


def _skipped(el: Any, stop: Any) -> bool:
    for a in el.iterancestors():
        if a is stop:
            return False
        if a.tag in _SKIP:
            return True
    return False


def _paragraph_lines(p: Any) -> list[str]:
    """A paragraph's visible text, split at its line breaks. Unlike python-docx's `text`, tracked
    insertions count (they are in the document the user sees) and tab stops in the paragraph's
    properties are not tabs."""
    lines = [""]
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if el.getparent().tag != f"{_W}r" or _skipped(el, p):
            continue
        if el.tag == f"{_W}t":
            lines[-1] += el.text or ""
        elif el.tag == f"{_W}tab":
            lines[-1] += "\t"
        else:
            lines.append("")
    return lines


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body in order, through content controls and custom XML."""
    for child in parent.iterchildren():
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _blocks(child)


def _box_paragraphs(paragraph: Any) -> list[str]:
    """Text of the text boxes anchored in a paragraph, in document order. A box is stored twice
    (the DrawingML shape and its VML fallback for old readers); only the first is read."""
    out: list[str] = []
    for box in paragraph.iter(f"{_W}txbxContent"):
        if any(a.tag == f"{_MC}Fallback" for a in box.iterancestors()):
            continue
        for p in box.iter(f"{_W}p"):
            text = "".join(t.text or "" for t in p.iter(f"{_W}t"))
            if text.strip():
                out.append(text)
    return out


def _cell_text(cell: Any) -> str:
    # Every paragraph of the cell in document order, those of a nested table too (rare in
    # disclosures; their text stays in reading order inside the cell).
    tc = cell._tc
    parts = ["".join(_paragraph_lines(p)).strip() for p in tc.iter(f"{_W}p") if not _skipped(p, tc)]
    return "".join(x for x in parts if x).replace("\t", " ")


def _table_rows(table: Any) -> Iterator[list[str]]:
    above: list[Any] = []
    for row in table.rows:
        cells = list(row.cells)
        out: list[str] = []
        for i, cell in enumerate(cells):
            continues_left = i > 0 and cells[i - 1]._tc is cell._tc
            continues_above = i < len(above) and above[i]._tc is cell._tc
            out.append("" if continues_left or continues_above else _cell_text(cell))
        above = cells
        if any(c.strip() for c in out):
            yield out


def read_docx(data: bytes, path: str) -> tuple[list[Line], list[Warning_]]:
    """Lines of a .docx body in order, and notes; IngestError for a broken or empty document."""
    try:
        import docx
        from docx.table import Table
    except ImportError:  # pragma: no cover - python-docx is a core dependency
        raise IngestError(path, "DOCX support needs python-docx (pip install python-docx)") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types for a broken package
        raise IngestError(path, f"broken DOCX ({type(exc).__name__}: {exc})".splitlines()[0]) from None
    texts: list[str] = []
    boxed = 0  # characters read from floating text boxes
    body = document.element.body
    for child in _blocks(body):
        if child.tag == f"{_W}p":
            texts.extend(_paragraph_lines(child))
            boxes = _box_paragraphs(child)
            texts.extend(boxes)
            boxed += sum(len(b) for b in boxes)
        elif child.tag == f"{_W}tbl":
            texts.extend("\t".join(cells) for cells in _table_rows(Table(child, document)))
    total = sum(len(t.strip()) for t in texts)
    if not total:
        raise IngestError(path, "empty DOCX (no text in paragraphs, tables or text boxes)")
    warnings: list[Warning_] = []
    if boxed > _BOXED_SHARE * total:
        warnings.append(Warning_(
            code="docx_text_boxes",
            message="DOCX 的文字大多在浮动文本框中（常见于由 PDF 转换的文件），表格单元格无法还原；请改用原 PDF",
        ))
    return [Line(no=i, text=normalise_line(t), raw=t) for i, t in enumerate(texts, 1)], warnings
