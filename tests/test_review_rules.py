"""Issue 18 rules: the flag registry, the widened unmeasurable and boilerplate definitions, and
the new review rules (inputs as outputs, trivially met, goal coverage, annual goal, cross-year)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from score_helpers import CORPUS, full_project, ind, project

from semx.embed.encoder import CharNgramEmbedder
from semx.score import score_document
from semx.score.config import load_config
from semx.score.detectors import INDICATOR_DETECTORS, PROJECT_DETECTORS, missing_detectors
from semx.score.scorer import DocInput, score_documents
from semx.vocab.flags import FLAG_LABELS, FLAGS, GOLD_CODES, flag_label, spec


def _score(projects, **kw):  # type: ignore[no-untyped-def]
    return score_document(projects, embedder=CharNgramEmbedder(), config=load_config(), **kw)


def _flags(result, line: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    for p in result.projects:
        for i in p.indicators:
            if i.line == line:
                return {f.code: f.reason for f in i.flags}
    raise KeyError(line)


def _pflags(result, name: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    p = next(p for p in result.projects if p.name == name)
    return {f.code: f.reason for f in p.flags}


# ------------------------------------------------------------------ registry


def test_registry_detectors_resolve_and_labels_are_unique() -> None:
    assert missing_detectors("indicator") == [] and missing_detectors("project") == []
    assert len(set(FLAG_LABELS.values())) == len(FLAGS)
    assert set(GOLD_CODES) >= {"boilerplate", "mismatch", "misclassified", "unmeasurable"}
    # every detector function is used by some registry entry (no dead rule)
    used = {f.detector for f in FLAGS}
    assert set(INDICATOR_DETECTORS) <= used and set(PROJECT_DETECTORS) <= used
    assert flag_label("unmeasurable") == "不可衡量" and flag_label("sum_mismatch") == "sum_mismatch"
    with pytest.raises(KeyError, match="add it to semx/vocab/flags.py"):
        spec("no_such_flag")


def test_every_raised_code_is_in_the_registry() -> None:
    a = full_project("档案数字化", "提高档案保管水平", 10, [ind("资金到位率", "100%", 30)])
    r = _score([a])
    codes = {f.code for p in r.projects for i in p.indicators for f in i.flags} | {
        f.code for p in r.projects for f in p.flags
    }
    assert codes and all(c in FLAG_LABELS for c in codes)
    assert {c.code for c in r.candidates} <= {f.code for f in FLAGS if f.level == "indicator"}


# ------------------------------------------------------------------ widened unmeasurable


@pytest.mark.parametrize(
    ("name", "desc", "raw", "level1", "missing"),
    [
        ("全县干部工作水平", "全县干部工作水平提升率", "≥5%", "效益指标", "基线"),
        ("专家人才工作积极性", "专家人才在我县工作积极性提升率", "≥5%", "效益指标", "基线"),
        ("长期使用的概率", "设备长期使用的概率", "100%", "效益指标", "计量方法"),
        ("持续增强政府工作的透明度和公信力", "保障公众知情权", "≥95%", "效益指标", "计量方法"),
        ("保障工作情况", "保障工作情况占总业务的比例", "100%", "效益指标", "分母"),
        ("村党建水平可持续影响", "持续发挥作用时间", "≥10年", "效益指标", "计量方法"),
    ],
)
def test_number_without_a_defined_measure_is_unmeasurable(
    name: str, desc: str, raw: str, level1: str, missing: str
) -> None:
    a = full_project("党建工作", "提升基层党建工作", 10, [ind(name, raw, 30, level1=level1, level2="社会效益指标",
                                                           description=desc)])
    reason = _flags(_score([a]), 30).get("unmeasurable", "")
    assert missing in reason, reason


@pytest.mark.parametrize(
    ("name", "desc", "raw"),
    [
        ("服务对象满意度", "问卷调查的服务对象满意度", "≥90%"),
        ("年度培训计划完成率", "完成年度培训计划的比例", "100%"),
        ("设备验收合格率", "验收合格设备占采购设备的比例", "100%"),
        ("村卫生室覆盖率", "有卫生室的行政村占全县行政村的比例", "≥95%"),
        ("终端故障概率", "远程教育终端站点运行出现故障概率", "≤5%"),
        ("培训人数占比", "参训人数占应训人数的比例", "≥90%"),
    ],
)
def test_defined_rates_stay_measurable(name: str, desc: str, raw: str) -> None:
    a = full_project("党员培训", "提升党员培训质量", 10, [ind(name, raw, 30, level1="效益指标", level2="社会效益指标",
                                                          description=desc)])
    assert "unmeasurable" not in _flags(_score([a]), 30)


# ------------------------------------------------------------------ widened boilerplate


@pytest.mark.parametrize(
    ("name", "desc", "raw", "level2"),
    [
        ("预算成本", "预算成本", "≤50万", "成本指标"),
        ("经费", "专项经费", "≤39万", "成本指标"),
        ("完成时间", "完成时间", "≤12月", "时效指标"),
        ("开展各项工作", "工作进度", "≤12月", "时效指标"),
        ("项目预算控制数", "项目预算控制数", "≤30万元", "成本指标"),
    ],
)
def test_content_free_row_is_boilerplate_even_once(name: str, desc: str, raw: str, level2: str) -> None:
    a = full_project("档案数字化", "提高档案保管水平", 10, [ind(name, raw, 30, level2=level2, description=desc)])
    reason = _flags(_score([a]), 30).get("boilerplate", "")
    assert "项目内容" in reason, reason


def test_generic_row_with_a_defining_description_is_not_content_free() -> None:
    row = ind("资金拨付及时率", "100%", 30, level2="时效指标", description="按照规定时间节点及时完成资金拨付的比率")
    a = full_project("档案数字化", "提高档案保管水平", 10, [row])
    assert "boilerplate" not in _flags(_score([a]), 30)


# ------------------------------------------------------------------ new rules


def test_input_as_output() -> None:
    rows = [
        ind("资金到位率", "100%", 30, level2="质量指标"),
        ind("预算执行率", "≥95%", 31, level1="效益指标", level2="经济效益指标"),
        ind("资金支付进度", "100%", 32, level2="时效指标"),
        ind("档案数字化完成率", "100%", 33, level2="质量指标"),
        ind("预算执行率", "≤30万元", 34, level2="成本指标"),  # a cost row: its category already says money
        ind("计划运行维护费", "≥8万元", 35, level2="数量指标"),
        ind("补贴发放人数", "≥120 人", 36, level2="数量指标"),  # the payment counted by people is the service
    ]
    r = _score([full_project("档案数字化", "提高档案保管水平", 10, rows)])
    for line in (30, 31, 32, 35):
        assert "投入" in _flags(r, line).get("input_as_output", ""), line
    for line in (33, 34, 36):
        assert "input_as_output" not in _flags(r, line), line


def test_plan_completion_as_the_only_output_is_trivially_met() -> None:
    rows = [
        ind("完成率", "100%", 11, level2="数量指标", description="按计划完成"),
        ind("项目成本", "≤5万元", 12, level2="成本指标"),
        ind("档案查阅便利程度", "提高", 13, level1="效益指标", level2="社会效益指标"),
        ind("查档群众满意度", "≥90%", 14, level1="满意度指标", level2="服务对象满意度指标"),
    ]
    trivial = project("档案馆事业费", "提高档案保管水平", rows)
    normal = full_project("档案数字化", "提高档案保管水平", 20)
    r = _score([trivial, normal])
    assert "唯一的产出" in _flags(r, 11).get("trivial_target", "")
    assert not any("trivial_target" in _flags(r, line) for line in (12, 13, 14, *range(21, 27)))


def test_completion_of_the_planned_tasks_is_trivial_when_the_other_outputs_belong_elsewhere() -> None:
    from semx.score.items import build_doc
    from semx.score.review_rules import is_plan_completion, trivial_target

    rows = [
        ind("任务完成率", "100%", 11, level2="数量指标", description="保障网络安全运行等相关任务的完成程度"),
        ind("办公自动化覆盖业务种类", "≥5 类", 12, level2="数量指标"),  # a template of another subject
        ind("网络租赁费", "3.5万元", 13, level2="成本指标"),
        ind("用户满意度", "≥90%", 14, level1="满意度指标", level2="服务对象满意度指标"),
        # a completion rate of named, countable items says what is delivered: not trivial
        ind("培训班次完成率", "≥90%", 15, level2="数量指标", description="拟安排培训班次的完成率"),
    ]
    pv = build_doc(0, "d", [project("网络租赁费", "保障网络畅通", rows)]).projects[0]
    first, template, named = pv.items[0], pv.items[1], pv.items[4]
    assert is_plan_completion(first) and not is_plan_completion(named)
    # the template names a count, so it looks like a deliverable, until it is known to be about another
    # subject; the named 培训班次 row is itself a deliverable, so it is dropped here
    pv.items.remove(named)
    assert trivial_target(first, pv).score == 0.0  # type: ignore[union-attr]
    got = trivial_target(first, pv, about_other=frozenset({template.index}))
    assert got is not None and got.score > 0 and "套用其他项目的模板" in got.reason


def test_what_counts_as_a_completion_rate_of_the_plan() -> None:
    """eval/README trivial_target: a completion rate of the planned work (任务完成率, 工作完成率, the
    service the money pays for) is one; a completion rate of countable named items, a count, money
    and a deadline of a named product are not."""
    from semx.score.items import build_doc
    from semx.score.review_rules import is_plan_completion

    rows = [
        # the service bought, completed: administrative words only, a rate
        ind("服务完成率", "≥100", 11, level2="质量指标", description="设备实际完成服务率"),
        # 培训班次 are countable named items, though the description names the 计划
        ind("拟安排培训班次的完成率", "≥90%", 12, description="按照拟定培训计划,拟举办培训班次完成率"),
        # a count of inspections and a money row are not completion rates
        ind("对工作完成情况的督查次数", "≥10 次", 13, description="对各项工作的完成情况进行督查督办的次数"),
        ind("完成工作需要资金", "≤13万元", 14, level2="成本指标", description="完成工作需要资金"),
        # a deadline printed under a rate's name, naming its product
        ind("项目按时完成率", "≤12 月份", 15, level2="时效指标", description="项目按照时间节点按时完成年鉴印制"),
        # a completion rate whose description counts named things
        ind("完成率", "≥2", 16, level2="时效指标", description="走访企业家数量"),
        ind("任务完成率", "100%", 17, description="按计划完成各项任务"),
    ]
    items = build_doc(0, "d", [project("音视频调度系统服务费", "保障系统运行", rows)]).projects[0].items
    got = {it.ind.line: is_plan_completion(it) for it in items}
    assert got == {11: True, 12: False, 13: False, 14: False, 15: False, 16: False, 17: True}


def test_a_service_completion_rate_beside_a_template_is_trivially_met() -> None:
    """The only output rows: the service's completion rate and a template of another subject."""
    from semx.score.items import build_doc
    from semx.score.review_rules import trivial_target

    rows = [
        ind("服务完成率", "≥100", 11, level2="质量指标", description="设备实际完成服务率"),
        ind("视频调度完成率", "≥100", 12, level2="时效指标",
            description="按照要求和计划完成研究任务的项目在所有立项项目中的比例"),
        ind("系统服务费", "5万元", 13, level2="成本指标"),
    ]
    pv = build_doc(0, "d", [project("音视频调度系统服务费", "每年服务费5万元", rows)]).projects[0]
    first, template = pv.items[0], pv.items[1]
    for it in (first, template):
        got = trivial_target(it, pv, about_other=frozenset({template.index}))
        assert got is not None and got.score > 0 and "唯一的产出" in got.reason, it.ind.level3


