"""Issue 16: discovery accounts for every path given or found, one errors.jsonl line each, and
never hangs or ends the batch (symlink loops, FIFOs, devices, unreadable, too large, other types)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from semx.batch.discover import discover
from tests.batch_support import SAMPLES, clean_env, read_jsonl, semx_cmd

ROOT = Path(__file__).resolve().parent.parent


def _odd_folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_bytes(SAMPLES[0].read_bytes())
    (d / "sub" / "b.TXT").write_bytes(SAMPLES[2].read_bytes())
    (d / "loop.txt").symlink_to(d / "loop.txt")
    (d / "sub" / "up").symlink_to(d)  # a folder link back to the top: walked once
    os.mkfifo(d / "pipe.txt")
    (d / "notes.md").write_text("x", encoding="utf-8")
    (d / "dangling.txt").symlink_to(d / "gone.txt")
    return d


def test_every_path_is_a_file_or_a_reason(tmp_path: Path) -> None:
    d = _odd_folder(tmp_path)
    found = discover([d, d / "a.txt", tmp_path / "missing.txt", Path("/dev/null")])
    assert [p.name for p in found.files] == ["a.txt", "b.TXT"]
    why = {s.path.name: (s.kind, s.reason) for s in found.skipped}
    assert why["loop.txt"] == ("bad_input", "symlink loop (the link points back at itself)")
    assert why["pipe.txt"] == ("bad_input", "is a named pipe (FIFO), not a file; not read")
    assert why["notes.md"][0] == "unsupported" and ".txt .pdf .docx" in why["notes.md"][1]
    assert why["dangling.txt"] == ("bad_input", "broken symlink (its target does not exist)")
    assert why["up"][0] == "bad_input" and "symlink loop" in why["up"][1]
    assert why["missing.txt"] == ("bad_input", "no such file")
    assert why["null"] == ("bad_input", "is a device, not a file; not read")
    assert len(found.skipped) == 7  # each once, though a.txt's folder was also named


def test_too_large_file_in_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "big.txt").write_bytes(b"x" * 30000)
    monkeypatch.setenv("SEMX_MAX_INPUT_MB", "0.01")
    found = discover([tmp_path])
    assert found.files == [] and "too large" in found.skipped[0].reason


def test_score_lists_each_odd_path_and_scores_the_rest(tmp_path: Path) -> None:
    d = _odd_folder(tmp_path)
    out = tmp_path / "out"
    proc = subprocess.run(semx_cmd("score", d, d / "loop.txt", d / "pipe.txt", "--out", out, "--no-llm",
                                   "--no-embed", "-q"), env=clean_env(), cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 1, proc.stderr  # bad paths fail the run, but not before the others are scored
    assert "Traceback" not in proc.stderr
    errors = read_jsonl(out / "errors.jsonl")
    assert sorted(Path(e["path"]).name for e in errors) == ["dangling.txt", "loop.txt", "notes.md", "pipe.txt", "up"]
    assert {e["stage"] for e in errors} == {"discover"}
    assert len(list((out / "documents").glob("*.json"))) == 2


def test_unsupported_files_alone_fail_nothing(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SAMPLES[0].read_bytes())
    (tmp_path / "in" / "readme.md").write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run(semx_cmd("score", tmp_path / "in", "--out", out, "--no-llm", "--no-embed", "-q"),
                          env=clean_env(), cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    (err,) = read_jsonl(out / "errors.jsonl")
    assert err["kind"] == "unsupported" and err["path"].endswith("readme.md")
    assert "另有 1 个文件未读取" in proc.stderr  # said on the console too, not only in errors.jsonl


def test_old_office_files_in_a_folder_say_how_to_make_them_readable(tmp_path: Path) -> None:
    from semx.vocab.ingest_reasons import ingest_reason_zh

    for name in ("预算.et", "说明.doc", "公开.wps", "notes.md"):
        (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    why = {s.path.name: s.reason for s in discover([tmp_path]).skipped}
    for name in ("预算.et", "说明.doc", "公开.wps"):
        assert why[name].endswith("not read (save it as .docx / .xlsx, or use the PDF)")
        assert "另存为 .docx / .xlsx" in (ingest_reason_zh(why[name]) or "")
    assert why["notes.md"].endswith("; not read") and "另存为" not in (ingest_reason_zh(why["notes.md"]) or "")
