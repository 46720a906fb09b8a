"""Headless Chromium for the report tests and the README screenshot.

Debian's chromium is installed with apt-get when /usr/bin/chromium is missing (the test
machine is root and reaches Debian's mirrors; nothing else is downloaded). Every launch gets
its own profile directory and the flags that keep it from calling home.

    python tests/browser.py screenshot out/report.html docs/report.png
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
]


def ensure_chromium() -> Path:
    """The chromium binary, installing Debian's package first when it is missing."""
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    if found:
        return Path(found)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(["apt-get", "install", "-y", "-q", "chromium", "fonts-noto-cjk"], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    return CHROMIUM


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="semx-chromium-") as profile:
        cmd = [str(ensure_chromium()), *FLAGS, f"--user-data-dir={profile}", *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


def dump_dom(page: Path, fragment: str = "", timeout: float = 90.0) -> str:
    """The DOM after load and after the page's scripts ran, serialised as HTML."""
    url = page.resolve().as_uri() + (f"#{fragment}" if fragment else "")
    proc = _run(["--virtual-time-budget=3000", "--dump-dom", url], timeout)
    if proc.returncode != 0 or not proc.stdout.strip():
        raise RuntimeError(f"chromium --dump-dom failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return proc.stdout


def screenshot(page: Path, png: Path, width: int = 1400, height: int = 1800, timeout: float = 90.0) -> Path:
    png.parent.mkdir(parents=True, exist_ok=True)
    proc = _run([f"--window-size={width},{height}", f"--screenshot={png.resolve()}", page.resolve().as_uri()], timeout)
    if proc.returncode != 0 or not png.exists():
        raise RuntimeError(f"chromium --screenshot failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return png


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "screenshot":
        print(screenshot(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit("usage: python tests/browser.py screenshot REPORT.html OUT.png")
