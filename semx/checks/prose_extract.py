"""Pull the stated amounts out of the 说明 deterministically.

Each amount (`1379.53万元`, `0元`, `为0`) is labelled by the words right before it in the
same clause: the label must end within a few filler characters (为, 共计安排, 2021年预算数为)
of the number, so `较上年增加 238.63 万元` is never read as a budget figure, and
`专项公用经费` never as 公用经费. Wrapped lines are joined first, because a label or a
number is often cut by a line break in these documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from semx.models import SourceDocument

WAN = Decimal(10000)


@dataclass(frozen=True)
class Fact:
    key: str
    amount: Decimal  # 万元
    line: int
    text: str  # the whole sentence the amount stands in (without spaces)
    clause: tuple[int, int]  # where the amount's clause is in text
    section: str
    order: int  # position in the section, for "the first statement of X"

    @property
    def sentence(self) -> str:
        """The sentence cut to a readable window around the amount's clause."""
        return quote([self])


def quote(facts: list[Fact]) -> str:
    """The sentence(s) the facts were stated in, cut to the clauses that hold them."""
    by_text: dict[str, list[Fact]] = {}
    for f in facts:
        by_text.setdefault(f.text, []).append(f)
    parts: list[str] = []
    for text, group in by_text.items():
        lo = max(0, min(f.clause[0] for f in group) - 40)
        hi = min(len(text), max(f.clause[1] for f in group) + 20)
        parts.append(("…" if lo > 0 else "") + text[lo:hi] + ("…" if hi < len(text) else ""))
    return " / ".join(parts)


# (key, label pattern). Patterns run on text without spaces or quotes and with ASCII brackets.
LABELS: dict[str, list[tuple[str, str]]] = {
    "overview": [
        # a 决算's 收入支出总计 counts the 结转和结余 as well: the 总计 row, never 基本 + 项目
        ("grand_total", r"收入支出(?:决算)?总计|收支(?:决算)?总计"),
        ("income_total", r"(?:预算|财政拨款预算|全部)收入(?:预算)?(?:总计|合计|总额)?|收入(?:预算)?(?:总计|总额)"),
        ("income_current", r"本年(?:预算)?收入(?:合计)?|收入合计"),
        ("income_general", r"一般公共预算(?:拨款|财政拨款)?收入?"),
        ("income_fund", r"(?:政府性)?基金预算(?:拨款|财政拨款)?收入"),
        ("income_capital", r"国有资本经营预算(?:拨款|财政拨款)?收入"),
        ("income_special", r"财政专户(?:核拨|管理资金)?收入"),
        ("income_business", r"(?<!经营)事业收入"),
        ("income_operating", r"(?:事业单位)?经营收入"),
        ("income_superior", r"上级补助收入"),
        ("income_affiliated", r"附属单位上缴收入"),
        ("income_other", r"其他(?:来源)?收入"),
        ("income_carryover", r"(?:上年|年初)结转(?:结余|资金)?"),
        ("expend_total", r"(?:部门|单位)?支出预算(?:总额|合计)?|预算支出(?:总额|合计)?|支出(?:总计|合计)"),
        ("budget_total", r"(?:预算)?收支(?:预算)?(?:总额|安排)|预算收支|(?:部门|单位)?预算经费"),
        ("basic", r"基本支出(?:预算)?(?:安排)?"),
        ("personnel", r"人员(?:类项目)?经费(?:支出)?"),
        ("public", r"(?<!专项)(?:日常|正常)?(?:运转类)?公用(?:项目)?经费(?:支出)?"),
        ("project", r"(?<!专项)项目支出(?:预算)?(?:安排)?"),
    ],
    "running_costs": [
        ("running_total", r"机关运行(?:经)?费"),
        ("econ:工资福利支出", r"工资福利(?:支出)?"),
        ("econ:商品和服务支出", r"商品和服务(?:支出)?"),
        ("econ:对个人和家庭的补助", r"对个人和家庭的?补助(?:支出)?"),
    ],
    "three_public": [
        ("tp_total", r"三公经费(?:财政拨款)?(?:预算)?(?:安排)?(?:数)?"),
        ("tp_abroad", r"因公出国(?:\(境\))?(?:经)?费(?:用)?"),
        ("tp_car_total", r"公务用车购置及运(?:行维护|行|维)(?:经)?费(?:用)?"),
        ("tp_car_purchase", r"(?:公务用车)?购置(?:经)?费(?:用)?"),
        ("tp_car_running", r"(?:公务用车)?(?:运行(?:维护)?|运维)(?:经)?费(?:用)?"),
        ("tp_reception", r"公务接待(?:经)?费(?:用)?"),
        ("tp_meeting", r"会议费"),
        ("tp_training", r"培训费"),
    ],
    "procurement": [
        ("procurement_total", r"政府采购(?:预算|资金|金额)(?:总额)?"),
    ],
    "assets": [
        ("assets_total", r"(?:上年末|年初)固定资产(?:金额|总额|原值|价值)?"),
    ],
}

# Figures a sentence may go on to itemise (项目支出 X 万元，主要为 A a 万元，B b 万元 …): the
# unlabelled amounts after them become "item:<key>" facts.
ITEMISED = frozenset({"project"})

