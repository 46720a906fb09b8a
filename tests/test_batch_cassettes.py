"""`semx score` with the real model's answers: the LLM cassettes replayed through the whole batch.

The cassettes (cassettes/llm/extract/<sample>/NN.yaml) were recorded on the embedded
Qwen2.5-Coder-1.5B by the LLM tests, with the default extract prompt. Here a loopback server (bench/mock_openai.py in
cassette mode) answers every request whose body was recorded and 404s any other, and the
batch runs in a subprocess exactly as a user runs it. The test needs the cassettes of every
free-text block of sample 003 that states a value (a block without one makes no call) and is
skipped, saying so, until they are recorded.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batch_support import ROOT, SAMPLES, load_mock, read_jsonl, run_semx

from semx.llm.local_server import MODEL_ALIAS
from semx.llm.prompts import load_prompt
from semx.llm.span_extract import block_spans, revision_of
from semx.models import FreeTextTarget
from tests.llm_fixtures.replay import CLASSIFY_VERSION, EXTRACT_VERSION

CASSETTES = ROOT / "cassettes" / "llm"
SAMPLE = next(p for p in SAMPLES if p.name.startswith("003_"))
BLOCKS = ROOT / "tests" / "llm_fixtures" / "blocks" / "003_blocks.json"


def _recorded() -> int:
    return len(list((CASSETTES / "extract" / "003").glob("*.yaml")))


def _blocks() -> int:
    return len(json.loads(BLOCKS.read_text(encoding="utf-8"))) if BLOCKS.exists() else -1


def _called() -> int:
    """Blocks of 003 that make a call: those with a span under the default prompt's grammar."""
    revision = revision_of(load_prompt("extract", EXTRACT_VERSION))
    blocks = [FreeTextTarget.model_validate(b) for b in json.loads(BLOCKS.read_text(encoding="utf-8"))]
    return sum(bool(block_spans(b, revision)) for b in blocks)


@pytest.mark.skipif(_blocks() < 1 or _recorded() < _called(),
                    reason="cassettes of sample 003 not (all) recorded yet; the LLM path is covered with the mock")
def test_batch_replays_the_real_model_answers(tmp_path: Path) -> None:
    with load_mock().MockServer(latency=0.0, cassettes=CASSETTES) as server:
        # The settings the cassettes were recorded with (tests/llm_fixtures/replay.py: replay_config),
        # so every request body is byte-for-byte a recorded one.
        cfg = tmp_path / "replay.toml"
        cfg.write_text(
            f'[llm]\nbase_url = "{server.base_url}"\nmodel = "{MODEL_ALIAS}"\nmode = "JSON"\n'
            "schema_in_response_format = true\ntemperature = 0.0\nmax_tokens = 1536\nmax_retries = 1\n"
            f'prompt_extract = "{EXTRACT_VERSION}"\nprompt_classify = "{CLASSIFY_VERSION}"\ncache = false\n'
            f'cache_dir = "{(tmp_path / "cache").as_posix()}"\n',
            encoding="utf-8",
        )
        out = tmp_path / "out"
        proc = run_semx("score", SAMPLE, "--out", out, "--llm-config", cfg, "--llm-scope", "all-free-text",
                        "--no-embed", "-j", "1", "-q")
        assert proc.returncode == 0, proc.stderr
        assert server.misses == 0, "a request was not in the cassettes: re-record them (see replay.py)"
        assert server.requests >= _called()
    [doc] = [json.loads(p.read_text(encoding="utf-8")) for p in (out / "documents").glob("*.json")]
    llm = next(s for s in doc["stages"] if s["stage"] == "llm")
    assert llm["status"] == "ran"
    targets = doc["free_text_targets"]
    assert len(targets) == _blocks() and sum(t["llm"] is not None for t in targets) == _called()
    extracted = [i for t in targets for i in t["indicators"]]
    assert extracted and all(i["source"] == "llm" and i["evidence"] for i in extracted)
    rows = [r for r in read_jsonl(out / "indicators.jsonl") if r["origin"] == "free_text"]
    assert len(rows) == len(extracted)
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert s["llm"]["model"] == MODEL_ALIAS and s["llm"]["prompt_tokens"] > 0
