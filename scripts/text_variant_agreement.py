"""Per text variant of the Shanghai PDFs: how much of the PDF reading of the same pages it reproduces.

    PYTHONPATH=. python scripts/text_variant_agreement.py [--only wanli office …]

Columns: the layout detect_layout chose; rows = table rows with a label and amounts found with the
same cells in printed order (extra = rows the PDF reading does not have); tables = tables parsed
under the same title; trows = parsed rows with the same code, name and amounts; cells = amount
cells in the same column of the same row.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from variant_support import agreement, fixtures

from semx.ingest.text import detect_layout, read_text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args()
    print(f"{'variant':34} {'layout':8} {'rows':>13} {'extra':>5} {'tables':>7} {'trows':>13} {'cells':>15}")
    for name, variant, path in fixtures():
        if args.only and name not in args.only:
            continue
        lines, _ = read_text(path.read_bytes(), str(path))
        a = agreement(name, path)
        print(
            f"{name + '.' + variant:34} {detect_layout(lines):8} "
            f"{a.rows_same:>5}/{a.rows:<4} {a.share(a.rows_same, a.rows):4.0%} {a.rows_extra:>5} "
            f"{a.tables_same_title:>3}/{a.tables:<3} "
            f"{a.table_rows_same:>5}/{a.table_rows:<4} {a.share(a.table_rows_same, a.table_rows):4.0%} "
            f"{a.cells_same:>5}/{a.cells:<5} {a.share(a.cells_same, a.cells):4.0%}"
        )


if __name__ == "__main__":
    main()
