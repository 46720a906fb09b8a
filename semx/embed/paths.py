"""Where semx keeps converted models and the embedding cache: the shared semx.paths cache dir."""

from __future__ import annotations

from semx.paths import ENV_CACHE, cache_dir

__all__ = ["ENV_CACHE", "cache_dir"]
