"""Project rules of the 绩效目标审核 practice that word overlap alone does not give.

- trivially_met: the only output is a 完成率 "按计划完成" (适当性: a target met by definition);
- goal_coverage: each numbered goal is measured by some indicator, and each 产出/效益 indicator
  measures some goal (完整性 / 相关性, both ways);
- annual_goal_copied: the 年度目标 of a multi-year project is its 项目总目标 verbatim (适当性).
Each returns flags with a score, a Chinese reason and the evidence lines.
"""

from __future__ import annotations

import re

from semx.models import Flag
from semx.score.boilerplate import is_generic_admin, subject_grams
from semx.score.items import Item, ProjectView
from semx.score.text import clean
from semx.vocab.categories import normalize_level1, normalize_level2

_PLAN_WORDS = ("按计划", "按照计划", "计划完成", "完成计划", "按要求完成", "按时完成", "如期完成", "完成")
_COMPLETION = ("完成率", "完成情况", "完成度", "完成比例", "执行率", "完成")


def _lines(items: list[Item]) -> str:
    return "、".join(str(it.ind.line) for it in items)


def _outputs(pv: ProjectView) -> list[Item]:
    return [
        it
        for it in pv.items
        if normalize_level1(it.ind.level1) == "产出指标" and normalize_level2(it.ind.level2) != "成本指标"
    ]


def is_plan_completion(it: Item) -> bool:
    """A completion rate of the plan itself: "完成率 / 按计划完成 / 100%", nothing delivered named."""
    name = clean(it.ind.level3)
    text = name + clean(it.ind.description or "") + clean(it.value.raw)
    return any(w in name for w in _COMPLETION) and any(w in text for w in _PLAN_WORDS) and is_generic_admin(it.key)


def trivially_met(pv: ProjectView) -> list[Flag]:
    outs = _outputs(pv)
    if not outs or not all(is_plan_completion(it) for it in outs):
        return []
    names = "、".join(f"“{it.ind.level3}”{it.ind.value.raw}" for it in outs[:3])
    return [
        Flag(
            code="trivially_met",
            score=0.75,
            reason=f"产出指标只有计划完成率（{names}，第{_lines(outs)}行）：没有说明交付什么、交付多少，"
            "只要按计划执行就必然达成，目标没有约束力。",
        )
    ]


# A numbered goal: "1. …", "（2）…", "③…" at the start of a goal line or after a separator.
_NUMBERED = re.compile(r"(?:^|[\s；;。])(?:[（(]?\d{1,2}[)）、.．]|[①②③④⑤⑥⑦⑧⑨⑩])\s*")


def numbered_goals(pv: ProjectView) -> list[str]:
    """The numbered goals of a project (at least two), else []: an unnumbered goal is one statement."""
    p = pv.project
    if len(p.goals) >= 2:
        return [g for g in p.goals if clean(g)]
    text = p.goal_text or ""
    parts = [clean(x) for x in _NUMBERED.split(text)]
    parts = [x for x in parts if len(x) >= 4]
    return parts if len(parts) >= 2 and len(_NUMBERED.findall(text)) >= 2 else []


def goal_coverage(pv: ProjectView, min_shared: int = 2) -> list[Flag]:
    """Goals no indicator measures, and 产出/效益 indicators that measure none of the goals.

    "Measures" is word overlap on subject words (measurement and administration words removed):
    a goal and an indicator sharing at least `min_shared` subject bigrams are about the same thing (one
    shared bigram is often only the department's word, 档案 in every row of an archive bureau); an
    indicator sharing no subject bigram with any goal, the project name or its purpose measures none.
    """
    goals = numbered_goals(pv)
    if not goals or not pv.items:
        return []
    goal_words = [subject_grams(clean(g)) for g in goals]
    rows = [
        it
        for it in pv.items
        if normalize_level1(it.ind.level1) in ("产出指标", "效益指标") and normalize_level2(it.ind.level2) != "成本指标"
    ]
    row_words = {id(it): subject_grams(it.text) for it in rows}
    flags: list[Flag] = []
    uncovered = [
        (i, g)
        for i, (g, gw) in enumerate(zip(goals, goal_words, strict=True))
        if gw and not any(len(gw & row_words[id(it)]) >= min_shared for it in rows)
    ]
    if uncovered:
        shown = "；".join(f"目标{i + 1}“{g[:30]}”" for i, g in uncovered[:3])
        flags.append(
            Flag(
                code="goal_uncovered",
                score=min(1.0, 0.5 + 0.15 * len(uncovered)),
                reason=f"{len(uncovered)}/{len(goals)}项绩效目标没有指标衡量（{shown}）：产出和效益指标中"
                "找不到与之对应的内容。",
                thresholds={"min_shared_words": float(min_shared)},
            )
        )
    own = set().union(*goal_words) | subject_grams(clean(pv.project.name)) | subject_grams(clean(pv.project.purpose))
    orphans = [it for it in rows if row_words[id(it)] and not (row_words[id(it)] & own)]
    if orphans:
        names = "、".join(f"“{it.ind.level3}”" for it in orphans[:3]) + ("等" if len(orphans) > 3 else "")
        flags.append(
            Flag(
                code="indicator_no_goal",
                score=min(1.0, 0.5 + 0.1 * len(orphans)),
                reason=f"{len(orphans)}个产出/效益指标（{names}，第{_lines(orphans)}行）不衡量任何一项绩效目标，"
                "也不涉及项目名称和资金用途。",
                thresholds={"min_shared_words": float(min_shared)},
            )
        )
    return flags


_PUNCT = re.compile(r"[\s，,。；;：:、“”\"'（）()《》]")
_YEAR_SPAN = re.compile(r"(20\d\d)\s*[-—–~至到]\s*(20\d\d)")
_N_YEARS = re.compile(r"(?<!\d)([2-9]|[两三四五六七八九十])\s*年")


def multi_year(period: str | None) -> bool | None:
    """Whether the 实施周期 spans more than one year; None when it is not printed."""
    if not period:
        return None
    m = _YEAR_SPAN.search(period)
    if m:
        return int(m.group(2)) > int(m.group(1))
    if _N_YEARS.search(period):
        return True
    return False


def annual_goal_copied(pv: ProjectView) -> list[Flag]:
    p = pv.project
    annual = p.goal_text or "\n".join(p.goals)
    if not p.total_goal or not annual:
        return []
    a, t = _PUNCT.sub("", clean(annual)), _PUNCT.sub("", clean(p.total_goal))
    if len(a) < 8 or a != t or multi_year(p.period) is False:
        return []
    span = f"实施周期{p.period}" if p.period else "多年项目"
    return [
        Flag(
            code="annual_goal_copied",
            score=0.8 if p.period else 0.6,
            reason=f"年度目标与项目总目标逐字相同（{span}，第{p.start_line}—{p.end_line}行）：没有说明本年度"
            "要完成总目标中的哪一部分。",
        )
    ]


__all__ = ["annual_goal_copied", "goal_coverage", "numbered_goals", "trivially_met"]
