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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from semx.ingest import ingest
from semx.pipeline import STAGES, run_stages


def baseline(paths: list[Path]) -> int:
    lines = 0
    for p in paths:
        lines += len(p.read_bytes().decode("utf-8", errors="replace").split("\n"))
    return lines


def parse_all(paths: list[Path], stages: dict[str, float]) -> int:
    """The shipped pipeline (semx.pipeline.run_stages); per-stage time from its own stage records."""
    tables = 0
    for p in paths:
        t0 = time.perf_counter()
        src = ingest(p)
        stages["ingest"] += time.perf_counter() - t0
        doc, _ = run_stages(src, catch=False)
        for run in doc.stages:
            if run.stage in stages and run.seconds is not None:
                stages[run.stage] += run.seconds
        tables += len(doc.tables)
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
    stages = dict.fromkeys(("ingest", *STAGES), 0.0)

    lines = baseline(paths)
    tables = parse_all(paths, stages)  # warm-up
    stages = dict.fromkeys(stages, 0.0)

    base, base_cpu = _timed(lambda: baseline(paths), args.repeat)
    full, full_cpu = _timed(lambda: parse_all(paths, stages), args.repeat)

    n = args.repeat
    print(f"corpus: {len(paths)} files, {lines} lines, {tables} tables; {n} repetitions in one process")
    print(
        f"baseline  read+split : total {sum(base):8.4f} s   per pass {1000 * statistics.median(base):8.3f} ms (median)"
    )
    print(
        f"parse     full       : total {sum(full):8.4f} s   per pass {1000 * statistics.median(full):8.3f} ms (median)"
    )
    for name, total in stages.items():
        print(f"  {name:8}           : total {total:8.4f} s   per pass {1000 * total / n:8.3f} ms (mean)")
    ratio = statistics.median(full) / statistics.median(base)
    print(f"ratio parse / baseline (median wall time per pass): {ratio:.1f}x")
    print(f"cpu time: baseline {base_cpu:.4f} s, parse {full_cpu:.4f} s, ratio {full_cpu / max(base_cpu, 1e-9):.1f}x")


if __name__ == "__main__":
    main()
