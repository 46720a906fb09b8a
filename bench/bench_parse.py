"""Time parsing the corpus against just reading it.

    .venv/bin/python bench/bench_parse.py [--repeat N] [--corpus DIR]

In one process and N repetitions each: a baseline that reads every file and splits it
into lines, and the parse (ingest + parse_tables + document_meta, plus parse_targets
when semx.targets is importable). One untimed warm-up pass first, so imports and regex
compilation are not counted. Prints both times, per-stage times and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from semx.ingest import ingest
from semx.tables import document_meta, parse_tables

Targets = Callable[[Any], object]


def _load_targets() -> Targets | None:
    try:
        from semx.targets import parse_targets
    except ImportError:
        return None
    return parse_targets


def baseline(paths: list[Path]) -> int:
    lines = 0
    for p in paths:
        lines += len(p.read_bytes().decode("utf-8", errors="replace").split("\n"))
    return lines


def parse_all(paths: list[Path], targets: Targets | None, stages: dict[str, float]) -> int:
    tables = 0
    for p in paths:
        t0 = time.perf_counter()
        doc = ingest(p)
        t1 = time.perf_counter()
        found, _ = parse_tables(doc)
        document_meta(doc)
        t2 = time.perf_counter()
        if targets is not None:
            targets(doc)
        t3 = time.perf_counter()
        stages["ingest"] += t1 - t0
        stages["tables"] += t2 - t1
        stages["targets"] += t3 - t2
        tables += len(found)
    return tables


def _timed(fn: Callable[[], object], repeat: int) -> tuple[list[float], float]:
    """Wall time of each pass, and the process CPU time of all passes (less disturbed by a busy machine)."""
    times = []
    cpu0 = time.process_time()
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times, time.process_time() - cpu0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--corpus", type=Path, default=ROOT / "eval" / "corpus")
    args = ap.parse_args()
    paths = sorted(args.corpus.glob("*.txt"))
    if not paths:
        sys.exit(f"no .txt files in {args.corpus}")
    targets = _load_targets()
    stages = {"ingest": 0.0, "tables": 0.0, "targets": 0.0}

    lines = baseline(paths)
    tables = parse_all(paths, targets, stages)  # warm-up
    stages = dict.fromkeys(stages, 0.0)

    base, base_cpu = _timed(lambda: baseline(paths), args.repeat)
    full, full_cpu = _timed(lambda: parse_all(paths, targets, stages), args.repeat)

    n = args.repeat
    print(f"corpus: {len(paths)} files, {lines} lines, {tables} tables; {n} repetitions in one process")
    print(f"targets stage: {'included (semx.targets.parse_targets)' if targets else 'not importable, skipped'}")
    print(
        f"baseline  read+split : total {sum(base):8.4f} s   per pass {1000 * statistics.median(base):8.3f} ms (median)"
    )
    print(
        f"parse     full       : total {sum(full):8.4f} s   per pass {1000 * statistics.median(full):8.3f} ms (median)"
    )
    for name, total in stages.items():
        if name == "targets" and targets is None:
            continue
        print(f"  {name:8}           : total {total:8.4f} s   per pass {1000 * total / n:8.3f} ms (mean)")
    ratio = statistics.median(full) / statistics.median(base)
    print(f"ratio parse / baseline (median wall time per pass): {ratio:.1f}x")
    print(f"cpu time: baseline {base_cpu:.4f} s, parse {full_cpu:.4f} s, ratio {full_cpu / max(base_cpu, 1e-9):.1f}x")


if __name__ == "__main__":
    main()
