"""PDF ingest per page: semx's reader against `pdftotext -layout` and pdfplumber's table finder.

    .venv/bin/python bench/bench_pdf.py [PDF] [--repeat N] [--plumber-pages N]

One process, same file, ratios from the same run (a busy machine slows all three alike):
- semx: `semx.ingest.pdf.read_pdf` (characters, ruling lines, grids, table rows and text lines),
  the best of N runs over every page;
- `pdftotext -layout` (poppler-utils, `apt-get install poppler-utils`): the whole file to text,
  best of N; it finds no cells, so it is the floor of reading the text at all;
- pdfplumber (`pip install -e .[bench]`): `page.find_tables()` and `table.extract()` on each page,
  once (it is slow), on the first --plumber-pages pages (all by default).
Then the cells: every table row pdfplumber finds (its cells, whitespace removed, a merged cell
empty) is looked up among semx's table rows of the same page; the share found is printed, and
the rows that differ are listed with --show. The acceptance is semx ≥ 3× faster per page than
pdfplumber's finder with the same cells.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from semx.ingest.pdf import read_pdf

DEFAULT = ROOT / "eval" / "shanghai" / "putuo_wanli_2023_dept.pdf"
_SPACE = re.compile(r"\s+")

Row = tuple[str, ...]


def _norm(cells: list[str | None] | list[str]) -> Row:
    out = [_SPACE.sub("", c or "") for c in cells]
    while out and not out[-1]:
        out.pop()
    return tuple(out)


def time_semx(data: bytes, repeat: int) -> tuple[float, int, dict[int, list[Row]]]:
    best = float("inf")
    result = read_pdf(data, "bench")
    for _ in range(repeat):
        t = time.perf_counter()
        result = read_pdf(data, "bench")
        best = min(best, time.perf_counter() - t)
    rows: dict[int, list[Row]] = defaultdict(list)
    for ln in result.lines:
        if ln.table is not None:
            rows[ln.page].append(_norm(ln.cells))
    return best, result.pages, rows


def time_pdftotext(path: Path, repeat: int) -> float | None:
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([exe, "-layout", str(path), "-"], check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t)
    return best


def time_pdfplumber(path: Path, pages: int | None) -> tuple[float, int, dict[int, list[Row]]] | None:
    try:
        import pdfplumber
    except ImportError:
        return None
    rows: dict[int, list[Row]] = defaultdict(list)
    t = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        chosen = pdf.pages[:pages] if pages else pdf.pages
        for page in chosen:
            for table in page.find_tables():
                for cells in table.extract():
                    row = _norm(cells)
                    if row:
                        rows[page.page_number].append(row)
        n = len(chosen)
    return time.perf_counter() - t, n, rows


def compare(plumber: dict[int, list[Row]], semx: dict[int, list[Row]], show: bool) -> tuple[int, int, int]:
    """(rows found on their page, rows found only on an earlier page, all rows). semx drops the
    header rows a printer repeats on each page of a long table; those are the second count."""
    found = repeated = total = 0
    earlier: set[Row] = set()
    for page in sorted(set(plumber) | set(semx)):
        have = set(semx.get(page, []))
        for row in plumber.get(page, []):
            total += 1
            if row in have:
                found += 1
            elif row in earlier:
                repeated += 1
            elif show:
                print(f"  page {page}: pdfplumber {row}")
                close = [r for r in semx.get(page, []) if r and row and r[0] == row[0]]
                print(f"           semx      {close[0] if close else '(no row starting the same)'}")
        earlier |= have
    return found, repeated, total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", type=Path, nargs="?", default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--plumber-pages", type=int, default=None)
    ap.add_argument("--show", action="store_true", help="list pdfplumber rows that semx does not have")
    args = ap.parse_args()
    data = args.pdf.read_bytes()

    semx_s, pages, semx_rows = time_semx(data, args.repeat)
    print(f"{args.pdf.name}: {pages} pages")
    print(f"semx read_pdf           {semx_s:8.3f} s  {1000 * semx_s / pages:8.1f} ms/page  (best of {args.repeat})")
    pt = time_pdftotext(args.pdf, args.repeat)
    if pt is None:
        print("pdftotext -layout        not installed (apt-get install poppler-utils)")
    else:
        print(f"pdftotext -layout       {pt:8.3f} s  {1000 * pt / pages:8.1f} ms/page  (best of {args.repeat}); "
              f"semx/pdftotext = {semx_s / pt:.2f}×")
    pl = time_pdfplumber(args.pdf, args.plumber_pages)
    if pl is None:
        print("pdfplumber               not installed (pip install -e .[bench])")
        return 0
    pl_s, pl_pages, pl_rows = pl
    per_semx, per_pl = semx_s / pages, pl_s / pl_pages
    print(f"pdfplumber find_tables  {pl_s:8.3f} s  {1000 * per_pl:8.1f} ms/page  ({pl_pages} pages, once); "
          f"semx is {per_pl / per_semx:.1f}× faster per page")
    found, repeated, total = compare(pl_rows, semx_rows, args.show)
    share = (found + repeated) / total if total else 1.0
    print(f"cells: of {total} pdfplumber table rows, {found} found cell for cell among semx's rows of the same "
          f"page and {repeated} are header rows repeated on a later page, which semx drops ({share:.1%} the same)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
