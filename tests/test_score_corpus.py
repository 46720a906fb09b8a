"""The scorer with the real embedding model on sample 000 (the DOMAIN.md example)."""

from __future__ import annotations

import pytest
from score_helpers import CORPUS

from semx.embed.encoder import SentenceTransformerEmbedder
from semx.score import score_document

SAMPLE = CORPUS / "000_0e92df39b5d37474.txt"


@pytest.fixture(scope="module")
def scored():  # type: ignore[no-untyped-def]
    pytest.importorskip("semx.targets")
    from semx.ingest import ingest
    from semx.targets import parse_targets

    parsed = parse_targets(ingest(SAMPLE))
    return score_document(parsed[0], free_text=parsed[1], embedder=SentenceTransformerEmbedder(), key=SAMPLE.stem)


def _training_rate(scored, project: str):  # type: ignore[no-untyped-def]
    p = next(p for p in scored.projects if p.name == project)
    return next(i for i in p.indicators if i.level3.startswith("网络评估满意率"))


def test_electricity_bill_carries_mismatch_and_boilerplate(scored) -> None:  # type: ignore[no-untyped-def]
    i = _training_rate(scored, "县委、政协楼电费")
    codes = {f.code for f in i.flags}
    assert {"mismatch", "boilerplate"} <= codes
    bp = next(f for f in i.flags if f.code == "boilerplate")
    assert "个项目共用" in bp.reason


def test_training_project_is_not_mismatched(scored) -> None:  # type: ignore[no-untyped-def]
    # Issue #6: the same training-satisfaction template on a project that runs training
    # (its own indicators count 培训班次 and 培训覆盖率) is boilerplate but not a mismatch.
    i = _training_rate(scored, "县委机关党委活动经费")
    codes = {f.code for f in i.flags}
    assert "mismatch" not in codes and "boilerplate" in codes
    cand = next(
        c
        for c in scored.candidates
        if c.code == "mismatch" and c.line == i.line and c.project == "县委机关党委活动经费"
    )
    assert cand.features["anchor"] >= 0.5 and cand.score < cand.threshold
    assert "培训" in cand.reason


def test_summary_records_model_and_config(scored) -> None:  # type: ignore[no-untyped-def]
    s = scored.summary
    assert s.embedding_model.startswith("intfloat/multilingual-e5-small") and s.config_version >= 1
    assert s.indicators == sum(len(p.indicators) for p in scored.projects) > 100
    assert s.flag_counts.get("boilerplate", 0) > 50
    assert all(p.grade in ("优", "良", "中", "差") for p in scored.projects)
