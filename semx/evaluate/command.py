"""`semx eval`: compare prompt versions (and models) on the gold set, and score the scorer's flags.

Wired into semx/cli.py with ``app.command(name="eval")(eval_command)``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

EXIT_OK, EXIT_INCOMPLETE, EXIT_USAGE = 0, 1, 2  # and 5: the --baseline gate failed (semx.evaluate.gate)


def _version_order(v: str) -> tuple[int, str]:
    m = re.fullmatch(r"v(\d+)", v)
    return (int(m.group(1)) if m else 10**6, v)


def default_prompts(tasks: list[str] | None = None) -> list[tuple[str, str]]:
    """Every committed prompt version, v1 < v2 < v10, extract before classify."""
    from semx.llm.prompts import list_prompts

    found = [(t, v) for t, v in list_prompts() if not tasks or t in tasks]
    return sorted(found, key=lambda tv: (("extract", "classify").index(tv[0]) if tv[0] in ("extract", "classify")
                                         else 9, _version_order(tv[1])))


def _parse_prompt(text: str) -> tuple[str, str]:
    task, _, version = text.partition("/")
    if task not in ("extract", "classify") or not version:
        raise typer.BadParameter(f"{text!r}: expected extract/<version> or classify/<version>, e.g. extract/v2")
    return task, version


def eval_command(
    prompt: Annotated[list[str] | None, typer.Option(
        "--prompt", "-p", help="task/version to run, repeatable, e.g. -p extract/v1 -p extract/v2; "
        "the first of each task is the baseline of the paired comparison [default: every prompt under prompts/]",
        show_default=False)] = None,
    task: Annotated[list[str] | None, typer.Option("--task", help="only this LLM task (extract, classify)",
                                                   show_default=False)] = None,
    model: Annotated[list[str] | None, typer.Option(
        "--model", "-m", help="model name, repeatable [default: replay every recorded model; live: the configured one]",
        show_default=False)] = None,
    live: Annotated[bool, typer.Option("--live", help="call the endpoint instead of replaying cassettes")] = False,
    record: Annotated[bool, typer.Option("--record", help="live, and (re)write cassettes/eval/<task>/<version>/")] = False,
    resume: Annotated[bool, typer.Option("--resume", help="with --record: keep items already recorded with the "
                                         "same prompt, schema and settings")] = False,
    grammar: Annotated[bool, typer.Option("--grammar", help="live on the local llama.cpp server: constrain sampling "
                                          "with the JSON schema (about 10x slower on CPU)")] = False,
    max_retries: Annotated[int | None, typer.Option(
        "--max-retries", help="live/record: validation re-asks per call [default: the LLM config's, 2]; a replay "
        "always uses the value it was recorded with", show_default=False)] = None,
    llm: Annotated[bool, typer.Option("--llm/--no-llm", help="evaluate the LLM tasks")] = True,
    scorer: Annotated[bool, typer.Option("--scorer/--no-scorer", help="evaluate the quality scorer's flags")] = True,
    embed: Annotated[bool, typer.Option("--embed/--no-embed", help="scorer with the e5 embedding model (default) "
                                        "or the char n-gram stand-in (uncalibrated, for quick checks)")] = True,
    out: Annotated[Path, typer.Option("--out", "-o", help="directory for report.md, results.json, items.json, "
                                      "report.html and the PR plots")] = Path("eval-out"),
    cassettes: Annotated[Path | None, typer.Option("--cassettes", help="cassette root [default: cassettes/eval]",
                                                   show_default=False)] = None,
    eval_dir: Annotated[Path | None, typer.Option("--eval-dir", help="gold data and corpus [default: eval/]",
                                                  show_default=False)] = None,
    strict: Annotated[bool, typer.Option("--strict", help="exit 1 when any item could not be replayed")] = False,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", help="gate: compare every figure with this stored baseline (eval/baseline.json) and exit 5 "
        "when one drops by more than --gate-threshold", show_default=False)] = None,
    gate_threshold: Annotated[float, typer.Option("--gate-threshold", min=0.0,
                                                  help="largest drop of a figure the gate lets pass")] = 0.02,
    save_baseline: Annotated[Path | None, typer.Option(
        "--save-baseline", help="write this run's figures as a baseline file", show_default=False)] = None,
) -> None:
    """Compare prompt versions on the gold set (P/R/F1, accuracy, cost) and score the scorer's flags.

    Offline by default: LLM answers are replayed from cassettes/eval, embeddings come from the local cache.
    """
    from semx.evaluate.harness import EvalOptions, run_eval
    from semx.evaluate.output import markdown, write

    if resume and not record:
        raise typer.BadParameter("--resume only applies to --record")
    prompts = [_parse_prompt(p) for p in prompt] if prompt else default_prompts(task)
    if task:
        prompts = [(t, v) for t, v in prompts if t in task]
    opts = EvalOptions(prompts=prompts if llm else [], models=list(model or []),
                       mode="record" if record else ("live" if live else "replay"), resume=resume,
                       scorer=scorer, embed=embed, grammar=grammar, max_retries=max_retries)
    if cassettes is not None:
        opts.cassette_dir = cassettes
    if eval_dir is not None:
        opts.eval_dir = eval_dir
    if (llm or scorer) and not (opts.eval_dir / "gold").is_dir():
        # The gold set, its corpus and the cassettes are data of the source checkout, not shipped in
        # the wheel: say so instead of a FileNotFoundError traceback from an installed semx.
        raise typer.BadParameter(f"no gold data in {opts.eval_dir}/gold: run semx eval in a source checkout "
                                 "or pass --eval-dir (and --cassettes)", param_hint="--eval-dir")

    def note(msg: str) -> None:
        from rich.console import Console

        Console(stderr=True, highlight=False).print(msg, markup=False)

    if opts.prompts and opts.mode == "replay" and not opts.cassette_dir.is_dir():
        # E.g. an installed semx (cassettes are not in the wheel): every item would read "not replayed".
        note(f"semx eval: no cassettes at {opts.cassette_dir}; pass --cassettes to replay recorded answers")

    if opts.mode != "replay":
        import logging

        # instructor logs every failed attempt at ERROR; the progress line already says how each item went.
        logging.getLogger("instructor").setLevel(logging.CRITICAL)
    result = run_eval(opts, progress=note if opts.mode != "replay" else None, notify=note)
    sys.stdout.write(markdown(result) + "\n")
    paths = write(result, out)
    note(f"semx eval: {result.seconds:.1f}s; wrote {', '.join(p.name for p in paths)} to {out}")
    if save_baseline is not None:
        import json

        from semx.atomic import atomic_write_text
        from semx.evaluate.gate import baseline_document
        from semx.evaluate.output import results_json

        doc = baseline_document(results_json(result))
        atomic_write_text(save_baseline, json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        note(f"semx eval: wrote {len(doc['figures'])} figures to {save_baseline}")
    if baseline is not None:
        gate(result, baseline, gate_threshold, note)
    if result.incomplete:
        note("semx eval: some items were not replayed (not recorded or recording out of date); "
             "record them with: semx eval --record --resume")
        if strict:
            raise typer.Exit(EXIT_INCOMPLETE)
    raise typer.Exit(EXIT_OK)


def gate(result: Any, baseline: Path, threshold: float, note: Callable[[str], None]) -> None:
    """Exit EXIT_REGRESSION when a figure of `result` fell below the baseline by more than `threshold`."""
    from semx.evaluate.gate import EXIT_REGRESSION, compare, figures, load_baseline
    from semx.evaluate.output import results_json

    try:
        old = load_baseline(baseline)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--baseline") from None
    drops = compare(figures(results_json(result)), old, threshold)
    if drops:
        note(f"semx eval: GATE FAILED: {len(drops)} figure(s) below the baseline {baseline} by more than {threshold}:")
        for d in drops:
            note("  " + d.line())
        raise typer.Exit(EXIT_REGRESSION)
    note(f"semx eval: gate passed ({len(old)} baseline figures, threshold {threshold})")
