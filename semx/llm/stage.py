"""The LLM stage of the pipeline: extract free-text targets, classify table indicators.

`llm_session()` decides where the model comes from: a configured endpoint
(SEMX_LLM_BASE_URL / config file), else the embedded local model when the `local`
extra is installed (started here, stopped here), else nothing, with a notice
saying why, so the stage is never skipped silently.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from semx.llm.client import LLMClient, merge_usage
from semx.llm.config import LLMConfig, load_config
from semx.llm.ledger import TaskKind, TaskRun, carry_over, merge_llm_results, previous_attempts
from semx.llm.tasks import classify_project, extract_target
from semx.models import LLMUsage, ParsedDocument


@dataclass
class LLMSession:
    client: LLMClient | None
    notice: str | None = None
    source: str = "none"  # "endpoint" | "local" | "none"
    run_usage: LLMUsage = field(default_factory=LLMUsage)


def _notify(msg: str) -> None:
    print(f"semx: {msg}", file=sys.stderr)


@contextlib.contextmanager
def llm_session(
    config: LLMConfig | None = None,
    *,
    config_path: str | Path | None = None,
    allow_local: bool = True,
    notify: Callable[[str], None] = _notify,
) -> Iterator[LLMSession]:
    """Yield a session whose client is None (with .notice) when no model can be had."""
    cfg = config or load_config(config_path)
    if cfg.configured:
        with LLMClient(cfg) as client:
            session = LLMSession(client=client, source="endpoint")
            yield session
        return
    from semx.llm import local_server

    why = local_server.llama_cpp_missing() if allow_local else "local model disabled"
    if why is not None:
        notice = ("LLM stage skipped: no endpoint configured (set SEMX_LLM_BASE_URL or a config file) "
                  f"and the embedded model is unavailable: {why}")
        notify(notice)
        yield LLMSession(client=None, notice=notice)
        return
    notify("no LLM endpoint configured: starting the embedded local model on 127.0.0.1 (first start assembles it)")
    try:
        server_cm = local_server.local_server(cache_dir=None)
        server = server_cm.__enter__()
    except Exception as exc:  # noqa: BLE001 - a broken local model must not stop scoring
        notice = f"LLM stage skipped: the embedded local model failed to start: {exc}"
        notify(notice)
        yield LLMSession(client=None, notice=notice)
        return
    try:
        cfg = cfg.model_copy(update=server.config_overrides())
        with LLMClient(cfg) as client:
            yield LLMSession(client=client, source="local")
    finally:
        server_cm.__exit__(None, None, None)


def run_llm_stage(
    doc: ParsedDocument,
    session: LLMSession,
    *,
    extract: bool = True,
    classify: bool = True,
    previous: ParsedDocument | None = None,
) -> ParsedDocument:
    """Fill free-text indicators and category opinions; problems become llm_error / warnings and
    failed rows of the document's LLM ledger. With `previous` (an earlier result of the same
    document) its done tasks are carried over and only the rest is sent."""
    if session.client is None:
        usage = LLMUsage(status="skipped", notice=session.notice or "LLM stage skipped")
        return doc.model_copy(update={"llm_usage": usage})
    client = session.client
    name = Path(doc.path).name
    wanted: list[tuple[TaskKind, int]] = []
    if extract:
        wanted += [("extract", i) for i in range(len(doc.free_text_targets))]
    if classify:
        wanted += [("classify", i) for i in range(len(doc.projects))]
    doc, carried, todo = carry_over(doc, previous, wanted)

    def one(task: tuple[TaskKind, int]) -> TaskRun:
        kind, i = task
        if kind == "extract":
            return TaskRun(kind, i, extract_target(client, doc.free_text_targets[i], document=name))
        return TaskRun(kind, i, classify_project(client, doc.projects[i], document=name))

    runs: list[TaskRun] = client.map(one, todo)
    new = merge_llm_results(doc, runs, model=client.config.model, carried=carried,
                            attempts_before=previous_attempts(previous))
    assert new.llm_usage is not None
    merge_usage(session.run_usage, new.llm_usage)
    session.run_usage.model = new.llm_usage.model
    return new


def usage_line(usage: LLMUsage) -> str:
    """One line for the CLI summary."""
    if usage.status == "skipped":
        return usage.notice or "LLM stage skipped"
    return (f"LLM {usage.model}: {usage.calls} calls ({usage.cache_hits} cached), "
            f"{usage.prompt_tokens}+{usage.completion_tokens} tokens, {usage.transport_retries} transport retries, "
            f"{usage.validation_retries} re-asks, {usage.errors} errors, {usage.latency_s:.1f}s")


__all__: list[Any] = ["LLMSession", "llm_session", "run_llm_stage", "usage_line"]
