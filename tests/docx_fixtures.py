"""Small .docx files made in the tests with python-docx: a disclosure with a 绩效目标表 whose
一级指标 cells are merged down the rows (as Word exports them), one without any table, one empty."""

from __future__ import annotations

import io
from typing import Any

PROSE = [
    "某县人民政府办公室2022年部门预算信息公开",
    "一、部门职责",
    "负责县政府日常运转的综合协调工作。",
    "二、预算安排的总体情况",
    "2022年部门预算收入120.00万元，支出120.00万元，其中基本支出100.00万元，项目支出20.00万元。",
    "五、预算绩效信息",
]

# (一级, 二级, 三级, 描述, 指标值, 依据); "" in 一级 means the cell merges with the one above.
INDICATORS = [
    ("产出指标", "数量指标", "保障会议次数", "全年保障常务会议次数", "≥12 次", "年度工作计划"),
    ("", "质量指标", "会议保障合格率", "保障合格的会议占比", "≥95%", "年度工作计划"),
    ("", "时效指标", "按时完成率", "按时完成保障的比例", "100%", "年度工作计划"),
    ("", "成本指标", "会议保障成本", "全年会议保障费用", "≤20 万元", "预算安排"),
    ("效益指标", "社会效益指标", "政务运转效率", "政务运转效率提升", "明显提升", "工作目标"),
    ("满意度指标", "服务对象满意度指标", "参会人员满意度", "参会人员对保障工作的满意程度", "≥90%", "满意度调查"),
]


def _bytes(document: Any) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _merge_down(table: Any, col: int, first_row: int) -> None:
    """Merge the empty 一级 cells of col into the filled cell above them (vertical merge)."""
    top = first_row
    for r in range(first_row + 1, len(table.rows) + 1):
        if r == len(table.rows) or table.cell(r, col).text:
            if r - 1 > top:
                text = table.cell(top, col).text
                merged = table.cell(top, col).merge(table.cell(r - 1, col))
                merged.text = text  # merge() joins the cells' paragraphs; keep the one name
            top = r


def project_docx() -> bytes:
    """Prose, then 1、会议保障经费绩效目标表 with merged 一级 cells, a two-paragraph goal cell and a
    horizontally merged goal row."""
    import docx

    d = docx.Document()
    for p in PROSE:
        d.add_paragraph(p)
    d.add_paragraph("1、会议保障经费绩效目标表")
    goal = d.add_table(rows=1, cols=6)
    goal.cell(0, 0).text = "绩效目标"
    cell = goal.cell(0, 1).merge(goal.cell(0, 5))
    cell.text = "1. 保障全年常务会议顺利召开。"
    cell.add_paragraph("2. 提高会议组织效率。")
    t = d.add_table(rows=1 + len(INDICATORS), cols=6)
    for c, h in enumerate(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]):
        t.cell(0, c).text = h
    for r, row in enumerate(INDICATORS, 1):
        for c, text in enumerate(row):
            if text:
                t.cell(r, c).text = text
    _merge_down(t, 0, 1)
    d.add_paragraph("六、其他重要事项的情况说明")
    return _bytes(d)


def no_table_docx() -> bytes:
    """A disclosure's prose only: no table at all."""
    import docx

    d = docx.Document()
    for p in PROSE:
        d.add_paragraph(p)
    d.add_paragraph("会议保障经费绩效目标：保障全年常务会议顺利召开。绩效指标：全年保障会议不少于12次，满意度不低于90%。")
    return _bytes(d)


def empty_docx() -> bytes:
    import docx

    return _bytes(docx.Document())


def docx_from_lines(lines: list[str]) -> bytes:
    """A .docx holding the given lines: a tab-joined line becomes a table row, consecutive rows of
    the same width one table; any other line a paragraph. Used to read one document both ways."""
    import docx

    d = docx.Document()
    block: list[list[str]] = []

    def flush() -> None:
        if block:
            t = d.add_table(rows=len(block), cols=len(block[0]))
            # row.cells once per row: table.cell(r, c) re-reads the whole grid on every call.
            for row, cells in zip(t.rows, block, strict=True):
                for cell, text in zip(row.cells, cells, strict=True):
                    if text:
                        cell.text = text
            block.clear()

    for line in lines:
        if "\t" in line:
            cells = line.split("\t")
            if block and len(block[0]) != len(cells):
                flush()
            block.append(cells)
        else:
            flush()
            d.add_paragraph(line)
    flush()
    return _bytes(d)


def word_markup_docx() -> bytes:
    """What Word writes besides plain runs: a table of contents in a content control, a tracked
    insertion and deletion, a soft line break, a tab stop in the paragraph's properties."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    d.element.body.insert(0, parse_xml(
        f"<w:sdt {w}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>目录</w:t></w:r></w:p>"
        f"<w:p><w:r><w:t>一、部门职责</w:t></w:r></w:p></w:sdtContent></w:sdt>"))
    p = d.add_paragraph("2022年部门预算支出")
    p._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="a"><w:r><w:t>120.00万元</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {w} w:id="2" w:author="a"><w:r><w:delText>99.00万元</w:delText></w:r></w:del>'))
    q = d.add_paragraph()
    q._p.insert(0, parse_xml(f'<w:pPr {w}><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'))
    q.add_run("其中基本支出100.00万元")
    q._p.append(parse_xml(f"<w:r {w}><w:br/><w:t>项目支出20.00万元</w:t></w:r>"))
    return _bytes(d)
