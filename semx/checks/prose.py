"""Check 4: the amounts stated in the 说明 against the tables, and against each other.

Each stated amount is compared with the one table cell that prints the same figure. The
stated parts of a stated total (收入 by source, 基本支出 + 项目支出, 人员经费 + 公用经费,
the "三公" items) must also add up, which is the only check a document without tables
gets. A stated figure that already disagrees with its table is remembered in the ledger,
so a stated sum that fails because of it is a consequence, not a second error.
"""

from __future__ import annotations

from semx.checks.amounts import TOLERANCE, ZERO, fmt, signed
from semx.checks.figures import Stated
from semx.checks.issues import Issue, Ledger
from semx.checks.prose_extract import ITEMISED, Fact, extract_facts, quote
from semx.checks.prose_figures import table_figure
from semx.checks.sums import check_equal, check_sum
from semx.checks.view import TableView

TABLE_CODE = "PROSE_TABLE"
SUM_CODE = "PROSE_SUM"
RUNNING_CODE = "PROSE_RUNNING_COSTS"
SCOPE_CODE = "PROSE_THREE_PUBLIC_SCOPE"
ITEMS_CODE = "PROSE_ITEMS_PARTIAL"

LABELS: dict[str, str] = {
    "income_total": "收入总额",
    "income_current": "本年收入合计",
    "income_general": "一般公共预算收入",
    "income_fund": "政府性基金预算收入",
    "income_capital": "国有资本经营预算收入",
    "income_special": "财政专户核拨收入",
    "income_business": "事业收入",
    "income_operating": "经营收入",
    "income_superior": "上级补助收入",
    "income_affiliated": "附属单位上缴收入",
    "income_other": "其他收入",
    "income_carryover": "上年结转",
    "expend_total": "支出总额",
    "grand_total": "收入支出总计",
    "budget_total": "预算收支总额",
    "basic": "基本支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "project": "项目支出",
    "running_total": "机关运行经费",
    "tp_total": "“三公”经费合计",
    "tp_abroad": "因公出国（境）费",
    "tp_car_total": "公务用车购置及运行维护费",
    "tp_car_purchase": "公务用车购置费",
    "tp_car_running": "公务用车运行维护费",
    "tp_reception": "公务接待费",
    "tp_meeting": "会议费",
    "tp_training": "培训费",
    "procurement_total": "政府采购预算",
    "assets_total": "上年末固定资产",
}

_INCOME_PARTS = ("income_general", "income_fund", "income_capital", "income_special", "income_business",
                 "income_operating", "income_superior", "income_affiliated", "income_other", "income_carryover")


def label_of(key: str) -> str:
    return LABELS.get(key, key.removeprefix("econ:"))


# ---------------------------------------------------------------- checks


def _stated(fact: Fact) -> Stated:
    return Stated(fact, label_of(fact.key))


def check_against_tables(facts: list[Fact], views: list[TableView], ledger: Ledger) -> list[Issue]:
    issues: list[Issue] = []
    for fact in facts:
        figure = table_figure(fact.key, views)
        if figure is None or figure.value is None:
            continue
        stated = _stated(fact)
        # the stated figure is taken as the odd one out, so sums over it are consequences
        issue = check_equal(ledger, code=TABLE_CODE, left=stated, right=figure,
                            key=f"{fact.section}:{fact.line}:{fact.key}", blame=stated)
        if issue:
            issues.append(issue)
    return issues


def _first(facts: list[Fact], key: str) -> Fact | None:
    return next((f for f in facts if f.key == key), None)


def _stated_sum(ledger: Ledger, facts: list[Fact], total_key: str, part_keys: tuple[str, ...],
                *, min_parts: int = 2) -> Issue | None:
    total = _first(facts, total_key)
    parts = [f for f in (_first(facts, k) for k in part_keys) if f is not None]
    if total is None or len(parts) < min_parts:
        return None
    if len(parts) == 1 and parts[0].amount <= total.amount + TOLERANCE:
        return None  # "其中：X" alone may name only part of the total
    names = "、".join(label_of(p.key) for p in parts)
    issue = check_sum(
        ledger, code=SUM_CODE, total=_stated(total), parts=[_stated(p) for p in parts],
        parts_text=f"所列{names}", key=f"{total.section}:{total.line}:{total_key}",
        template="{where} {actual} 万元，{parts}之和为 {expected} 万元，相差 {diff} 万元",
    )
    if issue:
        issue.lines += [p.line for p in parts]
        issue.evidence = quote([total, *parts])
    return issue


def check_stated_sums(facts: list[Fact], ledger: Ledger) -> list[Issue]:
    out: list[Issue | None] = [
        _stated_sum(ledger, facts, "income_total", _INCOME_PARTS, min_parts=1),
        _stated_sum(ledger, facts, "basic", ("personnel", "public")),
        _stated_sum(ledger, facts, "expend_total", ("basic", "project")),
        _stated_sum(ledger, facts, "budget_total", ("basic", "project")) if not _first(facts, "expend_total") else None,
        _stated_sum(ledger, facts, "tp_car_total", ("tp_car_purchase", "tp_car_running")),
        _stated_sum(ledger, facts, "running_total", tuple(f.key for f in facts if f.key.startswith("econ:"))),
    ]
    for a, b in (("income_total", "expend_total"), ("budget_total", "expend_total"), ("budget_total", "income_total")):
        fa, fb = _first(facts, a), _first(facts, b)
        if fa is not None and fb is not None:
            out.append(check_equal(ledger, code=SUM_CODE, left=_stated(fa), right=_stated(fb),
                                   key=f"{fa.section}:{fa.line}:{a}~{b}"))
            break
    out.extend(_three_public_total(facts, ledger))
    out.extend(_itemised(facts, ledger))
    return [i for i in out if i is not None]


