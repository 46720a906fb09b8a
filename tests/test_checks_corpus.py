"""Every finding on every sample, pinned; corrected copies of sample tables give none.

Each pinned finding was checked by hand against the sample (see eval/findings.md).
"""

from __future__ import annotations

import random
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from checks_helpers import consistency

from semx.checks import check_document
from semx.ingest import ingest, ingest_text
from semx.models import Finding
from semx.tables import parse_tables

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"
DATA = Path(__file__).resolve().parent / "data"

R000 = "SUM_HIERARCHY:income_summary:105:合计"
TP000 = "SUM_PARTS:three_public_expenditure:402:合计"

# (id, severity, caused_by, expected, actual, lines), in the order they are reported
EXPECTED: dict[str, list[tuple[str, str, str | None, str | None, str | None, list[int]]]] = {
    "000": [
        (R000, "error", None, "1204.00", "1210.00", [105, 106, 107, 108, 109, 120]),
        ("SUM_TOTAL_ROW:income_summary:99:合计", "error", R000, "1385.53", "1379.53", [99, 100, 121, 140, 145]),
        ("CROSS_TABLE:income_summary:100~expenditure_summary:161:合计", "error", R000, "1225.6", "1231.60", [100, 161]),
        ("SUM_HIERARCHY:expenditure_summary:161:合计", "error", R000, "1231.6", "1225.6", [161, 162, 164, 166]),
        ("SUM_HIERARCHY:expenditure_summary:166:合计", "error", R000, "1204.00", "1210", [166, 167, 168, 169, 170, 171]),
        ("SUM_HIERARCHY:general_budget_expenditure:280:合计", "error", R000, "1231.6", "1225.6", [280, 281, 283, 285]),
        ("SUM_HIERARCHY:general_budget_expenditure:285:合计", "error", R000, "1204.00", "1210",
         [285, 286, 287, 288, 289, 290]),
        (TP000, "error", None, "50.00", "0", [402, 403, 404]),
        ("SUM_PARTS:three_public_expenditure:400:合计", "error", TP000, "0", "50", [400, 401, 402, 405]),
        ("PROSE_TABLE:three_public:474:tp_car_total", "error", TP000, "0", "50", [402, 474]),
        ("PROSE_RUNNING_COSTS:running_costs:470", "warning", None, "68.7", "606.34", [330, 470]),
    ],
    "001": [
        ("TABLES_ABSENT:document", "info", None, None, None, []),
    ],
    "002": [],
    "003": [
        ("PROSE_SUM:three_public:76:tp_car_total", "error", None, "18.6", "18.9", [76]),
        ("PROSE_THREE_PUBLIC_SCOPE:three_public:73", "warning", None, "18.9", "38.9", [73, 75, 76, 78, 80, 82]),
        ("TABLES_ABSENT:document", "info", None, None, None, []),
    ],
    "004": [
        ("PROSE_RUNNING_COSTS:running_costs:143", "warning", None, None, "1819.42", [139, 143]),
        ("TABLES_ABSENT:document", "info", None, None, None, []),
    ],
}


def _sample(prefix: str) -> Path:
    return next(CORPUS.glob(f"{prefix}_*.txt"))


@cache
def findings_of(prefix: str) -> list[Finding]:
    doc = ingest(_sample(prefix))
    tables, _ = parse_tables(doc)
    return check_document(doc, tables)


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_every_finding_is_pinned(prefix: str) -> None:
    got = [(f.id, f.severity, f.caused_by, f.expected, f.actual, f.lines) for f in findings_of(prefix)]
    want = [(i, s, c, _dec(e), _dec(a), lines) for i, s, c, e, a, lines in EXPECTED[prefix]]
    assert got == want


def test_000_kuan_error_and_its_cross_table_difference() -> None:
    findings = {f.id: f for f in findings_of("000")}
    root = findings[R000]
    assert (root.expected, root.actual, root.difference) == (Decimal("1204.00"), Decimal("1210.00"), Decimal("6.00"))
    assert root.caused_by is None and "20131" in root.message
    cross = findings["CROSS_TABLE:income_summary:100~expenditure_summary:161:合计"]
    assert cross.caused_by == root.id and cross.difference == Decimal("6.00")
    assert set(cross.tables) == {"income_summary", "expenditure_summary"}


