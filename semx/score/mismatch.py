"""Mismatch: an indicator that is about something other than its project.

The evidence is compared with the project's *own* statements (name, 资金用途,
绩效目标 sentences) plus its *own* other indicators (those not shared with other
projects of the document: a template sibling says nothing about the subject).
All word statistics are per document (IDF over the document's distinct texts),
so a document scores the same alone or in a batch.

Features (the model uses `SIGNS`, each weight constrained to its sign; the
others are kept for the gate, the reasons and debugging):

- anchor (gate): the indicator's *subject words* found in that context, as a share
  of their IDF mass. Subject words are the indicator's bigrams that are specific
  in this document (in at least 2 and at most a small share of its distinct
  texts: 培训, 决策, 档案) and are neither function, measurement nor generic
  administrative words (的比, 满意, 次数, 完成, 按照). A training-satisfaction
  rate on a project whose own indicators count training courses shares 培训 and
  训班; the same row on an electricity bill shares nothing. With
  protect_common_words, an indicator whose only subject words are common in the
  document (活动 in 活动参与者满意度) is judged on those.
- uncovered (+, model): 1 - the IDF-weighted share of *all* the indicator's bigrams
  found in the context (a looser version of the same evidence);
- unanchored (+, model): 1 when the indicator names subject words of its own (anchors)
  and none of them is found in the project's statements or own rows: the definition's
  "about something other than this project" read as "names a subject that is not the
  project's" (办公自动化覆盖 on a line rental), where `uncovered` also counts the
  measurement words every row shares;
- template (+, model): log(1 + other projects of different subject carrying the same
  text): a template pasted everywhere is unlikely to fit each project;
- sem_z: best cosine between the indicator and the context, against this
  document's distribution (median / IQR: e5 cosines are compressed and shift
  between documents);
- margin: how much better the indicator fits another project's statements
  than its own.

score = sigmoid(bias + w_template * template + w_uncovered * uncovered + w_unanchored * unanchored), weights
constrained to be >= 0 (`MismatchParams.signs`), then two gating rules from the config:

1. protection: anchor >= protect_anchor_cov multiplies the score by
   protect_factor (the indicator's subject words are this project's own words);
2. named after another project: an indicator whose name contains another
   project's distinctive name (and not its own) scores at least names_other_score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from semx.score.boilerplate import (
    BoilerplateResult,
    ItemId,
    is_subject_gram,
    item_id,
    names_other_project,
    subject_grams,
)
from semx.score.config import LogisticParams, MismatchParams
from semx.score.items import DocView, Item
from semx.score.text import Idf
from semx.score.vectors import VectorTable

# Direction of each feature: +1 can only raise the mismatch score, -1 only lower it.
# Three features enter the model: with 94 of 102 gold positives in one document,
# leave-one-sample-out showed every other extra feature (sem_z, margin, a separate anchor
# weight, the log count of missing subject words) lowering held-out F1; they stay in
# `features` for reasons and debugging. `unanchored` raised it (0.842 -> 0.848 pooled,
# 0.904 -> 0.932 without doubtful cells; python -m semx.evaluate.calibrate).
SIGNS: dict[str, int] = {"template": 1, "uncovered": 1, "unanchored": 1}


@dataclass
class MismatchResult:
    score: float
    features: dict[str, float]
    best_piece: str
    shared: list[str]  # subject words shared with the project, most specific first
    missing: list[str]  # subject words of the indicator absent from the project
    best_other: str | None
    doc_median: float
    protected: bool = False


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def linear(params: LogisticParams, features: dict[str, float]) -> float:
    z = params.bias + sum(w * features.get(k, 0.0) for k, w in params.weights.items())
    return _sigmoid(z)


def is_protected(params: LogisticParams, features: dict[str, float]) -> bool:
    """Gate 1: the indicator's subject words are this project's own words, or it has none.

    An indicator with no subject words at all (群众满意度, 业务处理及时性: only measurement,
    audience and administration words) carries no evidence of being about another
    subject; it may be vague or a template, which other flags report.
    """
    gate = getattr(params, "protect_anchor_cov", None)
    if gate is None:
        return False
    if features.get("generic_subject", 0.0) > 0 and getattr(params, "protect_generic", True):
        return True
    return features.get("anchor", 0.0) >= gate


def apply(params: LogisticParams, features: dict[str, float]) -> float:
    """The mismatch score of one indicator from its features (model + gates).

    A protected row (its subject words are its project's own, or it names none) is scored without
    the template term: a template that fits its project is boilerplate, not a mismatch (eval/README
    boilerplate rule 2: "every instance of a template is boilerplate, also where it happens to fit
    (then mismatch is false)"; mismatch: 参与决策 on 社情民意办 whose goal is to inform decisions).
    Being copied to many projects says nothing about whether this copy fits; the words do.
    """
    score = linear(params, features)
    if isinstance(params, MismatchParams):
        if is_protected(params, features):
            score = linear(params, {**features, "template": 0.0}) * params.protect_factor
        if features.get("names_other", 0.0) > 0:
            score = max(score, params.names_other_score)
    return score


def _template(r: BoilerplateResult | None) -> float:
    """log(1 + projects of other subjects carrying the text), counting the batch's other documents:
    the research-task text pasted on 25 projects of one county is as unlikely to fit the two
    projects of another county that carry it."""
    if r is None:
        return 0.0
    return math.log1p(r.k_doc + r.k_corpus_projects)


def detect(
    docs: list[DocView],
    vecs: VectorTable,
    bp: dict[ItemId, BoilerplateResult],
    idf: Idf | None,  # unused: word statistics are per document (see module docstring)
    params: LogisticParams,
) -> dict[ItemId, MismatchResult]:
    p = params if isinstance(params, MismatchParams) else MismatchParams(**params.model_dump())
    out: dict[ItemId, MismatchResult] = {}
    for d in docs:
        didf = Idf([*(it.text for it in d.items), *(x for pv in d.projects for x in pv.pieces)])
        max_df = max(p.anchor_min_df, int(p.anchor_max_df_share * didf.n))

        def is_anchor(g: str, didf: Idf = didf, max_df: int = max_df) -> bool:
            return 2 <= didf.df.get(g, 0) <= max_df and is_subject_gram(g)

        raw: list[tuple[Item, dict[str, float], str, list[str], list[str], str | None]] = []
        piece_mats = [vecs.stack(pv.pieces) for pv in d.projects]
        for pv in d.projects:
            own_pieces = piece_mats[pv.index]
            for it in pv.items:
                v = vecs.get(it.text)
                sibs = [
                    s
                    for s in pv.items
                    if s is not it
                    and s.key != it.key
                    and bp.get(item_id(s), None) is not None
                    and bp[item_id(s)].k_doc == 0
                ]
                ctx_texts = [*pv.pieces, *(s.text for s in sibs)]
                ctx = vecs.stack(ctx_texts)
                sims = ctx @ v if len(ctx_texts) else np.zeros(0)
                sem = float(sims.max()) if sims.size else 0.0
                best_piece = ctx_texts[int(sims.argmax())] if sims.size else ""
                own_stmt = float((own_pieces @ v).max()) if own_pieces.shape[0] else 0.0
                best_other, best_other_name = -1.0, None
                for q, mat in enumerate(piece_mats):
                    if q == pv.index or not mat.shape[0]:
                        continue
                    fit = float((mat @ v).max())
                    if fit > best_other:
                        best_other, best_other_name = fit, d.projects[q].project.name
                ctx_grams = set(pv.grams)
                for sib in sibs:
                    ctx_grams |= sib.grams
                lex, _ = didf.coverage(it.grams, ctx_grams)
                own_subject = subject_grams(it.text)
                anchors = {g for g in own_subject if is_anchor(g)}
                if not anchors and p.protect_common_words:
                    # no specific word: the common ones are the only evidence of what it is about
                    anchors = {g for g in own_subject if didf.df.get(g, 0) >= 2}
                anchor, _ = didf.coverage(anchors, ctx_grams)
                shared = sorted(anchors & ctx_grams, key=lambda g: (-didf.weight(g), g))
                missing = sorted(anchors - ctx_grams, key=lambda g: (-didf.weight(g), g))
                named = names_other_project(it, d)
                feats = {
                    "sem": sem,
                    "lex": lex,
                    "uncovered": 1.0 - lex,
                    "anchor": anchor,
                    "n_anchor": float(len(anchors)),
                    "template": _template(bp.get(item_id(it))),
                    "margin": (best_other - own_stmt) if best_other_name else 0.0,
                    "names_other": 1.0 if named else 0.0,
                    "generic_subject": 0.0 if own_subject else 1.0,
                    # the row names subjects of its own and none of them is the project's
                    "unanchored": 1.0 if anchors and not shared else 0.0,
                }
                raw.append((it, feats, best_piece, shared, missing, named or best_other_name))
        sems = np.array([f["sem"] for _, f, *_ in raw]) if raw else np.zeros(0)
        med = float(np.median(sems)) if sems.size else 0.0
        iqr = float(np.subtract(*np.percentile(sems, [75, 25]))) if sems.size else 0.0
        scale = max(iqr / 1.35, 0.01)
        for it, feats, best_piece, shared, missing, other in raw:
            feats["sem_z"] = (feats["sem"] - med) / scale
            out[item_id(it)] = MismatchResult(
                score=apply(p, feats),
                features=feats,
                best_piece=best_piece,
                shared=shared,
                missing=missing,
                best_other=other,
                doc_median=med,
                protected=is_protected(p, feats),
            )
    return out


def reason(it: Item, project_name: str, r: MismatchResult) -> str:
    f = r.features
    head = f"指标“{it.ind.level3}”（{it.text[:40]}）"
    if f.get("names_other", 0.0) > 0 and r.best_other:
        return f"{head}以本文件另一项目“{r.best_other}”命名，与项目“{project_name}”不相关。"
    shared = "、".join(f"“{g}”" for g in r.shared[:3])
    missing = "、".join(f"“{g}”" for g in r.missing[:3])
    if r.protected:
        return (
            f"{head}的主题词{shared}见于项目“{project_name}”的名称、用途、目标或本项目其他指标"
            f"（主题词覆盖{f['anchor']:.0%}），视为与项目相关。"
        )
    if missing:
        lex = f"其主题词{missing}不见于项目名称、用途、目标及本项目其他指标" + (f"（仅共有{shared}）" if shared else "")
    else:
        lex = "与项目名称、用途、目标及本项目其他指标没有共同的主题词"
    other = f"；它更接近本文件项目“{r.best_other}”" if r.best_other and f["margin"] > 0 else ""
    return (
        f"{head}与项目“{project_name}”不相关：{lex}（关键词覆盖{f['lex']:.0%}），语义相似度{f['sem']:.3f}"
        f"{'低于' if f['sem'] < r.doc_median else '不高于'}本文件中位数{r.doc_median:.3f}附近（z={f['sem_z']:.1f}）{other}。"
    )