def _itemised(facts: list[Fact], ledger: Ledger) -> list[Issue]:
    """The listed items of a figure (项目支出 …，主要为 …) cannot add up to more than it.

    Less is only a notice: such lists often name the main items only (主要为).
    """
    issues: list[Issue] = []
    for anchor in ITEMISED:
        total = _first(facts, anchor)
        items = [f for f in facts if f.key == f"item:{anchor}" and total is not None and f.text == total.text]
        if total is None or len(items) < 2:
            continue
        listed = sum((f.amount for f in items), ZERO)
        if abs(listed - total.amount) <= TOLERANCE:
            continue
        over = listed > total.amount
        issue = check_sum(
            ledger, code=SUM_CODE if over else ITEMS_CODE, total=_stated(total), parts=[_stated(f) for f in items],
            parts_text=f"其后列出的 {len(items)} 项", key=f"{total.section}:{total.line}:{anchor}:items",
            severity="error" if over else "info",
            template="{where} {actual} 万元，{parts}之和为 {expected} 万元，相差 {diff} 万元"
            + ("" if over else "（所列可能只是主要项目）"),
        )
        if issue:
            issue.lines += [f.line for f in items]
            issue.evidence = quote([total, *items])
            issues.append(issue)
    return issues


def _three_public_total(facts: list[Fact], ledger: Ledger) -> list[Issue]:
    """"三公" = 因公出国 + 公务用车 + 公务接待; a total that also counts 会议费/培训费 is a scope problem."""
    total = _first(facts, "tp_total")
    car = _first(facts, "tp_car_total")
    if car is None:
        car_parts = [f for f in (_first(facts, "tp_car_purchase"), _first(facts, "tp_car_running")) if f]
    else:
        car_parts = [car]
    three = [f for f in (_first(facts, "tp_abroad"), *car_parts, _first(facts, "tp_reception")) if f is not None]
    extras = [f for f in (_first(facts, "tp_meeting"), _first(facts, "tp_training")) if f is not None]
    if total is None or len(three) < 2:
        return []
    three_sum = sum((f.amount for f in three), ZERO)
    kinds = sum(f is not None for f in (_first(facts, "tp_abroad"), car_parts[0] if car_parts else None,
                                        _first(facts, "tp_reception")))
    if kinds < 3 and three_sum <= total.amount + TOLERANCE:
        return []  # a kind the sentence does not name (or names in words semx misses) may hold the rest
    with_extras = three_sum + sum((f.amount for f in extras), ZERO)
    if extras and abs(total.amount - three_sum) > TOLERANCE >= abs(total.amount - with_extras):
        names = "、".join(label_of(f.key) for f in extras)
        return [Issue(
            code=SCOPE_CODE, severity="warning",
            message=(f"说明第{total.line}行所述“三公”经费 {fmt(total.amount)} 万元包含了{names}"
                     f"（{fmt(with_extras - three_sum)} 万元）；按定义“三公”经费仅为因公出国（境）费、"
                     f"公务用车购置及运行维护费和公务接待费，合计 {fmt(three_sum)} 万元"),
            key=f"three_public:{total.line}", lines=[total.line, *(f.line for f in three + extras)],
            expected=three_sum, actual=total.amount, evidence=quote([total]),
        )]
    issue = _stated_sum(ledger, facts, "tp_total", tuple(f.key for f in three), min_parts=2)
    return [issue] if issue else []


def check_running_costs(facts: list[Fact], views: list[TableView]) -> list[Issue]:
    """机关运行经费 is paid from 公用经费, so it cannot exceed it (nor be the whole 基本支出)."""
    running = _first(facts, "running_total")
    if running is None:
        return []
    public_fig = table_figure("public", views)
    public = public_fig.value if public_fig is not None else None
    source = public_fig.where if public_fig is not None else None
    if public is None and (f := _first(facts, "public")) is not None:
        public, source = f.amount, f"说明第{f.line}行所述公用经费"
    if public is not None:
        if running.amount - public <= TOLERANCE:
            return []
        message = (f"说明第{running.line}行所述机关运行经费 {fmt(running.amount)} 万元超过了{source} "
                   f"{fmt(public)} 万元（{signed(running.amount - public)} 万元）；机关运行经费应由公用经费安排，"
                   f"不含人员经费")
        return [Issue(code=RUNNING_CODE, severity="warning", message=message, key=f"running_costs:{running.line}",
                      tables=[public_fig.table] if public_fig is not None and public_fig.table else [],
                      lines=[running.line] + ([public_fig.line] if public_fig is not None else []),
                      expected=public, actual=running.amount, evidence=running.sentence)]
    basic = _first(facts, "basic")
    personnel = _first(facts, "personnel")
    if basic is not None and abs(basic.amount - running.amount) <= TOLERANCE and (personnel is None or personnel.amount > 0):
        message = (f"说明第{running.line}行所述机关运行经费 {fmt(running.amount)} 万元等于第{basic.line}行的基本支出总额，"
                   f"即包含了人员经费；机关运行经费应仅为公用经费中保障机关运行的部分")
        return [Issue(code=RUNNING_CODE, severity="warning", message=message, key=f"running_costs:{running.line}",
                      lines=[running.line, basic.line], actual=running.amount, evidence=running.sentence)]
    return []


def check_prose(doc_facts: list[Fact], views: list[TableView], ledger: Ledger) -> list[Issue]:
    issues = check_against_tables(doc_facts, views, ledger)
    issues += check_stated_sums(doc_facts, ledger)
    issues += check_running_costs(doc_facts, views)
    return issues


__all__ = ["check_prose", "extract_facts", "label_of"]
