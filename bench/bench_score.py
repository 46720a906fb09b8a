"""Benchmark the scorer over the corpus: cold embedding cache, then warm.

    python bench/bench_score.py [--corpus eval/corpus] [--json out.json]

Reports model conversion/load time, distinct strings encoded, indicators scored
per second, and the same run again in a new process-like state (fresh embedder
object, fresh in-memory memo) with the disk cache warm. Parsing time is reported
apart from scoring time.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT / "eval" / "corpus")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    from semx.embed.convert import convert
    from semx.embed.encoder import SentenceTransformerEmbedder
    from semx.pipeline import parse_file
    from semx.score import DocInput, RunInfo, score_documents

    t0 = time.perf_counter()
    convert()
    convert_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    docs = []
    for path in sorted(args.corpus.glob("*.txt")):
        parsed = parse_file(path)
        docs.append(DocInput(key=path.stem, projects=parsed.projects, free_text=parsed.free_text_targets))
    parse_s = time.perf_counter() - t0

    out: dict[str, object] = {
        "documents": len(docs),
        "parse_seconds": round(parse_s, 2),
        "convert_seconds": round(convert_s, 2),
    }
    with tempfile.TemporaryDirectory() as cache:
        for run in ("cold", "warm"):
            emb = SentenceTransformerEmbedder(cache_root=Path(cache))
            info = RunInfo(embedding_model="", config_version=0)
            t0 = time.perf_counter()
            score_documents(docs, embedder=emb, info=info)
            total = time.perf_counter() - t0
            out[run] = {
                "seconds": round(total, 2),
                "model_load_seconds": round(emb.stats.load_seconds, 2),
                "encode_seconds": round(emb.stats.encode_seconds, 2),
                "distinct_strings": info.distinct_strings,
                "strings_encoded": emb.stats.encoded,
                "cache_hits": emb.stats.cache_hits,
                "indicators": info.indicators,
                "indicators_per_second": round(info.indicators / total, 1),
            }
            out["embedding_model"] = info.embedding_model
            out["config_version"] = info.config_version
    text = json.dumps(out, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
