"""The CLI as a user runs it: JSON contract, bad input messages and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from semx.cli import app

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"
S000 = CORPUS / "000_0e92df39b5d37474.txt"
S002 = CORPUS / "002_c288364d933cd6f1.txt"
runner = CliRunner()


def _row(doc: dict, kind: str, code: str) -> dict:
    table = next(t for t in doc["tables"] if t["kind"] == kind)
    return next(r for r in table["rows"] if r["code"] == code)


def test_parse_one_file_is_one_object_with_numbers() -> None:
    res = runner.invoke(app, ["parse", str(S000)])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert (doc["unit_code"], doc["unit_name"], doc["year"]) == ("201", "党委", 2022)
    assert doc["encoding"] == "utf-8" and doc["layout"] == "tab"
    expenditure = next(t for t in doc["tables"] if t["kind"] == "expenditure_summary")
    row = _row(doc, "expenditure_summary", "2013101")
    cols = expenditure["columns"]
    assert row["level"] == "项" and row["name"] == "行政运行"
    # JSON numbers, not strings
    assert row["cells"][cols.index("合计")] == 889.12
    assert row["cells"][cols.index("基本支出")] == 451.94
    assert row["cells"][cols.index("项目支出")] == 437.18
    assert isinstance(row["line"], int)
    assert len(doc["projects"]) == 27
    assert any(f["code"] == "SUM_HIERARCHY" and f["expected"] == 1204.0 and f["actual"] == 1210.0
               for f in doc["findings"])


def test_parse_several_files_is_an_array_and_jsonl_is_lines() -> None:
    res = runner.invoke(app, ["parse", str(S000), str(S002)])
    assert res.exit_code == 0
    docs = json.loads(res.stdout)
    assert [d["unit_code"] for d in docs] == ["201", "434001"]
    res = runner.invoke(app, ["parse", "--format", "jsonl", str(S000), str(S002)])
    lines = res.stdout.strip().split("\n")
    assert len(lines) == 2 and json.loads(lines[1])["year"] == 2021


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: _write(d / "empty.txt", b""), "empty file"),
        (lambda d: _write(d / "bin.dat", b"\x00\x01\x02PK\x03\x04" * 50), "binary file (contains NUL bytes)"),
        (lambda d: _write(d / "note.txt", "会议纪要：明天开会。".encode()),
         "not a budget disclosure (no 预算/万元/绩效/支出/科目 vocabulary)"),
    ],
)
def test_bad_input_message_and_exit_code_others_still_parsed(tmp_path: Path, setup, reason: str) -> None:
    bad = setup(tmp_path)
    res = runner.invoke(app, ["parse", str(bad), str(S002)])
    assert res.exit_code == 1
    assert res.stderr.strip() == f"semx: error: {bad}: {reason}"
    docs = json.loads(res.stdout)
    assert [d["unit_code"] for d in docs] == ["434001"]


def test_no_file_is_a_usage_error() -> None:
    assert runner.invoke(app, ["parse"]).exit_code == 2


def test_check_json_and_table() -> None:
    res = runner.invoke(app, ["check", "--format", "json", str(S000)])
    assert res.exit_code == 0
    payload = json.loads(res.stdout)
    roots = [f for f in payload["findings"] if f["caused_by"] is None and f["severity"] == "error"]
    assert roots and roots[0]["code"] == "SUM_HIERARCHY"
    res = runner.invoke(app, ["check", str(S002)])
    assert res.exit_code == 0


def test_targets_view() -> None:
    res = runner.invoke(app, ["targets", str(S002)])
    assert res.exit_code == 0
    assert "绩效目标" in res.stdout or "指标" in res.stdout


def test_help_and_parse_do_not_import_torch() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from semx.cli import app\n"
        f"r = CliRunner().invoke(app, ['parse', {str(S002)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers', 'openai', 'instructor') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
