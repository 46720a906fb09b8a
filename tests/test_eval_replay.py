"""`semx eval` record -> replay, offline, and the committed cassettes replayed twice.

The record/replay round trip uses the scripted fake server (no model), so it checks the
cassette machinery itself: what is recorded is what is replayed, with the network closed,
and a prompt edited after recording is reported, not silently replayed.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from semx.evaluate.cassettes import CassetteStore, default_cassette_dir
from semx.evaluate.gold import default_eval_dir
from semx.evaluate.harness import EvalOptions, run_eval
from semx.evaluate.llm_run import replay
from semx.evaluate.output import results_json
from semx.llm.config import load_config
from tests.llm_fixtures.fake_server import FakeOpenAI

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "003_151f06cdbfa3e50b"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any TCP/UDP connect fails: replay must be served from cassettes alone."""
    real = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError(f"network disabled in this test (connect to {address})")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def clean_llm_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("SEMX_LLM"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no semx.toml from the working directory


def _gold_subset(tmp: Path) -> Path:
    """An eval dir with two free-text blocks of sample 003 and the real corpus."""
    d = tmp / "eval"
    (d / "gold").mkdir(parents=True)
    lines = [ln for ln in (default_eval_dir() / "gold" / "extract.jsonl").read_text(encoding="utf-8").splitlines()
             if f'"{SAMPLE}"' in ln and ('"title_line": 108' in ln or '"title_line": 116' in ln)]
    assert len(lines) == 2
    (d / "gold" / "extract.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (d / "gold" / "labels.jsonl").write_text("", encoding="utf-8")
    (d / "corpus").symlink_to(default_eval_dir() / "corpus")
    return d


def _answer(items: list[dict[str, Any]]) -> str:
    return json.dumps({"indicators": items}, ensure_ascii=False)


def _ind(evidence: str, level3: str, number: float, unit: str, op: str = "=", level2: str = "数量指标") -> dict[str, Any]:
    return {"evidence": evidence, "level3": level3, "op": op, "number": number, "unit": unit,
            "level1": "产出指标", "level2": level2}


SCRIPT = [
    # block 108: four of five gold indicators, one with a wrong unit, one under the wrong 二级
    ("ok", _answer([_ind("参会人数1000人", "参会人数", 1000, "个"),
                    _ind("制作证件1000份", "制作证件", 1000, "份", level2="质量指标"),
                    _ind("参会人员到场率95%以上", "参会人员到场率", 95, "%", op="≥", level2="质量指标"),
                    _ind("计划租一个场地", "租用会议场地数", 1, "个")])),
    # block 116: an unreadable answer first (instructor re-asks), then two right indicators
    ("ok", "这不是 JSON"),
    ("ok", _answer([_ind("各局乡镇文件下发印刷20次", "文件下发印刷次数", 20, "次"),
                    _ind("组织全区改革办培训5次", "改革办培训次数", 5, "次")])),
]


def _numbers(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in s.items() if k != "mode"} for s in result["llm"]]


def test_record_then_replay_offline_gives_the_same_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_llm_env: None
) -> None:
    eval_dir, cassettes = _gold_subset(tmp_path), tmp_path / "cassettes"
    opts = EvalOptions(prompts=[("extract", "v1")], mode="record", scorer=False, eval_dir=eval_dir,
                       cassette_dir=cassettes)
    with FakeOpenAI(list(SCRIPT)) as fake:
        monkeypatch.setenv("SEMX_LLM_BASE_URL", fake.base_url)
        monkeypatch.setenv("SEMX_LLM_MODEL", "fake-model")
        recorded = run_eval(opts, notify=lambda _: None)
        assert fake.count == 3
    monkeypatch.delenv("SEMX_LLM_BASE_URL")

    store = CassetteStore(cassettes, "extract", "v1", "fake-model")
    index = store.load_index()
    assert index is not None and sorted(index.items) == [f"{SAMPLE}/L0108", f"{SAMPLE}/L0116"]
    assert all(store.has(k) for k in index.items)

    s = recorded.summaries[0]
    # 108: four of five gold indicators (党代会召开时间 missed); 116: two of three
    assert (s.prf.tp, s.prf.fp, s.prf.fn) == (6, 0, 2)
    assert s.value_acc == pytest.approx(5 / 6)  # 参会人数 in 个 where the gold says 人
    assert s.level2_acc == pytest.approx(5 / 6)  # 制作证件 is a count, not 质量指标
    assert (s.usage.calls, s.usage.reasks, s.usage.valid) == (2, 1, 2)

    monkeypatch.setattr(socket.socket, "connect", _refuse)
    again = run_eval(EvalOptions(prompts=[("extract", "v1")], mode="replay", scorer=False, eval_dir=eval_dir,
                                 cassette_dir=cassettes))
    assert again.summaries[0].evaluated == 2
    assert _numbers(results_json(again)) == _numbers(results_json(recorded))


