"""Peak memory of the batch driver (`run_batch`, local runner) per document, at several batch sizes.

    python bench/bench_driver_mem.py [--docs 50,200] [--code DIR] [--trace]

The corpus is bench_batch's (copies of the bundled samples, each with its own content hash);
no LLM, char n-gram vectors (embed=False): what is measured is what the driver keeps, not a
model. Each run is a child process that reports its peak RSS (getrusage), its RSS at the
phase boundaries (after the per-document phase, after scoring, after the reports) and the peak
RSS per document; from the second size on also the marginal cost of a document (the growth of
the peak over the previous size, divided by the added documents: the interpreter and libraries
left out). --code DIR also runs another checkout (e.g. `git worktree add --detach /tmp/old
main`) in the same run, size by size, so both share the machine's load. --trace runs the
children under tracemalloc and prints, at each boundary, the traced peak of the phase just
ended and the largest live allocations by file:line (slower; RSS is then inflated by it).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import ROOT, make_corpus

CHILD = r"""
import json, resource, sys, time, tracemalloc
from pathlib import Path
a = json.loads(sys.argv[1])
sys.path.insert(0, a["code"])
import semx.batch.runner as R
from semx.batch import BatchOptions, run_batch

def rss_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024)

marks = {}
def mark(label):
    marks[label] = {"rss_mib": rss_mib()}
    if a["trace"]:
        cur, peak = tracemalloc.get_traced_memory()
        marks[label].update(traced_mib=round(cur / 2**20), traced_peak_mib=round(peak / 2**20))
        top = tracemalloc.take_snapshot().statistics("lineno")[:a["top"]]
        marks[label]["top"] = [f"{s.size / 2**20:7.1f} MiB {s.count:8d}  {s.traceback[0].filename.rsplit('/', 2)[-2:]}:"
                               f"{s.traceback[0].lineno}" for s in top]
        tracemalloc.reset_peak()

# Phase boundaries, by the names both the old and the new runner have.
phase2, write_reports = R.Batch._phase2, R.write_reports
def _phase2(self, *args):
    mark("documents")
    out = phase2(self, *args)
    mark("score")
    return out
def _write_reports(*args):
    out = write_reports(*args)
    mark("reports")
    return out
R.Batch._phase2, R.write_reports = _phase2, _write_reports

if a["trace"]:
    tracemalloc.start()
t0 = time.perf_counter()
r = run_batch(BatchOptions(paths=[Path(a["corpus"])], out_dir=Path(a["out"]), llm=False, embed=False, progress=False))
use = resource.getrusage(resource.RUSAGE_SELF)
peak = use.ru_maxrss / 1024
# CPU time too: on a shared machine the wall time says more about the other jobs than about this one.
print(json.dumps({"documents": r.summary.documents, "exit": r.exit_code, "seconds": round(time.perf_counter() - t0, 1),
                  "cpu_s": round(use.ru_utime + use.ru_stime, 1),
                  "phases": r.summary.run.phases, "peak_rss_mib": round(peak),
                  "peak_rss_mib_per_doc": round(peak / max(1, r.summary.documents), 2), "marks": marks}))
"""


def run_child(code: Path, corpus: Path, out: Path, trace: bool, top: int) -> dict[str, Any]:
    args = {"code": str(code), "corpus": str(corpus), "out": str(out), "trace": trace, "top": top}
    proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(args)], capture_output=True, text=True,
                          cwd=tempfile.gettempdir(), check=False, timeout=7200)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1][:300]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description="batch driver peak memory per document (no LLM, char n-grams)")
    ap.add_argument("--docs", default="50,200", help="batch sizes in documents, comma-separated")
    ap.add_argument("--code", type=Path, help="another checkout to run beside this one, size by size")
    ap.add_argument("--trace", action="store_true", help="tracemalloc: top live allocations at each phase end")
    ap.add_argument("--top", type=int, default=12, help="allocations listed per phase with --trace")
    ap.add_argument("--keep", type=Path, help="keep the outputs here (DIR/<label>-<docs>) for compare_outputs.py")
    args = ap.parse_args()
    codes = [("this", ROOT)] + ([("code", args.code.resolve())] if args.code else [])
    work = Path(tempfile.mkdtemp(prefix="semx-drivermem-"))
    last: dict[str, dict[str, Any]] = {}
    try:
        for n in (int(x) for x in args.docs.split(",")):
            corpus = work / f"corpus-{n}"
            make_corpus(corpus, n)
            for label, code in codes:
                out = (args.keep or work) / f"{label}-{n}"
                row = {"code": label, "docs": n, **run_child(code, corpus, out, args.trace, args.top)}
                tops = {k: v.pop("top", []) for k, v in row.get("marks", {}).items()}
                prev = last.get(label)
                if prev is not None and "peak_rss_mib" in row:
                    # What one more document costs, the interpreter and libraries left out.
                    row["marginal_mib_per_doc"] = round(
                        (row["peak_rss_mib"] - prev["peak_rss_mib"]) / (n - prev["docs"]), 2)
                if "peak_rss_mib" in row:
                    last[label] = row
                print(json.dumps(row, ensure_ascii=False), flush=True)
                for phase, lines in tops.items():
                    if lines:
                        print(f"  {label} {n} after {phase}:", *lines, sep="\n    ", flush=True)
            shutil.rmtree(corpus, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
