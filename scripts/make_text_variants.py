"""Make the text that other extractors give for the Shanghai PDFs: the fixtures of item 3 (issue 17).

Users who only have text got it from some other tool. This writes, for a subset of pages of each
PDF in eval/shanghai/ (the numeric table pages and the 绩效目标 form pages, plus the cover for the
year and unit), one file per extractor under tests/data/shanghai/:

    NAME.pdftotext_layout.txt   poppler `pdftotext -layout`: space-aligned columns, wrapped cells
    NAME.pdftotext_raw.txt      poppler `pdftotext -raw`: one span per line / rows flattened, empty cells gone
    NAME.pdfplumber_text.txt    pdfplumber `extract_text()`: flattened rows, numbers pushed to the next line
    NAME.pdfplumber_layout.txt  pdfplumber `extract_text(layout=True)`: space-aligned columns
    NAME.pdfium_text.txt        pypdfium2 `get_text_range()`: rows flattened with spaces
    NAME.pymupdf_text.txt       PyMuPDF `page.get_text()` (its default): one cell per line, empty cells gone,
                                a number sometimes on the line of the next cell's text
    NAME.tsv.txt                tab-separated rows whose cells keep their line breaks (a table copied
                                out of a spreadsheet or word processor), from pdfplumber's table finder

pdftotext pages end with a form feed, as the tool writes them; the Python extractions are joined with
a newline, as a user's script would. Trailing spaces are cut (they carry nothing and weigh most).
The tests read only the committed files, so neither poppler nor pdfplumber is needed to run them.

Run: `apt-get install -y poppler-utils; pip install pdfplumber` then
`python scripts/make_text_variants.py` (poppler variants are skipped with a note when it is missing).

PyMuPDF is AGPL and is not a dependency of semx, nor imported by this script: its variant is made by
another Python interpreter that has it, given with `--mupdf-python` (skipped without it), e.g.
`python3 -m venv /tmp/mupdf && /tmp/mupdf/bin/pip install pymupdf` then
`python scripts/make_text_variants.py --only-variant pymupdf_text --mupdf-python /tmp/mupdf/bin/python`
(the committed files were made with PyMuPDF 2.0 on MuPDF 1.28.5).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "eval" / "shanghai"
OUT = ROOT / "tests" / "data" / "shanghai"

# (fixture name, PDF, pages 1-based): the cover, the numeric tables and the forms; prose pages left out
# to keep the fixtures small.
DOCUMENTS: list[tuple[str, str, list[int]]] = [
    ("wanli", "putuo_wanli_2023_dept.pdf", [1, *range(10, 29), *range(31, 36)]),
    ("office", "putuo_office_2025_dept.pdf", [1, *range(8, 21)]),
    ("commerce", "putuo_commerce_2025_unit.pdf", [1, *range(9, 22)]),
    ("justice", "putuo_justice_2026_unit.pdf", [1, *range(8, 21)]),
    ("finance", "putuo_finance_2024_final_testvariant.pdf", [1, *range(7, 18)]),
]

VARIANTS = ("pdftotext_layout", "pdftotext_raw", "pdfplumber_text", "pdfplumber_layout", "pdfium_text", "tsv",
            "pymupdf_text")

# Run by the interpreter given with --mupdf-python (argv: PDF, pages); prints the pages' default text
# (`page.get_text()`), each page's text followed by a newline, as a user's script would join them.
_MUPDF_SCRIPT = """
import sys
import pymupdf
doc = pymupdf.open(sys.argv[1])
out = [doc[int(p) - 1].get_text() for p in sys.argv[2].split(",")]
sys.stdout.buffer.write("\\n".join(out).encode("utf-8"))
"""


def _clean(text: str) -> str:
    return "\n".join(line.rstrip(" ") for line in text.split("\n"))  # keep the form feed that ends a page


def _pdftotext(pdf: Path, pages: list[int], mode: str) -> str:
    out = []
    for p in pages:
        res = subprocess.run(
            ["pdftotext", mode, "-f", str(p), "-l", str(p), "-enc", "UTF-8", str(pdf), "-"],
            check=True, capture_output=True,
        )
        out.append(_clean(res.stdout.decode("utf-8")))
    return "".join(out)


def _plumber(pdf: Path, pages: list[int], layout: bool) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return "\n".join(_clean(doc.pages[p - 1].extract_text(layout=layout)) for p in pages) + "\n"


def _pdfium(pdf: Path, pages: list[int]) -> str:
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        texts = []
        for p in pages:
            page = doc[p - 1]
            tp = page.get_textpage()
            texts.append(_clean(tp.get_text_range().replace("\r\n", "\n").replace("\r", "\n")))
            tp.close()
            page.close()
        return "\n".join(texts) + "\n"
    finally:
        doc.close()


def _tsv(pdf: Path, pages: list[int]) -> str:
    """Tables as tab-separated rows with the cells' own line breaks; the rest of the page as text."""
    import pdfplumber

    out: list[str] = []
    with pdfplumber.open(pdf) as doc:
        for p in pages:
            page = doc.pages[p - 1]
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]

            def outside(obj: dict[str, float], boxes: list[tuple[float, float, float, float]] = boxes) -> bool:
                cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

            # Text above, between and below the tables in reading order, tables at their place.
            pieces: list[tuple[float, str]] = []
            free = page.filter(lambda o: o.get("object_type") != "char" or outside(o))
            for line in free.extract_text_lines():
                pieces.append((line["top"], line["text"]))
            for t in tables:
                rows = ["\t".join((c or "") for c in row) for row in t.extract()]
                pieces.append((t.bbox[1], "\n".join(rows)))
            pieces.sort(key=lambda x: x[0])
            out.append("\n".join(text for _, text in pieces))
    return "\n".join(out) + "\n"


