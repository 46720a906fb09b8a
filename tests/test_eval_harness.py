"""Eval harness pieces on small hand-made cases, with exact expected numbers.

Covers the join of gold labels to scored indicators, per-flag per-sample / pooled P/R/F1
with doubtful cells, PR curve and AP, extraction block scoring (matching, 二级 and value
accuracy), classify row outcomes, the paired comparison with McNemar, and the summaries'
handling of items that could not be replayed.
"""

from __future__ import annotations

from typing import Any

import pytest

from semx.evaluate.compare import paired
from semx.evaluate.extraction import score_block, value_parsed
from semx.evaluate.flags import (
    CurvePoint,
    JoinedRow,
    ScoredCell,
    average_precision,
    curve_points,
    flag_metrics,
    join_labels,
    pr_curve,
)
from semx.evaluate.gold import GoldBlock, GoldIndicator, GoldLabel
from semx.evaluate.items import ClassifyItem
from semx.evaluate.llm_run import CallStats, ItemRun, VersionRun
from semx.evaluate.metrics import PRF
from semx.evaluate.summary import (
    TaskSummary,
    Usage,
    classify_rows,
    failure_reasons,
    summarize_classify,
    summarize_extract,
)
from semx.evaluate.tables import prf_cells
from semx.models import Indicator, IndicatorValue, Project


def label(sample: str, line: int, level3: str = "x", doubtful: tuple[str, ...] = (), **flags: bool) -> GoldLabel:
    full = {f: flags.get(f, False) for f in ("boilerplate", "mismatch", "misclassified", "unmeasurable")}
    return GoldLabel(sample, line, "p", level3, "1", full, frozenset(doubtful))


def cell(sample: str, line: int, code: str, score: float, raised: bool, level3: str = "x") -> ScoredCell:
    return ScoredCell(sample, line, level3, code, score, raised)


# ---------------------------------------------------------------- join


def test_join_by_sample_and_line_with_level3_check() -> None:
    labels = [label("A", 10, "参会人数"), label("A", 11, "到场率"), label("B", 10, "满意度"), label("A", 99, "z")]
    cells = [
        cell("A", 10, "boilerplate", 0.9, True, "参会 人数"),  # whitespace does not matter
        cell("A", 11, "boilerplate", 0.1, False, "制作证件"),  # same line, other indicator: a join error
        cell("B", 10, "boilerplate", 0.2, False, "满意度"),
        cell("B", 11, "boilerplate", 0.2, False, "满意度"),  # unlabelled: ignored
    ]
    j = join_labels(labels, cells)
    assert [(r.label.sample, r.label.line) for r in j.rows] == [("A", 10), ("B", 10)]
    assert len(j.errors) == 2
    assert "A line 11" in j.errors[0] and "制作证件" in j.errors[0]
    assert "A line 99" in j.errors[1]


# ---------------------------------------------------------------- per-flag aggregation


def _rows() -> list[JoinedRow]:
    labels = [
        label("A", 1, boilerplate=True),  # TP
        label("A", 2, boilerplate=True),  # FN
        label("A", 3),  # FP
        label("A", 4, boilerplate=True, doubtful=("boilerplate",)),  # doubtful, predicted no -> FN if included
        label("B", 1, boilerplate=True),  # TP
        label("B", 2),  # TN
        label("B", 3, doubtful=("boilerplate",)),  # doubtful, predicted yes -> FP if included
    ]
    raised = {("A", 1): 0.9, ("A", 2): 0.3, ("A", 3): 0.8, ("A", 4): 0.2, ("B", 1): 0.7, ("B", 2): 0.0, ("B", 3): 0.6}
    cells = [cell(s, ln, "boilerplate", sc, sc >= 0.5) for (s, ln), sc in raised.items()]
    return join_labels(labels, cells).rows


def test_flag_metrics_per_sample_and_pooled_doubtful_excluded() -> None:
    m = flag_metrics(_rows(), "boilerplate")
    assert m.per_sample == {"A": PRF(1, 1, 1), "B": PRF(1, 0, 0)}
    assert m.pooled == PRF(2, 1, 1)
    assert (m.cells, m.doubtful_excluded) == (5, 2)
    assert m.pooled.precision == pytest.approx(2 / 3)
    assert m.pooled.recall == pytest.approx(2 / 3)


def test_flag_metrics_doubtful_included() -> None:
    m = flag_metrics(_rows(), "boilerplate", include_doubtful=True)
    assert m.per_sample == {"A": PRF(1, 1, 2), "B": PRF(1, 1, 0)}
    assert m.pooled == PRF(2, 2, 2)
    assert (m.cells, m.doubtful_excluded) == (7, 0)
    assert m.pooled.f1 == pytest.approx(0.5)


