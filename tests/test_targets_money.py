"""The 说明's statement of the money the targets cover, against the tables and the projects
(semx/checks/targets_money.py), on real samples with the statement written into their 说明."""

from __future__ import annotations

from pathlib import Path

from score_helpers import CORPUS

from semx.pipeline import parse_file


def _with_lines(tmp_path: Path, sample: str, after: str, added: list[str]) -> Path:
    lines = (CORPUS / sample).read_text(encoding="utf-8").splitlines()
    i = next(n for n, ln in enumerate(lines) if ln.strip() == after)
    out = tmp_path / sample
    out.write_text("\n".join([*lines[: i + 1], *added, *lines[i + 1 :]]) + "\n", encoding="utf-8")
    return out


def _codes(path: Path, code: str) -> list[str]:
    return [f.message for f in parse_file(path).findings if f.code == code]


def test_stated_amount_above_project_spending(tmp_path: Path) -> None:
    sample = "000_0e92df39b5d37474.txt"  # 项目支出 773.19 万元 in the 支出总表
    assert not _codes(CORPUS / sample, "targets_amount")
    over = _with_lines(tmp_path, sample, "2、支出说明", ["编报绩效目标的项目共27个，涉及项目预算资金900.00万元。"])
    (msg,) = _codes(over, "targets_amount")
    assert "900" in msg and "773.19" in msg
    ok = _with_lines(tmp_path, sample, "2、支出说明", ["编报绩效目标的项目共27个，涉及项目预算资金773.19万元。"])
    assert not [m for m in _codes(ok, "targets_amount") if "超过" in m]


def test_stated_amount_against_the_projects_budgets(tmp_path: Path) -> None:
    sample = "003_151f06cdbfa3e50b.txt"  # 11 project forms, 预算数 adding up to 332.34 万元
    off = _with_lines(tmp_path, sample, "2、支出说明", ["编报绩效目标的项目共11个，涉及项目预算资金340.00万元。"])
    (msg,) = _codes(off, "targets_amount")
    assert "332.34" in msg and "340" in msg
    same = _with_lines(tmp_path, sample, "2、支出说明", ["编报绩效目标的项目共11个，涉及项目预算资金332.34万元。"])
    assert not _codes(same, "targets_amount")
    fewer = _with_lines(tmp_path, sample, "2、支出说明", ["编报绩效目标的项目共12个，涉及项目预算资金332.34万元。"])
    (msg,) = _codes(fewer, "targets_amount")
    assert "12个" in msg and "11张" in msg


def test_project_described_without_amount(tmp_path: Path) -> None:
    sample = "003_151f06cdbfa3e50b.txt"
    path = _with_lines(tmp_path, sample, "2、支出说明", [
        "（一）档案数字化项目：主要用于馆藏档案扫描和著录。",
        "（二）党员教育培训项目：主要用于全县党员轮训，预算50.00万元。",
    ])
    msgs = _codes(path, "project_no_amount")
    assert msgs == ["说明介绍项目“档案数字化项目”但没有给出金额，无法与表中数字核对。"]


def test_statement_read_from_a_shanghai_pdf() -> None:
    """The real wording (putuo office 2025, page 21): 11 projects, 6626 万元, below the 项目支出
    6641 万元 of its 支出总表, so no finding."""
    from semx.checks.targets_money import targets_statements
    from semx.ingest import ingest

    path = CORPUS.parent / "shanghai" / "putuo_office_2025_dept.pdf"
    (st,) = targets_statements(ingest(path))
    assert st.projects == 11 and st.amount_wan == 6626
    assert not _codes(path, "targets_amount")


def test_wanli_statement_disagrees_with_its_forms() -> None:
    """putuo wanli 2023 (eval/shanghai/expected.json notes): the 说明 says 5 projects, 3328.13 万元;
    the five forms' 年度资金申请总额 add up to 3351.3343 万元."""
    path = CORPUS.parent / "shanghai" / "putuo_wanli_2023_dept.pdf"
    (msg,) = [m for m in _codes(path, "targets_amount") if "项目绩效目标表" in m]
    assert "3328.13" in msg and "3351.33" in msg and "5个项目" in msg