def test_goal_coverage_both_ways() -> None:
    rows = [
        ind("档案数字化页数", "≥10000 页", 11, level2="数量指标"),
        ind("数字化档案验收合格率", "100%", 12, level2="质量指标"),
        ind("办公自动化覆盖业务种类", "≥5 类", 13, level2="数量指标"),
        ind("项目成本", "≤5万元", 14, level2="成本指标"),
        ind("查档群众满意度", "≥90%", 15, level1="满意度指标", level2="服务对象满意度指标"),
    ]
    p = project("档案数字化费用", "", rows)
    p = p.model_copy(update={"goals": ["完成馆藏档案数字化", "开展红色档案展览"], "goal_text": None})
    r = _score([p])
    flags = _pflags(r, "档案数字化费用")
    assert "目标2“开展红色档案展览”" in flags.get("goal_without_indicator", ""), flags
    assert "目标1“" not in flags["goal_without_indicator"]
    # the row verdicts, raised or not (whether 0.5 is raised depends on the calibrated threshold:
    # a row with no shared word and no relevance detector agreeing is the weakest finding)
    cand = {c.line: c for c in r.candidates if c.code == "unlinked_indicator"}
    assert "不衡量任何一项绩效目标" in cand[13].reason and cand[13].score >= 0.5
    assert (11 not in cand or cand[11].score == 0.0) and 14 not in cand  # a cost row is the project's own money


