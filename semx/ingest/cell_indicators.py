"""The indicator rows of a 绩效目标 form in one-cell-per-line text (`cell_lines.py`).

Each cell is a line of its own and an empty cell prints nothing, so the rows are rebuilt from the
category vocabulary: a 一级 / 二级 word (whole, wrapped over two lines, or both on one line) opens its
block, and the cells between category words pair into 三级指标 and 指标值. A cell wrapped onto a
second line is joined where a quotation mark is still open, or, when the pairs leave one line over,
at the longest single line (the one the cell's width wrapped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from semx.vocab.categories import LEVEL1_VALUES, LEVEL2_VALUES

# Indicator categories: the standard words and any short `…指标` (2026 forms: 经济成本指标 …).
_LEVEL1 = frozenset(LEVEL1_VALUES) | {"效果指标"}
_LEVEL2 = frozenset(LEVEL2_VALUES)
_CATEGORY = re.compile(r"^[\u4e00-\u9fff]{2,9}指标$")
_NOT_CATEGORY = frozenset({"一级指标", "二级指标", "三级指标", "绩效指标"})
INDICATOR_HEAD = "一级指标"
_FORM_TITLE = re.compile(r"绩效目标(?:填报|申报)表")
_QUOTES = (("\"", "\""), ("“", "”"))


@dataclass
class Src:
    no: int
    page: int | None
    raw: str
    text: str


@dataclass
class CellRow:
    lines: list[Src]
    cells: list[str] | None = None  # set: the row's cells as they stand (indicator rows), not re-tokenised
    after_figures: bool = False  # the row opened right after another row's figures (a data row's label)
    glued: set[int] = field(default_factory=set)  # lines that continue the line before (a wrapped label)

    @property
    def first(self) -> Src:
        return self.lines[0]



def _level1(t: str) -> bool:
    return t in _LEVEL1


def _level2(t: str) -> bool:
    return t in _LEVEL2 or (bool(_CATEGORY.match(t)) and t not in _NOT_CATEGORY and t not in _LEVEL1)


def _categories(texts: list[str], i: int) -> tuple[str | None, str | None, int]:
    """The 一级 and 二级 words that start at texts[i] (either may be missing) and how many lines they
    take: a word wrapped over two lines (`服务对象满意` / `度指标`), or both on one line
    (`满意度指标服务对象满意` / `度指标`). 成本指标 is a 一级 only when a 二级 follows it."""
    cur = texts[i]
    nxt = texts[i + 1] if i + 1 < len(texts) else ""
    for l1 in sorted(_LEVEL1, key=len, reverse=True):
        if not cur.startswith(l1):
            continue
        rest = cur[len(l1):]
        if not rest:
            l2, used = _level2_at(texts, i + 1)
            if l1 == "成本指标" and l2 is None:
                break  # a 二级 成本指标 under 产出指标
            return l1, l2, 1 + used
        if _level2(rest):
            return l1, rest, 1
        if nxt and _known_level2(rest + nxt):
            return l1, rest + nxt, 2
    if _level1(cur + nxt) and nxt:
        l2, used = _level2_at(texts, i + 2)
        return cur + nxt, l2, 2 + used
    l2, used = _level2_at(texts, i)
    return None, l2, used


def _known_level2(t: str) -> bool:
    """A 二级 of the vocabulary (or a 2026 `…成本指标`): what two joined lines must make, where any
    `…指标` would take a value and the 一级 after it (`合规` + `效益指标`) for one."""
    return t in _LEVEL2 or (t.endswith("成本指标") and len(t) <= 9)


# The 2026 forms' cost 二级 (经济成本指标 …) wrapped before its last word prints `成本指标` alone, which
# reads like the 一级: joined only after one of these heads.
_COST_HEADS = frozenset({"经济", "社会", "生态环境"})


def _level2_at(texts: list[str], i: int) -> tuple[str | None, int]:
    if i >= len(texts):
        return None, 0
    if _level2(texts[i]):
        return texts[i], 1
    if i + 1 < len(texts) and _known_level2(texts[i] + texts[i + 1]) and (
            not (_known_level2(texts[i + 1]) or _level1(texts[i + 1]))
            or (texts[i] in _COST_HEADS and texts[i + 1] == "成本指标")):
        return texts[i] + texts[i + 1], 2
    # a 二级 wrapped over three lines (`服务对象` / `满意度指` / `标`)
    if i + 2 < len(texts) and texts[i] + texts[i + 1] + texts[i + 2] in _LEVEL2 and not any(
            _level2(t) or _level1(t) for t in texts[i: i + 3]):
        return texts[i] + texts[i + 1] + texts[i + 2], 3
    return None, 0


def _open_quote(text: str) -> bool:
    return any(text.count(a) > text.count(b) if a != b else text.count(a) % 2 == 1 for a, b in _QUOTES)


def _pair_cells(cells: list[list[Src]]) -> list[list[list[Src]]]:
    """The cells of one 二级 block as (三级指标, 指标值) pairs. A cell whose quotation mark is still
    open takes the next line; when one line is left over, the longest line (the one its cell's width
    wrapped) takes the next."""
    joined: list[list[Src]] = []
    for c in cells:
        if joined and _open_quote("".join(s.text for s in joined[-1])):
            joined[-1] = joined[-1] + c
        else:
            joined.append(c)
    single = [j for j in range(len(joined) - 1) if len(joined[j]) == 1]
    if len(joined) % 2 == 1 and single:
        k = max(single, key=lambda j: len(compact(joined[j][0].text)))
        joined[k: k + 2] = [joined[k] + joined[k + 1]]
    return [joined[j: j + 2] for j in range(0, len(joined), 2)]


def _indicator_rows(src: list[Src]) -> list[CellRow]:
    """Rows [outer label, 一级, 二级, 三级, 指标值] of a form's indicator part (src: the lines after
    its header)."""
    texts = ["".join(s.text.split()) for s in src]
    rows: list[CellRow] = []
    l1: str | None = None
    l2: str | None = None
    new_l1 = new_l2 = False
    outer: list[Src] = []
    block: list[list[Src]] = []
    cat_lines: list[Src] = []

    def flush() -> None:
        nonlocal new_l1, new_l2, cat_lines, outer
        for pair in _pair_cells(block):
            name = "".join(s.text.strip() for s in pair[0])
            value = "".join(s.text.strip() for s in pair[1]) if len(pair) > 1 else ""
            lines = cat_lines + [s for part in pair for s in part]
            cells = ["绩效指标" if outer else "", l1 if new_l1 and l1 else "", l2 if new_l2 and l2 else "", name, value]
            rows.append(CellRow(sorted(outer + lines, key=lambda s: s.no), cells))
            new_l1 = new_l2 = False
            cat_lines, outer = [], []
        block.clear()

    i = 0
    while i < len(src):
        t = texts[i]
        if t == "绩效指标" or (t == "绩效" and i + 1 < len(texts) and texts[i + 1] == "指标"):
            # the form's outer label, also wrapped over two lines (`绩效` / `指标`)
            used = 1 if t == "绩效指标" else 2
            outer = src[i: i + used]
            i += used
            continue
        c1, c2, used = _categories(texts, i)
        if used:
            flush()
            if c1 is None and c2 is not None and c2.endswith("成本指标") and c2 != "成本指标" and l1 != "成本指标":
                c1 = "成本指标"  # a 2026 cost 二级 is under the 一级 成本指标, its word shared with the 二级's tail
            if c1 is not None:
                l1, new_l1 = c1, True
                l2 = None
            if c2 is not None:
                l2, new_l2 = c2, True
            cat_lines = cat_lines + src[i: i + used]
            i += used
            continue
        block.append([src[i]])
        i += 1
    flush()
    return rows



def indicator_part(src: list[Src], i: int) -> tuple[list[CellRow], int]:
    """The rows of a form's indicator part opening at src[i] (`一级指标`) and the index after it:
    the header words (`年度(/项目)指标` / `值` wrapped is one cell), then the rows up to the next
    form's title or page."""
    j = i
    while j < len(src) and not _FORM_TITLE.search(src[j].text) and not (
            j > i and src[j].page is not None and src[j].page != src[i].page):
        j += 1
    head_end = i + 1
    while head_end < j and compact(src[head_end].text) in ("二级指标", "三级指标", "值") or (
            head_end < j and "指标值" in compact(src[head_end].text)):
        head_end += 1
    merged: list[str] = []
    for h in src[i:head_end]:
        w = compact(h.text)
        if merged and w == "值":
            merged[-1] += w
        else:
            merged.append(w)
    return [CellRow(src[i:head_end], ["", *merged]), *_indicator_rows(src[head_end:j])], j


def compact(text: str) -> str:
    return "".join(text.split())


