"""Keep secrets out of everything semx stores or prints: errors, logs, cache rows, outputs.

An endpoint may echo the request (Authorization header included) in an error body; that text
then travels into llm_error, the call log, documents/*.json and the report. `redact` removes
the configured API key wherever it appears, and anything shaped like a key (`sk-…`,
`Bearer …`, `api_key=…`, `Authorization: …`) even when semx does not know it. The places
that store text call it: the LLM client (errors), the call store (every row it writes or
reads back) and the atomic writer every `semx score` output goes through.
"""

from __future__ import annotations

import os
import re
import threading
from typing import Any

MASK = "[REDACTED]"
ENV_KEY = "SEMX_LLM_API_KEY"
# Shorter strings are not treated as secrets: masking "abc" everywhere would garble text.
_MIN_SECRET = 8

_secrets: set[str] = set()
_lock = threading.Lock()

# Key-shaped strings; group "keep" is the label in front of a value, which stays readable.
_KEY_SHAPES = re.compile(
    r"(?i)\b(?:sk|pk|rk)-[A-Za-z0-9_\-]{12,}"  # OpenAI-style keys
    r"|(?P<keep>(?:bearer|basic)\s+|(?:authorization|api[_-]?key|x-api-key)[\"']?\s*[:=]\s*[\"']?)"
    r"[A-Za-z0-9._~+/=\-]{8,}"
)


def _mask(m: re.Match[str]) -> str:
    return (m.group("keep") or "") + MASK


def register_secret(value: str | None) -> None:
    """Remember a secret (the configured API key) so that `redact` masks it from now on."""
    if value and len(value) >= _MIN_SECRET:
        with _lock:
            _secrets.add(value)


def _known() -> list[str]:
    env = os.environ.get(ENV_KEY)
    with _lock:
        known = set(_secrets)
    if env and len(env) >= _MIN_SECRET:
        known.add(env)
    return sorted(known, key=len, reverse=True)


def redact(text: str) -> str:
    """text with every known secret and key-shaped string replaced by [REDACTED]."""
    if not text:
        return text
    for secret in _known():
        if secret in text:
            text = text.replace(secret, MASK)
    return _KEY_SHAPES.sub(_mask, text)


def redact_value(value: Any) -> Any:
    """redact applied to every string inside lists, tuples and dicts (JSON-like values)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact_value(v) for v in value)
    return value


__all__ = ["MASK", "redact", "redact_value", "register_secret"]
