"""The standard indicator hierarchy (一级/二级) and the spelling variants seen in disclosures.

Kept apart from the response schemas so the score and check stages can reuse the same
normalisation when they compare a table's category with the model's.
"""

from __future__ import annotations

from typing import Literal, get_args

Level1 = Literal["产出指标", "效益指标", "满意度指标", "成本指标"]
Level2 = Literal[
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
]

LEVEL1_VALUES: tuple[str, ...] = get_args(Level1)
LEVEL2_VALUES: tuple[str, ...] = get_args(Level2)
# The 一级 names a table prints in its category column (效果指标 is an older name of 效益指标).
LEVEL1_PRINTED: tuple[str, ...] = (*LEVEL1_VALUES, "效果指标")

# 成本指标 is accepted both under 产出指标 (older guidance) and as its own 一级 (newer central guidance).
LEVEL2_BY_LEVEL1: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
    "成本指标": ("成本指标",),
}

_LEVEL1_ALIASES = {"效果指标": "效益指标", "产出": "产出指标", "效益": "效益指标", "效果": "效益指标",
                   "满意度": "满意度指标", "成本": "成本指标"}
_LEVEL2_ALIASES = {
    "满意度指标": "服务对象满意度指标",
    "服务对象满意度": "服务对象满意度指标",
    "满意度": "服务对象满意度指标",
    "可持续影响": "可持续影响指标",
    "经济效益": "经济效益指标",
    "社会效益": "社会效益指标",
    "生态效益": "生态效益指标",
    "数量": "数量指标",
    "质量": "质量指标",
    "时效": "时效指标",
    "成本": "成本指标",
}


def _clean(value: str) -> str:
    return "".join(value.split())


def normalize_level1(value: str | None) -> str | None:
    """Map printed variants (效果指标, 产出) to the standard name; unknown names pass through."""
    if value is None:
        return None
    v = _clean(value)
    return _LEVEL1_ALIASES.get(v, v)


def normalize_level2(value: str | None) -> str | None:
    if value is None:
        return None
    v = _clean(value)
    return _LEVEL2_ALIASES.get(v, v)


def same_category(l1_a: str | None, l2_a: str | None, l1_b: str | None, l2_b: str | None) -> bool:
    """Whether two (一级, 二级) pairs name the same category; 成本 under 产出 equals 成本 on its own."""
    a1, a2 = normalize_level1(l1_a), normalize_level2(l2_a)
    b1, b2 = normalize_level1(l1_b), normalize_level2(l2_b)
    if a2 == "成本指标" and b2 == "成本指标":
        return True
    return (a1, a2) == (b1, b2)


# Short codes for the 二级 (extract/v3 asks the model for one of these instead of the full
# names): two characters are one or two tokens to generate, the full pair is ten.
LEVEL2_CODES: dict[str, str] = {
    "数量": "数量指标",
    "质量": "质量指标",
    "时效": "时效指标",
    "成本": "成本指标",
    "经济": "经济效益指标",
    "社会": "社会效益指标",
    "生态": "生态效益指标",
    "持续": "可持续影响指标",
    "满意": "服务对象满意度指标",
}


def level2_from_code(code: str) -> str | None:
    """The 二级 of a short code, also accepting the full or printed name (数量指标, 满意度); None if unknown."""
    c = _clean(code)
    if c in LEVEL2_CODES:
        return LEVEL2_CODES[c]
    full = normalize_level2(c)
    return full if full in LEVEL2_VALUES else None


def level1_of(level2: str) -> str:
    """The 一级 a 二级 belongs to (成本指标 under 产出指标, as the extract prompts teach)."""
    return next(l1 for l1, l2s in LEVEL2_BY_LEVEL1.items() if level2 in l2s)


# Standards a goal commits to in words that an indicator states as a rate or degree of the same
# word: "人民群众满意度不断提升" ↔ 满意度, "面积达标" ↔ 达标率, "线路畅通" ↔ 畅通率. Such a row
# measures the goal though the word is cut from both as a measure word (eval/README
# goal_without_indicator). (word in the goal, word in the indicator's name)
STANDARD_RATES: tuple[tuple[str, str], ...] = (
    ("满意", "满意"), ("达标", "达标率"), ("合格", "合格率"), ("畅通", "畅通率"), ("覆盖", "覆盖率"),
)
