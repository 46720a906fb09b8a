"""Response models the LLM must fill, with the validators that make instructor re-ask.

The validators are the point: a small local model invents quotes and numbers, so every
claim is checked against the block text passed in the validation context
(``context={"source": ...}``). A failed check raises a ValueError whose message is sent
back to the model verbatim by instructor, so messages say what to fix.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from semx.vocab.categories import (
    LEVEL2_BY_LEVEL1,
    LEVEL2_CODES,
    Level1,
    Level2,
    level2_from_code,
    normalize_level1,
    normalize_level2,
)
from semx.vocab.numbers import tidy
from semx.vocab.quantities import IMPLIED_VALUES

Op = Literal["≥", "≤", "=", ">", "<"]

_OP_ALIASES = {">=": "≥", "<=": "≤", "＞": ">", "＜": "<", "==": "=", "＝": "="}


def _norm_op(value: Any) -> Any:
    if isinstance(value, str):
        v = value.strip()
        if v == "":
            return None
        return _OP_ALIASES.get(v, v)
    return value


def _norm_l1(value: Any) -> Any:
    return normalize_level1(value) if isinstance(value, str) else value


def _norm_l2(value: Any) -> Any:
    return normalize_level2(value) if isinstance(value, str) else value


Level1Field = Annotated[Level1, BeforeValidator(_norm_l1)]
Level2Field = Annotated[Level2, BeforeValidator(_norm_l2)]
OpField = Annotated[Op | None, BeforeValidator(_norm_op)]


_QUOTE_MARKS = str.maketrans("", "", "\"'“”‘’「」『』＂＇‹›«»")


def squash(text: str) -> str:
    """Compare text the way a reader would: NFKC (full-width digits, ％), no whitespace, no quote marks.

    Line breaks and the stray spaces around numbers ("大于等于 300 条") are layout, not
    content, and a model writing JSON turns “…” into \"…\"; a quote that differs only
    there is still a faithful quote.
    """
    return "".join(unicodedata.normalize("NFKC", text).split()).translate(_QUOTE_MARKS)


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万]+")
_ARABIC = re.compile(r"\d+(?:\.\d+)?")


def cn_to_int(run: str) -> int | None:
    """十二 -> 12, 两 -> 2; None when the run is not a well-formed Chinese numeral."""
    total, section, digit = 0, 0, None
    for ch in run:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section, digit = 0, None
            else:
                section += (1 if digit is None else digit) * unit
                digit = None
        else:
            return None
    return total + section + (digit or 0)


def numbers_in(text: str) -> set[Decimal]:
    """Every number written in the text, in digits (1,000 / 95.5) or simple Chinese numerals (两, 十二),
    and the numbers words stand for (年底 = 12 月底, 无差错 = 0 次: vocab.quantities.IMPLIED_VALUES)."""
    flat = squash(text).replace(",", "")
    found: set[Decimal] = set()
    for m in _ARABIC.finditer(flat):
        try:
            found.add(Decimal(m.group()).normalize())
        except InvalidOperation:
            continue
    for m in _CN_RUN.finditer(flat):
        n = cn_to_int(m.group())
        if n is not None:
            found.add(Decimal(n).normalize())
    for words, number, _unit, _op in IMPLIED_VALUES:
        if words.search(flat):
            found.add(Decimal(number))
    return found


def to_decimal(number: float | str) -> Decimal:
    """JSON numbers arrive as float; go through str so 25.04 stays 25.04 and 1000.0 prints as 1000."""
    return tidy(Decimal(str(number)))


def _drop_titles(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _drop_titles(v) for k, v in node.items() if not (k == "title" and isinstance(v, str))}
    if isinstance(node, list):
        return [_drop_titles(v) for v in node]
    return node


class _Compact(BaseModel):
    """Schema without pydantic's auto "title" keys: instructor pastes the schema into every prompt,
    and on a CPU model each prompt token costs time, so say only what helps the model."""

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        return _drop_titles(super().model_json_schema(*args, **kwargs))  # type: ignore[no-any-return]


def level1_for(level1: str, level2: str) -> Any:
    """The 一级 that goes with a 二级 when the two disagree.

    Both names are already checked against the standard lists (unknown names are rejected);
    an impossible pair such as 效益指标/质量指标 is repaired by trusting the more specific 二级,
    which belongs to exactly one 一级 (成本指标 is valid under 产出指标 and as its own 一级).
    Re-asking does not help here: at temperature 0 the small model repeats the same pair.
    """
    if level2 in LEVEL2_BY_LEVEL1[level1]:
        return level1
    return next(l1 for l1, l2s in LEVEL2_BY_LEVEL1.items() if level2 in l2s)


def _source(info: ValidationInfo) -> str | None:
    ctx = info.context
    if isinstance(ctx, dict):
        src = ctx.get("source")
        return src if isinstance(src, str) else None
    return None


class ExtractedIndicator(_Compact):
    """One performance indicator stated in the free text."""

    evidence: str = Field(description="从原文逐字摘录的短句（不改字），须包含该指标的数值")
    level3: str = Field(description="三级指标名称，简短，如“参会人数”")
    op: OpField = Field(None, description="比较符：≥ ≤ = > <；“以上/不少于/大于等于”为≥，“以下/不超过/小于等于”为≤，未写为=")
    number: float | None = Field(None, description="原文中的数值，照抄，不换算；无数值时为null")
    unit: str | None = Field(None, description="单位，如 人、份、次、%、万元、天")
    level1: Level1Field = Field(description="一级指标")
    level2: Level2Field = Field(description="二级指标")

    @field_validator("evidence")
    @classmethod
    def _quote_in_source(cls, v: str, info: ValidationInfo) -> str:
        src = _source(info)
        if src is not None and squash(v) not in squash(src):
            raise ValueError(f"evidence「{v}」不是原文中的原句，请从原文逐字摘录 (quote is not in the source text)")
        return v.strip()

    @model_validator(mode="after")
    def _consistent(self) -> ExtractedIndicator:
        self.level1 = level1_for(self.level1, self.level2)
        if self.number is not None and to_decimal(self.number) not in numbers_in(self.evidence):
            raise ValueError(
                f"number {self.number} 没有出现在 evidence「{self.evidence}」中；数值须照抄原文 (number not in quote)"
            )
        return self


class Extraction(_Compact):
    """All indicators stated in one free-text target block."""

    indicators: list[ExtractedIndicator] = Field(description="原文中每个绩效指标一项")


class CategoryOpinion(_Compact):
    """The model's category for one table indicator."""

    index: int = Field(description="指标编号，与输入一致")
    level1: Level1Field = Field(description="你认为正确的一级指标")
    level2: Level2Field = Field(description="你认为正确的二级指标")
    reason: str = Field(description="一句话理由，不超过40字")

    @model_validator(mode="after")
    def _consistent(self) -> CategoryOpinion:
        self.level1 = level1_for(self.level1, self.level2)
        return self


