"""LLM settings: defaults < TOML file < environment.

The API key is a SecretStr so it never shows up in repr(), logs, the cache or cassettes;
only the openai client ever sees the plain value.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from semx.paths import cache_dir

InstructorMode = Literal["JSON", "MD_JSON", "TOOLS", "JSON_SCHEMA"]

# Environment variable -> config field. Values are parsed by pydantic.
ENV_FIELDS: dict[str, str] = {
    "SEMX_LLM_BASE_URL": "base_url",
    "SEMX_LLM_API_KEY": "api_key",
    "SEMX_LLM_MODEL": "model",
    "SEMX_LLM_MODE": "mode",
    "SEMX_LLM_TEMPERATURE": "temperature",
    "SEMX_LLM_MAX_TOKENS": "max_tokens",
    "SEMX_LLM_TIMEOUT": "timeout",
    "SEMX_LLM_CONCURRENCY": "concurrency",
    "SEMX_LLM_MAX_RETRIES": "max_retries",
    "SEMX_LLM_TRANSPORT_RETRIES": "transport_retries",
    "SEMX_LLM_TIME_BUDGET": "time_budget",
    "SEMX_LLM_BREAKER_COOLDOWN": "breaker_cooldown",
    "SEMX_LLM_BREAKER_GIVE_UP": "breaker_give_up",
    "SEMX_LLM_SCHEMA_IN_RESPONSE_FORMAT": "schema_in_response_format",
    "SEMX_LLM_PROMPT_EXTRACT": "prompt_extract",
    "SEMX_LLM_PROMPT_CLASSIFY": "prompt_classify",
    "SEMX_LLM_CACHE": "cache",
    "SEMX_CACHE_DIR": "cache_dir",
    "SEMX_PROMPTS_DIR": "prompts_dir",
}


def default_cache_dir() -> Path:
    return cache_dir()


class LLMConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8765/v1")
    api_key: SecretStr | None = None
    model: str = "qwen2.5-coder-1.5b-instruct-q4_k_m"
    mode: InstructorMode = Field("JSON", description="instructor mode; llama.cpp servers need JSON or MD_JSON")
    temperature: float = 0.0
    max_tokens: int = 1536
    timeout: float = Field(300.0, description="seconds for one HTTP request (a CPU model is slow)")
    concurrency: int = Field(1, ge=1)
    max_retries: int = Field(2, ge=0, description="validation re-asks after the first answer")
    transport_retries: int = Field(4, ge=0, description="retries of one HTTP request on timeout/429/5xx")
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    backoff_jitter: float = 1.0
    retry_after_max: float = Field(60.0, description="cap on a server's Retry-After")
    time_budget: float = Field(900.0, description="total seconds one request may spend retrying")
    circuit_breaker: int = Field(3, ge=0, description="after this many calls in a row fail on the endpoint, "
                                 "pause the LLM work and probe (0: never pause)")
    breaker_cooldown: float = Field(30.0, gt=0, description="seconds of pause before the breaker's first probe "
                                     "(doubles after each failed probe, up to 300)")
    breaker_give_up: float = Field(900.0, gt=0, description="seconds the endpoint may stay down before the "
                                   "remaining calls fail fast (as failed tasks a re-run retries)")
    # llama-cpp-python's server turns {"type":"json_object","schema":{...}} into a grammar, which
    # keeps a small model on the schema; OpenAI proper rejects the extra key, so off by default.
    schema_in_response_format: bool = False
    # v4 by the eval on the 69 gold blocks (eval/README.md, `semx eval`): F1 89.7 % (every document
    # >= 88.9 %) vs v3's 86.7 % and v2's 42.3 %, 40 completion tokens a block instead of v2's 213:
    # the spans are found without the model and the model only names them; v4 adds span grammar
    # revision 2 and unit-consistent names and 二级 (semx/llm/README.md). v1 names indicators by
    # their category, so almost none match what an auditor reads out of the text.
    prompt_extract: str = "v4"
    # v2 by the eval (31 projects, 189 rows): precision 65 % vs 54 %, F1 43 % vs 38 %; the
    # difference is not significant (McNemar p = 0.42), precision decides, as for the scorer.
    prompt_classify: str = "v2"
    prompts_dir: Path | None = Field(None, description="defaults to prompts/ of the checkout, else the copy installed with semx")
    cache: bool = True
    cache_dir: Path = Field(default_factory=default_cache_dir)

    @field_validator("mode", mode="before")
    @classmethod
    def _upper(cls, v: Any) -> Any:
        return v.upper() if isinstance(v, str) else v

    @property
    def configured(self) -> bool:
        return bool(self.base_url)

    def prompt_version(self, task: str) -> str:
        return {"extract": self.prompt_extract, "classify": self.prompt_classify}[task]

    def public_dict(self) -> dict[str, Any]:
        """Settings safe to log or store: the key is reduced to whether one is set."""
        d = self.model_dump(mode="json", exclude={"api_key"})
        d["api_key_set"] = self.api_key is not None
        return d


def _config_file(explicit: str | Path | None) -> Path | None:
    for cand in (explicit, os.environ.get("SEMX_LLM_CONFIG")):
        if cand:
            p = Path(cand).expanduser()
            if not p.is_file():
                raise FileNotFoundError(f"LLM config file not found: {p}")
            return p
    for p in (Path("semx.toml"), Path.home() / ".config" / "semx" / "config.toml"):
        if p.is_file():
            return p
    return None


def load_config(path: str | Path | None = None, **overrides: Any) -> LLMConfig:
    """Read the [llm] table of a TOML file (or the whole file if it has none), then SEMX_* env."""
    data: dict[str, Any] = {}
    cfg_file = _config_file(path)
    if cfg_file is not None:
        raw = tomllib.loads(cfg_file.read_text(encoding="utf-8"))
        data.update(raw.get("llm", raw))
        # A key may be named by the variable that holds it, so the file itself stays secret-free.
        key_env = data.pop("api_key_env", None)
        if key_env and os.environ.get(key_env):
            data["api_key"] = os.environ[key_env]
    for env, field in ENV_FIELDS.items():
        val = os.environ.get(env)
        if val not in (None, ""):
            data[field] = val
    data.update({k: v for k, v in overrides.items() if v is not None})
    return LLMConfig.model_validate(data)
