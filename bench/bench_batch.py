"""Benchmark `semx score` over 100 documents against a loopback mock LLM, at concurrency 1 and 8.

    python bench/bench_batch.py [--docs 100] [--latency 0.2] [--scope all-free-text] [--embed] [--prompt-extract V]

The corpus is replicated into a temp dir with a distinct last line per copy, so every file
has its own content hash and nothing is skipped as unchanged. The LLM answer cache is off
(every call reaches the mock: the cache would turn copies 2..n into hits). The mock
(bench/mock_openai.py) runs in this process on 127.0.0.1 with a fixed latency per request;
each batch runs in a child process, which reports its own peak RSS (getrusage). Scoring uses
--no-embed unless --embed is given, so the figures are about the batch, not the embedding model.
The extract prompt is the shipped default (the mock answers extract/v2's whole extractions and
the span namings of v3/v4); --prompt-extract measures another version.
The mock is started and stopped here.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"


def _mock() -> Any:
    spec = importlib.util.spec_from_file_location("semx_bench_mock_openai", Path(__file__).with_name("mock_openai.py"))
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def make_corpus(dest: Path, n: int) -> list[Path]:
    samples = sorted(CORPUS.glob("*.txt"))
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = samples[i % len(samples)]
        p = dest / f"{i:03d}_{src.name}"
        # A distinct trailing line: a new content hash, same tables and targets.
        p.write_text(src.read_text(encoding="utf-8") + f"\n（基准测试副本 {i}）\n", encoding="utf-8")
        out.append(p)
    return out


CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from semx.batch import BatchOptions, LLMScope, run_batch
a = json.loads(sys.argv[1])
t0 = time.perf_counter()
r = run_batch(BatchOptions(paths=[Path(a["corpus"])], out_dir=Path(a["out"]), concurrency=a["concurrency"],
                           llm=a["llm"], llm_scope=LLMScope(a["scope"]), embed=a["embed"], progress=False,
                           llm_config=Path(a["config"]) if a["config"] else None))
s = r.summary
print(json.dumps({"seconds": time.perf_counter() - t0, "exit": r.exit_code, "documents": s.documents,
                  "processed": s.run.processed, "calls": s.run.llm.calls, "errors": s.run.llm.errors,
                  "validation_retries": s.run.llm.validation_retries,
                  "tokens": s.run.llm.prompt_tokens + s.run.llm.completion_tokens,
                  "indicators": s.indicators.indicators, "phases": s.run.phases,
                  "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_child(corpus: Path, out: Path, concurrency: int, llm: bool, scope: str, embed: bool,
              config: Path | None) -> dict[str, Any]:
    args = {"corpus": str(corpus), "out": str(out), "concurrency": concurrency, "llm": llm, "scope": scope,
            "embed": embed, "config": str(config) if config else None}
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEMX_LLM")}
    proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(args)], capture_output=True, text=True, env=env,
                          cwd=ROOT, check=False, timeout=3600)
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description="semx score batch benchmark (loopback mock LLM)")
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--latency", type=float, default=0.2, help="mock seconds per request")
    ap.add_argument("--scope", default="all-free-text", choices=["unlinked", "all-free-text", "classify"])
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    ap.add_argument("--embed", action="store_true", help="score with the embedding model (default: --no-embed)")
    ap.add_argument("--prompt-extract", help="extract prompt version (default: the shipped default)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()

    mock = _mock()
    work = Path(tempfile.mkdtemp(prefix="semx-bench-"))
    results: dict[str, Any] = {"docs": args.docs, "latency_s": args.latency, "scope": args.scope,
                               "embed": args.embed, "cpus": os.cpu_count(), "runs": {}}
    try:
        corpus = work / "corpus"
        make_corpus(corpus, args.docs)
        print(f"corpus: {args.docs} documents in {corpus}; mock latency {args.latency * 1000:.0f} ms; "
              f"scope {args.scope}; {'embeddings' if args.embed else '--no-embed'}", flush=True)
        base = run_child(corpus, work / "out-nollm", 1, False, args.scope, args.embed, None)
        results["runs"]["no-llm"] = base
        print(f"  --no-llm         {base['seconds']:7.1f} s   peak RSS {base['maxrss_mib']:6.0f} MiB   "
              f"({base['indicators']} indicators; phases {base['phases']})", flush=True)
        with mock.MockServer(latency=args.latency) as server:
            cfg = work / "mock.toml"
            cfg.write_text(f'[llm]\nbase_url = "{server.base_url}"\nmodel = "mock"\ncache = false\n'
                           + (f'prompt_extract = "{args.prompt_extract}"\n' if args.prompt_extract else "")
                           + f'cache_dir = "{(work / "llm-cache").as_posix()}"\n', encoding="utf-8")
            for c in args.concurrency:
                before, server._server.peak_in_flight = server.requests, 0
                r = run_child(corpus, work / f"out-c{c}", c, True, args.scope, args.embed, cfg)
                r["mock_requests"] = server.requests - before
                r["peak_in_flight"] = server.peak_in_flight
                results["runs"][f"c{c}"] = r
                print(f"  concurrency {c:<3}  {r['seconds']:7.1f} s   peak RSS {r['maxrss_mib']:6.0f} MiB   "
                      f"{r['mock_requests']} LLM requests ({r['mock_requests'] / args.docs:.1f} a document), "
                      f"{r['validation_retries']} validation retries, {r['errors']} LLM errors, "
                      f"{r['peak_in_flight']} in flight at most, {r['tokens']} tokens, {r['indicators']} indicators; "
                      f"phases {r['phases']}", flush=True)
                assert r["processed"] == args.docs and r["errors"] == 0, r
        runs = results["runs"]
        lo, hi = f"c{args.concurrency[0]}", f"c{args.concurrency[-1]}"
        results["speedup"] = runs[lo]["seconds"] / runs[hi]["seconds"]
        llm_only = args.latency * runs[lo]["mock_requests"]
        print(f"speed-up {lo} -> {hi}: {results['speedup']:.2f}x  (LLM time at concurrency 1 would be "
              f"{llm_only:.0f} s of pure latency; parsing and scoring without LLM take {base['seconds']:.0f} s)")
        if args.json:
            args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    t = time.perf_counter()
    main()
    print(f"bench done in {time.perf_counter() - t:.0f} s")