def _pymupdf(pdf: Path, pages: list[int], python: str) -> str:
    res = subprocess.run([python, "-c", _MUPDF_SCRIPT, str(pdf), ",".join(map(str, pages))],
                         check=True, capture_output=True)
    return _clean(res.stdout.decode("utf-8")) + "\n"


def make(name: str, pdf: Path, pages: list[int], variant: str, mupdf_python: str | None = None) -> str | None:
    makers: dict[str, Callable[[], str]] = {
        "pdftotext_layout": lambda: _pdftotext(pdf, pages, "-layout"),
        "pdftotext_raw": lambda: _pdftotext(pdf, pages, "-raw"),
        "pdfplumber_text": lambda: _plumber(pdf, pages, False),
        "pdfplumber_layout": lambda: _plumber(pdf, pages, True),
        "pdfium_text": lambda: _pdfium(pdf, pages),
        "tsv": lambda: _tsv(pdf, pages),
        "pymupdf_text": lambda: _pymupdf(pdf, pages, mupdf_python or ""),
    }
    if variant == "pymupdf_text" and not mupdf_python:
        print(f"skip {name}.{variant}: no --mupdf-python (an interpreter with PyMuPDF, outside semx)", file=sys.stderr)
        return None
    if variant.startswith("pdftotext") and shutil.which("pdftotext") is None:
        print(f"skip {name}.{variant}: pdftotext not installed (apt-get install -y poppler-utils)", file=sys.stderr)
        return None
    return makers[variant]()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--only", nargs="*", default=None, help="fixture names (wanli, office, …)")
    ap.add_argument("--only-variant", nargs="*", default=None, help="variants (pdftotext_layout, pymupdf_text, …)")
    ap.add_argument("--mupdf-python", default=None,
                    help="a Python interpreter with PyMuPDF installed (kept out of semx: AGPL)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, file, pages in DOCUMENTS:
        if args.only and name not in args.only:
            continue
        for variant in VARIANTS:
            if args.only_variant and variant not in args.only_variant:
                continue
            text = make(name, SRC / file, pages, variant, args.mupdf_python)
            if text is None:
                continue
            path = args.out / f"{name}.{variant}.txt"
            path.write_text(text, encoding="utf-8")
            total += path.stat().st_size
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")
    print(f"total {total:,} bytes")


if __name__ == "__main__":
    main()
