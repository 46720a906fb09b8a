"""PDFs that cannot be read say why in one line; a folder run goes on and lists them in errors.jsonl.

The PDFs are written in the tests (tests/pdf_fixtures.py), except the truncated copies of a real
Shanghai disclosure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pdf_fixtures import (
    BUDGET_PROSE,
    COVER,
    EXPENDITURE_ROWS,
    Page,
    Text,
    budget_pdf,
    budget_table_page,
    build_pdf,
    prose_page,
)

from semx.batch import BatchOptions, run_batch
from semx.ingest import IngestError, ingest, ingest_bytes

ROOT = Path(__file__).resolve().parent.parent
WANLI = ROOT / "eval" / "shanghai" / "putuo_wanli_2023_dept.pdf"


def _error(data: bytes, name: str = "x.pdf") -> str:
    with pytest.raises(IngestError) as info:
        ingest_bytes(data, name)
    message = str(info.value)
    assert "\n" not in message, "one line"
    assert message.startswith(f"{name}: ")
    return message


def test_a_budget_pdf_is_read_with_pages_and_boxes() -> None:
    doc = ingest_bytes(budget_pdf(), "b.pdf")
    assert doc.source == "pdf" and doc.pages == 3
    by_text = {ln.text: ln for ln in doc.lines}
    assert by_text["上海市普陀区2023年区级部门预算"].page == 1
    row = by_text["2010301\t行政运行\t100.00\t100.00\t"]
    assert row.page == 3 and row.box is not None
    assert row.box[0] == pytest.approx(40, abs=1) and row.box[1] == pytest.approx(180, abs=1)
    assert not doc.warnings or all(w.code == "no_sections" for w in doc.warnings)


def test_scanned_pdf_without_text_layer() -> None:
    message = _error(build_pdf([Page(image=True), Page(image=True)]))
    assert "scanned PDF without a text layer" in message and "2 pages" in message


def test_scanned_pdf_with_a_stamped_text_header_is_still_scanned() -> None:
    # A scan whose only text layer is a stamped running header: its content is in the picture.
    stamped = [Page(image=True, texts=[Text(40, 20, f"上海市普陀区2023年区级部门预算　第{i}页", 9)]) for i in (1, 2)]
    message = _error(build_pdf(stamped))
    assert "scanned PDF without a text layer" in message
    # The same header on a page without a picture is text (a very short, but real, page).
    assert "scanned" not in _error(build_pdf([Page(texts=stamped[0].texts)]))


def test_some_scanned_pages_are_a_warning_not_an_error() -> None:
    pages = [Page(image=True), Page(texts=list(COVER)), prose_page(BUDGET_PROSE),
             budget_table_page("2023年部门支出预算总表", EXPENDITURE_ROWS)]
    doc = ingest_bytes(build_pdf(pages), "mixed.pdf")
    assert doc.pages == 4
    notes = [w for w in doc.warnings if w.code == "pdf_pages_without_text"]
    assert len(notes) == 1 and "第 1 页" in notes[0].message


def test_pdf_whose_fonts_have_no_unicode_map() -> None:
    pages = [Page(texts=list(COVER)), prose_page(BUDGET_PROSE)]
    message = _error(build_pdf(pages, garbled=True))
    assert "cannot be decoded" in message and "not a budget disclosure" not in message


def test_encrypted_pdf() -> None:
    assert "encrypted PDF" in _error(build_pdf([Page(texts=list(COVER))], encrypt=True))


def test_zero_page_pdf_even_right_after_an_encrypted_one() -> None:
    # PDFium keeps the previous failure's error code; the message must not call this one encrypted.
    _error(build_pdf([Page(texts=list(COVER))], encrypt=True))
    message = _error(build_pdf([]))
    assert "without pages" in message and "encrypted" not in message


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_truncated_pdf(keep: float) -> None:
    data = budget_pdf()
    message = _error(data[: int(len(data) * keep)])
    assert "truncated PDF" in message


@pytest.mark.parametrize("keep", [0.3, 0.97])
def test_truncated_real_pdf_is_an_error_or_a_result_that_says_so(keep: float) -> None:
    data = WANLI.read_bytes()
    try:
        doc = ingest_bytes(data[: int(len(data) * keep)], "cut.pdf")
    except IngestError as exc:
        assert "truncated PDF" in str(exc) and "\n" not in str(exc)
    else:
        assert any(w.code == "pdf_truncated" for w in doc.warnings)


def test_garbage_after_a_pdf_header_is_broken() -> None:
    message = _error(b"%PDF-1.4\n" + b"x" * 500 + b"\n%%EOF\n")
    assert "broken PDF" in message


def test_non_budget_pdf() -> None:
    data = build_pdf([prose_page(["今天天气很好，我们去公园散步。", "春天来了，花开了，孩子们在草地上玩耍。"])])
    assert "not a budget disclosure" in _error(data)


def test_five_hundred_pages_are_read() -> None:
    doc = ingest_bytes(budget_pdf(extra_pages=497), "big.pdf")
    assert doc.pages == 500
    assert doc.lines[-1].page == 500
    # the unit line (编制部门…\t单位：万元), the header and the four rows, once each
    assert sum(1 for ln in doc.lines if "\t" in ln.text) == 6


def test_suffix_does_not_decide_the_reader(tmp_path: Path) -> None:
    # A PDF named .txt is still read as a PDF; a text file named .pdf is still text.
    (tmp_path / "a.txt").write_bytes(budget_pdf())
    assert ingest(tmp_path / "a.txt").source == "pdf"
    # Bytes that are neither a PDF nor text under a .pdf name: called damaged, not mis-encoded.
    (tmp_path / "b.pdf").write_bytes(bytes(range(256)) * 8)
    with pytest.raises(IngestError, match=r"named \.pdf but neither a PDF \(no %PDF- header\) nor text"):
        ingest(tmp_path / "b.pdf")


def test_folder_run_goes_on_and_lists_every_bad_pdf(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = budget_pdf()
    (folder / "good.pdf").write_bytes(good)
    bad = {
        "scanned.pdf": build_pdf([Page(image=True)]),
        "encrypted.pdf": build_pdf([Page(texts=list(COVER))], encrypt=True),
        "zero.pdf": build_pdf([]),
        "truncated.pdf": good[: len(good) // 2],
        "other.pdf": build_pdf([prose_page(["今天天气很好，我们去公园散步。"])]),
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    out = tmp_path / "out"
    result = run_batch(BatchOptions(paths=[folder], out_dir=out, llm=False, embed=False, progress=False))
    assert result.exit_code == 1
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    by_name = {Path(e["path"]).name: e for e in errors}
    assert set(by_name) == set(bad)
    assert all(e["stage"] == "ingest" and e["kind"] == "bad_input" for e in errors)
    assert "scanned" in by_name["scanned.pdf"]["message"]
    assert "encrypted" in by_name["encrypted.pdf"]["message"]
    assert "without pages" in by_name["zero.pdf"]["message"]
    assert "truncated" in by_name["truncated.pdf"]["message"]
    assert "not a budget disclosure" in by_name["other.pdf"]["message"]
    docs = list((out / "documents").glob("good.*.json"))
    assert len(docs) == 1
    doc = json.loads(docs[0].read_text(encoding="utf-8"))
    assert doc["encoding"] == "pdf"


def test_parse_prints_one_line_per_bad_pdf_and_reads_the_good_one(tmp_path: Path) -> None:
    (tmp_path / "good.pdf").write_bytes(budget_pdf())
    (tmp_path / "scan.pdf").write_bytes(build_pdf([Page(image=True)]))
    proc = subprocess.run([sys.executable, "-m", "semx.cli", "parse", tmp_path / "scan.pdf", tmp_path / "good.pdf"],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == 1
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "scan.pdf" in lines[0] and "scanned PDF" in lines[0]
    assert "good.pdf" in proc.stdout
