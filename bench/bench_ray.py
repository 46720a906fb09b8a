"""Benchmark `semx score --engine ray` (2 local workers) against the local runner, same LLM concurrency.

    python bench/bench_ray.py [--docs 200] [--latency 0.2] [--concurrency 4] [--workers 2]

The corpus is bench_batch's: copies of the bundled samples, each with its own file name and a
numbered trailing line, so every copy has its own content hash. The loopback mock LLM
(bench/mock_openai.py, 127.0.0.1, fixed latency) runs in this process; the answer cache is off,
so every call reaches it. Both runs have the same number of LLM requests in flight at most:
the local runner `--concurrency C`, the Ray run W workers with `--concurrency C/W` each (under
Ray, -j is per worker). Each run is a child process; its peak RSS is the driver's (for Ray, the
workers are other processes; their peak is sampled from /proc). Scoring uses --no-embed (char
n-gram vectors, made with each document: on the workers under Ray), so the figures are about the
per-document phase and the driver's corpus-wide step, not the embedding model. Needs the `ray` extra.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import ROOT, _mock, make_corpus

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from semx.batch import BatchOptions, LLMScope, run_batch
from semx.batch.options import Engine
a = json.loads(sys.argv[1])
t0 = time.perf_counter()
r = run_batch(BatchOptions(paths=[Path(a["corpus"])], out_dir=Path(a["out"]), concurrency=a["concurrency"],
                           llm_scope=LLMScope(a["scope"]), embed=False, progress=False,
                           llm_config=Path(a["config"]), engine=Engine(a["engine"]), ray_workers=a["workers"]))
s = r.summary
print(json.dumps({"seconds": time.perf_counter() - t0, "exit": r.exit_code, "documents": s.documents,
                  "processed": s.run.processed, "calls": s.run.llm.calls, "errors": s.run.llm.errors,
                  "validation_retries": s.run.llm.validation_retries, "indicators": s.indicators.indicators, "phases": s.run.phases, "workers": s.run.workers,
                  "driver_maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _ray_workers(root: int) -> list[int]:
    """Ray worker processes below `root` (titled ray::IDLE or ray::<task>)."""
    kids: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(d.name))
    found, stack = [], [root]
    while stack:
        for c in kids.get(stack.pop(), []):
            stack.append(c)
            try:
                if Path(f"/proc/{c}/cmdline").read_bytes().startswith(b"ray::"):
                    found.append(c)
            except OSError:
                pass
    return found


def run_child(args: dict[str, Any]) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEMX_LLM")}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    peak = {"workers_rss_mib": 0.0, "worker_peak_mib": 0.0}

    def sample() -> None:
        while proc.poll() is None:
            rss = [_rss_mib(p) for p in _ray_workers(proc.pid)]
            if rss:
                peak["workers_rss_mib"] = max(peak["workers_rss_mib"], sum(rss))
                peak["worker_peak_mib"] = max(peak["worker_peak_mib"], max(rss))
            time.sleep(1.0)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate(timeout=3600)
    sampler.join(timeout=5)
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}):\n{err[-3000:]}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    if args["engine"] == "ray":
        result.update(peak)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description="semx score: --engine ray vs local (loopback mock LLM)")
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--latency", type=float, default=0.2, help="mock seconds per request")
    ap.add_argument("--scope", default="all-free-text", choices=["unlinked", "all-free-text", "classify"])
    ap.add_argument("--concurrency", type=int, default=4, help="LLM requests in flight at most, in both runs")
    ap.add_argument("--workers", type=int, default=2, help="Ray workers of the local Ray instance")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and both output folders (printed)")
    args = ap.parse_args()
    if args.concurrency % args.workers:
        raise SystemExit("--concurrency must be a multiple of --workers (the same requests in flight in both runs)")

    mock = _mock()
    work = Path(tempfile.mkdtemp(prefix="semx-bench-ray-"))
    results: dict[str, Any] = {"docs": args.docs, "latency_s": args.latency, "scope": args.scope,
                               "concurrency": args.concurrency, "workers": args.workers, "cpus": os.cpu_count(),
                               "load_before": os.getloadavg(), "runs": {}}
    try:
        _bench(args, mock, work, results)
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _bench(args: argparse.Namespace, mock: Any, work: Path, results: dict[str, Any]) -> None:
    corpus = work / "corpus"
    make_corpus(corpus, args.docs)
    print(f"corpus: {args.docs} documents; mock latency {args.latency * 1000:.0f} ms; scope {args.scope}; "
          f"{args.concurrency} LLM requests in flight at most; load average {os.getloadavg()[0]:.1f}", flush=True)
    with mock.MockServer(latency=args.latency) as server:
        cfg = work / "mock.toml"
        cfg.write_text(f'[llm]\nbase_url = "{server.base_url}"\nmodel = "mock"\ncache = false\n'
                       # The shipped default extract prompt: the mock answers its span naming.
                       f'cache_dir = "{(work / "llm-cache").as_posix()}"\n', encoding="utf-8")
        for engine, conc in (("local", args.concurrency), ("ray", args.concurrency // args.workers)):
            before, server._server.peak_in_flight = server.requests, 0
            r = run_child({"corpus": str(corpus), "out": str(work / f"out-{engine}"), "concurrency": conc,
                           "scope": args.scope, "config": str(cfg), "engine": engine, "workers": args.workers})
            r["mock_requests"] = server.requests - before
            r["peak_in_flight"] = server.peak_in_flight
            r["docs_per_min"] = round(60 * args.docs / r["seconds"], 1)
            results["runs"][engine] = r
            extra = (f"; workers {sorted(r['workers'].values())}, worker RSS peak {r['worker_peak_mib']:.0f} MiB "
                     f"each, {r['workers_rss_mib']:.0f} MiB together" if engine == "ray" else "")
            print(f"  {engine:<5} -j {conc}: {r['seconds']:7.1f} s  {r['docs_per_min']:6.1f} docs/min  "
                  f"driver peak RSS {r['driver_maxrss_mib']:5.0f} MiB  {r['mock_requests']} requests "
                  f"({r['mock_requests'] / args.docs:.1f} a document), {r['validation_retries']} validation retries, "
                  f"{r['errors']} LLM errors, {r['indicators']} indicators, "
                  f"{r['peak_in_flight']} in flight at most; phases {r['phases']}{extra}", flush=True)
            assert r["processed"] == args.docs and r["errors"] == 0, r
    ratio = results["runs"]["local"]["seconds"] / results["runs"]["ray"]["seconds"]
    results["ray_speedup"] = round(ratio, 2)
    results["load_after"] = os.getloadavg()
    print(f"ray / local throughput: {ratio:.2f}x (one run each; load average now {os.getloadavg()[0]:.1f})")
    # The two runs differ on purpose in one recorded option, -j (per worker under Ray): align it,
    # then every output must be equal.
    ray_summary = work / "out-ray" / "summary.json"
    data = json.loads(ray_summary.read_text(encoding="utf-8"))
    data["run"]["options"]["concurrency"] = args.concurrency
    ray_summary.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    same = subprocess.run([sys.executable, str(ROOT / "scripts" / "compare_outputs.py"), str(work / "out-local"),
                           str(work / "out-ray")], capture_output=True, text=True, check=False)
    print(f"outputs: {same.stdout.strip().splitlines()[-1]}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
