"""All the weighting, in one place: indicator quality, project grade, document summary.

- Indicator quality (0-100) = 100 - sum over raised flags of weight[code] * flag.score.
- Project score = mean indicator quality - sum over project flags of penalty[code] * flag.score.
- Grade from config cutoffs (优 >= 85, 良 >= 70, 中 >= 55, else 差), then capped:
  a project missing 产出 or 效益 indicators, or with fewer than three, is at best 中
  (DOMAIN.md §3 rule 1 makes the target incomplete whatever its rows say).
The weights themselves are in the versioned config (quality_weights, project_penalties).
"""

from __future__ import annotations

from collections import Counter

from semx.models import Flag, Indicator, Project, ScoreSummary
from semx.score.config import ScoreConfig
from semx.vocab.flags import FLAG_LABELS

GRADES = ("优", "良", "中", "差")


def indicator_quality(flags: list[Flag], cfg: ScoreConfig) -> float:
    penalty = sum(cfg.quality_weights.get(f.code, 0.0) * f.score for f in flags)
    return round(max(0.0, 100.0 - penalty), 1)


def _grade_of(score: float, cfg: ScoreConfig) -> str:
    for g in ("优", "良", "中"):
        if score >= cfg.grade.cutoffs[g]:
            return g
    return "差"


def grade_project(p: Project, cfg: ScoreConfig) -> tuple[str, float, list[str]]:
    """(grade, project score, reasons that drove it, biggest first)."""
    qualities = [i.quality for i in p.indicators if i.quality is not None]
    base = sum(qualities) / len(qualities) if qualities else 0.0
    contributions: list[tuple[float, str]] = []
    # Indicator flags, aggregated per code: "3/7个指标模板化套用".
    by_code: dict[str, list[Indicator]] = {}
    for ind in p.indicators:
        for f in ind.flags:
            by_code.setdefault(f.code, []).append(ind)
    n = max(len(p.indicators), 1)
    for code, inds in by_code.items():
        lost = sum(cfg.quality_weights.get(code, 0.0) * f.score for i in inds for f in i.flags if f.code == code) / n
        names = "、".join(dict.fromkeys(f"“{i.level3}”" for i in inds[:3]))
        contributions.append(
            (
                lost,
                f"{len(inds)}/{len(p.indicators)}个指标{_after_indicators(code)}（{names}{'等' if len(inds) > 3 else ''}）",
            )
        )
    penalty = 0.0
    for f in p.flags:
        pen = cfg.project_penalties.get(f.code, 0.0) * f.score
        penalty += pen
        contributions.append((pen, f.reason))
    score = max(0.0, base - penalty)
    grade = _grade_of(score, cfg)
    codes = {f.code for f in p.flags}
    missing_core = any(
        f.code == "missing_category" and ("产出指标" in f.reason or "效益指标" in f.reason) for f in p.flags
    )
    if (missing_core or "too_few_indicators" in codes or not p.indicators) and GRADES.index(grade) < GRADES.index("中"):
        grade = "中"
        contributions.append((100.0, "目标不完整（缺少产出或效益指标，或指标少于3个），最高评为“中”"))
    contributions.sort(key=lambda x: -x[0])
    reasons = [f"项目得分{score:.1f}（指标平均质量{base:.1f}）"] + [r for c, r in contributions if c > 0]
    return grade, round(score, 1), reasons


def summarize(projects: list[Project], cfg: ScoreConfig, embedding_model: str) -> ScoreSummary:
    inds = [i for p in projects for i in p.indicators]
    q = [i.quality for i in inds if i.quality is not None]
    flag_counts = Counter(f.code for i in inds for f in i.flags)
    proj_counts = Counter(f.code for p in projects for f in p.flags)
    grades: Counter[str] = Counter(str(p.grade) for p in projects if p.grade)
    top: list[str] = []
    for code, n in flag_counts.most_common(3):
        top.append(f"{n}/{len(inds)}个指标{_after_indicators(code)}")
    for code, n in proj_counts.most_common(2):
        top.append(f"{n}/{len(projects)}个项目{FLAG_LABELS.get(code, code)}")
    return ScoreSummary(
        config_version=cfg.version,
        embedding_model=embedding_model,
        calibrated=cfg.calibrated,
        projects=len(projects),
        indicators=len(inds),
        mean_quality=round(sum(q) / len(q), 1) if q else None,
        grades={g: grades.get(g, 0) for g in GRADES},
        flag_counts=dict(flag_counts),
        project_flag_counts=dict(proj_counts),
        top_reasons=top,
    )


def _after_indicators(code: str) -> str:
    """The flag's label after "N/M个指标", without repeating 指标 ("3/7个指标归类错误")."""
    return FLAG_LABELS.get(code, code).removeprefix("指标")
