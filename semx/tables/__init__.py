"""Numeric tables of a budget disclosure (部门预算公开表) and the document's unit and year.

parse_tables(doc) returns the tables with the warnings met on the way; document_meta(doc)
returns (unit_code, unit_name, year).
"""

from semx.tables.meta import document_meta
from semx.tables.parse import parse_tables

__all__ = ["document_meta", "parse_tables"]
