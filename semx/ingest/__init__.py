"""Ingest: one reader per source (text layouts, PDF, DOCX, XLSX / XLS), one representation after it.

Every reader produces `Line`s (text, original line number, and for PDF the page and box); a
table row is one line whose cells are joined by tabs. tables/ and targets/ read those lines
through `semx.rows` and never need to know where a cell came from.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from semx.files import read_input
from semx.ingest.document import build_document
from semx.ingest.errors import IngestError
from semx.ingest.text import control_ratio, decode, detect_layout, normalise_line, read_text_warned, text_lines
from semx.models import Line, SourceDocument, Warning_

# The file types a folder run takes; everything else found in a folder is reported, not read.
SUPPORTED_SUFFIXES = (".txt", ".pdf", ".docx", ".xlsx", ".xls")


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc), Excel 97-2003 (.xls)


def sniff(data: bytes) -> str:
    """'pdf', 'docx', 'xlsx', 'xls', 'ole2' or 'text' from the first bytes (a file's suffix may lie)."""
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if b"xl/" in data[:65536] and b"word/" not in data[:65536]:
            return "xlsx"
        return "docx" if b"word/" in data[:65536] or b"[Content_Types].xml" in data[:4096] else "zip"
    if data.startswith(_OLE2):
        # the compound file's directory names its streams in UTF-16: an Excel 97-2003 workbook has
        # "Workbook" (or "Book" from Excel 5), a Word document "WordDocument"
        if "WordDocument".encode("utf-16-le") not in data and (
                "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") + b"\x00\x00" in data):
            return "xls"
        return "ole2"
    return "text"


def ingest_bytes(data: bytes, path: str | Path, sha256: str | None = None) -> SourceDocument:
    """The one entry point for file content. Raises IngestError with a one-line reason."""
    name = str(path)
    sha = sha256 or hashlib.sha256(data).hexdigest()
    kind = sniff(data)
    if kind == "pdf":
        from semx.ingest.pdf import read_pdf

        pdf = read_pdf(data, name)
        lines = [
            Line(no=i, text=normalise_line(pl.text), raw=pl.text, page=pl.page,
                 box=(round(pl.x0, 1), round(pl.top, 1), round(pl.x1, 1), round(pl.bottom, 1)),
                 end_page=pl.end_page)
            for i, pl in enumerate(pdf.lines, 1)
        ]
        from semx.ingest.ruleless import read_ruleless

        lines = read_ruleless(pdf.lines, lines)  # tables printed without ruling lines
        return build_document(lines, path=name, sha256=sha, encoding="pdf", source="pdf", pages=pdf.pages,
                              warnings=pdf.warnings)
    if kind == "docx":
        from semx.ingest.docx import read_docx

        docx_lines, docx_notes = read_docx(data, name)
        return build_document(docx_lines, path=name, sha256=sha, encoding="docx", source="docx", warnings=docx_notes)
    if kind == "ole2" and Path(name).suffix.lower() == ".xls":
        kind = "xls"  # a workbook whose stream names were not found: xlrd says what is wrong with it
    if kind in ("xlsx", "xls"):
        from semx.ingest.workbook import read_workbook

        book_lines, book_notes = read_workbook(data, name, kind)
        return build_document(book_lines, path=name, sha256=sha, encoding=kind, source="workbook", warnings=book_notes)
    if kind == "zip":
        raise IngestError(name, "a ZIP archive that is not a Word document (.docx) or an Excel workbook (.xlsx)")
    if kind == "ole2":
        raise IngestError(name, "a Word 97-2003 (.doc) or other old Office file, which semx does not read: "
                                "save it as .docx (or `soffice --headless --convert-to docx FILE`), or use the PDF")
    try:
        lines, encoding, notes = read_text_warned(data, name)
    except IngestError as exc:
        # The content decides the reader (a text file named .pdf is read as text), but a .pdf or
        # .docx that is not even text is a damaged or mislabelled file, not an encoding problem.
        what = {".pdf": "a PDF (no %PDF- header)", ".docx": "a Word document (not a ZIP package)"}
        suffix = Path(name).suffix.lower()
        if suffix in what:
            raise IngestError(name, f"named {suffix} but neither {what[suffix]} nor text: damaged, "
                                    "or another format") from exc
        raise
    warnings = [Warning_(code="decoding", message=n) for n in notes]
    return build_document(lines, path=name, sha256=sha, encoding=encoding, warnings=warnings)


def ingest_text(text: str, *, path: str = "<text>", encoding: str = "utf-8", sha256: str = "") -> SourceDocument:
    """A disclosure given as a string (tests, the batch runner's decoded text)."""
    if control_ratio(text) > 0.01:
        raise IngestError(path, "binary file (control characters in text)")
    sha = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return build_document(text_lines(text), path=path, sha256=sha, encoding=encoding)


def ingest(path: str | Path) -> SourceDocument:
    """Read one file (text, PDF or DOCX). Raises IngestError with a one-line reason."""
    p = Path(path)
    return ingest_bytes(read_input(p), p)


__all__ = [
    "SUPPORTED_SUFFIXES",
    "IngestError",
    "decode",
    "detect_layout",
    "ingest",
    "ingest_bytes",
    "ingest_text",
    "normalise_line",
    "sniff",
]
