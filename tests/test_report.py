"""Report writers on small hand-made results: escaping, spreadsheet safety, highlighting, ranking."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from batch_support import read_csv, read_jsonl, xlsx_values

from semx.atomic import atomic_path, atomic_write_text, remove_stale_temps
from semx.batch.options import FailRule
from semx.models import (
    Finding,
    Flag,
    FreeTextTarget,
    Indicator,
    IndicatorValue,
    Line,
    LLMUsage,
    ParsedDocument,
    Project,
    StageRun,
)
from semx.report import write_reports
from semx.report.records import DocResult, ErrorRecord, indicator_records
from semx.report.summary import RunInfo, build_summary, worst_projects
from semx.report.view import _segments

XSS = "<script>document.title='pwned'</script>"


def _ind(name: str, raw: str, line: int, flags: list[Flag] | None = None, source: str = "table") -> Indicator:
    return Indicator(level1="产出指标", level2="数量指标", level3=name, value=IndicatorValue(raw=raw), line=line,
                     flags=flags or [], quality=100.0 - 30 * len(flags or []), source=source)  # type: ignore[arg-type]


def _doc(sha: str = "a" * 64, grade: str = "差") -> ParsedDocument:
    bad = Flag(code="mismatch", score=0.9, reason=f"与项目不相关 {XSS}")
    p1 = Project(name=f"会议经费{XSS}", budget=Decimal("12.5"), start_line=3, end_line=9, grade=grade,  # type: ignore[arg-type]
                 grade_reasons=["2/3 个指标与项目不相关"], goals=["保障会议"],
                 indicators=[_ind("参会人数", "=1000人", 5), _ind("=1+1", "≥95%", 6, [bad])])
    p2 = Project(name="好项目", start_line=10, end_line=12, grade="优", indicators=[_ind("印刷份数", "≥5份", 11)])
    ft = FreeTextTarget(title="分项目标", goal_text="目标", indicator_text="参会人数1000人", start_line=13, end_line=14,
                        indicators=[_ind("参会人数", "=1000人", 14, source="llm")])
    return ParsedDocument(
        path="/x/doc.txt", sha256=sha, encoding="utf-8", layout="tab", unit_code="201", unit_name="党委", year=2022,
        projects=[p1, p2], free_text_targets=[ft],
        findings=[Finding(id="f1", code="sum_mismatch", severity="error", message="合计不等", lines=[2],
                          expected=Decimal("10.00"), actual=Decimal("10.50"), difference=Decimal("0.50"))],
        stages=[StageRun(stage="ingest", status="ran"), StageRun(stage="llm", status="skipped", notice="--no-llm")],
    )


def _lines() -> list[Line]:
    texts = ["标题", "合计\t10.50", "会议经费", "", "参会人数\t=1000人", f"=1+1\t≥95%\t{XSS}"]
    return [Line(no=i, text=t, raw=t) for i, t in enumerate(texts, 1)]


def _run_info() -> RunInfo:
    return RunInfo(started_at="t0", finished_at="t1", elapsed_s=1.0, inputs=1, processed=1, skipped_unchanged=0,
                   failed=0, llm=LLMUsage(), options={}, notices=[])


def _write(tmp_path: Path) -> Path:
    r = DocResult(doc=_doc(), name="doc.txt", result_file="documents/doc.json")
    errors = [ErrorRecord(path=f"/x/{XSS}.txt", stage="ingest", kind="bad_input", message="empty file")]
    summary = build_summary([r], errors, _run_info(), (1.0, 2.0, "USD"), 1, ["1 document(s) failed"])
    write_reports(tmp_path, [r], {r.doc.sha256: _lines()}, errors, summary)
    return tmp_path


def test_html_escapes_document_text(tmp_path: Path) -> None:
    html = (_write(tmp_path) / "report.html").read_text(encoding="utf-8")
    assert XSS not in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert html.count("<script>") == 1  # only the report's own filter script
    assert "<mark>" in html  # the flagged indicator's source line is highlighted


def test_spreadsheet_and_csv_never_turn_text_into_formulas(tmp_path: Path) -> None:
    out = _write(tmp_path)
    sheet = xlsx_values(out / "indicators.xlsx")["指标"]
    # neutralised like the CSV (issue 16: a leading apostrophe), and stored as a string, not a formula
    assert any(row[9] == "'=1+1" for row in sheet[1:])
    from openpyxl import load_workbook

    ws = load_workbook(out / "indicators.xlsx")["指标"]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    rows = read_csv(out / "findings.csv")
    assert rows[1][rows[0].index("code")] == "sum_mismatch"


def test_indicator_rows_cover_tables_and_free_text(tmp_path: Path) -> None:
    out = _write(tmp_path)
    rows = read_jsonl(out / "indicators.jsonl")
    assert [(r["origin"], r["level3"]) for r in rows] == [
        ("table", "参会人数"), ("table", "=1+1"), ("table", "印刷份数"), ("free_text", "参会人数")]
    flagged = rows[1]
    assert flagged["flags"] == ["mismatch"] and flagged["flag_scores"] == {"mismatch": 0.9}
    assert flagged["project_budget"] == 12.5 and flagged["unit_name"] == "党委" and flagged["year"] == 2022
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["indicators"]["flagged"] == 1 and summary["indicators"]["flag_rate"] == 0.25
    assert summary["findings"] == {"error": 1} and summary["cost"]["total"] == 0.0
    assert summary["stages"]["llm"]["skipped"] == 1 and summary["stages"]["llm"]["notices"] == ["--no-llm"]
    assert read_jsonl(out / "errors.jsonl")[0]["message"] == "empty file"


def test_worst_projects_lowest_grade_first() -> None:
    docs = [DocResult(doc=_doc("a" * 64, grade="中"), name="a.txt", result_file="a"),
            DocResult(doc=_doc("b" * 64, grade="差"), name="b.txt", result_file="b")]
    worst = worst_projects(docs)
    assert [(w.document, w.grade) for w in worst[:2]] == [("b.txt", "差"), ("a.txt", "中")]
    assert worst[-1].grade == "优"
    assert len(indicator_records(docs[0])) == 4


def test_segments_mark_every_occurrence() -> None:
    assert _segments("a参会人数b参会人数", ["参会人数"]) == [("a", False), ("参会人数", True), ("b", False),
                                                           ("参会人数", True)]
    assert _segments("abc", []) == [("abc", False)]


def test_atomic_write_keeps_old_file_on_error(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    atomic_write_text(target, "old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]
    (tmp_path / ".y.json.abc.semx-tmp").write_text("left by a SIGKILL")
    assert remove_stale_temps(tmp_path) == 1 and list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize(("text", "code", "hit", "count", "tripped"), [
    ("mismatch>=1", "mismatch", True, 1, True),
    ("mismatch>=1", "sum_mismatch", True, 0, False),
    ("mismatch>1", "prose_mismatch", True, 1, False),
    ("boilerplate>=2", "mismatch", False, 2, True),
    ("*>=1", "anything", True, 1, True),
])
def test_fail_rule(text: str, code: str, hit: bool, count: int, tripped: bool) -> None:
    rule = FailRule.parse(text)
    assert rule.matches(code) is hit
    assert rule.tripped(count) is tripped


@pytest.mark.parametrize("bad", ["mismatch", "mismatch>=x", ">=1", "mismatch=>1"])
def test_fail_rule_rejects_bad_syntax(bad: str) -> None:
    with pytest.raises(ValueError):
        FailRule.parse(bad)
