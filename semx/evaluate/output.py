"""The eval's outputs: markdown (stdout and report.md), results.json, items.json, report.html + PNGs.

results.json holds the numbers only (plus a `meta` block with timings and paths), so two
runs of the same recordings can be compared with a plain equality on everything but meta.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

from semx.evaluate.harness import EvalResult, meta
from semx.evaluate.tables import Table, classify_table, extract_table, paired_table, scorer_tables, to_html, to_markdown


def tables(result: EvalResult) -> list[Table]:
    several = len({s.model for s in result.summaries}) > 1
    out: list[Table] = []
    ex = [s for s in result.summaries if s.task == "extract"]
    cl = [s for s in result.summaries if s.task == "classify"]
    if ex:
        out.append(extract_table(ex, several))
    if cl:
        out.append(classify_table(cl, several))
    if result.pairs:
        out.append(paired_table(result.pairs))
    if result.scorer is not None:
        out.extend(scorer_tables(result.scorer))
    return out


def markdown(result: EvalResult) -> str:
    o = result.options
    head = [f"## semx eval ({o.mode}: {'cassettes' if o.mode == 'replay' else 'live endpoint'})", ""]
    if result.incomplete:
        head += [("**Incomplete: some items were not replayed (see the 'run' columns); their metrics cover "
                 "only the items that were.**"), ""]
    head += [f"* {n}" for n in result.notes]
    return "\n".join(head) + ("\n" if result.notes else "") + "\n" + to_markdown(tables(result))


def results_json(result: EvalResult) -> dict[str, Any]:
    return {
        "meta": meta(result),
        "llm": [s.as_json() for s in result.summaries],
        "paired": [p.as_json() for p in result.pairs],
        "scorer": result.scorer.as_json() if result.scorer is not None else None,
        "notes": result.notes,
    }


def items_json(result: EvalResult) -> dict[str, Any]:
    """Per-item detail for debugging a number: what each run returned and how it scored."""
    runs = []
    for r in result.runs:
        runs.append({"task": r.task, "version": r.version, "model": r.model, "mode": r.mode,
                     "items": [i.as_json() for i in r.items]})
    blocks = {k: [{"key": b.key, "tp": b.prf.tp, "fp": b.prf.fp, "fn": b.prf.fn, "found": list(b.found),
                   "level2_ok": b.level2_ok, "value_ok": b.value_ok} for b in v]
              for k, v in result.block_scores.items()}
    rows = {k: [{"sample": o.sample, "line": o.line, "level3": o.level3, "gold": o.gold, "pred": o.pred,
                 "answered": o.answered, "doubtful": o.doubtful} for o in v]
            for k, v in result.row_outcomes.items()}
    return {"runs": runs, "extract_blocks": blocks, "classify_rows": rows}


_CSS = ("body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;margin:.5em 0}"
        "td,th{border:1px solid #bbb;padding:3px 7px;font-size:13px;text-align:right}"
        "td:first-child,th:first-child{text-align:left}th{background:#eee}li{font-size:13px}"
        ".plots img{margin:4px;border:1px solid #ddd}")


def write(result: EvalResult, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def put(name: str, data: str | bytes) -> None:
        path = out_dir / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        written.append(path)

    md = markdown(result)
    put("report.md", md)
    put("results.json", json.dumps(results_json(result), ensure_ascii=False, indent=1) + "\n")
    put("items.json", json.dumps(items_json(result), ensure_ascii=False, indent=1) + "\n")

    imgs: list[str] = []
    if result.scorer is not None:
        from semx.evaluate.plots import all_pr_pngs

        for flag, png in all_pr_pngs(result.scorer.flags).items():
            put(f"pr_{flag}.png", png)
            # Embedded too, so report.html stays readable when copied alone.
            imgs.append(f'<img alt="PR curve {html.escape(flag)}" src="data:image/png;base64,'
                        f'{base64.b64encode(png).decode("ascii")}">')
    body = to_html(tables(result))
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.notes)
    page = (f"<!doctype html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\"><title>semx eval</title>"
            f"<style>{_CSS}</style></head><body>\n<h1>semx eval ({html.escape(result.options.mode)})</h1>\n"
            + (f"<ul>{notes}</ul>\n" if notes else "")
            + (f"<h2>Scorer flags: precision–recall</h2>\n<div class=\"plots\">{''.join(imgs)}</div>\n" if imgs else "")
            + body + "\n</body></html>\n")
    put("report.html", page)
    return written
