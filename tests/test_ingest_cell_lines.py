"""One cell per line (PyMuPDF's default `get_text()`), and the reading fixes the text variants needed
to raise no false arithmetic finding (issue 17, item 3). The whole-document comparisons with the PDF
are in tests/test_ingest_text_variants.py; these pin each rule on a few lines."""

from __future__ import annotations

from decimal import Decimal as D

from semx.ingest import ingest_text
from semx.ingest.cell_lines import read_cell_lines
from semx.ingest.flat_text import read_flat
from semx.ingest.layout_text import read_layout
from semx.ingest.text import detect_layout, text_lines
from semx.ingest.tsv_text import read_tsv
from semx.models import TableRow
from semx.tables.placement import place_three_public

_VOCAB = "预算 万元 绩效 支出 科目\n" * 3


def _rows(text: str) -> list[list[str]]:
    return [ln.text.split("\t") for ln in read_cell_lines(text_lines(text))]


def test_cell_per_line_text_is_detected() -> None:
    text = "2023年部门支出预算总表\n类\n款\n项\n" + "201\n05\n统计\n2,976,800 \n0\n2,976,800 \n" * 8 + _VOCAB
    assert detect_layout(text_lines(text)) == "cell_lines"
    doc = ingest_text(text)
    assert doc.rebuilt_from == "cell_lines" and doc.layout == "tab"


def test_coded_rows_and_total_rebuilt() -> None:
    """A code opens a row; its parts, name and figures follow one per line; the header's 类 款 项 are
    one row and the code label stands apart, as text that keeps rows prints them."""
    text = (
        "项目\n一般公共预算支出\n功能分类科目编码\n功能分类科目名称\n合计\n基本支出\n项目支出\n类\n款\n项\n"
        "201\n一般公共服务支出\n2,976,800 \n0\n2,976,800 \n"
        "201\n05\n06\n统计管理\n26,300 \n0\n26,300 \n"
        "合计\n3,003,100 \n0\n3,003,100 \n"
    )
    rows = _rows(text)
    assert rows[:4] == [["项目", "一般公共预算支出"], ["功能分类科目编码"],
                        ["功能分类科目名称", "合计", "基本支出", "项目支出"], ["类", "款", "项"]]
    assert rows[4] == ["201", "", "", "一般公共服务支出", "2,976,800", "0", "2,976,800"]
    assert rows[5] == ["201", "05", "06", "统计管理", "26,300", "0", "26,300"]
    assert rows[6] == ["", "", "", "合计", "3,003,100", "0", "3,003,100"]
    lines = read_cell_lines(text_lines(text))
    assert (lines[5].no, lines[5].end_no) == (16, 22)  # the row keeps its first and last source line


def test_two_sided_rows() -> None:
    """收支总表: both sides' labels and figures, an amount printed on the line of the next label,
    a right side numbered like its left, the two totals on one row."""
    text = (
        "收入\n支出\n项目\n预算数\n项目\n预算数\n"
        "一、财政拨款收入\n164,978,640 一、一般公共服务支出\n2,976,800 \n"
        "二、事业收入\n二、外交支出\n"
        "四、文化旅游体育与传媒\n支出\n200,000 \n"
        "收入总计\n164,978,640 \n支出总计\n164,978,640 \n"
    )
    rows = _rows(text)
    assert ["一、财政拨款收入", "164,978,640", "一、一般公共服务支出", "2,976,800"] in rows
    assert ["二、事业收入", "二、外交支出"] in rows
    assert ["四、文化旅游体育与传媒支出", "200,000"] in rows
    assert ["收入总计", "164,978,640", "支出总计", "164,978,640"] in rows


def test_two_sided_row_with_no_figures_after_the_totals() -> None:
    """A 收支总表 row with neither side filled (使用非财政拨款结余 | 结余分配) after the totals row:
    both labels one row, so the carry-over rows below keep their own sides and figures."""
    text = (
        "收入\n支出\n项目\n决算数\n项目\n决算数\n"
        "一、一般公共预算财政拨款收入\n300.00\n一、一般公共服务支出\n250.00\n"
        "二、卫生健康支出\n"
        "本年收入合计\n300.00\n本年支出合计\n250.00\n"
        "使用非财政拨款结余（含专用结余）\n结余分配\n"
        "年初结转和结余\n10.00\n年末结转和结余\n60.00\n"
        "总计\n310.00\n总计\n310.00\n"
    )
    rows = _rows(text)
    assert ["使用非财政拨款结余（含专用结余）", "结余分配"] in rows
    assert ["年初结转和结余", "10.00", "年末结转和结余", "60.00"] in rows
    assert ["总计", "310.00", "总计", "310.00"] in rows
    assert ["二、卫生健康支出"] in rows  # a numbered label alone: the right side running on


