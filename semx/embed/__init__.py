"""Sentence embeddings for the scorer.

Importing this package is cheap (numpy only); torch and sentence-transformers are
loaded the first time a text must actually be encoded.
"""

from semx.embed.encoder import (
    CharNgramEmbedder,
    Embedder,
    EmbedStats,
    SentenceTransformerEmbedder,
    default_embedder,
)

__all__ = [
    "CharNgramEmbedder",
    "EmbedStats",
    "Embedder",
    "SentenceTransformerEmbedder",
    "default_embedder",
]
