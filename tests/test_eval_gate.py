"""`semx eval --baseline`: the eval as a gate; a worse threshold must fail it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from semx.cli import app
from semx.evaluate.gate import EXIT_REGRESSION, compare, figures, load_baseline
from semx.score import scorer
from semx.score.config import load_config


def test_compare_flags_drops_beyond_the_threshold_and_missing_figures() -> None:
    base = {"scorer/x/f1": 0.90, "scorer/y/f1": 0.80, "scorer/z/f1": 0.5, "llm/a/f1": 0.7}
    now = {"scorer/x/f1": 0.885, "scorer/y/f1": 0.77, "scorer/w/f1": 0.1}
    drops = {d.name: d for d in compare(now, base, 0.02)}
    assert set(drops) == {"scorer/y/f1", "scorer/z/f1"}  # x within 0.02; llm did not run
    assert drops["scorer/z/f1"].current is None and "missing" in drops["scorer/z/f1"].line()
    assert compare(now, base, 0.5) == [drops["scorer/z/f1"]]
    with pytest.raises(ValueError):
        compare(now, base, -1)


def test_figures_and_baseline_file(tmp_path: Path) -> None:
    results = {"llm": [{"task": "extract", "version": "v1", "model": "m", "f1": 0.5, "latency_s": 3.0}],
               "scorer": {"flags": [{"flag": "mismatch", "average_precision": 0.7,
                                     "excluding_doubtful": {"pooled": {"precision": 1.0, "recall": 0.5, "f1": 0.667},
                                                            "per_sample": {"000": {"f1": 0.6}}}}]}}
    f = figures(results)
    assert f["llm/extract/v1/m/f1"] == 0.5 and "llm/extract/v1/m/latency_s" not in f
    assert f["scorer/mismatch/excluding_doubtful/000/f1"] == 0.6
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"figures": {"a": "x"}}), encoding="utf-8")
    with pytest.raises(ValueError, match="numbers"):
        load_baseline(path)
    with pytest.raises(ValueError, match="does not exist"):
        load_baseline(tmp_path / "none.json")


def _saved_baseline(tmp_path: Path) -> tuple[CliRunner, list[str], Path]:
    """The runner, the eval arguments (no LLM, char n-grams) and a baseline they just saved."""
    runner = CliRunner()
    base = tmp_path / "baseline.json"
    args = ["eval", "--no-llm", "--no-embed", "--out", str(tmp_path / "o")]
    r = runner.invoke(app, [*args, "--save-baseline", str(base)])
    assert r.exit_code == 0, r.output
    return runner, args, base


def test_gate_fails_on_a_worse_threshold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner, args, base = _saved_baseline(tmp_path)
    assert json.loads(base.read_text(encoding="utf-8"))["figures"]
    r = runner.invoke(app, [*args, "--baseline", str(base)])
    assert r.exit_code == 0, r.output

    shipped = load_config()

    def worse(*a: object, **k: object):  # type: ignore[no-untyped-def]
        # a "tuning" that raises the unmeasurable threshold above every rule score
        cfg = shipped
        return cfg.model_copy(update={"thresholds": {**cfg.thresholds, "unmeasurable": 0.99}})

    monkeypatch.setattr(scorer, "load_config", worse)
    r = runner.invoke(app, [*args, "--baseline", str(base)])
    assert r.exit_code == EXIT_REGRESSION, r.output
    assert "GATE FAILED" in r.output and "scorer/unmeasurable" in r.output


def test_project_flag_metrics_count_one_cell_per_table() -> None:
    from semx.evaluate.flag_gold import ProjectGoldRow
    from semx.evaluate.flags import project_flag_metrics, raised_by_table

    def row(sample: str, line: int, gold: bool, doubtful: bool = False) -> ProjectGoldRow:
        return ProjectGoldRow(sample, line, "p", {"goal_without_indicator": gold},
                              frozenset({"goal_without_indicator"} if doubtful else ()))

    rows = [row("a", 10, True), row("a", 20, False), row("a", 30, True, doubtful=True), row("b", 5, True),
            row("b", 9, False)]
    tables = [(("a", 10), ["goal_without_indicator"]), (("a", 20), ["goal_without_indicator", "x"]),
              (("a", 30), ["goal_without_indicator"]), (("b", 9), [])]  # ("b", 5): the scorer missed the table
    raised = raised_by_table(tables, "goal_without_indicator")
    firm = project_flag_metrics(raised, rows, "goal_without_indicator")
    assert (firm.pooled.tp, firm.pooled.fp, firm.pooled.fn) == (1, 1, 1)  # the missed table is a miss
    assert firm.cells == 4 and firm.doubtful_excluded == 1
    every = project_flag_metrics(raised, rows, "goal_without_indicator", include_doubtful=True)
    assert (every.pooled.tp, every.per_sample["a"].tp, every.per_sample["b"].fn) == (2, 2, 1)


def test_gate_fails_when_a_project_rule_gets_worse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """goal_without_indicator (project_labels.jsonl) is gated like the row flags."""
    from semx.score import detectors

    runner, args, base = _saved_baseline(tmp_path)
    saved = json.loads(base.read_text(encoding="utf-8"))["figures"]
    assert saved["scorer/goal_without_indicator/including_doubtful/pooled/f1"] > 0.5
    assert not any(k.startswith("scorer/goal_without_indicator/average_precision") for k in saved)
    # a rule that never finds an unmeasured goal
    monkeypatch.setitem(detectors.PROJECT_DETECTORS, "goal_without_indicator", lambda pv, ctx: [])
    r = runner.invoke(app, [*args, "--baseline", str(base)])
    assert r.exit_code == EXIT_REGRESSION, r.output
    assert "scorer/goal_without_indicator" in r.output
