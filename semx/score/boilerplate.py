"""Boilerplate: an indicator whose normalised text recurs in projects about other subjects.

Template keys (text without numbers, units, comparators, the project's name)
are compared exactly and as near-duplicates (embedding cosine AND bigram Dice,
so neither a paraphrase-happy model nor a shared word alone makes a match).
A recurrence only counts in a project whose subject differs from this one:
two tables of the same project, or 运转经费 and 运转经费（原…）, may share rows
legitimately. With count_subjects the score counts the distinct subjects among
the other projects carrying the text (two 大组工网 tables are one), and the reason
still says how many projects share it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial

import numpy as np

from semx.score.config import BoilerplateParams
from semx.score.items import DocView, Item, ProjectView
from semx.score.text import bigrams, clean, dice, subject_of
from semx.score.vectors import VectorTable

ItemId = tuple[int, int, int]  # (doc, project, indicator)


@dataclass
class BoilerplateResult:
    score: float
    k_doc: int  # other projects of this document, different subject, sharing the text
    k_corpus: int  # other documents sharing it
    k_corpus_projects: int = 0  # projects of those other documents carrying it
    k_subjects: int = 0  # distinct subjects among the k_doc projects (same-subject projects count once)
    sharing: list[str] = field(default_factory=list)
    same_subject: list[str] = field(default_factory=list)
    exact: bool = False
    generic: bool = False  # generic administrative text: exempt by rule
    # why a recurring text is not counted as a template here: "family" (most of the
    # projects carrying it share this project's subject) or "fits" (its subject words
    # are the own words of most of the projects carrying it)
    legitimate: str = ""

    def features(self) -> dict[str, float]:
        return {
            "k_doc": float(self.k_doc),
            "k_subjects": float(self.k_subjects),
            "k_corpus": float(self.k_corpus),
            "exact": float(self.exact),
        }


def item_id(it: Item) -> ItemId:
    return (it.doc, it.project, it.index)


# Words of generic administration (budget, timing, plan execution). An indicator
# made only of these ("项目预算控制数", "是否在预算内完成", "资金拨付及时率",
# "年度工作计划执行情况") legitimately applies to every project: not a template.
GENERIC_ADMIN = tuple(
    sorted(
        [
            "预算数",
            "预算",
            "成本",
            "控制数",
            "控制",
            "数额",
            "金额",
            "经费",
            "专项",
            "资金",
            "拨付",
            "发放",
            "补助",
            "补贴",
            "费用",
            "及时率",
            "及时性",
            "及时",
            "时限",
            "时效",
            "时间节点",
            "时间",
            "时长",
            "进度",
            "持续",
            "发挥",
            "作用",
            "开展",
            "各项",
            "按时",
            "完成率",
            "完成",
            "情况",
            "执行",
            "年度",
            "年初",
            "全年",
            "工作",
            "计划",
            "任务",
            # "按要求按时完成上级交办和本年计划任务": the year's assigned tasks, on every project
            "上级交办",
            "交办",
            "上级",
            "本年",
            "是否",
            "按照",
            "规定",
            "比率",
            "比例",
            "项目",
            "指标",  # a row whose name is its category ("服务对象满意度指标")
            "运行",
            "标准",
            "总额",
            "范围",
            "要求",
            "规模",
            "在",
            "内",
            "按",
            "的",
            "限",
            "率",
            "数",
            "以",
            "之",
        ],
        key=len,
        reverse=True,
    )
)


# Words that name how something is measured or who is asked, not what it is about.
MEASURE_WORDS = (
    "满意度",
    "满意率",
    "满意",
    "次数",
    "数量",
    "人数",
    "人次",
    "个数",
    "总数",
    "比率",
    "比例",
    "合格率",
    "覆盖率",
    "达标率",
    "使用率",
    "利用率",
    "水平",
    "能力",
    # effect and trend words: "疫情防控成效" is about 疫情防控, "观影人次增长率" about 观影
    "成效",
    "效果",
    "效益",
    "增长率",
    "增长",
    "提升",
    "提高",
    # degree adverbs of vague targets ("有所提升", "整体提升", "进一步提高"): no subject
    "有所",
    "整体",
    "进一步",
    "不断",
    "显著",
    "明显",
    "通过",
    "实现",
    "保障",
    "参与",
    "当年",
    "本年",
    "有效",
    "正常",
    "日常",
    "单位",
    "相关",
    "组织",
    # a generic audience: "群众满意度" names no service, so no subject
    "人民群众",
    "群众",
    "社会公众",
    "公众",
    "服务对象",
    "参与者",
    "人员",
    # scope: where, not what ("全县干部工作水平" is about 干部)
    "全国",
    "全省",
    "全市",
    "全县",
    "全区",
    "本市",
    "本县",
    "本区",
    # "our county": the department's own place, as 全县 ("我市电子政务汇集点" is about 电子政务)
    "我市",
    "我县",
    "我区",
)
# Characters that make a bigram a function-word fragment (的比, 对培, 与决, 占应).
FUNCTION_CHARS = frozenset("的和与及对在占中等了各为由于把被是其或之以并按从向")
_NON_SUBJECT_WORDS = tuple(sorted({w for w in (*GENERIC_ADMIN, *MEASURE_WORDS) if len(w) >= 2}, key=lambda w: (-len(w), w)))
NON_SUBJECT_GRAMS = frozenset(g for w in _NON_SUBJECT_WORDS for g in bigrams(w))


def is_subject_gram(g: str) -> bool:
    return g not in NON_SUBJECT_GRAMS and not (set(g) & FUNCTION_CHARS)


def subject_grams(text: str) -> set[str]:
    """Bigrams naming what a text is about: measurement, generic-administration and
    audience words are cut out first (so no fragment spans them: 众满 in 群众满意度),
    then function-word fragments are dropped."""
    return {g for g in bigrams(_cut_non_subject(text)) if is_subject_gram(g)}


# A batch repeats its texts (every document carries 满意度 rows, and a rule asks again for each
# row it meets): the word cutting, a pass per vocabulary word, is done once per distinct text.
# Bounded, so a batch of many distinct texts keeps a fixed memory.
@lru_cache(maxsize=1 << 16)
def _cut_non_subject(text: str) -> str:
    rest = text
    for w in _NON_SUBJECT_WORDS:
        rest = rest.replace(w, "|")
    return rest


def is_generic_admin(key: str) -> bool:
    rest = key
    for w in GENERIC_ADMIN:
        rest = rest.replace(w, "")
    return len(rest) < 2


def _goal_key(pv: ProjectView) -> str:
    from semx.score.text import clean

    p = pv.project
    return clean(" ".join(p.goals) if p.goals else (p.goal_text or ""))


def _same_subject(docs: list[DocView], vecs: VectorTable, p: BoilerplateParams) -> dict[int, np.ndarray]:
    """Per document, a boolean matrix: projects a and b are about the same subject.

    Same subject: near-identical name+goal embeddings, close name bigrams, or the
    very same goal text (运转经费 tables that all say 保障机关正常运转).
    """
    out: dict[int, np.ndarray] = {}
    for d in docs:
        n = len(d.projects)
        sv = vecs.stack([pv.subject for pv in d.projects])
        cos = sv @ sv.T if n else np.zeros((0, 0))
        grams = [bigrams(subject_of(pv.name)) for pv in d.projects]
        goals = [_goal_key(pv) for pv in d.projects]
        term_pairs = _term_pairs([pv.name for pv in d.projects], p.same_subject_term)
        same = np.zeros((n, n), dtype=bool)
        for a in range(n):
            for b in range(n):
                same[a, b] = (
                    a == b
                    or cos[a, b] >= p.same_subject_cos
                    or dice(grams[a], grams[b]) >= p.same_subject_dice
                    or (len(goals[a]) >= 4 and goals[a] == goals[b])
                    or (a, b) in term_pairs
                )
        same |= same.T
        out[d.index] = same
    return out


# The funding document a project name cites ("冀财行【2020】159号", "河北省财政厅关于提前下达…的通知"):
# shared by projects funded the same way, whatever their subjects.
_FUNDING_REF = re.compile(r"[\w]{0,4}【\d{4}】\d+号|关于|提前下达|的通知|财政厅|上年结转|本级配套|配套资金|\d{4}年")


def _name_core(name: str) -> str:
    """A project name without its generic words (经费, 专项, 工作, 管理…) and funding-document
    references, split at them."""
    rest = _FUNDING_REF.sub("|", subject_of(name))
    for w in _NON_SUBJECT_WORDS:
        rest = rest.replace(w, "|")
    return rest


def _term_pairs(names: list[str], min_chars: int) -> set[tuple[int, int]]:
    """Pairs (a < b) of names sharing a term of min_chars characters that no other name has.

    大组工网分级保护系统维护 and 大组工网终端软硬件设备安可替代工程 are two tables of one
    network; a term found in a third name (综合事务管理, 疫情期间) names a kind of spending,
    not one subject, so it does not count. Linear in the names' length: each term is
    looked up once, not once per pair.
    """
    if min_chars <= 0:
        return set()
    holders: dict[str, set[int]] = {}
    for k, name in enumerate(names):
        core = _name_core(name)
        for i in range(len(core) - min_chars + 1):
            term = core[i : i + min_chars]
            if "|" not in term:
                holders.setdefault(term, set()).add(k)
    return {(min(h), max(h)) for h in holders.values() if len(h) == 2}


def names_other_project(it: Item, d: DocView) -> str | None:
    """Another project of the document named in this indicator (a copied row)."""
    own = clean(d.projects[it.project].project.name)
    name = clean(it.ind.level3)
    for pv in d.projects:
        if pv.index == it.project:
            continue
        subj = subject_of(pv.project.name)
        if len(subj) >= 4 and subj in name and subj not in own:
            return pv.project.name
    return None


def _adapted(it: Item, other: Item, other_own: set[str], bare: bool = False) -> bool:
    """The other row is this one with its description rewritten for its own project.

    "疫情防控宣传效果情况" next to "疫情防控效果情况" adds 宣传, a word of the printing project
    that carries it: the author adapted the description to that project (guideline 4: a
    rewritten description is not a template), so the near-duplicate is not a recurrence.
    Only the description counts: "视频调度完成率" over the research-task template text
    renamed the indicator and kept the copied description.
    """
    mine = subject_grams(clean(it.ind.description or ""))
    extra = subject_grams(clean(other.ind.description or "")) - mine
    # bare: a row without subject words of its own ("服务对象满意度") next to one that adds its
    # project's words ("补贴发放对象对补贴发放情况的满意度") — the other was written for its project
    return (bare or bool(mine)) and bool(extra & other_own)


@dataclass
class _Spread:
    """Where a template key and its near-duplicates occur in the batch: per document, the
    projects carrying them. Computed once per distinct key, so a text found in thousands of
    documents costs each of its rows O(1), not a pass over every other row."""

    exact_docs: dict[int, set[int]]
    docs: dict[int, set[int]]  # exact documents first, then those with a near-duplicate only
    template_docs: int  # documents carrying it on two or more projects
    projects: int


def _spread(key: str, near: list[str], where: dict[str, dict[int, set[int]]]) -> _Spread:
    exact_docs = where[key]
    docs: dict[int, set[int]] = {q: set(ps) for q, ps in exact_docs.items()}
    for q in sorted({q for k in near for q in where[k]}):
        docs.setdefault(q, set()).update(*(where[k].get(q, set()) for k in near))
    return _Spread(
        exact_docs=exact_docs,
        docs=docs,
        template_docs=sum(len(ps) >= 2 for ps in docs.values()),
        projects=sum(len(ps) for ps in docs.values()),
    )


def detect(docs: list[DocView], vecs: VectorTable, p: BoilerplateParams) -> dict[ItemId, BoilerplateResult]:
    items = [it for d in docs for it in d.items]
    if not items:
        return {}
    by_key: dict[str, list[int]] = {}
    in_doc: dict[tuple[str, int], list[int]] = {}  # (key, document) -> its rows there, in order
    where: dict[str, dict[int, set[int]]] = {}  # key -> document -> projects
    for j, it in enumerate(items):
        by_key.setdefault(it.key, []).append(j)
        in_doc.setdefault((it.key, it.doc), []).append(j)
        where.setdefault(it.key, {}).setdefault(it.doc, set()).add(it.project)
    near = _near_duplicate_keys(list(by_key), vecs, p)
    spreads: dict[str, _Spread] = {}
    same_subject = _same_subject(docs, vecs, p)
    names = {(d.index, pv.index): pv.project.name for d in docs for pv in d.projects}

    results: dict[ItemId, BoilerplateResult] = {}
    doc_by_index = {d.index: d for d in docs}
    own_words: dict[tuple[int, int], set[str]] = {}

    def words_of(doc: int, q: int) -> set[str]:
        """A project's own words for the fit rule: its statements, and with fit_own_indicators
        the rows that no other project of the document carries (exactly or near-duplicated)."""
        got = own_words.get((doc, q))
        if got is None:
            pv = doc_by_index[doc].projects[q]
            got = set(pv.grams)
            if p.fit_own_indicators:
                for s in pv.items:
                    keys = [s.key, *near.get(s.key, [])]
                    if all(where[k].get(doc, set()) <= {q} for k in keys):
                        got |= s.grams
            own_words[(doc, q)] = got
        return got
    for i, it in enumerate(items):
        named = names_other_project(it, doc_by_index[it.doc])
        if len(it.key) < p.min_key_chars or (is_generic_admin(it.key) and named is None):
            results[item_id(it)] = BoilerplateResult(score=0.0, k_doc=0, k_corpus=0, generic=True)
            continue
        neighbours = near.get(it.key, [])
        spread = spreads.get(it.key)
        if spread is None:
            spread = spreads[it.key] = _spread(it.key, neighbours, where)
        exact_any = len(spread.exact_docs) > (it.doc in spread.exact_docs)
        sharing: dict[int, None] = {}
        same: dict[int, None] = {}
        here = sorted(j for k in neighbours for j in in_doc.get((k, it.doc), ()))
        for j in dict.fromkeys([*in_doc[(it.key, it.doc)], *here]):
            other = items[j]
            if other.project == it.project:
                continue  # a duplicated row: a project-level finding, not a template
            exact = other.key == it.key
            exact_any |= exact
            if same_subject[it.doc][it.project, other.project]:
                same[other.project] = None
            elif not exact and (
                _adapted(it, other, doc_by_index[other.doc].projects[other.project].grams, p.adapted_both_ways)
                or (p.adapted_both_ways and _adapted(other, it, doc_by_index[it.doc].projects[it.project].grams))
            ):
                continue
            else:
                sharing[other.project] = None
        own = spread.docs.get(it.doc)
        k_corpus = len(spread.docs) - (own is not None)
        k_corpus_projects = spread.projects - len(own or ())
        template_docs = spread.template_docs - (own is not None and len(own) >= 2)
        legit = ""
        if named is None and sharing:
            legit = _legitimate_share(it, list(sharing), list(same), p, partial(words_of, it.doc))
            if legit:
                sharing, k_corpus, k_corpus_projects, template_docs = {}, 0, 0, 0
        if named is not None:
            sharing.setdefault(-1, None)  # the project it was copied from
        k_subjects = _count_subjects(list(sharing), same_subject[it.doc])
        k_share = k_subjects if p.count_subjects else len(sharing)
        # A document carrying the text on several projects has it as a template too.
        if p.corpus_template_weight is None:
            corpus = p.corpus_weight * k_corpus
        else:
            corpus = p.corpus_template_weight * template_docs + p.corpus_weight * (k_corpus - template_docs)
        # A row naming another project is certain proof of a copy, which a textual
        # coincidence with one other project is not: it weighs named_weight projects.
        k_eff = k_share + corpus + (p.named_weight - 1.0) * (named is not None)
        results[item_id(it)] = BoilerplateResult(
            score=k_eff / (k_eff + 1.0),
            k_doc=len(sharing),
            k_corpus=k_corpus,
            k_corpus_projects=k_corpus_projects,
            k_subjects=k_subjects,
            sharing=[names[(it.doc, q)] if q >= 0 else f"{named}（被引用的项目名）" for q in sharing],
            same_subject=[names[(it.doc, q)] for q in same],
            exact=exact_any,
            legitimate=legit,
        )
    return results


def _near_duplicate_keys(keys: list[str], vecs: VectorTable, p: BoilerplateParams) -> dict[str, list[str]]:
    """For each distinct template key, the other keys that are near-duplicates of it:
    embedding cosine >= near_dup_cos AND character-bigram Dice >= near_dup_dice.

    A batch of thousands of documents has hundreds of thousands of keys, so no all-pairs
    matrix: Dice >= t needs an overlap of at least t*|A|/(2-t) bigrams, so a near-duplicate
    shares one of A's rarest |A| - overlap + 1 bigrams (prefix filtering); only those
    candidates are compared.
    """
    grams = [bigrams(k) for k in keys]
    kv = vecs.stack(keys)
    cos_min = min(p.near_dup_cos, 0.999)
    t = p.near_dup_dice
    postings: dict[str, list[int]] = {}
    for u, gs in enumerate(grams):
        for g in gs:
            postings.setdefault(g, []).append(u)
    out: dict[str, list[str]] = {}
    for u, gs in enumerate(grams):
        if t > 0 and not gs:
            continue  # no bigram: Dice is 0, never a near-duplicate
        if t > 0:
            rare_first = sorted(gs, key=lambda g: (len(postings[g]), g))
            overlap = max(1, math.ceil(t * len(gs) / (2 - t) - 1e-9))
            cands = {v for g in rare_first[: len(gs) - overlap + 1] for v in postings[g]}
        else:
            cands = set(range(len(keys)))
        cands.discard(u)
        close = sorted(v for v in cands if dice(gs, grams[v]) >= t)
        if close:
            sims = kv[close] @ kv[u]
            found = [keys[v] for v, s in zip(close, sims.tolist(), strict=True) if s >= cos_min]
            if found:
                out[keys[u]] = found
    return out


def _count_subjects(projects: list[int], same: np.ndarray) -> int:
    """Distinct subjects among projects: connected groups of the same-subject relation.

    Guideline 2 asks for a text on projects *whose subjects differ*: 网络畅通率 on the
    two 大组工网 maintenance tables and one app-server table is two subjects, not three
    unrelated projects. -1 (the project a copied row names) is a subject of its own.
    """
    rest = list(dict.fromkeys(projects))
    groups = 0
    while rest:
        groups += 1
        stack = [rest.pop(0)]
        while stack:
            a = stack.pop()
            linked = [b for b in rest if a >= 0 and b >= 0 and same[a, b]]
            for b in linked:
                rest.remove(b)
            stack.extend(linked)
    return groups


def _legitimate_share(
    it: Item, sharing: list[int], same: list[int], p: BoilerplateParams, own_words: Callable[[int], set[str]]
) -> str:
    """Why a text shared with projects of other subjects is still not a template here.

    - family: this project's own subject family (itself and the projects of the same
      subject carrying the text) outnumbers the other projects carrying it; the text
      belongs to that family (the 机关运转 tables' shared rows), and the outsiders are
      the ones that copied it;
    - fits: the text names subject words, and for most of the projects carrying it
      they are that project's own words (name, purpose, goals; with fit_own_indicators
      also its own rows): an indicator shared
      by related projects (疫情防控 on the epidemic tables, 观影人次 on the cinema
      tables), not a text that "says nothing about what the project delivers".
    """
    if p.family_rule and 1 + len(same) > len(sharing):
        return "family"
    words = subject_grams(it.key)
    if not words or p.fit_share >= 1.0:
        return ""
    carriers = [it.project, *same, *sharing]
    fits = 0
    for q in carriers:
        if len(words & own_words(q)) / len(words) >= p.fit_cov:
            fits += 1
    return "fits" if fits / len(carriers) > p.fit_share else ""


def reason(it: Item, r: BoilerplateResult) -> str:
    shown = "、".join(f"“{n}”" for n in r.sharing[:3]) + ("等" if len(r.sharing) > 3 else "")
    parts = [f"指标“{it.ind.level3}”去除数值、单位和项目名后的文字“{it.key[:30]}”"]
    if r.k_doc:
        parts.append(
            f"在本文件另有{r.k_doc}个主题不同的项目{'原样' if r.exact else '近似'}出现（{shown}），共{r.k_doc + 1}个项目共用"
            + (f"（另{r.k_doc}个项目分属{r.k_subjects}个主题）" if 0 < r.k_subjects < r.k_doc else "")
        )
    if r.k_corpus:
        parts.append(f"在本批另有{r.k_corpus}份文件出现")
    if r.legitimate and not (r.k_doc or r.k_corpus):
        why = "多数共用项目与本项目主题相同" if r.legitimate == "family" else "其主题词是多数共用项目自身的内容"
        return "，".join(parts) + f"，虽与其他项目共用，但{why}，不视为模板化套用。"
    if not (r.k_doc or r.k_corpus):
        if r.same_subject:
            return "，".join(parts) + "，只与主题相同的项目共用，不视为模板化套用。"
        return "，".join(parts) + "，未与主题不同的项目共用，不属模板化套用。"

    return "，".join(parts) + "，属模板化套用。"
