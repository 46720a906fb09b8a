"""`semx score --engine ray`: the per-document work on Ray workers, the rest as in the local runner.

Map: each document is one Ray task (`DocWorker.process`, a call on one of the run's worker
actors) that runs the same steps the local runner runs (runner.parse_document, submit_llm,
fold_llm: ingest, tables, targets, checks, then the document's LLM items through the configured
endpoint, `--concurrency` requests at a time per worker, and the embedding of the strings the
scorer will compare, with the model loaded once per worker). The document's bytes travel to the
worker through Ray's object store and its result comes back the same way, so only the driver
touches --out and the input paths.
Reduce: the driver records each result as it arrives (DIR/.work/<sha>.json, its vectors in the
run's store DIR/.work/embeddings and the manifest journal, exactly as the local runner does),
then runs the corpus-wide scoring from the stored vectors (the driver embeds nothing the workers
embedded, and so never loads the model) and writes the reports once, with the inherited phase 2
and report code of `Batch`.

Resumable as the local runner is (same manifest, same fingerprint: a run started with one engine
can be finished with the other). A worker process or node lost mid-run loses only the documents
it was working on: Ray restarts the worker and sends those tasks again (max_task_retries), and
each document's result is recorded once, by the driver, when its task returns.

`ray` is imported only here, and this module only when `--engine ray` is chosen.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
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
from semx.batch.score_stage import ScoreStage
from semx.embed.stored import TextVectors
from semx.llm.client import merge_usage
from semx.models import Line, ParsedDocument
from semx.pipeline import StageFailure
from semx.report.records import ErrorRecord

# Times Ray sends a document again whose worker died (process killed, node lost); the worker is
# restarted. A Python exception in the task is a bug and is not retried: it is reported.
MAX_RETRIES = 3
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
    keep_failed: bool = False  # --skip-failed-llm
    embed: bool = True  # the scorer's embedder: the e5 model, or char n-grams (--no-embed)
    vectors: bool = True  # embed each document's strings here (False: the scorer is off)


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
    vectors: TextVectors | None = None  # the scorer's strings of this document, embedded on the worker


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def process_document(inp: Input, s: WorkerSettings, llm: LLMWork | None, lock: threading.Lock,
                     scorer: ScoreStage, previous: ParsedDocument | None = None) -> Outcome:
    """Phase 1 of one document, as the local runner does it (the body of a worker's task)."""
    me = worker_name()
    parsed = parse_document(inp)
    if isinstance(parsed, ErrorRecord):
        return Outcome(worker=me, error=parsed)
    src, doc, failures = parsed
    with lock:  # LLMWork opens its session on the first submit; the local runner submits from one thread
        started = submit_llm(doc, failures, llm, s.notice, previous=previous, keep_failed=s.keep_failed)
    llm_error = None
    if isinstance(started, Job):
        assert llm is not None
        wait([f for _, _, f in started.futures])
        doc, clean, llm_error = fold_llm(inp, started, failures, llm, src.lines)
    else:
        doc, clean = started
    vectors = scorer.document_vectors(doc) if s.vectors else None
    return Outcome(worker=me, doc=doc, failures=failures, clean=clean, llm_error=llm_error, lines=src.lines,
                   vectors=vectors)


class DocWorker:
    """A Ray actor, one per worker CPU, that runs documents' phase 1 (`process` is the task).

    An actor rather than plain tasks: the work is mostly waiting for the LLM, so one worker keeps
    several documents in flight (a threaded actor) whose LLM items share one pool of
    `--concurrency` requests and one endpoint session (HTTP connections, answer cache), opened
    once per worker, as the local runner shares them across its documents. A worker process that
    dies is restarted by Ray, and the documents it had in flight are sent again (max_task_retries).
    """

    def __init__(self, s: WorkerSettings) -> None:
        self.s = s
        self.llm = (LLMWork(s.scope, s.concurrency, Path(s.config_path) if s.config_path else None, budget=s.budget)
                    if s.llm else None)
        self.lock = threading.Lock()
        # The embedding model is loaded on this worker's first document and kept for the others;
        # its vectors are also kept on this node's disk (the user cache), so a rerun here does not
        # recompute them.
        self.scorer = ScoreStage.load(embed=s.embed)

    def process(self, inp: Input, previous: ParsedDocument | None = None) -> Outcome:
        return process_document(inp, self.s, self.llm, self.lock, self.scorer, previous)


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


def _per_worker(n: int, counts: dict[str, int]) -> str:
    """The bar's label: documents done by each worker (the spread, when there are many)."""
    done = sorted(counts.values(), reverse=True)
    if len(done) <= 4:
        return f"Ray {n} worker：" + "/".join(map(str, done))
    return f"Ray {n} worker：每个 {done[-1]}–{done[0]}"


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
                                  # Absolute: a worker's working folder is not the driver's.
                                  config_path=str(self.opts.llm_config.resolve()) if self.opts.llm_config else None,
                                  budget=self.opts.llm_budget, notice=self.llm_notice,
                                  keep_failed=self.opts.skip_failed_llm, embed=self.opts.embed,
                                  vectors=self.scorer.enabled)
        progress.describe("启动 Ray")
        with ray_session(self.opts) as ray:
            n = self.opts.ray_workers if not self.opts.address else max(1, int(ray.cluster_resources().get("CPU", 1)))
            # Documents in flight per worker: enough to keep its LLM requests busy across documents
            # (and the worker busy while the driver records a result), few enough that the object
            # store holds a window of the corpus, not all of it.
            per_worker = 2 * self.opts.concurrency if llm is not None else 2
            actor = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=MAX_RETRIES,
                               max_concurrency=per_worker)(DocWorker)
            workers = [actor.remote(settings) for _ in range(n)]
            load = [0] * n
            queue = iter(todo)
            pending: dict[Any, tuple[Input, int]] = {}

            def fill() -> None:
                while True:
                    w = min(range(n), key=load.__getitem__)
                    if load[w] >= per_worker:
                        return
                    inp = next(queue, None)
                    if inp is None:
                        return
                    # The earlier result of a document with incomplete LLM work travels with it.
                    prev = self.previous.get(inp.sha or "")
                    pending[workers[w].process.remote(inp, prev)] = (inp, w)
                    load[w] += 1

            fill()
            progress.describe(f"Ray：{n} 个 worker")
            try:
                while pending:
                    ready, _ = ray.wait(list(pending), num_returns=1)
                    for ref in ready:
                        inp, w = pending.pop(ref)
                        load[w] -= 1
                        try:
                            out = ray.get(ref)
                        except ray.exceptions.RayError as exc:
                            # A bug in the task, or a worker lost more than MAX_RETRIES times.
                            self.errors.append(ErrorRecord(path=str(inp.path), sha256=inp.sha, stage="worker",
                                                           kind="internal",
                                                           message=f"{type(exc).__name__}: {exc}"[:800]))
                        else:
                            self._take(inp, out, manifest, fp, llm)
                        progress.describe(_per_worker(n, self.worker_counts))
                        progress.advance()
                    fill()
            finally:
                for a in workers:
                    ray.kill(a)

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
        self._finish_doc(inp, out.doc, out.failures, manifest, fp, clean=out.clean, vectors=out.vectors)
