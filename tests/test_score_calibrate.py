"""Calibration helpers: threshold choice, gold loading, config versioning."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from semx.evaluate.calibrate import Obs, choose_threshold, counts
from semx.evaluate.flag_gold import load_gold
from semx.score.config import config_files, load_config, read_config


def _obs(pairs: list[tuple[float, bool]]) -> list[Obs]:
    return [Obs("s", i, s, {}, lab, False) for i, (s, lab) in enumerate(pairs)]


def test_threshold_precision_first_and_midpoint() -> None:
    obs = _obs([(0.9, True), (0.8, True), (0.7, False), (0.6, True), (0.2, False)])
    t = choose_threshold(obs, min_precision=0.9)
    assert 0.7 < t <= 0.8  # midpoint between 0.7 and 0.8: the 0.6 positive is not worth a false positive
    c = counts(obs, t)
    assert (c.tp, c.fp, c.fn) == (2, 0, 1)
    # with a looser precision target the lower level is taken
    assert choose_threshold(obs, min_precision=0.7) <= 0.6


def test_threshold_without_positives_is_never_raised() -> None:
    assert choose_threshold(_obs([(0.0, False)]), 0.9) == 1.0


def test_gold_loader(tmp_path: Path) -> None:
    p = tmp_path / "labels.jsonl"
    p.write_text(
        json.dumps({"sample": "000_x", "line": 5, "boilerplate": True, "mismatch": False, "doubtful": ["mismatch"]})
        + "\n\n",
        encoding="utf-8",
    )
    (row,) = load_gold(p)
    assert row.sample == "000_x" and row.line == 5 and row.labels["boilerplate"] and not row.labels["unmeasurable"]
    assert row.doubtful == frozenset({"mismatch"})
    p.write_text('{"line": 3}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="labels.jsonl:1"):
        load_gold(p)


def test_shipped_configs_are_valid_and_versioned() -> None:
    files = config_files()
    assert files and [v for v, _ in files] == sorted({v for v, _ in files})
    for version, path in files:
        cfg = read_config(path)
        assert cfg.version == version and cfg.embedding_model
        assert set(cfg.thresholds) >= {"boilerplate", "mismatch", "misclassified", "unmeasurable", "cost_vs_budget"}
    newest = read_config(files[-1][1])
    assert load_config(newest.embedding_model).version == newest.version
    assert load_config("some/other-model").version == newest.version  # falls back to the newest


def test_mismatch_fit_is_monotone() -> None:
    """A feature whose data-driven weight would have the wrong sign is held at 0."""
    from semx.evaluate.calibrate import MISMATCH_SIGNS, fit_mismatch
    from semx.score.config import MismatchParams

    rng = np.random.default_rng(0)
    obs = []
    for i in range(200):
        label = bool(i % 4 == 0)
        template = rng.normal(2.5 if label else 0.5, 0.5)
        # "uncovered" made to run backwards in this sample: the fit must not follow it
        uncovered = rng.uniform(0.0, 0.5) if label else rng.uniform(0.5, 1.0)
        obs.append(Obs("s", i, 0.0, {"template": template, "uncovered": uncovered, "anchor": 0.0}, label, False))
    prior = MismatchParams(weights={}, bias=0.0)
    fitted = fit_mismatch(obs, prior)
    assert set(fitted.weights) == set(MISMATCH_SIGNS)
    assert fitted.weights["template"] > 0 and fitted.weights["uncovered"] == 0.0
    # too few positives: the prior is kept
    assert fit_mismatch(obs[:10], prior) == prior
    # an experiment's extra feature (eval/tools/relevance_probe.py) enters with its own sign
    for o in obs:
        o.features["extra"] = (1.0 if o.label else 0.0) + rng.normal(0, 0.3)
    extra = fit_mismatch(obs, prior, {**MISMATCH_SIGNS, "extra": -1})
    assert extra.weights["extra"] == 0.0 and extra.signs["extra"] == -1
    assert fit_mismatch(obs, prior, {**MISMATCH_SIGNS, "extra": 1}).weights["extra"] > 0


def test_counts_can_leave_out_doubtful_cells() -> None:
    obs = [Obs("s", 1, 0.9, {}, True, False), Obs("s", 2, 0.9, {}, False, True), Obs("s", 3, 0.1, {}, True, True)]
    assert (counts(obs, 0.5).tp, counts(obs, 0.5).fp, counts(obs, 0.5).fn) == (1, 1, 1)
    c = counts(obs, 0.5, drop_doubtful=True)
    assert (c.tp, c.fp, c.fn) == (1, 0, 0)


def test_override_sets_validated_fields_and_rejects_unknown_ones() -> None:
    from semx.evaluate.calibrate import override

    base = load_config()
    cfg = override(base, ["boilerplate.count_subjects=false", "mismatch.protect_factor=0.5"])
    assert cfg.boilerplate.count_subjects is False and cfg.mismatch.protect_factor == 0.5
    assert cfg.thresholds == base.thresholds
    for bad in ("boilerplate.nope=1", "thresholds.mismatch=0.3", "count_subjects"):
        with pytest.raises(SystemExit):
            override(base, [bad])
    with pytest.raises(ValidationError):
        override(base, ["mismatch.protect_factor=high"])


def test_acceptance_counts_an_f1_equal_to_the_target_as_met() -> None:
    """3 TP, 0 FP, 2 FN is F1 0.75 exactly (float: 0.7499999999999999): the per-sample target is met."""
    from semx.evaluate.calibrate import acceptance
    from semx.evaluate.metrics import PRF

    per = {"004_x": PRF(3, 0, 2), "000_y": PRF(10, 0, 0)}
    text = acceptance({"unlinked_indicator": per}, {"unlinked_indicator": per})
    assert "004 0.750 (0.750, 5+) ok" in text and "LOW" not in text
    worse = {"004_x": PRF(3, 1, 2), "000_y": PRF(10, 0, 0)}
    assert "LOW" in acceptance({"unlinked_indicator": worse}, {"unlinked_indicator": worse})