def test_messages_name_table_line_and_figures() -> None:
    for prefix in EXPECTED:
        for f in findings_of(prefix):
            assert f.message and any("\u4e00" <= ch <= "\u9fff" for ch in f.message)
            if f.expected is not None and f.actual is not None:
                assert f.difference == f.actual - f.expected
            if f.code.startswith("PROSE"):
                assert f.evidence, f.id


def test_corrected_000_tables_give_no_finding() -> None:
    # 000's nine tables (split across pages) with 20131, 201 and the "三公" car line corrected
    doc = ingest(DATA / "000_tables_corrected.txt")
    tables, _ = parse_tables(doc)
    assert len(tables) == 9 and sum(t.pages for t in tables) > 9
    assert check_document(doc, tables) == []


def test_corrected_000_income_summary_alone_is_consistent() -> None:
    doc = ingest(DATA / "000_income_summary_corrected.txt")
    tables, _ = parse_tables(doc)
    assert [(t.kind, t.pages) for t in tables] == [("income_summary", 3)]
    findings = check_document(doc, tables)
    assert consistency(findings) == []
    assert {f.code for f in findings} == {"TABLE_MISSING"}


def _001_with(old: str, new: str, line: int) -> list[Finding]:
    """001 (one cell per line) with one cell changed."""
    lines = _sample("001").read_text(encoding="utf-8").split("\n")
    assert lines[line - 1].strip() == old
    lines[line - 1] = lines[line - 1].replace(old, new)
    doc = ingest_text("\n".join(lines))
    assert doc.layout == "cell_per_line"
    tables, _ = parse_tables(doc)
    return check_document(doc, tables)


def test_cell_per_line_procurement_is_checked() -> None:
    findings = _001_with("14", "15", 2552)  # 数量 15 × 单价 13 != 182
    qty = [f for f in findings if f.code == "QTY_PRICE"]
    assert [(f.expected, f.actual, f.lines) for f in qty] == [(Decimal(195), Decimal(182), [2547])]


def test_cell_per_line_fixed_assets_are_checked() -> None:
    findings = _001_with("75.85", "70.85", 2590)
    parts = [f for f in findings if f.code == "SUM_PARTS"]
    assert [(f.expected, f.actual) for f in parts] == [(Decimal("106.68"), Decimal("111.6792"))]
    # the stated 上年末固定资产 agrees with the printed 资产总额, so nothing else is reported
    assert [f.code for f in findings] == ["SUM_PARTS", "TABLES_ABSENT"]


def test_scrambled_documents_never_raise() -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        rng = random.Random(path.name)
        for _ in range(3):
            sample = lines[:]
            rng.shuffle(sample)
            doc = ingest_text("\n".join(sample[: len(sample) // 2]) + "\n预算 支出 科目 万元")
            tables, _ = parse_tables(doc)
            findings = check_document(doc, tables)
            ids = [f.id for f in findings]
            assert len(set(ids)) == len(ids)
            assert all(f.caused_by in ids for f in findings if f.caused_by)


def test_a_changed_leaf_figure_is_always_found() -> None:
    # change one 项 amount of the corrected tables at random: something must be reported
    lines = (DATA / "000_tables_corrected.txt").read_text(encoding="utf-8").split("\n")
    leaf_lines = [i for i, ln in enumerate(lines) if ln.split("\t")[1:2] and len(ln.split("\t")[1]) == 7]
    rng = random.Random(7)
    for i in rng.sample(leaf_lines, 8):
        cells = lines[i].split("\t")
        j = next(k for k in range(3, len(cells)) if cells[k].strip())
        changed = lines[:]
        cells[j] = str(Decimal(cells[j]) + Decimal("1.5"))
        changed[i] = "\t".join(cells)
        doc = ingest_text("\n".join(changed))
        tables, _ = parse_tables(doc)
        findings = check_document(doc, tables)
        assert findings and any(i + 1 in f.lines for f in findings), lines[i]