def test_a_row_about_another_subject_is_unlinked_whatever_words_it_shares() -> None:
    from semx.score.items import build_doc
    from semx.score.review_rules import unlinked_indicator

    rows = [ind("网络评估系统培训满意率", "100%", 11, level1="满意度指标", level2="服务对象满意度指标",
                description="培训学员通过网络评估系统对培训班满意率"),
            ind("机关运转费用", "≤4.5万元", 12, level2="成本指标", description="机关正常运转所产生的费用")]
    pv = build_doc(0, "d", [project("公务内网网络租赁费", "故障及时修复，网络畅通，系统运行稳定", rows)]).projects[0]
    sat, cost = pv.items
    # shares 网络 and 系统 with the goal: linked by words alone
    assert unlinked_indicator(sat, pv).score == 0.0  # type: ignore[union-attr]
    # judged about another subject (mismatch raised): unlinked
    got = unlinked_indicator(sat, pv, other_subject=True)
    assert got is not None and got.score >= 0.9 and "与本项目的支出无关" in got.reason
    # the project's own cost row is linked; a cost about another subject is not its own
    assert unlinked_indicator(cost, pv) is None
    assert unlinked_indicator(cost, pv, other_subject=True) is not None


def test_an_unnumbered_goal_is_one_goal_and_a_header_line_is_none() -> None:
    from semx.score.items import build_doc
    from semx.score.review_rules import goal_without_indicator, numbered_goals

    def flag(goal: str, rows, other: frozenset[int] = frozenset()):  # type: ignore[no-untyped-def]
        pv = build_doc(0, "d", [project("光纤租赁费", goal, rows)]).projects[0]
        return goal_without_indicator(pv, about_other=other), pv

    own = [ind("光纤线路故障修复时长", "≤24 小时", 11, level2="时效指标"),
           ind("光纤租赁费用", "3.5万元", 12, level2="成本指标")]
    # the single aim shares a subject word (线路) with an own row: measured
    assert flag("保障电视电话会议的线路畅通", own)[0] == []
    # an aim no row speaks of: one goal of one, not measured (an unnumbered text is one goal)
    got, _ = flag("优化我县产业结构、扶持优质企业", own)
    assert got and got[0].reason.startswith("1/1项绩效目标没有指标衡量（绩效目标“优化我县产业结构")
    assert "请复核" in got[0].reason  # the reason says the finding rests on wording
    # with two goals, the reason also says which rows the measured goal was matched with
    got, _ = flag("1. 保障光纤线路畅通。2. 优化我县产业结构、扶持优质企业。", own)
    assert got and got[0].reason.startswith("1/2项绩效目标没有指标衡量（目标2“优化我县产业结构")
    assert "已对应：目标1←第11行" in got[0].reason
    # a row about another subject measures nothing, even with the goal's words
    tmpl = [ind("线路租赁培训满意率", "100%", 11, level1="满意度指标", level2="服务对象满意度指标"),
            ind("光纤租赁费用", "3.5万元", 12, level2="成本指标")]
    assert flag("保障线路畅通", tmpl, frozenset({0}))[0]
    # the cost row alone measures the single aim only when it names the aim's deliverable
    assert flag("保障线路畅通", tmpl[1:])[0]
    # "3. 三级指标" under the goals is a piece of the table's header, not a third goal
    pv = build_doc(0, "d", [project("补贴", "", own).model_copy(
        update={"goals": ["1. 发放老党员生活补贴", "2. 让老党员感受组织温暖", "3. 三级指标"], "goal_text": None})]).projects[0]
    assert numbered_goals(pv) == ["1. 发放老党员生活补贴", "2. 让老党员感受组织温暖"]