def test_two_sided_coded_halves() -> None:
    """A header with 类 款 twice prints 人员经费 (301) and 公用经费 (302) halves on one row."""
    text = "项目\n科目编码\n科目名称\n决算数\n类\n款\n类\n款\n" + (
        "301\n01\n基本工资\n262.33\n302\n01\n办公费\n21.21\n"
        "301\n02\n津贴补贴\n1,238.58\n302\n02\n印刷费\n7.61\n"
    )
    rows = _rows(text)
    assert ["301", "01", "基本工资", "262.33", "302", "01", "办公费", "21.21"] in rows
    assert ["301", "02", "津贴补贴", "1,238.58", "302", "02", "印刷费", "7.61"] in rows


def test_a_header_printed_twice_is_no_two_sided_coded_table() -> None:
    """A function table whose header the PDF prints twice (功能分类科目编码 … 类 款 项, then all of it
    again): 类 twice on two header rows is no 301 | 302 pair, so a 项 row and the next 类 row stay
    two rows."""
    head = "功能分类科目编码\n功能分类科目名称\n合计\n财政拨款收入\n其他收入\n类\n款\n项\n"
    text = "项目\n收入预算\n" + head + head + (
        "208\n社会保障和就业支出\n120.00 \n120.00 \n0.00 \n"
        "208\n05\n01\n行政单位离退休\n120.00 \n120.00 \n0.00 \n"
        "210\n卫生健康支出\n30.00 \n30.00 \n0.00 \n"
        "210\n11\n01\n行政单位医疗\n30.00 \n30.00 \n0.00 \n"
    )
    rows = _rows(text)
    assert ["210", "", "", "卫生健康支出", "30.00", "30.00", "0.00"] in rows
    assert ["208", "05", "01", "行政单位离退休", "120.00", "120.00", "0.00"] in rows


def test_two_sided_labels_wrapped_in_their_cells() -> None:
    """The right side's label printed after the left side's figure wraps onto a line of its own
    (`493.76 一、社会保障和就业` / `支出`), and a left label wraps before the right one
    (`三、国有资本经营预` / `算` / `三、城乡社区支出`): each row keeps both labels whole."""
    text = (
        "财政拨款收入\n财政拨款支出\n项目\n预算数\n项目\n合计\n一般公共预算\n政府性基金预算\n"
        "一、一般公共预算\n493.76 一、社会保障和就业\n支出\n16.07 \n16.07 \n0.00 \n"
        "二、政府性基金预算\n27.93 二、卫生健康支出\n4.48 \n4.48 \n0.00 \n"
        "三、国有资本经营预\n算\n三、城乡社区支出\n501.14 473.21 27.93 \n"
        "收入总计\n521.69 支出总计\n521.69 493.76 27.93 \n"
    )
    rows = _rows(text)
    assert ["一、一般公共预算", "493.76", "一、社会保障和就业支出", "16.07", "16.07", "0.00"] in rows
    assert ["三、国有资本经营预算", "三、城乡社区支出", "501.14", "473.21", "27.93"] in rows


def test_form_indicator_rows() -> None:
    """Indicator rows from the category words: a 二级 wrapped over two lines, a 一级 and a 二级 on
    one line, a 成本指标 under 产出指标, a name wrapped onto a second line (the odd cell out, joined
    at the longest line) and a value word that is no category (合规, then 效益指标)."""
    text = (
        "一级指标\n二级指标\n三级指标\n年度(/项目)指标值\n绩效指标\n"
        "产出指标\n数量指标\n规划建筑面积\n≥13459.00(平方米)\n成本指标\n预算内经费\n合规\n"
        "效益指标\n社会效益指\n标\n协调推动区域化党建工作\n有效\n"
        "全面提升社区党员党性修养，提升书记综合素质，牢固树\n立全心全意为民服务意识\n有效\n"
        "满意度指标服务对象满意\n度指标\n居民满意度\n90%\n"
    )
    rows = _rows(text)
    assert rows[0] == ["", "一级指标", "二级指标", "三级指标", "年度(/项目)指标值"]
    assert rows[1:] == [
        ["绩效指标", "产出指标", "数量指标", "规划建筑面积", "≥13459.00(平方米)"],
        ["", "", "成本指标", "预算内经费", "合规"],
        ["", "效益指标", "社会效益指标", "协调推动区域化党建工作", "有效"],
        ["", "", "", "全面提升社区党员党性修养，提升书记综合素质，牢固树立全心全意为民服务意识", "有效"],
        ["", "满意度指标", "服务对象满意度指标", "居民满意度", "90%"],
    ]


