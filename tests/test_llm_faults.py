"""Resilience against a scripted loopback server: every failure is retried or reported, never raised.

Backoffs are shrunk through the config so the whole file runs in a few seconds.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest

from semx.llm.client import LLMClient
from semx.llm.config import LLMConfig
from semx.llm.stage import LLMSession, run_llm_stage
from semx.llm.tasks import extract_target
from semx.models import FreeTextTarget, ParsedDocument
from tests.llm_fixtures.fake_server import FakeOpenAI

SECRET = "sk-test-DO-NOT-LEAK-0123456789"

TARGET = FreeTextTarget(
    title="党代会经费",
    goal_text="凝聚共识，齐心发展。",
    indicator_text="参会人数1000人，制作证件1000份，统计调查参会人员到场率95%以上。",
    start_line=110, end_line=114, indicator_lines=(114, 114),
)

GOOD = json.dumps({"indicators": [
    {"evidence": "参会人数1000人", "level3": "参会人数", "op": "=", "number": 1000, "unit": "人",
     "level1": "产出指标", "level2": "数量指标"},
    {"evidence": "到场率95%以上", "level3": "到场率", "op": "≥", "number": 95, "unit": "%",
     "level1": "产出指标", "level2": "质量指标"},
]}, ensure_ascii=False)
INVENTED_QUOTE = GOOD.replace("参会人数1000人", "参会人数1200人").replace("1000,", "1200,")
BAD_CATEGORY = GOOD.replace("质量指标", "投入指标")


def config(srv: FakeOpenAI, tmp_path: Path, **kw: Any) -> LLMConfig:
    base: dict[str, Any] = {
        "base_url": srv.base_url, "api_key": SECRET, "model": "fake-model", "cache_dir": tmp_path / "cache", "cache": False,
        "timeout": 2.0, "transport_retries": 3, "max_retries": 2,
        "backoff_initial": 0.01, "backoff_max": 0.05, "backoff_jitter": 0.01, "time_budget": 10.0,
        # The scripted answers are whole extractions (v2's shape); v3 is tested in test_llm_span_extract.py.
        "prompt_extract": "v2",
    }
    base.update(kw)
    return LLMConfig(**base)


def run(script: list[tuple[Any, ...]], tmp_path: Path, **kw: Any) -> tuple[FreeTextTarget, Any, FakeOpenAI]:
    with FakeOpenAI(script) as srv, LLMClient(config(srv, tmp_path, **kw)) as client:
        target, result = extract_target(client, TARGET, document="fake.txt")
    return target, result, srv


def test_ok_first_time(tmp_path: Path) -> None:
    target, result, srv = run([("ok", GOOD)], tmp_path)
    assert srv.count == 1 and result.requests == 1 and result.validation_retries == 0
    assert [(i.level3, i.value.number) for i in target.indicators] == [("参会人数", 1000), ("到场率", 95)]
    assert target.llm is not None and target.llm.prompt_version == "extract/v2" and target.llm.model == "fake-model"
    assert (target.llm.prompt_tokens, target.llm.completion_tokens) == (11, 7)


def test_timeout_retried_then_ok(tmp_path: Path) -> None:
    target, result, srv = run([("sleep", 1.5, GOOD), ("ok", GOOD)], tmp_path, timeout=0.3)
    assert srv.count == 2 and result.transport_retries == 1 and result.requests == 2
    assert target.llm_error is None and len(target.indicators) == 2


def test_timeout_exhausted_is_reported(tmp_path: Path) -> None:
    target, result, srv = run([("sleep", 1.0, GOOD)], tmp_path, timeout=0.2, transport_retries=2)
    assert srv.count == 3 and result.requests == 3 and result.transport_retries == 2
    assert target.indicators == [] and target.llm_error is not None and "timeout" in target.llm_error


def test_429_honours_retry_after(tmp_path: Path) -> None:
    started = time.monotonic()
    target, result, srv = run([("status", 429, {"Retry-After": "0.6"}), ("ok", GOOD)], tmp_path)
    elapsed = time.monotonic() - started
    # backoff_max is 0.05 s, so waiting >= 0.6 s can only come from the server's Retry-After.
    assert elapsed >= 0.6
    assert srv.count == 2 and result.transport_retries == 1 and target.llm_error is None


def test_429_forever_is_reported(tmp_path: Path) -> None:
    target, _result, srv = run([("status", 429, {"Retry-After": "0"})], tmp_path, transport_retries=2)
    assert srv.count == 3 and target.llm_error is not None and "429" in target.llm_error


def test_5xx_retried_then_ok(tmp_path: Path) -> None:
    target, result, srv = run([("status", 500), ("status", 503), ("ok", GOOD)], tmp_path)
    assert srv.count == 3 and result.transport_retries == 2 and result.validation_retries == 0
    assert len(target.indicators) == 2


def test_5xx_exhausted_is_reported(tmp_path: Path) -> None:
    target, _result, srv = run([("status", 500)], tmp_path, transport_retries=3)
    assert srv.count == 4 and target.llm_error is not None and "500" in target.llm_error


def test_4xx_not_retried(tmp_path: Path) -> None:
    target, _result, srv = run([("status", 400)], tmp_path)
    assert srv.count == 1 and target.llm_error is not None and "400" in target.llm_error


def test_time_budget_stops_retries(tmp_path: Path) -> None:
    started = time.monotonic()
    target, _result, srv = run([("status", 503, {"Retry-After": "0.4"})], tmp_path, transport_retries=50,
                              time_budget=1.0)
    assert time.monotonic() - started < 3.0
    assert 2 <= srv.count < 10 and target.llm_error is not None


def test_malformed_json_answer_is_reasked(tmp_path: Path) -> None:
    target, result, srv = run([("ok", '{"indicators": [{"evidence": "参会'), ("ok", GOOD)], tmp_path)
    assert srv.count == 2 and result.validation_retries == 1 and result.transport_retries == 0
    assert len(target.indicators) == 2
    # The re-ask carries the bad answer and the parse error back to the model.
    reask = srv.requests[1]["messages"]
    assert reask[-2]["role"] == "assistant" and "Correct your JSON" in reask[-1]["content"]


def test_malformed_json_forever_is_bounded(tmp_path: Path) -> None:
    target, _result, srv = run([("ok", "not json at all")], tmp_path, max_retries=1)
    assert srv.count == 2 and target.llm_error is not None and "invalid answer after 2 attempts" in target.llm_error


def test_malformed_http_body_is_retried_then_reported(tmp_path: Path) -> None:
    # A 200 whose body is no completion (a proxy's error page) is a fault of the way there: the
    # transport retries it like a 5xx (issue 16: it used to go straight to a validation failure),
    # then the call fails with a message that says what came back.
    target, result, srv = run([("body", b"<html>proxy error</html>")], tmp_path, max_retries=0)
    assert srv.count == 4 and result.requests == 4 and result.transport_retries == 3
    assert target.llm_error is not None and target.indicators == []
    assert target.llm_error.startswith("malformed answer from endpoint") and "<html>" in target.llm_error


def test_malformed_body_then_good_answer(tmp_path: Path) -> None:
    target, result, srv = run([("body", b"{\"choices\": ["), ("ok", GOOD)], tmp_path, max_retries=0)
    assert srv.count == 2 and result.transport_retries == 1
    assert target.llm_error is None and len(target.indicators) == 2


def test_schema_invalid_answer_is_reasked_with_the_error(tmp_path: Path) -> None:
    target, result, srv = run([("ok", INVENTED_QUOTE), ("ok", BAD_CATEGORY), ("ok", GOOD)], tmp_path)
    assert srv.count == 3 and result.validation_retries == 2 and target.llm_error is None
    assert "不是原文中的原句" in srv.requests[1]["messages"][-1]["content"]
    assert "投入指标" in srv.requests[2]["messages"][-1]["content"]
    assert target.llm is not None and target.llm.attempts == 3


def test_schema_invalid_forever_is_bounded(tmp_path: Path) -> None:
    target, result, srv = run([("ok", INVENTED_QUOTE)], tmp_path, max_retries=2)
    assert srv.count == 3 and result.validation_retries == 2
    assert target.llm_error is not None and "invalid answer after 3 attempts" in target.llm_error


def test_connection_refused_is_reported(tmp_path: Path) -> None:
    with FakeOpenAI([("ok", GOOD)]) as srv:
        dead_url = srv.base_url
    cfg = LLMConfig(base_url=dead_url, model="m", cache_dir=tmp_path, cache=False, transport_retries=2, prompt_extract="v2",
                    backoff_initial=0.01, backoff_jitter=0.01, timeout=1.0)
    with LLMClient(cfg) as client:
        target, result = extract_target(client, TARGET)
    assert result is not None and result.requests == 3 and result.transport_retries == 2
    assert target.llm_error is not None and "connection" in target.llm_error


def test_one_failing_block_does_not_stop_the_document(tmp_path: Path) -> None:
    other = TARGET.model_copy(update={"title": "第二块"})
    third = TARGET.model_copy(update={"title": "第三块"})
    doc = ParsedDocument(path="x/doc.txt", sha256="0", encoding="utf-8", layout="tab",
                         free_text_targets=[TARGET, other, third])
    # Block 2 gets four 500s (transport_retries=3 -> 4 requests), the others answer.
    script = [("ok", GOOD), ("status", 500), ("status", 500), ("status", 500), ("status", 500), ("ok", GOOD)]
    with FakeOpenAI(script) as srv, LLMClient(config(srv, tmp_path)) as client:
        out = run_llm_stage(doc, LLMSession(client=client, source="endpoint"), classify=False)
    assert srv.count == 6
    errs = [t.llm_error for t in out.free_text_targets]
    assert errs[0] is None and errs[2] is None and errs[1] is not None and "500" in errs[1]
    assert [len(t.indicators) for t in out.free_text_targets] == [2, 0, 2]
    assert out.llm_usage is not None and out.llm_usage.errors == 1 and out.llm_usage.calls == 6
    assert out.llm_usage.transport_retries == 3
    assert any(w.code == "llm_error" for w in out.warnings)


def test_skipped_stage_says_so() -> None:
    doc = ParsedDocument(path="d.txt", sha256="0", encoding="utf-8", layout="tab", free_text_targets=[TARGET])
    out = run_llm_stage(doc, LLMSession(client=None, notice="LLM stage skipped: no endpoint"))
    assert out.llm_usage is not None and out.llm_usage.status == "skipped" and "no endpoint" in (out.llm_usage.notice or "")


def test_api_key_never_logged_or_stored(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _target, _result, srv = run([("status", 500), ("ok", INVENTED_QUOTE), ("ok", GOOD)], tmp_path, cache=True)
    assert srv.headers[0]["authorization"] == f"Bearer {SECRET}"  # it did reach the server...
    assert SECRET not in caplog.text  # ...but not the logs,
    for f in (tmp_path / "cache").iterdir():  # nor the cache/log database.
        assert SECRET.encode() not in f.read_bytes()


def test_dead_endpoint_pauses_then_gives_up(tmp_path: Path) -> None:
    targets = [TARGET.model_copy(update={"title": f"块{i}"}) for i in range(6)]
    doc = ParsedDocument(path="d.txt", sha256="0", encoding="utf-8", layout="tab", free_text_targets=targets)
    started = time.monotonic()
    with FakeOpenAI([("status", 503)]) as srv, \
            LLMClient(config(srv, tmp_path, transport_retries=1, circuit_breaker=3, breaker_cooldown=0.2,
                             breaker_give_up=1.0)) as client:
        out = run_llm_stage(doc, LLMSession(client=client, source="endpoint"), classify=False)
    # Three calls of two requests each open the breaker; then it pauses and probes (0.2 s, 0.4 s, ...)
    # instead of sending every block, and gives up after 1 s: the rest fail fast, as failed tasks.
    assert time.monotonic() - started >= 1.0
    assert 6 < srv.count < 12
    errors = [t.llm_error or "" for t in out.free_text_targets]
    assert all("503" in e for e in errors[:3]) and "breaker gave up" in errors[-1]
    assert [t.status for t in out.llm_tasks] == ["failed"] * 6


def test_bad_answers_do_not_open_the_circuit(tmp_path: Path) -> None:
    targets = [TARGET.model_copy(update={"title": f"块{i}"}) for i in range(4)]
    doc = ParsedDocument(path="d.txt", sha256="0", encoding="utf-8", layout="tab", free_text_targets=targets)
    with FakeOpenAI([("ok", "garbage")]) as srv, \
            LLMClient(config(srv, tmp_path, max_retries=0, circuit_breaker=2)) as client:
        run_llm_stage(doc, LLMSession(client=client, source="endpoint"), classify=False)
    assert srv.count == 4  # the model is bad, the endpoint is fine: every block still gets its call


def test_failed_answer_keeps_its_valid_indicators(tmp_path: Path) -> None:
    one_bad = json.dumps({"indicators": [
        json.loads(GOOD)["indicators"][0],
        {"evidence": "到场率99%以上", "level3": "到场率", "op": "≥", "number": 99, "unit": "%",
         "level1": "产出指标", "level2": "质量指标"},
    ]}, ensure_ascii=False)
    target, _result, srv = run([("ok", one_bad)], tmp_path, max_retries=1)
    assert srv.count == 2  # one re-ask, still invalid
    assert [i.evidence for i in target.indicators] == ["参会人数1000人"]
    assert target.llm_error is not None and target.llm_error.startswith("partial: kept 1 of 2 indicators")


def test_truncated_answer_keeps_its_complete_items(tmp_path: Path) -> None:
    cut = GOOD[: GOOD.index("到场率") + 3]  # the second item is cut inside its quote
    target, _result, srv = run([("ok", cut)], tmp_path, max_retries=0)
    assert srv.count == 1 and [i.value.number for i in target.indicators] == [1000]
    assert target.llm_error is not None and target.llm_error.startswith("partial: kept 1 of 2")