def _goal_flag(name: str, goals: list[str], rows):  # type: ignore[no-untyped-def]
    from semx.score.items import build_doc
    from semx.score.review_rules import goal_without_indicator

    p = project(name, "", rows).model_copy(update={"goals": goals, "goal_text": None})
    return goal_without_indicator(build_doc(0, "d", [p]).projects[0])


def test_a_row_measures_the_goal_it_speaks_of_most() -> None:
    # 督查组 is said in both goals: the feedback row is about goal 1 (督查建议, 反馈), and nothing
    # names goal 2's own commitment (文件管理, 归档, 后勤保障), so goal 2 is not measured
    rows = [ind("督查事项数量", "≥10件", 11, description="上级交办的督查数量"),
            ind("建议反馈率", "≥95%", 12, level2="质量指标", description="将督查组督查建议反馈至相关单位的比率"),
            ind("开展督查工作总成本", "≤6万元", 13, level2="成本指标")]
    got = _goal_flag("大督查工作", ["完成督查组交办的督查事项，向有关部门反馈督查建议。",
                                "负责督查组的督办文件管理、文件归档和后勤保障服务。"], rows)
    assert got and "目标2“负责督查组" in got[0].reason and "目标1“" not in got[0].reason
    # one shared word is enough when the row can only be about that goal (后勤 of goal 2 alone)
    rows = [ind("疫情防控成效", "有效做好防控", 11, level1="效益指标", level2="社会效益指标"),
            ind("后勤工作保障时长", "24小时", 12, level2="时效指标")]
    assert _goal_flag("迎宾馆防疫资金", ["完成联合指挥部的疫情防控工作", "完成市领导指导组的后勤保障工作"],
                      rows) == []


