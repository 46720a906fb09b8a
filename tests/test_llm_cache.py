"""The on-disk cache: a second identical run costs zero HTTP calls and zero tokens."""

from __future__ import annotations

import json
from pathlib import Path

from semx.llm.client import LLMClient
from semx.llm.config import LLMConfig
from semx.llm.store import Store
from semx.llm.tasks import extract_target
from tests.llm_fixtures.fake_server import FakeOpenAI
from tests.test_llm_faults import GOOD, TARGET


def _cfg(srv: FakeOpenAI, cache_dir: Path, **kw: object) -> LLMConfig:
    fields: dict[str, object] = {"base_url": srv.base_url, "model": "fake-model", "cache_dir": cache_dir,
                                 "backoff_initial": 0.01, "backoff_jitter": 0.01,
                                 "prompt_extract": "v2", **kw}  # GOOD is a whole extraction, v2's answer shape
    return LLMConfig.model_validate(fields)


def test_second_run_makes_zero_http_calls(tmp_path: Path) -> None:
    with FakeOpenAI([("ok", GOOD)]) as srv:
        with LLMClient(_cfg(srv, tmp_path)) as client:
            first, r1 = extract_target(client, TARGET, document="a.txt")
        assert r1 is not None and srv.count == 1 and r1.info.cached is False and r1.info.prompt_tokens == 11
        with LLMClient(_cfg(srv, tmp_path)) as client:  # a new process would look the same
            second, r2 = extract_target(client, TARGET, document="a.txt")
        assert srv.count == 1, "the second run must be served from the cache"
    assert r2 is not None and r2.info.cached is True and r2.requests == 0
    assert (r2.info.prompt_tokens, r2.info.completion_tokens) == (0, 0)
    assert [i.model_dump(exclude={"llm"}) for i in second.indicators] == [
        i.model_dump(exclude={"llm"}) for i in first.indicators]


def test_cache_key_changes_with_prompt_version_model_and_input(tmp_path: Path) -> None:
    with FakeOpenAI([("ok", GOOD)]) as srv:
        for cfg in (_cfg(srv, tmp_path, prompt_extract="v1"), _cfg(srv, tmp_path, prompt_extract="v2"),
                    _cfg(srv, tmp_path, prompt_extract="v1", model="other")):
            with LLMClient(cfg) as client:
                extract_target(client, TARGET)
        assert srv.count == 3
        changed = TARGET.model_copy(update={"goal_text": "凝聚共识。"})
        with LLMClient(_cfg(srv, tmp_path)) as client:
            extract_target(client, changed)
            extract_target(client, TARGET)  # unchanged input: still cached
        assert srv.count == 4


def test_cache_disabled_always_calls_but_still_logs(tmp_path: Path) -> None:
    with FakeOpenAI([("ok", GOOD)]) as srv:
        for _ in range(2):
            with LLMClient(_cfg(srv, tmp_path, cache=False)) as client:
                extract_target(client, TARGET, document="a.txt")
        assert srv.count == 2
    store = Store(tmp_path)
    rows = store.calls(limit=None)
    store.close()
    assert len(rows) == 2 and all(r["cached"] == 0 for r in rows)
    # The log keeps what was sent and what came back, for `semx logs --show`.
    assert "党代会经费" in rows[0]["messages_json"] and json.loads(rows[0]["responses_json"])[0]["content"] == GOOD


def test_logs_command_lists_and_shows_calls(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import typer
    from typer.testing import CliRunner

    from semx.llm.cli import logs_command

    with FakeOpenAI([("ok", GOOD)]) as srv, LLMClient(_cfg(srv, tmp_path)) as client:
        _, result = extract_target(client, TARGET, document="003_x.txt")
    assert result is not None and result.log_id is not None
    monkeypatch.setenv("SEMX_CACHE_DIR", str(tmp_path))
    app = typer.Typer()
    app.command("logs")(logs_command)
    app.command("noop")(lambda: None)  # two commands, so typer keeps "logs" as a subcommand
    runner = CliRunner()
    listed = runner.invoke(app, ["logs", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    assert rows[0]["document"] == "003_x.txt" and rows[0]["prompt_tokens"] == 11
    shown = runner.invoke(app, ["logs", "--show", str(result.log_id)])
    assert shown.exit_code == 0 and "参会人数1000人" in shown.output and "answer 1" in shown.output
    stats = runner.invoke(app, ["logs", "--stats", "--json"])
    assert json.loads(stats.output)["total"]["calls"] == 1


def test_loopback_port_does_not_split_the_cache() -> None:
    from semx.llm.store import cache_key

    def key(url: str) -> str:
        return cache_key(endpoint=url, model="m", prompt_id="extract/v1", prompt_digest="d", schema="s",
                         payload={"a": "b"})

    assert key("http://127.0.0.1:8765/v1") == key("http://localhost:40123/v1")
    assert key("https://api.deepseek.com/v1") != key("https://api.openai.com/v1")
    assert key("https://user:pw@api.deepseek.com/v1?k=1") == key("https://api.deepseek.com/v1")
