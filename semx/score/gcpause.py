"""The cyclic garbage collector paused while a batch is scored.

Scoring builds millions of small, acyclic objects (views, sets of bigrams, candidates) that
stay alive until the batch is done, on top of every parsed document of the run. Each time the
collector runs it walks all of them, so its share grew with the batch: scoring was 0.12 s a
document at 40 documents and 0.26 s at 640 (bench/bench_scale.py), and flat once the collector
waits. Reference counting still frees everything scoring drops; the scorer makes almost no
cycles (the tracked-object count is the same with the collector on or off), and the collector
resumes, in its previous state, when scoring returns.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
