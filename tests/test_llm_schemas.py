"""Validators of the LLM response models, config and prompt files (no HTTP)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from semx.llm.config import load_config
from semx.llm.prompts import list_prompts, load_prompt
from semx.llm.schemas import Classification, Extraction, numbers_in
from semx.vocab.categories import same_category

SOURCE = "党代会经费\n凝聚共识。\n参会人数1000人，制作证件1000份，统计调查参会人员到场率95%以上，走访 2 家企业，两个国家。"


def ind(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {"evidence": "参会人数1000人", "level3": "参会人数", "op": "=", "number": 1000,
                               "unit": "人", "level1": "产出指标", "level2": "数量指标"}
    base.update(kw)
    return base


def parse(*items: dict[str, object]) -> Extraction:
    return Extraction.model_validate_json(json.dumps({"indicators": list(items)}, ensure_ascii=False),
                                          context={"source": SOURCE})


def test_valid_extraction_passes() -> None:
    out = parse(ind(), ind(evidence="到场率95%以上", level3="到场率", op="≥", number=95, unit="%",
                           level2="质量指标"))
    assert [i.number for i in out.indicators] == [1000, 95]


def test_quote_not_in_source_rejected() -> None:
    with pytest.raises(ValidationError, match="不是原文中的原句"):
        parse(ind(evidence="参会人数2000人", number=2000))


def test_quote_whitespace_and_fullwidth_tolerated() -> None:
    # The source has "走访 2 家企业"; a quote without the layout spaces or with a full-width digit is faithful.
    parse(ind(evidence="走访2家企业", number=2, unit="家"))
    parse(ind(evidence="走访２家企业", number=2, unit="家"))


def test_number_must_appear_in_quote() -> None:
    with pytest.raises(ValidationError, match="number not in quote"):
        parse(ind(number=100))
    with pytest.raises(ValidationError, match="number not in quote"):
        parse(ind(evidence="到场率95%以上", number=0.95, unit="%", level2="质量指标"))


def test_chinese_numeral_counts_as_number() -> None:
    parse(ind(evidence="两个国家", number=2, unit="个"))
    assert Decimal(12) in numbers_in("十二期") and Decimal(1000) in numbers_in("1,000份")


def test_category_outside_hierarchy_rejected() -> None:
    with pytest.raises(ValidationError):
        parse(ind(level1="投入指标"))
    with pytest.raises(ValidationError):
        parse(ind(level2="效率指标"))


def test_impossible_pair_repaired_from_level2() -> None:
    out = parse(ind(level1="效益指标", level2="数量指标"), ind(level1="产出指标", level2="社会效益指标"),
                ind(level1="成本指标", level2="成本指标"), ind(level1="产出指标", level2="成本指标"))
    assert [(i.level1, i.level2) for i in out.indicators] == [
        ("产出指标", "数量指标"), ("效益指标", "社会效益指标"), ("成本指标", "成本指标"), ("产出指标", "成本指标")]


def test_category_aliases_normalised() -> None:
    out = parse(ind(level1="效果指标", level2="社会效益"), ind(level1="成本指标", level2="成本指标"))
    assert (out.indicators[0].level1, out.indicators[0].level2) == ("效益指标", "社会效益指标")
    assert out.indicators[1].level1 == "成本指标"


def test_classification_must_cover_every_index() -> None:
    item = {"index": 1, "level1": "产出指标", "level2": "数量指标", "reason": "人数"}
    ok = Classification.model_validate({"items": [item, {**item, "index": 2}]}, context={"indexes": [1, 2]})
    assert len(ok.items) == 2
    with pytest.raises(ValidationError, match="index"):
        Classification.model_validate({"items": [item]}, context={"indexes": [1, 2]})


def test_same_category_accepts_cost_both_ways() -> None:
    assert same_category("产出指标", "成本指标", "成本指标", "成本指标")
    assert same_category("效果指标", "社会效益", "效益指标", "社会效益指标")
    assert not same_category("产出指标", "数量指标", "产出指标", "质量指标")


def test_prompts_have_front_matter_and_v2_examples_validate() -> None:
    assert {("extract", "v1"), ("extract", "v2"), ("classify", "v1"), ("classify", "v2")} <= set(list_prompts())
    for task in ("extract", "classify"):
        v1, v2 = load_prompt(task, "v1"), load_prompt(task, "v2")
        assert v1.digest != v2.digest and v1.system != v2.system
        assert v1.description and v2.examples
    # Few-shot answers are shown to the model as correct: they must pass our own validators.
    ex = load_prompt("extract", "v2").examples[0]
    src = "\n".join(ex["input"].values())
    Extraction.model_validate(ex["output"], context={"source": src})
    cx = load_prompt("classify", "v2").examples[0]
    Classification.model_validate(cx["output"], context={"indexes": [1, 2, 3, 4, 5]})


def test_installed_prompts_fall_back_to_the_data_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         request: pytest.FixtureRequest) -> None:
    # As in a wheel install: no prompts/ next to semx, the files in the semx_prompts package instead.
    import shutil
    import sys

    import semx.llm.prompts as prompts_mod

    # Do not leave a semx_prompts imported from this test's temporary folder to later tests.
    request.addfinalizer(lambda: sys.modules.pop(prompts_mod.PROMPTS_PACKAGE, None))
    repo = Path(prompts_mod.__file__).resolve().parents[2]
    site = tmp_path / "site-packages"
    shutil.copytree(repo / "prompts", site / prompts_mod.PROMPTS_PACKAGE)
    monkeypatch.setattr(prompts_mod, "__file__", str(site / "semx" / "llm" / "prompts.py"))
    monkeypatch.syspath_prepend(str(site))
    assert prompts_mod.default_prompts_dir() == site / prompts_mod.PROMPTS_PACKAGE
    assert set(list_prompts()) == set(list_prompts(repo / "prompts"))
    for task, version in list_prompts():
        # Same bytes, same digest: cache entries and cassettes recorded in the checkout stay valid.
        assert load_prompt(task, version).digest == load_prompt(task, version, repo / "prompts").digest
    # An explicit folder (SEMX_PROMPTS_DIR / prompts_dir) still wins over the package.
    (tmp_path / "mine" / "extract").mkdir(parents=True)
    shutil.copy(repo / "prompts" / "extract" / "v1.md", tmp_path / "mine" / "extract" / "v1.md")
    assert list_prompts(tmp_path / "mine") == [("extract", "v1")]


def test_wheel_lists_every_semx_package() -> None:
    # pyproject.toml lists packages by hand (to map semx_prompts -> prompts/); one missing there
    # would silently be left out of the wheel.
    import tomllib

    from setuptools import find_namespace_packages

    root = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    semx = {p for p in find_namespace_packages(str(root), include=["semx", "semx.*"]) if "__pycache__" not in p}
    prompts = {f"semx_prompts.{d.name}" for d in (root / "prompts").iterdir() if d.is_dir() and d.name != "__pycache__"}
    assert semx | {"semx_prompts"} | prompts == listed


def test_config_env_over_file_and_key_hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg_file = tmp_path / "semx.toml"
    cfg_file.write_text('[llm]\nbase_url = "http://127.0.0.1:1/v1"\nmodel = "a"\nmode = "md_json"\n'
                        'api_key_env = "MY_KEY_VAR"\nconcurrency = 3\n', encoding="utf-8")
    monkeypatch.setenv("MY_KEY_VAR", "sk-verysecret123")
    monkeypatch.setenv("SEMX_LLM_MODEL", "b")
    monkeypatch.setenv("SEMX_CACHE_DIR", str(tmp_path / "c"))
    cfg = load_config(cfg_file)
    assert (cfg.base_url, cfg.model, cfg.mode, cfg.concurrency) == ("http://127.0.0.1:1/v1", "b", "MD_JSON", 3)
    assert cfg.cache_dir == tmp_path / "c"
    assert cfg.api_key is not None and cfg.api_key.get_secret_value() == "sk-verysecret123"
    assert "sk-verysecret123" not in repr(cfg) and "sk-verysecret123" not in json.dumps(cfg.public_dict())


def test_quote_marks_are_typography() -> None:
    # The model writes “…” as \"…\" inside JSON; that is still the source's wording.
    src = "组织开展了“我为群众办实事”“缅怀革命英烈”等系列活动，参加 2 次"
    ok = Extraction.model_validate({"indicators": [ind(evidence='组织开展了"我为群众办实事""缅怀革命英烈"等系列活动',
                                                        number=None, op=None, unit=None)]}, context={"source": src})
    assert len(ok.indicators) == 1
    with pytest.raises(ValidationError):
        Extraction.model_validate({"indicators": [ind(evidence='组织开展了"我为人民办实事"', number=None)]},
                                  context={"source": src})


def test_quote_comparator_and_unit_fill_the_models_gaps() -> None:
    from semx.llm.schemas import ExtractedIndicator
    from semx.llm.tasks import to_indicator
    from semx.models import FreeTextTarget, LLMInfo

    block = FreeTextTarget(title="t", goal_text="g", indicator_text="上报信息数量大于等于 300 条，参会人数1000人。",
                           start_line=5, end_line=7, indicator_lines=(7, 7))
    info = LLMInfo(task="extract", model="m", prompt_version="extract/v1")
    said = ExtractedIndicator(evidence="上报信息数量大于等于 300 条", level3="信息数量", op=">", number=300, unit=None,
                              level1="产出指标", level2="数量指标")
    got = to_indicator(said, block, info)
    assert (got.value.op, got.value.number, got.value.unit, got.value.kind) == ("≥", Decimal(300), "条", "count")
    assert got.line == 7 and got.evidence == said.evidence
    plain = said.model_copy(update={"evidence": "参会人数1000人", "op": "=", "number": 1000})
    assert to_indicator(plain, block, info).value.op == "="  # nothing in the quote: the model's op stays


def test_ambiguous_number_in_a_long_quote_is_not_guessed() -> None:
    from semx.llm.tasks import _from_quote

    quote = "信访隐患协调数量大于等于 5 个群体性事件处置率大于等于 80%。重大活动突发事件发生数小于等于 5 次"
    assert _from_quote(quote, Decimal(5)) == (None, None)
    assert _from_quote(quote, Decimal(5), "次") == ("≤", "次")
    assert _from_quote(quote, Decimal(80)) == ("≥", "%")
