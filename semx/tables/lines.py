"""What a row around or inside a table is: page furniture, note, header, 栏次 or data.

Page furniture (unit line, 预算年度, 单位：万元, 截止时间, page numbers) is printed above
the header of every page of a table; recognising it is what lets a table split across
pages be read as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from semx.rows import Row
from semx.tables.text import clean, compact, is_int, is_number

_MONEY_UNIT = re.compile(r"(?:金额)?单位[:：](万元|千元|亿元|元)")
_MONEY_UNIT_CELL = re.compile(r"^(?:金额)?单位[:：](?:万元|千元|亿元|元)$")
_YEAR = re.compile(r"^(?:预算)?年度[:：](\d{4})")
_UNIT_LABEL = re.compile(r"^(?:编制单位|编制部门|预算单位|填报单位|部门名称|单位名称|部门|单位)[:：](.+)$")
_CUTOFF = re.compile(r"^截[止至](?:时间|日期)[:：]")
# "201 某某委员会", "105002 某某县财政局本级", "203001中共某某县委组织部本级" (code, then name)
UNIT_CODE_LINE = re.compile(r"^(\d{3,12})\s*((?![年月日天个人次])[\u4e00-\u9fff（(][^:：。，；]{0,48})$")
_PAGE_NUMBER = re.compile(r"^[-—－\s]*(?:第\s*)?\d{1,3}\s*页?(?:\s*[/共]\s*\d+\s*页?)?[-—－\s]*$")
_SENTENCE = re.compile(r"[。，；;]")

_NOTE = re.compile(r"^(?:注|备注|说明)[:：]|空表|^本表")
_DECLARED_EMPTY = re.compile(
    r"空表|^(?:注|备注|说明)[:：]\s*(?:本(?:部门|单位))?(?:无|没有)|^(?:本|我)(?:部门|单位)(?:无|没有)"
    r"|本表(?:为空|无数据)|无数据"
)
_LANCI = "栏次"

_HEADER_WORD = re.compile(
    r"序号|项目|科目|编码|名称|合计|小计|总计|收入|支出|金额|预算|数量|单价|单位|经费|拨款|核拨|资金|性质|规格"
    r"|形式|价值|结转|结余|^类$|^款$|^项$|计量|目录|来源|资产|数$|经济分类|功能分类"
)
# First cells that start a data row rather than a header row.
_DATA_LABEL = re.compile(r"^(?:合计|总计|小计|资产总额|[一二三四五六七八九十]+[、.．]|\d+[、.．]|其中)")


@dataclass
class Furniture:
    """What page furniture says about the table."""

    unit_line: str | None = None
    unit_code: str | None = None
    unit_name: str | None = None
    year: int | None = None
    money_unit: str | None = None


def money_scale(unit: str | None) -> Decimal:
    """Factor that turns an amount printed in `unit` into 万元."""
    return {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "亿元": Decimal(10000)}.get(unit or "万元", Decimal(1))


def money_unit_in(text: str) -> str | None:
    m = _MONEY_UNIT.search(compact(text))
    return m.group(1) if m else None


def _furniture_cell(cell: str) -> bool:
    c = compact(cell)
    return bool(
        _MONEY_UNIT_CELL.match(c)
        or _YEAR.match(c)
        or _UNIT_LABEL.match(c)
        or _CUTOFF.match(c)
        or UNIT_CODE_LINE.match(clean(cell))
    )


def name_like(cell: str) -> bool:
    """A bare unit name printed beside 单位：万元 (no code, no punctuation)."""
    c = clean(cell)
    return 0 < len(c) <= 40 and not _SENTENCE.search(c) and not is_number(c)


# One printed line may carry several pieces: "201 某某委员会    单位：万元".
_PIECE_BREAK = re.compile(r"\s+(?=(?:金额)?单位[:：]|预算年度[:：]|截[止至](?:时间|日期)[:：])")


def _pieces(cells: list[str]) -> list[str]:
    return [p for c in cells for p in _PIECE_BREAK.split(c.strip()) if p]


def is_furniture(row: Row) -> bool:
    filled = row.filled
    if not filled or len(filled) > 3:
        return False
    if is_page_number(row):
        return True
    filled = _pieces(filled)
    hits = [_furniture_cell(c) for c in filled]
    if all(hits):
        return True
    return any(hits) and all(h or name_like(c) for h, c in zip(hits, filled))


def _as_printed(cell: str) -> str:
    return " ".join(cell.split())


def read_furniture(row: Row, into: Furniture) -> None:
    """Fill what is still unknown; the first page's furniture wins."""
    for cell in _pieces(row.filled):
        c = compact(cell)
        if m := _MONEY_UNIT.search(c):
            into.money_unit = into.money_unit or m.group(1)
        elif m := _YEAR.match(c):
            into.year = into.year or int(m.group(1))
        elif _CUTOFF.match(c) or (len(row.filled) == 1 and _PAGE_NUMBER.match(cell)):
            continue
        elif m := _UNIT_LABEL.match(c):
            into.unit_name = into.unit_name or clean(cell).split("：", 1)[-1].split(":", 1)[-1].strip()
            into.unit_line = into.unit_line or _as_printed(cell)
        elif m := UNIT_CODE_LINE.match(clean(cell)):
            if into.unit_code is None:
                into.unit_code, into.unit_name = m.group(1), m.group(2).strip()
                into.unit_line = _as_printed(cell)
        elif name_like(cell) and into.unit_line is None:
            into.unit_name = clean(cell)
            into.unit_line = _as_printed(cell)


def is_page_number(row: Row) -> bool:
    filled = row.filled
    return len(filled) == 1 and bool(_PAGE_NUMBER.match(filled[0]))


def is_note(row: Row) -> bool:
    filled = row.filled
    return len(filled) == 1 and bool(_NOTE.search(compact(filled[0])))


def declares_empty(text: str) -> bool:
    return bool(_DECLARED_EMPTY.search(compact(text)))


def is_lanci(row: Row) -> bool:
    filled = row.filled
    return bool(filled) and compact(filled[0]) == _LANCI


def header_key(row: Row) -> tuple[str, ...]:
    """Identity of a header row across pages (layout spaces and trailing empty cells ignored)."""
    cells = [compact(c) for c in row.cells]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def looks_like_header(row: Row) -> bool:
    filled = row.filled
    if len(filled) < 2:
        return False
    first = compact(row.cells[0]) if row.cells else ""
    if first and (is_int(first) or _DATA_LABEL.match(first)):
        return False
    if any(is_number(c) for c in filled):
        return False
    words = sum(1 for c in filled if _HEADER_WORD.search(compact(c)))
    return words * 2 > len(filled)
