"""Tables found / expected and cells right / total on the Shanghai PDFs (eval/shanghai/expected.json).

Usage: python eval/tools/shanghai_tables.py [-v]   (-v lists every wrong cell)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from semx.evaluate.table_cells import compare_document
from semx.ingest import ingest
from semx.pipeline import parse_source

ROOT = Path(__file__).resolve().parents[2] / "eval" / "shanghai"


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    expected = json.loads((ROOT / "expected.json").read_text(encoding="utf-8"))
    totals = [0, 0, 0, 0]
    for name, exp in expected.items():
        doc = ingest(ROOT / name)
        parsed = parse_source(doc)
        res = compare_document(name, parsed, doc, exp)
        arithmetic = [f for f in parsed.findings if f.code.startswith(("SUM_", "CROSS_"))]
        print(
            f"{name}: tables {res.found}/{len(res.tables)}, cells {res.right}/{res.cells}, "
            f"kind/year/unit {'right' if not res.meta_wrong else '; '.join(res.meta_wrong)}, "
            f"arithmetic findings {len(arithmetic)}"
        )
        if verbose:
            for t in res.tables:
                for w in t.wrong[:15]:
                    print(f"    {t.title}: {w}")
            for f in arithmetic:
                print(f"    finding {f.code}: {f.message}")
        totals = [totals[0] + res.found, totals[1] + len(res.tables), totals[2] + res.right, totals[3] + res.cells]
    print(f"all: tables {totals[0]}/{totals[1]}, cells {totals[2]}/{totals[3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
