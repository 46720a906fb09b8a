"""The rich progress bar of `semx score`: documents done, ETA and LLM tokens, on stderr."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Self

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class BatchProgress:
    """Thread-safe counters behind one bar; a no-op when disabled (tests, --quiet)."""

    def __init__(self, total: int, done: int, enabled: bool, console: Console | None = None) -> None:
        self.enabled = enabled
        self._tokens = 0
        self._lock = threading.Lock()
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("·"),
            TimeElapsedColumn(),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            TextColumn("· {task.fields[tokens]} tokens"),
            console=console or Console(stderr=True),
            disable=not enabled,
            transient=False,
        )
        self._task: TaskID = self._progress.add_task("文档", total=total, completed=done, tokens=0)

    def __enter__(self) -> Self:
        self._progress.__enter__()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self._progress.__exit__(et, ev, tb)

    def add_tokens(self, n: int) -> None:
        with self._lock:
            self._tokens += n
            self._progress.update(self._task, tokens=self._tokens)

    def advance(self) -> None:
        with self._lock:
            self._progress.advance(self._task)

    def describe(self, text: str) -> None:
        with self._lock:
            self._progress.update(self._task, description=text)
