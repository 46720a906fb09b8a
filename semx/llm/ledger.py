"""LLM work as a ledger: each task of a document is done, failed (reason, attempts) or pending.

`merge_llm_results` is the one place that folds task outcomes back into a document: the
single-document path (`semx.llm.stage.run_llm_stage`) and the batch (`semx.batch.llm_work`)
both call it, so a partial extraction, a failed classification or a task cut off by the time
budget reads the same whichever path ran it. `carry_over` is the other half: a re-run copies
the done tasks of the previous result into the fresh document and sends only the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from semx.models import FreeTextTarget, LLMTask, LLMUsage, ParsedDocument, Project, Warning_

if TYPE_CHECKING:  # the client pulls in openai/instructor; a --no-llm run must not import them
    from semx.llm.client import CallResult

TaskKind = Literal["extract", "classify"]
PARTIAL = "partial:"


@dataclass
class TaskRun:
    """What happened to one task in this run. outcome is what the task function returned:
    extract -> (FreeTextTarget, CallResult | None); classify -> (Project, [CallResult], [error]).
    outcome None means the task was not sent (pending_reason says why)."""

    task: TaskKind
    index: int
    outcome: Any = None
    pending_reason: str | None = None


def _key(task: str, index: int, item: str) -> tuple[str, int, str]:
    return task, index, item


def task_item(doc: ParsedDocument, task: TaskKind, index: int) -> tuple[str, int]:
    """(name, line) of the item a task works on."""
    if task == "extract":
        t = doc.free_text_targets[index]
        return t.title, t.start_line
    p = doc.projects[index]
    return p.name, p.start_line


def incomplete(doc: ParsedDocument) -> list[LLMTask]:
    """The failed and pending tasks of a document (empty: its LLM work is complete)."""
    return [t for t in doc.llm_tasks if t.status != "done"]


def carry_over(doc: ParsedDocument, previous: ParsedDocument | None, wanted: Iterable[tuple[TaskKind, int]],
               *, keep_failed: bool = False) -> tuple[ParsedDocument, list[LLMTask], list[tuple[TaskKind, int]]]:
    """Copy the previous run's done tasks into doc; returns (doc, carried ledger rows, tasks still to send).

    A task is carried only when the same item (task, index, name) was done before: the parse of
    the same bytes with the same code gives the same items, and anything else is sent again.
    keep_failed (--skip-failed-llm) carries failed tasks too, as they are; pending ones are always sent.
    """
    wanted = list(wanted)
    if previous is None or not previous.llm_tasks:
        return doc, [], wanted
    keep = ("done", "failed") if keep_failed else ("done",)
    done = {_key(t.task, t.index, t.item): t for t in previous.llm_tasks if t.status in keep}
    targets, projects = list(doc.free_text_targets), list(doc.projects)
    carried: list[LLMTask] = []
    todo: list[tuple[TaskKind, int]] = []
    for task, i in wanted:
        name, _ = task_item(doc, task, i)
        row = done.get(_key(task, i, name))
        if row is None:
            todo.append((task, i))
            continue
        if task == "extract" and i < len(previous.free_text_targets):
            targets[i] = previous.free_text_targets[i]
        elif task == "classify" and i < len(previous.projects):
            projects[i] = previous.projects[i]
        else:
            todo.append((task, i))
            continue
        carried.append(row)
    new = doc.model_copy(update={"free_text_targets": targets, "projects": projects})
    return new, carried, todo


def previous_attempts(previous: ParsedDocument | None) -> dict[tuple[str, int, str], int]:
    if previous is None:
        return {}
    return {_key(t.task, t.index, t.item): t.attempts for t in previous.llm_tasks}


def merge_llm_results(
    doc: ParsedDocument,
    runs: Sequence[TaskRun],
    *,
    model: str | None,
    carried: Sequence[LLMTask] = (),
    attempts_before: dict[tuple[str, int, str], int] | None = None,
) -> ParsedDocument:
    """The document with every task's outcome folded in: items, warnings, usage, ledger."""
    from semx.llm.client import add_usage

    before = attempts_before or {}
    usage = LLMUsage(model=model)
    targets: list[FreeTextTarget] = list(doc.free_text_targets)
    projects: list[Project] = list(doc.projects)
    warnings = list(doc.warnings)
    ledger: list[LLMTask] = list(carried)
    for row in carried:
        if row.status == "failed":  # kept as it was (--skip-failed-llm): still reported
            warnings.append(Warning_(code="llm_error", message=f"{row.item}: {row.reason}", line=row.line))
    for run in runs:
        name, line = task_item(doc, run.task, run.index)
        tried = before.get(_key(run.task, run.index, name), 0)
        if run.outcome is None:
            ledger.append(LLMTask(task=run.task, index=run.index, item=name, line=line, status="pending",
                                  reason=run.pending_reason, attempts=tried))
            continue
        if run.task == "extract":
            target, result = run.outcome
            targets[run.index] = target
            if result is not None:
                add_usage(usage, result)
            if target.llm_error:
                # A partial answer (some indicators salvaged) is still unfinished work: retried next run.
                code = "llm_partial" if target.llm_error.startswith(PARTIAL) else "llm_error"
                warnings.append(Warning_(code=code, message=f"{target.title}: {target.llm_error}",
                                         line=target.start_line))
                ledger.append(LLMTask(task="extract", index=run.index, item=name, line=line, status="failed",
                                      reason=target.llm_error, attempts=tried + 1))
            else:
                ledger.append(LLMTask(task="extract", index=run.index, item=name, line=line, status="done",
                                      attempts=tried + 1))
        else:
            project, results, errors = run.outcome
            projects[run.index] = project
            for r in results:
                add_usage(usage, r)
            warnings.extend(Warning_(code="llm_error", message=e, line=project.start_line) for e in errors)
            ledger.append(LLMTask(task="classify", index=run.index, item=name, line=line,
                                  status="failed" if errors else "done",
                                  reason="; ".join(errors) if errors else None, attempts=tried + 1))
    ledger.sort(key=lambda t: (t.task != "extract", t.index))
    return doc.model_copy(update={"free_text_targets": targets, "projects": projects, "warnings": warnings,
                                  "llm_usage": usage, "llm_tasks": ledger})


def call_results(runs: Sequence[TaskRun]) -> list[CallResult[Any]]:
    """Every CallResult in the runs (for token counting)."""
    out: list[CallResult[Any]] = []
    for run in runs:
        if run.outcome is None:
            continue
        if run.task == "extract":
            if run.outcome[1] is not None:
                out.append(run.outcome[1])
        else:
            out.extend(run.outcome[1])
    return out


__all__ = [
    "TaskRun",
    "call_results",
    "carry_over",
    "incomplete",
    "merge_llm_results",
    "previous_attempts",
    "task_item",
]
