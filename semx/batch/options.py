"""Options of a batch run and the `--fail-on CODE>=N` rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


class LLMScope(str, Enum):
    """Which LLM work a run does (`--llm-scope`).

    unlinked       free-text targets that have no table project of the same name: the only
                   place their indicators exist, so the report would otherwise miss them (default)
    all-free-text  every free-text target, also those that repeat a table project
    classify       all-free-text, plus a second opinion on the category of every table indicator
    """

    unlinked = "unlinked"
    all_free_text = "all-free-text"
    classify = "classify"


class Engine(str, Enum):
    """Where the per-document work of `semx score` runs (`--engine`).

    local  this process: a thread pool for the LLM requests (default)
    ray    Ray tasks, one per document, on a Ray cluster (`--address`) or on a Ray instance
           started on this machine for the run; needs the `ray` extra
    """

    local = "local"
    ray = "ray"


class EngineError(Exception):
    """The chosen engine cannot run with these settings (e.g. Ray is not installed): a usage error."""


class ScoreFormat(str, Enum):
    """What `semx score` prints on stdout (`--format`).

    files  nothing: the results are the files in --out (default)
    json   the full result of each document (the JSON of documents/*.json): one object for one
           input, an array for several; a document that failed appears as {"path", "error"}
    jsonl  the same, one document per line
    """

    files = "files"
    json = "json"
    jsonl = "jsonl"


_RULE = re.compile(r"^\s*([A-Za-z0-9_*.\-]+)\s*(?:(>=|>)\s*(\d+)|=\s*(off))\s*$")
# The rule code for incomplete LLM work (failed or pending tasks of the ledger): by default it
# makes the exit code 5; `--fail-on llm_failed=off` turns that off, `llm_failed>=N` makes it a
# threshold (exit 4 when tripped).
LLM_FAILED = "llm_failed"


@dataclass(frozen=True)
class FailRule:
    """`mismatch>=1`: fail when at least N flags/findings whose code contains the word occur in the run."""

    code: str
    op: str
    threshold: int

    @classmethod
    def parse(cls, text: str) -> FailRule:
        m = _RULE.match(text)
        if not m:
            raise ValueError(f"--fail-on expects CODE>=N, CODE>N or CODE=off (e.g. mismatch>=1), got {text!r}")
        if m.group(4):
            return cls(code=m.group(1), op="off", threshold=0)
        return cls(code=m.group(1), op=m.group(2), threshold=int(m.group(3)))

    def matches(self, code: str) -> bool:
        """Exact code, `*` for any, or one of the code's `_`-separated words (mismatch ~ sum_mismatch)."""
        if self.code in ("*", "any"):
            return True
        return code == self.code or self.code in code.split("_")

    def tripped(self, count: int) -> bool:
        if self.op == "off":
            return False
        return count >= self.threshold if self.op == ">=" else count > self.threshold

    def __str__(self) -> str:
        return f"{self.code}=off" if self.op == "off" else f"{self.code}{self.op}{self.threshold}"


@dataclass
class BatchOptions:
    paths: list[Path]
    out_dir: Path
    force: bool = False
    concurrency: int = 4
    llm: bool = True
    llm_scope: LLMScope = LLMScope.unlinked
    embed: bool = True
    fail_on: list[FailRule] = field(default_factory=list)
    progress: bool = True
    # Prices in currency units per million tokens; a local model costs nothing.
    price_prompt: float = 0.0
    price_completion: float = 0.0
    currency: str = "USD"
    llm_config: Path | None = None
    # Seconds of LLM work per run; None: 300 for the embedded local model, unlimited for an endpoint;
    # 0: unlimited. Items not started in time are left for the next run, which continues them.
    llm_budget: float | None = None
    # A re-run sends the failed LLM tasks of finished documents again; this keeps them as they are.
    skip_failed_llm: bool = False
    engine: Engine = Engine.local
    # --engine ray: the cluster to join (None: start a Ray instance on 127.0.0.1 for this run,
    # with `ray_workers` worker processes, and stop it at the end).
    address: str | None = None
    ray_workers: int = 2
