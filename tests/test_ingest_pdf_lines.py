"""PDF free text: a sentence wrapped at the right margin is one line; a table-of-contents entry or
a numbered item that starts the next line is not glued to the line above."""

from __future__ import annotations

from pdf_fixtures import Page, Text, build_pdf

from semx.ingest.pdf import read_pdf

SIZE = 10.0  # every character is one em wide in the fixtures: 10 points


def _lines(texts: list[str], x: float = 60.0) -> list[str]:
    page = Page(texts=[Text(x, 80 + 14 * i, t, SIZE) for i, t in enumerate(texts)])
    # A second, short paragraph fixes the left margin; the longest line fixes the right one.
    return [ln.text for ln in read_pdf(build_pdf([page]), "t.pdf").lines]


def test_a_sentence_wrapped_at_the_margin_is_joined() -> None:
    first = "2023年部门预算收入总额120.00万元，支出总额120.00万元，其中基本支出"
    got = _lines([first, "100.00万元，项目支出20.00万元。"])
    assert got == [first + "100.00万元，项目支出20.00万元。"]


def test_table_of_contents_entries_stay_apart() -> None:
    toc = ["一、部门主要职能" + "…" * 30, "二、部门机构设置" + "…" * 30, "三、名词解释" + "…" * 32]
    assert _lines(toc) == toc


def test_a_numbered_item_after_a_full_line_starts_a_new_line() -> None:
    first = "（一）贯彻执行国家和本市有关司法行政工作的法律、法规、规章和方针、政策。"
    second = "（二）承担区委全面依法治区委员会办公室日常工作。"
    assert _lines([first, second]) == [first, second]
    # A decimal at the start of the next line is a wrapped amount, not an item number.
    assert _lines([first[:-1] + "共计", "1.5万元。"]) == [first[:-1] + "共计1.5万元。"]


def test_a_rotated_page_reads_like_the_upright_one() -> None:
    from pdf_fixtures import EXPENDITURE_ROWS, budget_table_page

    upright = budget_table_page("2023年部门支出预算总表", EXPENDITURE_ROWS)
    turned = budget_table_page("2023年部门支出预算总表", EXPENDITURE_ROWS)
    turned.rotate = 90
    a = read_pdf(build_pdf([upright]), "a.pdf").lines
    b = read_pdf(build_pdf([turned]), "b.pdf").lines
    assert [(ln.text, ln.top, ln.x0) for ln in b] == [(ln.text, ln.top, ln.x0) for ln in a]
    assert all(ln.top >= 0 for ln in b)


def test_a_table_drawn_turned_on_a_portrait_page_reads_upright() -> None:
    """A landscape table drawn turned a quarter on a portrait media box (the text runs up the
    page) reads like the same table drawn upright. Latin text and figures only: PDFium drops the
    turned CJK glyphs of the fixtures' unembedded font, which real PDFs embed."""
    from pdf_fixtures import TABLE_COLS, Text, grid_page

    rows = [["code", "name", "total", "basic", "project"], ["201", "general", "120.00", "100.00", "20.00"],
            ["2010301", "running", "100.00", "100.00", ""], ["2010302", "affairs", "20.00", "", "20.00"]]

    def page(turned: bool) -> Page:
        p = grid_page(120, TABLE_COLS, rows, before=[Text(150, 60, "2023 budget table", 14)])
        p.width, p.height, p.turned = 842.0, 595.0, turned
        return p

    a = read_pdf(build_pdf([page(False)]), "a.pdf").lines
    b = read_pdf(build_pdf([page(True)]), "b.pdf").lines
    assert [ln.text for ln in b] == [ln.text for ln in a]
    assert "2010301\trunning\t100.00\t100.00\t" in [ln.text for ln in b]
