"""Issue 16 against loopback servers: the trickle is cut, the breaker pauses and recovers, an echoed
key is stored nowhere, and a batch never loses LLM work: failed tasks are listed, exit 5, and a
plain re-run sends exactly those tasks again (counted at the server)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

from semx.llm.client import LLMClient
from semx.llm.ledger import TaskKind, carry_over, merge_llm_results
from semx.llm.stage import LLMSession, run_llm_stage
from semx.llm.store import Store
from semx.llm.tasks import extract_target
from semx.models import ParsedDocument
from tests.batch_support import SAMPLES, clean_env, load_mock, read_jsonl, semx_cmd, write_llm_config
from tests.llm_fixtures.fake_server import FakeOpenAI
from tests.test_llm_faults import GOOD, SECRET, TARGET, config

# ---------------------------------------------------------------- one request


def test_trickled_answer_is_cut_at_the_wall_clock_bound(tmp_path: Path) -> None:
    # ~400 bytes at one per 0.05 s would take ~20 s; every single read is fast, so only a
    # wall-clock bound stops it. timeout=0.5, no retries: the call ends long before the body does.
    started = time.monotonic()
    with FakeOpenAI([("trickle", 0.05, GOOD)]) as srv, \
            LLMClient(config(srv, tmp_path, timeout=0.5, transport_retries=0)) as client:
        target, result = extract_target(client, TARGET, document="t.txt")
    elapsed = time.monotonic() - started
    assert srv.count == 1 and result is not None
    assert target.llm_error is not None and "timeout" in target.llm_error and target.indicators == []
    assert elapsed < 10, elapsed


def test_trickle_then_healthy_answer_is_retried(tmp_path: Path) -> None:
    with FakeOpenAI([("trickle", 0.05, GOOD), ("ok", GOOD)]) as srv, \
            LLMClient(config(srv, tmp_path, timeout=0.5, transport_retries=1)) as client:
        target, result = extract_target(client, TARGET, document="t.txt")
    assert srv.count == 2 and result is not None and result.transport_retries == 1
    assert target.llm_error is None and len(target.indicators) == 2


def test_empty_choices_is_a_clear_message_not_an_index_error(tmp_path: Path) -> None:
    body = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "m", "choices": []}).encode()
    with FakeOpenAI([("body", body)]) as srv, \
            LLMClient(config(srv, tmp_path, transport_retries=1, max_retries=0)) as client:
        target, _ = extract_target(client, TARGET, document="t.txt")
    assert srv.count == 2  # retried once by the transport
    assert target.llm_error is not None and "no choices" in target.llm_error and "IndexError" not in target.llm_error


# ---------------------------------------------------------------- circuit breaker


def test_breaker_pauses_and_the_run_recovers(tmp_path: Path) -> None:
    targets = [TARGET.model_copy(update={"title": f"块{i}"}) for i in range(6)]
    doc = ParsedDocument(path="d.txt", sha256="0", encoding="utf-8", layout="tab", free_text_targets=targets)
    # Three calls fail (two requests each), the breaker opens; its probe finds the endpoint back.
    script: list[tuple[Any, ...]] = [("status", 429, {"Retry-After": "0"})] * 6 + [("ok", GOOD)]
    with FakeOpenAI(script) as srv, \
            LLMClient(config(srv, tmp_path, transport_retries=1, circuit_breaker=3, breaker_cooldown=0.3,
                             breaker_give_up=30.0)) as client:
        out = run_llm_stage(doc, LLMSession(client=client, source="endpoint"), classify=False)
        assert client.breaker.pauses == 1
    assert srv.count == 6 + 3  # no request while paused; the probe and the two blocks after it
    assert [t.status for t in out.llm_tasks] == ["failed"] * 3 + ["done"] * 3
    assert all(t.attempts == 1 for t in out.llm_tasks)


def test_single_document_path_retries_only_failed_tasks(tmp_path: Path) -> None:
    targets = [TARGET.model_copy(update={"title": f"块{i}"}) for i in range(4)]
    doc = ParsedDocument(path="d.txt", sha256="0", encoding="utf-8", layout="tab", free_text_targets=targets)
    with FakeOpenAI([("ok", GOOD), ("status", 400), ("ok", GOOD), ("status", 400)]) as srv, \
            LLMClient(config(srv, tmp_path, transport_retries=0, max_retries=0, cache=False)) as client:
        first = run_llm_stage(doc, LLMSession(client=client, source="endpoint"), classify=False)
    assert [t.status for t in first.llm_tasks] == ["done", "failed", "done", "failed"]
    with FakeOpenAI([("ok", GOOD)]) as srv2, \
            LLMClient(config(srv2, tmp_path, transport_retries=0, max_retries=0, cache=False)) as client:
        second = run_llm_stage(doc, LLMSession(client=client, source="endpoint"), classify=False, previous=first)
    # The cache is off: only the ledger keeps the two done tasks from being sent again.
    assert srv2.count == 2
    assert [t.status for t in second.llm_tasks] == ["done"] * 4
    assert [t.attempts for t in second.llm_tasks] == [1, 2, 1, 2]
    assert all(len(t.indicators) == 2 for t in second.free_text_targets)


def test_carry_over_keeps_failed_tasks_only_when_asked(tmp_path: Path) -> None:
    targets = [TARGET.model_copy(update={"title": f"块{i}"}) for i in range(3)]
    doc = ParsedDocument(path="d.txt", sha256="0", encoding="utf-8", layout="tab", free_text_targets=targets)
    with FakeOpenAI([("ok", GOOD), ("status", 400), ("ok", GOOD)]) as srv, \
            LLMClient(config(srv, tmp_path, transport_retries=0, max_retries=0, cache=False)) as client:
        first = run_llm_stage(doc, LLMSession(client=client, source="endpoint"), classify=False)
    pending = first.llm_tasks[2].model_copy(update={"status": "pending", "reason": "budget"})
    first = first.model_copy(update={"llm_tasks": [*first.llm_tasks[:2], pending]})
    wanted: list[tuple[TaskKind, int]] = [("extract", 0), ("extract", 1), ("extract", 2)]
    _, carried, todo = carry_over(doc, first, wanted)
    assert [t.index for t in carried] == [0] and todo == [("extract", 1), ("extract", 2)]
    kept, carried, todo = carry_over(doc, first, wanted, keep_failed=True)
    assert [t.status for t in carried] == ["done", "failed"] and todo == [("extract", 2)]
    assert kept.free_text_targets[1].llm_error is not None  # the failed item as it was
    merged = merge_llm_results(kept, [], model="m", carried=carried)
    assert any(w.code == "llm_error" and "块1" in w.message for w in merged.warnings)


# ---------------------------------------------------------------- secrets


def test_echoed_key_is_redacted_from_errors_and_the_store(tmp_path: Path) -> None:
    with FakeOpenAI([("echo", 400)]) as srv, \
            LLMClient(config(srv, tmp_path, transport_retries=0, max_retries=0)) as client:
        target, _ = extract_target(client, TARGET, document="t.txt")
    assert srv.headers[0]["authorization"] == f"Bearer {SECRET}"  # the server did echo it
    assert target.llm_error is not None and "[REDACTED]" in target.llm_error and SECRET not in target.llm_error
    for f in (tmp_path / "cache").iterdir():
        assert SECRET.encode() not in f.read_bytes(), f
    store = Store(tmp_path / "cache")
    try:
        assert SECRET not in json.dumps(store.calls(limit=None), ensure_ascii=False)
    finally:
        store.close()


def test_rows_written_before_redaction_are_redacted_when_read(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.close()
    db = sqlite3.connect(tmp_path / "llm.sqlite3")
    cols = [r[1] for r in db.execute("PRAGMA table_info(calls)")]
    row = {c: None for c in cols if c != "id"}
    row.update(run_id="r", ts=0, task="extract", model="m", prompt_version="p", cache_key="k", cached=0, ok=0,
               requests=1, transport_retries=0, validation_retries=0, prompt_tokens=0, completion_tokens=0,
               latency_s=0.0, error=f"HTTP 400: Authorization: Bearer {SECRET}")
    db.execute(f"INSERT INTO calls ({','.join(row)}) VALUES ({','.join('?' * len(row))})", list(row.values()))
    db.commit()
    db.close()
    store = Store(tmp_path)
    try:
        (got,) = store.calls(limit=None)
    finally:
        store.close()
    assert SECRET not in got["error"] and "[REDACTED]" in got["error"]


# ---------------------------------------------------------------- the batch ledger


class _Flaky:
    """The bench mock's valid answers, except that while `failing` is set, every extract request
    whose block hashes into the failing third gets a 503: a deterministic partial outage."""

    def __init__(self) -> None:
        mock = load_mock()
        self.answer = mock.answer
        self.failing = True
        self.requests = 0
        self.failed = 0
        self.echo = False
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                payload = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                owner.requests += 1
                user = payload["messages"][-1]["content"]
                bad = owner.failing and int(hashlib.sha256(user.encode()).hexdigest(), 16) % 3 == 0
                if owner.echo:
                    bad = True
                if bad:
                    owner.failed += 1
                    msg = f"overloaded; your headers: {dict(self.headers.items())}" if owner.echo else "overloaded"
                    body = json.dumps({"error": {"message": msg}}).encode()
                    code = 400 if owner.echo else 503
                else:
                    body, code = json.dumps(owner.answer(payload)).encode(), 200
                self.send_response(code)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _cfg(tmp_path: Path, base_url: str) -> Path:
    cfg = write_llm_config(tmp_path / "llm.toml", base_url, tmp_path / "cache")
    with cfg.open("a", encoding="utf-8") as fh:
        # No transport retries and no breaker pause: each outage answer is one failed task.
        fh.write("transport_retries = 0\ncircuit_breaker = 0\nmax_retries = 0\n")
    return cfg


def _score(out: Path, cfg: Path, *extra: str, env: dict[str, str] | None = None) -> int:
    import subprocess

    doc = SAMPLES[3]  # 003: free-text targets without a table project
    cmd = semx_cmd("score", doc, "--out", out, "--llm-config", cfg, "--no-embed", "-q", "--llm-scope",
                   "all-free-text", *extra)
    return subprocess.run(cmd, check=False, env=env or clean_env(), capture_output=True, text=True,
                          timeout=600).returncode


def test_batch_rerun_sends_exactly_the_failed_tasks(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with _Flaky() as srv:
        cfg = _cfg(tmp_path, srv.base_url)
        assert _score(out, cfg) == 5  # LLM work incomplete
        failed_first = srv.failed
        assert failed_first > 0
        errors = [e for e in read_jsonl(out / "errors.jsonl") if e["kind"] == "llm_failed"]
        assert len(errors) == failed_first and all("503" in e["message"] for e in errors)
        (doc_json,) = (out / "documents").glob("*.json")
        ledger = json.loads(doc_json.read_text(encoding="utf-8"))["llm_tasks"]
        assert sum(t["status"] == "failed" for t in ledger) == failed_first

        # --skip-failed-llm keeps them as they are: no request, still exit 5.
        before = srv.requests
        assert _score(out, cfg, "--skip-failed-llm") == 5
        assert srv.requests == before

        # The endpoint recovers; a plain re-run sends the failed tasks and only those.
        srv.failing = False
        before = srv.requests
        assert _score(out, cfg) == 0
        assert srv.requests - before == failed_first
        assert not [e for e in read_jsonl(out / "errors.jsonl") if e["kind"].startswith("llm_")]
        ledger = json.loads(doc_json.read_text(encoding="utf-8"))["llm_tasks"]
        assert {t["status"] for t in ledger} == {"done"}
        assert sorted(t["attempts"] for t in ledger if t["attempts"] == 2) == [2] * failed_first

        # Nothing left: the next run sends nothing.
        before = srv.requests
        assert _score(out, cfg) == 0 and srv.requests == before


def test_fail_on_llm_failed_off_turns_exit_5_off(tmp_path: Path) -> None:
    with _Flaky() as srv:
        cfg = _cfg(tmp_path, srv.base_url)
        assert _score(tmp_path / "out", cfg, "--fail-on", "llm_failed=off") == 0
        assert srv.failed > 0


def test_echoed_key_is_in_no_output_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with _Flaky() as srv:
        srv.echo = True
        cfg = _cfg(tmp_path, srv.base_url)
        env = {**clean_env(), "SEMX_LLM_API_KEY": SECRET}
        assert _score(out, cfg, env=env) == 5
        assert srv.failed > 0
    files = [p for p in [*out.rglob("*"), *(tmp_path / "cache").rglob("*")] if p.is_file()]
    assert any(p.name == "report.html" for p in files) and any(p.name == "llm.sqlite3" for p in files)
    for p in files:
        assert SECRET.encode() not in p.read_bytes(), p
    assert "[REDACTED]" in (out / "errors.jsonl").read_text(encoding="utf-8")


def test_breaker_pause_ends_with_the_run_budget() -> None:
    from semx.llm.breaker import CircuitBreaker

    now = [0.0]
    b = CircuitBreaker(threshold=1, cooldown=100.0, give_up=1000.0, clock=lambda: now[0])
    b.record(ok=False, endpoint_down=True, error="HTTP 503")
    assert b.is_open
    b.deadline = 5.0
    now[0] = 6.0  # past the budget, long before the cooldown ends: fail fast instead of waiting
    why = b.before_call()
    assert why is not None and "time budget" in why and "HTTP 503" in why
    b.deadline = None
    now[0] = 100.0  # cooldown over: this call is the probe
    assert b.before_call() is None
    b.record(ok=True, endpoint_down=False)
    assert not b.is_open and b.before_call() is None
