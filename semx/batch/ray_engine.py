"""`semx score --engine ray`: the per-document work as Ray tasks, the rest as in the local runner.

Map: each document is one Ray task (`process_document`) that runs on a worker the same steps
the local runner runs (runner.parse_document, submit_llm, fold_llm: ingest, tables, targets,
checks, then the document's LLM items through the configured endpoint, `--concurrency` requests
at a time per worker). The document's bytes travel to the worker through Ray's object store and
its result comes back the same way, so only the driver touches --out and the input paths.
Reduce: the driver records each result as it arrives (DIR/.work/<sha>.json and the manifest
journal, exactly as the local runner does), then runs the corpus-wide scoring and writes the
reports once, with the inherited phase 2 and report code of `Batch`.

Resumable as the local runner is (same manifest, same fingerprint: a run started with one engine
can be finished with the other). A worker process or node lost mid-run loses only the documents
it was working on: Ray re-runs those tasks elsewhere (`max_retries`), and each document's result
is recorded once, by the driver, when its task returns.

`ray` is imported only here, and this module only when `--engine ray` is chosen.
"""

from __future__ import annotations

import atexit
import logging
import os
import socket
from collections.abc import Iterator
from concurrent.futures import wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from semx.batch.llm_work import Job, LLMWork, availability
from semx.batch.manifest import Manifest
from semx.batch.options import BatchOptions, EngineError, LLMScope
from semx.batch.progress import BatchProgress
from semx.batch.runner import Batch, BatchResult, Input, fold_llm, parse_document, submit_llm
from semx.llm.client import merge_usage
from semx.models import Line, ParsedDocument
from semx.pipeline import StageFailure
from semx.report.records import ErrorRecord

# Times Ray re-runs a document whose worker died (process killed, node lost). A Python exception
# in the task is a bug and is not retried: it is reported for that document.
MAX_RETRIES = 3
# Documents in flight per worker CPU: enough that a worker never waits for the driver, few
# enough that the object store holds only a window of the corpus, not all of it.
IN_FLIGHT_PER_CPU = 2
# The local instance's object store: documents are small (tens of KB); Ray's default (30% of
# memory) is far more than a window of them needs on a shared machine.
LOCAL_OBJECT_STORE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class WorkerSettings:
    """What a worker needs to run a document's LLM stage as the local runner would."""

    llm: bool
    scope: LLMScope
    concurrency: int
    config_path: str | None
    budget: float | None
    notice: str | None


@dataclass
class Outcome:
    """One document's phase-1 result, sent back to the driver."""

    worker: str
    error: ErrorRecord | None = None  # the document has no result (bad input, a stage bug)
    doc: ParsedDocument | None = None
    failures: list[StageFailure] = field(default_factory=list)
    clean: bool = False
    llm_error: ErrorRecord | None = None
    lines: list[Line] = field(default_factory=list)  # for the report's source excerpts


# One LLMWork per worker process and settings: the endpoint session, its HTTP connections and
# the answer cache are opened once and serve every document this worker runs.
_WORK: dict[WorkerSettings, LLMWork] = {}


def _llm_work(s: WorkerSettings) -> LLMWork:
    work = _WORK.get(s)
    if work is None:
        work = _WORK[s] = LLMWork(s.scope, s.concurrency, Path(s.config_path) if s.config_path else None,
                                  budget=s.budget)
        atexit.register(work.close)
    return work


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def process_document(inp: Input, s: WorkerSettings) -> Outcome:
    """Phase 1 of one document (the Ray task body; also callable in-process)."""
    me = worker_name()
    parsed = parse_document(inp)
    if isinstance(parsed, ErrorRecord):
        return Outcome(worker=me, error=parsed)
    src, doc, failures = parsed
    llm = _llm_work(s) if s.llm else None
    started = submit_llm(doc, failures, llm, s.notice)
    llm_error = None
    if isinstance(started, Job):
        assert llm is not None
        wait([f for _, _, f in started.futures])
        doc, clean, llm_error = fold_llm(inp, started, failures, llm)
    else:
        doc, clean = started
    return Outcome(worker=me, doc=doc, failures=failures, clean=clean, llm_error=llm_error, lines=src.lines)


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise EngineError("--engine ray needs Ray: pip install 'semx[ray]'") from None
    return ray


