"""Metric code on small hand-made cases with exact expected values."""

from __future__ import annotations

import pytest

from semx.evaluate.metrics import (
    PRF,
    extraction_prf,
    match_indicators,
    mcnemar,
    name_similarity,
    prf_from_labels,
    values_agree,
)


def test_prf_exact() -> None:
    m = prf_from_labels([True, True, False, False, True], [True, False, True, False, True])
    assert (m.tp, m.fp, m.fn) == (2, 1, 1)
    assert m.precision == pytest.approx(2 / 3)
    assert m.recall == pytest.approx(2 / 3)
    assert m.f1 == pytest.approx(2 / 3)


def test_prf_empty_and_sum() -> None:
    assert PRF(0, 0, 0).f1 == 0.0
    assert PRF(0, 0, 3).recall == 0.0
    total = PRF(1, 0, 1) + PRF(2, 2, 0)
    assert (total.tp, total.fp, total.fn) == (3, 2, 1)
    assert total.precision == pytest.approx(0.6)
    assert total.recall == pytest.approx(0.75)
    assert total.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)


def test_name_similarity() -> None:
    assert name_similarity("到场率", "参会人员到场率") == 1.0  # containment
    assert name_similarity("参会人数", "参会人数（人）") == 1.0  # punctuation ignored
    # bigrams {制作,作证,证件} vs {制作,作证,证书}: 2*2/6
    assert name_similarity("制作证件", "制作证书") == pytest.approx(2 / 3)
    assert name_similarity("满意度", "覆盖率") == 0.0
    assert name_similarity("", "x") == 0.0


def test_values_agree() -> None:
    assert values_agree("1000", 1000)
    assert values_agree("95", "95.0")
    assert not values_agree("95", "90")
    assert not values_agree("95", None)
    assert values_agree(None, "3")


def test_matching_is_one_to_one_and_best_first() -> None:
    gold = [("参会人数", "1000"), ("制作证件", "1000"), ("参会人员到场率", "95")]
    pred = [("制作证件数量", 1000), ("参会人数", 1000), ("到场率", 95), ("到场率", 95), ("满意度", 90)]
    matches = match_indicators(gold, pred)
    assert [(m.gold, m.pred) for m in matches] == [(0, 1), (1, 0), (2, 2)]
    prf = extraction_prf(gold, pred)
    assert (prf.tp, prf.fp, prf.fn) == (3, 2, 0)


def test_matching_requires_value_agreement() -> None:
    prf = extraction_prf([("参会人数", "1000")], [("参会人数", "100")])
    assert (prf.tp, prf.fp, prf.fn) == (0, 1, 1)


def test_mcnemar_exact() -> None:
    # b=1, c=6: p = 2 * (C(7,0)+C(7,1)) / 2^7 = 16/128
    a = [True] * 1 + [False] * 6 + [True] * 3
    b = [False] * 1 + [True] * 6 + [True] * 3
    r = mcnemar(a, b)
    assert (r.b, r.c) == (1, 6)
    assert r.p_value == pytest.approx(0.125)
    assert mcnemar([True, False], [True, False]).p_value == 1.0
    # symmetric discordance gives p = 1 (capped)
    assert mcnemar([True, False], [False, True]).p_value == 1.0
