"""The `semx score` command; semx/cli.py registers it. The work is in semx.batch.runner.

Exit codes:
  0  every document scored (and no --fail-on rule tripped)
  1  at least one document failed: bad input (empty, binary, not a disclosure) or a stage
     that could not run on it (e.g. the local model did not start); see errors.jsonl
  2  usage error (unknown option, bad --fail-on rule)
  3  an internal error (a bug) hit at least one document or the scorer; see errors.jsonl
  4  a --fail-on rule tripped, e.g. `--fail-on mismatch>=1`
  5  LLM work incomplete: at least one LLM task failed or was not sent (time budget); each is
     a line of errors.jsonl and the same command retries them (`--fail-on llm_failed=off`
     turns this code off, `--fail-on llm_failed>=N` makes it a threshold with exit 4)
  130 interrupted (Ctrl-C); finished documents are kept, the same command resumes
When several apply the first in the order 3, 1, 4, 5 wins.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from semx.batch.options import Engine, LLMScope, ScoreFormat

if TYPE_CHECKING:
    from semx.batch import BatchOptions
    from semx.batch.runner import BatchResult

EPILOG = ("`--format json` prints each document's full result on stdout (without --out, the files go to a "
          "temporary folder that is removed). Outputs in --out: documents/*.json, indicators.jsonl, "
          "indicators.xlsx, findings.csv, summary.json, errors.jsonl, report.html, manifest.jsonl. "
          "Exit codes: 0 ok; 1 a document failed (errors.jsonl); 2 usage; 3 internal error; "
          "4 a --fail-on rule tripped; 5 LLM work incomplete (errors.jsonl; re-run retries; "
          "--fail-on llm_failed=off turns it off); 130 interrupted (re-run to resume). "
          "Inputs above SEMX_MAX_INPUT_MB (default 20) are refused.")


def _rules(values: list[str]) -> list[object]:
    from semx.batch.options import FailRule

    try:
        return [FailRule.parse(v) for v in values]
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--fail-on") from None


def score(
    paths: Annotated[list[Path], typer.Argument(help="文件或文件夹（文件夹内的 *.txt、*.pdf、*.docx、*.xlsx、*.xls）", show_default=False)],
    out: Annotated[Path | None, typer.Option("--out", "-o", help=(
        "输出目录（清单、每个文件的 JSON 与报告）；默认 out，--format json/jsonl 时默认为临时目录（用后删除）"),
        show_default=False)] = None,
    fmt: Annotated[ScoreFormat, typer.Option("--format", "-f", help=(
        "files: 只写 --out 中的文件；json: 另在标准输出打印每个文件的完整结果（一个文件为对象，多个为数组，"
        "失败的文件为 {path, error}）；jsonl: 每行一个"))] = ScoreFormat.files,
    force: Annotated[bool, typer.Option("--force", help="重新处理所有文件，即使内容未变")] = False,
    concurrency: Annotated[int, typer.Option("--concurrency", "-j", min=1, max=64, help="同时进行的 LLM 请求数")] = 4,
    no_llm: Annotated[bool, typer.Option("--no-llm", help="跳过 LLM 抽取（报告中注明）")] = False,
    llm_scope: Annotated[LLMScope, typer.Option("--llm-scope", help=(
        "unlinked: 只抽取没有对应表格项目的文本目标（默认）；all-free-text: 所有文本目标；"
        "classify: 另外请 LLM 复核表格指标的分类"))] = LLMScope.unlinked,
    llm_budget: Annotated[float | None, typer.Option("--llm-budget", min=0, help=(
        "本次运行 LLM 的时间预算（秒）；默认：本地模型 480（单个请求最多一半），配置的接口不限；0 为不限。"
        "超出预算未开始的项目留给下次运行继续"))] = None,
    no_embed: Annotated[bool, typer.Option("--no-embed", help="不加载嵌入模型，评分用字符 n-gram 相似度")] = False,
    fail_on: Annotated[list[str], typer.Option("--fail-on", help=(
        "如 mismatch>=1：达到时退出码为 4（可重复）；llm_failed=off：LLM 任务失败时不以 5 退出"))] = [],  # noqa: B006
    skip_failed_llm: Annotated[bool, typer.Option("--skip-failed-llm", help=(
        "不重试上次失败的 LLM 任务（默认重新运行时重试失败的任务，已完成的不再请求）"))] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条")] = False,
    llm_config: Annotated[Path | None, typer.Option("--llm-config", exists=True, dir_okay=False,
                                                    help="LLM 配置文件（TOML）")] = None,
    price_prompt: Annotated[float, typer.Option(help="每百万输入 token 的价格（费用统计用）")] = 0.0,
    price_completion: Annotated[float, typer.Option(help="每百万输出 token 的价格")] = 0.0,
    currency: Annotated[str, typer.Option(help="费用的货币单位")] = "USD",
    engine: Annotated[Engine, typer.Option("--engine", help=(
        "local: 本进程内处理（默认）；ray: 每个文件一个 Ray 任务，在 Ray 集群上处理（需安装 semx[ray]），"
        "评分与报告仍在本机完成；--concurrency 为每个 worker 的 LLM 请求数"))] = Engine.local,
    address: Annotated[str | None, typer.Option("--address", help=(
        "--engine ray：要连接的 Ray 集群地址（如 ray://head:10001 或 auto）；不给则在本机 127.0.0.1 "
        "启动一个 Ray 实例，运行结束后关闭"), show_default=False)] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=256, help=(
        "--engine ray 且未给 --address 时，本机 Ray 实例的 worker 进程数"))] = 2,
) -> None:
    """Score documents end to end and write report.html, indicators.xlsx/.jsonl, findings.csv, summary.json."""
    from semx.batch import BatchOptions

    opts = BatchOptions(
        paths=paths, out_dir=out or Path("out"), force=force, concurrency=concurrency, llm=not no_llm,
        llm_scope=llm_scope, embed=not no_embed, fail_on=_rules(fail_on), progress=not quiet,  # type: ignore[arg-type]
        price_prompt=price_prompt, price_completion=price_completion, currency=currency, llm_config=llm_config,
        llm_budget=llm_budget, skip_failed_llm=skip_failed_llm, engine=engine, address=address, ray_workers=workers,
    )
    if address is not None and engine is not Engine.ray:
        raise typer.BadParameter("--address is for --engine ray", param_hint="--address")
    if quiet:
        # -q means no progress bars at all, also the model loaders' (tqdm, huggingface_hub).
        os.environ.setdefault("TQDM_DISABLE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        import logging

        logging.getLogger("sentence_transformers").setLevel(logging.ERROR)
    if out is None and fmt is not ScoreFormat.files:
        with tempfile.TemporaryDirectory(prefix="semx-score-") as tmp:
            _run(replace(opts, out_dir=Path(tmp)), fmt, keep=False)
    else:
        _run(opts, fmt, keep=True)


def _run(opts: BatchOptions, fmt: ScoreFormat, *, keep: bool) -> None:
    """Run the batch, print what --format asks for, and exit with the run's exit code (never returns).

    keep: the output folder stays (False: a temporary folder for --format json without --out)."""
    from rich.console import Console

    from semx.batch import run_batch

    err = Console(stderr=True, highlight=False)
    from semx.batch.options import EngineError

    try:
        result = run_batch(opts, console=err)
    except EngineError as exc:
        err.print(f"semx: error: {exc}", markup=False)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        err.print(f"semx: interrupted; finished documents are kept in {opts.out_dir}, run the same command to resume"
                  if keep else "semx: interrupted", markup=False)
        # LLM worker threads may sit in an HTTP request (or its retries); every finished document
        # is already on disk (atomic writes, SQLite cache), so leave now instead of joining them.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    if fmt is not ScoreFormat.files:
        _print_documents(result, fmt)
    s = result.summary
    rate = f"{s.indicators.flag_rate:.1%}" if s.indicators.flag_rate is not None else "—"
    err.print(
        f"semx: {s.documents} 个文件完成（本次处理 {s.run.processed}，跳过未变化 {s.run.skipped_unchanged}），"
        f"{s.failed_documents} 个失败；指标 {s.indicators.indicators}，被标记 {s.indicators.flagged}（{rate}）；"
        f"一致性问题 {sum(s.findings.values())}；本次 LLM tokens "
        f"{s.run.llm.prompt_tokens + s.run.llm.completion_tokens}；用时 {s.run.elapsed_s:.1f}s",
        markup=False,
    )
    not_taken = sum(1 for e in result.errors if e.kind == "unsupported")
    if not_taken:  # not failures (exit 0), but never left unsaid
        err.print(f"semx: 另有 {not_taken} 个文件未读取：semx 不读取的文件类型（见 errors.jsonl）", markup=False)
    for d in s.per_document:
        for warning in d.coverage_warnings:  # seen but not read: said on the console too, never silent
            err.print(f"semx: warning: {d.document}: {warning}", markup=False)
    if s.run.workers:
        counts = "，".join(f"{w} {n}" for w, n in sorted(s.run.workers.items()))
        err.print(f"semx: 各 worker 处理的文件数：{counts}", markup=False)
    if keep:
        err.print(f"semx: 报告 {result.out_dir / 'report.html'}", markup=False)
    for reason in result.exit_reasons:
        err.print(f"semx: exit {result.exit_code}: {reason}", markup=False)
    raise typer.Exit(result.exit_code)


def _print_documents(result: BatchResult, fmt: ScoreFormat) -> None:
    """Each document's full result, as written to documents/*.json, then the failed ones beside them."""
    items: list[object] = [
        json.loads((result.out_dir / d.result_file).read_text(encoding="utf-8")) for d in result.summary.per_document
    ]
    items += [{"path": e.path, "error": e.model_dump(mode="json")} for e in result.errors if e.fails_document]
    if fmt is ScoreFormat.jsonl:
        for item in items:
            sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(json.dumps(items[0] if len(items) == 1 else items, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
