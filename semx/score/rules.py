"""Rule-based indicator flags: misclassified, unmeasurable, cost_vs_budget.

Each rule returns (score, reason) for its strongest finding; scores are fixed
per rule (how sure the rule is by construction) and the threshold that turns a
score into a flag comes from the calibrated config.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from semx.score.items import Item
from semx.score.text import clean
from semx.score.values import MONEY_UNITS
from semx.vocab.categories import normalize_level1, normalize_level2, same_category

# Output-like count units: a 效益 indicator counted in these is an output.
_OUTPUT_UNITS = ("篇", "次", "件", "个", "台", "份", "期", "场", "人次", "条", "套", "册", "块", "辆", "批", "项")
_SATISFACTION = ("满意", "满意度", "满意率")
_QUALITY_WORDS = ("率", "合格", "达标", "准确", "完好", "覆盖", "优良", "无差错", "精准", "质量", "规范", "正确")
_TIME_NAME_WORDS = ("及时", "按时", "按期", "如期", "准时", "限期", "时限", "时效", "时间", "期限", "进度", "周期")
# A completion rate measures how much of the planned output was delivered: an output, not an effect.
_COMPLETION_WORDS = ("完成率", "完成比例", "完成比率")
_ECONOMIC_WORDS = (
    "经济",
    "收入",
    "增收",
    "节约",
    "节省",
    "效益",
    "产值",
    "元",
    "资金",
    "成本",
    "税",
    "投资",
    "招商",
    "企业",
)
_ECOLOGY_WORDS = ("生态", "环境", "节能", "绿色", "排放", "能耗", "污染", "节水", "节电", "环保", "碳")


class CategoryHint(Protocol):
    level1: str | None
    level2: str | None


@dataclass(frozen=True)
class Hint:
    """An external opinion on an indicator's category (e.g. the LLM `classify` step)."""

    level1: str | None
    level2: str | None
    reason: str | None = None


@dataclass
class RuleResult:
    score: float
    reason: str
    features: dict[str, float]


def _name(it: Item) -> str:
    return f"{it.ind.level3}（{it.ind.value.raw}）"


