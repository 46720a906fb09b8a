"""The deterministic span finder on synthetic sentences (written for this test, not from eval/gold)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from semx.llm.spans import Span, find_spans


def _one(text: str) -> Span:
    spans = find_spans(text)
    assert len(spans) == 1, spans
    return spans[0]


def test_every_quote_is_the_text_at_its_offsets() -> None:
    text = "全年开展巡河 48 次，河道保洁合格率不低于95%；清淤费用控制在30万元以内。\n年底前完成验收。"
    spans = find_spans(text)
    assert [s.kind for s in spans] == ["quantity", "quantity", "quantity", "qualitative"]
    for s in spans:
        assert text[s.start:s.end] == s.quote


@pytest.mark.parametrize(
    ("text", "op", "number", "unit"),
    [
        ("举办农技讲座不少于12场", "≥", Decimal(12), "场"),
        ("灌溉水利用率达到 85%", "≥", Decimal(85), "%"),
        ("病虫害损失率控制在5%以内", "≤", Decimal(5), "%"),
        ("检测样品至少300批次", "≥", Decimal(300), "批次"),
        ("投诉处理及时率90%以上", "≥", Decimal(90), "%"),
        ("设备故障率低于 2%", "<", Decimal(2), "%"),
        ("发放宣传册 2,500 份", None, Decimal(2500), "份"),
        ("维修路灯80余盏次", "≥", Decimal(80), "盏次"),
        ("项目经费 12.5 万元", None, Decimal("12.5"), "万元"),
        ("6 月底前完成招标", "≤", Decimal(6), "月底"),
        ("受益群众满意率为 96%", "=", Decimal(96), "%"),
    ],
)
def test_value_grammar_around_the_number(text: str, op: str | None, number: Decimal, unit: str | None) -> None:
    s = _one(text)
    assert (s.op, s.number, s.unit) == (op, number, unit)
    assert s.quote == text


def test_two_values_in_one_clause_get_two_quotes() -> None:
    text = "新建蓄水池 4 座、维修水渠 3.2 公里"
    first, second = find_spans(text)
    assert first.quote == "新建蓄水池 4 座"
    assert second.quote == "维修水渠 3.2 公里"
    assert (first.number, second.number) == (Decimal(4), Decimal("3.2"))


def test_years_titles_and_list_numbers_are_not_targets() -> None:
    text = "2. 2024 年印发《指南2》，编号第3批"
    assert find_spans(text) == []


def test_year_end_deadline_without_number_is_qualitative() -> None:
    s = _one("确保年底前完成全部改造任务")
    assert s.kind == "qualitative"
    assert s.number is None and s.op is None
    assert s.value_text == "年底前"


def test_zero_defect_target_is_kept_and_slogans_are_not() -> None:
    assert _one("档案录入无差错").kind == "qualitative"
    assert find_spans("进一步提高服务水平，有效促进乡村振兴") == []


def test_full_width_digits_and_percent() -> None:
    s = _one("村级覆盖率达９８％")
    assert s.number == Decimal(98)
    assert s.unit in ("%", "％")


def test_empty_text() -> None:
    assert find_spans("") == []
    assert find_spans("   \n ") == []


# ---------------------------------------------------------------- revision 2 (extract/v4)


def _values(text: str, revision: int) -> list[tuple[str | None, Decimal | None, str | None]]:
    return [(s.op, s.number, s.unit) for s in find_spans(text, revision)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "v2"),
    [
        # Chinese numerals before a measure word are counts; a lone 一 is the article, a slogan is a name
        ("计划新建三个服务站", [(None, Decimal(3), "个")]),
        ("作为一个长期的工作开展", []),
        ("牢固树立“四个意识”", []),
        ("每年两次开展巡查", []),
        ("八月底之前完成验收", [("≤", Decimal(8), "月底")]),
        # ranks, document numbers, year ranges and dates of events are not amounts
        ("全市考核排名前 3", []),
        ("依据冀办字[2019]12号文件", []),
        ("支付 2014-2016 年工程款", []),
        ("自 2021 年 3 月 5 日疫情发生以来", []),
        # a date followed by 前 is a deadline: the month carries it, the day is not a second value (revision 1: two)
        ("6月30日前完成采购", [(None, Decimal(6), "月")]),
        # words that are values (eval/README.md): 无差错 = 0 次, 年底前 = 12 月底
        ("档案录入无差错", [("=", Decimal(0), "次")]),
        ("年底前完成全部验收", [("≤", Decimal(12), "月底")]),
        ("按时完成上级交办任务", [(None, None, None)]),
    ],
)
def test_revision_2_grammar(text: str, v2: list[object]) -> None:
    assert _values(text, 2) == v2
    for s in find_spans(text, 2):
        assert text[s.start:s.end] == s.quote
