"""Thin command line over the pipeline stages.

Exit codes (documented in the README):
  0  every file processed
  1  at least one file was bad input (missing, empty, binary, mis-encoded, not a disclosure)
  2  usage error (unknown option, no file given)
  3  at least one file hit an internal error (a bug: please report it)
Heavy libraries (torch, sentence-transformers, openai) are imported inside the commands
that need them so `semx --help` and `semx parse` start fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

if TYPE_CHECKING:  # the pipeline's models load only when a command runs, so --help starts fast
    from semx.models import ParsedDocument

app = typer.Typer(
    name="semx",
    help="读取部门预算/单位预算信息公开文件，解析数字表与绩效目标，并评估绩效指标质量。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

T = TypeVar("T")


def _err(message: str) -> None:
    # Plain write, not rich: an error must stay on one line whatever the terminal width.
    sys.stderr.write(message.replace("\n", " ") + "\n")


class ParseFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"


class CheckFormat(str, Enum):
    table = "table"
    json = "json"


def _each_file(paths: Iterable[Path], work: Callable[[Path], T]) -> tuple[list[T], int]:
    """Run work on every file; one bad file is reported on stderr and never stops the others."""
    from semx.ingest import IngestError

    results: list[T] = []
    code = EXIT_OK
    for path in paths:
        try:
            results.append(work(path))
        except IngestError as exc:
            _err(f"semx: error: {exc.path}: {exc.reason}")
            code = max(code, EXIT_BAD_INPUT)
        except Exception as exc:  # noqa: BLE001 - a parser bug on one file must not lose the others
            _err(f"semx: internal error: {path}: {type(exc).__name__}: {exc}")
            code = EXIT_INTERNAL
    return results, code


def _dump(doc: ParsedDocument, indent: int | None) -> str:
    return doc.model_dump_json(indent=indent)


Files = Annotated[list[Path], typer.Argument(help="disclosure text files (UTF-8 or GBK)", show_default=False)]


@app.command()
def parse(
    files: Files,
    fmt: Annotated[ParseFormat, typer.Option("--format", "-f", help="json: one object or an array; jsonl: one per line")] = ParseFormat.json,
) -> None:
    """Parse files into JSON: unit, year, tables, consistency findings, projects, free-text targets."""
    from semx.pipeline import parse_file

    docs, code = _each_file(files, parse_file)
    out = sys.stdout
    if fmt is ParseFormat.jsonl:
        for doc in docs:
            out.write(_dump(doc, None) + "\n")
    elif len(files) == 1:
        if docs:
            out.write(_dump(docs[0], 2) + "\n")
    else:
        out.write("[\n" + ",\n".join(_dump(d, 2) for d in docs) + "\n]\n")
    raise typer.Exit(code)


@app.command()
def check(
    files: Files,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f")] = CheckFormat.table,
) -> None:
    """Check that the numeric tables and the prose add up; print the findings."""
    from semx.checks import render_findings
    from semx.pipeline import parse_file

    docs, code = _each_file(files, parse_file)
    if fmt is CheckFormat.json:
        payload = [
            {"path": d.path, "findings": [json.loads(f.model_dump_json()) for f in d.findings]} for d in docs
        ]
        sys.stdout.write(json.dumps(payload if len(files) > 1 else (payload[0] if payload else {}),
                                    ensure_ascii=False, indent=2) + "\n")
    else:
        from rich.console import Console

        console = Console()
        for d in docs:
            console.rule(f"{d.path}  {d.unit_name or ''} {d.year or ''}")
            render_findings(d.findings, console)
    raise typer.Exit(code)


@app.command()
def targets(files: Files) -> None:
    """Print every project, its goals and indicators in a readable view."""
    from rich.console import Console

    from semx.pipeline import parse_file
    from semx.targets import render_targets

    docs, code = _each_file(files, parse_file)
    console = Console()
    for d in docs:
        console.rule(f"{d.path}  {d.unit_name or ''} {d.year or ''}")
        render_targets(d.projects, d.free_text_targets, console)
    raise typer.Exit(code)


@app.command()
def schema() -> None:
    """Print the JSON schema of one `semx parse` document object."""
    from semx.models import ParsedDocument

    sys.stdout.write(json.dumps(ParsedDocument.model_json_schema(mode="serialization"), ensure_ascii=False, indent=2) + "\n")


# `semx score` lives in semx.batch.cli (batch runs and reports); only its signature is imported here.
from semx.batch.cli import EPILOG as _SCORE_EPILOG
from semx.batch.cli import score as _score

app.command(name="score", epilog=_SCORE_EPILOG)(_score)

# `semx eval` lives in semx.evaluate.command (gold-set comparison of prompt versions and scorer flags).
from semx.evaluate.command import eval_command as _eval

app.command(name="eval")(_eval)


# `semx logs` lives in semx.llm.cli (the prompt/response log kept beside the LLM cache).
from semx.llm.cli import logs_command as _logs

app.command(name="logs")(_logs)


def main() -> None:  # pragma: no cover - console entry point alias
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