@contextmanager
def ray_session(opts: BatchOptions) -> Iterator[Any]:
    """Connect to the cluster at --address, or start a Ray instance on 127.0.0.1 for this run.

    Whoever started it stops it, also on an error or Ctrl-C; a Ray already initialised in this
    process (a notebook, a test) is used as it is and left running."""
    ray = import_ray()
    if ray.is_initialized():
        yield ray
        return
    common: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.WARNING,
                              "log_to_driver": False}
    if opts.address:
        # Workers on other nodes do not see this shell: pass the SEMX_* settings (endpoint, model,
        # cache folder) on to them. semx itself must be installed on every node.
        env = {k: v for k, v in os.environ.items() if k.startswith("SEMX_")}
        ray.init(address=opts.address, runtime_env={"env_vars": env} if env else None, **common)
    else:
        ray.init(num_cpus=opts.ray_workers, _node_ip_address="127.0.0.1",
                 object_store_memory=LOCAL_OBJECT_STORE_BYTES, **common)
    try:
        yield ray
    finally:
        ray.shutdown()


class RayBatch(Batch):
    """A batch whose phase 1 runs as Ray tasks; setup, scoring and reports are the local runner's."""

    def run(self) -> BatchResult:
        import_ray()  # fail before any output is written when the extra is missing
        if self.opts.llm and availability(self.opts.llm_config)[0].get("llm") == "local":
            # Every worker would start its own embedded model server: the point of the engine is
            # many workers sharing one model server.
            raise EngineError("--engine ray needs an LLM endpoint (SEMX_LLM_BASE_URL or --llm-config) shared by "
                              "the workers, or --no-llm; the embedded local model runs with --engine local only")
        return super().run()

    def _phase1(self, todo: list[Input], manifest: Manifest, fp: str, llm: LLMWork | None,
                progress: BatchProgress) -> None:
        if not todo:
            return  # nothing to do: a re-run that reuses everything never starts Ray
        settings = WorkerSettings(llm=llm is not None, scope=self.opts.llm_scope, concurrency=self.opts.concurrency,
                                  config_path=str(self.opts.llm_config) if self.opts.llm_config else None,
                                  budget=self.opts.llm_budget, notice=self.llm_notice)
        progress.describe("启动 Ray")
        with ray_session(self.opts) as ray:
            task = ray.remote(num_cpus=1, max_retries=MAX_RETRIES)(process_document)
            cpus = int(ray.cluster_resources().get("CPU", 1))
            window = max(2, IN_FLIGHT_PER_CPU * cpus)
            queue = iter(todo)
            pending: dict[Any, Input] = {}

            def fill() -> None:
                for inp in queue:
                    pending[task.remote(inp, settings)] = inp
                    if len(pending) >= window:
                        return

            fill()
            progress.describe(f"Ray：{cpus} 个 CPU")
            while pending:
                ready, _ = ray.wait(list(pending), num_returns=1)
                for ref in ready:
                    inp = pending.pop(ref)
                    try:
                        out = ray.get(ref)
                    except ray.exceptions.RayError as exc:
                        # A bug in the task, or a worker lost more than MAX_RETRIES times.
                        self.errors.append(ErrorRecord(path=str(inp.path), sha256=inp.sha, stage="worker",
                                                       kind="internal", message=f"{type(exc).__name__}: {exc}"[:800]))
                    else:
                        self._take(inp, out, manifest, fp, llm)
                    progress.advance()
                fill()

    def _take(self, inp: Input, out: Outcome, manifest: Manifest, fp: str, llm: LLMWork | None) -> None:
        """Record one returned document as the local runner records its own."""
        assert inp.sha is not None
        self.worker_counts[out.worker] = self.worker_counts.get(out.worker, 0) + 1
        if out.error is not None:
            self.errors.append(out.error)
            return
        assert out.doc is not None
        self.lines[inp.sha] = out.lines
        if out.llm_error is not None:
            self.errors.append(out.llm_error)
        usage = out.doc.llm_usage
        if llm is not None and usage is not None:
            # The run's LLM totals, summed on the driver from each document's own accounting.
            merge_usage(llm.run_usage, usage)
            llm.run_usage.model = llm.run_usage.model or usage.model
            llm.on_tokens(usage.prompt_tokens + usage.completion_tokens)
        self._finish_doc(inp, out.doc, out.failures, manifest, fp, clean=out.clean)
