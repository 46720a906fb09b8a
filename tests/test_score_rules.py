"""Scorer on hand-made projects with a lexical embedder (fast, no model)."""

from __future__ import annotations

import pytest
from score_helpers import full_project, ind, project

from semx.embed.encoder import CharNgramEmbedder
from semx.score import score_document
from semx.score.config import load_config
from semx.score.rules import Hint

TEMPLATE = {
    "level1": "满意度指标",
    "level2": "服务对象满意度指标",
    "description": "培训学员通过网络评估系统对培训班满意率",
}


def _score(projects, **kw):  # type: ignore[no-untyped-def]
    return score_document(projects, embedder=CharNgramEmbedder(), config=load_config(), **kw)


def _flags(result, line: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    for p in result.projects:
        for i in p.indicators:
            if i.line == line:
                return {f.code: f.score for f in i.flags}
    raise KeyError(line)


def test_boilerplate_counts_projects_with_other_subjects() -> None:
    a = full_project("电费", "保障机关用电", 10, [ind("网络评估满意率（%）", "100%", 20, **TEMPLATE)])
    b = full_project("档案数字化", "提高档案保管水平", 30, [ind("网络评估满意率(%)", "≥95%", 40, **TEMPLATE)])
    c = full_project("公车运行", "确保公车改革任务完成", 50, [ind("网络评估满意率", "100 %", 60, **TEMPLATE)])
    r = _score([a, b, c])
    for line in (20, 40, 60):
        assert "boilerplate" in _flags(r, line)
    flag = next(f for f in r.projects[0].indicators[-1].flags if f.code == "boilerplate")
    assert "另有2个主题不同的项目" in flag.reason and "共3个项目" in flag.reason
    assert flag.thresholds["score"] > 0
    # the project-specific rows are not boilerplate
    assert "boilerplate" not in _flags(r, 11)


def test_same_subject_and_generic_admin_are_not_boilerplate() -> None:
    admin = {"level2": "时效指标", "description": "按照规定时间节点及时完成资金拨付的比率"}
    a = full_project("专项运转保障经费", "保障机关正常运转", 10, [ind("资金拨付及时率", "100%", 20, **admin)])
    b = full_project(
        "专项运转保障经费（原政府事务局）", "保障机关正常运转", 30, [ind("资金拨付及时率", "100%", 40, **admin)]
    )
    c = full_project("电子政务内网维护", "保障内网安全运行", 50, [ind("资金拨付及时率", "100%", 60, **admin)])
    d = full_project("党代会经费", "召开党代会", 70, [ind("资金拨付及时率", "100%", 80, **admin)])
    r = _score([a, b, c, d])
    assert all("boilerplate" not in _flags(r, line) for line in (20, 40, 60, 80))
    # a non-generic row shared by the two same-subject projects only: not boilerplate either
    e = full_project("机关运转经费", "保障机关正常运转", 10, [ind("办公设备维护数量", "≥50 台", 20)])
    f = full_project("机关运转经费（原事务局）", "保障机关正常运转", 30, [ind("办公设备维护数量", "≥50 台", 40)])
    assert "boilerplate" not in _flags(_score([e, f]), 20)


@pytest.mark.parametrize(
    ("raw", "flagged"),
    [
        ("明显提高", True),
        ("有效做好防控", True),
        ("=%100", True),
        ("按合同支付", False),  # a referenced, binary target is measurable (issue 18)
        ("≥5 类", False),
        ("100%", False),
        ("6 月底全部发放完成", False),
        ("无差错", False),
        ("$\\geq 98\\%$", False),
    ],
)
def test_unmeasurable(raw: str, flagged: bool) -> None:
    p = full_project(
        "档案数字化", "提高档案保管水平", 10, [ind("档案利用情况", raw, 30, level1="效益指标", level2="社会效益指标")]
    )
    assert ("unmeasurable" in _flags(_score([p]), 30)) is flagged


def test_misclassified_rules_and_llm_hint() -> None:
    p = project(
        "党代会经费",
        "召开全区党代会",
        [
            ind("召开党代会完成率", "≥100%", 11, level2="成本指标", kind="percent", number="100", unit="%", op="≥"),
            ind("编发信息刊物数量", "≥50 期", 12, level2="质量指标"),
            ind("组织参观学习人次", "≥100 人", 13, level2="时效指标"),
            ind("播发稿件篇数", "≥12 篇", 14, level1="效益指标", level2="社会效益指标"),
            ind("参会人数", "≥1000 人", 15, level2="数量指标"),
            ind("参会人员满意度", "≥95%", 16, level1="满意度指标", level2="服务对象满意度指标"),
        ],
    )
    r = _score([p])
    for line in (11, 12, 13, 14):
        assert "misclassified" in _flags(r, line), line
    assert "misclassified" not in _flags(r, 15)
    # an LLM opinion alone can raise it, with its reason quoted
    hinted = _score([p], llm_categories={15: Hint("效益指标", "社会效益指标", "参会人数是投入")})
    flag = next(f for f in hinted.projects[0].indicators[4].flags if f.code == "misclassified")
    assert "参会人数是投入" in flag.reason


def test_cost_vs_budget_indicator_and_project() -> None:
    over = full_project("报刊征订", "订阅党报党刊", 10, budget="18.3")
    over.indicators[3] = ind("报刊征订费用", "≤200000 元", 14, level2="成本指标")
    r = _score([over])
    assert "cost_vs_budget" in _flags(r, 14)
    assert "cost_vs_budget" in {f.code for f in r.projects[0].flags}
    fine = full_project("报刊征订", "订阅党报党刊", 10, budget="18.3")
    fine.indicators[3] = ind("报刊征订费用", "≤18.3 万元", 14, level2="成本指标")
    r2 = _score([fine])
    assert "cost_vs_budget" not in _flags(r2, 14)
    assert "cost_vs_budget" not in {f.code for f in r2.projects[0].flags}


def test_project_level_flags_and_grade() -> None:
    thin = project(
        "督查经费",
        "完成督查任务",
        [
            ind("督查次数", "≥10 次", 11, basis="工作需要"),
            ind("督查次数", "≥10 次", 12, basis="工作需要"),
            ind("群众满意度", "100%", 13, level1="满意度指标", level2="服务对象满意度指标", basis="工作需要"),
        ],
    )
    r = _score([thin, full_project("档案数字化", "提高档案保管水平", 30)])
    codes = {f.code for f in r.projects[0].flags}
    assert {"missing_category", "no_cost", "duplicate_rows", "satisfaction_100", "weak_basis"} <= codes
    assert r.projects[0].grade in ("中", "差")
    assert r.projects[0].grade_reasons and r.projects[0].grade_reasons[0].startswith("项目得分")
    good = r.projects[1]
    assert good.grade in ("优", "良") and not good.flags


def test_weak_basis_only_where_the_template_has_the_basis_column() -> None:
    def thin(columns: list[str], basis: str | None):  # type: ignore[no-untyped-def]
        p = full_project("档案数字化", "提高档案保管水平", 30)
        for i in p.indicators:
            i.basis = basis
        return p.model_copy(update={"indicator_columns": columns})

    with_col = ["level1", "level2", "level3", "value", "basis"]
    without = ["level1", "level2", "level3", "value"]
    r = _score([thin(with_col, None), thin(without, None), thin(with_col, "工作需要"), thin([], "工作需要"),
                thin([], None)])
    raised = ["weak_basis" in {f.code for f in p.flags} for p in r.projects]
    # the column printed and left empty, or filled only with 工作需要: flagged; no column (a Shanghai
    # 申报表), or no header known and no basis printed: the template cannot be blamed
    assert raised == [True, False, True, True, False]


def test_output_contract_and_inputs_untouched() -> None:
    p = full_project(
        "电费", "保障机关用电", 10, [ind("长期使用性", "长期使用", 20, level1="效益指标", level2="可持续影响指标")]
    )
    r = _score([p])
    assert p.indicators[-1].flags == [] and p.grade is None  # input not mutated
    cfg = load_config()
    for proj in r.projects:
        for i in proj.indicators:
            assert i.line > 0 and i.quality is not None and 0 <= i.quality <= 100
            for f in i.flags:
                assert 0 <= f.score <= 1 and f.reason and f.score >= f.thresholds["score"]
    # below-threshold verdicts stay in candidates only
    low = [c for c in r.candidates if not c.raised]
    assert low and all(c.score < c.threshold or c.score == 0 for c in low)
    assert r.summary.config_version == cfg.version and r.summary.embedding_model == "char-ngram-1024"
    assert r.summary.indicators == 7 and sum(r.summary.grades.values()) == 1


def test_misclassified_effect_rules_read_the_name_and_the_bound() -> None:
    p = project(
        "网站维护",
        "维护县政府网站",
        [
            # an upper bound on a count of incidents is an effect, not an output delivered
            ind("网络舆情事件", "≤1 个", 21, level1="效益指标", level2="社会效益指标"),
            ind("播发稿件篇数", "≥12 个", 22, level1="效益指标", level2="社会效益指标"),
            # satisfaction in the name: satisfaction used as an effect
            ind("网站用户满意度", "≥95%", 23, level1="效益指标", level2="社会效益指标"),
            # named after an effect, satisfaction only in the description: weaker
            ind(
                "政务公开透明度", "≥95%", 24, level1="效益指标", level2="社会效益指标", description="公众知情权和满意度"
            ),
        ],
    )
    r = _score([p])
    cands = {c.line: c.score for c in r.candidates if c.code == "misclassified"}
    assert cands[21] == 0.0 and cands[22] >= 0.7
    assert cands[23] >= 0.7 and 0.0 < cands[24] < cands[23]


def test_mismatch_gate_protects_covered_subject_words_and_names_other_project() -> None:
    from semx.score.config import MismatchParams
    from semx.score.mismatch import apply, is_subject_gram, linear

    params = MismatchParams(weights={"template": 1.8, "uncovered": 7.6}, bias=-10.2, protect_anchor_cov=0.5)
    pasted = {"template": 3.2, "uncovered": 1.0, "anchor": 0.0}
    assert apply(params, pasted) > 0.9
    # the same template whose subject words are the project's own words: it fits, so being a template
    # is no evidence of a mismatch (eval/README: a template that fits is boilerplate, mismatch false)
    own = {**pasted, "anchor": 0.6}
    assert apply(params, own) == pytest.approx(linear(params, {**own, "template": 0.0}) * params.protect_factor)
    assert apply(params, own) < 0.1 < apply(params, pasted) * params.protect_factor
    assert apply(params, {"template": 0.0, "uncovered": 0.5, "names_other": 1.0}) >= params.names_other_score
    assert is_subject_gram("培训") and not is_subject_gram("满意") and not is_subject_gram("的比")
    assert not is_subject_gram("完成") and not is_subject_gram("次数")


def test_a_fitting_template_is_no_mismatch_at_any_threshold() -> None:
    """A template copied to many projects whose subject words are this project's own (参与决策 on an
    office whose goal is to inform decisions): a low threshold fitted elsewhere must not flag it on
    its template count alone; an unprotected copy and a row named after another project still are."""
    from semx.score.config import MismatchParams
    from semx.score.mismatch import apply

    params = MismatchParams(weights={"template": 3.25, "uncovered": 1.94, "unanchored": 0.33}, bias=-8.93,
                            protect_anchor_cov=0.5)
    fitting = {"template": 3.26, "uncovered": 0.79, "anchor": 0.74, "unanchored": 0.0}
    assert apply(params, fitting) < 0.01
    assert apply(params, {**fitting, "anchor": 0.0, "unanchored": 1.0}) > 0.5
    assert apply(params, {**fitting, "names_other": 1.0}) >= params.names_other_score


def test_mismatch_training_template_on_training_project() -> None:
    """The lexical embedder: the gate, not the embedding, decides (issue #6 in miniature)."""
    tpl = {**TEMPLATE, "level3": "网络评估满意率（%）"}
    train = project(
        "机关党委活动经费",
        "抓好党员教育管理",
        [
            ind("机关党委组织培训班次", "≥5 次", 71, description="机关党委组织培训的班次"),
            ind("机关党委培训覆盖率", "≥95%", 72, level2="质量指标", description="机关党委培训对象占应覆盖对象的比率"),
            ind(tpl["level3"], "100%", 73, level1=tpl["level1"], level2=tpl["level2"], description=tpl["description"]),
        ],
        start=70,
    )
    others = [
        project(
            name,
            goal,
            [
                ind(f"{name}数量", "≥1 项", s + 1, description=f"{goal}的数量"),
                ind(
                    tpl["level3"],
                    "100%",
                    s + 2,
                    level1=tpl["level1"],
                    level2=tpl["level2"],
                    description=tpl["description"],
                ),
            ],
            start=s,
        )
        for name, goal, s in (
            ("县委电费", "保障机关用电", 10),
            ("档案数字化", "档案扫描入库", 30),
            ("公车运行", "公车日常运行", 50),
        )
    ]
    r = _score([*others, train])
    mm = {c.line: c for c in r.candidates if c.code == "mismatch"}
    assert mm[73].features["anchor"] >= 0.5 and mm[12].features["anchor"] == 0.0
    assert mm[73].score < mm[12].score


def test_subject_words_skip_measure_audience_and_admin_words() -> None:
    from semx.score.boilerplate import subject_grams

    assert subject_grams("群众满意度：群众满意度情况") == set()  # no fragment such as 众满
    assert {"培训", "评估"} <= subject_grams("培训学员通过网络评估系统对培训班满意率")
    assert subject_grams("开展各项工作：工作进度") == set()


def test_mismatch_gate_protects_indicators_without_subject_words() -> None:
    from semx.score.config import MismatchParams
    from semx.score.mismatch import apply, linear

    params = MismatchParams(weights={"template": 1.8, "uncovered": 7.6}, bias=-10.2, protect_anchor_cov=0.5)
    pasted = {"template": 3.2, "uncovered": 1.0, "anchor": 0.0}
    generic = {**pasted, "generic_subject": 1.0}
    assert apply(params, generic) == pytest.approx(
        linear(params, {**pasted, "template": 0.0}) * params.protect_factor)
    off = params.model_copy(update={"protect_generic": False})
    assert apply(off, generic) == pytest.approx(apply(params, pasted))


def test_boilerplate_family_rule_flags_only_the_outsiders() -> None:
    """A text of three same-subject projects, copied onto two others: only the copies are templates."""
    row = {"level2": "质量指标", "description": "及时处理业务数占总处理数的比率"}
    family = [
        full_project(name, "保障机关正常运转", s, [ind("业务处理及时性（%）", "100%", s + 10, **row)])
        for name, s in (("秘书科工作经费", 100), ("专项运转保障经费", 200), ("机关运转经费（原事务局）", 300))
    ]
    outsiders = [
        full_project("节能宣传费", "搞好节能宣传工作", 400, [ind("业务处理及时性（%）", "100%", 410, **row)]),
        full_project(
            "电视会议系统延伸建设", "推进电视会议系统延伸建设", 500, [ind("业务处理及时性", "100%", 510, **row)]
        ),
    ]
    r = _score([*family, *outsiders])
    bp = {c.line: c for c in r.candidates if c.code == "boilerplate"}
    for line in (110, 210, 310):
        assert bp[line].score == 0.0 and "不视为模板化套用" in bp[line].reason
    for line in (410, 510):
        assert bp[line].features["k_doc"] == 4.0 and "boilerplate" in _flags(r, line)


def _rows_and_own_words(projects):  # type: ignore[no-untyped-def]
    """The scorer's view of hand-made projects: rows by line, and each row's project's own words."""
    from semx.score.items import build_doc

    doc = build_doc(0, "t", projects)
    item = {it.ind.line: it for pv in doc.projects for it in pv.items}
    return item, {line: doc.projects[it.project].grams for line, it in item.items()}


def test_near_duplicate_rewritten_for_its_project_is_not_a_copy() -> None:
    """A description rewritten with the carrying project's own word (宣传) is an adaptation."""
    from semx.score.boilerplate import _adapted

    row = {"level1": "效益指标", "level2": "社会效益指标"}
    a = full_project("援南医疗队及专家食宿费", "保障医疗队食宿", 10,
                     [ind("疫情防控成效", "有效做好防控", 20, description="疫情防控效果情况", **row)])
    c = full_project("疫情期间印制宣传品费用", "营造浓厚宣传氛围，印制宣传品", 50,
                     [ind("疫情防控成效", "有效做好防控", 60, description="疫情防控宣传效果情况", **row)])
    c2 = full_project("疫情期间印制材料费用", "印制材料", 70,
                      [ind("疫情防控成效", "有效做好防控", 80, description="疫情防控宣传效果情况", **row)])
    d = full_project("视频调度系统服务费", "保障视频调度", 90,
                     [ind("视频调度完成率", "100%", 100, description="疫情防控效果情况", **row)])
    item, own = _rows_and_own_words([a, c, c2, d])
    assert _adapted(item[20], item[60], own[60])  # 宣传 is the printing project's own word
    assert not _adapted(item[20], item[80], own[80])  # 宣传 is not this project's: a copy
    assert not _adapted(item[20], item[100], own[100])  # renamed, description copied: a copy


def test_row_named_after_another_project_counts_as_a_proven_copy() -> None:
    a = full_project("市委综合事务管理", "保障综合事务运转", 10, [ind("公文处理数量", "≥100 件", 20)])
    b = full_project("保密机要管理", "做好保密机要工作", 30,
                     [ind("市委综合事务管理运行成本", "≤14.1 万元", 40, level2="成本指标")])
    r = _score([a, b])
    flag = next(x for x in r.candidates if x.code == "boilerplate" and x.line == 40)
    cfg = load_config()
    assert flag.features["k_doc"] == 1.0
    k_eff = cfg.boilerplate.named_weight
    assert flag.score == pytest.approx(k_eff / (k_eff + 1))
    assert "被引用的项目名" in flag.reason
    assert ("boilerplate" in _flags(r, 40)) == (flag.score >= cfg.thresholds["boilerplate"])


def test_mismatch_template_counts_the_batch_s_other_documents() -> None:
    """A text pasted on many projects of one document weighs as a template where another document
    carries it only once (the research-task text of 000 on two 003 tables)."""
    import math

    from semx.score.scorer import DocInput, score_documents

    research = {"level2": "时效指标", "description": "按照要求和计划完成研究任务的项目在全部项目中的比例"}
    many = [full_project(n, g, s, [ind("完成率（%）", "100%", s + 10, **research)])
            for n, g, s in (("电费", "保障机关用电", 100), ("档案数字化", "提高档案保管水平", 200),
                            ("公车运行", "确保公车改革任务完成", 300), ("党代会", "召开党代会", 400))]
    once = [full_project("内网运维", "保障内网安全运行", 500, [ind("完成率", "100%", 510, **research)]),
            full_project("接待费", "做好公务接待", 600)]
    results = score_documents([DocInput("a", many), DocInput("b", once)], embedder=CharNgramEmbedder(),
                              config=load_config())
    mm = {c.line: c for c in results[1].candidates if c.code == "mismatch"}
    assert mm[510].features["template"] == pytest.approx(math.log1p(4))  # no sharer in its own document
    alone = score_documents([DocInput("b", once)], embedder=CharNgramEmbedder(), config=load_config())
    assert {c.line: c for c in alone[0].candidates if c.code == "mismatch"}[510].features["template"] == 0.0


def test_mismatch_context_includes_the_linked_prose_goal() -> None:
    """The free-text block of the same name states what the money is for; its words count as the project's."""
    from semx.models import FreeTextTarget
    from semx.score.scorer import DocInput, score_documents

    p = full_project("援南医疗队及专家食宿费", "完成医疗队后勤保障工作", 10,
                     [ind("有效做好疫情防控", "有效做好防控", 20, level2="质量指标", description="有效做好我市疫情防控工作")])
    block = FreeTextTarget(title="援南医疗队及专家食宿费", goal_text="肺炎疫情发生以来，保障医疗队伍的食宿，做好疫情防控保障服务。",
                           indicator_text="", start_line=1, end_line=2, linked_project="援南医疗队及专家食宿费")

    def anchor(free_text: list[FreeTextTarget]) -> float:
        r = score_documents([DocInput("d", [p], free_text=free_text)], embedder=CharNgramEmbedder(),
                            config=load_config())
        return next(c for c in r[0].candidates if c.code == "mismatch" and c.line == 20).features["anchor"]

    assert anchor([block]) > anchor([])


def test_boilerplate_counts_subjects_not_tables() -> None:
    """网络畅通率 on two tables of one network and on an app server is two subjects, not three.

    The two 大组工网 tables share a name term no other project has, so they are one subject;
    the app row is then shared with one other subject only (score 1/2, below any threshold
    the config allows), while the same text on three unrelated projects stays a template.
    """
    from semx.score.boilerplate import _term_pairs

    row = {"level2": "质量指标", "description": "网络畅通率"}
    net_a = full_project("大组工网分级保护系统维护工作经费", "日常维护", 10, [ind("畅通率", "≥95%", 20, **row)])
    net_b = full_project("大组工网终端软硬件设备安可替代工程", "国产化替代", 30, [ind("畅通率", "≥95%", 40, **row)])
    app = full_project("党建APP服务器租赁费", "推广互联网+党建", 50, [ind("畅通率", "≥95%", 60, **row)])
    other = full_project("档案数字化费用", "档案数字化", 70, [ind("畅通率", "≥95%", 80, **row)])
    base = load_config()
    on = base.model_copy(
        update={"boilerplate": base.boilerplate.model_copy(update={"count_subjects": True, "same_subject_term": 4})}
    )
    off = base.model_copy(
        update={"boilerplate": base.boilerplate.model_copy(update={"count_subjects": False, "same_subject_term": 0})}
    )

    def bp(cfg, projects, line):  # type: ignore[no-untyped-def]
        r = score_document(projects, embedder=CharNgramEmbedder(), config=cfg)
        return next(c for c in r.candidates if c.code == "boilerplate" and c.line == line)

    assert bp(off, [net_a, net_b, app], 60).score == pytest.approx(2 / 3)
    assert bp(on, [net_a, net_b, app], 60).score == pytest.approx(1 / 2)
    assert bp(on, [net_a, net_b, app], 60).features["k_doc"] == 2.0  # the reason still counts projects
    assert bp(on, [net_a, app, other], 60).score == pytest.approx(2 / 3)  # three subjects: a template

    names = ["大组工网分级保护系统维护", "大组工网终端设备替代", "电子政务内网", "电子政务外网", "电子政务云"]
    # 电子政务 is in a third name: a kind of spending, not one subject
    assert _term_pairs(names, 4) == {(0, 1)}
    assert _term_pairs(names, 0) == set()
    # the funding document a name cites is not a subject
    funded = ["冀财行【2020】159号-关于提前下达2021年老党员生活补贴预算",
              "提前下达2021年省级示范妇女之家建设经费冀财行【2020】165号", "档案数字化"]
    assert _term_pairs(funded, 4) == set()


def _with(section: str, **update: object):  # type: ignore[no-untyped-def]
    base = load_config()
    return base.model_copy(update={section: getattr(base, section).model_copy(update=update)})


def _candidate(projects, cfg, code: str, line: int):  # type: ignore[no-untyped-def]
    r = score_document(projects, embedder=CharNgramEmbedder(), config=cfg)
    return next(c for c in r.candidates if c.code == code and c.line == line)


def test_row_rewritten_for_its_own_project_is_not_a_template_either_way() -> None:
    """疫情防控宣传效果 (宣传: the printing project's own word) next to a plain 疫情防控效果 row:
    the rewritten row is an adaptation itself (guideline 4), not only the plain row's excuse;
    a bare row (no subject words) is not copied by a row that adds its own project's words."""
    from semx.score.boilerplate import _adapted

    row = {"level1": "效益指标", "level2": "社会效益指标"}
    plain = full_project("援南医疗队食宿费", "保障医疗队食宿", 100,
                         [ind("疫情防控成效", "有效做好防控", 110, description="疫情防控效果情况", **row)])
    printing = full_project("疫情期间印制宣传品费用", "营造浓厚宣传氛围，印制宣传品", 300,
                            [ind("疫情防控成效", "有效做好防控", 310, description="疫情防控宣传效果情况", **row)])
    sat = {"level1": "满意度指标", "level2": "服务对象满意度指标"}
    bare = full_project("视频会议室运维", "保障视频会议", 500,
                        [ind("服务对象满意度指标", "≥90%", 510, description="服务对象满意度", **sat)])
    told = full_project("青年创业工程", "帮扶青年创业", 700,
                        [ind("服务对象满意度", "≥90%", 710, description="青年对青年创业工作的满意程度", **sat)])
    item, own = _rows_and_own_words([plain, printing, bare, told])
    # seen from the printing row: the plain row does not adapt it, but it adapts the plain one
    assert not _adapted(item[310], item[110], own[110])
    assert _adapted(item[110], item[310], own[310])
    assert not _adapted(item[510], item[710], own[710])  # one way, a bare row never counts as adapted
    assert _adapted(item[510], item[710], own[710], bare=True)
    lone = _candidate([plain], load_config(), "boilerplate", 110)
    assert lone.score == 0.0 and lone.reason.endswith("不属模板化套用。")


def test_another_document_carrying_a_text_on_several_projects_weighs_as_a_template() -> None:
    from semx.score.scorer import DocInput, score_documents

    research = {"level2": "时效指标", "description": "按照要求和计划完成研究任务的项目在全部项目中的比例"}
    many = [full_project(n, g, s, [ind("完成率", "100%", s + 10, **research)])
            for n, g, s in (("电费", "保障机关用电", 100), ("档案数字化", "提高档案保管水平", 200))]
    single = [full_project("公车运行", "公车日常运行", 100, [ind("完成率", "100%", 110, **research)])]
    mine = [full_project("内网运维", "保障内网安全运行", 500, [ind("完成率", "100%", 510, **research)]),
            full_project("视频调度", "保障视频调度", 600, [ind("完成率", "100%", 610, **research)])]

    def score(other: list, **update: object) -> float:  # type: ignore[type-arg]
        cfg = _with("boilerplate", **update)
        res = score_documents([DocInput("a", other), DocInput("b", mine)], embedder=CharNgramEmbedder(), config=cfg)
        return next(c for c in res[1].candidates if c.code == "boilerplate" and c.line == 510).score

    assert score(many, corpus_weight=0.0, corpus_template_weight=1.0) == pytest.approx(2 / 3)  # 1 + 1
    assert score(single, corpus_weight=0.0, corpus_template_weight=1.0) == pytest.approx(1 / 2)  # 1 + 0
    assert score(many, corpus_weight=0.5, corpus_template_weight=None) == pytest.approx(1.5 / 2.5)


def test_shared_text_that_fits_most_carriers_is_not_a_template() -> None:
    """信访群众满意度 on the three petition tables: 信访 is each carrier's own word."""
    row = {"level1": "满意度指标", "level2": "服务对象满意度指标", "description": "信访群众满意度情况"}
    projects = [
        full_project(n, g, s, [ind("信访群众满意度", "≥80%", s + 10, **row)])
        for n, g, s in (("信访值班经费", "做好信访值班", 100), ("重大信访隐患协调经费", "化解信访隐患", 200),
                        ("群众工作中心业务经费", "接待来访群众，处理信访事项", 300))
    ]
    off = _candidate(projects, _with("boilerplate", fit_share=1.0, count_subjects=False), "boilerplate", 110)
    on = _candidate(projects, _with("boilerplate", fit_share=0.75, count_subjects=False), "boilerplate", 110)
    assert off.score == pytest.approx(2 / 3)
    assert on.score == 0.0 and "其主题词是多数共用项目自身的内容" in on.reason


def test_fit_rule_reads_a_carrier_s_own_rows_when_asked() -> None:
    """干部工作水平 on three cadre tables: the third never says 干部 in its name or goals, only in a
    row of its own (党员干部对教育片的满意度), which the mismatch context already counts; a row
    another project also carries is not the project's own word."""
    row = {"level1": "效益指标", "level2": "可持续影响指标", "description": "全县干部工作水平有所提升"}
    sat = {"level1": "满意度指标", "level2": "服务对象满意度指标"}
    projects = [
        full_project("干部培训经费", "大规模培训干部", 100, [ind("全县干部工作水平", "≥5%", 110, **row)]),
        full_project("考核工作经费", "提升领导干部工作水平", 200, [ind("全县干部工作水平", "≥5%", 210, **row)]),
        full_project("远程教育平台运行经费", "拍摄党员教育片", 300, [
            ind("全县干部工作水平", "≥5%", 310, **row),
            ind("教育片满意度", "≥90%", 320, description="党员干部对教育片的满意度", **sat),
        ]),
        full_project("电费", "保障机关用电", 400, [ind("用电保障率", "100%", 410)]),
    ]
    cfg = {"fit_share": 0.75, "count_subjects": False}
    off = _candidate(projects, _with("boilerplate", fit_own_indicators=False, **cfg), "boilerplate", 110)
    on = _candidate(projects, _with("boilerplate", fit_own_indicators=True, **cfg), "boilerplate", 110)
    # The shared-text score (the fit rule's subject); the row itself is content-free under the widened
    # definition (issue 18: 全县干部工作水平 says nothing of its project), which raises the flag anyway.
    assert off.features["shared_score"] == pytest.approx(2 / 3)  # 2 of 3 carriers say 干部: not "most"
    assert on.features["shared_score"] == 0.0
    assert on.features["content_free"] == 1.0 and on.score == 0.85
    # the same row carried by the electricity project too is nobody's own word
    copied = ind("教育片满意度", "≥90%", 420, description="党员干部对教育片的满意度", **sat)
    projects[3].indicators.append(copied)
    again = _candidate(projects, _with("boilerplate", fit_own_indicators=True, **cfg), "boilerplate", 110)
    assert again.features["shared_score"] == pytest.approx(2 / 3)


def test_mismatch_gate_uses_common_subject_words_when_there_is_no_specific_one() -> None:
    """活动参与者满意度: 活动 is too common in the document to be an anchor; it is still the only
    subject word, and a science-activity project has it while an office-affairs project does not."""
    tpl = {"level1": "满意度指标", "level2": "服务对象满意度指标", "description": "参与活动人员的满意度情况"}
    names = [("开展科普活动", "组织科普活动", 100), ("考察调研活动", "组织调研联谊活动", 200),
             ("宣传活动", "开展宣传活动", 300), ("文艺活动", "组织文艺活动", 400),
             ("活动阵地", "建设活动阵地", 500), ("综合事务管理", "做好公文处理和信息报送", 600)]
    projects = [full_project(n, g, s, [ind("活动参与者满意度", "≥90%", s + 10, **tpl)]) for n, g, s in names]
    on = _with("mismatch", protect_common_words=True)
    off = _with("mismatch", protect_common_words=False)
    assert _candidate(projects, off, "mismatch", 110).features["n_anchor"] == 0.0
    assert _candidate(projects, on, "mismatch", 110).features["anchor"] == 1.0
    assert _candidate(projects, on, "mismatch", 610).features["anchor"] == 0.0


@pytest.mark.parametrize(
    ("level1", "level2", "level3", "raw", "flagged"),
    [
        ("效益指标", "社会效益指标", "基层党组织建设工作完成率", "100%", True),  # an output rate as effect
        ("效益指标", "社会效益指标", "群众知晓率", "≥90%", False),
        ("产出指标", "时效指标", "按期办结率", "≥80%", False),  # 按期 is a time element
        ("产出指标", "时效指标", "办结率", "≥80%", True),
    ],
)
def test_misclassified_completion_rate_as_effect_and_time_words(
    level1: str, level2: str, level3: str, raw: str, flagged: bool
) -> None:
    p = full_project("群众工作中心业务经费", "处理群众来信来访", 10,
                     [ind(level3, raw, 20, level1=level1, level2=level2, kind="percent", op="≥" if "≥" in raw else "=",
                          number=raw.strip("≥%"), unit="%")])
    assert ("misclassified" in _flags(_score([p]), 20)) == flagged


def test_bare_category_name_and_degree_words_are_not_subject_words() -> None:
    from semx.score.boilerplate import subject_grams

    assert subject_grams("服务对象满意度指标") == set()
    assert subject_grams("全县干部工作水平有所提升") == {"干部"}  # 全县 is scope, 有所 degree
    assert subject_grams("参与活动人员的满意度情况") == {"活动"}


def test_whole_project_cost_ceiling_far_below_the_budget_contradicts_it() -> None:
    """预算成本 ≤20万 on a 193.15万 project: the ceiling is broken by the budget itself; a per-person
    cost of the same size is a different quantity."""

    def flagged(level3: str, number: str, unit: str, budget: str) -> bool:
        p = full_project("考核奖金", "发放年度考核奖金", 10, budget=budget)
        p.indicators[3] = ind(level3, f"≤{number}{unit}", 14, level2="成本指标", kind="money", op="≤",
                              number=number, unit=unit)
        return "cost_vs_budget" in _flags(_score([p]), 14)

    assert flagged("预算成本", "20", "万", "193.15")
    assert not flagged("预算成本", "190", "万", "193.15")
    assert not flagged("人员平均成本", "0.05", "万元", "193.15")  # per person
    assert not flagged("奖金发放标准", "0.5", "万元", "193.15")  # a rate, not the total


def test_near_duplicate_keys_match_the_all_pairs_definition() -> None:
    """The prefix-filtered search finds exactly the pairs an all-pairs comparison finds
    (cosine >= near_dup_cos AND bigram Dice >= near_dup_dice)."""
    import itertools

    import numpy as np

    from semx.score.boilerplate import _near_duplicate_keys
    from semx.score.text import bigrams, dice
    from semx.score.vectors import VectorTable

    keys = ["网络评估满意率培训学员通过网络评估系统对培训班满意率", "网络评估满意率培训学员对培训班满意率",
            "培训学员通过网络评估系统对培训满意率", "群众满意度群众满意度情况", "群众满意度情况",
            "服务对象满意度指标服务对象满意度", "系统验收合格率系统验收合格的模块占系统总模块的比率",
            "系统验收合格率验收合格的模块占总模块的比率", "办公设备维护数量当年办公设备维护的数量", "完成率", "率"]
    vecs = VectorTable(CharNgramEmbedder(), keys)
    kv = vecs.stack(keys)
    assert np.isfinite(kv).all()
    sizes = []
    for cos_min, dice_min in ((0.8, 0.5), (0.5, 0.3), (0.3, 0.6), (0.0, 0.0)):
        params = load_config().boilerplate.model_copy(update={"near_dup_cos": cos_min, "near_dup_dice": dice_min})
        expected = {
            (a, b)
            for a, b in itertools.permutations(keys, 2)
            if dice(bigrams(a), bigrams(b)) >= dice_min and float(kv[keys.index(a)] @ kv[keys.index(b)]) >= cos_min
        }
        found = {(a, b) for a, others in _near_duplicate_keys(keys, vecs, params).items() for b in others}
        assert found == expected, (cos_min, dice_min)
        sizes.append(len(expected))
    assert 0 < sizes[0] < sizes[-1]  # not vacuous, and the thresholds matter
