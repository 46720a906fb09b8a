"""`semx score --engine ray` (issue 20): the same outputs as the local runner, and a lost worker.

Each test starts a local Ray instance (2 workers on 127.0.0.1) through the command line and the
command stops it. Skipped when the `ray` extra is not installed.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.batch_support import (
    ROOT,
    SAMPLES,
    clean_env,
    comparable_outputs,
    load_mock,
    read_jsonl,
    run_semx,
    semx_cmd,
    write_llm_config,
)

pytest.importorskip("ray", reason="the ray extra is not installed")
pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def mock_llm() -> Iterator[Any]:
    with load_mock().MockServer(latency=0.05) as server:
        yield server


def _score(corpus: Path, out: Path, cfg: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_semx("score", corpus, "--out", out, "--llm-config", cfg, "--llm-scope", "all-free-text",
                    "--no-embed", "-q", "-j", "2", *extra, timeout=600)


def _summary(out: Path) -> dict[str, Any]:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_ray_and_local_give_identical_outputs(tmp_path: Path, mock_llm: Any) -> None:
    corpus = ROOT / "eval" / "corpus"
    # Separate answer caches: both runs ask the model, so even the LLM accounting is comparable.
    local = _score(corpus, tmp_path / "local", write_llm_config(tmp_path / "l.toml", mock_llm.base_url,
                                                               tmp_path / "cache-l"))
    assert local.returncode == 0, local.stderr
    before = mock_llm.requests
    cfg = write_llm_config(tmp_path / "r.toml", mock_llm.base_url, tmp_path / "cache-r")
    ray = _score(corpus, tmp_path / "ray", cfg, "--engine", "ray", "--workers", "2")
    assert ray.returncode == 0, ray.stderr
    assert mock_llm.requests > before  # the Ray workers called the model themselves

    # Every output, each document's JSON, the summary, JSONL, CSV, XLSX and HTML, equal after leaving
    # out the LLM accounting: a block that occurs twice in the corpus is answered from the cache by
    # whichever request comes second, which depends on timing in either engine, not on its result.
    assert comparable_outputs(tmp_path / "local") == comparable_outputs(tmp_path / "ray")
    s = _summary(tmp_path / "ray")
    assert s["run"]["options"]["engine"] == "ray" and _summary(tmp_path / "local")["run"]["workers"] is None
    assert sum(s["run"]["workers"].values()) == len(SAMPLES) == s["run"]["processed"]
    assert s["run"]["llm"]["calls"] > 0 and s["run"]["llm"]["model"] == "mock"
    assert "各 worker 处理的文件数" in ray.stderr
    # The workers embedded their documents' strings: the driver's scoring step embedded none.
    assert s["run"]["embedded_at_scoring"] == 0 == _summary(tmp_path / "local")["run"]["embedded_at_scoring"]
    assert _stored_texts(tmp_path / "ray") == _stored_texts(tmp_path / "local") != set()

    # A re-run skips every finished document and never starts Ray.
    again = _score(corpus, tmp_path / "ray", cfg, "--engine", "ray")
    assert again.returncode == 0, again.stderr
    s2 = _summary(tmp_path / "ray")
    assert (s2["run"]["processed"], s2["run"]["skipped_unchanged"], s2["run"]["workers"]) == (0, len(SAMPLES), None)


def _stored_texts(out: Path) -> set[str]:
    """The hashes of the texts whose vectors the run's store holds (DIR/.work/embeddings)."""
    (db,) = (out / ".work" / "embeddings").glob("*.sqlite")
    with sqlite3.connect(db) as con:
        return {k for (k,) in con.execute("SELECT key FROM emb")}


def test_address_without_ray_engine_is_a_usage_error(tmp_path: Path) -> None:
    r = run_semx("score", SAMPLES[0], "--out", tmp_path / "o", "--address", "auto", "--no-llm", "-q")
    assert r.returncode == 2 and "--address" in r.stderr


def test_ray_refuses_the_embedded_model(tmp_path: Path) -> None:
    # Without an endpoint every worker would start its own model server; a clear error instead.
    from semx.llm.local_server import llama_cpp_missing

    if llama_cpp_missing() is not None:
        pytest.skip("the embedded model is not installed, so the default is no LLM rather than the local model")
    r = run_semx("score", SAMPLES[0], "--out", tmp_path / "o", "--engine", "ray", "-q")
    assert r.returncode == 2 and "LLM endpoint" in r.stderr
    assert not (tmp_path / "o" / "summary.json").exists()


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            parents[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    out: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - out
        out |= frontier
    return out


def _task_workers(root: int) -> list[int]:
    """This run's Ray worker processes (actors, which Ray titles ray::DocWorker...)."""
    pids = []
    for pid in sorted(_descendants(root)):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if cmd.startswith(b"ray::DocWorker"):
            pids.append(pid)
    return pids


def test_a_killed_worker_loses_only_its_document_which_is_retried(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    n = 8
    for i in range(n):
        src = SAMPLES[i % len(SAMPLES)]
        # A distinct trailing line: a new content hash, the same tables and targets.
        (corpus / f"{i:02d}_{src.name}").write_text(src.read_text(encoding="utf-8") + f"\n（副本 {i}）\n",
                                                   encoding="utf-8")
    out = tmp_path / "out"
    with load_mock().MockServer(latency=1.0) as slow:
        cfg = write_llm_config(tmp_path / "c.toml", slow.base_url, tmp_path / "cache")
        proc = subprocess.Popen(semx_cmd("score", corpus, "--out", out, "--llm-config", cfg, "--llm-scope",
                                         "all-free-text", "--no-embed", "-q", "-j", "2", "--engine", "ray"),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=clean_env(), cwd=ROOT)
        killed = None
        before_kill: set[int] = set()
        try:
            deadline = time.monotonic() + 300
            while killed is None and time.monotonic() < deadline and proc.poll() is None:
                # Mid-run: the workers are up and LLM requests of their documents are in the mock.
                busy = _task_workers(proc.pid)
                if len(busy) == 2 and slow._server.in_flight > 0:
                    before_kill = set(busy)
                    killed = busy[0]
                    os.kill(killed, signal.SIGKILL)
                time.sleep(0.05)
            _, err = proc.communicate(timeout=600)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        requests = slow.requests
    assert killed is not None, "no worker was busy with a document before the run ended"
    assert proc.returncode == 0, err
    s = _summary(out)
    assert s["documents"] == s["run"]["processed"] == n and s["failed_documents"] == 0
    # Every document appears once: one result, one manifest line, one per-document summary.
    assert len(list((out / "documents").glob("*.json"))) == n
    manifest = read_jsonl(out / "manifest.jsonl")
    assert sorted(r["path"] for r in manifest if r["type"] == "doc") == sorted(str(p) for p in corpus.iterdir())
    assert len({d["sha256"] for d in s["per_document"]}) == n
    assert sum(s["run"]["workers"].values()) == n
    # All 8 documents were handed out at the start (4 in flight per worker), so the killed worker's
    # unfinished ones were done by the process Ray started in its place: a worker not seen before.
    assert {int(w.rsplit(":", 1)[1]) for w in s["run"]["workers"]} - before_kill
    # Every request a finished document accounts for reached the mock (plus the killed task's lost ones).
    assert requests >= s["run"]["llm"]["calls"] > 0
