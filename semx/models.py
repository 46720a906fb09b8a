"""Pydantic contracts between the pipeline stages.

ingest -> tables -> checks -> targets -> llm -> score -> report. Each stage
reads and returns these models only, so a stage can be replaced or tested on
its own. Every object that came from the document carries the 1-based line
number of the *original* file, so an auditor can find it in the source.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

# Amounts are Decimal internally (no float drift in sums) and JSON numbers
# outside, as the CLI contract promises.
Amount = Annotated[
    Decimal,
    PlainSerializer(lambda d: float(d), return_type=float, when_used="json"),
]
Cell = Amount | str | None


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- ingest


class Line(Model):
    """One normalised line and where it came from."""

    no: int = Field(description="1-based line number in the original file")
    end_no: int | None = Field(
        None, description="last original line of a row rebuilt from several lines (text from other extractors)"
    )
    text: str = Field(description="normalised text (tags, LaTeX, full-width removed)")
    raw: str = Field(description="original text of the line")
    page: int | None = Field(None, description="1-based page of a paged source (PDF)")
    box: tuple[float, float, float, float] | None = Field(
        None, description="x0, top, x1, bottom in PDF points from the page's top-left (PDF only)"
    )
    end_page: int | None = Field(
        None, description="set when the line is a table row cut by a page break and joined: the page it ends on"
    )


class Section(Model):
    """A part of the 说明 (一、部门职责… to 九、其他…) or the table block."""

    key: Literal[
        "tables",
        "duties",
        "overview",
        "running_costs",
        "three_public",
        "final_general",
        "final_fund",
        "final_appropriation",
        "performance",
        "procurement",
        "assets",
        "glossary",
        "other",
    ]
    title: str
    start_line: int
    end_line: int


class Warning_(Model):
    code: str
    message: str
    line: int | None = None


class SourceDocument(Model):
    """Result of ingest: the normalised text with its map to original lines."""

    path: str
    sha256: str
    source: Literal["text", "pdf", "docx", "workbook"] = Field("text", description="which reader produced the lines")
    encoding: str = Field(description="text encoding (utf-8, utf-8-sig, gb18030, …), or pdf / docx / xlsx / xls")
    layout: Literal["tab", "cell_per_line"]
    rebuilt_from: str | None = Field(
        None, description="text layout of another extractor the rows were rebuilt from (columns / flat / cell_lines / tsv)")
    pages: int | None = Field(None, description="page count of a paged source")
    lines: list[Line]
    sections: list[Section] = []
    warnings: list[Warning_] = []

    def page_of(self, line: int) -> int | None:
        """Page of an original line (None for sources without pages)."""
        if self.pages is None or not self.lines:
            return None
        i = line - self.lines[0].no
        if 0 <= i < len(self.lines) and self.lines[i].no == line:
            return self.lines[i].page
        return next((ln.page for ln in self.lines if ln.no == line), None)

    def text_of(self, start_line: int, end_line: int) -> str:
        """Normalised text of original lines start_line..end_line inclusive."""
        return "\n".join(ln.text for ln in self.lines if start_line <= ln.no <= end_line)


# ---------------------------------------------------------------- tables

TableKind = Literal[
    "income_expenditure_summary",  # 收支总表
    "income_summary",  # 收入总表
    "expenditure_summary",  # 支出总表
    "fiscal_appropriation_summary",  # 财政拨款收支总表
    "general_budget_expenditure",  # 一般公共预算财政拨款支出表
    "general_budget_basic_expenditure",  # 一般公共预算财政拨款基本支出表
    "government_fund_expenditure",  # 政府性基金预算财政拨款支出表
    "state_capital_expenditure",  # 国有资本经营预算财政拨款支出表
    "three_public_expenditure",  # 财政拨款"三公"经费支出表
    "government_procurement",  # 政府采购预算表
    "fixed_assets",  # 固定资产占用情况表
    "institutions",  # 机构设置
]


class TableRow(Model):
    line: int = Field(description="original line where the row starts")
    side: Literal["left", "right"] | None = Field(
        None, description="half of a table printed as two halves side by side (一般公共预算基本支出决算表)"
    )
    seq: int | None = Field(None, description="序号 when present")
    code: str | None = Field(None, description="科目编码 as printed, a string")
    level: Literal["类", "款", "项"] | None = None
    name: str | None = None
    cells: list[Cell] = Field(description="one value per column, aligned with Table.columns")
    raw: list[str] = Field(
        default_factory=list, description="each cell as printed (before any unit conversion), aligned with cells"
    )
    end_line: int | None = Field(None, description="original line where the row ends (a wrapped row spans several)")
    page: int | None = Field(None, description="page of the row's first line (paged sources)")
    end_page: int | None = Field(None, description="page of the row's last line (paged sources)")


class Table(Model):
    kind: TableKind
    title: str
    columns: list[str]
    rows: list[TableRow] = []
    empty: bool = Field(False, description="declared empty (空表列示) or without data rows")
    start_line: int
    end_line: int
    pages: int = 1
    unit_line: str | None = None
    printed_unit: str | None = Field(
        None, description="money unit the table printed (元, 万元 …); amounts in cells are always 万元"
    )
    column_paths: list[list[str]] = Field(
        default_factory=list, description="header cells above each value column, top to bottom, as printed"
    )
    year: int | None = None
    scope: Literal["department", "unit"] | None = Field(None, description="部门 or 单位 table, from its title")
    note: str | None = Field(None, description="注 line(s) printed with the table, e.g. 注：无…，空表列示。")
    page: int | None = Field(None, description="page of start_line (paged sources)")
    end_page: int | None = Field(None, description="page of end_line (paged sources)")


# ---------------------------------------------------------------- checks


class Finding(Model):
    id: str
    code: str
    severity: Literal["error", "warning", "info"]
    message: str
    tables: list[str] = []
    lines: list[int] = []
    expected: Amount | None = None
    actual: Amount | None = None
    difference: Amount | None = None
    caused_by: str | None = Field(None, description="id of the root-cause finding")
    evidence: str | None = Field(None, description="sentence or row text the figure came from")
    pages: list[int] = Field(default_factory=list, description="pages of `lines` (paged sources), sorted")


# ---------------------------------------------------------------- targets

ValueOp = Literal["≥", "≤", "=", ">", "<"]
ValueKind = Literal["percent", "money", "count", "duration", "date", "text"]


class IndicatorValue(Model):
    raw: str
    op: ValueOp | None = None
    number: Amount | None = None
    unit: str | None = None
    kind: ValueKind = "text"
    wan: Amount | None = Field(None, description="money normalised to 万元")


class Flag(Model):
    code: str
    score: float
    reason: str
    thresholds: dict[str, float] = {}


class LLMInfo(Model):
    """Which model and prompt produced an LLM result, and what the call cost."""

    task: Literal["extract", "classify"]
    model: str
    prompt_version: str = Field(description="task/version, e.g. extract/v1")
    cached: bool = Field(False, description="served from the on-disk cache, no tokens spent")
    attempts: int = Field(0, description="model calls made, validation re-asks included")
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0


class LLMCategory(Model):
    """The category the LLM believes right for a table indicator (classify task)."""

    level1: str
    level2: str
    reason: str
    agrees: bool = Field(description="same 一级/二级 as the table, after normalisation")
    llm: LLMInfo


class LLMUsage(Model):
    """LLM accounting for one document (or a run, when summed)."""

    status: Literal["ran", "skipped"] = "ran"
    notice: str | None = Field(None, description="why the stage was skipped, shown to the user")
    model: str | None = None
    calls: int = Field(0, description="HTTP requests sent to the model endpoint")
    cache_hits: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    transport_retries: int = 0
    validation_retries: int = 0
    errors: int = 0
    latency_s: float = 0.0


class LLMTask(Model):
    """One unit of LLM work of a document (issue 16): the ledger entry that says whether it is done.

    A failed or pending task makes the document's LLM work incomplete: `semx score` lists it in
    errors.jsonl, exits 5, and the next run retries it (unless --skip-failed-llm), while done
    tasks are carried over without a request.
    """

    task: Literal["extract", "classify"]
    index: int = Field(description="index into free_text_targets (extract) or projects (classify)")
    item: str = Field(description="the target's title or the project's name")
    line: int | None = None
    status: Literal["done", "failed", "pending"]
    reason: str | None = Field(None, description="why it failed, or why it is pending (time budget)")
    attempts: int = Field(0, description="runs that sent this task to the model (0: never sent)")


class Indicator(Model):
    level1: str | None = Field(None, description="一级指标, normalised (效果指标 -> 效益指标)")
    level2: str | None = Field(None, description="二级指标")
    level3: str = Field(description="三级指标 (the indicator's name)")
    description: str | None = None
    value: IndicatorValue
    basis: str | None = Field(None, description="指标值确定依据")
    line: int
    end_line: int | None = Field(None, description="last original line of the indicator's row or quote")
    page: int | None = Field(None, description="page of `line` (paged sources)")
    end_page: int | None = Field(None, description="page of `end_line` (paged sources)")
    source: Literal["table", "llm"] = "table"
    evidence: str | None = Field(None, description="quote from the source (LLM extraction)")
    flags: list[Flag] = []
    quality: float | None = None
    llm: LLMInfo | None = Field(None, description="set when source == 'llm'")
    llm_category: LLMCategory | None = Field(None, description="classify task's opinion")


class Project(Model):
    name: str
    level: Literal["project", "department", "special"] = "project"
    code: str | None = None
    budget: Amount | None = Field(None, description="预算数, 万元")
    fiscal: Amount | None = Field(None, description="财政资金, 万元")
    other: Amount | None = Field(None, description="其他资金, 万元")
    purpose: str | None = Field(None, description="资金用途")
    plan: dict[str, str | None] = Field(
        default_factory=dict, description="资金支出计划: 3月底/6月底/10月底/12月底 -> value as printed"
    )
    goal_text: str | None = None
    goals: list[str] = []
    indicators: list[Indicator] = []
    start_line: int
    end_line: int
    # Fields of the 财政项目支出绩效目标填报表 / 申报表 form (None for other layouts).
    form_title: str | None = Field(None, description="the form's printed title (the name comes from 项目名称)")
    department: str | None = Field(None, description="主管部门")
    implementer: str | None = Field(None, description="实施单位")
    period: str | None = Field(None, description="实施周期, or 计划开始日期–计划完成日期")
    total_goal: str | None = Field(None, description="项目总目标 / 总体目标 / 中期目标")
    annual_goal: str | None = Field(None, description="年度目标 / 年度总体目标")
    printed_unit: str | None = Field(None, description="money unit printed on the form (元 / 万元); amounts above are 万元")
    budget_printed: str | None = Field(None, description="年度资金总额 exactly as printed, in printed_unit")
    indicator_columns: list[str] = Field(
        default_factory=list,
        description="the indicator columns the table's header prints (level1, level2, level3, description, value, "
        "basis), in that order; empty when no header was read. A rule about a column (指标值确定依据) looks here "
        "first: a template without the column cannot fill it",
    )
    page: int | None = Field(None, description="page of start_line (paged sources)")
    end_page: int | None = Field(None, description="page of end_line (paged sources)")
    flags: list[Flag] = []
    grade: Literal["优", "良", "中", "差"] | None = None
    grade_reasons: list[str] = []


class FreeTextTarget(Model):
    title: str
    level: Literal["project", "department", "special"] = "department"
    goal_text: str
    indicator_text: str
    start_line: int
    end_line: int
    goal_lines: tuple[int, int] | None = None
    indicator_lines: tuple[int, int] | None = None
    page: int | None = Field(None, description="page of start_line (paged sources)")
    end_page: int | None = Field(None, description="page of end_line (paged sources)")
    linked_project: str | None = Field(None, description="name of the table project of the same name")
    indicators: list[Indicator] = Field(default_factory=list, description="filled by the LLM stage")
    llm_error: str | None = None
    llm: LLMInfo | None = None


# ---------------------------------------------------------------- document


class StageRun(Model):
    """How one stage went for one document in `semx score`; a skipped stage always says why."""

    stage: Literal["ingest", "tables", "targets", "checks", "llm", "score"]
    status: Literal["ran", "skipped", "failed"]
    notice: str | None = Field(None, description="why the stage was skipped or failed, shown in the report")
    seconds: float = 0.0


class ScoreSummary(Model):
    """Per-document result of the score stage (added by the scorer, issue #6)."""

    config_version: int = Field(description="version of semx/score/config/thresholds-v<N>.json used")
    embedding_model: str = Field(description="model the similarities came from")
    calibrated: bool = Field(description="whether the thresholds were fitted on gold labels")
    projects: int
    indicators: int
    mean_quality: float | None = None
    grades: dict[str, int] = {}
    flag_counts: dict[str, int] = Field(default_factory=dict, description="indicator flags by code")
    project_flag_counts: dict[str, int] = Field(default_factory=dict, description="project flags by code")
    top_reasons: list[str] = []


DocumentKind = Literal["部门预算", "单位预算", "部门决算", "单位决算"]


class Coverage(Model):
    """How much of what the document prints was read: never a silent empty result."""

    table_titles: int = Field(0, description="numeric table titles seen (a title with a table under it)")
    tables_read: int = Field(0, description="tables read under those titles")
    unread_titles: list[str] = Field(default_factory=list, description="titles seen but not read")
    forms: int = Field(0, description="绩效目标表 / 填报表 / 申报表 titles seen")
    forms_read: int = Field(0, description="projects read with indicator rows")


class ParsedDocument(Model):
    path: str
    sha256: str
    encoding: str
    layout: str
    kind: DocumentKind | None = Field(None, description="部门预算 / 单位预算 / 部门决算 / 单位决算, from the cover")
    unit_code: str | None = None
    unit_name: str | None = None
    year: int | None = None
    coverage: Coverage | None = None
    sections: list[Section] = []
    tables: list[Table] = []
    findings: list[Finding] = []
    projects: list[Project] = []
    free_text_targets: list[FreeTextTarget] = []
    warnings: list[Warning_] = []
    llm_usage: LLMUsage | None = None
    llm_tasks: list[LLMTask] = Field(default_factory=list, description="filled by the LLM stage: each task done/failed/pending")
    stages: list[StageRun] = Field(default_factory=list, description="filled by `semx score`: stage status and notices")
    score: ScoreSummary | None = Field(None, description="filled by `semx score`: document summary of the scorer")