def test_form_fields_keep_their_values() -> None:
    rows = _rows("财政项目支出绩效目标填报表\n项目名称\n新建社区中心\n主管部门\n某街道办事处\n"
                 "其中：财政资金\n4,100,000.00\n其中：当年财政拨款\n4,100,000.00\n")
    assert ["项目名称", "新建社区中心"] in rows and ["主管部门", "某街道办事处"] in rows
    assert ["其中：财政资金", "4,100,000.00", "其中：当年财政拨款", "4,100,000.00"] in rows


def test_three_public_header_from_cell_lines() -> None:
    """The 三公 header: a label over several columns and the last column's wrapped name stand alone;
    小计 opens the row of the group's parts."""
    rows = _rows("“三公”经费预算数\n机关运行经费预算\n数\n合计\n因公出国(境)费\n公务接待费\n公务用车购置及运行费\n"
                 "小计\n购置费\n运行费\n10.71\n0.00\n0.73\n9.98\n0.00\n9.98\n184.59\n")
    assert rows == [["“三公”经费预算数"], ["机关运行经费预算"], ["数"],
                    ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费"], ["小计", "购置费", "运行费"],
                    ["10.71", "0.00", "0.73", "9.98", "0.00", "9.98", "184.59"]]


_PATHS = [["三公", "合计"], ["三公", "因公出国(境)费"], ["三公", "公务接待费"], ["三公", "公务用车", "小计"],
          ["三公", "公务用车", "购置费"], ["三公", "公务用车", "运行费"], ["机关运行经费预算数"]]
_COLS = ["合计", "因公出国(境)费", "公务接待费", "小计", "购置费", "运行费", "机关运行经费预算数"]


def _short(*raw: str) -> TableRow:
    cells = [D(r) for r in raw] + [None] * (7 - len(raw))
    return TableRow(line=1, cells=cells, raw=[*raw, *[""] * (7 - len(raw))])


def test_three_public_figures_placed_by_the_sums() -> None:
    """Four figures of seven: 867.50 = 839.00 + 28.50 and one free column after the 三公 ones."""
    rows, notes = place_three_public([_short("867.50", "839.00", "28.50", "213.28")], _COLS, _PATHS)
    assert rows[0].cells == [D("867.50"), D("839.00"), D("28.50"), None, None, None, D("213.28")] and not notes


def test_three_public_figures_left_out_when_ambiguous() -> None:
    """1.00 1.00 171.01: 1.00 may be 因公出国 or 公务接待; the row is not checked under either."""
    rows, notes = place_three_public([_short("1.00", "1.00", "171.01")], _COLS, _PATHS)
    assert rows == [] and [figures for figures, _ in notes] == ["1.00、1.00、171.01"]


def test_three_public_full_row_read_only_when_its_sums_hold() -> None:
    """Seven figures of seven stand in the columns' order; read when 合计 = 因公出国 + 公务接待 + 小计
    and 小计 = 购置费 + 运行费, else left out (a misread order would make false findings)."""
    full = _short("10.71", "0.00", "0.73", "9.98", "0.00", "9.98", "184.59")
    rows, notes = place_three_public([full], _COLS, _PATHS)
    assert rows == [full] and not notes
    swapped = _short("10.71", "0.73", "9.98", "0.00", "9.98", "0.00", "184.59")
    rows, notes = place_three_public([swapped], _COLS, _PATHS)
    assert rows == [] and [figures for figures, _ in notes] == ["10.71、0.73、9.98、0.00、9.98、0.00、184.59"]


def test_three_public_short_row_left_out_when_no_placement_keeps_the_sums() -> None:
    """Three figures of seven that no placement makes add up are not read from the left."""
    rows, notes = place_three_public([_short("5.00", "1.00", "171.01")], _COLS, _PATHS)
    assert rows == [] and "没有一种放法" in notes[0][1]


def test_flat_title_split_around_another_line() -> None:
    """pdftotext -raw prints a title's last character after the line beside it: that line (printed
    above the title) comes first, the title right before its unit line."""
    lines = read_flat(text_lines("收入支出决算总\n第二部分 某局 2024 年度部门决算表\n表\n单位：万元\n"))
    assert [ln.text for ln in lines][:3] == ["第二部分\t某局\t2024年度部门决算表", "收入支出决算总表", "单位：万元"]


def test_tsv_first_row_completed_by_the_rows_after() -> None:
    """A table's header under its title, a cell wrapped onto the next line: as wide as the rows below."""
    text = ("收入决算表\n项目\t\t合计\t附属单位上\n缴收入\t其他收入\n类\t款\t项\t合计\t1.00\n"
            "201\t\t\t支出\t1.00\n")
    lines = read_tsv(text_lines(text))
    assert "项目\t\t合计\t附属单位上缴收入\t其他收入" in [ln.text for ln in lines]



