"""`semx logs`: inspect the prompts, answers and costs recorded by the LLM stage.

Wire into the main typer app with ``app.command("logs")(logs_command)``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "calls": len(rows),
        "cached": sum(r["cached"] for r in rows),
        "errors": sum(1 - r["ok"] for r in rows),
        "http_requests": sum(r["requests"] for r in rows),
        "prompt_tokens": sum(r["prompt_tokens"] for r in rows),
        "completion_tokens": sum(r["completion_tokens"] for r in rows),
        "transport_retries": sum(r["transport_retries"] for r in rows),
        "validation_retries": sum(r["validation_retries"] for r in rows),
        "latency_s": round(sum(r["latency_s"] for r in rows), 1),
    }


def logs_command(
    show: Annotated[int | None, typer.Option("--show", help="print one call in full: messages and answers")] = None,
    run: Annotated[str | None, typer.Option("--run", help="run id; 'last' for the latest run")] = None,
    task: Annotated[str | None, typer.Option("--task", help="extract or classify")] = None,
    document: Annotated[str | None, typer.Option("--doc", help="substring of the document file name")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="only failed calls")] = False,
    stats: Annotated[bool, typer.Option("--stats", help="totals per document instead of a list")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n")] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Show the LLM call log (prompts, answers, tokens, retries, latency). The API key is never stored."""
    # Imported here, not at the top: `semx --help` imports this module for the command's signature.
    from rich.console import Console
    from rich.table import Table

    from semx.llm.config import load_config
    from semx.llm.store import Store

    store = Store(load_config().cache_dir)
    out = Console(highlight=False)
    try:
        if run == "last":
            run = store.last_run_id()
        if show is not None:
            rows = [r for r in store.calls(limit=None) if r["id"] == show]
            if not rows:
                raise typer.BadParameter(f"no call with id {show}")
            row = rows[0]
            for k in ("messages_json", "responses_json", "result_json"):
                row[k[:-5]] = json.loads(row.pop(k)) if row[k] else None
            if as_json:
                out.print_json(json.dumps(row, ensure_ascii=False))
                return
            out.print(f"[bold]call {row['id']}[/] {row['task']} {row['prompt_version']} {row['model']} "
                      f"doc={row['document']} item={row['item']} cached={bool(row['cached'])} ok={bool(row['ok'])}")
            for m in row["messages"] or []:
                out.rule(str(m.get("role")))
                out.print(str(m.get("content")), markup=False)
            for i, r in enumerate(row["responses"] or [], 1):
                out.rule(f"answer {i}")
                out.print(json.dumps(r, ensure_ascii=False, indent=1), markup=False)
            if row["error"]:
                out.rule("error")
                out.print(row["error"], markup=False)
            return
        rows = store.calls(run_id=run, task=task, document=document, errors_only=errors,
                           limit=None if stats else limit)
        if stats:
            by_doc: dict[str, list[dict[str, Any]]] = {}
            for r in rows:
                by_doc.setdefault(r["document"] or "-", []).append(r)
            total = _summary(rows)
            per_doc = {d: _summary(rs) for d, rs in by_doc.items()}
            if as_json:
                out.print_json(json.dumps({"run": run, "total": total, "documents": per_doc}, ensure_ascii=False))
            else:
                t = Table("document", *total.keys())
                for d, s in [*per_doc.items(), ("TOTAL", total)]:
                    t.add_row(d, *(str(v) for v in s.values()))
                out.print(t)
            return
        if as_json:
            for r in rows:
                for k in ("messages_json", "responses_json"):
                    r.pop(k)
            out.print_json(json.dumps(rows, ensure_ascii=False))
            return
        t = Table("id", "run", "task", "prompt", "document", "item", "cached", "ok", "req", "re-ask",
                  "tokens", "s", "error")
        for r in rows:
            t.add_row(str(r["id"]), r["run_id"], r["task"], r["prompt_version"], r["document"] or "",
                      (r["item"] or "")[:20], "y" if r["cached"] else "", "y" if r["ok"] else "N",
                      str(r["requests"]), str(r["validation_retries"]),
                      f"{r['prompt_tokens']}+{r['completion_tokens']}", f"{r['latency_s']:.1f}",
                      (r["error"] or "")[:60])
        out.print(t)
    finally:
        store.close()


app = typer.Typer(help="LLM call log")
app.command("logs")(logs_command)

if __name__ == "__main__":
    app()
