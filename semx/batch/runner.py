"""`semx score` orchestration: per-document stages, then corpus-wide scoring, then reports.

Phase 1, per document and resumable: ingest -> tables -> targets -> checks -> LLM. Its result
is kept in DIR/.work/<sha256>.json and a line appended to DIR/manifest.jsonl marks the document
finished, so a re-run (or a run resumed after a kill) does this work only for new or changed files.
Phase 2, every run, over all input documents: scoring. It compares documents with each other
(template indicators copied across projects and units), so it cannot be done per document;
it is cheap next to the LLM and is itself reused when the document set has not changed.
Phase 3: per-document JSON and the reports, rebuilt from the results, written atomically.
"""

from __future__ import annotations

import hashlib
import time
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from semx.atomic import atomic_write_text, remove_stale_temps
from semx.batch.discover import discover
from semx.batch.lines import LineStore
from semx.batch.llm_work import Job, LLMWork, availability
from semx.batch.manifest import Manifest, ManifestEntry, fingerprint
from semx.batch.options import LLM_FAILED, BatchOptions, Engine, FailRule
from semx.batch.progress import BatchProgress
from semx.batch.score_stage import ScoreStage
from semx.files import read_input
from semx.ingest import IngestError, ingest_bytes
from semx.llm.ledger import incomplete
from semx.models import Line, LLMUsage, ParsedDocument, SourceDocument, StageRun
from semx.pipeline import STAGES, StageFailure, run_stages, where
from semx.provenance import add_llm_provenance
from semx.report import write_reports
from semx.report.records import DocResult, ErrorRecord
from semx.report.summary import RunInfo, Summary, build_summary

if TYPE_CHECKING:
    from semx.embed.stored import TextVectors

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL, EXIT_FAIL_ON, EXIT_LLM_INCOMPLETE = 0, 1, 2, 3, 4, 5
WORK_DIR = ".work"
EMBED_DIR = "embeddings"  # under WORK_DIR: the run's vectors, one SQLite per embedding model
DOCS_DIR = "documents"