def test_tsv_amount_then_label_rows_stay_apart() -> None:
    """Two label rows under a form title add up to the width of the indicator header after them;
    a row ending in an amount is whole: the next label is not glued to `215.30`."""
    text = ("某某项目绩效目标表\n单位名称\t某馆\n年度预算数\t88.50\n年度目标\t完成某项工作。\n"
            "绩效指标\t指标名称\t目标值\n数量指标\t整理卷数\t≥100卷\n")
    rows = [ln.text for ln in read_tsv(text_lines(text))]
    assert "年度预算数\t88.50" in rows
    assert "年度目标\t完成某项工作。" in rows

def test_layout_header_words_name_number_columns_in_order() -> None:
    """pdfplumber's layout prints a header line narrower than the figures under it: four names over
    four number columns name them in order."""
    text = (
        "      项目       合计     一般公共预算    政府性基金预算    国有资本经营预算\n"
        "  一、公共安全支出 79,189,400.34 79,189,400.34    0.00         0.00\n"
        "  二、卫生健康支出  982,692.00   982,692.00       0.00         0.00\n"
        "  三、住房保障支出 3,861,459.00 3,861,459.00      0.00         0.00\n"
    )
    rows = [ln.text.split("\t") for ln in read_layout(text_lines(text))]
    header = rows[0]
    assert [c for c in header if c] == ["项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]
    assert len(header) == len(rows[1])
    assert rows[1][header.index("一般公共预算")] == "79,189,400.34"
    assert rows[1][header.index("政府性基金预算")] == "0.00"
    assert rows[1][header.index("国有资本经营预算")] == "0.00"


def test_empty_table_row_is_not_a_header_word() -> None:
    """`无` under 类 款 项 (an empty fund table) is its row, not a fourth code label."""
    rows = _rows("项目\n政府性基金预算支出\n功能分类科目编码\n功能分类科目名称\n合计\n基本支出\n项目支出\n类\n款\n项\n无\n合计\n"
                 "注:本单位2026年无政府性基金预算财政拨款安排的预算，故本表为空表。\n")
    assert ["类", "款", "项"] in rows and ["无"] in rows


def test_wrapped_header_names_and_the_right_half_of_a_two_sided_header() -> None:
    """决算 headers: a column name wrapped in its cell (一般公共预算财 / 政拨款) is one name; the right
    side's `项目 合计 …` stands on the left side's `项目 决算数` row; fund names printed two to a line
    are two cells; a row label that starts with a column name (人员经费合计) stays whole."""
    text = (
        "收入\n支出\n项目\n决算数\n项目\n合计\n一般公共预算财\n政拨款\n政府性基金预算国有资本经营预算\n"
        "一、一般公共预算财政拨款\n2,940.05\n一、一般公共服务支出\n2,106.66\n2,106.66\n"
        "人员经费合计\n1,503.52\n"
    )
    rows = _rows(text)
    assert rows[1] == ["项目", "决算数", "项目", "合计", "一般公共预算财政拨款", "政府性基金预算", "国有资本经营预算"]
    assert ["人员经费合计", "1,503.52"] in rows


def test_budget_two_sided_header_split_below_stays_apart() -> None:
    """`项目 预算数 项目 预算数`, its right 预算数 split below into 合计 / 基本支出 …: 项目 预算数 again
    is a row of its own (the 2026 财务收支预算总表, whose header rows tables/ rebuilds)."""
    text = "本年收入\n本年支出\n项目\n预算数\n项目\n预算数\n合计\n基本支出\n一、财政拨款收入\n100\n"
    assert _rows(text)[1] == ["项目", "预算数"]


def test_final_account_header_rows_as_printed() -> None:
    """A 决算 table's header: PyMuPDF prints 项目, the figure columns beside it, then the 项目 cell's
    parts (功能分类 / 科目名称 / 科目编码 over 类 款 项): each is a printed row of its own, as pdftotext
    prints them, so the names do not run into the figure columns."""
    text = ("项目\n合计\n基本支出\n项目支出\n功能分类\n科目名称\n科目编码\n类\n款\n项\n"
            "201\n一般公共服务支出\n2,106.66\n1,503.52\n603.14\n")
    rows = _rows(text)
    assert rows[:6] == [["项目"], ["合计", "基本支出", "项目支出"], ["功能分类"], ["科目名称"], ["科目编码"],
                        ["类", "款", "项"]]


def test_flat_amount_with_its_unit_is_one_word() -> None:
    """A sentence of the 说明 wrapped after a figure (`…服务预算` / `37.50万元。`) keeps the figure with
    its unit; a figure run into a label (`0.00其他资金`) is still two cells."""
    lines = read_flat(text_lines("政府采购预算12.00万元，其中服务预算\n37.50万元。\n财政拨款 0.00其他资金 5.00\n"))
    assert [ln.text for ln in lines][1:] == ["37.50万元。", "财政拨款\t0.00\t其他资金\t5.00"]
