"""A table printed without ruling lines by a word processor that pads every row (LibreOffice's
rule-free table): two rows stand further apart than one and a half line heights, a cell's wrapped
line follows closer than a row, and the label row above the header keeps its words apart. Made-up
form in the shape of a 绩效目标表."""

from __future__ import annotations

from pdf_fixtures import Page, Text, build_pdf

from semx.ingest import ingest_bytes
from semx.targets import parse_targets

COLS = [40.0, 110.0, 200.0, 300.0, 420.0, 490.0]
PITCH = 26.0  # row to row: a line height and the cell padding above and below
WRAP = 13.0  # a cell's wrapped line under its first
ROWS = [
    (["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "依据"], []),
    (["产出指标", "数量指标", "整理卷数", "当年整理的卷数", "≥100卷", "工作需要"], [(3, "（以卷计）")]),
    # a row filling two cells of six: a row of its own by its spacing, not a wrapped line
    (["", "", "修复卷数", "", "≥20卷", ""], []),
    (["效益指标", "社会效益指标", "查档人次", "年接待查档人次", "≥2400人次", "工作计划"], []),
    # three cells of six wrapped: close under the row, joined to it however many cells it fills
    (["满意度指标", "服务对象满意度", "查档满意", "调查中满意的", "≥90%", "问卷调查"], [(1, "指标"), (2, "程度"), (3, "比率")]),
]


def _page() -> Page:
    texts = [Text(40, 60, "某某馆档案整理项目绩效目标表", 12),
             Text(40, 90, "项目名称", 9), Text(110, 90, "某某馆档案整理", 9),
             Text(300, 90, "项目类别", 9), Text(420, 90, "本级支出项目", 9),
             Text(40, 116, "预算数", 9), Text(110, 116, "12.00", 9)]
    top = 142.0
    for cells, wraps in ROWS:
        for x, cell in zip(COLS, cells, strict=True):
            if cell:
                texts.append(Text(x, top, cell, 9))
        for k, more in wraps:  # all of a row's wrapped lines on one line under it
            texts.append(Text(COLS[k], top + WRAP, more, 9))
        top += PITCH + WRAP * bool(wraps)
    return Page(texts=texts)


def test_a_padded_table_without_rules() -> None:
    doc = ingest_bytes(build_pdf([_page(), Page(texts=[Text(40, 60, "预算 支出 科目 万元 绩效", 9)])]), "p.pdf")
    assert "项目名称\t某某馆档案整理\t项目类别\t本级支出项目" in [ln.text for ln in doc.lines]
    (project,) = parse_targets(doc)[0]
    assert [(i.level1, i.level2, i.level3, i.value.op, str(i.value.number)) for i in project.indicators] == [
        ("产出指标", "数量指标", "整理卷数", "≥", "100"),
        ("产出指标", "数量指标", "修复卷数", "≥", "20"),
        ("效益指标", "社会效益指标", "查档人次", "≥", "2400"),
        ("满意度指标", "服务对象满意度指标", "查档满意程度", "≥", "90"),
    ]
