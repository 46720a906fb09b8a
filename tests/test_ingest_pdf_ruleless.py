"""A table a PDF prints without ruling lines: its rows come from the positions of the words (each
under the header cell it starts in), a line filling fewer than half the columns holds the wrapped
lines of the row above, and empty cells stay where they are. Made-up form in the shape of a 绩效目标表."""

from __future__ import annotations

from pdf_fixtures import Page, Text, build_pdf

from semx.ingest import ingest_bytes
from semx.targets import parse_targets

COLS = [40.0, 110.0, 200.0, 300.0, 420.0, 490.0]
ROWS = [
    (["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "依据"], []),
    (["产出指标", "数量指标", "整理卷数", "当年整理的卷数", "≥100卷", "工作需要"], [(2, "（卷）")]),
    (["", "质量指标", "合格率（%）", "合格卷数占整理", "≥95%", "工作需要"], [(3, "卷数的比率")]),
    (["效益指标", "社会效益指标", "查档人次", "年接待查档人次", "≥2400人次", "工作计划"], []),
    (["满意度指标", "服务对象满意度指标", "查档满意度", "调查中满意的比率", "≥90%", "问卷调查"], []),
]


Rows = list[tuple[list[str], list[tuple[int, str]]]]


def table_page(head: list[Text], rows: Rows, top: float, pitch: float, wrap: float) -> Page:
    """`head` above a rule-free table: each row's cells at COLS, all its wrapped lines on one line
    `wrap` under it, the next row `pitch` (plus `wrap` after wrapped lines) further down."""
    texts = list(head)
    for cells, wraps in rows:
        for x, cell in zip(COLS, cells, strict=True):
            if cell:
                texts.append(Text(x, top, cell, 9))
        for k, more in wraps:
            texts.append(Text(COLS[k], top + wrap, more, 9))
        top += pitch + wrap * bool(wraps)
    return Page(texts=texts)


def _page() -> Page:
    head = [Text(40, 60, "某某馆档案整理项目绩效目标表", 12), Text(40, 90, "单位：万元", 9),
            Text(40, 110, "项目名称", 9), Text(110, 110, "某某馆档案整理", 9),
            Text(40, 125, "预算数", 9), Text(110, 125, "12.00", 9)]
    return table_page(head, ROWS, top=150.0, pitch=17.0, wrap=11.0)


def test_rows_of_a_table_without_rules() -> None:
    doc = ingest_bytes(build_pdf([_page(), Page(texts=[Text(40, 60, "预算 支出 科目 万元 绩效", 9)])]), "r.pdf")
    rows = [ln.text.split("\t") for ln in doc.lines if ln.text.count("\t") >= 5]
    assert rows[1] == ["产出指标", "数量指标", "整理卷数（卷）", "当年整理的卷数", "≥100卷", "工作需要"]
    assert rows[2] == ["", "质量指标", "合格率（%）", "合格卷数占整理卷数的比率", "≥95%", "工作需要"]
    (project,) = parse_targets(doc)[0]
    assert [(i.level1, i.level2, i.level3, i.value.op, str(i.value.number)) for i in project.indicators] == [
        ("产出指标", "数量指标", "整理卷数（卷）", "≥", "100"),
        ("产出指标", "质量指标", "合格率（%）", "≥", "95"),
        ("效益指标", "社会效益指标", "查档人次", "≥", "2400"),
        ("满意度指标", "服务对象满意度指标", "查档满意度", "≥", "90"),
    ]


def test_a_table_without_rules_goes_on_over_the_page() -> None:
    """The header and one row at the foot of a page, the row's wrapped end and the next rows at the
    top of the next: one table; a heading at the left edge of a page is not taken into it."""
    first = [Text(40, 60, "某某馆档案整理项目绩效目标表", 12), Text(40, 90, "单位：万元", 9)]
    for x, cell in zip(COLS, ROWS[0][0], strict=True):
        first.append(Text(x, 760, cell, 9))
    for x, cell in zip(COLS, ROWS[1][0], strict=True):
        first.append(Text(x, 777, cell, 9))
    second = [Text(COLS[2], 40, "（卷）", 9)]
    top = 57.0
    for cells, _ in ROWS[2:]:
        for x, cell in zip(COLS, cells, strict=True):
            if cell:
                second.append(Text(x, top, cell, 9))
        top += 17
    second.append(Text(40, top + 40, "六、其他情况说明", 9))
    doc = ingest_bytes(build_pdf([Page(texts=first), Page(texts=second + [Text(40, 400, "预算 支出 科目 万元 绩效", 9)])]),
                       "r.pdf")
    rows = [ln for ln in doc.lines if ln.text.count("\t") >= 5]
    assert rows[1].text.split("\t")[2] == "整理卷数（卷）" and (rows[1].page, rows[1].end_page) == (1, 2)
    assert [r.text.split("\t")[2] for r in rows[2:]] == ["合格率（%）", "查档人次", "查档满意度"]
    assert any(ln.text == "六、其他情况说明" for ln in doc.lines)


# A table printed without ruling lines by a word processor that pads every row (LibreOffice's
# rule-free table): two rows stand further apart than one and a half line heights, a cell's wrapped
# line follows closer than a row, and the label row above the header keeps its words apart, each under
# the column it starts in.
PITCH = 26.0  # row to row: a line height and the cell padding above and below
WRAP = 13.0  # a cell's wrapped line under its first
PADDED_ROWS: Rows = [
    (["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "依据"], []),
    (["产出指标", "数量指标", "整理卷数", "当年整理的卷数", "≥100卷", "工作需要"], [(3, "（以卷计）")]),
    # a row filling two cells of six: a row of its own by its spacing, not a wrapped line
    (["", "", "修复卷数", "", "≥20卷", ""], []),
    (["效益指标", "社会效益指标", "查档人次", "年接待查档人次", "≥2400人次", "工作计划"], []),
    # three cells of six wrapped: close under the row, joined to it however many cells it fills
    (["满意度指标", "服务对象满意度", "查档满意", "调查中满意的", "≥90%", "问卷调查"], [(1, "指标"), (2, "程度"), (3, "比率")]),
]


def _padded_page() -> Page:
    head = [Text(40, 60, "某某馆档案整理项目绩效目标表", 12),
            Text(40, 90, "项目名称", 9), Text(110, 90, "某某馆档案整理", 9),
            Text(300, 90, "项目类别", 9), Text(420, 90, "本级支出项目", 9),
            Text(40, 116, "预算数", 9), Text(110, 116, "12.00", 9)]
    return table_page(head, PADDED_ROWS, top=142.0, pitch=PITCH, wrap=WRAP)


def test_a_padded_table_without_rules() -> None:
    doc = ingest_bytes(build_pdf([_padded_page(), Page(texts=[Text(40, 60, "预算 支出 科目 万元 绩效", 9)])]), "p.pdf")
    # the label row's words under the columns they start in, as the header's lines are
    assert "项目名称\t某某馆档案整理\t\t项目类别\t本级支出项目\t" in [ln.text for ln in doc.lines]
    (project,) = parse_targets(doc)[0]
    assert [(i.level1, i.level2, i.level3, i.value.op, str(i.value.number)) for i in project.indicators] == [
        ("产出指标", "数量指标", "整理卷数", "≥", "100"),
        ("产出指标", "数量指标", "修复卷数", "≥", "20"),
        ("效益指标", "社会效益指标", "查档人次", "≥", "2400"),
        ("满意度指标", "服务对象满意度指标", "查档满意程度", "≥", "90"),
    ]


def test_a_project_name_wrapped_in_the_label_row_above_a_padded_table() -> None:
    """The name in the label row above the table wraps in its cell (a cell's next line, closer than
    a row): the wrapped line joins the name, and the form is read under the whole name."""
    head = [Text(40, 60, "项目支出绩效目标表", 12),
            Text(40, 90, "项目名称", 9), Text(110, 90, "某某馆档案数字化", 9), Text(110, 90 + WRAP, "整理", 9),
            Text(40, 90 + WRAP + PITCH, "预算数", 9), Text(110, 90 + WRAP + PITCH, "12.00", 9)]
    page = table_page(head, PADDED_ROWS, top=90 + WRAP + 2 * PITCH, pitch=PITCH, wrap=WRAP)
    doc = ingest_bytes(build_pdf([page, Page(texts=[Text(40, 60, "预算 支出 科目 万元 绩效", 9)])]), "w.pdf")
    assert "项目名称\t某某馆档案数字化整理" in [ln.text for ln in doc.lines]
    (project,) = parse_targets(doc)[0]
    assert project.name == "某某馆档案数字化整理" and len(project.indicators) == 4
