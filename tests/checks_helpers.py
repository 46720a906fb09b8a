"""Hand-made tables and documents for the consistency-check tests."""

from __future__ import annotations

import re
from decimal import Decimal

from semx.ingest import ingest_text
from semx.models import Finding, SourceDocument, Table, TableRow

_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_LEVELS = {3: "类", 5: "款", 7: "项"}

Value = str | None


def cell(value: Value) -> Decimal | str | None:
    if value is None or value == "":
        return None
    return Decimal(value) if _NUMBER.match(value) else value


def _row(line: int, code: str | None, name: str | None, values: list[Value]) -> TableRow:
    level = _LEVELS.get(len(code)) if code else None
    return TableRow.model_validate(
        {"line": line, "code": code, "level": level, "name": name, "cells": [cell(v) for v in values]}
    )


def _table(kind: str, columns: list[str], rows: list[TableRow], start: int, empty: bool = False) -> Table:
    return Table.model_validate({
        "kind": kind, "title": kind, "columns": columns, "rows": rows, "empty": empty,
        "start_line": start - 3, "end_line": start + len(rows),
    })


def coded(kind: str, columns: list[str], rows: list[tuple[str | None, str, list[Value]]], start: int = 10) -> Table:
    """A 科目编码 table: rows of (code, name, cells); the row without code is the 合计 row."""
    return _table(kind, columns, [_row(start + i, code, name, values) for i, (code, name, values) in enumerate(rows)],
                  start)


def named(kind: str, columns: list[str], rows: list[tuple[str | None, list[Value]]], start: int = 10,
          empty: bool = False) -> Table:
    """A table whose rows are labelled by name (三公, 固定资产) or by text cells (收支总表)."""
    return _table(kind, columns, [_row(start + i, None, name, values) for i, (name, values) in enumerate(rows)],
                  start, empty)


def document(text: str = "") -> SourceDocument:
    """A disclosure with the given 说明 text (sections are found as in a real file)."""
    return ingest_text("部门预算信息公开\n预算 支出 万元\n" + text)


def by_code(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def consistency(findings: list[Finding]) -> list[Finding]:
    """Findings other than the completeness ones."""
    return [f for f in findings if f.code not in ("TABLE_MISSING", "TABLES_ABSENT")]


INCOME_COLUMNS = ["合计", "小计", "财政拨款收入", "事业收入", "上年结转"]
EXPENSE_COLUMNS = ["合计", "基本支出", "项目支出"]
