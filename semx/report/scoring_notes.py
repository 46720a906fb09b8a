"""What the numbers in the report and the checklist mean, from the scoring config the run used.

An auditor sees 分数 0.85 beside a flag, 质量 71.50 beside a row, 项目得分 74.6 and a grade 良,
and none of them explains itself. These sentences say what each is and give the weights and
cut-offs of the config in force (semx/score/grading.py computes with the same numbers), so the
reader can redo a grade by hand. Nothing here decides anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from semx.models import ParsedDocument
from semx.score.config import ScoreConfig, config_files, load_config, read_config
from semx.vocab.flags import FLAGS


@dataclass(frozen=True)
class ScoringNotes:
    version: int
    lines: list[str]  # the explanation, one sentence a line
    weights: list[tuple[str, str, str]]  # (flag label, level, deduction per flag of score 1, or 不扣分)


def _config(docs: Sequence[ParsedDocument]) -> ScoreConfig:
    versions = {d.score.config_version for d in docs if d.score is not None}
    if len(versions) == 1:
        (v,) = versions
        for version, path in config_files():
            if version == v:
                return read_config(path)
    return load_config()


def scoring_notes(docs: Sequence[ParsedDocument]) -> ScoringNotes:
    cfg = _config(docs)
    cut = cfg.grade.cutoffs
    lines = [
        ("标记分数（0–1）：规则判定该问题的把握程度，越接近1越确定；清单“分数”栏取该规则各处问题中的最高分"
         "（文件层面的核对没有把握程度之分：错误记1.0，警告和提示记0.7）。"),
        "指标质量（0–100）= 100 − Σ（该指标每个标记的扣分权重 × 标记分数）。",
        "项目得分 = 项目各指标质量的平均值 − Σ（项目层面标记的扣分权重 × 标记分数）。",
        (f"综合评级：项目得分 ≥{cut['优']:g} 为优，≥{cut['良']:g} 为良，≥{cut['中']:g} 为中，其余为差；"
         "缺少产出或效益指标、或指标少于3个的项目最高评为中。"),
        "扣分权重为0的标记只提示问题，不影响得分和评级，审核时仍需逐条核对。",
    ]
    weights: list[tuple[str, str, str]] = []
    for f in FLAGS:
        if f.level == "document":
            continue
        w = (cfg.quality_weights if f.level == "indicator" else cfg.project_penalties).get(f.code, 0.0)
        weights.append((f.label, "指标" if f.level == "indicator" else "项目", f"{w:g}" if w else "不扣分"))
    return ScoringNotes(cfg.version, lines, weights)
