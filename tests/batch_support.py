"""Shared helpers of the batch and report tests: the loopback mock LLM, configs, comparisons."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"
SAMPLES = sorted(CORPUS.glob("*.txt"))

# Fields that measure how a run went rather than what it found: wall time, and LLM
# accounting that legitimately differs when an answer came from the cache.
ACCOUNTING_KEYS = frozenset({
    "seconds", "latency_s", "cached", "cache_hits", "calls", "prompt_tokens", "completion_tokens", "attempts",
    "transport_retries", "validation_retries",
})
_RUN_INFO = re.compile(r'<details id="run-info".*?</details>', re.DOTALL)


def load_mock() -> ModuleType:
    spec = importlib.util.spec_from_file_location("semx_bench_mock_openai", ROOT / "bench" / "mock_openai.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def write_llm_config(path: Path, base_url: str, cache_dir: Path) -> Path:
    """A config file pointing at the mock, with its own answer cache (never the user's)."""
    path.write_text(
        f'[llm]\nbase_url = "{base_url}"\nmodel = "mock"\ncache_dir = "{cache_dir.as_posix()}"\n'
        "backoff_initial = 0.05\nbackoff_jitter = 0.0\n"
        # v2: one request per free-text block, which these tests count on (budget, ledger, reruns). The
        # mock answers the default extract/v4 too (tests/test_mock_openai.py; the benches use it).
        'prompt_extract = "v2"\n',
        encoding="utf-8",
    )
    return path


def clean_env() -> dict[str, str]:
    """Environment for a `semx` subprocess: no endpoint or config from the developer's shell."""
    # SEMX_CACHE_DIR would override the per-test cache_dir of the tests' config files (the
    # environment wins over the file), letting one test's LLM answers leak into another's.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEMX_LLM") and k != "SEMX_CACHE_DIR"}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def semx_cmd(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "semx.cli", *map(str, args)]


def run_semx(*args: str | Path, timeout: float = 300, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(semx_cmd(*args), capture_output=True, text=True, timeout=timeout, env=clean_env(),
                          cwd=cwd, check=False)


def strip_accounting(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: strip_accounting(v) for k, v in value.items() if k not in ACCOUNTING_KEYS}
    if isinstance(value, list):
        return [strip_accounting(v) for v in value]
    return value


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def xlsx_values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def comparable_outputs(out: Path) -> dict[str, Any]:
    """Every output of a run, minus timing and accounting, for run-to-run comparison."""
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary.pop("run")
    docs = {p.name: strip_accounting(json.loads(p.read_text(encoding="utf-8")))
            for p in sorted((out / "documents").glob("*.json"))}
    return {
        "documents": docs,
        "summary": strip_accounting(summary),
        "indicators.jsonl": read_jsonl(out / "indicators.jsonl"),
        "errors.jsonl": read_jsonl(out / "errors.jsonl"),
        "findings.csv": read_csv(out / "findings.csv"),
        "indicators.xlsx": xlsx_values(out / "indicators.xlsx"),
        "report.html": _RUN_INFO.sub("", (out / "report.html").read_text(encoding="utf-8")),
    }
