"""Precision–recall plots of the scorer flags (matplotlib, Agg: no display needed)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from semx.evaluate.scorer_eval import FlagReport


def pr_png(flag: FlagReport) -> bytes:
    """One PNG: the PR curve over the raw scores and the configured operating point."""
    import matplotlib

    matplotlib.use("Agg")  # before pyplot: headless, deterministic
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.2, 3.6), dpi=100)
    try:
        if flag.curve:
            ax.step([p.recall for p in flag.curve], [p.precision for p in flag.curve], where="post",
                    label=f"AP {flag.ap:.3f}")
        op = flag.firm.pooled
        ax.plot([op.recall], [op.precision], "o", color="crimson",
                label=f"threshold {flag.threshold:.3f}" if flag.threshold is not None else "operating point")
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("recall")
        ax.set_ylabel("precision")
        ax.set_title(f"{flag.flag} (n={flag.firm.cells}, doubtful excluded)", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower left", fontsize=8)
        buf = io.BytesIO()
        # No timestamp metadata, so the same numbers give the same file.
        fig.savefig(buf, format="png", bbox_inches="tight", metadata={"Software": None})
        return buf.getvalue()
    finally:
        plt.close(fig)


def all_pr_pngs(flags: Sequence[FlagReport]) -> dict[str, bytes]:
    return {f.flag: pr_png(f) for f in flags}
