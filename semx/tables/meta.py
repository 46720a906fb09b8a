"""The document's unit (code, name) and budget year.

The unit line under a table title (`201 某某委员会`, `203001中共某某县委组织部本级`) and
`预算年度：2022` are the most exact sources; a document without tables names itself
in its title line (`某某县财政局2021年单位预算信息公开情况说明`).
"""

from __future__ import annotations

import re

from semx.models import SourceDocument
from semx.rows import Row
from semx.tables.cover import read_cover
from semx.tables.lines import UNIT_CODE_LINE, is_furniture
from semx.tables.text import clean, compact
from semx.tables.titles import ends_table

_YEAR_LINE = re.compile(r"预算年度[:：]\s*(\d{4})")
_DOC_TITLE = re.compile(r"^(.*?)\s*((?:19|20)\d{2})\s*年度?\s*(?:部门|单位)?\s*(?:预算|收支预算)")
_LINES_AFTER_TITLE = 6
_MAX_TITLE_LEN = 80


def _unit_from_tables(doc: SourceDocument) -> tuple[str | None, str] | None:
    """The coded unit line among the furniture lines right under any table title."""
    lines = [ln for ln in doc.lines if ln.text.strip()]
    for i, ln in enumerate(lines):
        title = ln.text.strip()
        if "\t" in title or not title.endswith(("表", "预算")) or not ends_table(title):
            continue
        for nxt in lines[i + 1 : i + 1 + _LINES_AFTER_TITLE]:
            row = Row(line=nxt.no, cells=nxt.text.split("\t"))
            if not is_furniture(row):
                break
            for cell in row.filled:
                m = UNIT_CODE_LINE.match(clean(cell))
                if m:
                    return m.group(1), m.group(2).strip()
    return None


def _from_title(doc: SourceDocument) -> tuple[str | None, int | None]:
    """(unit name, year) from the first title line that has a name before its year."""
    year: int | None = None
    for ln in doc.lines:
        t = clean(ln.text).strip("#* ")
        if not t or len(t) > _MAX_TITLE_LEN or "\t" in ln.text.strip():
            continue
        m = _DOC_TITLE.match(t)
        if not m:
            continue
        year = year or int(m.group(2))
        name = m.group(1).strip(" ：:")
        if name:
            return name, year
    return None, year


def document_meta(doc: SourceDocument) -> tuple[str | None, str | None, int | None]:
    """(unit_code, unit_name, year); each None when the document does not say."""
    unit = _unit_from_tables(doc)
    year: int | None = None
    for ln in doc.lines:
        m = _YEAR_LINE.search(compact(ln.text))
        if m:
            year = int(m.group(1))
            break
    if unit is not None and year is not None:
        return unit[0], unit[1], year
    # the cover's label line (预算主管部门：…) and title come before a guess from any title line
    cover = read_cover(doc)
    if unit is None and cover.unit is not None:
        unit = (None, cover.unit)
    year = year if year is not None else cover.year
    if unit is not None and year is not None:
        return unit[0], unit[1], year
    title_name, title_year = _from_title(doc)
    code, name = unit if unit is not None else (None, title_name)
    return code, name, year if year is not None else title_year
