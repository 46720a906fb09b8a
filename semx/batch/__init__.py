"""Batch runs (`semx score`): every stage over many documents, resumable, with reports.

    from semx.batch import BatchOptions, run_batch
    result = run_batch(BatchOptions(paths=[Path("eval/corpus")], out_dir=Path("out")))

Only light modules are imported here; the LLM client and the scorer load when used.
"""

from semx.batch.options import BatchOptions, FailRule, LLMScope
from semx.batch.runner import EXIT_FAIL_ON, EXIT_FAILED, EXIT_INTERNAL, EXIT_OK, BatchResult, run_batch

__all__ = ["EXIT_FAILED", "EXIT_FAIL_ON", "EXIT_INTERNAL", "EXIT_OK", "BatchOptions", "BatchResult", "FailRule",
           "LLMScope", "run_batch"]
