"""Parse one 指标值 cell into comparator, number, unit and kind.

Values are data, not errors: whatever cannot be read as `comparator number unit`
keeps its raw text with kind = "text" (and op/number when those were readable).
A number without a recognisable unit (`≥90`, `≥80 调查问卷`) is also kind "text":
the unit is what tells percent from count from money, and guessing it would hide
exactly the defect an auditor looks for.
"""

from __future__ import annotations

import re
from decimal import Decimal

from semx.ingest import normalise_line
from semx.models import IndicatorValue, ValueKind, ValueOp
from semx.vocab.numbers import tidy as _tidy
from semx.vocab.numbers import to_decimal as _to_decimal

# Longest first so that `>=` is not read as `>` followed by `=`.
_SYMBOL_OPS: list[tuple[str, ValueOp]] = [
    (">=", "≥"), ("=>", "≥"), ("<=", "≤"), ("=<", "≤"),
    ("≥", "≥"), ("≧", "≥"), ("⩾", "≥"), ("≤", "≤"), ("≦", "≤"), ("⩽", "≤"),
    (">", ">"), ("<", "<"), ("=", "="),
]
_WORD_OPS: list[tuple[str, ValueOp]] = [
    ("大于或等于", "≥"), ("大于等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"),
    ("小于或等于", "≤"), ("小于等于", "≤"), ("不超过", "≤"), ("不高于", "≤"), ("不多于", "≤"), ("不大于", "≤"),
    ("控制在", "≤"), ("最多", "≤"),
    ("大于", ">"), ("高于", ">"), ("超过", ">"), ("多于", ">"),
    ("小于", "<"), ("低于", "<"), ("少于", "<"),
    ("等于", "="),
]
# Suffixes that carry the comparator after the unit: `90%以上`, `30分钟内`, `9月底前`.
_SUFFIX_OPS: list[tuple[str, ValueOp]] = [
    ("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"), ("之内", "≤"),
    ("之前", "≤"), ("以前", "≤"), ("内", "≤"), ("前", "≤"),
]