def semx_version(root: Path | None = None) -> str:
    """semx's version and a digest of the package's own files (code, vocabulary, prompts, config).

    The version alone stays the same across commits of one release (and in an editable install):
    a rerun after an upgrade must score again, not reuse results the old rules made.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("semx")
    except PackageNotFoundError:
        v = "0+unknown"
    root = root or Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(f.relative_to(root).as_posix().encode())
            h.update(f.read_bytes())
    return f"{v}+{h.hexdigest()[:12]}"


@dataclass
class Input:
    path: Path
    data: bytes | None = None
    sha: str | None = None
    error: ErrorRecord | None = None

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class BatchResult:
    exit_code: int
    exit_reasons: list[str]
    summary: Summary
    out_dir: Path
    errors: list[ErrorRecord]
    outputs: list[Path] = field(default_factory=list)


def _read(path: Path) -> Input:
    try:
        data = read_input(path)
    except IngestError as exc:
        return Input(path, error=ErrorRecord(path=str(path), stage="ingest", kind="bad_input", message=exc.reason))
    return Input(path, data=data, sha=hashlib.sha256(data).hexdigest())


def _ingest(inp: Input) -> SourceDocument:
    assert inp.data is not None and inp.sha is not None
    return ingest_bytes(inp.data, inp.path, inp.sha)


def _failure_record(inp: Input, f: StageFailure) -> ErrorRecord:
    message = f"{f.message} (at {f.detail})" if f.detail else f.message
    return ErrorRecord(path=str(inp.path), sha256=inp.sha, stage=f.stage, kind="internal", message=message)


def _result_name(inp: Input) -> str:
    assert inp.sha is not None
    return f"{DOCS_DIR}/{inp.path.stem}.{inp.sha[:10]}.json"


def _count_codes(docs: list[ParsedDocument], rule: FailRule) -> int:
    n = 0
    for d in docs:
        n += sum(1 for f in d.findings if rule.matches(f.code))
        for p in d.projects:
            n += sum(1 for f in p.flags if rule.matches(f.code))
            n += sum(1 for i in p.indicators for f in i.flags if rule.matches(f.code))
        n += sum(1 for t in d.free_text_targets for i in t.indicators for f in i.flags if rule.matches(f.code))
    return n


def llm_task_errors(inp_path: str, doc: ParsedDocument) -> list[ErrorRecord]:
    """One errors.jsonl line per failed or pending LLM task of a document."""
    out: list[ErrorRecord] = []
    for t in incomplete(doc):
        where_ = f"第 {t.line} 行" if t.line else ""
        what = "失败" if t.status == "failed" else "未处理"
        out.append(ErrorRecord(
            path=inp_path, sha256=doc.sha256, stage="llm", kind=f"llm_{t.status}",
            message=f"LLM {t.task}「{t.item}」{where_}{what}（已尝试 {t.attempts} 次）：{t.reason or ''}"[:800]))
    return out


def exit_status(errors: list[ErrorRecord], docs: list[ParsedDocument], rules: list[FailRule]) -> tuple[int, list[str]]:
    """0 ok; 3 a bug hit a document; 1 a document failed otherwise; 4 a --fail-on rule tripped;
    5 LLM work is incomplete (failed or pending tasks; `--fail-on llm_failed=off` turns it off)."""
    reasons: list[str] = []
    code = EXIT_OK
    internal = [e for e in errors if e.kind == "internal"]
    # A file of a type semx does not read (found in a folder) and LLM task records fail no document.
    failed = [e for e in errors if e.kind != "internal" and e.fails_document]
    if internal:
        reasons.append(f"{len(internal)} internal error(s) (see errors.jsonl)")
        code = EXIT_INTERNAL
    if failed:
        reasons.append(f"{len(failed)} document(s) failed (see errors.jsonl)")
        code = code or EXIT_FAILED
    unfinished = sum(len(incomplete(d)) for d in docs)
    for rule in rules:
        n = unfinished if rule.code == LLM_FAILED else _count_codes(docs, rule)
        if rule.tripped(n):
            reasons.append(f"--fail-on {rule}: {n} found")
            code = code or EXIT_FAIL_ON
    if unfinished and not any(r.code == LLM_FAILED for r in rules):
        reasons.append(f"LLM work incomplete: {unfinished} task(s) failed or not sent (see errors.jsonl); "
                       "run the same command again to retry them")
        code = code or EXIT_LLM_INCOMPLETE
    return code, reasons


# ------------------------------------------------------------ one document, for every engine
# The steps of phase 1 for one document, shared by the local runner (below) and the Ray engine
# (ray_engine.py), so both engines run the same code on a document.


def parse_document(inp: Input) -> tuple[SourceDocument, ParsedDocument, list[StageFailure]] | ErrorRecord:
    """Ingest and the deterministic stages; an ErrorRecord when the document has no result at all."""
    try:
        src = _ingest(inp)
    except IngestError as exc:
        return ErrorRecord(path=str(inp.path), sha256=inp.sha, stage="ingest", kind="bad_input", message=exc.reason)
    except Exception as exc:  # noqa: BLE001 - an ingest bug fails this document only
        return ErrorRecord(path=str(inp.path), sha256=inp.sha, stage="ingest", kind="internal",
                           message=f"{type(exc).__name__}: {exc}"[:500])
    try:
        doc, failures = run_stages(src)
    except Exception as exc:  # noqa: BLE001 - e.g. a stage returned what the models reject
        return ErrorRecord(path=str(inp.path), sha256=inp.sha, stage="targets", kind="internal",
                           message=f"{type(exc).__name__}: {exc} (at {where(exc)})"[:800])
    return src, doc, failures


def submit_llm(doc: ParsedDocument, failures: list[StageFailure], llm: LLMWork | None,
               notice: str | None, previous: ParsedDocument | None = None,
               keep_failed: bool = False) -> Job | tuple[ParsedDocument, bool]:
    """Start the document's LLM work: the Job in flight, or (finished document, clean) when there is none.

    previous: this document's earlier result whose LLM work was incomplete; its done tasks are
    carried over and only failed (unless keep_failed) or pending ones are sent."""
    if llm is not None:
        try:
            job = llm.submit(doc, previous=previous, keep_failed=keep_failed)
        except Exception as exc:  # noqa: BLE001 - the LLM stage fails for this document only
            failures.append(StageFailure("llm", f"{type(exc).__name__}: {exc}"[:500], where(exc)))
            stage = StageRun(stage="llm", status="failed", notice=failures[-1].message)
            return doc.model_copy(update={"stages": [*doc.stages, stage]}), False
        return job
    stage = StageRun(stage="llm", status="skipped", notice=notice)
    doc = doc.model_copy(update={"stages": [*doc.stages, stage],
                                 "llm_usage": LLMUsage(status="skipped", notice=notice)})
    return doc, not failures


def fold_llm(inp: Input, job: Job, failures: list[StageFailure], llm: LLMWork,
             lines: list[Line]) -> tuple[ParsedDocument, bool, ErrorRecord | None]:
    """A finished Job folded into its document: (document, clean, an error record for errors.jsonl).

    lines: the document's source lines, which give extracted indicators their pages."""
    try:
        doc, stage = llm.finish(job)
    except Exception as exc:  # noqa: BLE001 - an LLM-stage bug fails this document only
        f = StageFailure("llm", f"{type(exc).__name__}: {exc}"[:500], where(exc))
        failures.append(f)
        doc, stage = job.doc, StageRun(stage="llm", status="failed", notice=f.message)
    doc = doc.model_copy(update={"stages": [*doc.stages, stage]})
    doc = add_llm_provenance(doc, lines)  # pages of extracted indicators
    # Failed or pending LLM tasks do not make the document unclean: its ledger says what is left,
    # and the next run sends exactly that again (Batch._reuse keeps it as `previous`).
    clean = not failures and stage.status != "failed"
    error = None
    if stage.status == "failed" and not any(f.stage == "llm" for f in failures):
        # The model could not be had (e.g. the local server did not start): not a bug.
        error = ErrorRecord(path=str(inp.path), sha256=inp.sha, stage="llm",
                            kind="stage_failed", message=stage.notice or "LLM stage failed")
        clean = False
    return doc, clean, error


