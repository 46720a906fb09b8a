"""Is parsing linear in the input? Time 1x, 2x, 4x, 8x of a document and of one wide table row.

    .venv/bin/python bench/bench_linear.py [--sample 004] [--big-mb 50] [--ceiling-mb 20]

1. The document repeated k times (k = 1, 2, 4, 8): ingest + tables + checks + targets
   (semx.pipeline.parse_source). A linear parser doubles its time when the input doubles;
   the ratios printed are time(2k) / time(k), about 2 when linear, about 4 when quadratic.
2. A 收支总表 printed as one row of 2,500 x k tab-separated cells (the shape that was
   quadratic in tables/build.py, tables/header.py and checks/view.py).
3. A file of --big-mb megabytes given to `semx parse`: refused with a clear error above the
   input ceiling (SEMX_MAX_INPUT_MB, default 20), timed end to end; and, with --ceiling-mb,
   a file just under the ceiling, to show what the largest accepted input costs.
Timings are the best of --repeat runs, on whatever machine runs this (no pass/fail here).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from semx.ingest import ingest_bytes
from semx.pipeline import parse_source


def _time(data: bytes, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        parse_source(ingest_bytes(data, "bench.txt"))
        best = min(best, time.perf_counter() - t)
    return best


def _series(label: str, make: dict[int, bytes], repeat: int) -> None:
    prev: float | None = None
    for k, data in make.items():
        t = _time(data, repeat)
        ratio = f"{t / prev:.2f}" if prev else "-"
        print(f"{label:<14} {k}x  {len(data) / 1e6:7.2f} MB  {t:7.2f} s  ratio to previous {ratio}", flush=True)
        prev = t


def _wide_row(cells: int) -> bytes:
    """A 收支总表 printed as one row of `cells` amounts, no header (issue 16: 20,000 cells took 35 s)."""
    head = "部门预算 绩效 支出 科目\n2024年收支总表\n单位：万元\n"
    return (head + "\t".join(f"{j % 97}.00" for j in range(cells)) + "\n").encode("utf-8")


def _semx_parse(path: Path, env: dict[str, str]) -> tuple[int, float, str]:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "semx.cli", "parse", str(path)], check=False, capture_output=True,
                          text=True,
                          env=env, cwd=ROOT, timeout=600)
    last = (proc.stderr.strip().splitlines() or [""])[-1]
    return proc.returncode, time.perf_counter() - t, last


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", default="004", help="prefix of an eval/corpus file")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--big-mb", type=float, default=50.0)
    ap.add_argument("--ceiling-mb", type=float, default=0.0, help="also parse a file of this size (0: skip)")
    args = ap.parse_args()
    path = next((ROOT / "eval" / "corpus").glob(f"{args.sample}*.txt"))
    raw = path.read_bytes()
    print(f"sample {path.name}, {len(raw) / 1e3:.0f} kB; best of {args.repeat}")
    _time(raw, 1)  # warm-up: imports, regex compilation
    _series("document", {k: raw * k for k in (1, 2, 4, 8)}, args.repeat)
    _series("wide row", {k: _wide_row(2500 * k) for k in (1, 2, 4, 8)}, args.repeat)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        copies = int(args.big_mb * 1e6 / len(raw)) + 1
        big.write_bytes(raw * copies)
        code, secs, last = _semx_parse(big, env)
        print(f"{big.stat().st_size / 1e6:.0f} MB input: exit {code} in {secs:.1f} s: {last[:160]}")
        if args.ceiling_mb:
            near = Path(tmp) / "near.txt"
            near.write_bytes(raw * int(args.ceiling_mb * 1e6 / len(raw)))
            code, secs, last = _semx_parse(near, env)
            print(f"{near.stat().st_size / 1e6:.1f} MB input: exit {code} in {secs:.1f} s")


if __name__ == "__main__":
    main()