class Classification(_Compact):
    """One opinion per indicator of the project, by index."""

    items: list[CategoryOpinion] = Field(description="每个输入指标一项")

    @model_validator(mode="after")
    def _covers_input(self, info: ValidationInfo) -> Classification:
        ctx = info.context
        expected = ctx.get("indexes") if isinstance(ctx, dict) else None
        if expected is not None:
            got = [it.index for it in self.items]
            if sorted(got) != sorted(expected):
                raise ValueError(f"items 的 index 必须恰好是 {sorted(expected)}，每个一次；现在是 {got}")
        return self


# Names a model must not give an indicator: they say its category, not what is measured.
_CATEGORY_WORDS = frozenset({"数量", "质量", "时效", "成本", "效益", "满意度", "指标", "数量指标", "质量指标",
                             "时效指标", "成本指标", "会议", "数值", "目标", "任务"})
_MAX_NAME = 24  # longer is a sentence, not a name
_MAX_NAMES_ONE_SPAN = 3


class SpanNaming(_Compact):
    """extract/v3: for each numbered span, [number, indicator name, category code]."""

    r: list[tuple[int, str, str]] = Field(description="每个片段一项：[编号, 指标名称, 类别代码]")

    @model_validator(mode="after")
    def _covers_spans(self, info: ValidationInfo) -> SpanNaming:
        ctx = info.context
        quotes = ctx.get("quotes") if isinstance(ctx, dict) else None
        problems: list[str] = []
        seen: list[int] = []
        fixed: list[tuple[int, str, str]] = []
        for i, name, code in self.r:
            seen.append(i)
            name = name.strip()
            level2 = level2_from_code(code)
            if level2 is None:
                problems.append(f"片段{i}的类别「{code}」不在列表中，只能用：{'、'.join(LEVEL2_CODES)}")
            if not name or squash(name) in _CATEGORY_WORDS:
                problems.append(f"片段{i}的名称「{name}」不是被衡量的量，请写成如“培训人数”“合格率”")
            elif len(squash(name)) > _MAX_NAME or (quotes and 0 < i <= len(quotes)
                                                     and len(squash(name)) > 8 and squash(name) == squash(quotes[i - 1])):
                problems.append(f"片段{i}的名称不能是整句，请写成简短的指标名称，如“培训人数”")
            fixed.append((i, name, code.strip()))
        if quotes is not None and len(quotes) == 1 and 1 <= len(fixed) <= _MAX_NAMES_ONE_SPAN:
            # One span, several names: "A和B达90%" states two quantities with one value (the model
            # numbers them 1, 2). With a single span there is no doubt where they belong.
            fixed = [(1, name, code) for _, name, code in fixed]
        elif quotes is not None:
            want = list(range(1, len(quotes) + 1))
            if sorted(seen) != want:
                problems.append(f"r 必须恰好包含编号 {want}，每个一次；现在是 {seen}")
        if problems:
            raise ValueError("；".join(problems))
        self.r = fixed
        return self


RESPONSE_MODELS: dict[str, type[BaseModel]] = {"extract": Extraction, "classify": Classification,
                                               # a prompt's front matter may name its own response model
                                               "span_naming": SpanNaming}
