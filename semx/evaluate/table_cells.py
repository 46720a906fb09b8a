"""Compare the tables semx read with hand-labelled cells (eval/shanghai/expected.json).

A labelled table names its printed title and first page; a labelled cell its (side, row,
column) as a reader names it (科目编码 digits or the row label without spaces, the lowest
header cell or a "/"-joined header path) and the value exactly as printed. The test and
eval/tools/shanghai_tables.py share this code so both count the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from semx.models import ParsedDocument, SourceDocument, Table
from semx.tables.structure import PrintedCell, printed_cells
from semx.tables.text import compact


@dataclass
class TableResult:
    title: str
    found: bool
    cells: int = 0
    right: int = 0
    wrong: list[str] = field(default_factory=list)  # "row/column: expected X, read Y"


@dataclass
class DocResult:
    name: str
    tables: list[TableResult]
    meta_wrong: list[str]

    @property
    def found(self) -> int:
        return sum(t.found for t in self.tables)

    @property
    def cells(self) -> int:
        return sum(t.cells for t in self.tables)

    @property
    def right(self) -> int:
        return sum(t.right for t in self.tables)


def _column_matches(path: list[str], column: str) -> bool:
    want = [compact(p) for p in column.split("/")]
    have = [compact(p) for p in path]
    return len(have) >= len(want) and have[-len(want) :] == want


def _row_key(cell: PrintedCell, single_row: bool) -> str:
    # The one line of the horizontal "三公" table prints no label; a reader calls it 合计.
    return cell.row if cell.row or not single_row else "合计"


def find_table(tables: list[Table], doc: SourceDocument, title: str, page: int) -> Table | None:
    """The table read under this printed title that starts on this page (title alone as fallback)."""
    same = [t for t in tables if compact(t.title) == compact(title)]
    on_page = [t for t in same if doc.page_of(t.start_line) == page]
    return next(iter(on_page or same), None)


def compare_table(table: Table, expected: dict[str, Any]) -> TableResult:
    result = TableResult(title=expected["title"], found=True)
    if expected.get("empty") and not table.empty:
        result.wrong.append(f"expected an empty table, read {len(table.rows)} rows")
    single = len(table.rows) == 1
    read = printed_cells(table)
    for cell in expected["cells"]:
        result.cells += 1
        side = cell.get("side")
        hits = [
            c.raw
            for c in read
            if _row_key(c, single) == cell["row"]
            and (side is None or c.side == side)
            and _column_matches(c.column, cell["column"])
        ]
        want = cell["value"]
        got = hits[0] if hits else ""
        if got == want:  # the first in reading order: p11 of the 决算 repeats a p10 row label
            result.right += 1
        else:
            result.wrong.append(f"{side or ''} {cell['row']} / {cell['column']}: expected {want!r}, read {hits!r}")
    return result


def compare_document(name: str, parsed: ParsedDocument, doc: SourceDocument, expected: dict[str, Any]) -> DocResult:
    tables: list[TableResult] = []
    for exp in expected["tables"]:
        table = find_table(parsed.tables, doc, exp["title"], exp["page"])
        if table is None:
            tables.append(TableResult(title=exp["title"], found=False, cells=len(exp["cells"])))
            continue
        tables.append(compare_table(table, exp))
    meta_wrong = [
        f"{key}: expected {expected[key]!r}, read {got!r}"
        for key, got in (("kind", parsed.kind), ("year", parsed.year), ("unit", parsed.unit_name))
        if got != expected[key]
    ]
    return DocResult(name=name, tables=tables, meta_wrong=meta_wrong)
