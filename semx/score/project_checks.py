"""Project-level findings (DOMAIN.md §3 rules 1, 6, 7, 8 and prose/table agreement)."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from semx.models import Flag, FreeTextTarget
from semx.score.items import Item, ProjectView
from semx.score.text import bigrams, clean, dice, nfkc
from semx.score.values import MONEY_UNITS
from semx.vocab.categories import normalize_level1, normalize_level2

REQUIRED_LEVEL1 = ("产出指标", "效益指标", "满意度指标")
WEAK_BASIS = ("工作需要",)
_PROSE_NUM = re.compile(
    r"([\u4e00-\u9fffA-Za-z“”]{2,14}?)(?:达到|为|约|共|计|不少于|不低于|超过|以上)?\s*"
    r"(\d+(?:\.\d+)?)\s*(万元|元|%|人次|人|次|个|台|套|件|份|期|篇|条|场|项|户|家|所|辆|册|天)"
)


def _lines(items: list[Item]) -> str:
    return "、".join(str(it.ind.line) for it in items)


def check_project(pv: ProjectView, prose: list[str]) -> list[Flag]:
    items = pv.items
    flags: list[Flag] = []
    l1s = {normalize_level1(it.ind.level1) for it in items}
    l2s = {normalize_level2(it.ind.level2) for it in items}

    missing = [c for c in REQUIRED_LEVEL1 if c not in l1s]
    if items and missing:
        flags.append(
            Flag(
                code="missing_category",
                score=min(1.0, 0.5 + 0.25 * len(missing)),
                reason=f"缺少一级指标：{'、'.join(missing)}（应含产出、效益、满意度三类）。",
            )
        )
    if items and "成本指标" not in l2s and "成本指标" not in l1s:
        flags.append(Flag(code="no_cost", score=0.7, reason="没有成本指标。"))
    if len(items) < 3:
        flags.append(Flag(code="too_few_indicators", score=0.8, reason=f"只有{len(items)}个三级指标，少于3个。"))

    seen: dict[tuple[str, str, str], list[Item]] = defaultdict(list)
    for it in items:
        seen[(clean(it.ind.level3), clean(it.ind.description), clean(it.ind.value.raw))].append(it)
    dups = [grp for grp in seen.values() if len(grp) > 1]
    if dups:
        desc = "；".join(f"“{g[0].ind.level3}”重复{len(g)}次（第{_lines(g)}行）" for g in dups)
        flags.append(Flag(code="duplicate_rows", score=0.8, reason=f"指标行重复：{desc}。"))

    full = [
        it
        for it in items
        if ("满意" in it.text or normalize_level1(it.ind.level1) == "满意度指标")
        and it.value.kind == "percent"
        and it.value.number is not None
        and it.value.number >= 100
        and it.value.op in (None, "=", "≥")
    ]
    if full:
        flags.append(
            Flag(
                code="satisfaction_100",
                score=0.6,
                reason=f"满意度目标定为100%（{'、'.join(f'“{it.ind.level3}”{it.ind.value.raw}' for it in full[:3])}，第{_lines(full)}行），一般应为≥90%或≥95%。",
            )
        )

    bases = [clean(it.ind.basis) for it in items if clean(it.ind.basis)]
    # Only a template that has the 指标值确定依据 column can leave it empty: the Shanghai 申报表 prints
    # none, and an empty cell there is not a missing basis. Without a known header, printed cells
    # are the only evidence of the column.
    has_basis = "basis" in pv.project.indicator_columns or bool(bases)
    if items and has_basis and (not bases or all(b in WEAK_BASIS for b in bases)):
        what = "均为“工作需要”" if bases else "均为空"
        flags.append(Flag(code="weak_basis", score=0.6, reason=f"指标值确定依据{what}，未说明具体来源。"))

    budget_flag = _cost_reconcile(pv)
    if budget_flag is not None:
        flags.append(budget_flag)

    flags.extend(_prose_disagreements(pv, prose))
    return flags


def _cost_reconcile(pv: ProjectView) -> Flag | None:
    """Cost indicators in money that cannot add up to the project's 预算数."""
    budget = pv.project.budget
    costs = [
        it
        for it in pv.items
        if normalize_level2(it.ind.level2) == "成本指标" and it.value.wan is not None and it.value.op != "≥"
    ]
    if budget is None or budget <= 0 or not costs:
        return None
    total = sum((it.value.wan for it in costs if it.value.wan is not None), Decimal(0))
    tol = max(Decimal("0.01"), budget * Decimal("0.001"))
    if total > budget + tol:
        return Flag(
            code="cost_vs_budget",
            score=0.85,
            reason=f"成本指标合计{_fmt(total)}万元（第{_lines(costs)}行）超过项目预算数{_fmt(budget)}万元。",
            thresholds={"tolerance_wan": float(tol)},
        )
    if total * 2 < budget and all(it.value.op in ("=", None) for it in costs):
        return Flag(
            code="cost_vs_budget",
            score=0.5,
            reason=f"成本指标合计{_fmt(total)}万元（第{_lines(costs)}行）不足项目预算数{_fmt(budget)}万元的一半，成本与预算无法对应。",
            thresholds={"min_share": 0.5},
        )
    return None


def _to_wan(number: Decimal, unit: str) -> Decimal:
    return number * MONEY_UNITS[unit] if unit in MONEY_UNITS else number


def _prose_disagreements(pv: ProjectView, prose: list[str]) -> list[Flag]:
    """A number stated in the goal/purpose prose that the table contradicts."""
    found: list[str] = []
    for text in prose:
        for m in _PROSE_NUM.finditer(nfkc(text)):
            ctx, num_s, unit = m.group(1), m.group(2), m.group(3)
            try:
                num = Decimal(num_s)
            except InvalidOperation:
                continue
            ctx_grams = bigrams(ctx)
            if len(ctx_grams) < 2:
                continue
            for it in pv.items:
                v = it.value
                if v.number is None or v.unit is None:
                    continue
                same_unit = (unit in MONEY_UNITS and v.unit in MONEY_UNITS) or unit == v.unit
                if not same_unit:
                    continue
                if dice(ctx_grams, bigrams(it.ind.level3)) < 0.5:
                    continue
                a = _to_wan(num, unit)
                b = _to_wan(v.number, v.unit)
                if a != b and not (v.op == "≥" and a >= b) and not (v.op == "≤" and a <= b):
                    found.append(f"文字“{m.group(0).strip()}”与表中“{it.ind.level3}”{v.raw}（第{it.ind.line}行）不一致")
    if not found:
        return []
    return [Flag(code="prose_disagrees", score=0.7, reason="；".join(dict.fromkeys(found)) + "。")]


def prose_for(pv: ProjectView, free_text: list[FreeTextTarget]) -> list[str]:
    p = pv.project
    texts = [t for t in (p.goal_text, p.purpose, *p.goals) if t]
    for ft in free_text:
        if ft.linked_project and clean(ft.linked_project) == clean(p.name):
            texts += [ft.goal_text, ft.indicator_text]
    return list(dict.fromkeys(texts))


def _fmt(x: Decimal) -> str:
    s = f"{x:.4f}".rstrip("0").rstrip(".")
    return s or "0"