def misclassified(it: Item, hint: CategoryHint | None, llm_weight: float) -> RuleResult:
    ind, v = it.ind, it.value
    l1, l2 = normalize_level1(ind.level1), normalize_level2(ind.level2)
    text = it.text
    found: list[tuple[float, str]] = []
    if l2 == "成本指标" and v.number is not None and v.kind != "money" and v.unit not in MONEY_UNITS:
        # Words only (按预算执行) are unmeasurable, not misclassified.
        found.append((0.9, f"成本指标“{_name(it)}”的值不是金额"))
    if l2 == "质量指标" and v.kind == "count" and not any(w in text for w in _QUALITY_WORDS):
        found.append((0.85, f"质量指标“{_name(it)}”是单纯的数量计数"))
    if l2 == "质量指标" and any(w in clean(it.ind.level3) for w in ("及时", "时效")):
        found.append((0.5, f"质量指标“{_name(it)}”衡量的是及时性，应为时效指标"))
    if l2 == "时效指标" and not v.has_time and not any(w in text for w in _TIME_NAME_WORDS):
        found.append((0.75, f"时效指标“{_name(it)}”没有时间要素（日期、期限或及时性）"))
    if l2 in ("数量指标", "质量指标", "时效指标") and v.kind == "money":
        found.append((0.8, f"{l2}“{_name(it)}”的值是金额，应归入成本指标"))
    if l2 == "数量指标" and v.kind == "percent":
        found.append((0.7, f"数量指标“{_name(it)}”的值是百分比，不是数量"))
    # An upper bound on a count (≤1 个 舆情事件) limits adverse events: an effect, not an output.
    if l1 == "效益指标" and v.kind == "count" and (v.unit or "") in _OUTPUT_UNITS and v.op not in ("≤", "<"):
        found.append((0.7, f"效益指标“{_name(it)}”以产出数量（{v.unit}）计，是产出而非效益"))
    if l1 == "效益指标" and any(w in clean(ind.level3) for w in _COMPLETION_WORDS):
        found.append((0.6, f"效益指标“{_name(it)}”是完成率，衡量产出完成程度而非效益"))
    if l1 == "效益指标" and any(w in clean(ind.level3) for w in _SATISFACTION):
        found.append((0.7, f"效益指标“{_name(it)}”实为满意度，以满意度代替效益"))
    elif l1 == "效益指标" and any(w in text for w in _SATISFACTION):
        # Named after an effect, with satisfaction only in the description ("保障知情权和满意度"):
        # weaker evidence, the name says what is measured.
        found.append((0.55, f"效益指标“{_name(it)}”的描述以满意度衡量效益"))
    if l2 in ("社会效益指标", "经济效益指标") and v.kind in ("duration", "date"):
        found.append((0.65, f"{l2}“{_name(it)}”是时限，不是效益"))
    if l2 == "经济效益指标" and not any(w in text for w in _ECONOMIC_WORDS):
        found.append((0.6, f"经济效益指标“{_name(it)}”不是经济方面的效益"))
    if l2 == "生态效益指标" and not any(w in text for w in _ECOLOGY_WORDS):
        found.append((0.6, f"生态效益指标“{_name(it)}”不是生态方面的效益"))
    if l1 == "满意度指标" and not any(w in text for w in _SATISFACTION):
        found.append((0.75, f"满意度指标“{_name(it)}”不是满意度"))
    rule = max((s for s, _ in found), default=0.0)
    llm = 0.0
    if (
        hint is not None
        and (hint.level1 or hint.level2)
        and not same_category(ind.level1, ind.level2, hint.level1, hint.level2)
    ):
        llm = llm_weight
        note = getattr(hint, "reason", None)
        found.append(
            (
                llm_weight,
                f"模型判断“{ind.level3}”应属{hint.level1 or ''}/{hint.level2 or ''}而非{ind.level1 or ''}/{ind.level2 or ''}"
                + (f"（{note}）" if note else ""),
            )
        )
    # Rule and model agreeing is stronger than either alone (noisy-or).
    score = 1.0 - (1.0 - rule) * (1.0 - llm)
    found.sort(key=lambda x: -x[0])
    return RuleResult(score, "；".join(r for _, r in found) + ("。" if found else ""), {"rule": rule, "llm": llm})


_SLOGAN_WORDS = ("有效", "持续", "提高", "提升", "明显", "显著", "发展", "促进")
_DEADLINE = ("年底前", "月底前", "年底", "月底", "年内", "日前", "前完成")
_ZERO_EVENT = ("无差错", "零差错", "不出现", "零事故", "无事故", "零投诉", "无投诉", "0差错", "无安全责任事故")


