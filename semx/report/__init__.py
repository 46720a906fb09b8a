"""Reports of a `semx score` run: HTML, Excel, CSV, JSONL and summary.json.

All files are rebuilt from the finished documents' results at the end of every run (also a
resumed one), so their content depends on the results only, not on how the run went.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from semx.atomic import atomic_write_text
from semx.models import Line
from semx.report.records import DocResult, ErrorRecord, IndicatorRecord, finding_records, indicator_records
from semx.report.summary import Summary

OUTPUT_FILES = ("indicators.jsonl", "indicators.xlsx", "findings.csv", "summary.json", "errors.jsonl", "report.html",
                "checklist.xlsx")


def write_reports(out_dir: Path, results: list[DocResult], lines: Mapping[str, list[Line]], errors: list[ErrorRecord],
                  summary: Summary) -> list[Path]:
    from semx.report.checklist import write_checklist
    from semx.report.html import render_html, write_html
    from semx.report.tabular import write_findings_csv, write_indicators_xlsx, write_jsonl

    def inds() -> Iterator[IndicatorRecord]:
        # Made again for each writer, document by document: the corpus's indicator rows are never
        # all in memory at once (issue 20: ~0.8 MB a document).
        return (rec for r in results for rec in indicator_records(r))

    finds = [rec for r in results for rec in finding_records(r)]
    paths = {name: out_dir / name for name in OUTPUT_FILES}
    write_jsonl(paths["indicators.jsonl"], inds())
    write_indicators_xlsx(paths["indicators.xlsx"], inds(), finds, results)
    write_findings_csv(paths["findings.csv"], finds)
    write_jsonl(paths["errors.jsonl"], errors)
    atomic_write_text(paths["summary.json"], summary.model_dump_json(indent=2) + "\n")
    write_html(paths["report.html"], render_html(results, lines, errors, summary))
    write_checklist(paths["checklist.xlsx"], results, lines, errors)
    return list(paths.values())


__all__ = ["OUTPUT_FILES", "DocResult", "ErrorRecord", "Summary", "write_reports"]
