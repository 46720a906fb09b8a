"""The LLM stage of a batch: which items to send, a bounded pool, a lazily opened session.

Items are single free-text targets (extract) or single projects (classify), not whole
documents, so `--concurrency N` keeps N requests in flight even over a handful of
documents. The session (endpoint client or the embedded llama.cpp server) is opened on the
first item that needs it: a re-run whose documents are all finished never starts a model.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from semx.batch.options import LLMScope
from semx.llm.ledger import TaskKind, TaskRun, carry_over, merge_llm_results, previous_attempts
from semx.models import LLMTask, LLMUsage, ParsedDocument, StageRun


@dataclass
class Plan:
    extract: list[int]  # indexes into free_text_targets
    classify: list[int]  # indexes into projects
    out_of_scope: int  # free-text targets left out by the scope


def plan(doc: ParsedDocument, scope: LLMScope) -> Plan:
    targets = doc.free_text_targets
    if scope is LLMScope.unlinked:
        extract = [i for i, t in enumerate(targets) if not t.linked_project]
    else:
        extract = list(range(len(targets)))
    classify = [i for i, p in enumerate(doc.projects) if p.indicators] if scope is LLMScope.classify else []
    return Plan(extract=extract, classify=classify, out_of_scope=len(targets) - len(extract))


def availability(config_path: Path | None) -> tuple[dict[str, Any], str | None]:
    """Cheap check, no model started: (settings for the fingerprint, notice when no model can be had)."""
    try:
        from semx.llm.config import load_config
        from semx.llm.local_server import MODEL_ALIAS, llama_cpp_missing
    except ImportError as exc:
        return {"llm": "missing"}, f"LLM 模块不可用（{exc}），LLM 抽取未运行"
    try:
        cfg = load_config(config_path)
    except (OSError, ValueError) as exc:
        return {"llm": "bad-config"}, f"LLM 配置无效：{exc}"
    if cfg.configured:
        return {"llm": "endpoint", "model": cfg.model, "prompts": [cfg.prompt_extract, cfg.prompt_classify]}, None
    why = llama_cpp_missing()
    if why is not None:
        return {"llm": "none"}, (f"LLM 抽取未运行：未配置 SEMX_LLM_BASE_URL，且本地模型不可用（{why}）")
    return {"llm": "local", "model": MODEL_ALIAS, "prompts": [cfg.prompt_extract, cfg.prompt_classify]}, None


@dataclass
class Job:
    """The LLM work of one document in flight."""

    doc: ParsedDocument
    plan: Plan
    futures: list[tuple[TaskKind, int, Future[Any]]] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    carried: list[LLMTask] = field(default_factory=list)  # done in an earlier run, not sent again
    attempts_before: dict[tuple[str, int, str], int] = field(default_factory=dict)

    def done(self) -> bool:
        return all(f.done() for _, _, f in self.futures)


class OverBudget:
    """What an item returns instead of calling the model once the run's LLM time budget is spent."""


OVER_BUDGET = OverBudget()
# Default budget of the embedded CPU model: keeps the first `semx score` of the bundled corpus
# within 15 minutes on 2 cores even when the model is slow. No item starts after the deadline,
# and one request (with its transport retries) may take at most half the budget, so the LLM
# work ends within 1.5 x the budget (12 minutes), leaving time for the embedding conversion
# and scoring. The default work (4 blocks) took about 4-6 minutes on the idle box; a budget
# shorter than that would leave it unfinished, and the re-run would have to finish it.
# A configured endpoint has no budget by default.
LOCAL_BUDGET_S = 480.0


