"""Document text written into a spreadsheet must never run as a formula.

A cell whose text begins with = + - @ (or a tab / carriage return, which some spreadsheet
programs skip before reading one of those) is evaluated by Excel and LibreOffice when the file
is opened: a disclosure is untrusted input. Such text is prefixed with an apostrophe, the
spreadsheet convention for "text as printed". The one guard of every spreadsheet output: the
checklist workbook, indicators.xlsx and findings.csv (through tabular.spreadsheet_safe).
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text
