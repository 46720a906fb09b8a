"""Readable per-project view for `semx targets FILE`."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from semx.models import FreeTextTarget, Indicator, Project
from semx.vocab.pages import page_label

_LEVEL_NAMES = {"project": "项目", "department": "部门整体", "special": "专项资金"}


def _amount(x: object) -> str:
    return "-" if x is None else f"{x}"


def _value_cell(ind: Indicator) -> str:
    v = ind.value
    parsed = " ".join(str(p) for p in (v.op, v.number, v.unit) if p is not None)
    extra = f" [dim]({v.kind}{', ' + str(v.wan) + '万元' if v.wan is not None else ''})[/dim]"
    if parsed and parsed.replace(" ", "") != v.raw.replace(" ", ""):
        return f"{escape(v.raw)} [dim]→ {escape(parsed)}[/dim]{extra}"
    return f"{escape(v.raw)}{extra}"


def _project_table(p: Project) -> Table:
    table = Table(show_lines=False, expand=False, pad_edge=False)
    for col in ("行", "一级指标", "二级指标", "三级指标", "指标值", "确定依据"):
        table.add_column(col, overflow="fold")
    prev_l1 = None
    for ind in p.indicators:
        l1 = ind.level1 if ind.level1 != prev_l1 else ""
        prev_l1 = ind.level1
        table.add_row(
            str(ind.line), escape(l1 or ""), escape(ind.level2 or ""), escape(ind.level3),
            _value_cell(ind), escape(ind.basis or ""),
        )
    return table


def render_project(p: Project, console: Console, linked: list[FreeTextTarget]) -> None:
    pages = page_label(p.page, p.end_page)
    head = (f"[bold]{escape(p.name)}[/bold]  [dim]{_LEVEL_NAMES[p.level]} · 行 {p.start_line}–{p.end_line}"
            f"{' · ' + pages if pages else ''}[/dim]")
    console.print(head)
    facts = []
    if p.code:
        facts.append(f"项目编码 {escape(p.code)}")
    if p.budget is not None or p.fiscal is not None or p.other is not None:
        facts.append(f"预算数 {_amount(p.budget)} / 财政资金 {_amount(p.fiscal)} / 其他资金 {_amount(p.other)} 万元")
    if p.budget_printed is not None and p.printed_unit not in (None, "万元"):
        facts.append(f"年度资金总额 {escape(p.budget_printed)} {escape(p.printed_unit or '')}（表中所印）")
    form_facts = [("主管部门", p.department), ("实施单位", p.implementer), ("实施周期", p.period)]
    if any(v for _, v in form_facts):
        facts.append(" / ".join(f"{k} {escape(v)}" for k, v in form_facts if v))
    if p.plan:
        facts.append("支出计划 " + "，".join(f"{k} {v or '-'}" for k, v in p.plan.items()))
    for f in facts:
        console.print(f"  {f}")
    if p.purpose:
        console.print(f"  资金用途：{escape(p.purpose)}")
    if p.total_goal and p.total_goal != p.goal_text:
        console.print(f"  项目总目标：{escape(p.total_goal)}")
    for i, goal in enumerate(p.goals, 1):
        console.print(f"  目标{i}：{escape(goal)}")
    if p.indicators:
        console.print(_project_table(p))
    else:
        console.print("  [yellow]没有指标行[/yellow]")
    for t in linked:
        console.print(f"  [cyan]文字目标[/cyan] 行 {t.start_line}–{t.end_line}：{escape(t.title)}")
    console.print()


def render_free_text(t: FreeTextTarget, console: Console) -> None:
    link = f" → 表格项目「{escape(t.linked_project)}」" if t.linked_project else ""
    pages = page_label(t.page, t.end_page)
    console.print(f"[bold]{escape(t.title or '(无标题)')}[/bold]  [dim]{_LEVEL_NAMES[t.level]} · 行 {t.start_line}–{t.end_line}"
                  f"{' · ' + pages if pages else ''}[/dim]{link}")
    if t.goal_text:
        console.print(f"  绩效目标：{escape(t.goal_text.replace(chr(10), ''))}")
    if t.indicator_text:
        console.print(f"  绩效指标：{escape(t.indicator_text.replace(chr(10), ''))}")
    console.print()


def render_targets(projects: list[Project], free_text_targets: list[FreeTextTarget], console: Console) -> None:
    """Every project with its goals and indicators, then the prose target blocks."""
    n_ind = sum(len(p.indicators) for p in projects)
    console.print(f"[bold]绩效目标表[/bold] {len(projects)} 个，指标 {n_ind} 条；文字绩效目标 {len(free_text_targets)} 段")
    console.print()
    for p in projects:
        render_project(p, console, [t for t in free_text_targets if t.linked_project == p.name])
    if free_text_targets:
        console.rule("文字绩效目标")
        for t in free_text_targets:
            render_free_text(t, console)