def _refuse(self: socket.socket, address: Any) -> None:
    raise OSError(f"network disabled in this test (connect to {address})")


def test_prompt_changed_after_recording_is_a_mismatch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_llm_env: None
) -> None:
    eval_dir, cassettes = _gold_subset(tmp_path), tmp_path / "cassettes"
    with FakeOpenAI(list(SCRIPT)) as fake:
        monkeypatch.setenv("SEMX_LLM_BASE_URL", fake.base_url)
        monkeypatch.setenv("SEMX_LLM_MODEL", "fake-model")
        run_eval(EvalOptions(prompts=[("extract", "v1")], mode="record", scorer=False, eval_dir=eval_dir,
                             cassette_dir=cassettes), notify=lambda _: None)
    monkeypatch.delenv("SEMX_LLM_BASE_URL")
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    v1 = prompts / "extract" / "v1.md"
    v1.write_text(v1.read_text(encoding="utf-8").replace("你是预算绩效审核助手", "你是预算绩效审核专家"), encoding="utf-8")

    from semx.evaluate.gold import load_blocks
    from semx.evaluate.items import extract_items

    monkeypatch.setattr(socket.socket, "connect", _refuse)
    items = extract_items(load_blocks(eval_dir / "gold" / "extract.jsonl"), eval_dir / "corpus")
    run = replay("extract", "v1", "fake-model", items, cassettes, load_config().model_copy(update={"prompts_dir": prompts}))
    assert [i.status for i in run.items] == ["replay_mismatch", "replay_mismatch"]
    assert any("changed since it was recorded" in n for n in run.notes)


def _committed() -> list[Path]:
    return sorted(default_cassette_dir().glob("*/*/*/index.json"))


@pytest.fixture
def out_dirs(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    yield tmp_path / "run1", tmp_path / "run2"


def test_semx_eval_offline_from_committed_cassettes_is_repeatable(
    out_dirs: tuple[Path, Path], no_network: None, clean_llm_env: None
) -> None:
    from semx.cli import app

    runner = CliRunner()
    results = []
    for out in out_dirs:
        r = runner.invoke(app, ["eval", "--out", str(out)])
        assert r.exit_code == 0, r.output
        assert "LLM extraction" in r.stdout and "Scorer flags" in r.stdout
        for name in ("report.md", "results.json", "items.json", "report.html", "pr_boilerplate.png",
                     "pr_mismatch.png", "pr_misclassified.png", "pr_unmeasurable.png"):
            assert (out / name).is_file() and (out / name).stat().st_size > 0, name
        data = json.loads((out / "results.json").read_text(encoding="utf-8"))
        data.pop("meta")
        results.append(data)
    assert results[0] == results[1]
    # Every committed recording was actually replayed (not skipped as missing or mismatched).
    recorded = {(p.parts[-4], p.parts[-3]) for p in _committed()}
    for s in results[0]["llm"]:
        if (s["task"], s["version"]) in recorded:
            assert s["evaluated"] > 0 and s["replay_mismatch"] == 0, s
    assert results[0]["scorer"]["joined_rows"] == results[0]["scorer"]["labelled_rows"]
    # Every committed prompt version is recorded on every gold item (issue: reproducible offline).
    committed = {(f.parent.name, f.stem) for f in (ROOT / "prompts").glob("*/v*.md")}
    complete = {(s["task"], s["version"]) for s in results[0]["llm"] if s["evaluated"] == s["items"] > 0}
    assert committed <= complete, sorted(committed - complete)
