"""Run one prompt version of one LLM task over the eval items: replay, live, or record.

Replay serves every HTTP exchange from the item's cassette (vcr record_mode "none"), so
no network is touched and the answers, tokens and re-asks are the recorded ones; the
latency and transport retries come from the index written while recording. A request
the cassette cannot answer (prompt, input or settings changed since recording) makes the
item `replay_mismatch`: it is reported, never silently scored.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from semx.evaluate.cassettes import (
    BODY_SETTINGS,
    CassetteStore,
    ItemRecord,
    RunIndex,
    now_iso,
    use_cassette,
)
from semx.evaluate.items import ClassifyItem, ExtractItem

# semx.llm.client._describe reads `instructor.core.…` while only `instructor` is imported, and
# instructor resolves submodules lazily, so describing a failed call raised AttributeError.
# Importing the submodule makes the attribute exist (reported to the lead; remove once fixed there).
import instructor.core  # noqa: F401  isort: skip
from semx.llm.client import CallResult, LLMClient
from semx.llm.config import LLMConfig
from semx.llm.prompts import load_prompt
from semx.llm.schemas import RESPONSE_MODELS
from semx.llm.store import public_endpoint, schema_hash

Mode = Literal["replay", "live", "record"]
Status = Literal["ok", "failed", "not_recorded", "replay_mismatch", "not_parsed"]
Item = ExtractItem | ClassifyItem

# Replay needs some base_url for the openai client; vcr answers before any socket opens.
_REPLAY_URL = "http://127.0.0.1:8765/v1"


@dataclass
class CallStats:
    ok: bool
    attempts: int
    prompt_tokens: int
    completion_tokens: int
    validation_retries: int


@dataclass
class ItemRun:
    key: str
    status: Status
    error: str | None = None
    calls: list[CallStats] = field(default_factory=list)
    latency_s: float = 0.0
    transport_retries: int = 0
    # extract: the indicators the model returned (name, level1, level2, op, number, unit, evidence)
    extracted: list[dict[str, Any]] = field(default_factory=list)
    # classify: indicator line -> {level1, level2, agrees}; rows of a failed batch are absent
    opinions: dict[int, dict[str, Any]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class VersionRun:
    task: str
    version: str
    model: str
    mode: Mode
    items: list[ItemRun]
    settings: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.task}/{self.version}"


def _stats(results: Sequence[CallResult[Any] | None]) -> list[CallStats]:
    return [
        CallStats(ok=r.value is not None, attempts=r.info.attempts, prompt_tokens=r.info.prompt_tokens,
                  completion_tokens=r.info.completion_tokens, validation_retries=r.validation_retries)
        for r in results if r is not None
    ]


def _run_extract(client: LLMClient, item: ExtractItem) -> ItemRun:
    from semx.llm.tasks import extract_target

    assert item.target is not None
    target, result = extract_target(client, item.target, document=item.block.sample)
    run = ItemRun(item.key, "ok" if target.llm_error is None else "failed", error=target.llm_error,
                  calls=_stats([result]), latency_s=result.info.latency_s if result else 0.0,
                  transport_retries=result.transport_retries if result else 0)
    for ind in target.indicators:
        v = ind.value
        run.extracted.append({
            "name": ind.level3, "level1": ind.level1, "level2": ind.level2, "op": v.op,
            "number": None if v.number is None else format(v.number, "f"), "unit": v.unit,
            "evidence": ind.evidence,
        })
    return run


def _run_classify(client: LLMClient, item: ClassifyItem) -> ItemRun:
    from semx.llm.tasks import classify_project

    project, results, errors = classify_project(client, item.project, document=item.sample)
    run = ItemRun(item.key, "failed" if errors else "ok", error="; ".join(errors) or None, calls=_stats(results),
                  latency_s=sum(r.info.latency_s for r in results),
                  transport_retries=sum(r.transport_retries for r in results))
    for ind in project.indicators:
        if ind.llm_category is not None:
            c = ind.llm_category
            run.opinions[ind.line] = {"level1": c.level1, "level2": c.level2, "agrees": c.agrees}
    return run


def _run_item(client: LLMClient, item: Item) -> ItemRun:
    if isinstance(item, ExtractItem):
        if item.target is None:
            return ItemRun(item.key, "not_parsed", error="the parser found no free-text block at this line")
        return _run_extract(client, item)
    return _run_classify(client, item)


def _is_replay_miss(run: ItemRun) -> bool:
    # vcr raises CannotOverwriteExistingCassetteException for an unknown request; the LLM
    # client reports it as a connection error carrying that message.
    error = run.error or ""
    return "overwrite existing cassette" in error.lower() or "CannotOverwriteExistingCassette" in error


def _endpoint_trouble(run: ItemRun) -> bool:
    """Errors of the endpoint (see semx.llm.client._describe), as opposed to the model's answers."""
    e = (run.error or "").lower()
    return any(m in e for m in ("connection error", "timeout:", "http 5", "http 429"))


