"""A loopback OpenAI-compatible chat server that answers semx's extract and classify tasks.

For the batch benchmark and the offline batch tests: fixed latency per request, valid answers,
deterministic, no model. It answers the shape the request's response schema asks for (the JSON
schema instructor pastes into the system text or sends in response_format): extract/v2's whole
extractions (evidence quoted verbatim from the prompt, numbers taken from the quote), the span
naming of extract/v3 and v4, the default (`{"r": [[n, name, code], ...]}`: one item per numbered
span, the name made of the span's own words, a category code of the prompt's list), and classify.
It listens on 127.0.0.1 only and is started and stopped by whoever uses it:

    python bench/mock_openai.py --port 0 --latency 0.2     # prints "PORT <n>" when ready

or in-process with `MockServer(latency=0.2)` as a context manager.

With `cassettes=DIR` it answers instead from vcrpy cassettes recorded on the real model
(tests/llm_fixtures/replay.py): a request whose JSON body was recorded gets the recorded
answer, any other request a 404, counted in `misses`, so a test can insist on a full match.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

from semx.vocab.categories import LEVEL2_CODES

HOST = "127.0.0.1"
_NUM = re.compile(r"\d[\d,]*(?:\.\d+)?")
_UNIT = re.compile(r"\s*(%|％|万元|元|人次|人|份|次|个|天|日|项|家|场|期|户|篇|条|台|公里|亩|吨|月|年|小时|分钟)")
_CLAUSE = re.compile(r"[，。；;,\n]")
_ROW = re.compile(r"^(\d+)\.\s*(.*)$", re.MULTILINE)
_CODE = {level2: code for code, level2 in LEVEL2_CODES.items()}
# extract/v3+: "片段（共N个）：" then one numbered line per span.
_SPAN_LIST = re.compile(r"^片段（共(\d+)个）：\n((?:\d+\..*(?:\n|$))+)", re.MULTILINE)
_LEAD_OPS = re.compile(r"(?:不少于|不低于|不超过|不高于|大于等于|小于等于|大于|小于|达到|达|超过|控制在|为|在|约|≥|≤|>|<|＞|＜)+$")
_QUALITATIVE = re.compile(r"年底前|年末前|年内|当年|按期完成|按时完成|如期完成|限期完成|无差错|零差错|零失误|无事故|零事故|无投诉|零投诉")
_NAME_TRIM = " \t\u3000，。；、：:（）()“”《》…"
_MAX_NAME = 12  # what the prompt asks: 4 to 12 characters


def _category(text: str, unit: str | None) -> tuple[str, str]:
    if "满意" in text:
        return "满意度指标", "服务对象满意度指标"
    if unit in ("万元", "元"):
        return "产出指标", "成本指标"
    if unit in ("天", "日", "月", "小时", "分钟") or "时间" in text or "及时" in text:
        return "产出指标", "时效指标"
    if unit in ("%", "％"):
        return "产出指标", "质量指标"
    return "产出指标", "数量指标"


def _field(user: str, label: str) -> str:
    m = re.search(rf"^{label}：(.*?)(?=^\S+：|\Z)", user, re.MULTILINE | re.DOTALL)
    return m.group(1).strip() if m else ""


def extract_answer(user: str) -> dict[str, Any]:
    """One indicator per clause that carries a number, quoting the clause verbatim."""
    text = _field(user, "绩效指标") or _field(user, "绩效目标")
    out: list[dict[str, Any]] = []
    for clause in _CLAUSE.split(text):
        clause = clause.strip()
        m = _NUM.search(clause)
        if not clause or not m or len(out) >= 8:
            continue
        digits = m.group().replace(",", "")
        number: float | int = float(digits) if "." in digits else int(digits)
        um = _UNIT.match(clause, m.end())
        unit = um.group(1) if um else None
        op = "≥" if re.search(r"以上|不少于|不低于|达到|≥", clause) else ("≤" if re.search(r"以内|不超过|以下|≤", clause) else "=")
        name = re.sub(r"[\s:：（(]+$", "", clause[: m.start()]).strip(" ，、：:") or "指标"
        level1, level2 = _category(clause, unit)
        out.append({"evidence": clause, "level3": name[:20], "op": op, "number": number, "unit": unit,
                    "level1": level1, "level2": level2})
    return {"indicators": out}


def _span_name(line: str) -> tuple[str, str]:
    """(name, category code) of one shown span: the words before its number, else after it.

    Only the span's own words (the prompt: "用片段里的词"), without the value, so the name is never
    the whole quote; the code from the same unit rules as the whole extraction's categories.
    """
    text = re.sub(r"《[^》]*》", "", line.split("…")[-1])
    # A year ("2020年1月份完成…") dates the target; the value is the next number.
    m = next((n for n in _NUM.finditer(text) if not (len(n.group()) == 4 and text.startswith("年", n.end()))), None)
    if m is None:
        q = _QUALITATIVE.search(text)
        rest = (text[: q.start()] + text[q.end():]) if q else text
        name = rest.strip(_NAME_TRIM)[:_MAX_NAME]
        if len(name) < 2:
            name = (q.group() if q else text.strip(_NAME_TRIM))[:_MAX_NAME]
        if q and "差错" not in q.group() and "事故" not in q.group() and "投诉" not in q.group():
            return name.removesuffix("完成") + "完成时间", "时效"
        return name, "质量"
    um = _UNIT.match(text, m.end())
    unit = um.group(1) if um else None
    before = _LEAD_OPS.sub("", re.sub(r"\d{4}年", "", text[: m.start()]).strip(_NAME_TRIM)).strip(_NAME_TRIM)
    after = re.sub(r"^(?:余|多)?", "", text[um.end() if um else m.end():]).lstrip("余多以上内下份底前").strip(_NAME_TRIM)
    name = before[-_MAX_NAME:] if len(before) >= 2 else after[:_MAX_NAME]
    if len(name) < 2:
        name = f"{unit or ''}数值".strip()
    _, level2 = _category(text, unit)
    return name, _CODE[level2]


def span_naming_answer(user: str) -> dict[str, Any]:
    """extract/v3+: one [number, name, code] per numbered span, in order."""
    m = _SPAN_LIST.search(user)
    if m is None:
        return {"r": []}
    return {"r": [[int(row.group(1)), *_span_name(row.group(2))] for row in _ROW.finditer(m.group(2))]}


def _schema(payload: dict[str, Any]) -> dict[str, Any] | None:
    """The response schema the request carries: in response_format, a tool, or the system text (JSON mode)."""
    rf = payload.get("response_format") or {}
    for cand in (rf.get("schema"), (rf.get("json_schema") or {}).get("schema"),
                 *((t.get("function") or {}).get("parameters") for t in payload.get("tools") or [])):
        if isinstance(cand, dict):
            return cand
    for msg in payload.get("messages", []):
        content = msg.get("content") or ""
        at = content.find("json_schema")
        start = content.find("{", at) if at >= 0 else -1
        if start >= 0:
            try:
                found, _ = json.JSONDecoder().raw_decode(content[start:])
            except ValueError:
                continue
            if isinstance(found, dict):
                return found
    return None


def response_shape(payload: dict[str, Any]) -> str:
    """"span_naming", "extraction" or "classification": from the response schema's fields, else the prompt's text."""
    messages = payload.get("messages", [])
    user = next((m.get("content", "") for m in reversed(messages) if m.get("role") == "user"), "")
    everything = json.dumps(messages, ensure_ascii=False)
    props = set((_schema(payload) or {}).get("properties") or {})
    if "r" in props:
        return "span_naming"
    if "indicators" in props:
        return "extraction"
    if "items" in props:
        return "classification"
    if _SPAN_LIST.search(user):
        return "span_naming"
    is_classify = "Classification" in everything or ("绩效指标：" not in user and "指标：" in user)
    return "classification" if is_classify else "extraction"


def classify_answer(user: str) -> dict[str, Any]:
    body = user.split("指标：", 1)[-1]
    items = []
    for m in _ROW.finditer(body):
        row = m.group(2)
        unit = next((u for u in ("万元", "元", "%", "天") if u in row), None)
        level1, level2 = _category(row, unit)
        items.append({"index": int(m.group(1)), "level1": level1, "level2": level2, "reason": "按指标值单位判断"})
    return {"items": items}


def answer(payload: dict[str, Any]) -> dict[str, Any]:
    messages = payload.get("messages", [])
    user = next((m.get("content", "") for m in reversed(messages) if m.get("role") == "user"), "")
    everything = json.dumps(messages, ensure_ascii=False)
    shape = response_shape(payload)
    body = (span_naming_answer(user) if shape == "span_naming" else classify_answer(user)
            if shape == "classification" else extract_answer(user))
    content = json.dumps(body, ensure_ascii=False)
    prompt_tokens = max(1, len(everything) // 2)
    completion_tokens = max(1, len(content) // 2)
    return {
        "id": "chatcmpl-mock",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": payload.get("model", "mock"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }


def _canonical(body: Any) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False)


class CassetteBook:
    """Recorded answers by request body, from every *.yaml cassette under a folder."""

    def __init__(self, root: Path) -> None:
        import yaml

        self.answers: dict[str, tuple[int, str]] = {}
        for path in sorted(root.rglob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for it in data.get("interactions", []):
                body = it["request"].get("body")
                if not body:
                    continue
                resp = it["response"]
                text = resp["body"]["string"]
                if isinstance(text, bytes):
                    text = text.decode("utf-8")
                self.answers[_canonical(json.loads(body))] = (int(resp["status"]["code"]), text)

    def get(self, payload: dict[str, Any]) -> tuple[int, str] | None:
        return self.answers.get(_canonical(payload))


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, code: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_text(self, code: int, text: str) -> None:
        data = text.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self._send(200, {"object": "list", "data": [{"id": "mock", "object": "model"}]})
        else:
            self._send(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        payload = json.loads(self.rfile.read(length) or b"{}")
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, {"error": {"message": "not found"}})
            return
        with self.server.lock:
            self.server.requests += 1
            self.server.in_flight += 1
            self.server.peak_in_flight = max(self.server.peak_in_flight, self.server.in_flight)
        try:
            time.sleep(self.server.latency)
            if self.server.book is None:
                self._send(200, answer(payload))
            elif (hit := self.server.book.get(payload)) is not None:
                self._send_text(*hit)
            else:
                with self.server.lock:
                    self.server.misses += 1
                self._send(404, {"error": {"message": "no recorded answer for this request"}})
        finally:
            with self.server.lock:
                self.server.in_flight -= 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, latency: float, book: CassetteBook | None = None) -> None:
        super().__init__((HOST, port), _Handler)
        self.latency = latency
        self.book = book
        self.misses = 0
        self.lock = threading.Lock()
        self.requests = 0
        self.in_flight = 0
        self.peak_in_flight = 0

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that was killed mid-request (the interrupted-run test) is expected, not news.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class MockServer:
    """In-process server on a free loopback port; `with MockServer() as m: m.base_url`."""

    def __init__(self, latency: float = 0.2, port: int = 0, cassettes: Path | None = None) -> None:
        self._server = _Server(port, latency, CassetteBook(cassettes) if cassettes is not None else None)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self._server.server_address[1]}/v1"

    @property
    def requests(self) -> int:
        return self._server.requests

    @property
    def misses(self) -> int:
        return self._server.misses

    @property
    def peak_in_flight(self) -> int:
        return self._server.peak_in_flight

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--latency", type=float, default=0.2)
    ap.add_argument("--max-seconds", type=float, default=3600.0, help="stop by itself after this long")
    args = ap.parse_args()
    server = _Server(args.port, args.latency)
    print(f"PORT {server.server_address[1]}", flush=True)
    # Bounded life: a forgotten mock stops by itself.
    timer = threading.Timer(args.max_seconds, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        server.serve_forever()
    finally:
        server.server_close()
    sys.exit(0)


if __name__ == "__main__":
    main()
