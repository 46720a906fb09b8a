"""Every recorded cassette must be free of credentials and cookies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"
FORBIDDEN_HEADERS = {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key",
                     "openai-organization", "openai-project"}
SECRET_PATTERNS = [
    re.compile(r"sk-[A-Za-z0-9_\-]{8,}"),  # OpenAI / DeepSeek style keys
    re.compile(r"Bearer\s+\S+", re.IGNORECASE),
    re.compile(r"(api[_-]?key|access[_-]?token|secret)\"?\s*[:=]\s*\"?[A-Za-z0-9_\-]{12,}", re.IGNORECASE),
]


def cassette_files() -> list[Path]:
    return sorted(CASSETTES.rglob("*.yaml"))


def test_there_are_cassettes_to_scan() -> None:
    assert cassette_files(), f"no cassettes under {CASSETTES}"


@pytest.mark.parametrize("path", cassette_files(), ids=lambda p: str(p.relative_to(CASSETTES)))
def test_cassette_has_no_credentials(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for pat in SECRET_PATTERNS:
        m = pat.search(text)
        assert m is None, f"{path}: looks like a credential: {m.group(0)[:20]}…"
    data = yaml.safe_load(text)
    for inter in data["interactions"]:
        for part in ("request", "response"):
            headers = {k.lower() for k in (inter[part].get("headers") or {})}
            leaked = headers & FORBIDDEN_HEADERS
            assert not leaked, f"{path}: {part} header(s) {leaked} must be filtered"


def test_scanner_catches_a_leak(tmp_path: Path) -> None:
    """The scanner itself must be able to fail: feed it a cassette with a key in it."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("interactions:\n- request:\n    headers:\n      Authorization: [Bearer sk-abcdefghijklmnop]\n"
                   "  response:\n    headers: {}\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        test_cassette_has_no_credentials(bad)
