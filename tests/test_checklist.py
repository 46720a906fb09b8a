"""checklist.xlsx: the auditor's review workbook, read back with openpyxl."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from score_helpers import CORPUS

from semx.embed.encoder import CharNgramEmbedder
from semx.ingest import ingest
from semx.models import Flag, Line, ParsedDocument
from semx.pipeline import parse_file, parse_source
from semx.report.cell_guard import neutralise
from semx.report.checklist import COLUMNS, DOC_INFO, HEADER_ROW, write_checklist
from semx.report.records import DocResult
from semx.score.scorer import DocInput, score_documents
from semx.vocab.flags import FLAGS, REVIEW_POINTS


def _scored(names: list[str]) -> list[ParsedDocument]:
    docs = [parse_file(CORPUS / n) for n in names]
    res = score_documents([DocInput(key=d.sha256[:12], projects=d.projects, free_text=d.free_text_targets)
                           for d in docs], embedder=CharNgramEmbedder())
    return [d.model_copy(update={"projects": r.projects}) for d, r in zip(docs, res, strict=True)]


def test_checklist_sheets_rows_and_positions(tmp_path: Path) -> None:
    a, b = _scored(["000_0e92df39b5d37474.txt", "003_151f06cdbfa3e50b.txt"])
    # a hostile project name and reason: document text must never become a formula
    p0 = a.projects[0]
    bad = p0.model_copy(update={"name": "=HYPERLINK(\"http://x\",\"y\")",
                                "flags": [*p0.flags, Flag(code="weak_basis", score=0.6, reason="-1+2 @SUM(A1)")]})
    a = a.model_copy(update={"projects": [bad, *a.projects[1:]]})
    flagged_line = next(i.line for p in a.projects for i in p.indicators if i.flags)
    lines = {a.sha256: [Line(no=flagged_line, text="x", raw="x", page=3)], b.sha256: []}
    results = [DocResult(a, "000.txt", "documents/000.json"), DocResult(b, "003.txt", "documents/003.json")]
    out = tmp_path / "checklist.xlsx"
    write_checklist(out, results, lines)

    wb = load_workbook(out)
    assert wb.sheetnames == ["汇总", "000.txt", "003.txt"]
    for name in ("000.txt", "003.txt"):
        ws = wb[name]
        assert [c.value for c in ws[HEADER_ROW]] == [h for h, _ in COLUMNS]
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}" and ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
        assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        assert ws.column_dimensions["D"].width == 70
        rule_rows = [r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
                     if r[0] in REVIEW_POINTS and "条规则" not in str(r[1])]
        # one row per registry rule, each under its review point
        assert len(rule_rows) == len(FLAGS)
        assert {r[0] for r in rule_rows} == set(REVIEW_POINTS)
        for r in rule_rows:
            assert r[2] in ("通过", "未通过", "不适用")
            if r[2] == "未通过":
                assert r[3] and r[5] and "行" in r[5] and isinstance(r[6], int | float) and r[3].startswith("【")
        grades = [r for r in ws.iter_rows(values_only=True) if r[2] in ("优", "良", "中", "差")]
        assert grades and all(r[3] and "项目得分" in r[3] for r in grades)
    # above the header: which document the sheet judges (a printed sheet has no tab name)
    for name, doc, pages in (("000.txt", a, "3 页"), ("003.txt", b, "无（文本文件，不分页）")):
        info = {r[0]: r[1] for r in wb[name].iter_rows(max_row=len(DOC_INFO), values_only=True)}
        assert list(info) == DOC_INFO
        assert info["文件"] == name and info["来源页数"] == pages
        assert info["类型"] == (doc.kind or "（未识别）") and info["年度"] == (f"{doc.year} 年度" if doc.year else "（未识别）")
        assert doc.unit_name and doc.unit_name in info["单位"]
    assert a.year and a.kind
    ws = wb["000.txt"]
    # a line on a page is placed by its page (semx's line numbers are printed nowhere in a PDF)
    assert any(str(c.value).startswith("第 3 页") for row in ws.iter_rows() for c in row)
    values = [c for w in wb.worksheets for row in w.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in values)
    assert all(not str(c.value).startswith(("=", "+", "-", "@")) for c in values)
    assert any(str(c.value).startswith("'=HYPERLINK") for c in values)
    roll = wb["汇总"]
    head = [c.value for c in roll[1]]
    assert head[:4] == ["审核要点", "审核规则", "未通过文件数", "问题数"] and head[4:] == ["000.txt", "003.txt"]
    assert roll.max_row == 1 + len(FLAGS)


def test_rules_the_document_cannot_be_judged_on_are_not_applicable(tmp_path: Path) -> None:
    (a,) = _scored(["003_151f06cdbfa3e50b.txt"])
    # the same tables printed without the 指标值确定依据 column (a Shanghai 申报表 has none)
    no_basis = [p.model_copy(update={
        "indicator_columns": [c for c in p.indicator_columns if c != "basis"],
        "indicators": [i.model_copy(update={"basis": None}) for i in p.indicators]}) for p in a.projects]
    b = a.model_copy(update={"projects": no_basis, "sha256": "b" * 64})
    empty = a.model_copy(update={"projects": [], "free_text_targets": [], "sha256": "c" * 64})
    results = [DocResult(a, "003.txt", "x.json"), DocResult(b, "no_basis.txt", "y.json"),
               DocResult(empty, "no_forms.txt", "z.json")]
    out = tmp_path / "checklist.xlsx"
    write_checklist(out, results, {})
    wb = load_workbook(out)

    def verdicts(name: str) -> dict[str, tuple[str, str]]:
        return {str(r[1]).rsplit("（", 1)[-1].rstrip("）"): (r[2], r[3] or "")
                for r in wb[name].iter_rows(min_row=2, values_only=True)
                if r[0] in REVIEW_POINTS and "条规则" not in str(r[1])}

    assert verdicts("003.txt")["weak_basis"][0] in ("通过", "未通过")
    assert verdicts("no_basis.txt")["weak_basis"] == ("不适用", "本文件的绩效目标表没有“指标值确定依据”栏，此项不适用。")
    assert verdicts("no_basis.txt")["no_cost"][0] != "不适用"  # the other rules still judge the tables
    nothing = verdicts("no_forms.txt")
    # with no 绩效目标表, indicator and project rules cannot pass; without the source lines neither can the
    # checks of the 说明's text
    assert all(nothing[f.code][0] == "不适用" for f in FLAGS)
    assert verdicts("003.txt")["targets_amount"] == ("不适用", "未读到文件原文，无法判断说明中是否有此项内容。")
    roll = [r for r in wb["汇总"].iter_rows(min_row=2, values_only=True) if r[1] == "依据仅为工作需要（weak_basis）"]
    assert roll[0][5] == "不适用"


def test_neutralise() -> None:
    assert neutralise("=1+1") == "'=1+1" and neutralise("\t=1") == "'\t=1" and neutralise("-5") == "'-5"
    assert neutralise("预算成本") == "预算成本"


def test_document_checks_pass_only_where_the_document_holds_what_they_check(tmp_path: Path) -> None:
    """003 prints no "编报绩效目标的项目N个，涉及项目预算资金X万元" and describes no project in its 说明:
    the two checks of that text say 不适用 with why; written into its 说明 they are judged."""
    sample = "003_151f06cdbfa3e50b.txt"
    text = (CORPUS / sample).read_text(encoding="utf-8").splitlines()
    i = text.index("2、支出说明")
    with_it = tmp_path / sample
    with_it.write_text("\n".join([*text[: i + 1], "编报绩效目标的项目共11个，涉及项目预算资金332.34万元。",
                                  "（一）档案数字化项目：主要用于馆藏档案扫描和著录。", *text[i + 1:]]) + "\n",
                       encoding="utf-8")
    docs, lines = [], {}
    for path, name in ((CORPUS / sample, "without"), (with_it, "with")):
        src = ingest(path)
        d = parse_source(src).model_copy(update={"sha256": name * 8})
        docs.append(DocResult(d, f"{name}.txt", f"{name}.json"))
        lines[d.sha256] = src.lines
    out = tmp_path / "checklist.xlsx"
    write_checklist(out, docs, lines)
    wb = load_workbook(out)

    def verdict(sheet: str, code: str) -> tuple[str, str]:
        row = next(r for r in wb[sheet].iter_rows(min_row=2, values_only=True) if str(r[1]).endswith(f"（{code}）"))
        return row[2], row[3] or ""

    assert verdict("without.txt", "targets_amount") == (
        "不适用", "说明中没有“编报绩效目标的项目N个，涉及项目预算资金X万元”的表述，此项无从核对。")
    assert verdict("without.txt", "project_no_amount") == ("不适用", "说明没有逐项介绍项目，此项不适用。")
    assert verdict("with.txt", "targets_amount") == ("通过", "")  # 332.34 is what the 11 forms add up to
    assert verdict("with.txt", "project_no_amount")[0] == "未通过"
    # one year of the unit in the batch: nothing to compare a copy with
    assert verdict("with.txt", "cross_year_copy") == ("不适用", "本批没有同一单位更早年度的文件，无从判断是否照搬。")
    # 003 has no 项目总目标 next to an 年度目标
    assert verdict("with.txt", "annual_copies_total")[0] == "不适用"


def test_project_rules_without_their_input_are_not_applicable() -> None:
    """A table with no goal text, no 满意度 row and no money cost row: the rules reading those say why."""
    from semx.report.applicability import not_applicable
    from semx.score.items import indicator_text
    from semx.vocab.flags import spec

    (a,) = _scored(["001_3a4f24dd5e88b886.txt"])  # 25 tables with 预算数 and money 成本指标 rows
    bare = [p.model_copy(update={
        "goal_text": None, "goals": [], "purpose": None,
        "indicators": [i for i in p.indicators if "满意" not in indicator_text(i) + (i.level1 or "")
                       and (i.level2 or "") != "成本指标"]}) for p in a.projects]
    b = a.model_copy(update={"projects": bare})
    for code in ("goal_without_indicator", "prose_disagrees", "satisfaction_100", "cost_vs_budget"):
        assert not_applicable(spec(code), b, [], [b]), code
    # the real tables hold all four inputs; 003 prints 预算数 but no money 成本指标 row
    (c,) = _scored(["003_151f06cdbfa3e50b.txt"])
    assert not_applicable(spec("cost_vs_budget"), c, [], [c]).startswith("没有既有预算数又有以金额表示的成本指标")
    assert not [c for c in ("goal_without_indicator", "prose_disagrees", "satisfaction_100", "cost_vs_budget")
                if not_applicable(spec(c), a, [], [a])]
    # rules that read only the rows still judge the bare tables
    assert not_applicable(spec("no_cost"), b, [], [b]) == ""
