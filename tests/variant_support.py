"""Compare a text variant of a Shanghai PDF with the PDF reading of the same pages.

Used by tests/test_ingest_text_variants.py and scripts/text_variant_agreement.py. The fixtures are
made by scripts/make_text_variants.py (pages listed there) and committed under tests/data/shanghai/.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from semx.ingest import ingest, ingest_bytes
from semx.ingest.document import build_document
from semx.models import SourceDocument, Table
from semx.rows import table_rows
from semx.tables import parse_tables

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "data" / "shanghai"


def _maker() -> object:
    spec = importlib.util.spec_from_file_location("make_text_variants", ROOT / "scripts" / "make_text_variants.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_MAKER = _maker()
DOCUMENTS: list[tuple[str, str, list[int]]] = _MAKER.DOCUMENTS  # type: ignore[attr-defined]
VARIANTS: tuple[str, ...] = _MAKER.VARIANTS  # type: ignore[attr-defined]
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def fixtures() -> list[tuple[str, str, Path]]:
    """(document, variant, path) of every committed variant."""
    out = []
    for name, _, _ in DOCUMENTS:
        for variant in VARIANTS:
            path = FIXTURES / f"{name}.{variant}.txt"
            if path.exists():
                out.append((name, variant, path))
    return out


@cache
def pdf_document(name: str) -> SourceDocument:
    """The PDF reading of the pages the variants were made from."""
    file, pages = next((f, p) for n, f, p in DOCUMENTS if n == name)
    doc = ingest(ROOT / "eval" / "shanghai" / file)
    keep = set(pages)
    lines = [ln for ln in doc.lines if ln.page in keep]
    return build_document(lines, path=doc.path, sha256=doc.sha256, encoding="pdf", source="pdf", pages=doc.pages)


@cache
def variant_document(path: Path) -> SourceDocument:
    return ingest_bytes(path.read_bytes(), path)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def row_keys(doc: SourceDocument) -> Counter[tuple[str, ...]]:
    """Every table row with a label and an amount, as its filled cells in printed order."""
    keys: Counter[tuple[str, ...]] = Counter()
    for row in table_rows(doc):
        filled = tuple(_compact(c) for c in row.filled)
        if any(_AMOUNT.match(c) for c in filled) and any(_CJK.search(c) for c in filled):
            keys[filled] += 1
    return keys


@dataclass
class Agreement:
    rows: int  # rows with amounts in the PDF reading
    rows_same: int  # of them, found with the same label and amounts in the variant
    rows_extra: int  # variant rows that the PDF reading does not have
    tables: int  # tables the PDF reading parses
    tables_same_title: int
    table_rows: int
    table_rows_same: int  # same code, name and amounts (in order)
    cells: int  # amount cells of the PDF tables
    cells_same: int  # the same amount in the same column

    def share(self, part: int, whole: int) -> float:
        return part / whole if whole else 1.0


def _amounts(cells: list[object]) -> tuple[Decimal, ...]:
    return tuple(c for c in cells if isinstance(c, Decimal))


def _row_key(code: str | None, name: str | None, cells: list[object]) -> tuple[object, ...]:
    return (code or "", _compact(name or ""), _amounts(cells))


def _match_tables(pdf: list[Table], var: list[Table]) -> list[tuple[Table, Table | None]]:
    """Each PDF table with the variant table of the same title (in order of appearance)."""
    used: set[int] = set()
    pairs: list[tuple[Table, Table | None]] = []
    for t in pdf:
        found = None
        for i, v in enumerate(var):
            if i not in used and _compact(v.title) == _compact(t.title) and v.kind == t.kind:
                used.add(i)
                found = v
                break
        pairs.append((t, found))
    return pairs


def agreement(name: str, path: Path) -> Agreement:
    pdf = pdf_document(name)
    var = variant_document(path)
    pdf_rows, var_rows = row_keys(pdf), row_keys(var)
    pdf_tables, _ = parse_tables(pdf)
    var_tables, _ = parse_tables(var)
    a = Agreement(
        rows=sum(pdf_rows.values()),
        rows_same=sum((pdf_rows & var_rows).values()),
        rows_extra=sum((var_rows - pdf_rows).values()),
        tables=len(pdf_tables),
        tables_same_title=0,
        table_rows=0,
        table_rows_same=0,
        cells=0,
        cells_same=0,
    )
    for t, v in _match_tables(pdf_tables, var_tables):
        a.tables_same_title += v is not None
        v_rows = Counter(_row_key(r.code, r.name, list(r.cells)) for r in (v.rows if v else []))
        v_cells = Counter(
            (_compact(r.name or ""), r.code or "", col, c)
            for r in (v.rows if v else [])
            for col, c in zip(v.columns if v else [], r.cells)
            if isinstance(c, Decimal)
        )
        for r in t.rows:
            a.table_rows += 1
            key = _row_key(r.code, r.name, list(r.cells))
            if v_rows[key] > 0:
                v_rows[key] -= 1
                a.table_rows_same += 1
            for col, c in zip(t.columns, r.cells):
                if not isinstance(c, Decimal):
                    continue
                a.cells += 1
                ck = (_compact(r.name or ""), r.code or "", col, c)
                if v_cells[ck] > 0:
                    v_cells[ck] -= 1
                    a.cells_same += 1
    return a


def indicator_keys(doc: SourceDocument) -> tuple[Counter[tuple[object, ...]], Counter[tuple[object, ...]]]:
    """(projects by name and 年度资金总额 / budget, indicators by project, name, categories and value)
    of a document read through the deterministic pipeline."""
    from semx.pipeline import parse_source

    parsed = parse_source(doc)
    projects: Counter[tuple[object, ...]] = Counter()
    indicators: Counter[tuple[object, ...]] = Counter()
    for p in parsed.projects:
        projects[(_compact(p.name), p.budget)] += 1
        for ind in p.indicators:
            v = ind.value
            indicators[(_compact(p.name), ind.level1, ind.level2, _compact(ind.level3), v.op, v.number, v.unit)] += 1
    return projects, indicators


def _finding_key(f: object) -> tuple[object, ...]:
    return (f.code, tuple(sorted(f.tables)), f.expected, f.actual)  # type: ignore[attr-defined]


def extra_findings(name: str, path: Path) -> list[str]:
    """Findings (errors and warnings) a variant raises that the PDF reading of the same pages does
    not: every one is false, made by a cell read into the wrong row or column."""
    from semx.pipeline import parse_source

    pdf = Counter(_finding_key(f) for f in parse_source(pdf_document(name)).findings if f.severity != "info")
    out: list[str] = []
    for f in parse_source(variant_document(path)).findings:
        if f.severity == "info":
            continue
        k = _finding_key(f)
        if pdf[k] > 0:
            pdf[k] -= 1
        else:
            out.append(f"{f.code}: {f.message}")
    return out