def test_a_cost_of_the_project_as_a_whole_measures_no_goal() -> None:
    rows = [ind("定量考核完成率", "100%", 11, description="按照考核办法进行领导干部考核的完成率"),
            ind("开展干部日常管理工作的总成本", "≤25万元", 12, level2="成本指标", description="是否在预算范围内")]
    got = _goal_flag("干部日常管理", ["完成领导干部考核工作。", "加强干部档案管理工作，开展干部人事档案信息化工作。"],
                     rows)
    assert got and "目标2“加强干部档案管理" in got[0].reason and "目标1“" not in got[0].reason
    # the cost row is read against all goals like any row: the cost of the video-conference system's
    # upkeep (the project) speaks of goal 1, not of the 网信系统 of goal 2, whatever word it shares
    vc = [ind("会议室利用次数", "≥5次", 21, description="召开会议次数"),
          ind("项目预算控制", "≤2.5万元", 22, level2="成本指标", description="视频会议系统运维预算内完成")]
    got = _goal_flag("视频会议室的运维管理", ["加强视频会议室的运维管理，确保视频会议室正常运转。",
                                          "实现网信体系作战指挥视频化应用，提高网信系统应急指挥能力。"], vc)
    assert got and "目标2“实现网信体系" in got[0].reason
    # a cost naming the goal's deliverable does measure it
    rows.append(ind("档案信息化成本", "≤5万元", 13, level2="成本指标"))
    assert _goal_flag("干部日常管理", ["完成领导干部考核工作。", "加强干部档案管理工作，开展干部人事档案信息化工作。"],
                      rows) == []


