"""Mismatch: an indicator that is about something other than its project.

Evidence, per indicator, against the project's own statements (name, 资金用途,
绩效目标 sentences) plus the project's *own* other indicators (those not shared
with other projects: a template sibling says nothing about the subject):

- sem: best cosine between the indicator and those context pieces;
- sem_z: sem against this document's distribution (median / IQR), because e5
  cosines are compressed and shift between documents;
- lex: share of the indicator's IDF-weighted character bigrams found in the
  context, IDF over distinct texts, so a specific word like 培训 counts and a
  generic one like 满意 or 完成 barely does: short generic names cannot win;
- margin: how much better the indicator fits the best other project of the
  document than its own (project statements only);
- info: how much specific content the indicator has (generic ones get less
  confident scores either way).

They are combined by a logistic model whose weights live in the versioned config.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from semx.score.boilerplate import BoilerplateResult, ItemId, item_id
from semx.score.config import LogisticParams
from semx.score.items import DocView, Item
from semx.score.text import Idf
from semx.score.vectors import VectorTable

INFO_NORM = 40.0  # IDF mass of a fully specific indicator (about 8 rare bigrams)
MIN_GROUP = 3  # copies of a template needed before comparing one copy with the others


@dataclass
class MismatchResult:
    score: float
    features: dict[str, float]
    best_piece: str
    shared: list[str]  # context bigrams shared with the indicator, most specific first
    best_other: str | None
    doc_median: float


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def apply(params: LogisticParams, features: dict[str, float]) -> float:
    z = params.bias + sum(w * features.get(k, 0.0) for k, w in params.weights.items())
    return _sigmoid(z)


def detect(
    docs: list[DocView],
    vecs: VectorTable,
    bp: dict[ItemId, BoilerplateResult],
    idf: Idf,
    params: LogisticParams,
) -> dict[ItemId, MismatchResult]:
    out: dict[ItemId, MismatchResult] = {}
    for d in docs:
        raw: list[tuple[Item, dict[str, float], str, list[str], str | None]] = []
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
                lex, mass = idf.coverage(it.grams, ctx_grams)
                shared = sorted(it.grams & ctx_grams, key=idf.weight, reverse=True)
                feats = {
                    "sem": sem,
                    "lex": lex,
                    "template": math.log1p(bp[item_id(it)].k_doc) if item_id(it) in bp else 0.0,
                    "margin": (best_other - own_stmt) if best_other_name else 0.0,
                    "info": min(mass / INFO_NORM, 1.5),
                }
                raw.append((it, feats, best_piece, shared, best_other_name))
        sems = np.array([f["sem"] for _, f, _, _, _ in raw]) if raw else np.zeros(0)
        med = float(np.median(sems)) if sems.size else 0.0
        iqr = float(np.subtract(*np.percentile(sems, [75, 25]))) if sems.size else 0.0
        scale = max(iqr / 1.35, 0.01)
        # A template pasted on many projects fits some of them: compare this copy's
        # fit with the fit of the other copies (its rank within the template).
        groups: dict[str, list[float]] = {}
        lex_groups: dict[str, list[float]] = {}
        for it, feats, *_ in raw:
            groups.setdefault(it.key, []).append(feats["sem"])
            lex_groups.setdefault(it.key, []).append(feats["lex"])
        for it, feats, best_piece, shared, best_other_name in raw:
            feats["sem_z"] = (feats["sem"] - med) / scale
            grp = groups.get(it.key, [])
            if len(grp) >= MIN_GROUP and it.key:
                g = np.array(grp)
                feats["inst_z"] = float((feats["sem"] - np.median(g)) / max(float(g.std()), 0.005))
                # Words this copy shares with its project that most copies do not.
                feats["inst_lex"] = float(feats["lex"] - np.median(np.array(lex_groups[it.key])))
            else:
                feats["inst_z"] = 0.0
                feats["inst_lex"] = 0.0
            # Uncovered specific content: the strongest single cue for another subject.
            feats["uncovered"] = (1.0 - feats["lex"]) * min(feats["info"], 1.0)
            out[item_id(it)] = MismatchResult(
                score=apply(params, feats),
                features=feats,
                best_piece=best_piece,
                shared=shared,
                best_other=best_other_name,
                doc_median=med,
            )
    return out


def reason(it: Item, project_name: str, r: MismatchResult) -> str:
    f = r.features
    shared = "、".join(f"“{g}”" for g in r.shared[:3])
    lex = f"与项目文字仅共有{shared}等词" if shared else "与项目名称、用途、目标及本项目其他指标没有共同关键词"
    other = f"；它更接近本文件项目“{r.best_other}”" if r.best_other and f["margin"] > 0 else ""
    return (
        f"指标“{it.ind.level3}”（{it.text[:40]}）与项目“{project_name}”不相关：{lex}"
        f"（关键词覆盖{f['lex']:.0%}），语义相似度{f['sem']:.3f}"
        f"{'低于' if f['sem'] < r.doc_median else '不高于'}本文件中位数{r.doc_median:.3f}附近（z={f['sem_z']:.1f}）{other}。"
    )
