"""`semx score` end to end: outputs, re-runs, interrupted runs, bad files, exit codes.

Offline: the LLM is the loopback mock in bench/mock_openai.py (valid answers for the extract
and classify schemas, fixed latency); no test reaches a network. The embedding model is
used by the first test only (converted once per machine into the cache by the scorer's
code); the others score with --no-embed, which is enough for what they check.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_support import (
    CORPUS,
    SAMPLES,
    clean_env,
    comparable_outputs,
    load_mock,
    read_csv,
    read_jsonl,
    run_semx,
    semx_cmd,
    write_llm_config,
    xlsx_values,
)

from semx.batch.manifest import Manifest
from semx.ingest import ingest
from semx.models import ParsedDocument

OUTPUTS = ("indicators.jsonl", "indicators.xlsx", "findings.csv", "summary.json", "errors.jsonl", "report.html",
           "manifest.jsonl")


@pytest.fixture(scope="module")
def mock_llm() -> Iterator[Any]:
    with load_mock().MockServer(latency=0.05) as server:
        yield server


@pytest.fixture
def llm_cfg(tmp_path: Path, mock_llm: Any) -> Path:
    return write_llm_config(tmp_path / "semx.toml", mock_llm.base_url, tmp_path / "llm-cache")


def _summary(out: Path) -> dict[str, Any]:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


# ------------------------------------------------------------------ end to end


def test_score_corpus_end_to_end_then_rerun_is_free(tmp_path: Path, llm_cfg: Path, mock_llm: Any) -> None:
    out = tmp_path / "out"
    proc = run_semx("score", CORPUS, "--out", out, "--llm-config", llm_cfg, "--llm-scope", "all-free-text", "-q")
    assert proc.returncode == 0, proc.stderr
    for name in OUTPUTS:
        assert (out / name).is_file(), name

    docs = [ParsedDocument.model_validate_json(p.read_bytes()) for p in sorted((out / "documents").glob("*.json"))]
    assert len(docs) == len(SAMPLES)
    for d in docs:
        assert [s.stage for s in d.stages] == ["ingest", "tables", "targets", "checks", "llm", "score"]
        assert all(s.status == "ran" for s in d.stages), (d.path, d.stages)
        assert d.score is not None and d.score.embedding_model.startswith("intfloat/multilingual-e5-small")
    n_targets = sum(len(d.free_text_targets) for d in docs)
    assert n_targets > 0
    assert all(t.llm is not None and t.llm_error is None for d in docs for t in d.free_text_targets)

    rows = read_jsonl(out / "indicators.jsonl")
    n_ind = sum(len(p.indicators) for d in docs for p in d.projects) + sum(
        len(t.indicators) for d in docs for t in d.free_text_targets)
    assert len(rows) == n_ind
    assert {"document", "unit_name", "year", "project", "project_budget", "level1", "level2", "level3", "value",
            "flags", "flag_reasons", "flag_scores", "quality", "line", "evidence"} <= set(rows[0])
    assert any(r["origin"] == "free_text" and r["evidence"] for r in rows)
    flagged = [r for r in rows if r["flags"]]
    assert flagged and all(len(r["flag_reasons"]) == len(r["flags"]) and all(r["flag_reasons"]) for r in flagged)
    # The line is the source line: the indicator's name or value is printed there (or in the
    # next cells of a one-cell-per-line table); an LLM indicator's evidence is in its target.
    lines = {p.name: {ln.no: ln.text for ln in ingest(p).lines} for p in SAMPLES}
    near = 0
    for r in rows:
        text = "".join(lines[r["document"]].get(n, "") for n in range(r["line"], r["line"] + 7))
        near += (r["level3"][:4] in text or r["value"] in text) if r["origin"] == "table" else bool(r["evidence"])
    assert near >= 0.95 * len(rows)

    sheets = xlsx_values(out / "indicators.xlsx")
    assert sheets["指标"][0][:4] == ("文件", "单位", "年度", "项目")
    assert len(sheets["指标"]) - 1 == len(rows)

    findings = read_csv(out / "findings.csv")
    assert findings[0][:4] == ["document", "sha256", "unit_name", "year"]
    assert len(findings) - 1 == sum(len(d.findings) for d in docs) > 0

    s = _summary(out)
    assert s["documents"] == len(SAMPLES) and s["failed_documents"] == 0 and s["exit_code"] == 0
    assert s["indicators"]["indicators"] == len(rows) and s["indicators"]["flagged"] == len(flagged)
    assert len(s["per_document"]) == len(SAMPLES) and s["per_unit"]
    requests = sum(t.llm.attempts for d in docs for t in d.free_text_targets if t.llm is not None)
    assert s["llm"]["prompt_tokens"] > 0 and s["run"]["llm"]["calls"] == requests >= n_targets
    assert s["run"]["processed"] == len(SAMPLES) and s["run"]["elapsed_s"] > 0
    assert read_jsonl(out / "errors.jsonl") == []
    # Compacted at the end of the run: one line per document, plus the scored key.
    manifest = read_jsonl(out / "manifest.jsonl")
    assert sorted(r["type"] for r in manifest) == ["doc"] * len(SAMPLES) + ["scored"]

    html = (out / "report.html").read_text(encoding="utf-8")
    assert all(p.name in html for p in SAMPLES) and "总览" in html
    # Self-contained: no external stylesheet, script, image or font.
    assert "<link" not in html and "<script src" not in html and "@import" not in html
    assert not [u for u in __import__("re").findall(r'(?:src|href)="([^"#][^"]*)"', html)]

    # Re-run: every document is unchanged, so nothing is redone and no LLM call is made.
    before = mock_llm.requests
    t0 = time.monotonic()
    again = run_semx("score", CORPUS, "--out", out, "--llm-config", llm_cfg, "--llm-scope", "all-free-text", "-q")
    assert again.returncode == 0, again.stderr
    assert time.monotonic() - t0 < 60
    s2 = _summary(out)
    assert s2["run"]["processed"] == 0 and s2["run"]["skipped_unchanged"] == len(SAMPLES)
    assert s2["run"]["llm"]["calls"] == 0 and mock_llm.requests == before
    assert comparable_outputs(out)["indicators.jsonl"] == rows


# ------------------------------------------------------------------ interrupted run


def _wait_for_first_document(out: Path, proc: subprocess.Popen[str], timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the run ended before it could be interrupted"
        # Replays the journal as the resumed run will (a line being written is ignored).
        n = len(Manifest.load(out)[0].documents)
        if n >= 1:
            return n
        time.sleep(0.02)
    raise AssertionError("no document finished in time")


def test_killed_run_resumes_to_the_same_outputs(tmp_path: Path) -> None:
    # Slow answers (0.15 s, two at a time, 69 targets) keep the run going for seconds after its
    # first document, which has no free-text target and finishes as soon as it is parsed.
    with load_mock().MockServer(latency=0.15) as slow:
        common = ["--llm-scope", "all-free-text", "-j", "2", "--no-embed", "-q"]
        ref_cfg = write_llm_config(tmp_path / "ref.toml", slow.base_url, tmp_path / "cache-ref")
        ref = run_semx("score", CORPUS, "--out", tmp_path / "ref", "--llm-config", ref_cfg, *common)
        assert ref.returncode == 0, ref.stderr

        out = tmp_path / "resumed"
        cfg = write_llm_config(tmp_path / "run.toml", slow.base_url, tmp_path / "cache-run")
        args = ["score", CORPUS, "--out", out, "--llm-config", cfg, *common]
        proc = subprocess.Popen(semx_cmd(*args), env=clean_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, text=True)
        try:
            done = _wait_for_first_document(out, proc)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        assert done < len(SAMPLES), "every document finished before the kill; the test proves nothing"
        # Nothing half-written: every file the killed run left is complete (temporaries aside).
        for p in out.rglob("*"):
            if p.is_file() and p.suffix == ".json":
                json.loads(p.read_text(encoding="utf-8"))
        assert not (out / "summary.json").exists(), "reports are written only at the end of a run"

        resumed = run_semx(*args)
        assert resumed.returncode == 0, resumed.stderr
    s = _summary(out)
    assert s["run"]["skipped_unchanged"] == done and s["run"]["processed"] == len(SAMPLES) - done
    assert not list(out.rglob("*.semx-tmp"))
    # The journal the kill left plus the resumed run's lines, compacted to one line per document.
    assert sorted(r["type"] for r in read_jsonl(out / "manifest.jsonl")) == ["doc"] * len(SAMPLES) + ["scored"]
    assert comparable_outputs(out) == comparable_outputs(tmp_path / "ref")


def test_ctrl_c_compacts_the_manifest_journal(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_semx("score", CORPUS, "--out", out, "--no-llm", "--no-embed", "-q")
    assert first.returncode == 0, first.stderr
    compact = (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(compact) == len(SAMPLES) + 1  # one line per document, and the scored key
    with load_mock().MockServer(latency=0.15) as slow:
        cfg = write_llm_config(tmp_path / "run.toml", slow.base_url, tmp_path / "cache")
        # --force with the LLM on redoes every document: each appends a second line for its sha256.
        proc = subprocess.Popen(semx_cmd("score", CORPUS, "--out", out, "--llm-config", cfg, "--force",
                                         "--llm-scope", "all-free-text", "-j", "2", "--no-embed", "-q"),
                                env=clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        try:
            deadline = time.monotonic() + 120
            while len((out / "manifest.jsonl").read_bytes().splitlines()) <= len(compact):
                assert proc.poll() is None and time.monotonic() < deadline, "no document was redone in time"
                time.sleep(0.02)
            proc.send_signal(signal.SIGINT)
        finally:
            proc.wait(timeout=60)
    assert proc.returncode == 130
    lines = read_jsonl(out / "manifest.jsonl")
    docs = [r["sha256"] for r in lines if r["type"] == "doc"]
    assert len(docs) == len(set(docs)) == len(SAMPLES), "compacted: one line per document, latest record"
    assert len(Manifest.load(out)[0].documents) == len(SAMPLES)


# ------------------------------------------------------------------ bad input


def test_empty_binary_and_gbk_files(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(SAMPLES[2], corpus / "good.txt")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (corpus / "gbk.txt").write_bytes(SAMPLES[3].read_text(encoding="utf-8").encode("gbk"))
    out = tmp_path / "out"
    proc = run_semx("score", corpus, "--out", out, "--no-llm", "--no-embed", "-q")
    assert proc.returncode == 1, proc.stderr
    errors = read_jsonl(out / "errors.jsonl")
    assert sorted(Path(e["path"]).name for e in errors) == ["binary.txt", "empty.txt"]
    assert all(e["kind"] == "bad_input" and e["stage"] == "ingest" and e["message"] for e in errors)
    s = _summary(out)
    assert s["documents"] == 2 and s["failed_documents"] == 2 and s["exit_code"] == 1
    gbk = next(d for d in s["per_document"] if d["document"] == "gbk.txt")
    doc = json.loads((out / gbk["result_file"]).read_text(encoding="utf-8"))
    assert doc["encoding"] == "gb18030" and doc["projects"]
    # The failures are in the report too, and the good files were fully processed.
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "empty.txt" in html and "binary.txt" in html
    assert {r["document"] for r in read_jsonl(out / "indicators.jsonl")} == {"good.txt", "gbk.txt"}


def test_missing_path_is_an_error_not_a_crash(tmp_path: Path) -> None:
    proc = run_semx("score", SAMPLES[2], tmp_path / "nope.txt", "--out", tmp_path / "out", "--no-llm",
                    "--no-embed", "-q")
    assert proc.returncode == 1
    errors = read_jsonl(tmp_path / "out" / "errors.jsonl")
    assert [(Path(e["path"]).name, e["message"]) for e in errors] == [("nope.txt", "no such file")]


def test_format_json_prints_each_document_and_the_failures_beside_them(tmp_path: Path) -> None:
    """The scorer's output contract: `semx score FILE --format json` prints the document's full result,
    every indicator with its source line and its raised flags (code, score, reason)."""
    proc = run_semx("score", SAMPLES[0], "--format", "json", "--no-llm", "--no-embed", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["path"].endswith(SAMPLES[0].name) and doc["score"]["config_version"] >= 1
    indicators = [i for p in doc["projects"] for i in p["indicators"]]
    assert indicators and all(isinstance(i["line"], int) and isinstance(i["flags"], list) for i in indicators)
    flags = [f for i in indicators for f in i["flags"]]
    assert flags and all(f["code"] and 0 <= f["score"] <= 1 and f["reason"] for f in flags)
    assert list(tmp_path.iterdir()) == []  # without --out nothing is left behind

    out = tmp_path / "kept"
    proc = run_semx("score", SAMPLES[2], tmp_path / "nope.txt", "--format", "jsonl", "--out", out, "--no-llm",
                    "--no-embed", "-q", cwd=tmp_path)
    assert proc.returncode == 1
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [Path(x["path"]).name for x in lines] == [SAMPLES[2].name, "nope.txt"]
    assert "projects" in lines[0] and lines[1]["error"]["message"] == "no such file"
    assert (out / "summary.json").exists()  # with --out the files are kept as usual


# ------------------------------------------------------------------ exit codes


def test_fail_on_rules(tmp_path: Path) -> None:
    base = ["score", SAMPLES[2], SAMPLES[3], "--out", tmp_path / "out", "--no-llm", "--no-embed", "-q"]
    plain = run_semx(*base)
    assert plain.returncode == 0, plain.stderr
    by_flag = _summary(tmp_path / "out")["indicators"]["by_flag"]
    code, n = max(by_flag.items(), key=lambda kv: kv[1])  # whichever flag these samples raise most
    assert n >= 1
    tripped = run_semx(*base, "--fail-on", f"{code}>=1")
    assert tripped.returncode == 4, tripped.stderr
    assert f"--fail-on {code}>=1: {n} found" in tripped.stderr
    assert _summary(tmp_path / "out")["exit_code"] == 4
    assert run_semx(*base, "--fail-on", f"{code}>{n}").returncode == 0
    assert run_semx(*base, "--fail-on", f"{code}>={n}").returncode == 4
    assert run_semx(*base, "--fail-on", "no_such_flag>=1").returncode == 0
    bad = run_semx(*base, "--fail-on", code)
    assert bad.returncode == 2 and "CODE>=N" in bad.stderr


# ------------------------------------------------------------------ resumability details


def test_rerun_redoes_only_changed_files_and_force_redoes_all(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for p in SAMPLES[2:4]:
        shutil.copy(p, corpus / p.name)
    out = tmp_path / "out"
    args = ["score", corpus, "--out", out, "--no-llm", "--no-embed", "-q"]
    assert run_semx(*args).returncode == 0
    changed = corpus / SAMPLES[3].name
    changed.write_text(changed.read_text(encoding="utf-8") + "\n附：修改\n", encoding="utf-8")
    assert run_semx(*args).returncode == 0
    assert (_summary(out)["run"]["processed"], _summary(out)["run"]["skipped_unchanged"]) == (1, 1)
    assert run_semx(*args, "--force").returncode == 0
    assert _summary(out)["run"]["processed"] == 2
    # The per-document JSON of the old version of the changed file is not reported.
    assert len(_summary(out)["per_document"]) == 2


def test_documents_without_llm_are_redone_when_the_llm_is_turned_on(tmp_path: Path, llm_cfg: Path) -> None:
    out = tmp_path / "out"
    assert run_semx("score", SAMPLES[0], "--out", out, "--no-llm", "--no-embed", "-q").returncode == 0
    doc = json.loads(next((out / "documents").glob("*.json")).read_text(encoding="utf-8"))
    llm_stage = next(s for s in doc["stages"] if s["stage"] == "llm")
    assert llm_stage["status"] == "skipped" and "--no-llm" in llm_stage["notice"]
    proc = run_semx("score", SAMPLES[0], "--out", out, "--llm-config", llm_cfg, "--no-embed", "-q")
    assert proc.returncode == 0, proc.stderr
    assert _summary(out)["run"]["processed"] == 1
    doc = json.loads(next((out / "documents").glob("*.json")).read_text(encoding="utf-8"))
    assert next(s for s in doc["stages"] if s["stage"] == "llm")["status"] == "ran"
    assert any(t["indicators"] for t in doc["free_text_targets"])


# ------------------------------------------------------------------ stage seams (in-process)


def _run(paths: list[Path], out: Path) -> Any:
    from semx.batch import BatchOptions, run_batch

    return run_batch(BatchOptions(paths=paths, out_dir=out, llm=False, embed=False, progress=False))


def _stored_texts(out: Path) -> set[str]:
    """The texts whose vectors the run's store holds (by their hash, as the store keys them)."""
    import sqlite3

    (db,) = (out / ".work" / "embeddings").glob("*.sqlite")
    with sqlite3.connect(db) as con:
        return {k for (k,) in con.execute("SELECT key FROM emb")}


