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

from semx.llm.client import LLMClient, add_usage, merge_usage
from semx.llm.config import LLMConfig, load_config
from semx.llm.tasks import classify_project, extract_target
from semx.models import LLMUsage, ParsedDocument, Warning_


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
) -> ParsedDocument:
    """Fill free-text indicators and category opinions; problems become llm_error / warnings."""
    if session.client is None:
        usage = LLMUsage(status="skipped", notice=session.notice or "LLM stage skipped")
        return doc.model_copy(update={"llm_usage": usage})
    client = session.client
    usage = LLMUsage(model=client.config.model)
    warnings = list(doc.warnings)
    name = Path(doc.path).name

    targets = list(doc.free_text_targets)
    if extract and targets:
        outcomes = client.map(lambda t: extract_target(client, t, document=name), targets)
        targets = []
        for target, result in outcomes:
            targets.append(target)
            if result is not None:
                add_usage(usage, result)
            if target.llm_error:
                code = "llm_partial" if target.llm_error.startswith("partial:") else "llm_error"
                warnings.append(Warning_(code=code, message=f"{target.title}: {target.llm_error}",
                                         line=target.start_line))

    projects = list(doc.projects)
    if classify and projects:
        outcomes2 = client.map(lambda p: classify_project(client, p, document=name), projects)
        projects = []
        for project, results, errors in outcomes2:
            projects.append(project)
            for r in results:
                add_usage(usage, r)
            warnings.extend(Warning_(code="llm_error", message=e, line=project.start_line) for e in errors)

    merge_usage(session.run_usage, usage)
    session.run_usage.model = usage.model
    return doc.model_copy(update={"free_text_targets": targets, "projects": projects,
                                  "warnings": warnings, "llm_usage": usage})


def usage_line(usage: LLMUsage) -> str:
    """One line for the CLI summary."""
    if usage.status == "skipped":
        return usage.notice or "LLM stage skipped"
    return (f"LLM {usage.model}: {usage.calls} calls ({usage.cache_hits} cached), "
            f"{usage.prompt_tokens}+{usage.completion_tokens} tokens, {usage.transport_retries} transport retries, "
            f"{usage.validation_retries} re-asks, {usage.errors} errors, {usage.latency_s:.1f}s")


__all__: list[Any] = ["LLMSession", "llm_session", "run_llm_stage", "usage_line"]
