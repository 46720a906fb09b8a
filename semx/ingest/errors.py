"""The one error type of ingest: input that cannot be read as a budget disclosure."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A file that cannot be read as a budget disclosure. The message is one line."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")
