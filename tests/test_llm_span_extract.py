"""extract/v3 against a scripted endpoint: the model names spans, the text supplies everything else."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from semx.llm.client import LLMClient
from semx.llm.config import LLMConfig
from semx.llm.tasks import extract_target
from semx.models import FreeTextTarget
from tests.llm_fixtures.fake_server import FakeOpenAI

TARGET = FreeTextTarget(
    title="社区健康讲座",
    goal_text="提升居民健康素养。",
    indicator_text="举办健康讲座不少于 8 场，居民知晓率达到 85%，讲座经费控制在3万元以内，年底前完成全部讲座。",
    start_line=10, end_line=12, indicator_lines=(12, 12),
)
NAMES = json.dumps({"r": [[1, "健康讲座场次", "数量"], [2, "居民知晓率", "社会"], [3, "讲座经费", "成本"],
                          [4, "讲座完成时间", "时效"]]}, ensure_ascii=False)


def _cfg(srv: FakeOpenAI, tmp: Path) -> LLMConfig:
    return LLMConfig.model_validate({"base_url": srv.base_url, "model": "fake-model", "cache_dir": tmp, "cache": False,
                                     "prompt_extract": "v3", "max_retries": 1, "backoff_initial": 0.01,
                                     "backoff_jitter": 0.01})


def test_names_from_model_values_and_quotes_from_text(tmp_path: Path) -> None:
    with FakeOpenAI([("ok", NAMES)]) as srv, LLMClient(_cfg(srv, tmp_path)) as client:
        out, result = extract_target(client, TARGET)
        sent = srv.requests[0]["messages"][-1]["content"]
        assert srv.requests[0]["max_tokens"] == 400  # the prompt's cap, below the config's 1536
    assert result is not None and result.error is None and out.llm_error is None
    assert "1. 举办健康讲座不少于 8 场" in sent and "4. 年底前完成全部讲座" in sent
    got = [(i.level3, i.level1, i.level2, i.value.op, i.value.number, i.value.unit, i.evidence) for i in out.indicators]
    assert got == [
        ("健康讲座场次", "产出指标", "数量指标", "≥", Decimal(8), "场", "举办健康讲座不少于 8 场"),
        ("居民知晓率", "效益指标", "社会效益指标", "≥", Decimal(85), "%", "居民知晓率达到 85%"),
        ("讲座经费", "产出指标", "成本指标", "≤", Decimal(3), "万元", "讲座经费控制在3万元以内"),
        ("讲座完成时间", "产出指标", "时效指标", None, None, None, "年底前完成全部讲座"),
    ]
    assert all(i.llm is not None and i.llm.prompt_version == "extract/v3" for i in out.indicators)


def test_bad_answer_is_reasked_then_spans_are_named_from_their_quote(tmp_path: Path) -> None:
    # Span 2 missing and span 1 named by its category: re-asked once (max_retries 1), still wrong.
    bad = json.dumps({"r": [[1, "数量", "数量"], [3, "讲座经费", "成本"], [4, "讲座完成时间", "时效"]]},
                     ensure_ascii=False)
    with FakeOpenAI([("ok", bad)]) as srv, LLMClient(_cfg(srv, tmp_path)) as client:
        out, result = extract_target(client, TARGET)
        assert srv.count == 2
    assert result is not None and result.error is not None
    # Nothing lost: all four spans are indicators; the two the model did not name say so in llm_error.
    assert len(out.indicators) == 4
    assert out.llm_error is not None and out.llm_error.startswith("partial: 2 of 4 spans named from their quote")
    assert [i.level3 for i in out.indicators] == ["举办健康讲座", "居民知晓率", "讲座经费", "讲座完成时间"]
    assert out.indicators[1].level2 == "质量指标"  # fallback category from "率" and "%"


def test_block_without_spans_makes_no_call(tmp_path: Path) -> None:
    vague = TARGET.model_copy(update={"indicator_text": "进一步提高服务水平。", "goal_text": "有效促进健康。"})
    with FakeOpenAI([("ok", NAMES)]) as srv, LLMClient(_cfg(srv, tmp_path)) as client:
        out, result = extract_target(client, vague)
        assert srv.count == 0
    assert result is None and out.indicators == [] and out.llm_error is None


def test_answer_that_splits_a_span_is_not_salvaged_out_of_line(tmp_path: Path) -> None:
    # Span 1 split into two items: items 2.. belong to other spans than their numbers say.
    split = json.dumps({"r": [[1, "健康讲座场次", "数量"], [2, "讲座场地数量", "数量"], [3, "居民知晓率", "社会"],
                              [4, "讲座经费", "成本"], [5, "讲座完成时间", "时效"]]}, ensure_ascii=False)
    with FakeOpenAI([("ok", split)]) as srv, LLMClient(_cfg(srv, tmp_path)) as client:
        out, _ = extract_target(client, TARGET)
    assert out.llm_error is not None and out.llm_error.startswith("partial: 4 of 4 spans named from their quote")
    assert [i.level3 for i in out.indicators] == ["举办健康讲座", "居民知晓率", "讲座经费", "完成全部讲座"]


def test_text_that_names_its_quantity_keeps_its_own_name() -> None:
    from semx.llm.span_extract import text_name
    from semx.llm.spans import find_spans

    named, unnamed, too_long = find_spans("新建村级文化广场数量不少于 6 个，先后3次举办文艺汇演，"
                                          "全县各乡镇各村各社区各单位的文化活动室标准化建设达标率 80%")
    assert text_name(named) == "新建村级文化广场数量"
    assert text_name(unnamed) is None  # the value comes first: the model names it
    assert text_name(too_long) is None  # 20+ characters is a sentence, not a name


def test_one_span_may_carry_two_names_sharing_its_value(tmp_path: Path) -> None:
    one = FreeTextTarget(title="培训", goal_text="", indicator_text="讲座完成率和学员合格率均达到 90%",
                         start_line=1, end_line=2, indicator_lines=(2, 2))
    two = json.dumps({"r": [[1, "讲座完成率", "质量"], [2, "学员合格率", "质量"]]}, ensure_ascii=False)
    with FakeOpenAI([("ok", two)]) as srv, LLMClient(_cfg(srv, tmp_path)) as client:
        out, _ = extract_target(client, one)
        assert srv.count == 1
    assert out.llm_error is None
    assert [(i.level3, i.value.number) for i in out.indicators] == [("讲座完成率", Decimal(90)), ("学员合格率", Decimal(90))]


V4_TARGET = FreeTextTarget(
    title="农村文化活动",
    goal_text="丰富群众文化生活。",
    indicator_text="5月份完成年度文艺汇演，走访 30 户文化户，活动场地合格率 95%，演出无差错。",
    start_line=20, end_line=22, indicator_lines=(22, 22),
)


def test_v4_keeps_name_and_category_consistent_with_the_unit(tmp_path: Path) -> None:
    # The model's answer as a small model gives it: the date named as a count, the household count
    # named by the thing and filed as a deadline, a percentage filed as money.
    answer = json.dumps({"r": [[1, "文艺汇演次数", "数量"], [2, "走访文化户", "时效"], [3, "活动场地合格率", "成本"],
                               [4, "演出差错", "质量"]]}, ensure_ascii=False)
    cfg = {"base_url": "", "model": "fake-model", "cache_dir": tmp_path, "cache": False, "prompt_extract": "v4",
           "max_retries": 0}
    with FakeOpenAI([("ok", answer)]) as srv:
        cfg["base_url"] = srv.base_url
        with LLMClient(LLMConfig.model_validate(cfg)) as client:
            out, result = extract_target(client, V4_TARGET)
    assert result is not None and result.error is None and out.llm_error is None
    got = [(i.level3, i.level2, i.value.op, i.value.number, i.value.unit) for i in out.indicators]
    assert got == [
        ("文艺汇演时间", "时效指标", None, Decimal(5), "月份"),
        ("走访文化户数", "数量指标", None, Decimal(30), "户"),
        ("活动场地合格率", "质量指标", None, Decimal(95), "%"),
        ("演出差错", "质量指标", "=", Decimal(0), "次"),
    ]
    assert all(i.llm is not None and i.llm.prompt_version == "extract/v4" for i in out.indicators)
