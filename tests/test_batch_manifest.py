"""The manifest journal (`manifest.jsonl`) on its own: append, replay, kills mid-write, compaction, migration."""

from __future__ import annotations

import json
from pathlib import Path

from semx.batch.manifest import LEGACY_MANIFEST_NAME, MANIFEST_NAME, Manifest, ManifestEntry


def _entry(out: Path, sha: str, fp: str = "fp1") -> ManifestEntry:
    """An entry whose result file exists, so `finished` can accept it."""
    rel = f".work/{sha}.json"
    (out / rel).parent.mkdir(parents=True, exist_ok=True)
    (out / rel).write_text("{}\n", encoding="utf-8")
    return ManifestEntry(sha256=sha, path=f"in/{sha}.txt", result=rel, fingerprint=fp)


def _lines(out: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in (out / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()]


def test_append_then_reload(tmp_path: Path) -> None:
    m, note = Manifest.load(tmp_path)
    assert note is None and m.documents == {} and m.scored is None
    a, b = _entry(tmp_path, "a"), _entry(tmp_path, "b")
    m.record(a)
    m.record(b)
    m.set_scored("key1")
    # Appended as they happen, before any compaction: a kill now keeps them.
    assert [r["type"] for r in _lines(tmp_path)] == ["doc", "doc", "scored"]
    m.close()

    again, note = Manifest.load(tmp_path)
    assert note is None
    assert again.documents == {"a": a, "b": b} and again.scored == "key1"
    assert again.finished("a", "fp1") == a
    assert again.finished("a", "fp2") is None  # other settings
    (tmp_path / a.result).unlink()
    assert again.finished("a", "fp1") is None  # result file gone


def test_truncated_last_line_is_ignored_and_not_appended_to(tmp_path: Path) -> None:
    m, _ = Manifest.load(tmp_path)
    m.record(_entry(tmp_path, "a"))
    m.close()
    # A run killed in the middle of writing the next record.
    with (tmp_path / MANIFEST_NAME).open("ab") as fh:
        fh.write(b'{"type":"doc","sha256":"b","path":"in/b.t')

    again, note = Manifest.load(tmp_path)
    assert note is None and set(again.documents) == {"a"}
    # The next record must not be glued onto the broken line (it would be lost on reload).
    again.record(_entry(tmp_path, "c"))
    again.close()
    third, note = Manifest.load(tmp_path)
    assert note is None and set(third.documents) == {"a", "c"}


def test_garbled_line_in_the_middle_is_skipped_with_a_notice(tmp_path: Path) -> None:
    m, _ = Manifest.load(tmp_path)
    m.record(_entry(tmp_path, "a"))
    m.close()
    with (tmp_path / MANIFEST_NAME).open("ab") as fh:
        fh.write(b"\xff\xfe not json\n")
        fh.write(b'{"type":"doc","sha256":"x"}\n')  # incomplete record
        fh.write(b"[1, 2]\n")
    m2, _ = Manifest.load(tmp_path)
    m2.record(_entry(tmp_path, "b"))
    m2.close()

    again, note = Manifest.load(tmp_path)
    assert set(again.documents) == {"a", "b"}
    assert note is not None and "3 unreadable line" in note


def test_compaction_keeps_the_latest_record_per_document(tmp_path: Path) -> None:
    m, _ = Manifest.load(tmp_path)
    m.record(_entry(tmp_path, "a", "fp1"))
    m.record(_entry(tmp_path, "b", "fp1"))
    m.record(_entry(tmp_path, "c", "fp1"))
    m.set_scored("key1")
    m.record(_entry(tmp_path, "a", "fp2"))
    m.forget("c")
    m.set_scored(None)
    m.set_scored("key2")
    m.close()

    replayed, _ = Manifest.load(tmp_path)
    replayed.compact()
    lines = _lines(tmp_path)
    assert [(r["type"], r.get("sha256"), r.get("fingerprint"), r.get("key")) for r in lines] == [
        ("doc", "a", "fp2", None), ("doc", "b", "fp1", None), ("scored", None, None, "key2")]
    after, note = Manifest.load(tmp_path)
    assert note is None and after.documents == replayed.documents and after.scored == "key2"

    # Already compact: no rewrite (the file is left as it is).
    mtime = (tmp_path / MANIFEST_NAME).stat().st_mtime_ns
    after.compact()
    assert (tmp_path / MANIFEST_NAME).stat().st_mtime_ns == mtime


def test_forget_of_an_unknown_document_writes_nothing(tmp_path: Path) -> None:
    m, _ = Manifest.load(tmp_path)
    m.forget("never-finished")
    m.compact()
    assert not (tmp_path / MANIFEST_NAME).exists()


def test_old_manifest_json_is_migrated(tmp_path: Path) -> None:
    a, b = _entry(tmp_path, "a"), _entry(tmp_path, "b")
    old = {"version": 1, "documents": {"a": a.model_dump(), "b": b.model_dump()}, "scored": "key0"}
    (tmp_path / LEGACY_MANIFEST_NAME).write_text(json.dumps(old, indent=1), encoding="utf-8")

    m, note = Manifest.load(tmp_path)
    assert note is None and m.documents == {"a": a, "b": b} and m.scored == "key0"
    assert m.finished("b", "fp1") == b
    # The first append writes the migrated state as a journal, then drops the old file.
    m.record(_entry(tmp_path, "c"))
    m.close()
    assert not (tmp_path / LEGACY_MANIFEST_NAME).exists()
    again, note = Manifest.load(tmp_path)
    assert note is None and set(again.documents) == {"a", "b", "c"} and again.scored == "key0"


def test_old_manifest_json_migrated_by_compaction_alone(tmp_path: Path) -> None:
    a = _entry(tmp_path, "a")
    (tmp_path / LEGACY_MANIFEST_NAME).write_text(json.dumps({"documents": {"a": a.model_dump()}}), encoding="utf-8")
    m, _ = Manifest.load(tmp_path)
    m.compact()  # a re-run that redid nothing
    assert not (tmp_path / LEGACY_MANIFEST_NAME).exists()
    assert Manifest.load(tmp_path)[0].documents == {"a": a}


def test_unreadable_old_manifest_gives_a_notice(tmp_path: Path) -> None:
    (tmp_path / LEGACY_MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    m, note = Manifest.load(tmp_path)
    assert m.documents == {} and note is not None and "unreadable" in note


def test_code_version_changes_with_the_package_files(tmp_path: Path) -> None:
    # A rerun after an upgrade within one release must not reuse results the old rules made.
    from semx.batch.runner import semx_version

    (tmp_path / "score").mkdir()
    rules = tmp_path / "score" / "rules.py"
    rules.write_text("THRESHOLD = 0.5\n", encoding="utf-8")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "x.pyc").write_bytes(b"\x00")
    before = semx_version(tmp_path)
    (tmp_path / "__pycache__" / "x.pyc").write_bytes(b"\x01")  # byte-code caches do not count
    assert semx_version(tmp_path) == before
    rules.write_text("THRESHOLD = 0.6\n", encoding="utf-8")
    assert semx_version(tmp_path) != before
    assert semx_version() == semx_version()  # the installed package: stable within a run
