"""Where a live eval run gets its model from.

Order: a configured endpoint (SEMX_LLM_BASE_URL / config file) > a llama_cpp.server already
listening on 127.0.0.1 (reused: the machine may have 2 cores and a second server would halve
both) > the embedded local server, started for this run and stopped after it.
"""

from __future__ import annotations

import contextlib
import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from semx.llm.config import LLMConfig, load_config

# Recording on a busy 2-core machine can take minutes per call; these do not enter the
# request body, so they never affect what a cassette can replay.
SLOW_MACHINE = {"timeout": 1800.0, "time_budget": 3600.0}


def _listening(base_url: str) -> bool:
    parts = urlsplit(base_url)
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex((parts.hostname or "127.0.0.1", parts.port or 80)) == 0


def _probe(base_url: str) -> str | None:
    """The first model id served at base_url, or None when nothing answers.

    llama_cpp.server answers /models only between generations, so a busy server can take
    minutes: when the port is open we wait rather than conclude there is no server.
    """
    if not _listening(base_url):
        return None
    try:
        with urllib.request.urlopen(f"{base_url.rstrip('/')}/models", timeout=900) as r:
            data: dict[str, Any] = json.loads(r.read().decode("utf-8"))
    except (urllib.error.URLError, OSError, ValueError):
        return None
    models = data.get("data") or []
    return str(models[0]["id"]) if models else ""


def running_local_server() -> dict[str, Any] | None:
    """Overrides for a llama_cpp.server already running on 127.0.0.1, if any."""
    from semx.llm import local_server as ls

    state = ls.status()
    if state is not None:
        # Started by `python -m semx.llm.local_server start`: its state file (pid checked) is enough,
        # no need to wait for a busy server to answer /models.
        return {**ls.LocalServer(port=int(state["port"])).config_overrides(), "model": str(state["model"])}
    for url in (f"http://{ls.HOST}:{ls.DEFAULT_PORT}/v1",):
        model = _probe(url)
        if model is not None:
            server = ls.LocalServer(port=int(url.rsplit(":", 1)[1].split("/")[0]))
            overrides = server.config_overrides()
            if model:
                overrides["model"] = model
            return overrides
    return None


# llama-cpp-python turns a schema in response_format into a sampling grammar. Measured on the
# 2-core recording machine: 3.3 s per generated token with the grammar vs 0.28 s without, so
# a local-server eval runs without it unless asked (--grammar); instructor still validates
# every answer and re-asks, and the recorded settings say which way a run was made.
GRAMMAR_DEFAULT = False


@contextlib.contextmanager
def live_config(notify: Any = print, *, grammar: bool = GRAMMAR_DEFAULT) -> Iterator[LLMConfig]:
    """The base config of a live run (prompt versions and model are set per run by the caller)."""
    cfg = load_config()
    if cfg.configured:
        yield cfg.model_copy(update={"cache": False, **SLOW_MACHINE})
        return
    found = running_local_server()
    if found is not None:
        notify(f"semx eval: reusing the llama_cpp.server at {found['base_url']} ({found['model']})")
        yield cfg.model_copy(update={**found, "cache": False, "schema_in_response_format": grammar, **SLOW_MACHINE})
        return
    from semx.llm import local_server as ls

    why = ls.llama_cpp_missing()
    if why is not None:
        raise RuntimeError(f"--live needs an endpoint (SEMX_LLM_BASE_URL) or the local model: {why}")
    notify("semx eval: no endpoint configured; starting the embedded local model on 127.0.0.1")
    with ls.local_server() as server:
        yield cfg.model_copy(update={**server.config_overrides(), "cache": False, "schema_in_response_format": grammar,
                                     **SLOW_MACHINE})
