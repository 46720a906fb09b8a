"""What the batch driver keeps to bound its memory (issue 20) must not change what it reports."""

from __future__ import annotations

import json
from pathlib import Path

from semx.batch.lines import LineStore
from semx.ingest import ingest
from semx.models import Line
from semx.redact import MASK
from semx.report.records import ErrorRecord
from semx.report.tabular import write_jsonl

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"


def test_line_store_gives_back_the_lines_it_was_given() -> None:
    lines = ingest(min(CORPUS.glob("*.txt"))).lines
    # a PDF's line (page, box with float coordinates, a row joined over a page break) too
    pdf_line = Line(no=7, end_no=9, text="合计\t1.5", raw="合计  1.5", page=2,
                    box=(56.69291, 100.1, 538.5826771653543, 112.25), end_page=3)
    store = LineStore()
    store["a"] = lines
    store["b"] = [pdf_line]
    store["c"] = []
    assert store["a"] == lines
    assert store["b"] == [pdf_line] and store["b"][0].box == pdf_line.box
    assert store.get("c", None) == [] and store.get("missing", []) == []
    assert sorted(store) == ["a", "b", "c"] and len(store) == 3
    assert store["a"] is not store["a"]  # a fresh list each time: a caller cannot change the store


def test_streamed_jsonl_is_redacted_line_by_line(tmp_path: Path) -> None:
    key = "sk-" + "A1b2C3d4E5f6G7h8"
    rows = [ErrorRecord(path="a.txt", stage="llm", kind="llm_failed", message=f"401: Bearer {key}"),
            ErrorRecord(path="b.txt", stage="ingest", kind="bad_input", message="不是预算公开文件")]
    out = tmp_path / "errors.jsonl"
    write_jsonl(out, rows)
    text = out.read_text(encoding="utf-8")
    assert key not in text and MASK in text
    assert [json.loads(x)["path"] for x in text.splitlines()] == ["a.txt", "b.txt"]
    write_jsonl(out, [])
    assert out.read_bytes() == b""
