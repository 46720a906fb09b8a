"""The one error type of ingest: input that cannot be read as a budget disclosure.

The class lives in semx/files.py (the bottom layer, where reading a file first fails) so that
reading and parsing raise the same type; every ingest module imports it from here.
"""

from __future__ import annotations

from semx.files import IngestError

__all__ = ["IngestError"]
