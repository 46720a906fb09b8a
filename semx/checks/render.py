"""Findings for the terminal, read top to bottom: each root cause, then what it explains.

Messages are long Chinese sentences, so every finding is a short block (a head line, the
message, the figures) rather than a table row; it stays readable at any console width.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.text import Text

from semx.checks.amounts import fmt, signed
from semx.checks.view import kind_name
from semx.models import Finding
from semx.vocab.pages import pages_label

_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
_WORD = {"error": "错误", "warning": "警告", "info": "提示"}


def _block(f: Finding) -> Group:
    consequence = f.caused_by is not None
    head = Text()
    head.append("↳ 连带差异 " if consequence else "", style="dim")
    head.append(_WORD[f.severity], style="dim" if consequence else _STYLE[f.severity])
    head.append(f"  {f.code}", style="bold" if not consequence else "dim")
    where = "、".join(kind_name(t) for t in f.tables) or ("说明" if f.lines else "全文")
    lines = ", ".join(str(n) for n in f.lines[:8]) + ("…" if len(f.lines) > 8 else "")
    head.append(f"  {where}" + (f"  第 {lines} 行" if lines else "") + (f"（{pages_label(f.pages)}）" if f.pages else ""),
                style="dim")
    parts: list[Text] = [head, Text(f.message, style="dim" if consequence else "")]
    if f.expected is not None or f.actual is not None:
        figures = Text(style="dim" if consequence else "")
        if f.expected is not None:
            figures.append(f"应为 {fmt(f.expected)}  ")
        if f.actual is not None:
            figures.append(f"实为 {fmt(f.actual)}  ")
        if f.difference is not None:
            figures.append(f"差额 {signed(f.difference)}", style="bold" if not consequence else "dim")
        parts.append(figures)
    if f.evidence:
        parts.append(Text(f"原文：{f.evidence}", style="italic dim"))
    return Group(*parts)


def render_findings(findings: list[Finding], console: Console) -> None:
    if not findings:
        console.print("[green]未发现不一致之处。[/green]")
        return
    for f in findings:
        console.print(Padding(_block(f), (0, 0, 1, 4 if f.caused_by else 0)))
    roots = [f for f in findings if f.caused_by is None]
    counts = {s: sum(1 for f in roots if f.severity == s) for s in ("error", "warning", "info")}
    console.print(
        f"独立问题 {len(roots)} 个（错误 {counts['error']}、警告 {counts['warning']}、提示 {counts['info']}），"
        f"由其引起的差异 {len(findings) - len(roots)} 处。"
    )
