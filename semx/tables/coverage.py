"""How many table titles and 绩效目标 forms a document shows, and which of its tables were read.

A title counts as seen when a table follows it (a row of two or more cells within a few rows,
page furniture skipped), so a 目录 entry or a sentence naming a table does not. A title is read
when it lies inside a table semx returned (a continued page's title inside the table it continues)
with rows, declared empty by its note, or with a whole header; one whose header broke off is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from semx.models import SourceDocument, Table
from semx.rows import Row, table_rows
from semx.tables.lines import declares_empty, is_furniture, is_page_number
from semx.tables.structure import NUMERIC_KINDS, looks_like_table_title
from semx.tables.text import clean, compact
from semx.tables.titles import kind_of_title, title_text

_LOOKAHEAD = 16  # the header of a table extracted one span per line runs over many lines
_FORM_WORDS = ("绩效目标", "填报表", "申报表")


@dataclass
class Seen:
    titles: list[tuple[int, str]] = field(default_factory=list)  # (line, title) of numeric tables
    forms: list[tuple[int, str]] = field(default_factory=list)  # (line, title) of 绩效目标 forms


_TOC_LEADER = re.compile(r"\.{3,}|…{2,}|·{3,}")
_PART_HEAD = re.compile(r"^第[一二三四五六七八九十\d]+部分")


# (?<!\d) in the second branch: a match never starts inside a digit run (the run's first digit
# covers it), so a garbled run of thousands of digits is not rescanned from each of them.
_FIGURE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<!\d)\d+\.\d{1,2}(?!\d)")


def _table_follows(rows: list[Row], i: int) -> bool:
    """A table under the title: a row of two or more cells, or (text without cells: pdftotext,
    one span per line) a line with an amount, within a few rows. Header words and furniture in
    between are passed over; a 目录 entry (leader dots) or another title ends the search."""
    for row in rows[i + 1 : i + 1 + _LOOKAHEAD]:
        filled = row.filled
        if not filled or is_furniture(row) or is_page_number(row):
            continue
        if any(_TOC_LEADER.search(c) for c in filled) or _PART_HEAD.match(compact(filled[0])):
            return False  # a 目录 entry; a part heading (第三部分 …) printed with spaces is no table row
        if len(filled) >= 2 or _FIGURE.search(filled[0]):
            return True
        if kind_of_title(filled[0]) is not None or looks_like_table_title(filled[0]) or _form_title(filled[0]):
            return False
    return False


def _form_title(cell: str) -> bool:
    key = compact(title_text(cell)[0])
    return key.endswith("表") and len(key) <= 60 and any(w in key for w in _FORM_WORDS)


def titles_seen(doc: SourceDocument) -> Seen:
    seen = Seen()
    rows = table_rows(doc)
    for i, row in enumerate(rows):
        filled = row.filled
        if len(filled) != 1:
            continue
        cell = filled[0]
        if _form_title(cell):
            if _table_follows(rows, i):
                seen.forms.append((row.line, clean(cell)))
            continue
        # numeric tables only: a heading 部门机构设置 over prose is no table title
        if (kind_of_title(cell) in NUMERIC_KINDS or looks_like_table_title(cell)) and _table_follows(rows, i):
            seen.titles.append((row.line, clean(cell)))
    return seen


def _read(table: Table) -> bool:
    """Rows came out, the table says it is empty (注：本表无数据), or its whole header was read with
    nothing under it; a header that broke off after its first line (one column) is not read."""
    return bool(table.rows) or declares_empty(table.note or "") or len(table.columns) >= 2


def unread_titles(seen: Seen, tables: list[Table]) -> list[str]:
    return [
        title
        for line, title in seen.titles
        if not any(t.start_line <= line <= t.end_line and _read(t) for t in tables)
    ]