def test_vectors_are_made_per_document_and_the_scoring_step_only_reads_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from semx.embed.cache import EmbeddingCache
    from semx.embed.encoder import CharNgramEmbedder
    from semx.score.documents import document_texts

    encoded: list[list[str]] = []
    real = CharNgramEmbedder.encode

    def counting(self: CharNgramEmbedder, texts: Any) -> Any:
        encoded.append(list(texts))
        return real(self, texts)

    monkeypatch.setattr(CharNgramEmbedder, "encode", counting)
    out = tmp_path / "out"
    first = _run(SAMPLES[:3], out)
    docs = [ParsedDocument.model_validate_json(p.read_bytes()) for p in sorted((out / "documents").glob("*.json"))]
    wanted = {t for d in docs for t in document_texts(d)}
    # One encode call per document, of that document's strings: none left for the scoring step.
    assert len(encoded) == 3 and {t for call in encoded for t in call} == wanted
    assert first.summary.run.embedded_at_scoring == 0
    assert _stored_texts(out) == {EmbeddingCache.key(t) for t in wanted}

    # A new document makes the corpus be scored again: the unchanged ones' vectors come from the
    # store, only the new one is embedded (by its own per-document step).
    encoded.clear()
    again = _run(SAMPLES[:4], out)
    assert (again.summary.run.processed, again.summary.run.embedded_at_scoring) == (1, 0)
    (new_doc,) = [ParsedDocument.model_validate_json(p.read_bytes()) for p in (out / "documents").glob("*.json")
                  if p.name.startswith(SAMPLES[3].stem)]
    assert encoded == [document_texts(new_doc)]

    # Without the store (a run directory from before it existed) the scoring step embeds the
    # reused documents' strings itself, and says how many: the same results either way.
    shutil.rmtree(out / ".work" / "embeddings")
    encoded.clear()
    third = _run(SAMPLES[:5], out)
    assert third.summary.run.embedded_at_scoring > 0 and len(encoded) == 2
    fresh = _run(SAMPLES[:5], tmp_path / "fresh")
    assert comparable_outputs(out) == comparable_outputs(tmp_path / "fresh")
    assert fresh.summary.run.embedded_at_scoring == 0


