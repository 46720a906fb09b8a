"""The stages point one way: a module imports only from its own layer or the layers before it.

Walks every `import` in semx/ (including imports inside functions, which are still arrows)
and fails on an arrow from a lower layer to a higher one, e.g. score -> evaluate or
report -> batch. Also: no importlib in the pipeline, and `semx parse` never loads torch.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Data flows top to bottom; a module may import from its own row or any row above it.
LAYERS: list[tuple[str, ...]] = [
    ("semx.vocab", "semx.models", "semx.paths", "semx.atomic", "semx.files", "semx.redact", "semx.numbers"),
    ("semx.ingest", "semx.rows"),
    ("semx.tables",),
    ("semx.checks",),
    ("semx.targets",),
    ("semx.pipeline", "semx.provenance"),
    ("semx.llm", "semx.embed"),
    ("semx.score",),
    ("semx.report",),
    ("semx.batch",),
    ("semx.evaluate",),
    ("semx.cli", "semx.__main__"),
]


def _rank(module: str) -> int | None:
    for i, row in enumerate(LAYERS):
        if any(module == m or module.startswith(m + ".") for m in row):
            return i
    return None


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return {m for m in out if m == "semx" or m.startswith("semx.")}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_semx_module_has_a_layer() -> None:
    unplaced = [m for p in (ROOT / "semx").rglob("*.py") if (m := _module_name(p)) != "semx" and _rank(m) is None]
    assert unplaced == []


def test_no_arrow_points_up() -> None:
    upward = []
    for path in sorted((ROOT / "semx").rglob("*.py")):
        here = _module_name(path)
        r = _rank(here)
        for target in _imports(path):
            t = _rank(target)
            if r is not None and t is not None and t > r:
                upward.append(f"{here} -> {target}")
    assert upward == []


def test_the_walker_sees_an_upward_arrow(tmp_path: Path) -> None:
    # The check itself must be able to fail: a function-level import of a higher layer counts.
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from semx.report import write_reports\n", encoding="utf-8")
    assert _imports(probe) == {"semx.report"}
    assert _rank("semx.tables.build") is not None and (_rank("semx.report") or 0) > (_rank("semx.tables.build") or 0)


def test_no_importlib_in_the_pipeline() -> None:
    for name in ("semx/pipeline.py", "semx/batch/runner.py", "semx/batch/score_stage.py"):
        assert "importlib" not in _imports(ROOT / name) | {
            n.names[0].name for n in ast.walk(ast.parse((ROOT / name).read_text(encoding="utf-8")))
            if isinstance(n, ast.Import)
        }, name


def test_parse_loads_no_torch() -> None:
    sample = min((ROOT / "eval" / "corpus").glob("*.txt"))
    code = (
        "import sys, io, contextlib\n"
        "from semx.cli import app\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        app(['parse', {str(sample)!r}])\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code == 0, exc.code\n"
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-2:] == ["False", "False"]


def test_help_loads_neither_the_models_nor_rich_tables() -> None:
    # `semx --help` imports semx.cli and every command's signature; the speed itself is measured
    # with `python -X importtime` (README), here only what must stay out of that import.
    # ray: the optional engine of `semx score --engine ray`, imported only when that engine runs.
    code = ("import sys, semx.cli; "
            "print(*(m in sys.modules for m in ('semx.models', 'pydantic', 'rich.table', 'torch', 'ray')))")
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120,
                         cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False", "False", "False", "False"]
