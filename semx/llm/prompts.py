"""Versioned prompt files: prompts/<task>/<version>.md with YAML front matter.

Layout of a file::

    ---
    task: extract
    version: v1
    description: ...
    examples: []          # optional few-shot pairs: {input: {...}, output: {...}}
    ---
    ## system
    ...
    ## user
    ... {{title}} ...

Placeholders are ``{{name}}`` (not str.format) so JSON in a prompt needs no escaping.
The digest of the file is part of the cache key, so editing a prompt without bumping
its version still cannot serve stale answers.

Where the files are found: an explicit folder (``prompts_dir`` in the LLM config, or
SEMX_PROMPTS_DIR) wins; then prompts/ of the source checkout this module runs from (an
editable install); then the copy shipped in the wheel as the data package ``semx_prompts``
(pyproject.toml maps it to prompts/), read with importlib.resources.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

_FRONT = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)
_SECTION = re.compile(r"^## (system|user)\s*$", re.MULTILINE)
_VAR = re.compile(r"\{\{(\w+)\}\}")


class PromptError(ValueError):
    pass


PROMPTS_PACKAGE = "semx_prompts"


def default_prompts_dir() -> Traversable:
    """prompts/ of the source checkout, else the copy installed with the package."""
    # semx/llm/prompts.py -> repo root. In a wheel install that is site-packages, where a
    # "prompts" folder would be some other distribution's: require the checkout's pyproject.toml.
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "prompts").is_dir():
        return root / "prompts"
    try:
        return files(PROMPTS_PACKAGE)
    except ModuleNotFoundError:
        # semx run from a copy of its source without prompts/, or an install without the data package.
        raise PromptError(f"no prompts/ folder next to semx and no {PROMPTS_PACKAGE} package installed; "
                          "set SEMX_PROMPTS_DIR or reinstall semx") from None


@dataclass(frozen=True)
class PromptTemplate:
    task: str
    version: str
    description: str
    system: str
    user: str
    digest: str
    examples: list[dict[str, Any]] = field(default_factory=list)
    # Key of semx.llm.schemas.RESPONSE_MODELS the answer is parsed into; "" means the task's own.
    # extract/v3 answers a span naming, not a whole extraction.
    response: str = ""
    # Cap on the answer's tokens when the prompt's answer is short by design (extract/v3): a small
    # model that starts repeating itself then stops after seconds instead of minutes. None: the config's.
    max_tokens: int | None = None
    # extract/v3+: revision of the span grammar and naming rules (semx.llm.spans); v3 is 1, v4 is 2.
    # Kept per prompt so an older version's recordings replay with the spans they were recorded on.
    spans: int = 1

    @property
    def id(self) -> str:
        return f"{self.task}/{self.version}"

    def _fill(self, template: str, values: dict[str, str]) -> str:
        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in values:
                raise PromptError(f"{self.id}: no value for {{{{{name}}}}}")
            return values[name]

        return _VAR.sub(sub, template)

    def messages(self, values: dict[str, str]) -> list[dict[str, str]]:
        """System, then few-shot pairs, then the user turn; the system text stays first and
        identical across calls so a local server can reuse its prompt cache."""
        msgs = [{"role": "system", "content": self.system}]
        for ex in self.examples:
            shown = {k: str(v) for k, v in ex["input"].items()}
            msgs.append({"role": "user", "content": self._fill(self.user, shown)})
            msgs.append({"role": "assistant", "content": json.dumps(ex["output"], ensure_ascii=False)})
        msgs.append({"role": "user", "content": self._fill(self.user, values)})
        return msgs


def load_prompt(task: str, version: str, prompts_dir: Path | None = None) -> PromptTemplate:
    # Traversable, not Path: the installed copy need not be a folder on disk (e.g. a zip).
    path = (prompts_dir or default_prompts_dir()) / task / f"{version}.md"
    if not path.is_file():
        raise PromptError(f"prompt file not found: {path}")
    raw = path.read_text(encoding="utf-8")
    m = _FRONT.match(raw)
    if not m:
        raise PromptError(f"{path}: missing --- front matter ---")
    meta = yaml.safe_load(m.group(1)) or {}
    body = m.group(2)
    parts = _SECTION.split(body)
    # split gives ['', 'system', text, 'user', text]
    sections = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if set(sections) != {"system", "user"}:
        raise PromptError(f"{path}: needs exactly one '## system' and one '## user' section")
    if meta.get("task") != task or str(meta.get("version")) != version:
        raise PromptError(f"{path}: front matter says {meta.get('task')}/{meta.get('version')}")
    return PromptTemplate(
        task=task,
        version=version,
        description=str(meta.get("description", "")).strip(),
        system=sections["system"],
        user=sections["user"],
        digest=hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16],
        examples=list(meta.get("examples") or []),
        response=str(meta.get("response") or ""),
        max_tokens=int(meta["max_tokens"]) if meta.get("max_tokens") else None,
        spans=int(meta.get("spans") or 1),
    )


def list_prompts(prompts_dir: Path | None = None) -> list[tuple[str, str]]:
    """(task, version) of every prompts/<task>/v*.md; iterdir rather than glob, which Traversable lacks."""
    root: Traversable = prompts_dir or default_prompts_dir()
    return sorted((task.name, f.name.removesuffix(".md"))
                  for task in root.iterdir() if task.is_dir()
                  for f in task.iterdir() if f.is_file() and f.name.startswith("v") and f.name.endswith(".md"))
