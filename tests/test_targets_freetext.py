"""Free-text target blocks (`绩效目标：… 绩效指标：…`) and their link to table projects."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from semx.ingest import ingest, ingest_text
from semx.models import FreeTextTarget, Project, Warning_
from semx.targets import parse_targets
from semx.targets.freetext import name_similarity

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"


@cache
def targets(sample: str) -> tuple[list[Project], list[FreeTextTarget], list[Warning_]]:
    (path,) = CORPUS.glob(f"{sample}_*.txt")
    return parse_targets(ingest(path))


def blocks(sample: str) -> list[FreeTextTarget]:
    return targets(sample)[1]


def spans(sample: str) -> list[tuple[int, int]]:
    return [(b.start_line, b.end_line) for b in blocks(sample)]


# ---------------------------------------------------------------- counts and boundaries


@pytest.mark.parametrize(("sample", "count"), [("000", 4), ("001", 0), ("002", 0), ("003", 9), ("004", 56)])
def test_block_count(sample: str, count: int) -> None:
    assert len(blocks(sample)) == count


def test_000_boundaries() -> None:
    # the last block's 绩效指标 runs on for two paragraphs until （三）工作保障措施
    assert spans("000") == [(490, 494), (496, 502), (504, 508), (510, 518)]
    assert [(b.goal_lines, b.indicator_lines) for b in blocks("000")] == [
        ((492, 492), (494, 494)),
        ((498, 498), (500, 502)),
        ((506, 506), (508, 508)),
        ((512, 512), (514, 518)),
    ]
    first = blocks("000")[0]
    assert first.title == "坚持把讲政治贯穿于工作的各方面，牢固树立“四个意识”，坚定“四个自信”，做到“两个维护”。"
    assert first.level == "department"
    assert first.goal_text.startswith("坚持实施周五集中学习制")
    assert first.indicator_text.startswith("组织开展了“我为群众办实事”")
    # the department's prose titles are sentences, not project names: nothing links
    assert [b.linked_project for b in blocks("000")] == [None] * 4


def test_003_boundaries_and_links() -> None:
    assert spans("003") == [
        (108, 114), (116, 120), (122, 126), (128, 132), (134, 138), (140, 146), (148, 152), (154, 158), (160, 164)
    ]
    assert [b.title for b in blocks("003")] == [
        "党代会经费", "专项公用经费", "值班室音视频指挥调度系统服务费", "宣传推介费", "报刊征订",
        "会议接待费", "信息中心网络设备维护及采购", "因公出国", "培训费",
    ]
    assert [b.linked_project for b in blocks("003")] == [
        "党代会经费", "专项公用经费", "值班室音视频指挥调度系统服务费", "宣传推介费", "报刊征订费",
        "接待费", "信息中心网络设备维护及采购", "因公出国经费", "培训费",
    ]
    party = blocks("003")[0]
    assert (party.goal_lines, party.indicator_lines) == ((110, 112), (114, 114))
    # wrapped goal kept line by line so quotes map back to the source
    assert party.goal_text == "将区委一年的工作报告给广大党员代表，并通过党员代表向\n全区党员传达当前和今后区委的主要工作，凝聚共识，齐心发展。"
    assert party.indicator_text == (
        "2020年1月份完成每年一次的全区党代会，计划租一个场地，参会人数1000人，制作证件1000份，统计调查参会人员到场率95%以上。"
    )


def test_004_boundaries() -> None:
    assert spans("004") == [
        (181, 185), (187, 191), (193, 197), (199, 203), (205, 209), (211, 215), (217, 221), (223, 227),
        (229, 233), (235, 239), (241, 245), (247, 251), (253, 261), (263, 267), (269, 273), (275, 281),
        (283, 287), (289, 293), (295, 299), (301, 307), (309, 313), (315, 319), (321, 325), (327, 333),
        (335, 339), (341, 345), (347, 353), (355, 359), (361, 365), (367, 371), (373, 377), (379, 383),
        (385, 389), (391, 395),
        # a title typed twice (31、 then 35、): the stray line 397 belongs to no block and is reported
        (399, 405), (407, 411), (413, 417), (419, 423), (425, 431), (433, 437), (439, 443), (445, 449),
        (451, 457), (459, 463), (465, 471), (473, 477), (479, 483), (485, 489), (491, 495), (497, 501),
        (503, 507), (509, 513), (515, 521), (523, 527), (529, 533), (535, 539),
    ]
    assert [w.line for w in targets("004")[2] if w.code == "free_text_orphan_heading"] == [397]
    # wrapped paragraphs stay inside their block
    b = blocks("004")[12]
    assert (b.title, b.goal_lines, b.indicator_lines) == ("党建工作", (255, 259), (261, 261))


def test_004_every_block_links_to_its_table() -> None:
    linked = [(b.title, b.linked_project) for b in blocks("004")]
    assert all(p is not None for _, p in linked), [t for t, p in linked if p is None]
    as_dict = dict(linked)
    assert as_dict["选调生房租补经费"] == "选调生房补经费"
    assert as_dict["工资管理系统信息服务费"] == "工资管理信息服务费"
    assert as_dict["远程接入部门密码机全市共 12 个单位"] == "远程接入部门密码机全市共 12 个单位"
    names = {p.name for p in targets("004")[0]}
    assert {p for _, p in linked} <= names


def test_blocks_do_not_overlap_tables() -> None:
    for sample in ("000", "003", "004"):
        projects, free, _ = targets(sample)
        for b in free:
            for p in projects:
                assert b.end_line < p.start_line or b.start_line > p.end_line


# ---------------------------------------------------------------- linking rule


@pytest.mark.parametrize(
    ("a", "b", "linked"),
    [
        ("党代会经费", "党代会经费", True),
        ("会议接待费", "接待费", True),
        ("报刊征订", "报刊征订费", True),
        ("选调生房租补经费", "选调生房补经费", True),
        ("1、市委综合事务管理", "市委综合事务管理", True),
        ("党建工作", "城市基层党建工作专项经费", False),
        ("培训费", "宣传推介费", False),
        ("做到督查落实高标准。", "督查室专项经费", False),
    ],
)
def test_name_similarity(a: str, b: str, linked: bool) -> None:
    assert (name_similarity(a, b) >= 0.75) is linked


# ---------------------------------------------------------------- synthetic


def test_goal_without_indicator_and_indicator_only_blocks() -> None:
    text = (
        "部门预算 万元 支出\n五、预算绩效信息\n（一）办公经费\n绩效目标：保障运转。\n"
        "（二）培训经费\n绩效指标：培训 3 次。\n六、政府采购预算情况\n"
    )
    _, free, warnings = parse_targets(ingest_text(text, path="x.txt"))
    assert [(b.title, b.goal_text, b.indicator_text, b.start_line, b.end_line) for b in free] == [
        ("办公经费", "保障运转。", "", 3, 4),
        ("培训经费", "", "培训 3 次。", 5, 6),
    ]
    assert [w.code for w in warnings] == ["free_text_no_indicators"]


def test_glossary_definitions_are_not_targets() -> None:
    text = "部门预算 万元 支出\n八、名词解释\n绩效目标：指预期达到的产出和效果。\n"
    _, free, _ = parse_targets(ingest_text(text, path="x.txt"))
    assert free == []


def test_inline_and_numbered_labels() -> None:
    text = (
        "部门预算 万元 支出\n五、预算绩效信息\n"
        "1、办公经费\n绩效目标：保障运转。绩效指标：办公设备完好率 100%。\n"
        "2、培训经费\n1.绩效目标：提升能力\n2.绩效指标：培训 3 次\n"
        "3、宣传经费\n【绩效目标】宣传到位\n【绩效指标】宣传 5 次\n"
        "六、政府采购预算情况\n"
    )
    _, free, warnings = parse_targets(ingest_text(text, path="x.txt"))
    assert [(b.title, b.goal_text, b.indicator_text, b.goal_lines, b.indicator_lines) for b in free] == [
        ("办公经费", "保障运转。", "办公设备完好率 100%。", (4, 4), (4, 4)),
        ("培训经费", "提升能力", "培训 3 次", (6, 6), (7, 7)),
        ("宣传经费", "宣传到位", "宣传 5 次", (9, 9), (10, 10)),
    ]
    assert warnings == []
