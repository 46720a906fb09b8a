"""The grammar of an indicator value (指标值): comparator, number, unit, kind, money in 万元.

The one home of this grammar: the targets stage reads every 指标值 cell with `read_value`, and the
scorer re-reads raw text with the same tables (`find_op`, `first_number`, `classify_unit`), so the
two never disagree on what `不低于80%` or `≥13459.00(平方米)` says.

Values are data, not errors: whatever cannot be read as `comparator number unit` comes back with
kind = "text" (and op/number when those were readable). A number without a recognisable unit
(`≥90`, `≥80 调查问卷`) is also kind "text": the unit is what tells percent from count from money,
and guessing it would hide exactly the defect an auditor looks for.

Shapes read (one rule for all):
  `≥5 类`, `=%100`, `≤4.5 万元`         comparator, number, unit (percent sign before the number too)
  `≥13459.00(平方米)`, `=100.00(%)`      the unit printed in brackets right after the number
  `不低于80%`, `至少1次…`, `不少于100人`   a comparator word before the number
  `补贴对象生活改善度不低于80%`            a name, then a comparator word, then the number
  `可控性100%`, `满意率100%`             a rate's name (…率 / …度 / …性 / …比例) right before the number
  `90%以上`, `9 月底前`                   the comparator after the unit
A number after other words (`总体 2021 年底前`) is not guessed: which number the words qualify is
not said.

Plain Python and vocab/numbers.py (the one number reader) only: nothing else from semx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from semx.vocab.numbers import tidy, to_decimal

Op = Literal["≥", "≤", "=", ">", "<"]
Kind = Literal["percent", "money", "count", "duration", "date", "text"]

# Longest first so that `>=` is not read as `>` followed by `=`.
SYMBOL_OPS: list[tuple[str, Op]] = [
    (">=", "≥"), ("=>", "≥"), ("<=", "≤"), ("=<", "≤"),
    ("≥", "≥"), ("≧", "≥"), ("⩾", "≥"), ("≤", "≤"), ("≦", "≤"), ("⩽", "≤"),
    (">", ">"), ("<", "<"), ("=", "="),
]  # fmt: skip
# Comparator words before the number; longer words first (不低于 before 低于).
WORD_OPS: list[tuple[str, Op]] = [
    ("大于或等于", "≥"), ("大于等于", "≥"), ("不低于", "≥"), ("不少于", "≥"), ("不小于", "≥"), ("至少", "≥"),
    ("小于或等于", "≤"), ("小于等于", "≤"), ("不超过", "≤"), ("不高于", "≤"), ("不多于", "≤"), ("不大于", "≤"),
    ("控制在", "≤"), ("最多", "≤"),
    ("大于", ">"), ("高于", ">"), ("超过", ">"), ("多于", ">"),
    ("小于", "<"), ("低于", "<"), ("少于", "<"),
    ("等于", "="),
]  # fmt: skip
# Suffixes that carry the comparator after the unit: `90%以上`, `30分钟内`, `9月底前`.
SUFFIX_OPS: list[tuple[str, Op]] = [
    ("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"), ("之内", "≤"),
    ("之前", "≤"), ("以前", "≤"), ("内", "≤"), ("前", "≤"),
]  # fmt: skip
# Names of a rate that may stand right before its number without a comparator: 可控性100%.
RATE_NAME_ENDINGS = ("率", "度", "性", "比例", "比率", "占比")

NUMBER = re.compile(r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?")

PERCENT_UNITS = ("百分比", "百分点", "%")
# The factor to 万元: 元 divides by 10000, 万/万元 stay, 亿 multiplies.
MONEY_FACTORS: list[tuple[str, Decimal]] = [
    ("百万元", Decimal(100)), ("亿元", Decimal(10000)), ("万元", Decimal(1)), ("千元", Decimal("0.1")),
    ("元", Decimal("0.0001")), ("亿", Decimal(10000)), ("万", Decimal(1)),
]  # fmt: skip
_DATE_UNIT = re.compile(r"^月(?:\d{1,2}[日号]|底|末|份|中旬|上旬|下旬|中)?")
DURATION_UNITS = ("个工作日", "工作日", "个月", "小时", "分钟", "季度", "周", "天", "日", "年", "秒")
# Measure words seen in indicator values (and common ones from other provinces).
COUNT_UNITS: tuple[str, ...] = tuple(
    sorted(
        {
            "个", "次", "人", "台", "类", "期", "份", "本", "场", "件", "条", "篇", "辆", "块", "册", "卷", "盏",
            "项", "家", "所", "名", "套", "线", "户", "座", "处", "栏", "幅", "张", "部", "间", "批", "组",
            "支", "根", "字", "页", "帧", "户次", "人次", "场次", "车次", "批次", "件次", "篇次", "条次",
            "万册", "万人", "万份", "万条", "万帧", "万人次", "万字", "个数", "次数", "份数", "期数", "人数",
            "台套", "平方米", "平方公里", "立方米", "公里", "千米", "米", "亩", "吨", "户数", "座次", "课时", "学时",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip
_COUNT_SUFFIXES = ("次数", "人数", "个数", "份数", "件数", "户数", "人次", "场次")
# Nouns that count named things (培训班次, 参会人数, 印制份数): a completion rate naming one completes
# countable items, not "the plan" (eval/README trivial_target: 培训班次完成率 is not trivial). The
# counters that count anything, tasks included (件数, 个数, 次数: 重点工作完成件数), are not here.
ITEM_COUNT_NOUNS = ("班次", "场次", "人次", "车次", "人数", "户数", "期数", "份数", "篇数", "册数", "台数")
_NOTE = re.compile(r"[（(][^）)]*[）)]")
# `(平方米)`, `（%）`: a short bracketed unit right after the number, not a note (`（均不低于）`).
_BRACKET_UNIT = re.compile(r"^[（(]([^（）()\d]{1,6})[)）]")
_FULL_WIDTH = str.maketrans({"％": "%", "＞": ">", "＜": "<", "＝": "="})


@dataclass(frozen=True)
class ValueParts:
    """What a value says; every field None / "text" when it says no number."""

    op: Op | None = None
    number: Decimal | None = None
    unit: str | None = None
    kind: Kind = "text"
    wan: Decimal | None = None


def _op_at(s: str, i: int) -> tuple[Op, int] | None:
    """The comparator starting at s[i] and where it ends, without copying s (a scan over every
    position that sliced s[i:] each time was quadratic in a long cell)."""
    for token, op in SYMBOL_OPS:
        if s.startswith(token, i):
            return op, i + len(token)
    for token, op in WORD_OPS:
        if s.startswith(token, i):
            return op, i + len(token)
    return None


def leading_op(s: str) -> tuple[Op | None, str]:
    """The comparator (symbol or word) that starts s, and the rest."""
    found = _op_at(s, 0)
    return (found[0], s[found[1] :]) if found else (None, s)


def trailing_op(s: str) -> tuple[Op | None, str]:
    for token, op in SUFFIX_OPS:
        if s.endswith(token):
            return op, s[: -len(token)]
    return None, s


def _strip_notes(tail: str) -> str:
    """tail without its parenthesised notes. Only the part up to the last closing bracket is
    searched: an opening bracket with no closing one after it made the pattern rescan the rest
    of the text from every such bracket (quadratic on a run of thousands of `（`)."""
    last = max(tail.rfind("）"), tail.rfind(")"))
    if last < 0:
        return tail
    return _NOTE.sub("", tail[: last + 1]) + tail[last + 1 :]


def find_op(s: str) -> Op | None:
    """The first comparator anywhere in s (symbol or word, earliest position; longest at a position)."""
    for i in range(len(s)):
        if (found := _op_at(s, i)) is not None:
            return found[0]
    for token, op in SUFFIX_OPS[:6]:  # 以上 / 以下 / 以内 anywhere; a bare 内/前 is too common a character
        if token in s:
            return op
    return None


def first_number(s: str) -> re.Match[str] | None:
    return NUMBER.search(s)


def _comparator_before_number(s: str) -> tuple[Op, str] | None:
    """`…不低于80%` / `满意度≥90%`: the earliest comparator directly followed by a number."""
    for i in range(1, len(s)):
        found = _op_at(s, i)
        if found is not None and NUMBER.match(s, found[1]):
            return found[0], s[found[1] :]
    return None


def _after_rate_name(s: str) -> str | None:
    """`可控性100%`: the text from the number on, when only a rate's name stands before it."""
    m = NUMBER.search(s)
    if m is None or m.start() == 0:
        return None
    prefix = s[: m.start()]
    if any(ch.isdigit() for ch in prefix) or not prefix.endswith(RATE_NAME_ENDINGS):
        return None
    return s[m.start() :]


