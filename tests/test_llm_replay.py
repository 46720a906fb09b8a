"""Extraction (and a little classification) replayed from cassettes recorded on the real local model.

Every free-text target block of samples 000, 003 and 004 goes through `extract`. The
assertions are about what Qwen2.5-Coder-1.5B really answered, checked by hand; where it
was wrong we assert the right parts and count the rest in the error-rate test rather
than pretend. See tests/llm_fixtures/replay.py for recording.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from semx.llm.client import CallResult, LLMClient
from semx.llm.local_server import MODEL_ALIAS
from semx.llm.schemas import squash
from semx.llm.tasks import classify_project, extract_target, target_source
from semx.models import FreeTextTarget, Indicator, Project
from tests.llm_fixtures.replay import (
    CASSETTES,
    CLASSIFY,
    DOCS,
    RECORD,
    live_blocks,
    load_blocks,
    load_projects,
    make_vcr,
    replay_config,
)


@dataclass
class Replayed:
    block: FreeTextTarget
    target: FreeTextTarget
    result: CallResult[Any] | None


@dataclass
class ReplayRun:
    docs: dict[str, list[Replayed]]
    unrecorded: list[str]  # cassettes not recorded yet (see test_all_blocks_recorded)


def _extract_all(tmp: Path) -> ReplayRun:
    v = make_vcr()
    run = ReplayRun(docs={}, unrecorded=[])
    with LLMClient(replay_config(tmp)) as client:
        for doc in ("003", "000", "004"):
            run.docs[doc] = []
            for i, block in enumerate(load_blocks(doc)):
                name = f"extract/{doc}/{i:02d}"
                if not RECORD and not (CASSETTES / f"{name}.yaml").exists():
                    run.unrecorded.append(name)
                    continue
                with v.use_cassette(f"{name}.yaml"):
                    target, result = extract_target(client, block, document=DOCS[doc])
                _fail_on_cassette_miss(name, target.llm_error)
                run.docs[doc].append(Replayed(block, target, result))
    return run


def _fail_on_cassette_miss(name: str, error: str | None) -> None:
    # LLMClient turns every exception into an llm_error, vcrpy's "no recorded answer" included;
    # here that must not pass as a model failure: the cassette is missing or stale.
    if error and any(w in error.lower() for w in ("cassette", "play back", "record_mode")):
        pytest.fail(f"{name}: request not in the cassette (re-record it, see tests/llm_fixtures/replay.py): {error}")
    if RECORD and error and error.startswith(("connection error", "timeout", "HTTP ")):
        # A dead server records nothing; stop rather than walk through the rest of the corpus.
        pytest.fail(f"{name}: endpoint failed while recording: {error}")


@pytest.fixture(scope="module")
def replay_run(tmp_path_factory: pytest.TempPathFactory) -> ReplayRun:
    return _extract_all(tmp_path_factory.mktemp("llm"))


@pytest.fixture(scope="module")
def replayed(replay_run: ReplayRun) -> dict[str, list[Replayed]]:
    return replay_run.docs


@pytest.fixture(scope="module")
def classified(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Project, Project]]:
    v = make_vcr()
    out = []
    with LLMClient(replay_config(tmp_path_factory.mktemp("llmc"))) as client:
        for doc in CLASSIFY:
            for i, project in enumerate(load_projects(doc)):
                if not RECORD and not (CASSETTES / f"classify/{doc}/{i:02d}.yaml").exists():
                    pytest.skip(f"classify/{doc}/{i:02d}.yaml not recorded yet (see tests/llm_fixtures/replay.py)")
                with v.use_cassette(f"classify/{doc}/{i:02d}.yaml"):
                    updated, _, errors = classify_project(client, project, document=DOCS[doc])
                for e in errors:
                    _fail_on_cassette_miss(f"classify/{doc}/{i:02d}", e)
                out.append((project, updated))
    return out


def by_title(replayed: dict[str, list[Replayed]], doc: str, title_part: str) -> Replayed:
    hits = [r for r in replayed[doc] if title_part in r.block.title]
    assert len(hits) == 1, f"{title_part!r} matches {len(hits)} blocks in {doc}"
    return hits[0]


def values(target: FreeTextTarget) -> dict[str, tuple[str | None, Decimal | None, str | None]]:
    return {i.level3: (i.value.op, i.value.number, i.value.unit) for i in target.indicators}


def find(target: FreeTextTarget, quote_part: str) -> Indicator:
    hits = [i for i in target.indicators if quote_part in (i.evidence or "")]
    assert hits, f"no indicator quoting {quote_part!r}; got {[i.evidence for i in target.indicators]}"
    return hits[0]


# ---------------------------------------------------------------- every block


def test_recorded_blocks_replay(replay_run: ReplayRun) -> None:
    counts = {d: len(rs) + sum(u.startswith(f"extract/{d}/") for u in replay_run.unrecorded)
              for d, rs in replay_run.docs.items()}
    assert counts == {"003": 9, "000": 4, "004": 56}
    assert len(replay_run.docs["003"]) == 9 and len(replay_run.docs["000"]) == 4
    for rs in replay_run.docs.values():
        for r in rs:
            assert r.result is not None and r.result.requests >= 1  # answered from the cassette
            assert r.target.llm is not None and r.target.llm.model == MODEL_ALIAS
            assert r.target.llm.prompt_version == "extract/v1"


def test_all_blocks_recorded(replay_run: ReplayRun) -> None:
    """Every block of 000/003/004 has a cassette: a missing one fails, naming what to record."""
    assert not replay_run.unrecorded, (
        f"{len(replay_run.unrecorded)} of 69 blocks have no cassette "
        f"({replay_run.unrecorded[0]} … {replay_run.unrecorded[-1]}); record them with "
        "`SEMX_RECORD=1 … pytest tests/test_llm_replay.py` (see tests/llm_fixtures/replay.py)")


def test_every_evidence_quote_is_in_the_source(replayed: dict[str, list[Replayed]]) -> None:
    n = 0
    for rs in replayed.values():
        for r in rs:
            src = squash(target_source(r.block))
            for ind in r.target.indicators:
                assert ind.evidence and squash(ind.evidence) in src, (r.block.title, ind.evidence)
                assert ind.source == "llm" and ind.llm is not None
                assert r.block.start_line <= ind.line <= r.block.end_line
                n += 1
    blocks = sum(len(rs) for rs in replayed.values())
    assert n >= 2 * blocks  # the blocks state ~3-5 targets each; far fewer means extraction broke


def test_every_number_is_in_its_quote(replayed: dict[str, list[Replayed]]) -> None:
    from semx.llm.schemas import numbers_in

    for rs in replayed.values():
        for r in rs:
            for ind in r.target.indicators:
                if ind.value.number is not None:
                    assert ind.value.number in numbers_in(ind.evidence or ""), (ind.evidence, ind.value.number)


def test_error_rate_is_bounded(replayed: dict[str, list[Replayed]]) -> None:
    errors = [(d, r.block.title, r.target.llm_error or "") for d, rs in replayed.items() for r in rs
              if r.target.llm_error]
    partial = [e for e in errors if e[2].startswith("partial:")]
    failed = [e for e in errors if not e[2].startswith("partial:")]
    total = sum(len(rs) for rs in replayed.values())
    print(f"\nextract: {len(failed)}/{total} blocks failed, {len(partial)} partly kept: "
          f"{[(d, t[:12], e[:80]) for d, t, e in errors]}")
    assert len(failed) / total <= 0.15


# ---------------------------------------------------------------- blocks checked by hand


def test_003_party_congress(replayed: dict[str, list[Replayed]]) -> None:
    r = by_title(replayed, "003", "党代会经费")
    t = r.target
    assert t.llm_error is None
    # What the model itself said: the numbers, quoted; it left unit (人/份) and op (以上) empty,
    # which semx reads off the validated quote (tasks._from_quote).
    assert r.result is not None and r.result.value is not None
    assert [x.number for x in r.result.value.indicators if x.number and x.number > 10] == [1000, 1000, 95]
    people = find(t, "参会人数1000人")
    assert (people.value.number, people.value.unit) == (Decimal(1000), "人")
    assert (people.level1, people.level2) == ("产出指标", "数量指标")
    badges = find(t, "证件1000份")
    assert (badges.value.number, badges.value.unit) == (Decimal(1000), "份")
    rate = find(t, "95%以上")
    assert (rate.value.op, rate.value.number, rate.value.unit) == ("≥", Decimal(95), "%")
    assert all(i.line == 114 for i in t.indicators)


# ---------------------------------------------------------------- classify


def test_classify_gives_an_opinion_on_every_table_indicator(classified: list[tuple[Project, Project]]) -> None:
    assert classified
    for before, after in classified:
        assert len(after.indicators) == len(before.indicators)
        for b, a in zip(before.indicators, after.indicators):
            if a.llm_category is None:
                continue  # a failed batch leaves the indicator untouched
            assert a.llm_category.llm.prompt_version == "classify/v1"
            flagged = any(f.code == "misclassified" for f in a.flags)
            assert flagged == (not a.llm_category.agrees)
            assert (a.level1, a.level2, a.value) == (b.level1, b.level2, b.value)


# ---------------------------------------------------------------- snapshot drift


@pytest.mark.parametrize("doc", sorted(DOCS))
def test_snapshot_matches_current_parser(doc: str) -> None:
    """Cassettes were recorded on these blocks; if semx.targets now finds other text, re-record."""
    snap = load_blocks(doc)
    live = live_blocks(doc)
    assert [squash(b.title) for b in snap] == [squash(b.title) for b in live]
    assert [squash(target_source(b)) for b in snap] == [squash(target_source(b)) for b in live]


def test_003_counts_rates_and_satisfaction(replayed: dict[str, list[Replayed]]) -> None:
    t = by_title(replayed, "003", "专项公用经费").target
    for quote, n in (("印刷20次", 20), ("培训5次", 5), ("培训3次", 3)):
        i = find(t, quote)
        assert (i.value.number, i.value.unit, i.level1, i.level2) == (Decimal(n), "次", "产出指标", "数量指标")
    t = by_title(replayed, "003", "报刊征订").target
    done = find(t, "刊登完成率98%")
    assert (done.value.number, done.value.unit, done.level2) == (Decimal(98), "%", "质量指标")
    assert find(t, "不少于3次").value.op == "≥"
    t = by_title(replayed, "003", "信息中心").target
    sat = find(t, "满意率 95%")
    assert (sat.value.number, sat.level1, sat.level2) == (Decimal(95), "满意度指标", "服务对象满意度指标")
    assert find(t, "共享率 70%").value.number == Decimal(70)



def test_classify_catches_a_count_filed_as_effect(classified: list[tuple[Project, Project]]) -> None:
    """Checked by hand (tests/llm_fixtures/HANDCHECK.md): the table files a count of articles under
    社会效益; the model says 产出/数量, so it is flagged. A plain count it agrees with is not."""
    inds = {i.level3: i for _, after in classified for i in after.indicators}
    articles = inds["在石家庄媒体日报播发宣传鹿泉稿件篇数"]
    assert articles.llm_category is not None
    assert (articles.llm_category.level1, articles.llm_category.level2) == ("产出指标", "数量指标")
    assert [f.code for f in articles.flags] == ["misclassified"]
    terminals = inds["购买通用终端机数量"]
    assert terminals.llm_category is not None and terminals.llm_category.agrees and not terminals.flags
