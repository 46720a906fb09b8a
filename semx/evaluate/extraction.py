"""Extraction results against the gold blocks: P/R/F1, 二级 accuracy and value-parse accuracy.

Matching is metrics.match_indicators (name bigram-Dice >= 0.5 or containment, AND equal
numbers, greedy one-to-one). 二级 and value accuracy are computed on matched pairs only, so
they say how good the found indicators are, independent of how many were found. Because
the matching rule already requires equal numbers, a value-parse error on a matched pair is
a wrong comparator (op) or unit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from semx.evaluate.gold import GoldBlock, GoldIndicator
from semx.evaluate.metrics import PRF, match_indicators, values_agree
from semx.vocab.categories import normalize_level2


def _unit(u: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(u or "")).split())


def _op(op: object) -> str:
    # A bare value means "="; the gold writes "=" and a model may leave op empty.
    return str(op).strip() if op not in (None, "") else "="


def value_parsed(gold: GoldIndicator, pred: dict[str, Any]) -> bool:
    return (_op(gold.op) == _op(pred.get("op")) and values_agree(gold.number, pred.get("number"))
            and _unit(gold.unit) == _unit(pred.get("unit")))


def level2_right(gold: GoldIndicator, pred: dict[str, Any]) -> bool:
    return normalize_level2(gold.level2) == normalize_level2(str(pred.get("level2") or ""))


@dataclass(frozen=True)
class BlockScore:
    key: str
    prf: PRF
    found: tuple[bool, ...]  # per gold indicator: matched by some prediction (the paired unit)
    level2_ok: int  # matched pairs with the gold 二级
    value_ok: int  # matched pairs with op, number and unit as in the gold

    @property
    def matched(self) -> int:
        return self.prf.tp


def score_block(block: GoldBlock, predicted: Sequence[dict[str, Any]]) -> BlockScore:
    gold_pairs = [(g.name, g.number) for g in block.indicators]
    pred_pairs = [(str(p.get("name") or ""), p.get("number")) for p in predicted]
    matches = match_indicators(gold_pairs, pred_pairs)
    found = [False] * len(block.indicators)
    l2 = val = 0
    for m in matches:
        found[m.gold] = True
        g, p = block.indicators[m.gold], predicted[m.pred]
        l2 += int(level2_right(g, p))
        val += int(value_parsed(g, p))
    tp = len(matches)
    return BlockScore(block.key, PRF(tp, len(predicted) - tp, len(block.indicators) - tp), tuple(found), l2, val)
