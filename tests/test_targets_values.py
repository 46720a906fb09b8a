"""parse_value: every distinct 指标值 of the samples, plus forms seen in other counties.

tests/data/indicator_values.tsv lists each distinct value found by scripts/collect_values.py
with the expected parse, reviewed by hand (the `note` column explains judgement calls).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from semx.models import IndicatorValue
from semx.targets import parse_value

DATA = Path(__file__).resolve().parent / "data" / "indicator_values.tsv"


def _load() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


SAMPLE_VALUES = _load()


def _expect(value: IndicatorValue, op: str, number: str, unit: str, kind: str, wan: str) -> None:
    assert value.op == (op or None)
    assert value.number == (Decimal(number) if number else None)
    assert value.unit == (unit or None)
    assert value.kind == kind
    assert value.wan == (Decimal(wan) if wan else None)


def test_sample_value_list_is_complete() -> None:
    # 340 distinct values in the five samples; a change here means the list needs a new review.
    assert len(SAMPLE_VALUES) == 340
    assert len({r["raw"] for r in SAMPLE_VALUES}) == len(SAMPLE_VALUES)


@pytest.mark.parametrize("row", SAMPLE_VALUES, ids=[r["raw"] for r in SAMPLE_VALUES])
def test_sample_values(row: dict[str, str]) -> None:
    value = parse_value(row["raw"])
    assert value.raw == row["raw"]
    _expect(value, row["op"], row["number"], row["unit"], row["kind"], row["wan"])


@pytest.mark.parametrize(
    ("raw", "op", "number", "unit", "kind", "wan"),
    [
        # the forms named in the issue
        ("≥5 类", "≥", "5", "类", "count", ""),
        ("100%", "", "100", "%", "percent", ""),
        ("=%100", "=", "100", "%", "percent", ""),
        ("≤4.5 万元", "≤", "4.5", "万元", "money", "4.5"),
        ("≥100000 元", "≥", "100000", "元", "money", "10"),
        ("100 百分比", "", "100", "百分比", "percent", ""),
        ("$\\leq 1$ 次", "≤", "1", "次", "count", ""),
        ("≤12月份", "≤", "12", "月份", "date", ""),
        ("6 月底全部发放完成", "", "6", "月底", "date", ""),
        ("按合同支付", "", "", "", "text", ""),
        ("≥80 调查问卷", "≥", "80", "", "text", ""),
        ("长期使用", "", "", "", "text", ""),
        ("≥12 期（均不低于）", "≥", "12", "期", "count", ""),
        ("≤50万", "≤", "50", "万", "money", "50"),
        # other comparator spellings
        ("≧3 次", "≥", "3", "次", "count", ""),
        ("≦5%", "≤", "5", "%", "percent", ""),
        (">=95%", "≥", "95", "%", "percent", ""),
        ("<=10万元", "≤", "10", "万元", "money", "10"),
        (">0", ">", "0", "", "text", ""),
        ("<3 天", "<", "3", "天", "duration", ""),
        ("不低于90%", "≥", "90", "%", "percent", ""),
        ("不少于12份", "≥", "12", "份", "count", ""),
        ("不超过5万元", "≤", "5", "万元", "money", "5"),
        ("大于等于 300 条", "≥", "300", "条", "count", ""),
        ("小于等于 23 人", "≤", "23", "人", "count", ""),
        ("90%以上", "≥", "90", "%", "percent", ""),
        ("10 个以上", "≥", "10", "个", "count", ""),
        ("30 分钟以内", "≤", "30", "分钟", "duration", ""),
        ("控制在3.8万元内", "≤", "3.8", "万元", "money", "3.8"),
        ("$\\geq 95\\%$", "≥", "95", "%", "percent", ""),
        ("≥９５％", "≥", "95", "%", "percent", ""),
        # money normalised to 万元
        ("1亿元", "", "1", "亿元", "money", "10000"),
        ("5千元", "", "5", "千元", "money", "0.5"),
        ("1,200 元", "", "1200", "元", "money", "0.12"),
        # dates and durations
        ("2021年底前", "≤", "2021", "年底", "date", ""),
        ("3个月", "", "3", "个月", "duration", ""),
        ("12 月 31 日前", "≤", "12", "月31日", "date", ""),
        # 万 inside a count unit is not money
        ("≥10 万册", "≥", "10", "万册", "count", ""),
        ("", "", "", "", "text", ""),
    ],
)
def test_value_forms(raw: str, op: str, number: str, unit: str, kind: str, wan: str) -> None:
    value = parse_value(raw)
    assert value.raw == raw
    _expect(value, op, number, unit, kind, wan)


def test_value_serialises_numbers_as_json_numbers() -> None:
    dumped = parse_value("≥100000 元").model_dump(mode="json")
    assert dumped == {"raw": "≥100000 元", "op": "≥", "number": 100000.0, "unit": "元", "kind": "money", "wan": 10.0}
