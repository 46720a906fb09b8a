"""The one place that decides where semx keeps its per-user files (models, caches, logs)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_CACHE = "SEMX_CACHE_DIR"


def cache_dir() -> Path:
    """$SEMX_CACHE_DIR if set, else the platform's user cache directory (~/.cache/semx on Linux)."""
    env = os.environ.get(ENV_CACHE)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("semx", appauthor=False)
