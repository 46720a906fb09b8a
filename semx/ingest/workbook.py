"""Workbook reader (.xlsx with openpyxl, .xls with xlrd): each worksheet's rows become lines, as
the DOCX reader gives a Word table's rows.

Budget tables are also published as Excel workbooks (one table a sheet). A row with two or more
filled cells is a table row: its cells joined by tabs, as wide as the sheet's used columns, a
merged cell's text in its first cell and blank where it continues (the same convention as the PDF
and DOCX readers'). A row with one filled cell above or below the sheet's table (a title,
单位：万元, a note), merged across the sheet (a heading) or saying the unit is a line of prose, as
on a page; inside the table it is a row (a class with no figures, 1、房屋). Sheets follow each
other with a blank line between them, in workbook order; hidden sheets are read too, and said to
be. Figures keep the sheet's decimals (a cell formatted 0.00 reads 12.50, not 12.5): the parsers
read the figure as printed, and an amount column is recognised by its look.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from semx.ingest.errors import IngestError
from semx.ingest.text import normalise_line
from semx.models import Line, Warning_

_DECIMALS = re.compile(r"0\.(0+)")  # the decimals a number format asks for (0.00, #,##0.00)
_UNIT = re.compile(r"单位\s*[:：]")


def _number(value: float, number_format: str) -> str:
    m = _DECIMALS.search(number_format or "")
    if m:
        text = f"{value:,.{len(m.group(1))}f}" if "," in number_format else f"{value:.{len(m.group(1))}f}"
    elif isinstance(value, float) and value.is_integer():
        text = f"{int(value):,}" if "," in (number_format or "") else str(int(value))
    elif isinstance(value, float):
        text = f"{value:.10g}" if abs(value) < 1e15 else repr(value)
    else:
        text = f"{value:,}" if "," in (number_format or "") else str(value)
    if "%" in (number_format or ""):
        # a percentage cell holds the fraction (0.95) and shows 95%
        return f"{value * 100:.{len(m.group(1)) if m else 0}f}%"
    return text


def cell_text(value: Any, number_format: str = "General") -> str:
    """A cell as the sheet shows it: figures with their format's decimals, dates as dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return _number(value, number_format)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    # a line break inside a cell (Alt+Enter) is one cell: a row is always one line
    return " ".join(str(value).replace("\t", " ").split())


@dataclass
class Sheet:
    """One worksheet as its cells read, whatever the file format."""

    title: str
    rows: list[list[str]]
    merged_across: set[int] = field(default_factory=set)  # rows whose first cell spans columns
    hidden: bool = False
    uncomputed: int = 0  # formula cells without a stored value (never calculated)


