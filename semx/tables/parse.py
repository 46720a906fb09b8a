"""Find every standard table in a document and parse it.

Tables are found by their title anywhere in the document (the table block before
the 说明, or inside its sections), and, when a 说明 section prints a table without
a title, by its header (机构设置, 政府采购, 固定资产).
"""

from __future__ import annotations

from semx.models import SourceDocument, Table, Warning_
from semx.rows import Row, table_rows
from semx.tables.block import Block, scan
from semx.tables.build import build_table
from semx.tables.income_placement import place_income_by_the_summary
from semx.tables.lines import is_furniture, looks_like_header, read_furniture
from semx.tables.placement import place_by_the_summary
from semx.tables.structure import header_ahead, kind_of_structure, looks_like_table_title, settle_header
from semx.tables.text import clean
from semx.tables.titles import DEFAULT_TITLES, kind_of_header, kind_of_title, title_text


def _titled_block(row: Row, filled: list[str]) -> Block | None:
    if not filled or len(filled) > 3:
        return None
    kind = kind_of_title(filled[0])
    if kind is None:
        return None
    if len(filled) > 1 and not is_furniture(Row(line=row.line, cells=filled[1:])):
        return None
    title = clean(filled[0]).strip("#* ")
    block = Block(kind=kind, title=title, start_line=row.line, end_line=row.end_line, continued=title_text(title)[1])
    if len(filled) > 1:
        read_furniture(Row(line=row.line, cells=filled[1:]), block.furniture)
    return block


def _structured_block(rows: list[Row], i: int) -> Block | None:
    """A title no pattern knows, read under its printed title when the header below it is known."""
    row = rows[i]
    filled = row.filled
    if len(filled) != 1 or not looks_like_table_title(filled[0]):
        return None
    kind = kind_of_structure(filled[0], [r.cells for r in header_ahead(rows, i + 1)])
    if kind is None:
        return None
    title = clean(filled[0]).strip("#* ")
    return Block(kind=kind, title=title, start_line=row.line, end_line=row.end_line, continued=title_text(title)[1])


def _continues(prev: Table, block: Block, table: Table) -> bool:
    """A table re-titled on its next page (…表（续）, or the same title with 序号 running on)."""
    if prev.kind != table.kind or prev.unit_line != table.unit_line:
        return False
    if title_text(prev.title)[0] != title_text(table.title)[0]:
        return False
    if block.continued:
        return True
    last = next((r.seq for r in reversed(prev.rows) if r.seq is not None), None)
    first = next((r.seq for r in table.rows if r.seq is not None), None)
    return last is not None and first == last + 1 and prev.columns == table.columns


def _merge(prev: Table, table: Table) -> Table:
    return prev.model_copy(
        update={
            "rows": prev.rows + table.rows,
            "empty": prev.empty and table.empty,
            "end_line": table.end_line,
            "pages": prev.pages + table.pages,
            "note": prev.note or table.note,
        }
    )


# Text layouts whose cells were put under their columns by position or order, not by the page's
# ruling: a figure can stand in the wrong column (a page laid out anew, a vanished empty cell).
_LOOSE = frozenset({"columns", "flat", "cell_lines"})


def parse_tables(doc: SourceDocument) -> tuple[list[Table], list[Warning_]]:
    """Every standard table the document contains, in document order, and what was odd in them."""
    rows = table_rows(doc)
    cell_lines = (
        frozenset(ln.no for ln in doc.lines if ln.text.startswith("\t"))
        if doc.layout == "cell_per_line"
        else frozenset()
    )
    placed = [ln.no for ln in doc.lines if ln.placed]
    tables: list[Table] = []
    warnings: list[Warning_] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        block = _titled_block(row, row.filled) or _structured_block(rows, i)
        start = i + 1
        if block is None and len(row.cells) >= 2:
            kind = kind_of_header(row.cells)
            if kind is not None and looks_like_header(row):
                block = Block(kind=kind, title=DEFAULT_TITLES[kind], start_line=row.line, end_line=row.end_line)
                start = i
        if block is None:
            i += 1
            continue
        end = scan(rows, start, block, cell_lines)
        settle_header(block)
        if block.has_content:
            # columns known only from where the words stand (one cell per line, a PDF table
            # printed without rules): a label under a figure column leaves the table out
            table, found = build_table(block, loose=doc.rebuilt_from in _LOOSE,
                                        unplaced_out=doc.rebuilt_from == "cell_lines" or any(
                                            block.start_line <= n <= block.end_line for n in placed))
            warnings.extend(found)
            if tables and _continues(tables[-1], block, table):
                tables[-1] = _merge(tables[-1], table)
            else:
                tables.append(table)
        i = max(end, i + 1)
    if doc.rebuilt_from in _LOOSE:
        tables = place_by_the_summary(tables)
        tables, unplaced = place_income_by_the_summary(tables)
        warnings.extend(unplaced)
    return tables, warnings
