"""Circuit breaker for the LLM endpoint: pause and probe instead of abandoning the run.

After `threshold` calls in a row fail on the endpoint (429, 5xx, connection errors, each after
its own transport retries), the breaker opens: calls wait instead of hammering the endpoint.
After `cooldown` seconds one call goes through as a probe; if it succeeds the breaker closes
and every waiting call proceeds, if it fails the cooldown doubles (up to `max_cooldown`).
Only when the endpoint has been down for `give_up` seconds in total do calls fail fast, as
failed tasks of the ledger that the next run retries. A short burst of 429s therefore costs
a pause, not the run's LLM work.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class CircuitBreaker:
    def __init__(self, threshold: int, cooldown: float = 30.0, max_cooldown: float = 300.0, give_up: float = 900.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """threshold 0 disables the breaker (every call goes through)."""
        self.threshold = threshold
        self.cooldown = cooldown
        self.max_cooldown = max_cooldown
        self.give_up = give_up
        self._clock = clock
        self._cond = threading.Condition()
        self._streak = 0
        self._open_since: float | None = None  # when the endpoint was first seen down
        self._reopen_at = 0.0
        self._wait = cooldown
        self._probing = False
        self.last_error: str | None = None
        self.pauses = 0  # times the breaker opened (for the log)
        # The run's LLM time budget (monotonic clock), set by the batch: a pause never outlasts it.
        self.deadline: float | None = None

    @property
    def is_open(self) -> bool:
        return self._open_since is not None

    def before_call(self) -> str | None:
        """Block while the breaker is open; None: go ahead (maybe as the probe), else why to fail fast."""
        if self.threshold <= 0:
            return None
        with self._cond:
            while True:
                if self._open_since is None:
                    return None
                now = self._clock()
                if now - self._open_since >= self.give_up:
                    return (f"endpoint unavailable for {now - self._open_since:.0f} s, breaker gave up "
                            f"({self.last_error}); a re-run retries this task")
                if self.deadline is not None and now >= self.deadline:
                    return (f"LLM time budget spent while the endpoint was down ({self.last_error}); "
                            "a re-run retries this task")
                if not self._probing and now >= self._reopen_at:
                    self._probing = True
                    return None
                deadline = self._open_since + self.give_up
                if self.deadline is not None:
                    deadline = min(deadline, self.deadline)
                self._cond.wait(timeout=max(0.01, min(self._reopen_at, deadline) - now))

    def record(self, *, ok: bool, endpoint_down: bool, error: str | None = None) -> None:
        """After a call: ok, or failed with the endpoint down, or failed otherwise (it answered)."""
        if self.threshold <= 0:
            return
        with self._cond:
            if ok or not endpoint_down:
                # Any answer (even an invalid one) shows the endpoint is reachable again.
                self._streak = 0
                self._open_since = None
                self._probing = False
                self._wait = self.cooldown
                self._cond.notify_all()
                return
            self._streak += 1
            self.last_error = error
            now = self._clock()
            if self._probing:
                self._probing = False
                self._wait = min(self.max_cooldown, self._wait * 2)
                self._reopen_at = now + self._wait
            elif self._open_since is None and self._streak >= self.threshold:
                self._open_since = now
                self._reopen_at = now + self._wait
                self.pauses += 1
            self._cond.notify_all()


__all__ = ["CircuitBreaker"]
