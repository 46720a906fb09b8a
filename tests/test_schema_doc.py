"""docs/schema.md must match the models it documents."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_schema_doc_is_current() -> None:
    spec = importlib.util.spec_from_file_location("gen_schema", ROOT / "scripts" / "gen_schema.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert (ROOT / "docs" / "schema.md").read_text(encoding="utf-8") == mod.render(), (
        "docs/schema.md is stale: run `python scripts/gen_schema.py`"
    )