def unmeasurable(it: Item) -> RuleResult:
    """Judged on the printed value only (DOMAIN.md §3 rule 2)."""
    v = it.value
    reasons: list[tuple[float, str]] = []
    severe = [g for g in v.garbled if not g.startswith(("数值后接", "单位后"))]
    trailing = [g for g in v.garbled if g.startswith(("数值后接", "单位后"))]
    if severe or v.raw.strip() in ("%", "％"):
        reasons.append((0.9, f"指标值“{v.raw}”格式错乱（{'；'.join(severe) or '只有百分号'}）"))
    if trailing:
        # "≥80 调查问卷" is still readable; "100 电子政务工作有效持续发展" is a slogan.
        slogan = [w for w in v.vague if w in _SLOGAN_WORDS]
        score = 0.85 if slogan else 0.4
        reasons.append((score, f"指标值“{v.raw}”数值后接文字（{'；'.join(trailing)}）"))
    if v.number is None:
        zero = next((w for w in _ZERO_EVENT if w in v.raw), None)
        if zero:
            reasons.append((0.2, f"指标值“{v.raw}”为零事件目标（={zero}），视为可衡量"))
        elif any(w in v.raw for w in _DEADLINE):
            reasons.append((0.25, f"指标值“{v.raw}”为期限目标，视为可衡量"))
        elif "全部" in v.raw or "全覆盖" in v.raw:
            reasons.append((0.3, f"指标值“{v.raw}”相当于100%"))
        elif v.vague:
            reasons.append((0.95, f"指标值“{v.raw}”只有“{'、'.join(v.vague[:3])}”等模糊表述，没有比较符和数值"))
        else:
            reasons.append((0.8, f"指标值“{v.raw}”没有比较符和数值，无法衡量"))
    elif v.unit is None and v.kind == "text":
        reasons.append((0.35, f"指标值“{v.raw}”有数值但没有单位"))
    score = max((s for s, _ in reasons), default=0.0)
    reasons.sort(key=lambda x: -x[0])
    return RuleResult(
        score,
        "；".join(r for _, r in reasons) + ("。" if reasons else ""),
        {"garbled": float(bool(v.garbled)), "no_number": float(v.number is None), "vague": float(bool(v.vague))},
    )


# Names of a whole-project cost (预算成本, 项目总成本, 经费成本) as opposed to one item's cost.
_WHOLE_COST_WORDS = ("预算成本", "项目成本", "总成本", "经费成本", "项目预算", "预算控制", "预算总额", "成本总额", "总经费")
_PER_UNIT_WORDS = ("人均", "平均", "每", "单价", "单位成本", "/人", "/次", "/个", "标准")


def cost_vs_budget(it: Item, budget: Decimal | None, tol: Decimal = Decimal("0.01")) -> RuleResult | None:
    """A money cost indicator that exceeds the project's 预算数 (both in 万元)."""
    l2 = normalize_level2(it.ind.level2)
    v = it.value
    if budget is None or budget <= 0 or v.wan is None or l2 != "成本指标":
        return None
    amount = v.wan
    if amount > budget + max(tol, budget * Decimal("0.001")):
        ratio = float(amount / budget)
        return RuleResult(
            min(1.0, 0.7 + 0.1 * ratio),
            f"成本指标“{it.ind.level3}”为{v.raw}（{_fmt(amount)}万元），超过项目预算数{_fmt(budget)}万元（{ratio:.1f}倍）。",
            {"ratio": ratio},
        )
    name = clean(it.ind.level3) + clean(it.ind.description or "")
    if (
        v.op != "≥"
        and amount * 2 < budget
        and any(w in name for w in _WHOLE_COST_WORDS)
        and not any(w in name for w in _PER_UNIT_WORDS)
    ):
        # "预算成本 ≤20万" on a 193.15万 project: a ceiling on the whole project's cost that the
        # budget already breaks (a per-unit cost, 人均/每, is a different quantity)
        return RuleResult(
            0.65,
            f"成本指标“{it.ind.level3}”以项目总成本计为{v.raw}（{_fmt(amount)}万元），不到项目预算数{_fmt(budget)}万元的一半"
            f"（{float(amount / budget):.0%}），与预算数不符。",
            {"ratio": float(amount / budget)},
        )
    if v.op == "≥" and amount < budget and amount * 2 < budget:
        # "≥ X" on a cost is a floor on spending: not a contradiction by itself.
        return RuleResult(
            0.2,
            f"成本指标“{it.ind.level3}”为下限{v.raw}，与预算数{_fmt(budget)}万元无法对应。",
            {"ratio": float(amount / budget)},
        )
    return RuleResult(0.0, "", {"ratio": float(amount / budget)})


def _fmt(x: Decimal) -> str:
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return s or "0"


def hint_for(hints: Mapping[int, CategoryHint] | None, it: Item) -> CategoryHint | None:
    if not hints:
        return None
    return hints.get(it.ind.line)
