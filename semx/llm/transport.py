"""HTTP-level resilience: retry one request on timeouts, connection errors, 429 and 5xx.

This sits below the openai client (whose own retries are switched off) and below instructor,
so transport retries and validation re-asks stay separate and separately counted: a flaky
network never burns a validation attempt, and a bad answer is never re-sent as if it were
a network error.
"""

from __future__ import annotations

import email.utils
import functools
import json
import random
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import httpx2
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, stop_after_delay

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass
class RetryPolicy:
    retries: int = 4
    initial: float = 1.0
    maximum: float = 30.0
    jitter: float = 1.0
    retry_after_max: float = 60.0
    budget: float = 900.0
    # Wall-clock seconds for one attempt, headers and body together. httpx's timeout bounds each
    # read, so a server that trickles one byte per second never trips it; this does.
    request_timeout: float | None = None


@dataclass
class TransportStats:
    """Counters of one logical LLM call; set per call through a ContextVar (thread-safe)."""

    requests: int = 0
    retries: int = 0
    errors: list[str] = field(default_factory=list)


current_stats: ContextVar[TransportStats | None] = ContextVar("semx_llm_transport_stats", default=None)


class RetryableStatus(Exception):
    def __init__(self, response: httpx2.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


class MalformedAnswer(Exception):
    """A 200 from the chat endpoint whose body is not a completion (a proxy's HTML page, cut JSON,
    no choices): a fault of the way there, retried like a 5xx, and named plainly when it persists."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def _malformed(response: httpx2.Response) -> str | None:
    """Why a chat-completion body is unusable, or None when it looks like a completion."""
    try:
        body = json.loads(response.content)
    except ValueError as exc:
        head = response.content[:60].decode("utf-8", "replace")
        return f"body is not JSON ({exc}; starts with {head!r})"
    if not isinstance(body, dict):
        return "body is not a JSON object"
    choices = body.get("choices")
    if not isinstance(choices, list) or not choices:
        return "answer has no choices"
    return None


def retry_after_seconds(response: httpx2.Response) -> float | None:
    """Retry-After as delta-seconds or HTTP date; None when absent or unreadable."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class RetryingTransport(httpx2.BaseTransport):
    def __init__(
        self,
        inner: httpx2.BaseTransport | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.inner = inner or httpx2.HTTPTransport()
        self.policy = policy or RetryPolicy()
        self._sleep = sleep

    def _wait(self, start: float, state: RetryCallState) -> float:
        p = self.policy
        backoff = min(p.maximum, p.initial * (2 ** (state.attempt_number - 1)))
        backoff += random.uniform(0, p.jitter)
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RetryableStatus):
            ra = retry_after_seconds(exc.response)
            if ra is not None:
                # The server said when; honour it (capped) instead of guessing.
                backoff = min(ra, p.retry_after_max)
        elapsed = time.monotonic() - start
        return max(0.0, min(backoff, p.budget - elapsed))

    def _before_sleep(self, state: RetryCallState) -> None:
        stats = current_stats.get()
        if stats is not None:
            stats.retries += 1
            exc = state.outcome.exception() if state.outcome else None
            stats.errors.append(f"{type(exc).__name__}: {exc}")

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()  # make the body replayable for a second attempt
        start = time.monotonic()
        retrying = Retrying(
            stop=stop_after_attempt(self.policy.retries + 1) | stop_after_delay(self.policy.budget),
            wait=functools.partial(self._wait, start),
            retry=retry_if_exception_type((httpx2.TimeoutException, httpx2.TransportError, RetryableStatus,
                                           MalformedAnswer)),
            before_sleep=self._before_sleep,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(self._send_once, request)
        except RetryableStatus as exc:
            # Out of retries: hand the last 429/5xx to the openai client, which raises its APIStatusError.
            return exc.response

    def _send_once(self, request: httpx2.Request) -> httpx2.Response:
        stats = current_stats.get()
        if stats is not None:
            stats.requests += 1
        response = self._bounded(request) if self.policy.request_timeout else self.inner.handle_request(request)
        if response.status_code in RETRY_STATUS:
            response.read()
            response.close()
            raise RetryableStatus(response)
        if response.status_code == 200 and request.url.path.endswith("/chat/completions"):
            response.read()
            if (why := _malformed(response)) is not None:
                raise MalformedAnswer(why)
        return response

    def _bounded(self, request: httpx2.Request) -> httpx2.Response:
        """One attempt, read completely within policy.request_timeout, else ReadTimeout.

        The attempt runs in a daemon thread that checks a cancel flag between chunks, so a trickle
        stops at its next byte once the bound has passed, and a silent server at httpx's read timeout.
        """
        limit = self.policy.request_timeout
        assert limit is not None
        cancel = threading.Event()
        box: dict[str, Any] = {}

        def attempt() -> None:
            try:
                resp = self.inner.handle_request(request)
                box["open"] = resp
                chunks: list[bytes] = []
                for chunk in resp.stream:  # type: ignore[union-attr]
                    if cancel.is_set():
                        break
                    chunks.append(chunk)
                resp.close()
                box["response"] = httpx2.Response(resp.status_code, headers=resp.headers, content=b"".join(chunks),
                                                  request=request, extensions=resp.extensions)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread below
                box["error"] = exc

        worker = threading.Thread(target=attempt, name="semx-llm-request", daemon=True)
        worker.start()
        worker.join(limit)
        if worker.is_alive():
            cancel.set()
            raise httpx2.ReadTimeout(f"no complete answer within {limit:g} s (wall-clock bound per request)",
                                     request=request)
        if "error" in box:
            raise box["error"]
        return box["response"]  # type: ignore[no-any-return]

    def close(self) -> None:
        self.inner.close()
