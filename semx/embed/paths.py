"""Where semx keeps converted models and the embedding cache."""

from __future__ import annotations

import os
from pathlib import Path

ENV_CACHE = "SEMX_CACHE_DIR"


def cache_dir() -> Path:
    """SEMX_CACHE_DIR if set, else the user's cache directory (XDG) + /semx."""
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "semx"
