"""What an indicator value says: comparator, number, unit, kind, money in 万元.

The targets stage fills IndicatorValue; this module re-reads `raw` as well so
the rules still work when upstream left a value as kind="text", and so it can
tell a garbled value ("=%100", "≥80 调查问卷") from a clean one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from semx.models import IndicatorValue
from semx.score.text import nfkc
from semx.vocab.values import COUNT_UNITS as _VOCAB_COUNT_UNITS
from semx.vocab.values import DURATION_UNITS, MONEY_FACTORS, NUMBER, PERCENT_UNITS, classify_unit, find_op, to_decimal

_OP_RE = re.compile(r"(>=|<=|==|[≥≤=><])")
# The money units that carry their own scale (a bare 万 is money only once the value is known
# to be money: "1.5万条" is a count).
MONEY_UNITS = {u: f for u, f in MONEY_FACTORS if u.endswith("元")}
TIME_UNITS = (*DURATION_UNITS, "月")
COUNT_UNITS = (*_VOCAB_COUNT_UNITS, "起", "节")
KNOWN_UNITS = (*MONEY_UNITS, *TIME_UNITS, *COUNT_UNITS, *PERCENT_UNITS, "分")
TIME_WORDS = ("及时", "按时", "时限", "时效", "期限", "周期", "月底", "年底", "日前", "月前", "年内",
              "季度", "当年", "限时", "进度", "工作日", "天内", "按期", "准时", "逾期", "时间")  # fmt: skip
# Vague words auditors reject in place of a number (rule 2 of DOMAIN.md §3).
VAGUE_WORDS = ("提高", "提升", "明显", "显著", "有效", "保障", "长期", "逐步", "进一步", "不断", "改善",
               "增强", "促进", "良好", "较好", "稳定", "加强", "持续", "基本", "大幅", "积极", "确保")  # fmt: skip


@dataclass
class ValueFacts:
    raw: str
    op: str | None = None
    number: Decimal | None = None
    unit: str | None = None
    kind: str = "text"  # percent | money | count | duration | date | text
    wan: Decimal | None = None
    garbled: list[str] = field(default_factory=list)
    vague: list[str] = field(default_factory=list)
    has_time: bool = False

    @property
    def quantified(self) -> bool:
        return self.number is not None


def analyze_value(v: IndicatorValue) -> ValueFacts:
    raw = nfkc(v.raw or "").strip()
    raw = raw.replace("$", "").replace("\\geq", "≥").replace("\\leq", "≤").replace("\\%", "%")
    f = ValueFacts(raw=raw)
    compact = "".join(raw.split())
    # The grammar is semx/vocab/values.py; here only the fallbacks for a value upstream left
    # unread: the first comparator and the first number anywhere, the unit right after it.
    f.op = v.op or find_op(compact)
    nums = NUMBER.findall(compact)
    f.number = v.number if v.number is not None else (to_decimal(nums[0]) if nums else None)
    unit = v.unit
    tail = ""
    if nums:
        tail = compact[compact.find(nums[0]) + len(nums[0]) :]
        if unit is None and f.number is not None:
            unit = classify_unit(f.number, tail)[0]
            if unit is not None and unit not in KNOWN_UNITS:
                unit = None
        if unit is None:
            unit = next((u for u in sorted(KNOWN_UNITS, key=lambda u: (-len(u), u)) if tail.startswith(u)), None)
        if unit is None and "%" in compact:
            unit = "%"
    f.unit = unit
    f.kind = v.kind if v.kind != "text" else _kind(unit, compact)
    f.wan = v.wan
    if f.wan is None and f.number is not None and unit in MONEY_UNITS:
        f.wan = f.number * MONEY_UNITS[unit]
    if f.kind == "money" and f.wan is None and f.number is not None:
        # money printed "20万" is 20 万元 (001 prints every cost so); a bare 万 is not a money unit
        # by itself ("1.5万条"), only once the value is known to be money
        f.wan = f.number * (Decimal(1) if unit == "万" else MONEY_UNITS.get(unit or "元", Decimal("0.0001")))
    f.has_time = f.kind in ("duration", "date") or any(w in compact for w in TIME_WORDS)
    f.vague = [w for w in VAGUE_WORDS if w in compact]
    f.garbled = _garbled(compact, nums, tail, unit)
    return f


def _kind(unit: str | None, compact: str) -> str:
    if unit in MONEY_UNITS:
        return "money"
    if unit in PERCENT_UNITS or "%" in compact:
        return "percent"
    if unit in TIME_UNITS:
        return "date" if re.search(r"\d+月(底|末|前)|\d+日前|\d{4}年\d+月", compact) else "duration"
    if unit in COUNT_UNITS:
        return "count"
    return "text"


def _garbled(compact: str, nums: list[str], tail: str, unit: str | None) -> list[str]:
    why: list[str] = []
    if not compact:
        return ["空值"]
    if _OP_RE.search(compact) and not nums:
        why.append("有比较符无数值")
    if re.search(r"[≥≤=><][%％]\d", compact):
        why.append("百分号在数字前")
    if len(_OP_RE.findall(compact)) > 1 and not re.search(r">=|<=|==", compact):
        why.append("多个比较符")
    if nums:
        rest = tail[len(unit) :] if unit and tail.startswith(unit) else tail
        # Text after the number+unit that is not a unit: "≥80 调查问卷", "≥10 参与次数".
        if unit is None and re.match(r"[\u4e00-\u9fff]{2,}", rest):
            why.append(f"数值后接非单位文字“{rest[:8]}”")
        elif (
            unit is not None
            and re.match(r"[\u4e00-\u9fff]{3,}", rest)
            and not rest.startswith(("以上", "以内", "以下", "底", "末", "前", "内"))
        ):
            why.append(f"单位后多余文字“{rest[:8]}”")
    return why