def test_checks_are_skipped_with_a_visible_notice_when_tables_fail(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # The stages are plain imports now (a missing module is an install error); what remains is a
    # stage that cannot run because one it needs failed, and a scorer that is switched off.
    import semx.pipeline
    from semx.batch import runner
    from semx.batch.score_stage import ScoreStage

    def broken_tables(doc: Any) -> Any:
        raise RuntimeError("tables broke")

    monkeypatch.setattr(semx.pipeline, "parse_tables", broken_tables)
    monkeypatch.setattr(runner.ScoreStage, "load", classmethod(lambda cls, embed, store_dir=None: ScoreStage(notice="评分模块缺失", enabled=False)))
    result = _run(SAMPLES[2:4], tmp_path / "out")
    s = result.summary
    assert s.stages["tables"].failed == 2
    assert (s.stages["checks"].skipped, s.stages["checks"].notices) == (2, ["数字表阶段未成功，一致性检查未运行"])
    assert (s.stages["score"].skipped, s.stages["score"].notices) == (2, ["评分模块缺失"])
    assert s.findings == {} and s.indicators.flagged == 0 and s.indicators.indicators > 0
    errors = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sum(e["stage"] == "tables" for e in errors) == 2
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "一致性检查未运行" in html and "评分模块缺失" in html


def test_a_stage_bug_fails_one_document_which_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import semx.pipeline

    real = semx.pipeline.parse_targets
    broken = SAMPLES[3].name

    def parse_targets(doc: Any) -> Any:
        if doc.path.endswith(broken):
            raise RuntimeError("boom")
        return real(doc)

    monkeypatch.setattr(semx.pipeline, "parse_targets", parse_targets)
    out = tmp_path / "out"
    result = _run(SAMPLES[2:4], out)
    assert result.exit_code == 3
    [err] = read_jsonl(out / "errors.jsonl")
    assert (Path(err["path"]).name, err["stage"], err["kind"]) == (broken, "targets", "internal")
    assert "RuntimeError: boom" in err["message"] and "test_batch.py" in err["message"]
    # The broken document keeps what the other stages found, and is not marked finished.
    doc = next(d for d in result.summary.per_document if d.document == broken)
    saved = json.loads((out / doc.result_file).read_text(encoding="utf-8"))
    assert {s["stage"]: s["status"] for s in saved["stages"]}["targets"] == "failed" and saved["tables"]
    monkeypatch.setattr(semx.pipeline, "parse_targets", real)
    again = _run(SAMPLES[2:4], out)
    assert again.exit_code == 0 and (again.summary.run.processed, again.summary.run.skipped_unchanged) == (1, 1)
    assert read_jsonl(out / "errors.jsonl") == []


def test_llm_budget_leaves_the_rest_for_the_next_run(tmp_path: Path) -> None:
    sample = next(p for p in SAMPLES if p.name.startswith("003_"))  # nine free-text targets
    with load_mock().MockServer(latency=0.3) as slow:
        cfg = write_llm_config(tmp_path / "semx.toml", slow.base_url, tmp_path / "cache")
        out = tmp_path / "out"
        args = ["score", sample, "--out", out, "--llm-config", cfg, "--llm-scope", "all-free-text", "-j", "1",
                "--no-embed", "-q"]
        first = run_semx(*args, "--llm-budget", "1")  # one request may take half: 0.5 s > latency
        assert first.returncode == 5, first.stderr  # LLM work incomplete (issue 16)
        asked = slow.requests
        doc = json.loads(next((out / "documents").glob("*.json")).read_text(encoding="utf-8"))
        stage = next(s for s in doc["stages"] if s["stage"] == "llm")
        assert stage["status"] == "skipped" and "时间预算" in stage["notice"]
        done = [t for t in doc["free_text_targets"] if t["llm"] is not None]
        assert 1 <= len(done) == asked < len(doc["free_text_targets"])
        assert "时间预算" in (out / "report.html").read_text(encoding="utf-8")

        pending = len(doc["free_text_targets"]) - asked
        assert sum(t["status"] == "pending" for t in doc["llm_tasks"]) == pending
        second = run_semx(*args, "--llm-budget", "0")  # unlimited: finishes the rest
        assert second.returncode == 0, second.stderr
        # The ledger carries the done tasks over: only the pending ones are sent, none from the cache.
        assert slow.requests - asked == pending
    s = _summary(out)
    assert s["run"]["processed"] == 1 and s["run"]["llm"]["cache_hits"] == 0
    doc = json.loads(next((out / "documents").glob("*.json")).read_text(encoding="utf-8"))
    assert all(t["llm"] is not None for t in doc["free_text_targets"])
    assert next(s for s in doc["stages"] if s["stage"] == "llm")["status"] == "ran"