def classify_unit(number: Decimal, tail: str) -> tuple[str | None, Kind, Decimal | None]:
    """(unit, kind, factor to 万元 for money) from the text right after the number."""
    for unit in PERCENT_UNITS:
        if tail.startswith(unit):
            return unit, "percent", None
    for unit, factor in MONEY_FACTORS:
        if tail.startswith(unit):
            # 万册 / 万人次 / 万页 are counts, not money: 万 is money only when no measure word follows.
            if unit == "万":
                measure = next((u for u in COUNT_UNITS if tail.startswith(u, 1)), None)
                if measure is not None:
                    return unit + measure, "count", None
            return unit, "money", factor
    m = _DATE_UNIT.match(tail)
    if m and 1 <= number <= 12:
        return m.group(0), "date", None
    if tail.startswith(("年底", "年末")) or (tail.startswith("年") and number >= 1900):
        return tail[:2] if tail[:2] in ("年底", "年末") else "年", "date", None
    for unit in DURATION_UNITS:
        if tail.startswith(unit):
            return unit, "duration", None
    for unit in COUNT_UNITS:
        if tail.startswith(unit):
            # a measure word times 次 is one unit (盏次, 架次): the count of visits, not of things
            if len(unit) == 1 and unit != "次" and tail.startswith("次", 1) and not tail.startswith("次数", 1):
                return unit + "次", "count", None
            return unit, "count", None
    # `≥10 参与次数`: a short word ending in 次数/人数/… is a count with a descriptive unit.
    if len(tail) <= 4 and tail.endswith(_COUNT_SUFFIXES):
        return tail, "count", None
    # `≥80 单位人员…满意程度%`: a stray description between the number and its unit.
    if tail.endswith("%"):
        return "%", "percent", None
    return None, "text", None


