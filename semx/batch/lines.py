"""The source lines of a run's documents, kept compressed until a report asks for one document's.

The reports quote each document's source lines (excerpts, pages), so the driver keeps them from
the per-document phase to the end of the run. As Line objects they were ~0.9 MB a document
(issue 20: the driver's memory grew with the batch); as zlib-compressed JSON they are a few
tens of kB, and a report reads one document's lines at a time. The round trip is exact (ints,
strings and floats through pydantic's JSON).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping

from pydantic import TypeAdapter

from semx.models import Line

_LINES = TypeAdapter(list[Line])


class LineStore(Mapping[str, list[Line]]):
    """sha256 -> the document's lines; each lookup decodes a fresh list (callers may not share it)."""

    def __init__(self) -> None:
        self._packed: dict[str, bytes] = {}

    def __setitem__(self, sha: str, lines: list[Line]) -> None:
        self._packed[sha] = zlib.compress(_LINES.dump_json(lines), 1)

    def __getitem__(self, sha: str) -> list[Line]:
        return _LINES.validate_json(zlib.decompress(self._packed[sha]))

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)