def test_pr_curve_and_average_precision() -> None:
    pts = curve_points(_rows(), "boilerplate")  # doubtful excluded: A1 .9 T, A2 .3 T, A3 .8 F, B1 .7 T, B2 0 F
    curve = pr_curve(pts)
    assert curve == [
        CurvePoint(0.9, 1.0, 1 / 3),
        CurvePoint(0.8, 0.5, 1 / 3),
        CurvePoint(0.7, 2 / 3, 2 / 3),
        CurvePoint(0.3, 3 / 4, 1.0),
    ]  # score 0 never raises a flag, so no point at t=0
    assert average_precision(curve) == pytest.approx(1 / 3 * 1.0 + 1 / 3 * 2 / 3 + 1 / 3 * 3 / 4)
    assert pr_curve([]) == []


def test_prf_cells_mark_undefined() -> None:
    assert prf_cells(PRF(0, 0, 0)) == ["–", "–", "–"]
    assert prf_cells(PRF(0, 4, 0)) == ["0.0", "–", "0.0"]
    assert prf_cells(PRF(1, 1, 0)) == ["50.0", "100.0", "66.7"]


# ---------------------------------------------------------------- extraction


def gi(name: str, number: str, unit: str, op: str = "=", level2: str = "数量指标") -> GoldIndicator:
    return GoldIndicator(name, "产出指标", level2, op, number, unit, "ev")


def pred(name: str, number: str | None, unit: str | None, op: str | None = "=",
         level2: str = "数量指标") -> dict[str, Any]:
    return {"name": name, "level1": "产出指标", "level2": level2, "op": op, "number": number, "unit": unit}


def test_score_block_counts_and_accuracies() -> None:
    block = GoldBlock("S", "t", 108, (gi("参会人数", "1000", "人"), gi("制作证件", "1000", "份"),
                                      gi("参会人员到场率", "95", "%", op="≥", level2="质量指标")))
    preds = [
        pred("参会人数", "1000", "人"),  # match, 二级 right, value right
        pred("到场率", "95", "％", op="≥", level2="数量指标"),  # match (containment), 二级 wrong, value right (NFKC ％)
        pred("制作证件数量", "1000", "个"),  # match (gold name contained), unit wrong
        pred("满意度", "90", "%"),  # no gold: FP
    ]
    s = score_block(block, preds)
    assert s.key == "S:L108"
    assert (s.prf.tp, s.prf.fp, s.prf.fn) == (3, 1, 0)
    assert s.found == (True, True, True)
    assert (s.level2_ok, s.value_ok) == (2, 2)


def test_score_block_number_must_agree_and_empty_cases() -> None:
    block = GoldBlock("S", "t", 1, (gi("参会人数", "1000", "人"),))
    s = score_block(block, [pred("参会人数", "100", "人")])
    assert (s.prf.tp, s.prf.fp, s.prf.fn, s.found) == (0, 1, 1, (False,))
    empty = score_block(GoldBlock("S", "t", 2, ()), [])
    assert (empty.prf.tp, empty.prf.fp, empty.prf.fn) == (0, 0, 0)


def test_value_parsed_treats_missing_op_as_equals() -> None:
    assert value_parsed(gi("a", "5", "次"), pred("a", "5", "次", op=None))
    assert not value_parsed(gi("a", "5", "次", op="≥"), pred("a", "5", "次", op="="))
    assert not value_parsed(gi("a", "5", "次"), pred("a", "5.0", None))


def _run(task: str, version: str, items: list[ItemRun]) -> VersionRun:
    return VersionRun(task, version, "m", "replay", items)


def test_summarize_extract_skips_unreplayed_items_and_counts_failed_as_empty() -> None:
    blocks = [GoldBlock("S", "t", 1, (gi("参会人数", "1000", "人"),)),
              GoldBlock("S", "t", 2, (gi("到场率", "95", "%"),)),
              GoldBlock("S", "t", 3, (gi("证件", "10", "份"),))]
    ok = ItemRun("S/L0001", "ok", calls=[CallStats(True, 2, 100, 20, 1)], latency_s=3.0,
                 extracted=[pred("参会人数", "1000", "人")])
    failed = ItemRun("S/L0002", "failed", error="invalid", calls=[CallStats(False, 3, 300, 60, 2)], latency_s=9.0)
    missing = ItemRun("S/L0003", "not_recorded")
    s, scores = summarize_extract(_run("extract", "v1", [ok, failed, missing]), blocks)
    assert (s.items, s.evaluated, s.not_recorded, s.failed) == (3, 2, 1, 1)
    assert s.prf == PRF(1, 0, 1)  # the failed block's gold indicator is a miss; the missing block is not counted
    assert (s.level2_acc, s.value_acc) == (1.0, 1.0)
    assert s.outcomes == {"S:L1#0": True, "S:L2#0": False}
    u = s.usage
    assert (u.calls, u.valid, u.first_try_valid, u.reasks, u.prompt_tokens, u.completion_tokens) == (2, 1, 0, 3, 400, 80)
    assert u.latency_s == 12.0 and u.valid_rate == 0.5 and u.latency_per_call == 6.0
    assert len(scores) == 2


