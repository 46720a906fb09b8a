"""Everything `semx eval` does, without the command line: run, summarise, compare, score flags."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from semx.evaluate.cassettes import default_cassette_dir
from semx.evaluate.compare import Paired, all_pairs
from semx.evaluate.extraction import BlockScore
from semx.evaluate.flag_gold import load_project_gold
from semx.evaluate.gold import default_eval_dir, load_blocks, load_labels
from semx.evaluate.items import ClassifyItem, ExtractItem, classify_items, extract_items
from semx.evaluate.llm_run import Mode, VersionRun, live, replay
from semx.evaluate.scorer_eval import ScorerReport, run_scorer
from semx.evaluate.summary import RowOutcome, TaskSummary, summarize_classify, summarize_extract

Task = Literal["extract", "classify"]
TASKS: tuple[Task, ...] = ("extract", "classify")


@dataclass
class EvalOptions:
    prompts: list[tuple[str, str]]  # (task, version), in comparison order: the first of a task is the baseline
    models: list[str] = field(default_factory=list)  # empty: every recorded model (replay) / the configured one
    mode: Mode = "replay"
    resume: bool = False
    scorer: bool = True
    embed: bool = True
    grammar: bool = False
    max_retries: int | None = None  # live/record: validation re-asks per call; None keeps the configured value
    eval_dir: Path = field(default_factory=default_eval_dir)
    cassette_dir: Path = field(default_factory=default_cassette_dir)


@dataclass
class EvalResult:
    options: EvalOptions
    runs: list[VersionRun]
    summaries: list[TaskSummary]
    block_scores: dict[str, list[BlockScore]]  # run label -> per block
    row_outcomes: dict[str, list[RowOutcome]]  # run label -> per classify row
    pairs: list[Paired]
    scorer: ScorerReport | None
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def incomplete(self) -> bool:
        return any(s.not_recorded or s.replay_mismatch for s in self.summaries)


def _recorded_models(root: Path, task: str, version: str) -> list[str]:
    """Model names of the recordings of one prompt version (from their index files)."""
    import json

    names: list[str] = []
    for index in sorted((root / task / version).glob("*/index.json")):
        names.append(str(json.loads(index.read_text(encoding="utf-8"))["model"]))
    return names


def _default_model() -> str:
    from semx.llm.config import LLMConfig

    return str(LLMConfig.model_fields["model"].default)


def _run_label(run: VersionRun, several_models: bool) -> str:
    return f"{run.label} [{run.model}]" if several_models else run.label


def run_eval(opts: EvalOptions, progress: Callable[[str], None] | None = None,
             notify: Callable[[str], None] = print) -> EvalResult:
    t0 = time.perf_counter()
    blocks = load_blocks(opts.eval_dir / "gold" / "extract.jsonl")
    labels = load_labels(opts.eval_dir / "gold" / "labels.jsonl")
    corpus = opts.eval_dir / "corpus"
    tasks = {t for t, _ in opts.prompts}
    ex_items: list[ExtractItem] = extract_items(blocks, corpus) if "extract" in tasks else []
    cl_items: list[ClassifyItem] = classify_items({lab.sample for lab in labels}, corpus) if "classify" in tasks else []

    runs: list[VersionRun] = []
    if opts.mode == "replay":
        from semx.llm.config import load_config

        base = load_config()
        for task, version in opts.prompts:
            items: Sequence[ExtractItem | ClassifyItem] = ex_items if task == "extract" else cl_items
            models = opts.models or _recorded_models(opts.cassette_dir, task, version) or [_default_model()]
            for name in models:
                runs.append(replay(task, version, name, items, opts.cassette_dir, base))
    elif opts.prompts:
        from semx.evaluate.endpoint import live_config

        with live_config(notify=notify, grammar=opts.grammar) as base:
            if opts.max_retries is not None:
                base = base.model_copy(update={"max_retries": opts.max_retries})
            for task, version in opts.prompts:
                items = ex_items if task == "extract" else cl_items
                live_models: list[str | None] = list(opts.models) or [None]
                for model in live_models:
                    runs.append(live(task, version, model, items, opts.cassette_dir, base,
                                     record=opts.mode == "record", resume=opts.resume, progress=progress))

    several = len({r.model for r in runs}) > 1
    summaries: list[TaskSummary] = []
    block_scores: dict[str, list[BlockScore]] = {}
    row_outcomes: dict[str, list[RowOutcome]] = {}
    for run in runs:
        if run.task == "extract":
            s, bs = summarize_extract(run, blocks)
            block_scores[_run_label(run, several)] = bs
        else:
            s, rows = summarize_classify(run, cl_items, labels)
            row_outcomes[_run_label(run, several)] = rows
        summaries.append(s)
    # Extract runs first, then classify, each in the order the prompts were given.
    summaries.sort(key=lambda s: TASKS.index(s.task))  # type: ignore[arg-type]

    project_labels = load_project_gold(opts.eval_dir / "gold" / "project_labels.jsonl")
    scorer = run_scorer(labels, corpus, embed=opts.embed, project_labels=project_labels) if opts.scorer else None
    notes = [f"{r.label} [{r.model}]: {n}" for r in runs for n in r.notes]
    return EvalResult(opts, runs, summaries, block_scores, row_outcomes, all_pairs(summaries), scorer,
                      time.perf_counter() - t0, notes)


def meta(result: EvalResult) -> dict[str, Any]:
    o = result.options
    return {"mode": o.mode, "prompts": [f"{t}/{v}" for t, v in o.prompts], "models": o.models,
            "cassettes": str(o.cassette_dir), "eval_dir": str(o.eval_dir), "seconds": round(result.seconds, 2),
            "scorer_seconds": round(result.scorer.seconds, 2) if result.scorer is not None else None,
            "settings": {f"{r.label} [{r.model}]": r.settings for r in result.runs}}