def body_settings(cfg: LLMConfig) -> dict[str, Any]:
    return {k: getattr(cfg, k) for k in BODY_SETTINGS}


def replay(task: str, version: str, model: str, items: Sequence[Item], root: Path,
           base: LLMConfig) -> VersionRun:
    store = CassetteStore(root, task, version, model)
    index = store.load_index()
    out = VersionRun(task, version, model, "replay", [])
    if index is None:
        out.items = [ItemRun(it.key, "not_recorded") for it in items]
        out.notes.append(f"no recording in {store.dir} (record with: semx eval --record --prompt {task}/{version})")
        return out
    prompt = load_prompt(task, version, base.prompts_dir)
    if index.prompt_digest != prompt.digest:
        out.notes.append(f"prompts/{task}/{version}.md changed since it was recorded; items whose requests "
                         "differ are reported as replay_mismatch")
    out.settings = dict(index.settings)
    cfg = base.model_copy(update={
        **index.settings, "base_url": index.endpoint or _REPLAY_URL, "cache": False, f"prompt_{task}": version,
        # Nothing can fail in transport during replay; retrying an unmatched request is pointless.
        "transport_retries": 0, "concurrency": 1,
        # The client's circuit breaker would skip every item after a few unmatched ones; in a replay
        # each item must be tried against its own cassette.
        **({"circuit_breaker": 0} if "circuit_breaker" in LLMConfig.model_fields else {}),
    })
    with LLMClient(cfg) as client:
        for it in items:
            rec = index.items.get(it.key)
            if rec is None:
                out.items.append(ItemRun(it.key, "not_recorded"))
                continue
            # Recorded without a cassette file: the item made no HTTP call (extract/v3 on a block
            # with no span). Replayed against the empty cassette, so a call it makes now is a mismatch.
            with use_cassette(store.cassette_path(it.key), record=False) as cassette:
                run = _run_item(client, it)
                complete = cassette.all_played
            if _is_replay_miss(run) or (run.status != "not_parsed" and not complete):
                run = ItemRun(it.key, "replay_mismatch", error="request differs from the recording "
                              "(prompt, input, schema or settings changed): re-record this item")
            else:
                run.latency_s, run.transport_retries = rec.latency_s, rec.transport_retries
            out.items.append(run)
    return out


def live(task: str, version: str, model: str | None, items: Sequence[Item], root: Path, base: LLMConfig, *,
         record: bool, resume: bool = False, progress: Callable[[str], None] | None = None) -> VersionRun:
    """Run against the endpoint in `base`; with record, write cassettes and the index.

    resume: keep items already recorded with the same prompt, schema and settings (they are
    replayed), record only the rest, so an interrupted recording continues where it stopped.
    """
    cfg = base.model_copy(update={f"prompt_{task}": version, "cache": False,
                                  **({"model": model} if model else {})})
    prompt = load_prompt(task, version, cfg.prompts_dir)
    store = CassetteStore(root, task, version, cfg.model)
    fresh = RunIndex(task=task, version=version, model=cfg.model, prompt_digest=prompt.digest,
                     schema_hash=schema_hash(RESPONSE_MODELS[prompt.response or task]), settings=body_settings(cfg),
                     endpoint=public_endpoint(cfg.base_url))
    index = fresh
    if record and resume and (old := store.load_index()) is not None:
        same = (old.prompt_digest, old.schema_hash, old.settings) == (fresh.prompt_digest, fresh.schema_hash,
                                                                      fresh.settings)
        if same:
            index = old
    out = VersionRun(task, version, cfg.model, "record" if record else "live", [], settings=body_settings(cfg))
    with LLMClient(cfg) as client:
        for n, it in enumerate(items, 1):
            if record and it.key in index.items and store.has(it.key):
                with use_cassette(store.cassette_path(it.key), record=False):
                    run = _run_item(client, it)
                rec = index.items[it.key]
                if not _is_replay_miss(run):
                    run.latency_s, run.transport_retries = rec.latency_s, rec.transport_retries
                    out.items.append(run)
                    continue
            t0 = time.monotonic()
            if record and not (isinstance(it, ExtractItem) and it.target is None):
                with use_cassette(store.cassette_path(it.key), record=True):
                    run = _run_item(client, it)
                if _endpoint_trouble(run):
                    # Not the model's doing: leave it unrecorded so a resumed recording retries it.
                    store.cassette_path(it.key).unlink(missing_ok=True)
                else:
                    index.items[it.key] = ItemRecord(run.latency_s, run.transport_retries, now_iso())
                    store.save_index(index)
            else:
                run = _run_item(client, it)
            out.items.append(run)
            if progress is not None:
                progress(f"{task}/{version} {n}/{len(items)} {it.key} {run.status} "
                         f"{time.monotonic() - t0:.0f}s {run.error or ''}"[:300])
    return out
