"""One structured LLM call: cache lookup, instructor with bounded re-asks, accounting, log.

`LLMClient.call` never raises for anything the endpoint or the model does: transport
failures (after their own retries), answers that stay invalid after `max_retries`
re-asks, truncated output, refusals all come back as `CallResult.error`, so one bad
block cannot stop a document or a batch.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Generic, Self, TypeVar

import httpx2
import instructor
import openai
from instructor.core import IncompleteOutputException, InstructorRetryException
from instructor.v2.core.hooks import Hooks
from instructor.v2.core.patch import patch_v2
from pydantic import BaseModel, ValidationError

from semx.llm.breaker import CircuitBreaker
from semx.llm.config import LLMConfig
from semx.llm.prompts import PromptTemplate, load_prompt
from semx.llm.schemas import RESPONSE_MODELS
from semx.llm.store import CallRow, Store, cache_key, public_endpoint, schema_hash
from semx.llm.transport import MalformedAnswer, RetryingTransport, RetryPolicy, TransportStats, current_stats
from semx.models import LLMInfo, LLMUsage
from semx.redact import redact, register_secret

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")

_MODES = {
    "JSON": instructor.Mode.JSON,
    "MD_JSON": instructor.Mode.MD_JSON,
    "TOOLS": instructor.Mode.TOOLS,
    "JSON_SCHEMA": instructor.Mode.JSON_SCHEMA,
}

# Schema of the call in flight, for _create to put into response_format (per thread/context).
_current_schema: ContextVar[dict[str, Any] | None] = ContextVar("semx_llm_schema", default=None)

# instructor logs every failed attempt at ERROR; semx reports failures itself (llm_error,
# `semx logs`), so keep them off the terminal unless the application configures logging.
logging.getLogger("instructor").addHandler(logging.NullHandler())

# The placeholder is needed because the openai client insists on a key; local servers ignore it.
_NO_KEY = "sk-no-key-required"


@dataclass
class CallResult(Generic[T]):
    value: T | None
    info: LLMInfo
    error: str | None = None
    requests: int = 0
    transport_retries: int = 0
    validation_retries: int = 0
    log_id: int | None = None
    last_answer: str | None = None  # raw text of the last answer, for salvaging a failed call

    @property
    def ok(self) -> bool:
        return self.value is not None


@dataclass
class _Trace:
    """What the instructor hooks saw during one call."""

    messages: list[Any] = field(default_factory=list)
    responses: list[Any] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    parse_errors: list[str] = field(default_factory=list)

    def hooks(self) -> Hooks:
        h = Hooks()
        h.on("completion:kwargs", self._on_kwargs)
        h.on("completion:response", self._on_response)
        h.on("parse:error", self._on_parse_error)
        return h

    def _on_kwargs(self, *args: Any, **kwargs: Any) -> None:
        # The last attempt's messages contain the earlier answers and re-ask prompts too.
        self.messages = [dict(m) for m in kwargs.get("messages", [])]

    def _on_response(self, response: Any) -> None:
        usage = getattr(response, "usage", None)
        if usage is not None:
            self.prompt_tokens += int(getattr(usage, "prompt_tokens", 0) or 0)
            self.completion_tokens += int(getattr(usage, "completion_tokens", 0) or 0)
        try:
            choice = response.choices[0]
            self.responses.append({"content": choice.message.content, "finish_reason": choice.finish_reason,
                                   "tool_calls": [tc.model_dump() for tc in choice.message.tool_calls or []]})
        except (AttributeError, IndexError, TypeError):
            self.responses.append({"raw": str(response)[:2000]})

    def _on_parse_error(self, error: Exception, **_: Any) -> None:
        self.parse_errors.append(str(error)[:2000])


def _describe(exc: BaseException) -> str:
    """Short, key-free description of why a call failed."""
    if isinstance(exc, InstructorRetryException):
        cause = exc.__cause__
        if cause is not None and not isinstance(cause, (ValidationError, ValueError)):
            return _describe(cause)  # instructor wraps transport errors too
        n = getattr(exc, "n_attempts", "?")
        return f"invalid answer after {n} attempts: {str(cause or exc)[:600]}"
    if isinstance(exc, IncompleteOutputException):
        return "answer truncated at max_tokens"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code} from endpoint: {str(exc.message)[:300]}"
    if isinstance(exc, openai.APITimeoutError):
        return "timeout: no answer from endpoint within the retry budget"
    if isinstance(exc, openai.APIConnectionError):
        if isinstance(exc.__cause__, MalformedAnswer):
            return f"malformed answer from endpoint after transport retries: {exc.__cause__.why}"[:300]
        return f"connection error: {exc.__cause__ or exc}"[:300]
    if isinstance(exc, IndexError):
        return "endpoint answer has no choices"
    return f"{type(exc).__name__}: {str(exc)[:500]}"


def _endpoint_down(exc: BaseException) -> bool:
    """Whether the failure says the endpoint is unusable (as opposed to one bad answer)."""
    if isinstance(exc, InstructorRetryException) and exc.__cause__ is not None:
        exc = exc.__cause__
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code == 429 or exc.status_code >= 500 or exc.status_code in (401, 403, 404)
    return isinstance(exc, openai.APIConnectionError)


class LLMClient:
    def __init__(
        self,
        config: LLMConfig,
        *,
        store: Store | None = None,
        run_id: str | None = None,
        inner_transport: httpx2.BaseTransport | None = None,
    ) -> None:
        if not config.base_url:
            raise ValueError("LLM endpoint not configured (SEMX_LLM_BASE_URL or base_url in the config file)")
        self.config = config
        if config.api_key:
            register_secret(config.api_key.get_secret_value())
        self.run_id = run_id or time.strftime("%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:6]
        # The store always exists for the call log; config.cache only decides cache reads/writes.
        self.store = store if store is not None else Store(config.cache_dir)
        policy = RetryPolicy(
            retries=config.transport_retries, initial=config.backoff_initial, maximum=config.backoff_max,
            jitter=config.backoff_jitter, retry_after_max=config.retry_after_max, budget=config.time_budget,
            request_timeout=config.timeout,
        )
        self._http = httpx2.Client(
            transport=RetryingTransport(inner_transport, policy), timeout=config.timeout,
        )
        self._openai = openai.OpenAI(
            base_url=config.base_url,
            api_key=config.api_key.get_secret_value() if config.api_key else _NO_KEY,
            max_retries=0,  # retries live in RetryingTransport, counted and budgeted
            timeout=config.timeout,
            http_client=self._http,
        )
        self._instructor = instructor.from_openai(self._openai, mode=_MODES[config.mode])
        self._instructor.create_fn = patch_v2(
            func=self._create, provider=self._instructor.provider, mode=self._instructor.mode
        )
        self._prompts: dict[str, PromptTemplate] = {}
        # Circuit breaker: once the endpoint failed this many calls in a row (each after its own
        # transport retries), pause and probe instead of sending every call into the outage.
        self.breaker = CircuitBreaker(config.circuit_breaker, cooldown=config.breaker_cooldown,
                                      max_cooldown=max(config.breaker_cooldown, 300.0), give_up=config.breaker_give_up)

    def _create(self, **kwargs: Any) -> Any:
        schema = _current_schema.get()
        rf = kwargs.get("response_format")
        if self.config.schema_in_response_format and schema is not None and rf == {"type": "json_object"}:
            kwargs["response_format"] = {"type": "json_object", "schema": schema}
        return self._openai.chat.completions.create(**kwargs)

    def prompt(self, task: str) -> PromptTemplate:
        if task not in self._prompts:
            self._prompts[task] = load_prompt(task, self.config.prompt_version(task), self.config.prompts_dir)
        return self._prompts[task]

    def _info(self, task: str, prompt: PromptTemplate, **kw: Any) -> LLMInfo:
        return LLMInfo(task=task, model=self.config.model, prompt_version=prompt.id, **kw)  # type: ignore[arg-type]

    def call(
        self,
        task: str,
        values: dict[str, str],
        context: dict[str, Any],
        *,
        document: str | None = None,
        item: str | None = None,
    ) -> CallResult[Any]:
        prompt = self.prompt(task)
        model_cls = RESPONSE_MODELS[prompt.response or task]
        key = cache_key(
            endpoint=self.config.base_url, model=self.config.model, prompt_id=prompt.id,
            prompt_digest=prompt.digest, schema=schema_hash(model_cls), payload=values,
        )
        row = CallRow(run_id=self.run_id, task=task, model=self.config.model, prompt_version=prompt.id,
                      endpoint=self.config.base_url, document=document, item=item, cache_key=key)

        if self.config.cache and self.store is not None and (hit := self.store.get(key)) is not None:
            try:
                value = model_cls.model_validate_json(hit[0], context=context)
            except ValidationError:
                value = None  # validators got stricter since it was cached: ask again
            if value is not None:
                row.cached, row.result = True, json.loads(hit[0])
                log_id = self.store.log(row)
                info = self._info(task, prompt, cached=True)
                return CallResult(value=value, info=info, log_id=log_id)

        if (why := self.breaker.before_call()) is not None:
            row.ok, row.error = False, redact(why)
            log_id = self.store.log(row) if self.store is not None else None
            return CallResult(value=None, info=self._info(task, prompt), error=row.error, log_id=log_id)

        trace, stats = _Trace(), TransportStats()
        stats_token = current_stats.set(stats)
        schema_token = _current_schema.set(model_cls.model_json_schema())
        started = time.monotonic()
        value, error, down = None, None, False
        try:
            value = self._instructor.create(
                response_model=model_cls,
                messages=prompt.messages(values),  # type: ignore[arg-type]
                max_retries=self.config.max_retries,
                context=context,
                strict=False,
                hooks=trace.hooks(),
                model=self.config.model,
                temperature=self.config.temperature,
                max_tokens=min(self.config.max_tokens, prompt.max_tokens or self.config.max_tokens),
            )
        except Exception as exc:  # noqa: BLE001 - reported on the item, never raised (see module doc)
            error = redact(_describe(exc))
            down = _endpoint_down(exc)
        finally:
            current_stats.reset(stats_token)
            _current_schema.reset(schema_token)
        self.breaker.record(ok=error is None, endpoint_down=error is not None and down, error=error)
        latency = time.monotonic() - started

        attempts = len(trace.responses)
        row.ok, row.error = value is not None, error
        row.requests, row.transport_retries = stats.requests, stats.retries
        row.validation_retries = max(0, attempts - 1)
        row.prompt_tokens, row.completion_tokens = trace.prompt_tokens, trace.completion_tokens
        row.latency_s, row.messages, row.responses = latency, trace.messages, trace.responses
        if value is not None:
            row.result = value.model_dump(mode="json")
        log_id = self.store.log(row) if self.store is not None else None
        if value is not None and self.config.cache and self.store is not None:
            self.store.put(key, task=task, model=self.config.model, prompt_version=prompt.id,
                           result_json=value.model_dump_json(), prompt_tokens=trace.prompt_tokens,
                           completion_tokens=trace.completion_tokens)
        info = self._info(task, prompt, cached=False, attempts=attempts, prompt_tokens=trace.prompt_tokens,
                          completion_tokens=trace.completion_tokens, latency_s=round(latency, 3))
        last = trace.responses[-1].get("content") if trace.responses else None
        return CallResult(value=value, info=info, error=error, requests=stats.requests,
                          transport_retries=stats.retries, validation_retries=row.validation_retries,
                          log_id=log_id, last_answer=last if isinstance(last, str) else None)

    def map(self, fn: Callable[[R], Any], items: Iterable[R]) -> list[Any]:
        """Run fn over items with the configured concurrency, results in input order."""
        items = list(items)
        if self.config.concurrency <= 1 or len(items) <= 1:
            return [fn(it) for it in items]
        with ThreadPoolExecutor(max_workers=self.config.concurrency) as pool:
            return list(pool.map(fn, items))

    @property
    def endpoint(self) -> str | None:
        return public_endpoint(self.config.base_url)

    def close(self) -> None:
        self._openai.close()
        if self.store is not None:
            self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def add_usage(usage: LLMUsage, result: CallResult[Any]) -> None:
    """Fold one call into a per-document or per-run total."""
    usage.calls += result.requests
    usage.cache_hits += int(result.info.cached)
    usage.prompt_tokens += result.info.prompt_tokens
    usage.completion_tokens += result.info.completion_tokens
    usage.transport_retries += result.transport_retries
    usage.validation_retries += result.validation_retries
    usage.errors += int(result.error is not None)
    usage.latency_s = round(usage.latency_s + result.info.latency_s, 3)


def merge_usage(total: LLMUsage, part: LLMUsage) -> None:
    for name in ("calls", "cache_hits", "prompt_tokens", "completion_tokens", "transport_retries",
                 "validation_retries", "errors"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.latency_s = round(total.latency_s + part.latency_s, 3)
