"""The loopback mock LLM of the benches (bench/mock_openai.py) answers each prompt's shape validly.

No re-asks allowed (max_retries 0): an answer the real validators reject is an error here, so a mock
that answers the default prompt (extract/v4's span naming) in the wrong shape, with the wrong
numbering or with a name the validators refuse fails these tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from semx.llm.client import LLMClient
from semx.llm.config import LLMConfig
from semx.llm.schemas import squash
from semx.llm.span_extract import block_spans, revision_of, span_values
from semx.llm.tasks import extract_target
from semx.models import FreeTextTarget
from tests.batch_support import load_mock

BLOCKS = [
    FreeTextTarget(title="社区健康讲座", goal_text="提升居民健康素养。",
                   indicator_text="举办健康讲座不少于 8 场，居民知晓率达到 85%，讲座经费控制在3万元以内，年底前完成全部讲座。",
                   start_line=10, end_line=12, indicator_lines=(12, 12)),
    FreeTextTarget(title="党代会经费", goal_text="",
                   indicator_text="2020年1月份完成每年一次的全区党代会；参会人数1000人；制作证件1000份；"
                                  "编印《会议简报》《工作动态》等资料 12 期；统计调查参会人员到场率95%以上；演出无差错。",
                   start_line=1, end_line=2, indicator_lines=(2, 2)),
    # More than SPANS_PER_CALL spans: asked in two parts, each numbered from 1.
    FreeTextTarget(title="基层培训", goal_text="",
                   indicator_text="；".join(f"第{k}期培训班学员 {20 + k} 人" for k in range(1, 11)) + "；培训合格率达到 90%。",
                   start_line=1, end_line=2, indicator_lines=(2, 2)),
]


@pytest.fixture(scope="module")
def mock() -> Iterator[Any]:
    with load_mock().MockServer(latency=0.0) as server:
        yield server


def _client(mock: Any, tmp: Path, **extra: Any) -> LLMClient:
    return LLMClient(LLMConfig.model_validate({"base_url": mock.base_url, "model": "mock", "cache": False,
                                               "cache_dir": tmp, "max_retries": 0, **extra}))


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.title)
def test_default_prompt_is_answered_validly_first_time(mock: Any, tmp_path: Path, block: FreeTextTarget) -> None:
    with _client(mock, tmp_path) as client:
        prompt = client.prompt("extract")
        assert prompt.version == LLMConfig().prompt_extract and prompt.response == "span_naming"
        spans = block_spans(block, revision_of(prompt))
        out, result = extract_target(client, block)
    assert result is not None and result.error is None and out.llm_error is None
    assert result.validation_retries == 0
    assert len(out.indicators) == len(spans) > 0
    for ind in out.indicators:
        assert ind.evidence and squash(ind.evidence) in squash(block.indicator_text)
        assert ind.llm is not None and ind.llm.prompt_version == prompt.id


def test_span_names_are_the_spans_own_words(tmp_path: Path) -> None:
    mod = load_mock()
    block = BLOCKS[1]
    with LLMClient(LLMConfig.model_validate({"base_url": "http://127.0.0.1:9/v1", "cache": False,
                                             "cache_dir": tmp_path})) as client:
        prompt = client.prompt("extract")
        values = span_values(block.title, block_spans(block, revision_of(prompt)), revision_of(prompt))
        payload = {"messages": prompt.messages(values), "response_format": {"type": "json_object"}}
    assert mod.response_shape(payload) == "span_naming"
    lines = values["spans"].splitlines()
    got = mod.span_naming_answer(payload["messages"][-1]["content"])["r"]
    assert [i for i, _, _ in got] == list(range(1, len(lines) + 1))
    for (i, name, _code), line in zip(got, lines, strict=True):
        # Made of the span's characters (a title in 《》 left out; a deadline named as a time).
        assert all(ch in squash(line) for ch in squash(name.removesuffix("时间"))), (i, name, line)
        assert not any(ch.isdigit() for ch in name), name  # the value is not part of the name
    assert [c for _, _, c in got] == ["时效", "数量", "数量", "数量", "质量", "质量"]


def test_v2_whole_extractions_still_answered(mock: Any, tmp_path: Path) -> None:
    with _client(mock, tmp_path, prompt_extract="v2") as client:
        out, result = extract_target(client, BLOCKS[0])
    assert result is not None and result.error is None and result.validation_retries == 0
    assert [i.evidence for i in out.indicators] == ["举办健康讲座不少于 8 场", "居民知晓率达到 85%", "讲座经费控制在3万元以内"]