def test_our_city_is_where_not_what() -> None:
    from semx.score.boilerplate import subject_grams

    # 我市 / 我县 are the department's own place, like 全市: a row sharing only them measures no goal
    assert "我市" not in subject_grams("维护我市机要密码安全稳定运行") and "我县" not in subject_grams("我县档案")
    rows = [ind("远程接入部门个数", "12个", 11, description="电子政务内网远程接入部门个数"),
            ind("长期运行稳定性", "无差错", 12, level1="效益指标", level2="可持续影响指标",
                description="维护我市机要密码安全稳定运行无差错")]
    got = _goal_flag("远程接入部门密码机", ["完成测评中心对我市汇集点和安可终端的保密测评。",
                                      "推进电子政务内网向市直部门和乡镇逐步接入。"], rows)
    assert got and "目标1“完成测评中心" in got[0].reason


def test_a_goal_committing_to_a_standard_is_measured_by_its_rate() -> None:
    rows = [ind("补助个人数量", "51人", 11, description="发放老放映员生活补助的人数"),
            ind("老放映员满意度", "≥90%", 12, level1="满意度指标", level2="服务对象满意度指标")]
    goals = ["完成老放映员生活补助资金发放工作。", "惠民政策成效显著，人民群众满意度不断提升。"]
    assert _goal_flag("老放映员生活补助", goals, rows) == []
    got = _goal_flag("老放映员生活补助", goals, rows[:1])
    assert got and "目标2“惠民政策成效显著" in got[0].reason
    # a goal committing to a standard ("面积达标") is measured by the rate of that standard, though the
    # row speaks more of the other goal
    rows = [ind("改造提升场所数量", "≥10个", 11, description="改造提升村级活动场所数量"),
            ind("达标率", "≥90%", 12, level2="质量指标", description="村级活动场所改造后达标率")]
    goals = ["推进村级活动场所规范化建设，对符合条件的场所进行改造提升。", "丰富场所服务功能，做到面积达标、标牌统一。"]
    assert _goal_flag("村级活动场所补助资金", goals, rows) == []
    assert _goal_flag("村级活动场所补助资金", goals, rows[:1])


def test_annual_goal_copied_from_total_goal_in_a_multi_year_project() -> None:
    goal = "建成全区档案数字化管理平台，实现馆藏档案全部数字化"
    copied = full_project("档案平台建设", goal, 10).model_copy(update={"total_goal": goal + "。", "period": "2024-2026"})
    own = full_project("档案平台二期", goal, 30).model_copy(
        update={"total_goal": goal, "goal_text": "完成一期档案扫描10万页", "goals": ["完成一期档案扫描10万页"],
                "period": "2024-2026"})
    one_year = full_project("档案平台运维", goal, 50).model_copy(update={"total_goal": goal, "period": "2025年"})
    r = _score([copied, own, one_year])
    assert "实施周期2024-2026" in _pflags(r, "档案平台建设").get("annual_copies_total", "")
    assert "annual_copies_total" not in _pflags(r, "档案平台二期")
    assert "annual_copies_total" not in _pflags(r, "档案平台运维")


# ------------------------------------------------------------------ cross-year copies


def _next_year(text: str, year: int) -> str:
    """The next year's document as units make it: every year +1 and every amount changed."""
    text = re.sub(r"20(1\d|2\d)", lambda m: str(int(m.group(0)) + 1), text)
    # amounts: table figures (two decimals) and money values of the indicators, scaled by 1.1
    text = re.sub(r"(?<![\d.])(\d+)\.(\d{2})(?!\d)", lambda m: f"{Decimal(m.group(0)) * Decimal('1.1'):.2f}", text)
    return re.sub(r"(?<![\d.])(\d+)(\s*)(万元|元)", lambda m: f"{int(m.group(1)) * 11 // 10}{m.group(2)}{m.group(3)}",
                  text)