# ---------------------------------------------------------------- classify


def _project() -> Project:
    def ind(line: int, l2: str) -> Indicator:
        return Indicator(level1="产出指标", level2=l2, level3=f"i{line}", value=IndicatorValue(raw="1"), line=line)

    return Project(name="P", start_line=10, end_line=20, indicators=[ind(11, "数量指标"), ind(12, "质量指标"),
                                                                       ind(13, "时效指标"), ind(14, "成本指标")])


def test_classify_rows_and_summary() -> None:
    item = ClassifyItem("S/L0010", "S", _project())
    labels = [label("S", 11, "i11", misclassified=True),  # model disputes -> TP
              label("S", 12, "i12"),  # model disputes -> FP
              label("S", 13, "i13", misclassified=True),  # no answer -> FN (counted as not flagged)
              label("S", 14, "i14", misclassified=True, doubtful=("misclassified",))]  # doubtful: excluded
    run = ItemRun("S/L0010", "ok", calls=[CallStats(True, 1, 10, 5, 0)],
                  opinions={11: {"agrees": False}, 12: {"agrees": False}, 14: {"agrees": True}})
    rows = classify_rows(item, run, {(lab.sample, lab.line): lab for lab in labels})
    assert [(o.line, o.gold, o.pred, o.answered, o.doubtful) for o in rows] == [
        (11, True, True, True, False), (12, False, True, True, False), (13, True, False, False, False),
        (14, True, False, True, True)]
    s, _ = summarize_classify(_run("classify", "v1", [run]), [item], labels)
    assert s.prf == PRF(1, 1, 1)
    assert (s.rows, s.doubtful_excluded) == (3, 1)
    assert s.accuracy == pytest.approx(1 / 3)
    assert s.answered == pytest.approx(3 / 4)
    assert s.outcomes == {"S/L0011": True, "S/L0012": False, "S/L0013": False}


# ---------------------------------------------------------------- paired comparison


def _summary(version: str, outcomes: dict[str, bool]) -> TaskSummary:
    return TaskSummary("extract", version, "m", "replay", 0, 0, 0, 0, 0, Usage(), PRF(0, 0, 0), outcomes=outcomes)


def test_paired_uses_common_units_and_exact_mcnemar() -> None:
    a = _summary("v1", {"u1": True, "u2": False, "u3": False, "u4": False, "u5": False, "u6": False,
                        "u7": False, "u8": True, "only_a": True})
    b = _summary("v2", {"u1": False, "u2": True, "u3": True, "u4": True, "u5": True, "u6": True,
                        "u7": True, "u8": True, "only_b": False})
    p = paired(a, b)
    assert p.units == 8  # only_a / only_b were not evaluated in both runs
    assert (p.both_right, p.both_wrong) == (1, 0)
    assert p.a_only == ["u1"]
    assert p.b_only == ["u2", "u3", "u4", "u5", "u6", "u7"]
    assert p.p_value == pytest.approx(0.125)  # b=1, c=6: 2*(1+7)/128
    with pytest.raises(ValueError):
        paired(a, TaskSummary("classify", "v1", "m", "replay", 0, 0, 0, 0, 0, Usage(), PRF(0, 0, 0)))


def test_failure_reasons_from_validator_messages() -> None:
    errors = [
        ("invalid answer after 1 attempts: 4 validation errors for Extraction\nindicators.0.level3\n  Input should be "
        "a valid string [type=string_type, input_value=None, input_type=NoneType]"),
        "invalid answer after 1 attempts: ... [type=literal_error, input_value='会议'] ... 二级指标“质量指标”不属于一级指标“效益指标”",
        "invalid answer after 3 attempts: 1 validation error for Extraction\n  Invalid JSON: expected value [type=json_invalid",
        "HTTP 400 from endpoint: bad request",
    ]
    assert failure_reasons(errors) == {"category not in the list": 1, "missing or null field": 1, "not JSON": 1,
                                       "other": 1, "二级 not under its 一级": 1}
