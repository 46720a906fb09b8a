"""The deterministic stages behind one seam each: tables, targets, checks.

A stage whose module is missing (another part of semx not installed or not written yet) is
*skipped* with a notice that reaches the per-document JSON, summary.json and the report; a
stage that raises is *failed* for that document only, and the other stages still run. Nothing
is dropped silently.
"""

from __future__ import annotations

import importlib
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from semx.models import Finding, FreeTextTarget, ParsedDocument, Project, SourceDocument, StageRun, Table, Warning_
from semx.pipeline import add_provenance


@dataclass
class StageFailure:
    stage: str
    message: str
    detail: str  # where it happened (file:line in function), for errors.jsonl


def resolve(module: str, *names: str) -> tuple[list[Callable[..., Any]] | None, str | None]:
    """The named functions of a module, or None and the reason they cannot be had."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == module or module.startswith(exc.name + ".")):
            return None, f"模块 {module} 不存在，阶段未运行"
        return None, f"导入 {module} 失败：{type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - a broken stage module must not stop the others
        return None, f"导入 {module} 失败：{type(exc).__name__}: {exc}"
    funcs = [getattr(mod, n, None) for n in names]
    missing = [n for n, f in zip(names, funcs) if not callable(f)]
    if missing:
        return None, f"{module} 没有 {', '.join(missing)}，阶段未运行"
    return funcs, None  # type: ignore[return-value]


def where(exc: BaseException) -> str:
    """file:line in function of the innermost frame, so a bug report can point at the code."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    f = frames[-1]
    return f"{f.filename}:{f.lineno} in {f.name}"


def _fail(stage: str, exc: BaseException) -> StageFailure:
    return StageFailure(stage=stage, message=f"{type(exc).__name__}: {exc}"[:500], detail=where(exc))


@dataclass
class Deterministic:
    """Resolved once per run; `run` is called per document (main thread: it is CPU-bound)."""

    tables: list[Callable[..., Any]] | None = None
    targets: list[Callable[..., Any]] | None = None
    checks: list[Callable[..., Any]] | None = None
    notices: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Deterministic:
        d = cls()
        d.tables, n1 = resolve("semx.tables", "parse_tables", "document_meta")
        d.targets, n2 = resolve("semx.targets", "parse_targets")
        d.checks, n3 = resolve("semx.checks", "check_document")
        d.notices = {k: v for k, v in (("tables", n1), ("targets", n2), ("checks", n3)) if v}
        return d

    @property
    def available(self) -> list[str]:
        """Stage names that can run: part of the manifest fingerprint, so adding a stage redoes documents."""
        return [n for n in ("tables", "targets", "checks") if getattr(self, n) is not None]

    def run(self, src: SourceDocument) -> tuple[ParsedDocument, list[StageFailure]]:
        failures: list[StageFailure] = []
        stages: list[StageRun] = []
        tables: list[Table] = []
        warnings: list[Warning_] = list(src.warnings)
        meta: tuple[str | None, str | None, int | None] = (None, None, None)
        projects: list[Project] = []
        free_text: list[FreeTextTarget] = []
        findings: list[Finding] = []

        def attempt(stage: str, funcs: list[Callable[..., Any]] | None, body: Callable[[list[Callable[..., Any]]], None],
                    needs: str | None = None) -> None:
            if funcs is None:
                stages.append(StageRun(stage=stage, status="skipped", notice=self.notices.get(stage)))  # type: ignore[arg-type]
                return
            if needs is not None:
                stages.append(StageRun(stage=stage, status="skipped", notice=needs))  # type: ignore[arg-type]
                return
            t0 = time.perf_counter()
            try:
                body(funcs)
                stages.append(StageRun(stage=stage, status="ran", seconds=round(time.perf_counter() - t0, 4)))  # type: ignore[arg-type]
            except Exception as exc:  # noqa: BLE001 - one stage's bug must not lose the others' results
                f = _fail(stage, exc)
                failures.append(f)
                stages.append(StageRun(stage=stage, status="failed", notice=f.message,  # type: ignore[arg-type]
                                       seconds=round(time.perf_counter() - t0, 4)))

        def do_tables(fs: list[Callable[..., Any]]) -> None:
            nonlocal tables, meta
            parse_tables, document_meta = fs
            tables, tw = parse_tables(src)
            warnings.extend(tw)
            meta = document_meta(src)

        def do_targets(fs: list[Callable[..., Any]]) -> None:
            nonlocal projects, free_text
            projects, free_text, tw = fs[0](src)
            warnings.extend(tw)

        def do_checks(fs: list[Callable[..., Any]]) -> None:
            nonlocal findings
            findings = fs[0](src, tables)

        attempt("tables", self.tables, do_tables)
        attempt("targets", self.targets, do_targets)
        tables_ok = stages[0].status == "ran"
        attempt("checks", self.checks, do_checks, needs=None if tables_ok else "数字表阶段未成功，一致性检查未运行")

        unit_code, unit_name, year = meta
        doc = ParsedDocument(
            path=src.path, sha256=src.sha256, encoding=src.encoding, layout=src.layout,
            unit_code=unit_code, unit_name=unit_name, year=year, sections=src.sections,
            tables=tables, findings=findings, projects=projects, free_text_targets=free_text,
            warnings=warnings, stages=[StageRun(stage="ingest", status="ran"), *stages],
        )
        # The same post-pass as `semx parse`: lines, end lines and pages on every result.
        return add_provenance(doc, src), failures