class LLMWork:
    def __init__(self, scope: LLMScope, concurrency: int, config_path: Path | None,
                 on_tokens: Callable[[int], None] = lambda n: None, budget: float | None = None) -> None:
        """budget: seconds of LLM work per run (None: the default for the model source; 0: unlimited)."""
        self.scope = scope
        self.budget_option = budget
        self.budget: float | None = None  # resolved when the session opens
        self._deadline: float | None = None
        self.over_budget = 0
        self.concurrency = max(1, concurrency)
        self.config_path = config_path
        self.on_tokens = on_tokens
        self.run_usage = LLMUsage()
        self._stack = ExitStack()
        self._session: Any = None
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self.workers = 0  # LLM requests in flight at most, once the session is open

    def _open(self) -> Any:
        if self._session is None:
            from semx.llm.config import load_config
            from semx.llm.stage import llm_session

            cfg = load_config(self.config_path)
            cap = self.budget_option if self.budget_option is not None else (
                None if cfg.configured else LOCAL_BUDGET_S)
            if cap:  # one request may take at most half the run's LLM budget
                cfg = cfg.model_copy(update={"time_budget": min(cfg.time_budget, cap / 2),
                                             "timeout": min(cfg.timeout, cap / 2)})
            self._session = self._stack.enter_context(llm_session(cfg))
            workers = self.concurrency
            if getattr(self._session, "source", None) == "local" and self._session.client is not None:
                # The embedded llama.cpp server answers one request at a time; more in flight only
                # queue there and run into the client's timeout.
                workers = min(workers, self._session.client.config.concurrency)
            self.workers = workers
            local = getattr(self._session, "source", None) == "local"
            opt = self.budget_option
            self.budget = (LOCAL_BUDGET_S if local else None) if opt is None else (opt if opt > 0 else None)
            if self.budget is not None:
                self._deadline = time.monotonic() + self.budget
                if self._session.client is not None:  # a breaker pause ends with the budget
                    self._session.client.breaker.deadline = self._deadline
            self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="semx-llm")
            if self._session.client is not None:
                self.run_usage.model = self._session.client.config.model
        return self._session

    def submit(self, doc: ParsedDocument, previous: ParsedDocument | None = None, *,
               keep_failed: bool = False) -> Job:
        """Send the document's tasks to the pool; with `previous` (this document's earlier result),
        its done tasks are carried over and only failed or pending ones are sent."""
        p = plan(doc, self.scope)
        wanted: list[tuple[TaskKind, int]] = [("extract", i) for i in p.extract] + [("classify", i) for i in p.classify]
        doc, carried, todo = carry_over(doc, previous, wanted, keep_failed=keep_failed)
        job = Job(doc=doc, plan=p, carried=carried, attempts_before=previous_attempts(previous))
        if not todo:
            return job
        session = self._open()
        if session.client is None:
            return job
        from semx.llm.tasks import classify_project, extract_target

        client, name, pool = session.client, Path(doc.path).name, self._pool
        assert pool is not None
        for kind, i in todo:
            if kind == "extract":
                fut: Future[Any] = pool.submit(self._guarded, extract_target, client, doc.free_text_targets[i], name)
            else:
                fut = pool.submit(self._guarded, classify_project, client, doc.projects[i], name)
            fut.add_done_callback(self._count)
            job.futures.append((kind, i, fut))
        return job

    def _guarded(self, task: Callable[..., Any], client: Any, item: Any, name: str) -> Any:
        """Run one item unless the budget is spent (checked when the item starts, not mid-call)."""
        if self._deadline is not None and time.monotonic() > self._deadline:
            with self._lock:
                self.over_budget += 1
            return OVER_BUDGET
        return task(client, item, document=name)

    def _count(self, fut: Future[Any]) -> None:
        if fut.cancelled() or fut.exception() is not None:
            return
        res = fut.result()
        if res is OVER_BUDGET:
            return
        results = [res[1]] if len(res) == 2 else res[1]
        n = sum(r.info.prompt_tokens + r.info.completion_tokens for r in results if r is not None)
        self.on_tokens(n)

    def finish(self, job: Job) -> tuple[ParsedDocument, StageRun]:
        """Fold the finished items back into the document (call when job.done()) through the one
        merge function (semx.llm.ledger); this class keeps only the pool and the time budget."""
        from semx.llm.client import merge_usage

        doc, p = job.doc, job.plan
        session = self._session
        skipped_note = (f"{p.out_of_scope} 个与表格项目同名的文本目标未抽取（--llm-scope all-free-text 可抽取）"
                        if p.out_of_scope else None)
        if not job.futures:
            if job.carried:  # every task was done in an earlier run
                new = doc.model_copy(update={"llm_tasks": list(job.carried),
                                             "llm_usage": LLMUsage(model=doc.llm_usage.model if doc.llm_usage else None)})
                return new, StageRun(stage="llm", status="ran", notice=skipped_note)
            if (p.extract or p.classify) and session is not None and session.client is None:
                usage = LLMUsage(status="skipped", notice=session.notice)
                stage = StageRun(stage="llm", status="failed", notice=session.notice)
                return doc.model_copy(update={"llm_usage": usage}), stage
            # Nothing in scope (e.g. every target has a table project): the stage ran and had no work.
            return doc, StageRun(stage="llm", status="ran", notice=skipped_note)
        budget_reason = (f"LLM 时间预算（{self.budget:.0f} 秒）已用完，未发送" if self.budget is not None
                         else "LLM 时间预算已用完，未发送")
        runs = [TaskRun(kind, i, None, budget_reason) if fut.result() is OVER_BUDGET else TaskRun(kind, i, fut.result())
                for kind, i, fut in job.futures]
        new = merge_llm_results(doc, runs, model=session.client.config.model, carried=job.carried,
                                attempts_before=job.attempts_before)
        assert new.llm_usage is not None
        with self._lock:
            merge_usage(self.run_usage, new.llm_usage)
        failed = sum(1 for t in new.llm_tasks if t.status == "failed")
        unbudgeted = sum(1 for t in new.llm_tasks if t.status == "pending")
        budget_note = (f"LLM 时间预算（{self.budget:.0f} 秒）已用完，{unbudgeted} 项未处理；"
                       "再次运行同一命令会继续（已完成的调用由缓存提供），--llm-budget 可调整"
                       if unbudgeted and self.budget is not None else None)
        notes = [n for n in (skipped_note,
                             f"{failed} 项 LLM 任务失败（见 warnings 与 errors.jsonl），再次运行会重试" if failed else None,
                             budget_note) if n]
        # Failed or pending tasks leave the document's LLM work incomplete: the ledger says so,
        # and the next run sends exactly those tasks again.
        stage = StageRun(stage="llm", status="skipped" if unbudgeted else "ran", notice="；".join(notes) or None,
                         seconds=round(time.perf_counter() - job.started, 3))
        return new, stage

    def close(self, wait: bool = True) -> None:
        """Stop the pool, then the session (and a local server). On an interrupt do not wait for
        requests in flight: stopping the server ends them, and finished documents are saved."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
        self._stack.close()
