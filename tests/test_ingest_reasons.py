"""The auditor reads why a file was refused in Chinese; errors.jsonl keeps ingest's English reason."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pdf_fixtures import Page, build_pdf

from semx.ingest import IngestError, ingest, ingest_bytes
from semx.report import write_reports
from semx.report.records import ErrorRecord
from semx.report.view import ERROR_KIND_LABEL
from semx.vocab.ingest_reasons import ingest_reason_zh

ROOT = Path(__file__).resolve().parent.parent
_CJK = re.compile("[\u4e00-\u9fff]")
# English that may stay in a Chinese reason: format and tool names, the setting to change
_KEPT = {"PDF", "DOCX", "UTF", "GB18030", "OCR", "FIFO", "NUL", "ZIP", "Word", "Unicode", "MB", "SEMX_MAX_INPUT_MB",
         "python", "docx", "pip", "install", "semx", "txt", "pdf", "XLSX", "XLS", "Excel", "doc", "xls", "xlsx"}


def _chinese(reason: str) -> str:
    zh = ingest_reason_zh(reason)
    assert zh is not None, f"no Chinese wording for {reason!r}"
    assert _CJK.search(zh)
    english = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", zh)) - _KEPT
    assert not english, f"{reason!r} -> {zh!r} keeps {english}"
    return zh


def _reason(data: bytes, name: str) -> str:
    with pytest.raises(IngestError) as info:
        ingest_bytes(data, name)
    return info.value.reason


def test_the_reasons_the_auditor_meets_read_in_chinese(tmp_path: Path) -> None:
    scanned = _chinese(_reason(build_pdf([Page(image=True), Page(image=True)]), "scan.pdf"))
    assert scanned.startswith("扫描件 PDF") and "2 页" in scanned and "OCR" in scanned
    assert _chinese(_reason("本文件只是一封普通的信，问候大家。\n".encode() * 5, "letter.txt")).startswith("不是预算公开文件")
    garbage = bytes(range(128, 256)) * 8
    assert "文件名为 .pdf" in _chinese(_reason(garbage, "x.pdf"))
    assert _chinese(_reason(b"", "e.txt")) == "空文件"
    assert _chinese(_reason(b"\x00\x01abc", "b.txt")).startswith("二进制文件")
    with pytest.raises(IngestError) as info:
        ingest(tmp_path)
    assert _chinese(info.value.reason) == "这是文件夹，不是文件"
    with pytest.raises(IngestError) as info:
        ingest(tmp_path / "missing.txt")
    assert _chinese(info.value.reason) == "文件不存在"


# the values of a raise site's placeholders that its wording depends on (others become "7")
_SAMPLE_VALUES = {"where": "byte 3, line 2", "suffix": ".pdf", "what[suffix]": "a PDF (no %PDF- header)",
                  "unreadable": "40%"}


def _literal(node: ast.expr) -> str | None:
    """A reason as written at a raise site, its placeholders filled with sample figures."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else _SAMPLE_VALUES.get(ast.unparse(v.value), "7")
                       for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):  # f"…".splitlines()[0]
        return _literal(node.func.value)
    return None


def test_every_written_reason_has_a_chinese_wording() -> None:
    """Every reason literal given to IngestError / Skipped, or returned by a reason helper, is worded in Chinese."""
    reasons: list[str] = []
    for path in [ROOT / "semx" / "files.py", ROOT / "semx" / "batch" / "discover.py", *(ROOT / "semx" / "ingest").glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("IngestError", "Skipped"):
                arg = node.args[1] if len(node.args) > 1 else None
                if isinstance(arg, ast.Subscript):  # f"…".splitlines()[0]
                    arg = arg.value
                if arg is not None and (text := _literal(arg)) is not None:
                    reasons.append(text)
            if isinstance(node, ast.FunctionDef) and node.name in ("_os_reason", "_unloadable"):
                reasons += [t for r in ast.walk(node) if isinstance(r, ast.Return) and r.value is not None
                            and (t := _literal(r.value)) is not None]
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "what" for t in node.targets) \
                    and isinstance(node.value, ast.IfExp):
                reasons += [t for v in (node.value.body, node.value.orelse) if (t := _literal(v)) is not None]
    assert len(reasons) > 25
    for reason in reasons:
        _chinese(reason)


def test_report_shows_the_chinese_reason_and_errors_jsonl_keeps_the_english(tmp_path: Path) -> None:
    from test_report import _doc, _lines, _run_info

    from semx.report.records import DocResult
    from semx.report.summary import build_summary

    message = "scanned PDF without a text layer (4 pages, no text to read; OCR it first)"
    errors = [ErrorRecord(path="/x/scan.pdf", stage="ingest", kind="bad_input", message=message),
              ErrorRecord(path="/x/bug.txt", stage="tables", kind="internal", message="not a budget disclosure, a bug")]
    r = DocResult(doc=_doc(), name="doc.txt", result_file="documents/doc.json")
    write_reports(tmp_path, [r], {r.doc.sha256: _lines()}, errors, build_summary(
        [r], errors, _run_info(), (1.0, 2.0, "USD"), 1, []))
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    table = page[page.index('id="errors"'):page.index("</table>", page.index('id="errors"'))]
    assert "扫描件 PDF，没有文字层（共 4 页，无文字可读）：请先做 OCR 文字识别</td>" in table
    assert "not a budget disclosure, a bug</td>" in table  # an internal error's message is shown as it is
    assert message in (tmp_path / "errors.jsonl").read_text(encoding="utf-8")
    # the checklist's 汇总 lists the same files with the same reasons, below the filtered rules
    roll = list(load_workbook(tmp_path / "checklist.xlsx")["汇总"].iter_rows(values_only=True))
    assert ("scan.pdf", "读取", ERROR_KIND_LABEL["bad_input"], "扫描件 PDF，没有文字层（共 4 页，无文字可读）：请先做 OCR 文字识别") \
        in [r[:4] for r in roll]
    assert ("bug.txt", "数字表", ERROR_KIND_LABEL["internal"], "not a budget disclosure, a bug") in [r[:4] for r in roll]
