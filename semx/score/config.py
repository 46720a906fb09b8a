"""Versioned scoring configuration: thresholds, detector parameters, weights.

Files live in semx/score/config/thresholds-v<N>.json. Each names the embedding
model its similarity thresholds were calibrated for: e5 cosines are compressed
(unrelated Chinese pairs still score ~0.82-0.87), so a threshold is only valid
for the model it was fitted on. `load_config()` picks the newest version for
the embedder in use; outputs record both the version and the model name.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

CONFIG_DIR = Path(__file__).parent / "config"
_FILE_RE = re.compile(r"thresholds-v(\d+)\.json$")



class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BoilerplateParams(_Strict):
    near_dup_cos: float = Field(default=0.97, description="cosine of template keys counted as a near-duplicate")
    near_dup_dice: float = Field(default=0.6, description="bigram Dice of template keys also required for a near-dup")
    same_subject_cos: float = Field(
        default=0.97, description="project subjects at least this close are 'the same subject'"
    )
    same_subject_dice: float = Field(default=0.75, description="or project-subject bigram Dice at least this")
    corpus_weight: float = Field(default=0.5, description="weight of a sharing document vs a sharing project")
    corpus_template_weight: float | None = Field(
        default=None,
        description="weight of a sharing document that carries the text on two or more of its projects "
        "(a template there too: the research-task text on 25 projects of another county); None: corpus_weight",
    )
    min_key_chars: int = Field(default=2, description="template keys shorter than this are never boilerplate")
    named_weight: float = Field(
        default=2.0,
        description="how many sharing projects a row named after another project counts for: the name "
        "proves the copy (guideline 3: a text with a wrong subject is a template even when it appears twice)",
    )
    family_rule: bool = Field(
        default=True,
        description="a shared text is not a template on a project whose same-subject family outnumbers "
        "the other projects carrying it",
    )
    fit_cov: float = Field(
        default=0.5,
        description="share of a text's subject words found in a project's own words for the text to fit that project",
    )
    fit_share: float = Field(
        default=1.0,
        description="a shared text that fits more than this share of the projects carrying it is shared "
        "legitimately, not a template (1.0 disables the rule)",
    )
    fit_own_indicators: bool = Field(
        default=False,
        description="for the fit rule, a project's own words include those of its own indicators (rows no "
        "other project of the document carries), as the mismatch context does, not only its name, purpose "
        "and goals",
    )
    same_subject_term: int = Field(
        default=0,
        description="two project names sharing a term of at least this many characters that no other "
        "project name of the document contains are the same subject (0 disables)",
    )
    adapted_both_ways: bool = Field(
        default=False,
        description="a row whose own description adds its project's words to a shared text is itself an "
        "adaptation (guideline 4), not only the other rows' adaptations of it; and a bare row (no subject "
        "words) is not copied by a near-duplicate that adds the other project's words",
    )
    count_subjects: bool = Field(
        default=False,
        description="score a shared text by the number of distinct subjects among the other projects "
        "carrying it (same-subject projects count once), not by the number of projects",
    )


class LogisticParams(_Strict):
    """score = sigmoid(bias + sum(w_f * feature_f)); features named in the detector."""

    weights: dict[str, float]
    bias: float


class MismatchParams(LogisticParams):
    """The mismatch model (see semx/score/mismatch.py) plus its two gating rules.

    `signs` constrains each fitted weight (+1: the feature can only raise the score,
    -1: only lower it): with ~100 positives, nearly all from one document, an
    unconstrained model learns document quirks; a monotone one cannot reward, say,
    *higher* keyword coverage with a *higher* mismatch score.
    """

    signs: dict[str, int] = Field(default_factory=dict, description="sign constraint per weight (+1/-1)")
    anchor_max_df_share: float = Field(
        default=0.03,
        description="a bigram is a subject word of the document when it occurs in at most this share of its "
        "distinct texts (and in at least 2 of them, so that it can be shared at all)",
    )
    anchor_min_df: int = Field(default=4, description="lower bound of that limit for small documents")
    protect_anchor_cov: float = Field(
        default=0.5,
        description="gate: an indicator whose subject words are covered at least this much by its project's own "
        "statements and own (non-template) indicators is about this project",
    )
    protect_factor: float = Field(default=0.25, description="score multiplier for a protected indicator")
    protect_generic: bool = Field(
        default=True,
        description="gate: an indicator with no subject words at all (only measurement, audience and "
        "administration words: 群众满意度) is protected too; it names no other subject",
    )
    protect_common_words: bool = Field(
        default=False,
        description="an indicator whose subject words are all common in the document (no specific "
        "anchor word: 活动参与者满意度) is judged by those common words' coverage instead",
    )
    names_other_score: float = Field(
        default=0.9, description="score floor for an indicator named after another project of the document"
    )


class GradeParams(_Strict):
    cutoffs: dict[str, float] = Field(
        default_factory=lambda: {"优": 85.0, "良": 70.0, "中": 55.0},
        description="minimum project score for each grade; below 中 is 差",
    )


class ScoreConfig(_Strict):
    version: int
    embedding_model: str
    calibrated: bool = False
    note: str = ""
    thresholds: dict[str, float]
    boilerplate: BoilerplateParams = Field(default_factory=lambda: BoilerplateParams())
    mismatch: MismatchParams
    misclassified_llm_weight: float = Field(default=0.6, description="score of a category the LLM disputes")
    # Indicator quality = 100 - sum(weight * flag score) over raised flags.
    quality_weights: dict[str, float]
    # Project score = mean indicator quality - sum(penalty * flag score) over project flags.
    project_penalties: dict[str, float]
    grade: GradeParams = Field(default_factory=GradeParams)
    metrics: dict[str, dict[str, float]] = Field(default_factory=dict, description="held-out metrics at calibration")


def config_files() -> list[tuple[int, Path]]:
    out = []
    for p in CONFIG_DIR.glob("thresholds-v*.json"):
        m = _FILE_RE.search(p.name)
        if m:
            out.append((int(m.group(1)), p))
    return sorted(out)


def read_config(path: Path) -> ScoreConfig:
    return ScoreConfig.model_validate(json.loads(path.read_text(encoding="utf-8")))


def load_config(embedding_model: str | None = None, path: Path | None = None) -> ScoreConfig:
    """The newest config calibrated for `embedding_model` (else the newest of all)."""
    if path is not None:
        return read_config(path)
    files = config_files()
    if not files:
        raise FileNotFoundError(f"no scoring config in {CONFIG_DIR}")
    configs = [read_config(p) for _, p in files]
    if embedding_model is not None:
        same = [c for c in configs if c.embedding_model == embedding_model]
        if same:
            return same[-1]
    return configs[-1]


def write_config(cfg: ScoreConfig, directory: Path = CONFIG_DIR) -> Path:
    path = directory / f"thresholds-v{cfg.version}.json"
    path.write_text(json.dumps(cfg.model_dump(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
