"""Batch runs (`semx score`): every stage over many documents, resumable, with reports.

    from semx.batch import BatchOptions, run_batch
    result = run_batch(BatchOptions(paths=[Path("eval/corpus")], out_dir=Path("out")))

Names are loaded on first use, so `semx --help` (which imports semx.batch.cli for the
command's signature) does not load the runner, the report writers or pydantic models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers: the real names, without importing them at run time
    from semx.batch.options import BatchOptions, FailRule, LLMScope
    from semx.batch.runner import EXIT_FAIL_ON, EXIT_FAILED, EXIT_INTERNAL, EXIT_OK, BatchResult, run_batch

_EXPORTS = {
    "BatchOptions": "semx.batch.options",
    "FailRule": "semx.batch.options",
    "LLMScope": "semx.batch.options",
    "BatchResult": "semx.batch.runner",
    "run_batch": "semx.batch.runner",
    "EXIT_OK": "semx.batch.runner",
    "EXIT_FAILED": "semx.batch.runner",
    "EXIT_INTERNAL": "semx.batch.runner",
    "EXIT_FAIL_ON": "semx.batch.runner",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'semx.batch' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = ["EXIT_FAILED", "EXIT_FAIL_ON", "EXIT_INTERNAL", "EXIT_OK", "BatchOptions", "BatchResult", "FailRule",
           "LLMScope", "run_batch"]
