"""Every result carries where it came from: first and last line, and its pages for paged sources.

The post-pass (semx/provenance.py) is checked against the source lines themselves: a row's
pages are the pages of its own lines, never a guess, in `semx parse` and in the batch alike.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from pdf_fixtures import budget_pdf

from semx.batch import BatchOptions, run_batch
from semx.ingest import ingest, ingest_bytes
from semx.models import ParsedDocument, SourceDocument
from semx.pipeline import add_provenance, parse_source
from semx.rows import table_rows
from semx.vocab.pages import page_label, pages_label

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"
WANLI = ROOT / "eval" / "shanghai" / "putuo_wanli_2023_dept.pdf"


def _paged(src: SourceDocument, lines_per_page: int) -> SourceDocument:
    """A text document given pages, as if it had been printed lines_per_page lines to a page."""
    lines = [ln.model_copy(update={"page": (ln.no - 1) // lines_per_page + 1}) for ln in src.lines]
    return src.model_copy(update={"lines": lines, "pages": lines[-1].page if lines else 0})


def _page(src: SourceDocument, line: int) -> int | None:
    return src.page_of(line)


def _end_page(src: SourceDocument, line: int) -> int | None:
    """A row joined across a page break ends on the page after the one it starts on."""
    ln = next((x for x in src.lines if x.no == line), None)
    return ln.end_page if ln is not None and ln.end_page is not None else src.page_of(line)


def _assert_located(doc: ParsedDocument, src: SourceDocument) -> int:
    """Every located thing's pages are its own lines' pages; returns how many were checked."""
    n = 0
    for t in doc.tables:
        assert (t.page, t.end_page) == (_page(src, t.start_line), _end_page(src, t.end_line))
        for r in t.rows:
            assert r.end_line is not None and r.end_line >= r.line
            assert (r.page, r.end_page) == (_page(src, r.line), _end_page(src, r.end_line))
            n += 1
    for p in doc.projects:
        assert (p.page, p.end_page) == (_page(src, p.start_line), _end_page(src, p.end_line))
        for i in p.indicators:
            assert i.end_line is not None and p.start_line <= i.line <= i.end_line <= p.end_line
            assert (i.page, i.end_page) == (_page(src, i.line), _end_page(src, i.end_line))
            n += 1
    for ft in doc.free_text_targets:
        assert (ft.page, ft.end_page) == (_page(src, ft.start_line), _end_page(src, ft.end_line))
        n += 1
    for f in doc.findings:
        want = {_page(src, ln) for ln in f.lines} - {None}
        assert f.pages == sorted(want)  # type: ignore[type-var]
        n += 1
    return n


@pytest.mark.parametrize("sample", ["000_0e92df39b5d37474.txt", "001_3a4f24dd5e88b886.txt"])
def test_text_sources_get_end_lines_and_no_pages(sample: str) -> None:
    src = ingest(CORPUS / sample)
    doc = parse_source(src)
    assert doc.projects and doc.tables
    inds = [i for p in doc.projects for i in p.indicators]
    assert all(i.page is None and i.end_page is None for i in inds)
    assert all(r.page is None for t in doc.tables for r in t.rows)
    assert all(f.pages == [] for f in doc.findings)
    ends = {r.line: r.end_line for r in table_rows(src)}
    assert all(i.end_line == ends[i.line] for i in inds)
    if src.layout == "cell_per_line":
        # One cell per line: an indicator row spans several lines, and the result says how many.
        assert sum(1 for i in inds if i.end_line > i.line) > len(inds) // 2  # type: ignore[operator]


@pytest.mark.parametrize("sample", ["000_0e92df39b5d37474.txt", "001_3a4f24dd5e88b886.txt",
                                    "004_b9d592c3cd286804.txt"])
def test_pages_are_the_pages_of_each_things_own_lines(sample: str) -> None:
    src = _paged(ingest(CORPUS / sample), lines_per_page=37)
    doc = parse_source(src)
    assert _assert_located(doc, src) > 100
    # Some rows and indicators of a one-cell-per-line table cross a page boundary and say so.
    spans = [(i.page, i.end_page) for p in doc.projects for i in p.indicators]
    assert all(a is not None and b is not None and a <= b for a, b in spans)


def test_the_post_pass_keeps_what_a_stage_set_and_runs_twice_the_same() -> None:
    src = _paged(ingest(CORPUS / "001_3a4f24dd5e88b886.txt"), lines_per_page=50)
    doc = parse_source(src)
    assert add_provenance(doc, src) == doc
    p = doc.projects[0]
    joined = p.indicators[0].model_copy(update={"end_line": p.end_line, "end_page": 99})
    changed = doc.model_copy(update={"projects": [p.model_copy(update={"indicators": [joined]}), *doc.projects[1:]]})
    again = add_provenance(changed, src).projects[0].indicators[0]
    assert (again.end_line, again.end_page) == (p.end_line, 99)


def test_pdf_rows_and_findings_carry_their_page() -> None:
    src = ingest_bytes(budget_pdf(), "b.pdf")
    doc = parse_source(src)
    assert _assert_located(doc, src) >= 1
    for t in doc.tables:
        assert t.page == 3 and all(r.page == 3 for r in t.rows)


@pytest.mark.skipif(not WANLI.exists(), reason="the Shanghai PDFs are part of the repository")
def test_shanghai_pdf_tables_and_findings_carry_their_pages() -> None:
    src = ingest(WANLI)
    doc = parse_source(src)
    assert _assert_located(doc, src) > 100
    pages = {r.page for t in doc.tables for r in t.rows}
    assert len(pages) >= 4 and all(p is not None and 1 <= p <= 35 for p in pages)
    # A table that continues over several pages says so.
    assert any(t.end_page is not None and t.page is not None and t.end_page > t.page for t in doc.tables)


def test_batch_outputs_carry_the_same_provenance_as_parse(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "b.pdf").write_bytes(budget_pdf())
    sample = CORPUS / "000_0e92df39b5d37474.txt"
    (folder / sample.name).write_bytes(sample.read_bytes())
    out = tmp_path / "out"
    result = run_batch(BatchOptions(paths=[folder], out_dir=out, llm=False, embed=False, progress=False))
    assert result.exit_code == 0, result.errors
    for name, path in (("b", folder / "b.pdf"), ("000_0e92df39b5d37474", sample)):
        got = json.loads(next((out / "documents").glob(f"{name}.*.json")).read_text(encoding="utf-8"))
        want = json.loads(parse_source(ingest(path)).model_dump_json())
        for t_got, t_want in zip(got["tables"], want["tables"], strict=True):
            assert [(r["line"], r["end_line"], r["page"]) for r in t_got["rows"]] == \
                   [(r["line"], r["end_line"], r["page"]) for r in t_want["rows"]]
        assert [f["pages"] for f in got["findings"]] == [f["pages"] for f in want["findings"]]
        got_inds = [(i["line"], i["end_line"], i["page"]) for p in got["projects"] for i in p["indicators"]]
        assert got_inds == [(i["line"], i["end_line"], i["page"]) for p in want["projects"] for i in p["indicators"]]
    records = [json.loads(x) for x in (out / "indicators.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records and all("page" in r and r["end_line"] >= r["line"] for r in records)
    # The PDF's findings point at page 3 in the report and the CSV; the text file's at no page.
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "第 3 页" in html
    with (out / "findings.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["pages"] for r in rows if r["document"] == "b.pdf"} == {"3"}
    assert {r["pages"] for r in rows if r["document"] != "b.pdf"} == {""}
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    wb = load_workbook(out / "indicators.xlsx")
    assert "页码" in [c.value for c in wb["指标"][1]]
    sheet = list(wb["一致性问题"].values)
    col_doc, col_pages = sheet[0].index("文件"), sheet[0].index("页码")
    assert {r[col_pages] for r in sheet[1:] if r[col_doc] == "b.pdf"} == {"3"}


def test_page_labels() -> None:
    assert page_label(None) == "" and page_label(3) == "第 3 页" and page_label(3, 3) == "第 3 页"
    assert page_label(3, 4) == "第 3–4 页"
    assert pages_label([]) == "" and pages_label([2, 5]) == "第 2、5 页"


def test_indicators_the_llm_extracts_get_the_page_of_their_quote() -> None:
    from semx.models import Indicator, IndicatorValue
    from semx.provenance import add_llm_provenance

    src = _paged(ingest(CORPUS / "004_b9d592c3cd286804.txt"), lines_per_page=40)
    doc = parse_source(src)
    t = doc.free_text_targets[0]
    quoted = t.indicator_lines[0] if t.indicator_lines else t.start_line
    extracted = Indicator(level3="参会人数", value=IndicatorValue(raw="1000人"), line=quoted, source="llm")
    doc = doc.model_copy(update={"free_text_targets": [t.model_copy(update={"indicators": [extracted]}),
                                                       *doc.free_text_targets[1:]]})
    got = add_llm_provenance(doc, src.lines).free_text_targets[0].indicators[0]
    assert (got.line, got.end_line, got.page, got.end_page) == (quoted, quoted, _page(src, quoted), _page(src, quoted))
    assert got.page is not None


def test_report_view_shows_pages_and_snippets_span_the_rows_own_lines() -> None:
    from semx.models import Flag
    from semx.report.records import DocResult
    from semx.report.view import doc_view

    src = _paged(ingest(CORPUS / "001_3a4f24dd5e88b886.txt"), lines_per_page=37)
    doc = parse_source(src)
    p = doc.projects[0]
    k, ind = next((k, i) for k, i in enumerate(p.indicators) if i.end_line and i.end_line > i.line)
    flagged = ind.model_copy(update={"flags": [Flag(code="unmeasurable", score=1.0, reason="测试")]})
    inds = [*p.indicators[:k], flagged, *p.indicators[k + 1:]]
    doc = doc.model_copy(update={"projects": [p.model_copy(update={"indicators": inds}), *doc.projects[1:]]})
    view = doc_view(DocResult(doc=doc, name="001.txt", result_file="r.json"), src.lines)
    pv = view.projects[0]
    assert pv.pages == page_label(p.page, p.end_page) != ""
    iv = pv.indicators[k]
    assert iv.pages == page_label(ind.page, ind.end_page)
    assert iv.snippet is not None
    # The snippet is exactly the row's own lines (one cell per line here), not a guessed span.
    assert [ln.no for ln in iv.snippet.lines] == list(range(ind.line, ind.end_line + 1))  # type: ignore[operator]
    assert iv.snippet.lines[0].page_mark == ind.page