class Batch:
    """One run; `run()` does it all. Split into methods so each phase reads on its own."""

    def __init__(self, opts: BatchOptions, console: Console | None = None) -> None:
        self.opts = opts
        self.out = opts.out_dir
        self.console = console or Console(stderr=True, highlight=False)
        self.errors: list[ErrorRecord] = []
        self.notices: list[str] = []
        # Compressed until a report reads one document's (issue 20: the driver's memory per document).
        self.lines = LineStore()
        self.stage1: dict[str, ParsedDocument] = {}  # sha -> pre-scoring result
        # sha -> an earlier result whose LLM work is incomplete: its done tasks are carried over
        self.previous: dict[str, ParsedDocument] = {}
        self.processed = 0
        self.skipped = 0
        # Documents done per worker (Ray engine only; the local runner has one worker, itself).
        self.worker_counts: dict[str, int] = {}

    # ------------------------------------------------------------ setup

    def _notice(self, text: str) -> None:
        """Something about this run (not about a document's result): summary.run.notices and stderr."""
        self.notices.append(text)
        self._say(text)

    def _say(self, text: str) -> None:
        self.console.print(f"semx: {text}", markup=False)

    def _inputs(self) -> list[Input]:
        unique: list[Input] = []
        seen: dict[str, Path] = {}
        found = discover(self.opts.paths)
        for skip in found.skipped:
            self.errors.append(ErrorRecord(path=str(skip.path), stage="discover", kind=skip.kind, message=skip.reason))
        for path in found.files:
            inp = _read(path)
            if inp.error is not None:
                self.errors.append(inp.error)
                continue
            assert inp.sha is not None
            if inp.sha in seen:
                self._notice(f"{path} 与 {seen[inp.sha]} 内容相同，只处理一次")
                continue
            seen[inp.sha] = path
            unique.append(inp)
        return unique

    # ------------------------------------------------------------ phase 1

    def _reuse(self, inp: Input, manifest: Manifest, fp: str) -> bool:
        """Load a finished document's phase-1 result; False when it must be redone."""
        assert inp.sha is not None
        if self.opts.force:
            return False
        entry = manifest.finished(inp.sha, fp)
        if entry is None:
            return False
        try:
            doc = ParsedDocument.model_validate_json((self.out / entry.result).read_bytes())
        except (ValueError, OSError):
            return False
        unfinished = incomplete(doc)
        if self.opts.llm and unfinished and (
                not self.opts.skip_failed_llm or any(t.status == "pending" for t in unfinished)):
            # The ledger says LLM work is left: redo the document, sending only those tasks.
            self.previous[inp.sha] = doc
            return False
        self.stage1[inp.sha] = doc
        try:
            self.lines[inp.sha] = _ingest(inp).lines  # for the report's source excerpts
        except IngestError:
            self.lines[inp.sha] = []
        inp.data = None  # read once; a province of PDFs would otherwise stay in memory (issue 20)
        return True

    def _finish_doc(self, inp: Input, doc: ParsedDocument, failures: list[StageFailure], manifest: Manifest,
                    fp: str, clean: bool, vectors: TextVectors | None) -> None:
        """Record one document's phase-1 result; `vectors`: its strings' vectors, embedded where it
        was processed (ScoreStage.document_vectors), kept in the run's store for the scoring step."""
        assert inp.sha is not None
        self.scorer.record(vectors)
        rel = f"{WORK_DIR}/{inp.sha}.json"
        text = doc.model_dump_json()
        atomic_write_text(self.out / rel, text + "\n")
        # Keep what a resumed run would read back (amounts pass through JSON numbers), so the
        # scorer and the report see the same values whether a document is new or reused.
        self.stage1[inp.sha] = ParsedDocument.model_validate_json(text)
        self.errors.extend(_failure_record(inp, f) for f in failures)
        if clean:
            # Only a clean document is skipped next time; one with a failed stage is retried.
            manifest.record(ManifestEntry(sha256=inp.sha, path=str(inp.path), result=rel, fingerprint=fp))
        else:
            # Its result file was just overwritten by this unfinished one (--force, or a changed
            # fingerprint): an older entry for the same bytes must not make the next run reuse it.
            manifest.forget(inp.sha)
        inp.data = None  # its bytes are not read again in this run (issue 20)
        self.processed += 1

    def _phase1(self, todo: list[Input], manifest: Manifest, fp: str, llm: LLMWork | None,
                progress: BatchProgress) -> None:
        pending: list[tuple[Input, Job, list[StageFailure]]] = []

        def drain(block: bool) -> None:
            while pending:
                if block:
                    futs = [f for _, job, _ in pending for _, _, f in job.futures if not f.done()]
                    if futs:
                        wait(futs, return_when=FIRST_COMPLETED)
                ready = [p for p in pending if p[1].done()]
                if not ready:
                    if block:
                        continue
                    return
                for item in ready:
                    pending.remove(item)
                    inp, job, failures = item
                    assert llm is not None
                    doc, clean, error = fold_llm(inp, job, failures, llm, self.lines.get(inp.sha or "", []))
                    if error is not None:
                        self.errors.append(error)
                    self._finish_doc(inp, doc, failures, manifest, fp, clean=clean,
                                     vectors=self.scorer.document_vectors(doc))
                    progress.advance()

        for inp in todo:
            progress.describe(inp.name[:40])
            parsed = parse_document(inp)
            if isinstance(parsed, ErrorRecord):
                self.errors.append(parsed)
                progress.advance()
                continue
            assert inp.sha is not None
            src, doc, failures = parsed
            self.lines[inp.sha] = src.lines
            started = submit_llm(doc, failures, llm, self.llm_notice, previous=self.previous.get(inp.sha),
                                 keep_failed=self.opts.skip_failed_llm)
            if not isinstance(started, Job):
                doc, clean = started
                self._finish_doc(inp, doc, failures, manifest, fp, clean=clean,
                                 vectors=self.scorer.document_vectors(doc))
                progress.advance()
                continue
            pending.append((inp, started, failures))
            drain(block=False)
        progress.describe("等待 LLM")
        drain(block=True)

    # ------------------------------------------------------------ phase 2

    def _phase2(self, inputs: list[Input], manifest: Manifest, fp: str) -> list[tuple[Input, ParsedDocument]]:
        order = [(inp, self.stage1[inp.sha]) for inp in inputs if inp.sha in self.stage1]
        docs = [d for _, d in order]
        key = fingerprint({"fp": fp, "score": self.scorer.settings,
                           "docs": [hashlib.sha256(d.model_dump_json().encode()).hexdigest() for d in docs]})
        if (not self.opts.force and manifest.scored == key
                and all((self.out / _result_name(inp)).is_file() for inp, _ in order)):
            reused: list[tuple[Input, ParsedDocument]] = []
            for inp, d in order:
                try:
                    reused.append((inp, ParsedDocument.model_validate_json((self.out / _result_name(inp)).read_bytes())))
                except (ValueError, OSError):
                    break
            else:
                self.console.print("semx: 文档集合与上次相同，沿用上次的评分结果", markup=False)
                self.stage1.clear()  # as below: only the scored results go on to the reports
                return reused
        scored, stage, error = self.scorer.run(docs)
        if error is not None:
            self.errors.append(ErrorRecord(path="(all documents)", stage="score", kind="internal", message=error))
        # The pre-scoring results are not needed past this point: one copy of each document, not
        # three, lives on to the reports (issue 20). Each scored one is dropped once written.
        queue = list(zip([inp for inp, _ in order], scored, strict=True))
        queue.reverse()
        del order, docs, scored
        self.stage1.clear()
        final: list[tuple[Input, ParsedDocument]] = []
        while queue:
            inp, d = queue.pop()
            text = d.model_copy(update={"stages": [*d.stages, stage]}).model_dump_json(indent=1)
            atomic_write_text(self.out / _result_name(inp), text + "\n")
            final.append((inp, ParsedDocument.model_validate_json(text)))  # as a later run will read it
        manifest.set_scored(key if error is None else None)
        return final

    # ------------------------------------------------------------ run

    def run(self) -> BatchResult:
        started = time.time()
        started_at = datetime.now(UTC).isoformat(timespec="seconds")
        self.out.mkdir(parents=True, exist_ok=True)
        if removed := remove_stale_temps(self.out):
            self._notice(f"删除了上次中断留下的 {removed} 个临时文件")
        manifest, note = Manifest.load(self.out)
        if note:
            self._notice(note)

        if self.opts.llm:
            llm_settings, self.llm_notice = availability(self.opts.llm_config)
        else:
            llm_settings, self.llm_notice = {"llm": "off"}, "--no-llm：LLM 抽取未运行"
        if self.llm_notice and self.opts.llm:
            self._say(self.llm_notice)
        self.scorer = ScoreStage.load(embed=self.opts.embed, store_dir=self.out / WORK_DIR / EMBED_DIR)
        if self.scorer.notice:
            self._say(self.scorer.notice)
        fp = fingerprint({
            "semx": semx_version(), "stages": list(STAGES), "llm": llm_settings,
            "scope": self.opts.llm_scope.value if llm_settings.get("llm") not in ("off", "none", "missing") else None,
        })

        inputs = self._inputs()
        todo = [inp for inp in inputs if not self._reuse(inp, manifest, fp)]
        self.skipped = len(inputs) - len(todo)
        use_llm = self.opts.llm and self.llm_notice is None
        llm = (LLMWork(self.opts.llm_scope, self.opts.concurrency, self.opts.llm_config, budget=self.opts.llm_budget)
               if use_llm else None)
        progress = BatchProgress(total=len(inputs), done=self.skipped, enabled=self.opts.progress, console=self.console)
        if llm is not None:
            llm.on_tokens = progress.add_tokens
        finished = False
        phases: dict[str, float] = {}
        try:
            with progress:
                t = time.perf_counter()
                self._phase1(todo, manifest, fp, llm, progress)
                finished = True
                phases["documents"] = round(time.perf_counter() - t, 2)
                progress.describe("评分")
                t = time.perf_counter()
                results = self._phase2(inputs, manifest, fp)
                phases["score"] = round(time.perf_counter() - t, 2)
                progress.describe("完成")
        finally:
            self.scorer.close()
            if llm is not None:
                llm.close(wait=finished)
            # Also after Ctrl-C (KeyboardInterrupt passes through here): back to one line per
            # document, so the journal does not grow across re-runs. Atomic: a second Ctrl-C or a
            # kill during it leaves the uncompacted journal, which loads the same.
            manifest.compact()

        for inp, d in results:
            self.errors.extend(llm_task_errors(str(inp.path), d))
        docs = [DocResult(doc=d, name=inp.name, result_file=_result_name(inp)) for inp, d in results]
        code, reasons = exit_status(self.errors, [r.doc for r in docs], self.opts.fail_on)
        run = RunInfo(
            started_at=started_at,
            finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
            elapsed_s=round(time.time() - started, 2),
            inputs=len(inputs) + sum(1 for e in self.errors if e.stage in ("ingest", "discover") and e.sha256 is None
                                     and e.kind != "unsupported"),
            processed=self.processed,
            skipped_unchanged=self.skipped,
            failed=len({e.path for e in self.errors if e.fails_document}),
            llm=llm.run_usage if llm is not None else LLMUsage(status="skipped", notice=self.llm_notice),
            phases=phases,
            options=self._options_dict(),
            notices=self.notices,
            workers=self.worker_counts or None,
            embedded_at_scoring=self.scorer.embedded_at_scoring,
        )
        summary = build_summary(docs, self.errors, run, (self.opts.price_prompt, self.opts.price_completion,
                                                         self.opts.currency), code, reasons)
        outputs = write_reports(self.out, docs, self.lines, self.errors, summary)
        return BatchResult(exit_code=code, exit_reasons=reasons, summary=summary, out_dir=self.out,
                           errors=self.errors, outputs=outputs)

    def _options_dict(self) -> dict[str, object]:
        o = self.opts
        return {"paths": [str(p) for p in o.paths], "out": str(o.out_dir), "force": o.force,
                "concurrency": o.concurrency, "llm": o.llm, "llm_scope": o.llm_scope.value, "llm_budget": o.llm_budget,
                "embed": o.embed, "engine": o.engine.value,
                "fail_on": [str(r) for r in o.fail_on]}


def run_batch(opts: BatchOptions, console: Console | None = None) -> BatchResult:
    if opts.engine is Engine.ray:
        # Imported here: ray is an optional extra, and the local runner must not need it.
        from semx.batch.ray_engine import RayBatch

        return RayBatch(opts, console).run()
    return Batch(opts, console).run()
