"""Benchmark the scorer on large batches: the bundled corpus replicated into N documents.

    python bench/bench_scale.py [--copies 20,100,400] [--code DIR]

Boilerplate is judged across the whole batch (a text carried by other documents counts), so
its cost is what grows with the batch. The five samples are parsed once and each copy gets its
own document key; scoring uses the character n-gram embedder (no model load), so the figures
are about the scorer's comparisons, not about encoding. Each size runs in a child process,
which reports its wall time and peak RSS. --code points at another checkout (e.g. an older
commit in a git worktree) to compare implementations in one run.

Each row gives the scoring time per document, and each size after the first its ratio to the
first size's per-document time (from the same run, so the machine's load is shared): about 1
when scoring is linear in the batch, growing with the size when it is not (issue #20: the
cyclic garbage collector walking the growing heap made it 0.12 s a document at 40 and 0.26 s
at 640). E.g. `--copies 40,160`.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(code: Path, copies: int) -> dict[str, float]:
    sys.path.insert(0, str(code))
    from semx.embed.encoder import CharNgramEmbedder
    from semx.pipeline import parse_file
    from semx.score import DocInput, score_documents

    base = []
    for path in sorted((ROOT / "eval" / "corpus").glob("*.txt")):
        parsed = parse_file(path)
        base.append((path.stem, parsed.projects, parsed.free_text_targets))
    docs = [
        DocInput(key=f"{stem}#{c}", projects=[p.model_copy(deep=True) for p in projects], free_text=list(free_text))
        for c in range(copies)
        for stem, projects, free_text in base
    ][:copies]
    t0 = time.perf_counter()
    results = score_documents(docs, embedder=CharNgramEmbedder())
    seconds = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    indicators = sum(len(p.indicators) for r in results for p in r.projects)
    return {"documents": len(docs), "indicators": indicators, "score_seconds": round(seconds, 2),
            "per_doc_s": round(seconds / max(1, len(docs)), 4), "peak_rss_mb": round(rss_mb)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", default="20,100,400", help="batch sizes in documents, comma-separated")
    ap.add_argument("--code", type=Path, default=ROOT, help="checkout whose semx package is benchmarked")
    ap.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.code.resolve(), args.child)))
        return 0
    rows = []
    for n in (int(x) for x in args.copies.split(",")):
        r = subprocess.run([sys.executable, __file__, "--child", str(n), "--code", str(args.code)],
                           capture_output=True, text=True, check=False)
        row = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else {
            "documents": n, "error": (r.stderr.strip().splitlines() or ["?"])[-1][:200]}
        first = next((x for x in rows if "per_doc_s" in x), None)
        if first is not None and "per_doc_s" in row:
            row["per_doc_vs_first"] = round(row["per_doc_s"] / first["per_doc_s"], 2)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
