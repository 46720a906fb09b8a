"""Shared builders for the scorer and embedding tests (hand-made projects, the real model)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from semx.models import Indicator, IndicatorValue, Project

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "eval" / "corpus"

# Fixed Chinese strings for the conversion check: full-width punctuation, digits,
# units, comparators and budget vocabulary, as found in the disclosures.
FIDELITY_TEXTS = [
    "项目名称：县委、政协楼电费",
    "培训学员通过网络评估系统对培训班满意率",
    "成本指标：机关运转费用≤4.5万元",
    "社会效益指标（可持续影响）：保障机关正常运转",
    "办公自动化覆盖业务的种类（类）≥5 类",
    "按照要求和计划完成研究任务的项目在所有立项项目中的比例（百分比）",
    "一般公共预算财政拨款支出表　单位：万元",
    "２０２２年部门预算信息公开，满意度≥９５％",
    "疫情期间印制宣传品、援南人员欢送活动费用",
    "电子政务内网整改后剩余尾款",
]


def ind(
    level3: str,
    raw: str,
    line: int,
    *,
    level1: str = "产出指标",
    level2: str = "数量指标",
    description: str | None = None,
    basis: str | None = "项目实施方案",
    kind: str = "text",
    number: str | None = None,
    unit: str | None = None,
    op: str | None = None,
) -> Indicator:
    return Indicator(
        level1=level1,
        level2=level2,
        level3=level3,
        description=description,
        value=IndicatorValue(
            raw=raw,
            op=op,  # type: ignore[arg-type]
            number=Decimal(number) if number is not None else None,
            unit=unit,
            kind=kind,  # type: ignore[arg-type]
        ),
        basis=basis,
        line=line,
    )


def project(name: str, goal: str, indicators: list[Indicator], *, budget: str | None = None, start: int = 1) -> Project:
    return Project(
        name=name,
        goals=[goal],
        goal_text=goal,
        budget=Decimal(budget) if budget is not None else None,
        indicators=indicators,
        start_line=start,
        end_line=start + len(indicators) + 1,
    )


def full_project(
    name: str, goal: str, start: int, extra: list[Indicator] | None = None, budget: str | None = None
) -> Project:
    """A complete, well-formed project (all categories, cost, satisfaction ≥95%)."""
    inds = [
        # Descriptions quote the goal so rows differ between projects even once the
        # project name is stripped (otherwise they would be a template by design).
        ind(f"{name}采购数量", "≥10 台", start + 1, level2="数量指标", description=f"为{goal}采购的设备数量"),
        ind(f"{name}验收合格率", "≥95%", start + 2, level2="质量指标", description=f"为{goal}验收合格的比率"),
        ind(f"{name}完成时限", "≤12 月", start + 3, level2="时效指标", description=f"{goal}的完成时间"),
        ind(f"{name}成本", "≤5 万元", start + 4, level2="成本指标", description=f"{goal}的费用"),
        ind(
            f"{name}使用效果", "≥90%", start + 5, level1="效益指标", level2="社会效益指标", description=f"{goal}的效果"
        ),
        ind(
            f"使用{name}的人员满意度",
            "≥95%",
            start + 6,
            level1="满意度指标",
            level2="服务对象满意度指标",
            description=f"服务对象对{goal}的满意度",
        ),
        *(extra or []),
    ]
    return project(name, goal, inds, budget=budget, start=start)
