"""Fuzz the parser with mutated sample documents: nothing may escape but IngestError.

    python scripts/fuzz.py [--n 10000] [--seed 0] [--corpus eval/corpus] [--show 5]

Each input is a sample of --corpus with one to three mutations (the list in MUTATORS: line
deletion, duplication and shuffle, byte flips, truncation, garbage bytes, huge numbers,
removed cells, odd Unicode, very long lines, re-encoding). It goes through the whole
deterministic pipeline (ingest, tables, checks, targets: semx.pipeline.parse_source). An
IngestError is a correct answer (bad input, clear reason); any other exception is a crash.
Prints the count of crashes with their first tracebacks, the slowest input and the time
spent; exit 1 when something crashed. tests/test_fuzz.py runs a few hundred of the same.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from semx.ingest import IngestError, ingest_bytes
from semx.pipeline import parse_source

Mutator = Callable[[random.Random, bytes], bytes]
SLOW_S = 5.0

_ODD = ["\u200b", "\u202e", "\ufeff", "\u0301", "\U0001f600", "\ud7ff", "\u3000", "\uff10", "①", "²", "〇", "\u2028",
        "\x85", "\x0c", "\u00a0", "＄", "∞", "\U00020000"]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def delete_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    for _ in range(rng.randint(1, max(1, len(lines) // 10))):
        if lines:
            del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def duplicate_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    for _ in range(rng.randint(1, 20)):
        i = rng.randrange(len(lines))
        lines[i:i] = [lines[i]] * rng.randint(1, 5)
    return b"\n".join(lines)


def shuffle_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    if len(lines) > 2:
        a = rng.randrange(len(lines))
        b = min(len(lines), a + rng.randint(2, 200))
        block = lines[a:b]
        rng.shuffle(block)
        lines[a:b] = block
    return b"\n".join(lines)


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 50)):
        if buf:
            buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def garbage(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randint(1, 400)) + data[at:]


def huge_numbers(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    out, digits = [], 0
    for ch in text:
        if ch.isdigit() and ch.isascii() and rng.random() < 0.05:
            out.append(ch * rng.choice([30, 100, 400, 5000]))
            digits += 1
        else:
            out.append(ch)
    if not digits:
        out.append("\n合计\t" + "9" * 400 + ".00")
    return "".join(out).encode("utf-8")


def remove_cells(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    for i, ln in enumerate(lines):
        if b"\t" in ln and rng.random() < 0.3:
            cells = ln.split(b"\t")
            del cells[rng.randrange(len(cells))]
            lines[i] = b"\t".join(cells)
    return b"\n".join(lines)


def odd_unicode(rng: random.Random, data: bytes) -> bytes:
    text = list(data.decode("utf-8", "replace"))
    for _ in range(rng.randint(1, 60)):
        text.insert(rng.randrange(len(text) + 1), rng.choice(_ODD))
    return "".join(text).encode("utf-8", "surrogatepass")


def long_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    unit = rng.choice([b"\t1.00", "指标".encode(), b"x", b"\t", "（".encode(), b"#", "≥".encode()])
    lines[i] = lines[i] + unit * rng.randint(1000, 40000)
    return b"\n".join(lines)


def reencode(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    enc = rng.choice(["gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "big5", "latin-1"])
    out = text.encode(enc, "replace")
    if rng.random() < 0.3:
        out = b"\xef\xbb\xbf" + text.encode("gb18030", "replace")  # a UTF-8 mark on GBK bytes
    return out


MUTATORS: dict[str, Mutator] = {
    "delete_lines": delete_lines, "duplicate_lines": duplicate_lines, "shuffle_lines": shuffle_lines,
    "flip_bytes": flip_bytes, "truncate": truncate, "garbage": garbage, "huge_numbers": huge_numbers,
    "remove_cells": remove_cells, "odd_unicode": odd_unicode, "long_line": long_line, "reencode": reencode,
}


@dataclass
class FuzzReport:
    inputs: int = 0
    rejected: int = 0  # IngestError: a clear "bad input" answer
    crashes: list[tuple[str, str]] = field(default_factory=list)  # (mutations, traceback)
    slowest: tuple[float, str] = (0.0, "")
    slow: list[tuple[float, str]] = field(default_factory=list)  # inputs over SLOW_S seconds
    seconds: float = 0.0
    used: dict[str, int] = field(default_factory=dict)


def mutate(rng: random.Random, data: bytes) -> tuple[bytes, list[str]]:
    names = rng.sample(sorted(MUTATORS), rng.randint(1, 3))
    for name in names:
        data = MUTATORS[name](rng, data) if data else data
    return data, names


def run(samples: list[Path], n: int, seed: int, start: int = 0, step: int = 1, progress: int = 0) -> FuzzReport:
    """Inputs start, start+step, ... below n; input i depends only on (seed, i), so a split over
    processes (--jobs) tries exactly the same inputs as one process."""
    sources = [(p.name, p.read_bytes()) for p in samples]
    report = FuzzReport()
    started = time.perf_counter()
    for i in range(start, n, step):
        rng = random.Random(f"{seed}-{i}")
        name, data = sources[i % len(sources)]
        mutated, names = mutate(rng, data)
        label = f"#{i} {name} {'+'.join(names)}"
        for m in names:
            report.used[m] = report.used.get(m, 0) + 1
        t = time.perf_counter()
        try:
            parse_source(ingest_bytes(mutated, f"fuzz-{i}.txt"))
        except IngestError:
            report.rejected += 1
        except Exception:  # noqa: BLE001 - a crash is what this script looks for
            report.crashes.append((label, traceback.format_exc()))
        took = time.perf_counter() - t
        if took > report.slowest[0]:
            report.slowest = (took, label)
        if took > SLOW_S:
            report.slow.append((took, label))
            print(f"[worker {start}] slow: {took:.1f} s {label}", flush=True)
        report.inputs += 1
        if progress and report.inputs % progress == 0:
            print(f"[worker {start}] {report.inputs} inputs, {len(report.crashes)} crashes, "
                  f"slowest {report.slowest[0]:.2f} s", flush=True)
    report.seconds = time.perf_counter() - started
    return report


def _worker(args: tuple[list[Path], int, int, int, int, int]) -> FuzzReport:
    return run(*args)


def run_parallel(samples: list[Path], n: int, seed: int, jobs: int, progress: int = 0) -> FuzzReport:
    if jobs <= 1:
        return run(samples, n, seed, progress=progress)
    from multiprocessing import Pool

    started = time.perf_counter()
    with Pool(jobs) as pool:
        parts = pool.map(_worker, [(samples, n, seed, k, jobs, progress) for k in range(jobs)])
    total = FuzzReport()
    for r in parts:
        total.inputs += r.inputs
        total.rejected += r.rejected
        total.crashes += r.crashes
        total.slowest = max(total.slowest, r.slowest)
        total.slow += r.slow
        for k, v in r.used.items():
            total.used[k] = total.used.get(k, 0) + v
    total.seconds = time.perf_counter() - started
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--corpus", type=Path, default=ROOT / "eval" / "corpus")
    ap.add_argument("--show", type=int, default=5, help="tracebacks to print")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes")
    ap.add_argument("--progress", type=int, default=500, help="print a line every N inputs per worker (0: never)")
    args = ap.parse_args()
    samples = sorted(args.corpus.glob("*.txt"))
    r = run_parallel(samples, args.n, args.seed, args.jobs, args.progress)
    over = "" if r.slowest[0] <= 10 else " (over 10 s!)"
    print(f"{r.inputs} inputs, {r.rejected} rejected with IngestError, {len(r.crashes)} crashes, "
          f"{r.seconds:.0f} s in all, slowest {r.slowest[0]:.2f} s{over} ({r.slowest[1]})")
    print(f"inputs over {SLOW_S:.0f} s: {len(r.slow)}")
    print("mutations used: " + ", ".join(f"{k} {v}" for k, v in sorted(r.used.items())))
    for label, tb in r.crashes[: args.show]:
        print(f"--- {label}\n{tb}")
    sys.exit(1 if r.crashes else 0)


if __name__ == "__main__":
    main()