def _bracket_unit(number: Decimal, tail: str) -> tuple[str, Kind, Decimal | None] | None:
    """`(平方米)` right after the number: the printed unit, classified when it is a known one."""
    m = _BRACKET_UNIT.match(tail)
    if m is None:
        return None
    inner = m.group(1).strip()
    if not inner or leading_op(inner)[0] is not None or find_op(inner) is not None:
        return None
    unit, kind, factor = classify_unit(number, inner)
    if unit is not None and unit == inner:
        return unit, kind, factor
    # A printed unit the vocabulary does not know (`(度)`) is kept as printed, kind text.
    return inner, "text", None


def compact(text: str) -> str:
    """Full-width comparators and percent as ASCII, tabs and spaces removed."""
    return re.sub(r"\s+", "", text.translate(_FULL_WIDTH))


def read_value(text: str) -> ValueParts:
    """Read one 指标值 (already free of markup): comparator, first number, its unit and kind."""
    s = compact(text)
    if not s:
        return ValueParts()
    op, rest = leading_op(s)
    # `=%100` puts the percent sign before the number.
    percent_first = rest.startswith("%")
    if percent_first:
        rest = rest[1:]
    if not NUMBER.match(rest):
        if op is None:
            found = _comparator_before_number(s)
            if found is not None:
                op, rest = found
            else:
                after = _after_rate_name(s)
                if after is None:
                    return ValueParts()
                rest = after
        else:
            return ValueParts(op=op)
    m = NUMBER.match(rest)
    assert m is not None
    number = to_decimal(m.group(0))
    if number is None:
        return ValueParts(op=op)
    tail = rest[m.end() :]
    bracket = None if percent_first else _bracket_unit(number, tail)
    # A parenthesised note (`（均不低于）`, `（12月31号）`) qualifies the value; it is not the unit.
    tail_clean = _strip_notes(tail)
    suffix_op, tail_clean = trailing_op(tail_clean)
    if op is None:
        op = suffix_op
    unit: str | None
    kind: Kind
    factor: Decimal | None
    if percent_first:
        unit, kind, factor = "%", "percent", None
    elif bracket is not None:
        unit, kind, factor = bracket
    else:
        unit, kind, factor = classify_unit(number, tail_clean)
    wan = tidy(number * factor) if factor is not None else None
    return ValueParts(op=op, number=tidy(number), unit=unit, kind=kind, wan=wan)
