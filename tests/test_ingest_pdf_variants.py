"""The Shanghai PDFs transformed as other producers write PDFs (tests/pdf_transforms.py, made at
run time): every table row and indicator row read as from the untouched file.

Each page drawn through a form XObject is how imposition, n-up, "print to PDF" and page
importing tools write a page; the rules inside the form must be placed by the form's matrix,
as PDFium already places the characters."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from pdf_transforms import concatenated, placed, set_rotation

from semx.ingest import ingest, ingest_bytes
from semx.models import ParsedDocument
from semx.pipeline import parse_source

ROOT = Path(__file__).resolve().parents[1] / "eval" / "shanghai"
WANLI = "putuo_wanli_2023_dept.pdf"  # the 65 indicator rows of five 填报表 forms
COMMERCE = "putuo_commerce_2025_unit.pdf"


@cache
def original(name: str) -> ParsedDocument:
    return parse_source(ingest(ROOT / name))


def rows(doc: ParsedDocument) -> list[tuple[str, tuple[str, ...]]]:
    return [(t.title, tuple(r.raw)) for t in doc.tables for r in t.rows]


def indicators(doc: ParsedDocument) -> list[tuple[object, ...]]:
    return [(p.name, i.level1, i.level2, i.level3, i.value.op, i.value.number, i.value.unit)
            for p in doc.projects for i in p.indicators]


def arithmetic(doc: ParsedDocument) -> list[str]:
    return sorted(f.code for f in doc.findings if f.code.startswith(("SUM_", "CROSS_")))


@pytest.mark.parametrize(
    ("name", "make"),
    [
        (COMMERCE, lambda d: placed(d, scale=0.6)),
        (COMMERCE, lambda d: placed(d, scale=1.5)),
        (COMMERCE, lambda d: placed(d, media_origin=(200.0, -300.0))),
        (COMMERCE, lambda d: placed(d, crop_margin=36.0)),
        (COMMERCE, lambda d: set_rotation(d, 90)),
        (WANLI, lambda d: placed(d, scale=0.7, turn=90, rotate=90)),
        (WANLI, lambda d: placed(d, turn=90, rotate=270)),
    ],
    ids=["scale0.6", "scale1.5", "mediabox-offset", "cropbox", "rotate90", "scaled-turned-rotate90",
         "turned-rotate270"],
)
def test_transformed_pdf_reads_like_the_original(name: str, make) -> None:  # type: ignore[no-untyped-def]
    want = original(name)
    got = parse_source(ingest_bytes(make((ROOT / name).read_bytes()), name))
    assert len(rows(want)) > 100
    assert rows(got) == rows(want)
    assert indicators(got) == indicators(want)
    assert [p.name for p in got.projects] == [p.name for p in want.projects]
    assert arithmetic(got) == arithmetic(want)


def test_two_documents_in_one_file_keep_every_table_and_indicator() -> None:
    a, b = original(WANLI), original(COMMERCE)
    data = concatenated((ROOT / WANLI).read_bytes(), (ROOT / COMMERCE).read_bytes())
    got = parse_source(ingest_bytes(data, "two.pdf"))
    assert rows(got) == rows(a) + rows(b)
    assert indicators(got) == indicators(a)
    assert arithmetic(got) == []
