"""Recorded LLM runs of the eval: vcrpy cassettes plus a small index per prompt version.

Layout::

    cassettes/eval/<task>/<version>/<model-slug>/index.json
    cassettes/eval/<task>/<version>/<model-slug>/<sample>/<item>.yaml

One cassette per gold item (a free-text block, or a project for classify) so a long
recording can stop and resume, and a single stale item can be re-recorded alone.

The cassette holds the HTTP exchanges; the index holds what HTTP does not carry but the
report needs to be identical on every replay: the wall-clock latency and transport
retries measured while recording, and the prompt digest / response-schema hash /
request settings the recording was made with, so a prompt edited after recording is
reported as stale instead of silently replaying answers to a different prompt.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import vcr  # type: ignore[import-untyped]
from vcr.cassette import Cassette  # type: ignore[import-untyped]

from semx.evaluate.gold import repo_root

# Settings that change the request body, hence what a cassette can answer. Timeouts and
# retry budgets do not, so a slow recording machine may raise them freely.
BODY_SETTINGS: tuple[str, ...] = (
    "model", "mode", "temperature", "max_tokens", "schema_in_response_format", "max_retries",
)


def default_cassette_dir() -> Path:
    return repo_root() / "cassettes" / "eval"


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "model"


@dataclass
class ItemRecord:
    """What the index keeps for one recorded item."""

    latency_s: float
    transport_retries: int
    recorded_at: str

    def as_json(self) -> dict[str, Any]:
        return {"latency_s": round(self.latency_s, 3), "transport_retries": self.transport_retries,
                "recorded_at": self.recorded_at}


@dataclass
class RunIndex:
    task: str
    version: str
    model: str
    prompt_digest: str
    schema_hash: str
    settings: dict[str, Any]
    endpoint: str | None
    items: dict[str, ItemRecord] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "task": self.task, "version": self.version, "model": self.model,
            "prompt_digest": self.prompt_digest, "schema_hash": self.schema_hash,
            "settings": self.settings, "endpoint": self.endpoint,
            "items": {k: v.as_json() for k, v in sorted(self.items.items())},
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> RunIndex:
        items = {k: ItemRecord(float(v["latency_s"]), int(v.get("transport_retries", 0)), str(v.get("recorded_at", "")))
                 for k, v in obj.get("items", {}).items()}
        return cls(task=obj["task"], version=obj["version"], model=obj["model"], prompt_digest=obj["prompt_digest"],
                   schema_hash=obj["schema_hash"], settings=dict(obj["settings"]), endpoint=obj.get("endpoint"),
                   items=items)


class CassetteStore:
    """The cassettes of one (task, version, model)."""

    def __init__(self, root: Path, task: str, version: str, model: str) -> None:
        self.dir = root / task / version / slug(model)
        self.task, self.version, self.model = task, version, model

    @property
    def index_path(self) -> Path:
        return self.dir / "index.json"

    def cassette_path(self, item: str) -> Path:
        return self.dir / f"{item}.yaml"

    def load_index(self) -> RunIndex | None:
        if not self.index_path.is_file():
            return None
        return RunIndex.from_json(json.loads(self.index_path.read_text(encoding="utf-8")))

    def save_index(self, index: RunIndex) -> None:
        # Atomic replace: the recorder writes after every item and may be killed at any time.
        self.dir.mkdir(parents=True, exist_ok=True)
        text = json.dumps(index.as_json(), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".index.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; this file is committed
        os.replace(tmp, self.index_path)

    def has(self, item: str) -> bool:
        return self.cassette_path(item).is_file()


SECRET_HEADERS = ("authorization", "proxy-authorization", "api-key", "x-api-key", "cookie", "set-cookie",
                  "openai-organization", "openai-project")


def _scrub_request(request: Any) -> Any:
    # x-stainless-* describe the recording machine (OS, arch, python, retry count): noise, not content.
    for name in list(request.headers):
        if name.lower().startswith("x-stainless") or name.lower() in SECRET_HEADERS:
            del request.headers[name]
    return request


def _vcr(record_mode: str) -> vcr.VCR:
    return vcr.VCR(
        record_mode=record_mode,
        before_record_request=_scrub_request,
        # The body carries the prompt, the input and (on re-asks) the model's earlier answers;
        # matching on it is what makes a replay answer the same question it was recorded for.
        # Host and port are left out so a recording made on one local port replays anywhere.
        match_on=("method", "path", "body"),
        filter_headers=SECRET_HEADERS,
        decode_compressed_response=True,
    )


@contextlib.contextmanager
def use_cassette(path: Path, *, record: bool) -> Iterator[Cassette]:
    """Replay-only (record_mode none: an unknown request raises) or record afresh (old file removed)."""
    if record:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
    with _vcr("all" if record else "none").use_cassette(str(path)) as cassette:
        yield cassette


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
