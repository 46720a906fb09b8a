"""Persistent SQLite store: the answer cache and an inspectable log of every call.

Cache key = endpoint + model + prompt id/digest + response-schema hash + input hash, so
a re-run with nothing changed costs zero tokens, and any change to one of them misses.
Nothing here ever sees the API key: rows hold the endpoint URL (credentials stripped),
the model name, the messages and the answers.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel

from semx.redact import redact, redact_value

DB_NAME = "llm.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cache (
    key TEXT PRIMARY KEY,
    task TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    result_json TEXT NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    ts REAL NOT NULL,
    document TEXT,
    item TEXT,
    task TEXT NOT NULL,
    endpoint TEXT,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    cache_key TEXT,
    cached INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    requests INTEGER NOT NULL,
    transport_retries INTEGER NOT NULL,
    validation_retries INTEGER NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    latency_s REAL NOT NULL,
    error TEXT,
    messages_json TEXT,
    responses_json TEXT,
    result_json TEXT
);
CREATE INDEX IF NOT EXISTS calls_run ON calls(run_id);
"""


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def schema_hash(model: type[BaseModel]) -> str:
    return sha(canonical_json(model.model_json_schema()))[:16]


def public_endpoint(url: str | None) -> str | None:
    """Endpoint without user:password@ or query string, which may carry a key."""
    if not url:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _endpoint_identity(url: str | None) -> str | None:
    # A local server may get another free port each run; it is still the same model, so the
    # answers must stay cached. Remote endpoints are told apart by host and path.
    if url and urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1"):
        return "loopback"
    return public_endpoint(url)


def cache_key(*, endpoint: str | None, model: str, prompt_id: str, prompt_digest: str,
              schema: str, payload: dict[str, Any]) -> str:
    return sha(canonical_json({
        "endpoint": _endpoint_identity(endpoint), "model": model, "prompt": prompt_id,
        "prompt_digest": prompt_digest, "schema": schema, "input": sha(canonical_json(payload)),
    }))


@dataclass
class CallRow:
    run_id: str
    task: str
    model: str
    prompt_version: str
    endpoint: str | None = None
    document: str | None = None
    item: str | None = None
    cache_key: str | None = None
    cached: bool = False
    ok: bool = True
    requests: int = 0
    transport_retries: int = 0
    validation_retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    error: str | None = None
    messages: list[Any] | None = None
    responses: list[Any] | None = None
    result: Any = None


class Store:
    """Thread-safe: one connection, guarded by a lock (calls are seconds long, contention is nil)."""

    def __init__(self, cache_dir: Path) -> None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.path = cache_dir / DB_NAME
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self._db.executescript(_SCHEMA)
        self._db.execute("PRAGMA journal_mode=WAL")

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._db:
            yield self._db

    def get(self, key: str) -> tuple[str, int, int] | None:
        with self._tx() as db:
            row = db.execute(
                "SELECT result_json, prompt_tokens, completion_tokens FROM cache WHERE key=?", (key,)
            ).fetchone()
        return (row[0], int(row[1]), int(row[2])) if row else None

    def put(self, key: str, *, task: str, model: str, prompt_version: str, result_json: str,
            prompt_tokens: int, completion_tokens: int) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO cache VALUES (?,?,?,?,?,?,?,?)",
                (key, task, model, prompt_version, redact(result_json), prompt_tokens, completion_tokens, time.time()),
            )

    def log(self, row: CallRow) -> int:
        with self._tx() as db:
            cur = db.execute(
                """INSERT INTO calls (run_id, ts, document, item, task, endpoint, model, prompt_version,
                   cache_key, cached, ok, requests, transport_retries, validation_retries, prompt_tokens,
                   completion_tokens, latency_s, error, messages_json, responses_json, result_json)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (row.run_id, time.time(), row.document, row.item, row.task, public_endpoint(row.endpoint),
                 row.model, row.prompt_version, row.cache_key, int(row.cached), int(row.ok), row.requests,
                 row.transport_retries, row.validation_retries, row.prompt_tokens, row.completion_tokens,
                 row.latency_s, redact(row.error) if row.error else row.error,
                 # An endpoint may echo the request headers in its answer: nothing stored unredacted.
                 redact(json.dumps(row.messages, ensure_ascii=False)) if row.messages is not None else None,
                 redact(json.dumps(row.responses, ensure_ascii=False)) if row.responses is not None else None,
                 redact(json.dumps(row.result, ensure_ascii=False)) if row.result is not None else None),
            )
            return int(cur.lastrowid or 0)

    def calls(self, *, run_id: str | None = None, task: str | None = None, document: str | None = None,
              errors_only: bool = False, limit: int | None = 50) -> list[dict[str, Any]]:
        sql = "SELECT * FROM calls WHERE 1=1"
        args: list[Any] = []
        for col, val in (("run_id", run_id), ("task", task)):
            if val:
                sql += f" AND {col}=?"
                args.append(val)
        if document:
            sql += " AND document LIKE ?"
            args.append(f"%{document}%")
        if errors_only:
            sql += " AND ok=0"
        sql += " ORDER BY id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        with self._tx() as db:
            db.row_factory = sqlite3.Row
            # Redacted on the way out too: rows written by a version that did not redact yet.
            rows = [redact_value(dict(r)) for r in db.execute(sql, args).fetchall()]
            db.row_factory = None
        return rows

    def last_run_id(self) -> str | None:
        with self._tx() as db:
            row = db.execute("SELECT run_id FROM calls ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def clear_cache(self) -> int:
        with self._tx() as db:
            return db.execute("DELETE FROM cache").rowcount

    def close(self) -> None:
        # Under the lock: on Ctrl-C the main thread closes the store while a worker thread may be
        # inside an INSERT; closing the connection under it crashed the process (SIGSEGV). After
        # this, a late worker gets sqlite3.ProgrammingError (closed database), a plain exception.
        with self._lock:
            self._db.close()
