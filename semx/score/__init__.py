"""Score performance targets (issue #6): flags, quality, grades, summary.

Importing this package does not import torch or sentence-transformers; the
default embedder loads them on first use.
"""

from semx.score.config import ScoreConfig, load_config
from semx.score.scorer import Candidate, DocInput, DocumentScore, RunInfo, score_document, score_documents

__all__ = [
    "Candidate",
    "DocInput",
    "DocumentScore",
    "RunInfo",
    "ScoreConfig",
    "load_config",
    "score_document",
    "score_documents",
]