def test_cross_year_copy_is_reported_with_both_sources(tmp_path: Path) -> None:
    from semx.pipeline import parse_file

    src = CORPUS / "000_0e92df39b5d37474.txt"
    first = parse_file(src)
    second_path = tmp_path / "next_year.txt"
    second_path.write_text(_next_year(src.read_text(encoding="utf-8"), first.year or 0), encoding="utf-8")
    second = parse_file(second_path)
    assert second.year == (first.year or 0) + 1
    def values(d):  # type: ignore[no-untyped-def]
        return [i.value.raw for p in d.projects for i in p.indicators]

    assert values(second) != values(first) and len(values(second)) == len(values(first))

    def doc(d, key: str, unit: str | None) -> DocInput:  # type: ignore[no-untyped-def]
        return DocInput(key=key, projects=d.projects, free_text=d.free_text_targets, unit=unit, year=d.year)

    unit = first.unit_name or "某单位"
    res = score_documents([doc(first, "first", unit), doc(second, "second", unit)], embedder=CharNgramEmbedder())
    later = [f for p in res[1].projects for f in p.flags if f.code == "cross_year_copy"]
    earlier = [f for p in res[0].projects for f in p.flags if f.code == "cross_year_copy"]
    assert len(later) >= len(first.projects) // 2 and not earlier
    assert "（second，第" in later[0].reason and "（first，第" in later[0].reason
    assert f"{first.year}年项目" in later[0].reason and f"{second.year}年项目" in later[0].reason
    # another unit's document of the next year is not a copy of this one
    other = score_documents([doc(first, "first", unit), doc(second, "second", "另一单位")],
                            embedder=CharNgramEmbedder())
    assert not [f for p in other[1].projects for f in p.flags if f.code == "cross_year_copy"]


def test_cross_year_copy_in_a_score_run(tmp_path: Path) -> None:
    """The batch passes each document's unit and year to the scorer: two years of one unit in
    one `semx score` run report the copy in the JSONL and the checklist."""
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from semx.cli import app

    src = CORPUS / "000_0e92df39b5d37474.txt"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2022.txt").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "2023.txt").write_text(_next_year(src.read_text(encoding="utf-8"), 2022), encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["score", str(folder), "--out", str(out), "--no-llm", "--no-embed"])
    assert r.exit_code == 0, r.output
    ws = load_workbook(out / "checklist.xlsx")["2023.txt"]
    row = next(r for r in ws.iter_rows(values_only=True) if r[1] and "cross_year_copy" in str(r[1]))
    assert row[2] == "未通过" and "2022年项目" in row[3] and "2023年项目" in row[3]
    ws22 = load_workbook(out / "checklist.xlsx")["2022.txt"]
    row22 = next(r for r in ws22.iter_rows(values_only=True) if r[1] and "cross_year_copy" in str(r[1]))
    # the earlier year is the source, not a copy: with no year before it in the batch there is nothing
    # it could have copied, so the rule cannot be judged on it
    assert row22[2] == "不适用" and "更早年度" in row22[3]


@pytest.mark.parametrize("raw", ["及时率", "合规", "满意度"])
def test_category_word_given_as_value_is_unmeasurable(raw: str) -> None:
    """Shanghai forms print the category as the value (指标值 "及时率"): nothing to check against."""
    a = full_project("档案数字化", "提高档案保管水平", 10, [ind("档案移交及时性", raw, 30, level2="时效指标")])
    assert "没有比较符和数值" in _flags(_score([a]), 30).get("unmeasurable", "")


def test_every_positive_verdict_has_a_reason() -> None:
    """A verdict with a score above zero can be raised by some threshold: it must say why."""
    from semx.pipeline import parse_file

    d = parse_file(CORPUS / "004_b9d592c3cd286804.txt")
    (r,) = score_documents([DocInput(key="004", projects=d.projects, free_text=d.free_text_targets)],
                           embedder=CharNgramEmbedder())
    assert all(c.reason for c in r.candidates if c.score > 0), [
        (c.code, c.line) for c in r.candidates if c.score > 0 and not c.reason][:5]
    assert all(f.reason for p in r.projects for f in p.flags)
