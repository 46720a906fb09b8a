"""Rule-based indicator flags: misclassified, unmeasurable, cost_vs_budget.

Each rule returns (score, reason) for its strongest finding; scores are fixed
per rule (how sure the rule is by construction) and the threshold that turns a
score into a flag comes from the calibrated config.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from semx.score.items import Item
from semx.score.text import clean, strip_bracket_units
from semx.score.values import MONEY_UNITS
from semx.vocab.categories import normalize_level1, normalize_level2, same_category
from semx.vocab.generic_words import content_left, is_content_free, only_bare_activity

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
    # read-only: a frozen Hint (or any object with these attributes) satisfies it
    @property
    def level1(self) -> str | None: ...
    @property
    def level2(self) -> str | None: ...


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
_ZERO_EVENT = ("无差错", "零差错", "不出现", "没有出现", "未出现", "零事故", "无事故", "零投诉", "无投诉", "0差错",
               "无安全责任事故")
# A value that points at a named reference (contract, standard, budget, plan, rule): binary, measurable.
_REFERENCED = re.compile(r"(?:按|按照|依据|根据|符合|不超过|不高于|不低于)[^，。；]{0,6}?(?:合同|标准|预算|规定|计划|要求|通知|文件|方案)")
_CADENCE = ("按月", "按季", "按季度", "每月", "每季", "每季度", "每周", "每年", "按年")
_BINARY = ("一致", "相符", "吻合")


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
        ref = _REFERENCED.search(v.raw)
        if ref and not zero:
            # 按合同支付, 按标准发放, 按预算执行: the reference fixes the level, the outcome is yes/no
            reasons.append((0.3, f"指标值“{v.raw}”以“{ref.group(0)}”为准，是有参照的是非目标，视为可衡量"))
        elif any(w in v.raw for w in _CADENCE) or any(w in v.raw for w in _BINARY):
            reasons.append((0.3, f"指标值“{v.raw}”有明确的频次或是非标准，视为可衡量"))
        elif zero:
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
    if v.number is not None:
        nm = no_measure(it)
        if nm is not None:
            reasons.append(nm)
    score = max((s for s, _ in reasons), default=0.0)
    reasons.sort(key=lambda x: -x[0])
    return RuleResult(
        score,
        "；".join(r for _, r in reasons) + ("。" if reasons else ""),
        {"garbled": float(bool(v.garbled)), "no_number": float(v.number is None), "vague": float(bool(v.vague))},
    )


# --- a number attached to something without a defined measure (the widened definition of
# unmeasurable, eval/README guideline): "X工作水平提升 ≥5%", "长期使用的概率 100%", "积极性提升 ≥5%",
# "透明度和公信力 ≥95%". Nobody can check such a number: it has no baseline, no denominator, no method.
# Abstract objects: a level, a capacity, an attitude, an impression.
_ABSTRACT_WORDS = ("水平", "能力", "积极性", "主动性", "透明度", "公信力", "概率", "可能性", "意识", "形象", "氛围",
                   "获得感", "幸福感", "安全感", "认同感", "归属感", "影响力", "作用", "效能", "成效", "素质", "素养",
                   "活力", "凝聚力", "战斗力", "执行力", "向心力", "满足感", "程度", "质效", "工作情况", "保障情况",
                   "发展情况", "运行情况", "面貌", "风气", "秩序", "长期", "可持续", "优化", "热情", "保密性",
                   "社会效益", "效率", "社会稳定", "落实", "日常工作", "服务保障", "优良", "节约", "使用性", "安全性",
                   "快捷性", "稳定性", "获得感")  # fmt: skip
# Rates whose numerator and denominator are countable and named by the rate itself (a surveyed
# satisfaction, a plan's completion, an inspection's pass rate): measurable as printed.
_DEFINED_RATES = ("满意", "完成率", "合格率", "覆盖率", "达标率", "及时率", "准确率", "通过率", "到位率", "使用率",
                  "利用率", "出勤率", "知晓率", "参与率", "回复率", "办结率", "受理率", "正确率", "完好率", "结案率",
                  "执行率", "支付率", "拨付率", "验收", "考核", "抽查", "审核", "审计", "入学率", "就业率", "留存率",
                  "到课率", "参训率", "培训率", "发放率", "兑现率", "录入率", "归档率", "上报率", "处置率", "整改率",
                  "采纳率", "成功率", "好评率", "投诉率", "差错率", "事故率", "发生率", "故障率", "在线率", "开通率",
                  "增长率", "增收", "人数", "次数", "件数", "户数", "个数", "故障", "事故", "差错", "遗失", "丢失",
                  "人次")  # fmt: skip
# Abstract words that win over a rate word: "长期使用率" is a rate of nothing countable.
_NO_PERIOD = ("长期", "可持续")
# A change (提升 ≥5%) is measurable only against a stated base.
_CHANGE_WORDS = ("提升", "提高", "增长", "增加", "增强", "改善", "降低", "下降", "减少")
_BASELINE_WORDS = ("较上年", "比上年", "同比", "环比", "较去年", "比去年", "基线", "基数", "基期", "上年度", "上一年",
                   "较20", "比20", "较前", "由", "从")  # fmt: skip
# Countable nouns in a description that turn "占…比例" into a defined ratio.
_COUNT_NOUNS = ("人数", "次数", "件数", "户数", "个数", "项数", "数量", "人次", "份数", "台数", "家数", "金额", "面积")
# Effects whose "years of effect" nobody can observe within a budget year.
_INTANGIBLE_EFFECT = ("作用", "影响", "效益", "效果", "发挥")
# Things whose service life is observable: "使用年限 ≥5 年" of these is measurable.
_CONCRETE_THINGS = ("设备", "车辆", "系统", "设施", "工程", "房屋", "建筑", "道路", "网络", "终端", "器材", "保存")
_RATE_OF_PLAN = ("完成率", "完成比例", "完成及时率", "完成情况")


def no_measure(it: Item) -> tuple[float, str] | None:
    """(score, reason) when the number is attached to something without a defined measure, else None."""
    v = it.value
    name = clean(it.ind.level3)
    desc = clean(it.ind.description or "")
    l1 = normalize_level1(it.ind.level1)
    if any(w in name for w in _NO_PERIOD) and v.kind == "percent" and not any(w in name for w in ("满意", "故障")):
        return (0.75, f"指标“{_name(it)}”给“长期”定了百分比，没有期限和计量方法（多长、以什么计），无法核实")
    if v.kind == "percent" and any(w in name for w in _RATE_OF_PLAN) and is_content_free(name + desc):
        # "工作完成率 / 工作完成率": a completion rate of work nobody named
        return (0.7, f"指标“{_name(it)}”是完成率，但没有说明完成什么计划或任务，没有分母，无法核实")
    if any(w in name for w in _DEFINED_RATES):
        return None
    if any(w in desc for w in _COUNT_NOUNS) and any(w in desc for w in ("占", "比例", "比率", "/", "除以")):
        return None
    if (
        v.kind == "duration"
        and l1 == "效益指标"
        and (any(w in name + desc for w in _INTANGIBLE_EFFECT) or any(w in name for w in _ABSTRACT_WORDS))
        and not any(w in name for w in _CONCRETE_THINGS)
    ):
        return (
            0.75,
            f"指标“{_name(it)}”给无形效果规定作用年限，没有计量方法：年限内的作用无法观察和核实",
        )
    if v.kind != "percent":
        return None
    abstract = next((w for w in _ABSTRACT_WORDS if w in name), None)
    change = next((w for w in _CHANGE_WORDS if w in name + desc), None)
    baseline = any(w in name + desc for w in _BASELINE_WORDS)
    if change and not baseline:
        what = f"“{abstract}”" if abstract else "所指对象"
        return (
            0.8,
            f"指标“{_name(it)}”以百分比衡量{what}的{change}，没有基线（较何时、以什么为基数），"
            + ("也没有计量方法，" if abstract else "")
            + "无法核实",
        )
    if abstract:
        return (
            0.75,
            (f"指标“{_name(it)}”给“{abstract}”定了百分比，但“{abstract}”没有定义计量方法，也没有分母（占什么的比例）"
             "和基线，无法核实"),
        )
    return None


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


# --- inputs given as outputs: money arriving or being spent is an input (or a process), not a
# performance the money buys (资金到位率, 预算执行率, 资金支付进度).
_MONEY_WORDS = ("资金", "预算", "经费", "拨款", "款项", "财政", "尾款", "金额")
_INPUT_PROCESS = ("到位", "执行", "支付", "拨付", "支出进度", "使用率", "下达", "兑付", "发放")


def input_as_output(it: Item) -> RuleResult | None:
    """A 产出/效益 row that measures money arriving or being spent; None outside those categories.

    A 成本指标 stating the cost in money is where money belongs; one valued otherwise ("预算执行率
    100%", "及时拨付") measures the spending itself. A payment counted by its recipients (发放人数)
    is the service, not the input.
    """
    l1 = normalize_level1(it.ind.level1)
    l2 = normalize_level2(it.ind.level2)
    if l1 not in ("产出指标", "效益指标") or (l2 == "成本指标" and it.value.kind == "money"):
        return None
    name = clean(it.ind.level3)
    if name in ("数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "经济效益指标") or is_content_free(name):
        # the 三级 cell repeats its category or says nothing: what is measured is in the description
        name = name + clean(it.ind.description or "")
    if any(w in name for w in ("人数", "户数", "人次")) or it.value.unit in ("人", "人次", "户"):
        return RuleResult(0.0, "", {"money": 0.0, "process": 0.0})
    money = next((w for w in _MONEY_WORDS if w in name), None)
    step = next((w for w in _INPUT_PROCESS if w in name), None)
    if step is None and l2 == "成本指标" and any(w in name for w in ("拨付", "支付")):
        step = "拨付"
    if money is None and l2 == "成本指标" and step in ("拨付", "支付") and "标准" not in name:
        money = "资金"  # "及时拨付" under 成本指标: the payment of the project's money itself
    if money and step:
        return RuleResult(
            0.8,
            f"{l1}“{_name(it)}”衡量{money}{step}，是投入或过程，不是资金带来的产出或效益。",
            {"money": 1.0, "process": 1.0},
        )
    if l2 == "数量指标" and it.value.kind == "money":
        # "计划运行维护费 ≥8万元" as a quantity of output: the money itself is the input
        return RuleResult(
            0.7, f"数量指标“{_name(it)}”以金额计，是投入的资金，不是产出的数量。", {"money": 1.0, "process": 0.0}
        )
    return RuleResult(0.0, "", {"money": float(bool(money)), "process": float(bool(step))})


# --- content-free rows (the widened boilerplate): name and description are the same generic
# words, or only administrative filler; such a row says nothing about its project even once.
def content_free(it: Item) -> RuleResult | None:
    """A row whose own name and description, project name included, are only generic words.

    Judged on the row as printed (not the template key, which strips the project name): a row
    naming its project's object (伤残保障金项目预算控制数) has content.
    """
    name = clean(strip_bracket_units(it.ind.level3)) or clean(it.ind.level3)
    desc = clean(it.ind.description or "")
    if not name or any(w in name + desc for w in _SATISFACTION):
        return None
    if is_content_free(name + desc):
        score, what_words = 0.85, "预算、时间、工作进度或“水平提升”之类的通用字眼"
    elif only_bare_activity(name + desc):
        left = content_left(name + desc)
        score, what_words = 0.6, f"通用字眼和没有对象的“{left[:6]}”"
    else:
        return None
    if not desc or desc == name:
        what = f"指标名称{'与描述同为' if desc else '为'}“{name}”"
    else:
        what = f"指标“{name}”（描述“{desc[:30]}”）"
    return RuleResult(
        score,
        f"{what}，只有{what_words}，缺少项目内容（做什么、交付什么、为谁服务），对任何项目都成立，属模板化套用。",
        {"content_free": 1.0},
    )


def hint_for(hints: Mapping[int, CategoryHint] | None, it: Item) -> CategoryHint | None:
    if not hints:
        return None
    return hints.get(it.ind.line)
