"""A scripted OpenAI-compatible server on 127.0.0.1 for fault tests (no model, no network).

Each POST /v1/chat/completions consumes the next step of the script; when the script
runs out the last step repeats. Steps:
  ("ok", content)                 200 with a chat completion whose message is `content`
  ("status", code, headers)       that status with a small JSON error body
  ("sleep", seconds, content)     answer ok after sleeping (client timeouts)
  ("body", raw_bytes)             200 with a raw, possibly non-JSON body
  ("trickle", interval, content)  200 whose body is sent one byte every `interval` seconds
  ("echo", code)                  that status with the request headers echoed in the error body
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

Step = tuple[Any, ...]


def completion(content: str, prompt_tokens: int = 11, completion_tokens: int = 7) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": "fake-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }


class FakeOpenAI:
    def __init__(self, script: list[Step] | None = None) -> None:
        self.script: list[Step] = list(script or [])
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._i = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep pytest output clean
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with owner._lock:
                    owner.requests.append(json.loads(body or b"{}"))
                    owner.headers.append({k.lower(): v for k, v in self.headers.items()})
                    step = owner.script[min(owner._i, len(owner.script) - 1)]
                    owner._i += 1
                owner._answer(self, step)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    @property
    def count(self) -> int:
        return len(self.requests)

    def _answer(self, h: BaseHTTPRequestHandler, step: Step) -> None:
        kind = step[0]
        try:
            if kind == "sleep":
                time.sleep(step[1])
                self._send(h, 200, json.dumps(completion(step[2])).encode())
            elif kind == "ok":
                self._send(h, 200, json.dumps(completion(step[1])).encode())
            elif kind == "status":
                err = json.dumps({"error": {"message": f"fake {step[1]}", "type": "fake"}}).encode()
                self._send(h, step[1], err, step[2] if len(step) > 2 else {})
            elif kind == "body":
                self._send(h, 200, step[1])
            elif kind == "trickle":
                body = json.dumps(completion(step[2])).encode()
                h.send_response(200)
                h.send_header("content-type", "application/json")
                h.send_header("content-length", str(len(body)))
                h.end_headers()
                for i in range(len(body)):
                    h.wfile.write(body[i : i + 1])
                    h.wfile.flush()
                    time.sleep(step[1])
            elif kind == "echo":
                # A misconfigured proxy that echoes the request, Authorization header included.
                echoed = {k: v for k, v in h.headers.items()}
                err = json.dumps({"error": {"message": f"bad request, headers were {echoed}", "type": "echo"}})
                self._send(h, step[1], err.encode())
            else:
                raise ValueError(kind)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test): nothing to answer

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, code: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        h.send_response(code)
        h.send_header("content-type", "application/json")
        h.send_header("content-length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
