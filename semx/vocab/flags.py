"""The flag registry: every flag code semx can raise, in one table.

A flag is spelled here once: its Chinese label, the level it is raised on (an indicator row, a
project, or the whole document), the 绩效目标审核 review point it belongs to (完整性 / 相关性 /
适当性 / 可行性, the four points of the review practice auditors hand in), whether eval/gold labels
it, and the name of the function that detects it. The scorer, the grading, the gold loaders, the
report and the checklist workbook all read this table, so adding a flag is one entry here plus
one rule function (registered under `detector` in semx/score/detectors.py) and its test.

This module imports nothing from semx: detectors are named, and resolved by plain import in
semx/score/ (a lower layer never points up).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["indicator", "project", "document"]
ReviewPoint = Literal["完整性", "相关性", "适当性", "可行性"]
REVIEW_POINTS: tuple[ReviewPoint, ...] = ("完整性", "相关性", "适当性", "可行性")


@dataclass(frozen=True)
class FlagSpec:
    code: str
    label: str  # Chinese, as an auditor reads it in a report
    level: Level
    point: ReviewPoint
    # labelled in eval/gold: per indicator row in labels.jsonl, per table in project_labels.jsonl
    gold: bool = False
    # Name of the detector in semx/score/detectors.py (indicator level: one verdict per row,
    # project level: a list of flags per project); None: raised by a check outside the scorer.
    detector: str | None = None
    # Threshold used when the scoring config predates the flag (a new rule is not calibrated yet).
    default_threshold: float = 0.5
    description: str = ""
    # Acceptance target on the gold set: held-out pooled F1 (all cells, doubtful at the labeller's
    # best guess); None for flags without gold labels.
    target_f1: float | None = None
    # The indicator column the rule reads (Project.indicator_columns name, Chinese header): where no
    # table of a document prints it, the template cannot hold what the rule asks for, and the rule
    # does not apply (the checklist says 不适用, not 通过).
    needs_column: tuple[str, str] | None = None


FLAGS: tuple[FlagSpec, ...] = (
    # --- indicator rows; the order is the order of Candidate records (calibration, debugging)
    FlagSpec("boilerplate", "模板化套用", "indicator", "相关性", gold=True, detector="boilerplate",
             target_f1=0.92,
             description="与项目无关的套话模板：跨项目重复的文字，或名称和描述只有通用字眼（预算成本/预算成本）"),
    FlagSpec("mismatch", "与项目不相关", "indicator", "相关性", gold=True, detector="mismatch",
             target_f1=0.85,
             description="指标衡量的不是本项目的内容"),
    FlagSpec("misclassified", "指标归类错误", "indicator", "完整性", gold=True, detector="misclassified",
             target_f1=0.85,
             description="一级/二级指标归类与指标内容不符"),
    FlagSpec("unmeasurable", "不可衡量", "indicator", "可行性", gold=True, detector="unmeasurable",
             target_f1=0.9,
             description="指标值无法核实：没有数值，或数值所附对象没有基线、分母或计量方法"),
    FlagSpec("cost_vs_budget", "成本与预算不符", "indicator", "适当性", detector="cost_vs_budget",
             default_threshold=0.6, description="成本指标金额远高于或远低于项目预算数"),
    FlagSpec("input_as_output", "以投入代替产出", "indicator", "相关性", gold=True, detector="input_as_output",
             target_f1=0.8, description="资金到位率、预算执行率、资金支付进度等投入或过程指标当作绩效"),
    FlagSpec("trivial_target", "目标轻易达成", "indicator", "适当性", gold=True, detector="trivial_target",
             target_f1=0.8, description="计划完成率（按计划完成）是项目唯一的产出，目标必然达成"),
    FlagSpec("unlinked_indicator", "指标不对应目标", "indicator", "相关性", gold=True, detector="unlinked_indicator",
             target_f1=0.8, description="指标不衡量绩效目标中的任何一项（也不涉及项目名称和资金用途）"),
    # --- projects
    FlagSpec("missing_category", "缺少一级指标", "project", "完整性", detector="project_rules"),
    FlagSpec("no_cost", "无成本指标", "project", "完整性", detector="project_rules"),
    FlagSpec("too_few_indicators", "指标少于3个", "project", "完整性", detector="project_rules"),
    FlagSpec("duplicate_rows", "指标行重复", "project", "适当性", detector="project_rules"),
    FlagSpec("satisfaction_100", "满意度目标100%", "project", "适当性", detector="project_rules"),
    FlagSpec("weak_basis", "依据仅为工作需要", "project", "可行性", detector="project_rules",
             needs_column=("basis", "指标值确定依据")),
    FlagSpec("prose_disagrees", "文字与表格不一致", "project", "适当性", detector="project_rules"),
    FlagSpec("goal_without_indicator", "目标无指标衡量", "project", "完整性", gold=True,
             detector="goal_without_indicator", target_f1=0.8,
             description="绩效目标中编号的某项目标没有任何指标衡量"),
    FlagSpec("annual_copies_total", "年度目标照抄总目标", "project", "适当性", gold=True,
             detector="annual_copies_total", target_f1=0.8,
             description="多年项目的年度目标与项目总目标逐字相同"),
    FlagSpec("cross_year_copy", "跨年度照搬", "project", "适当性", detector="cross_year_copy",
             description="同一单位另一年度的绩效目标或指标整体照搬，仅年份和金额改动"),
    # --- documents (consistency checks, semx/checks/)
    FlagSpec("targets_amount", "绩效目标覆盖金额不符", "document", "完整性",
             description="说明所称编报绩效目标的项目预算资金与表中项目支出或各项目预算合计不符"),
    FlagSpec("project_no_amount", "说明中项目无金额", "document", "完整性",
             description="说明介绍的项目没有金额"),
)

# Per-sample acceptance (issue 18 item 6): a sample's F1 counts only the cells not marked doubtful
# (the doubtful ones are reported beside), and is judged only where the sample has enough positives.
PER_SAMPLE_TARGET_F1 = 0.75
MIN_POSITIVES = 5
NEW_RULE_TARGET_F1 = 0.8

_BY_CODE = {f.code: f for f in FLAGS}
assert len(_BY_CODE) == len(FLAGS), "duplicate flag code in the registry"

FLAG_LABELS: dict[str, str] = {f.code: f.label for f in FLAGS}
GOLD_CODES: tuple[str, ...] = tuple(f.code for f in FLAGS if f.gold and f.level == "indicator")
PROJECT_GOLD_CODES: tuple[str, ...] = tuple(f.code for f in FLAGS if f.gold and f.level == "project")
INDICATOR_CODES: tuple[str, ...] = tuple(f.code for f in FLAGS if f.level == "indicator")


def spec(code: str) -> FlagSpec:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown flag code {code!r}: add it to semx/vocab/flags.py") from None


def flag_label(code: str) -> str:
    """Chinese label of a code; the code itself for one outside the registry (a consistency finding)."""
    f = _BY_CODE.get(code)
    return f.label if f else code


def flags_at(level: Level) -> tuple[FlagSpec, ...]:
    return tuple(f for f in FLAGS if f.level == level)


def detectors(level: Level) -> tuple[str, ...]:
    """Distinct detector names of a level, in registry order (one project detector may raise several codes)."""
    return tuple(dict.fromkeys(f.detector for f in flags_at(level) if f.detector))
