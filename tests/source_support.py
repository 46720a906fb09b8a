"""Comparing what two sources of one document give: only a paged source (PDF) has pages."""

from __future__ import annotations

from typing import Any

# Fields only a paged source has; everything else must be the same whatever the source.
PAGED = {"page", "end_page", "pages"}


def unpaged(value: Any) -> Any:
    """A model dump without its page fields (a DOCX or workbook made from a PDF has no pages)."""
    if isinstance(value, dict):
        return {k: unpaged(v) for k, v in value.items() if k not in PAGED}
    if isinstance(value, list):
        return [unpaged(v) for v in value]
    return value