# What may stand between a label and its number: 为, 共计安排, 2021年预算数为, 为人民币 …
_FILLER = re.compile(r"^(?:\d{4}年度?|为|是|共|共计|合计|计|安排|总计|总额|预算|预算数|数|达|人民币|:|约|支出决算|决算数?)*$")
# A clause about a change from last year states a difference, not a budget figure.
_CHANGE = re.compile(r"增加|减少|增长|下降|降低|提高|持平|增减|较|比上年|同比|相比|节约|压减|调增|调减")
# (?<!\d): a match never starts inside a digit run (one starting at the run's first digit covers
# it), which keeps a run of thousands of digits from being rescanned from each of them.
_AMOUNT = re.compile(r"(?<!\d)(\d+(?:\.\d+)?)(万元|元)|为(0)(?![\d.万元])")
_ASIDE = re.compile(r"\([^()]*\)")
_CLAUSE_END = set("，,、；;。！？!?\n")
_SENTENCE_STOP = set("。；;！？!?\n")
_SENTENCE_END = ("。", "；", ";", "：", ":", "！", "？")
_DROP = str.maketrans({"“": None, "”": None, '"': None, "‘": None, "’": None, "（": "(", "）": ")", "：": ":", "*": None})
_LIST_MARK = re.compile(r"^\s*[-•·]\s+")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d+[、.](?!\d)|\([一二三四五六七八九十\d]+\))")


def section_text(doc: SourceDocument, start: int, end: int) -> tuple[str, list[int]]:
    """Section text without spaces, wrapped lines joined; and the original line of each char."""
    chars: list[str] = []
    lines: list[int] = []
    for ln in doc.lines:
        if ln.no < start or ln.no > end:
            continue
        text = _LIST_MARK.sub("", ln.text).translate(_DROP)
        text = "".join(text.split())
        if not text:
            continue
        if chars and chars[-1] != "\n" and chars[-1] in _SENTENCE_END:
            chars.append("\n")
            lines.append(ln.no)
        chars.extend(text)
        lines.extend([ln.no] * len(text))
        if ln.no == start or (len(text) <= 20 and not _AMOUNT.search(text) and _HEADING.match(text)):
            # a title or a short numbered heading never continues into the next line
            chars.append("\n")
            lines.append(ln.no)
    return "".join(chars), lines


_RUNS: dict[frozenset[str], re.Pattern[str]] = {}


def _spans(text: str, ends: set[str]) -> list[tuple[int, int]]:
    """The maximal runs of text between end characters (a regex: a loop per character was slow
    on a multi-megabyte section)."""
    key = frozenset(ends)
    runs = _RUNS.get(key)
    if runs is None:
        runs = _RUNS[key] = re.compile("[^" + "".join(re.escape(c) for c in sorted(ends)) + "]+")
    return [(m.start(), m.end()) for m in runs.finditer(text)]


_ZONE_MAX = 2000


def _label(zone: str, patterns: list[tuple[str, str]]) -> str | None:
    """Key whose label ends closest to the number (longest label on a tie), if only filler follows it."""
    if len(zone) > _ZONE_MAX:
        # Only a label just before the number counts (filler words at most after it); every label
        # pattern was run over the whole zone, which took seconds per amount on a garbled megabyte line.
        zone = zone[-_ZONE_MAX:]
    zone = _ASIDE.sub("", zone)
    best: tuple[int, int, str] | None = None
    for key, pattern in patterns:
        for m in re.finditer(pattern, zone):
            rank = (m.end(), m.end() - m.start(), key)
            if best is None or rank[:2] > best[:2]:
                best = rank
    if best is None or not _FILLER.match(zone[best[0]:]):
        return None
    return best[2]


def extract_section(doc: SourceDocument, section_key: str) -> list[Fact]:
    patterns = LABELS.get(section_key)
    if not patterns:
        return []
    facts: list[Fact] = []
    for section in doc.sections:
        if section.key != section_key:
            continue
        text, line_of = section_text(doc, section.start_line, section.end_line)
        for s_start, s_end in _spans(text, _SENTENCE_STOP):
            anchor: str | None = None
            for c_start, c_end in _spans(text[s_start:s_end], _CLAUSE_END):
                c_start, c_end = c_start + s_start, c_end + s_start
                clause = text[c_start:c_end]
                zone_start = 0
                for m in _AMOUNT.finditer(clause):
                    zone = clause[zone_start:m.start()]
                    zone_start = m.end()
                    if _CHANGE.search(zone):
                        continue
                    key = _label(zone, patterns)
                    if key is None and anchor in ITEMISED:
                        key = f"item:{anchor}"  # one entry of the list that itemises the figure before it
                    elif key is not None:
                        anchor = key
                    if key is None:
                        continue
                    number = Decimal(m.group(1) or m.group(3))
                    amount = number / WAN if m.group(2) == "元" else number
                    facts.append(
                        Fact(key=key, amount=amount, line=line_of[c_start + m.start()],
                             text=text[s_start:s_end], clause=(c_start - s_start, c_end - s_start),
                             section=section_key, order=len(facts))
                    )
    return facts


def extract_facts(doc: SourceDocument) -> list[Fact]:
    """Every labelled amount of 二、三、四、六、七 in document order."""
    out: list[Fact] = []
    for key in LABELS:
        out.extend(extract_section(doc, key))
    return out