_NUMBER = re.compile(r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?")

_PERCENT_UNITS = ("百分比", "百分点", "%")
# 元 divides by 10000, 万/万元 stay, 亿 multiplies: the factor to 万元.
_MONEY_UNITS: list[tuple[str, Decimal]] = [
    ("百万元", Decimal(100)), ("亿元", Decimal(10000)), ("万元", Decimal(1)), ("千元", Decimal("0.1")),
    ("元", Decimal("0.0001")), ("亿", Decimal(10000)), ("万", Decimal(1)),
]
_DATE_UNIT = re.compile(r"^月(?:\d{1,2}[日号]|底|末|份|中旬|上旬|下旬|中)?")
_DURATION_UNITS = ("个工作日", "工作日", "个月", "小时", "分钟", "季度", "周", "天", "日", "年", "秒")
# Measure words seen in indicator values (and common ones from other counties).
_COUNT_UNITS = tuple(
    sorted(
        {
            "个", "次", "人", "台", "类", "期", "份", "本", "场", "件", "条", "篇", "辆", "块", "册", "卷",
            "项", "家", "所", "名", "套", "线", "户", "座", "处", "栏", "幅", "张", "部", "间", "批", "组",
            "支", "根", "字", "页", "帧", "户次", "人次", "场次", "车次", "批次", "件次", "篇次", "条次",
            "万册", "万人", "万份", "万条", "万帧", "万人次", "万字", "个数", "次数", "份数", "期数", "人数",
            "台套", "平方米", "立方米", "公里", "千米", "米", "亩", "吨", "户数", "座次", "课时", "学时",
        },
        key=len,
        reverse=True,
    )
)
_COUNT_SUFFIXES = ("次数", "人数", "个数", "份数", "件数", "户数", "人次", "场次")
_NOTE = re.compile(r"[（(][^）)]*[）)]")


def _strip_notes(tail: str) -> str:
    """tail without its parenthesised notes. Only the part up to the last closing bracket is
    searched: an opening bracket with no closing one after it made the pattern rescan the rest
    of the text from every such bracket (quadratic on a run of thousands of `（`)."""
    last = max(tail.rfind("）"), tail.rfind(")"))
    if last < 0:
        return tail
    return _NOTE.sub("", tail[: last + 1]) + tail[last + 1 :]


def _leading_op(s: str) -> tuple[ValueOp | None, str]:
    for token, op in _SYMBOL_OPS:
        if s.startswith(token):
            return op, s[len(token):]
    for token, op in _WORD_OPS:
        if s.startswith(token):
            return op, s[len(token):]
    return None, s


def _trailing_op(s: str) -> tuple[ValueOp | None, str]:
    for token, op in _SUFFIX_OPS:
        if s.endswith(token):
            return op, s[: -len(token)]
    return None, s


def _classify_unit(number: Decimal, tail: str) -> tuple[str | None, ValueKind, Decimal | None]:
    """(unit, kind, factor to 万元 for money) from the text right after the number."""
    for unit in _PERCENT_UNITS:
        if tail.startswith(unit):
            return unit, "percent", None
    for unit, factor in _MONEY_UNITS:
        if tail.startswith(unit):
            # 万册 / 万人次 are counts, not money: 万 is money only when no measure word follows.
            if unit == "万" and any(tail.startswith(u) for u in _COUNT_UNITS):
                break
            return unit, "money", factor
    m = _DATE_UNIT.match(tail)
    if m and 1 <= number <= 12:
        return m.group(0), "date", None
    if tail.startswith(("年底", "年末")) or (tail.startswith("年") and number >= 1900):
        return tail[:2] if tail[:2] in ("年底", "年末") else "年", "date", None
    for unit in _DURATION_UNITS:
        if tail.startswith(unit):
            return unit, "duration", None
    for unit in _COUNT_UNITS:
        if tail.startswith(unit):
            return unit, "count", None
    # `≥10 参与次数`: a short word ending in 次数/人数/… is a count with a descriptive unit.
    if len(tail) <= 4 and tail.endswith(_COUNT_SUFFIXES):
        return tail, "count", None
    # `≥80 单位人员…满意程度%`: a stray description between the number and its unit.
    if tail.endswith("%"):
        return "%", "percent", None
    return None, "text", None


def parse_value(raw: str) -> IndicatorValue:
    """Read `≥5 类`, `100%`, `=%100`, `≤4.5 万元`, `6 月底全部发放完成`, `长期使用` … keeping raw."""
    text = normalise_line(raw or "").replace("\t", " ")
    text = text.replace("％", "%").replace("＞", ">").replace("＜", "<").replace("＝", "=")
    s = re.sub(r"\s+", "", text)
    if not s:
        return IndicatorValue(raw=raw)
    op, rest = _leading_op(s)
    # `=%100` puts the percent sign before the number.
    percent_first = rest.startswith("%")
    if percent_first:
        rest = rest[1:]
    m = _NUMBER.match(rest)
    if not m:
        return IndicatorValue(raw=raw, op=op)
    number = _to_decimal(m.group(0))
    if number is None:
        return IndicatorValue(raw=raw, op=op)
    tail = rest[m.end():]
    # A parenthesised note (`（均不低于）`, `（12月31号）`) qualifies the value; it is not the unit.
    tail_clean = _strip_notes(tail)
    suffix_op, tail_clean = _trailing_op(tail_clean)
    if op is None:
        op = suffix_op
    unit: str | None
    kind: ValueKind
    factor: Decimal | None
    if percent_first:
        unit, kind, factor = "%", "percent", None
    else:
        unit, kind, factor = _classify_unit(number, tail_clean)
    wan = _tidy(number * factor) if factor is not None else None
    return IndicatorValue(raw=raw, op=op, number=_tidy(number), unit=unit, kind=kind, wan=wan)
