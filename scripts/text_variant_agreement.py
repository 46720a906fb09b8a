"""Per text variant of the Shanghai PDFs: how much of the PDF reading of the same pages it reproduces.

    PYTHONPATH=. python scripts/text_variant_agreement.py [--only wanli office …]

Columns: the layout detect_layout chose; rows = table rows with a label and amounts found with the
same cells in printed order (extra = rows the PDF reading does not have); tables = tables parsed
under the same title; trows = parsed rows with the same code, name and amounts; cells = amount
cells in the same column of the same row; ind = indicators (project, name, 一级/二级/三级,
op/number/unit) the same as the PDF's, of the PDF's; false = findings (errors, warnings) the PDF
reading of the same pages does not raise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from variant_support import agreement, extra_findings, fixtures, indicator_keys, pdf_document, variant_document

from semx.ingest.text import detect_layout, read_text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="*", default=None)
    args = ap.parse_args()
    print(f"{'variant':34} {'layout':10} {'rows':>13} {'extra':>5} {'tables':>7} {'trows':>13} {'cells':>15}"
          f" {'ind':>7} {'false':>5}")
    for name, variant, path in fixtures():
        if args.only and name not in args.only:
            continue
        lines, _ = read_text(path.read_bytes(), str(path))
        a = agreement(name, path)
        _, pdf_ind = indicator_keys(pdf_document(name))
        _, var_ind = indicator_keys(variant_document(path))
        same_ind = sum((pdf_ind & var_ind).values())
        print(
            f"{name + '.' + variant:34} {detect_layout(lines):10} "
            f"{a.rows_same:>5}/{a.rows:<4} {a.share(a.rows_same, a.rows):4.0%} {a.rows_extra:>5} "
            f"{a.tables_same_title:>3}/{a.tables:<3} "
            f"{a.table_rows_same:>5}/{a.table_rows:<4} {a.share(a.table_rows_same, a.table_rows):4.0%} "
            f"{a.cells_same:>5}/{a.cells:<5} {a.share(a.cells_same, a.cells):4.0%}"
            f" {same_ind:>3}/{sum(pdf_ind.values()):<3} {len(extra_findings(name, path)):>5}"
        )


if __name__ == "__main__":
    main()