def sheet_lines(sheet: Sheet) -> list[str]:
    """The sheet's lines: table rows as tab-joined cells, titles and notes as prose."""
    rows = sheet.rows
    width = max((max((i + 1 for i, x in enumerate(r) if x), default=0) for r in rows), default=0)
    multi = [i for i, r in enumerate(rows) if sum(1 for x in r if x) >= 2]
    first, last = (multi[0], multi[-1]) if multi else (len(rows), -1)
    lines = []
    for i, r in enumerate(rows):
        filled = [(j, x) for j, x in enumerate(r) if x]
        if not filled:
            lines.append("")
        elif len(filled) == 1 and (i < first or i > last or i in sheet.merged_across or _UNIT.search(filled[0][1])):
            lines.append(filled[0][1])  # a title, 单位：万元, a note under the table: prose, as on a page
        else:
            # a row, also with one filled cell inside the table (1、房屋 with no figures, the text
            # beside an empty label)
            lines.append("\t".join((r + [""] * width)[:width]))
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _xlsx_sheets(data: bytes, path: str) -> list[Sheet]:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        # data_only: a formula cell reads as the value Excel stored when it last saved the file;
        # the formulas themselves, read once more, tell a blank cell from a formula never calculated
        # (a file written by a program that stores no results), which data_only cannot see
        wb = load_workbook(io.BytesIO(data), data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a broken package
        raise IngestError(path, f"broken XLSX ({type(exc).__name__}: {exc})".splitlines()[0]) from None
    sheets = []
    for ws, fs in zip(wb.worksheets, formulas.worksheets, strict=True):
        rows: list[list[str]] = [[cell_text(c.value, getattr(c, "number_format", "General")) for c in row]
                                 for row in ws.iter_rows()]
        uncomputed = sum(1 for r, row in enumerate(fs.iter_rows()) for c, cell in enumerate(row)
                         if getattr(cell, "data_type", "") == "f"
                         and not (r < len(rows) and c < len(rows[r]) and rows[r][c]))
        across = {rng.min_row - 1 for rng in ws.merged_cells.ranges
                  if rng.min_col == 1 and rng.max_col > rng.min_col and rng.min_row == rng.max_row}
        sheets.append(Sheet(ws.title, rows, across, ws.sheet_state != "visible", uncomputed))
    formulas.close()
    return sheets


def _xls_sheets(data: bytes, path: str) -> list[Sheet]:
    import xlrd  # type: ignore[import-untyped]

    try:
        # formatting_info: merged cells and number formats (the decimals a figure is shown with)
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False)
    except Exception as exc:  # noqa: BLE001 - xlrd raises many types for a damaged file
        raise IngestError(path, f"broken XLS ({type(exc).__name__}: {exc})".splitlines()[0]) from None
    sheets = []
    for sh in book.sheets():
        rows: list[list[str]] = []
        for r in range(sh.nrows):
            cells = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key) if cell.xf_index is not None else None
                number_format = fmt.format_str if fmt is not None else "General"
                value: Any = cell.value
                if cell.ctype == xlrd.XL_CELL_EMPTY or cell.ctype == xlrd.XL_CELL_BLANK:
                    value = None
                elif cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(cell.value)
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    value = None
                cells.append(cell_text(value, number_format))
            rows.append(cells)
        # merged_cells: (row_lo, row_hi, col_lo, col_hi), hi exclusive
        across = {rlo for rlo, rhi, clo, chi in sh.merged_cells if clo == 0 and chi - clo > 1 and rhi - rlo == 1}
        sheets.append(Sheet(sh.name, rows, across, sh.visibility != 0))
    return sheets


def read_workbook(data: bytes, path: str, kind: str) -> tuple[list[Line], list[Warning_]]:
    """Lines of every worksheet in order, and notes; kind 'xlsx' or 'xls'. IngestError for a broken
    or empty workbook."""
    sheets = _xlsx_sheets(data, path) if kind == "xlsx" else _xls_sheets(data, path)
    texts: list[str] = []
    warnings: list[Warning_] = []
    hidden: list[str] = []
    for sheet in sheets:
        lines = sheet_lines(sheet)
        if not any(lines):
            continue
        if sheet.hidden:
            hidden.append(sheet.title)
        if texts:
            texts.append("")
        texts.extend(lines)
    if not any(t.strip() for t in texts):
        raise IngestError(path, "empty XLSX (no text in any worksheet)" if kind == "xlsx"
                          else "empty XLS (no text in any worksheet)")
    if hidden:
        warnings.append(Warning_(code="workbook_hidden_sheets",
                                 message=f"工作簿中的隐藏工作表也已读取：{'、'.join(hidden)}"))
    uncomputed = sum(s.uncomputed for s in sheets)
    if uncomputed:
        warnings.append(Warning_(
            code="xlsx_uncomputed_formulas",
            message=f"{uncomputed} 个公式单元格没有保存计算结果（文件未在 Excel 中重新计算保存），这些单元格读作空白",
        ))
    return [Line(no=i, text=normalise_line(t), raw=t) for i, t in enumerate(texts, 1)], warnings
