"""Reader for text that prints every table cell on a line of its own (PyMuPDF's default `get_text()`).

Such an extractor writes a page's text blocks one after another: a table row becomes its cells, one
per line (a cell that wraps keeps its line breaks), and an empty cell prints nothing, so the row's
boundaries are gone. Now and then two neighbouring cells share a line (`164,978,640 一、一般公共服务支出`:
an amount and the label right of it). This reader puts the printed rows back together from what
each line is, then hands them to the flattened-text reader (`flat_text.assemble`), which rebuilds
subject-code rows and totals as for `pdftotext -raw`:

- a subject code (`201`, then `05`, `06` on lines of their own) opens a row: its name and amounts follow;
- amounts close a row; a label after them opens the next one;
- amounts after a label join it when the label is a data row's (an enumerated `一、…` / `1. …`, a
  total, a money-block label, or any label printed right after another row's amounts); amounts after
  a column header (`小计` `购置费` `运行费`) are a row of their own;
- a run of short words with no amounts between furniture and the data is the table's header, one line;
- a form field label (项目名称, 主管部门, …) and its value are one row;
- a form's indicator rows are rebuilt from the category vocabulary: a 一级 / 二级 word (whole, wrapped
  over two lines, or both on one line) opens its block, and the cells between category words pair
  into 三级指标 and 指标值; a cell wrapped onto a second line is joined where the pairs leave one over
  (the longest line is the one the cell's width wrapped) or where a quotation mark is still open.

Every row keeps its first and last source line (`Line.no` / `Line.end_no`); tables/ and targets/ see
the same tab-joined rows as from any other source.
"""

from __future__ import annotations

import re

from semx.ingest.cell_indicators import INDICATOR_HEAD, CellRow, Src, indicator_part
from semx.ingest.cell_indicators import compact as _compact
from semx.ingest.flat_text import AMOUNT, assemble, is_fragment, join_title_tails, page_numbered, tokens
from semx.models import Line
from semx.vocab import forms as form_vocab
from semx.vocab.columns import FUND_COLUMNS, STANDARD_COLUMNS

_CODE_HEAD = re.compile(r"^[1-9]\d{2}$")
_CODE_PART = re.compile(r"^\d{2}$")
_ENUMERATED = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]{1,2}[)）])")
_TOTAL = re.compile(r"^(?:[\u4e00-\u9fff]{0,8}(?:合计|总计|小计))$")
_FURNITURE = re.compile(r"：|:|表$|表（续）$|^（\d{4}年度）$|^注")
_HEADER_WORD_MAX = 12  # a column header is a short label; longer text is prose or a value
_TAIL_MAX = 4  # a wrapped label's last line is a word or two

# Form field labels whose value is the next cell (the rest are read by the money block or ignored).
_FIELD_LABELS = (form_vocab.NAME, form_vocab.CODE, form_vocab.DEPARTMENT, form_vocab.IMPLEMENTER,
                 form_vocab.START, form_vocab.END, form_vocab.PERIOD, form_vocab.ROW_LABELS)
_WHOLE_NAMES = STANDARD_COLUMNS | FUND_COLUMNS  # column names long enough to wrap in their cell
_MONEY_LABEL = (form_vocab.MONEY_TOTAL, form_vocab.MONEY_FISCAL, form_vocab.MONEY_CARRY, form_vocab.MONEY_OTHER)


def _is_amount(t: str) -> bool:
    return bool(AMOUNT.match(t))


def _kind(text: str) -> str:
    """'code', 'part', 'amounts' (only amounts), 'amount_text' (amounts then a label), 'text'."""
    toks = text.split()
    if len(toks) == 1 and _CODE_HEAD.match(toks[0]):
        return "code"
    if len(toks) == 1 and _CODE_PART.match(toks[0]):
        return "part"
    if toks and all(_is_amount(t) for t in toks):
        return "amounts"
    if toks and _is_amount(toks[0]):
        return "amount_text"
    return "text"


def _label_of(text: str) -> str:
    """The label of an `amount_text` line (`493.76 一、社会保障和就业` -> `一、社会保障和就业`)."""
    toks = text.split()
    while toks and _is_amount(toks[0]):
        toks = toks[1:]
    return " ".join(toks)


def _is_data_label(text: str) -> bool:
    """A label that heads a row of figures (not a column header)."""
    t = "".join(text.split())
    return bool(_ENUMERATED.match(t) or _TOTAL.match(t) or any(p.search(t) for p in _MONEY_LABEL))


def _is_money(label: str) -> bool:
    return any(p.search(label) for p in _MONEY_LABEL)


def _is_field_label(text: str) -> bool:
    t = "".join(text.split())
    return any(p.match(t) for p in _FIELD_LABELS) and len(t) <= _HEADER_WORD_MAX


def _is_header_word(text: str) -> bool:
    t = "".join(text.split())
    return (0 < len(t) <= _HEADER_WORD_MAX and _kind(text) == "text" and not _FURNITURE.search(t)
            and not _ENUMERATED.match(t) and not _TOTAL.match(t) and not _is_field_label(text))


_CODE_LABEL = re.compile(r"编码$|^类$|^款$|^项$")
_CODE_PARTS = ("类", "款", "项")


# A label over several columns (“三公”经费预算数) or the last column's wrapped name (机关运行经 / 费预算数),
# not the column name 预算数 itself.
_OVER_COLUMNS = re.compile(r".[预决]算数$")


def _header_break(cur: CellRow, word: str, following: str) -> bool:
    """Where a run of header words starts its next printed row (as text extractors that keep rows
    print it): at the code label (`功能分类科目编码`, which stands over 类 款 项) and after it, at the
    类 款 项 row and after it, at a `项目` (the names under 本年收入 / 本年支出); a label over several
    columns (`“三公”经费预算数`) and the group label over a 小计 and its parts (公务用车购置及运行费)
    stand on rows of their own."""
    last = _compact(cur.lines[-1].text)
    if word in _CODE_PARTS or last in _CODE_PARTS:
        return not (word in _CODE_PARTS and last in _CODE_PARTS)
    if len(word) == 1 or len(last) == 1 or last.endswith("编码") or _OVER_COLUMNS.search(last) or word == "小计":
        return True
    if _OVER_COLUMNS.search(word) or _OVER_COLUMNS.search(following):
        return True
    if word in _SUBJECT_LABELS or last in _SUBJECT_LABELS:
        return True  # 功能分类 / 科目名称: the 项目 cell's parts, printed after the columns beside it
    if [_compact(x.text) for x in cur.lines] == ["项目"] and word in _FIRST_COLUMNS:
        return True  # 项目 over the subject labels; the columns beside it are the next row
    if word == "项目":
        # the right side's 项目 after the left side's `项目 预算数` (两栏表): the same printed row
        # (when its own columns follow; `项目 预算数` again stays a row of its own, as the 2026
        # 财务收支预算总表 splits that 预算数 into columns printed below it)
        return [_compact(x.text) for x in cur.lines] not in _LEFT_SIDE_HEADS or following in ("预算数", "决算数")
    return bool(_CODE_LABEL.search(word))


_NUMBER = re.compile(r"^([一二三四五六七八九十]+)、")
# The 决算's subject label under 项目 (功能分类, then 科目名称 / 科目编码 over 类 款 项), and the first
# figure column that PyMuPDF prints right after 项目, before those labels.
_SUBJECT_LABELS = ("功能分类",)
_FIRST_COLUMNS = ("合计", "本年收入合计", "本年支出合计")
# A two-sided table's left half of its header row: its label column and its one figure column.
_LEFT_SIDE_HEADS = (["项目", "预算数"], ["项目", "决算数"])


def _same_number(cur: CellRow, label: str) -> bool:
    """Both sides of a two-sided table number their rows alike (二、事业收入 … 二、外交支出): a label
    with the number of the row's own label is the row's other side."""
    m, first = _NUMBER.match(label), _NUMBER.match(_compact(cur.lines[0].text))
    return bool(m and first and m.group(1) == first.group(1)) and sum(
        1 for x in cur.lines if _kind(x.text.strip()) == "text") == 1


_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", 1)}


def _cn_number(text: str) -> int | None:
    """一 … 九十九 as a number (the numbers of a table's enumerated labels)."""
    m = _NUMBER.match(text)
    if not m:
        return None
    t = m.group(1)
    if "十" not in t:
        return _DIGITS.get(t) if len(t) == 1 else None
    tens, _, ones = t.partition("十")
    return (_DIGITS.get(tens, 0) if tens else 1) * 10 + (_DIGITS.get(ones, 0) if ones else 0)


def _next_in_series(first: str, label: str) -> bool:
    """`十九、` right after `十八、`: the next row of the same side, not the other side of the row."""
    a, b = _cn_number(first), _cn_number(label)
    return a is not None and b is not None and b == a + 1


def _other_side(cur: CellRow, label: str) -> bool:
    """Whether a label can be the right side of the row: not the income total, nor when both sides
    are numbered 一、 二、 … with different numbers (the right side's rows go on below the left's last)."""
    a, b = _NUMBER.match(_compact(cur.lines[0].text)), _NUMBER.match(label)
    if _TOTAL.match(label) and "收入" in label:
        return False  # the income side's total opens its row
    return not (a and b and a.group(1) != b.group(1))


def _left_side(cur: CellRow) -> int | None:
    """The figures of a row that so far holds one label and its figures (None: something else)."""
    labels = figures = 0
    for x in cur.lines:
        toks = x.text.split()
        n = sum(1 for tok in toks if _is_amount(tok))
        figures += n
        labels += len(toks) > n
    return figures if labels == 1 and _kind(cur.lines[0].text.strip()) == "text" else None


def _two_sided_total(cur: CellRow, label: str) -> bool:
    """The expenditure side's total after the income side's (收入总计 … 支出总计 …) shares its row."""
    first = _compact(cur.lines[0].text)
    return bool(_TOTAL.match(first) and "收入" in first and _TOTAL.match(label) and "支出" in label)


def _names_in(text: str) -> list[str] | None:
    """The fund column names a line is made of, when it is two or more of them printed together
    (政府性基金预算国有资本经营预算: neighbouring header cells on one line); None otherwise. Only
    the funds' names: others run into row labels (人员经费合计, 一般公共预算基本支出)."""
    if not text:
        return []
    for name in sorted(FUND_COLUMNS, key=len, reverse=True):
        if text.startswith(name):
            rest = _names_in(text[len(name):])
            if rest is not None:
                return [name, *rest]
    return None


def _split_names(s: Src) -> list[Src]:
    names = _names_in(s.text.strip()) if " " not in s.text.strip() else None
    if names is None or len(names) < 2:
        return [s]
    # each name a cell of its own, as the extractor prints header cells; the source line stays on the first
    return [Src(s.no, s.page, s.raw if k == 0 else "", n) for k, n in enumerate(names)]


def _group(src: list[Src]) -> list[CellRow]:
    """The printed rows of a cell-per-line text (see the module doc)."""
    src = [p for s in src if s.text.strip() for p in _split_names(s)]
    rows: list[CellRow] = []
    cur: CellRow | None = None
    coded = False  # the current row opened with a subject code
    amounts = False  # the current row has figures (a label after them opens the next row)
    waiting = False  # the current row ends with a label whose figures may follow (`0.00 其他资金`)
    header = False  # the current row is a run of column headers
    field = False  # the current row is a form label waiting for its value
    after_figures = False  # the line before this one held figures
    # A two-sided table (its header names 项目 twice: 收入 | 支出): the left side's figure count; its
    # body's labels are data labels and a label after the left side's figures is the right side.
    left_figures: int | None = None
    paired_codes = False  # a header with 类 款 twice: two coded halves per printed row (301 … | 302 …)
    head_words: list[str] = []  # the header words of the current table

    in_body = False  # data rows since the header words were gathered

    def close() -> None:
        nonlocal cur, left_figures, paired_codes, in_body
        if cur is not None:
            rows.append(cur)
            if header or (len(cur.lines) == 1 and _compact(cur.lines[0].text) == "项目"):
                if in_body:  # the header repeated on the next page: counted afresh
                    head_words.clear()
                    in_body = False
                head_words.extend(_compact(x.text) for x in cur.lines)
                if head_words.count("项目") >= 2:
                    a = head_words.index("项目")
                    left_figures = head_words.index("项目", a + 1) - a - 1
                # 类 款 twice on one printed header row, or in an economic header (类 款, no 项);
                # a function table's header printed twice over it (功能分类科目编码 … 类 款 项,
                # then all of it again) has 类 twice on two rows and is one-sided
                paired_codes = paired_codes or [_compact(x.text) for x in cur.lines].count("类") >= 2 or (
                    head_words.count("类") >= 2 and "项" not in head_words)
            else:
                in_body = True
        cur = None

    i = 0
    while i < len(src):
        s = src[i]
        t = s.text.strip()
        kind = _kind(t)
        nxt = _kind(src[i + 1].text.strip()) if i + 1 < len(src) else ""
        if _compact(t) == INDICATOR_HEAD:
            close()
            part, i = indicator_part(src, i)
            rows.extend(part)
            after_figures = False
            continue
        if _FURNITURE.search(_compact(t)) and kind == "text":
            left_figures, paired_codes = None, False  # a title or unit line: another table
            head_words.clear()
        if kind == "code":
            heads = [x for x in cur.lines if _kind(x.text.strip()) == "code"] if cur is not None else []
            if paired_codes and cur is not None and len(heads) == 1 and _compact(heads[0].text) != _compact(t):
                cur.lines.append(s)  # the right half of a two-sided coded row
                coded, amounts, waiting = True, False, False
            else:
                close()
                cur, coded, amounts, waiting, header, field = CellRow([s]), True, False, False, False, False
        elif kind == "part" and cur is not None and coded and not amounts:
            cur.lines.append(s)
        elif kind in ("amounts", "amount_text"):
            label = cur.lines[-1].text if cur is not None else ""
            joins = cur is not None and not header and (
                coded or amounts or waiting or field or _is_data_label(label) or cur.after_figures
                or left_figures is not None)
            if cur is not None and joins:
                cur.lines.append(s)
            else:
                close()
                cur, coded, header, field = CellRow([s], after_figures=after_figures), False, False, False
            amounts, waiting = kind == "amounts" or amounts, kind == "amount_text"
        else:
            compact = _compact(t)
            heading = _is_header_word(t) or (bool(_TOTAL.match(compact)) and nxt == "text")
            if cur is not None and coded and not amounts:
                cur.lines.append(s)  # the code row's name, or a piece of it
            elif cur is not None and field:
                cur.lines.append(s)  # a form field's value
                field = False
            elif cur is not None and len(cur.lines) == 2 and _is_field_label(cur.lines[0].text) \
                    and not _is_field_label(t) and i + 1 < len(src) and _is_field_label(src[i + 1].text):
                cur.glued.add(len(cur.lines))  # the field's value wrapped: its tail before the next label
                cur.lines.append(s)
            elif cur is not None and not amounts and not header and not coded and _ENUMERATED.match(
                    _compact(_label_of(cur.lines[-1].text) if waiting else cur.lines[0].text)) and (
                    waiting or _kind(cur.lines[-1].text.strip()) == "text") and len(
                    compact) <= _TAIL_MAX and is_fragment([compact]) and not _ENUMERATED.match(compact):
                # a numbered label's wrapped tail (四、文化旅游体育与传媒 / 支出), also of the right
                # side's label printed after the left side's figure (`493.76 一、社会保障和就业` / `支出`)
                cur.glued.add(len(cur.lines))
                cur.lines.append(s)
            elif cur is not None and not amounts and not header and len(cur.lines) - len(cur.glued) == 1 and _ENUMERATED.match(
                    compact) and _ENUMERATED.match(_compact(cur.lines[0].text)) and nxt in ("amounts", "amount_text") \
                    and not _next_in_series(_compact(cur.lines[0].text), compact):
                cur.lines.append(s)  # both sides' labels of a two-sided row, its figure after them
            elif cur is not None and not header and len(cur.lines) <= 2 and _same_number(cur, compact):
                cur.lines.append(s)  # the right side of a two-sided row, numbered as its left side
                amounts, waiting = False, True
            elif cur is not None and header and heading and not _header_break(
                    cur, compact, _compact(src[i + 1].text) if i + 1 < len(src) else ""):
                if _compact(cur.lines[-1].text) + compact in _WHOLE_NAMES:
                    cur.glued.add(len(cur.lines))  # a column name wrapped in its cell (附属单位上 / 缴收入)
                cur.lines.append(s)
            elif cur is not None and left_figures and not coded and not amounts and not header \
                    and cur.after_figures and len(cur.lines) == 1 and _kind(cur.lines[0].text.strip()) == "text" \
                    and not _ENUMERATED.match(_compact(cur.lines[0].text)) and not _ENUMERATED.match(compact) \
                    and nxt == "text":
                # a two-sided row with no figure on either side (使用非财政拨款结余 | 结余分配): an
                # unnumbered label opened after the row above's figures, another label, and a label
                # again (the next row's) after them; a numbered label alone is one side's row running
                # on past the other side's last
                cur.lines.append(s)
            elif cur is not None and left_figures and not coded and _left_side(cur) == left_figures \
                    and _other_side(cur, compact):
                cur.lines.append(s)  # the right side's label after the left side's figures
                amounts, waiting = False, True
            elif cur is not None and amounts and form_vocab.ANNUAL.search(compact) and _is_money(compact) \
                    and _is_money(_compact(cur.lines[0].text)) and _left_side(cur) == 1:
                cur.lines.append(s)  # a form's money row: the annual side (其中：当年财政拨款) beside the project's
                amounts, waiting = False, True
            elif cur is not None and amounts and _two_sided_total(cur, compact):
                cur.lines.append(s)  # 支出总计 beside 收入总计: one printed row
                amounts, waiting = False, True
            else:
                close()
                cur = CellRow([s], after_figures=after_figures)
                coded, amounts, waiting = False, False, False
                # after figures a label heads a data row, unless it is the 项目 that opens a header
                # repeated on the next page
                header = heading and (not after_figures or compact == "项目") and nxt == "text"
                field = _is_field_label(t)
        after_figures = kind in ("amounts", "amount_text")
        i += 1
    close()
    return rows


def read_cell_lines(lines: list[Line]) -> list[Line]:
    """Tab-joined rows of a text that prints one cell per line."""
    src = [Src(ln.no, page, ln.raw, ln.text.replace("\f", " ")) for ln, page in page_numbered(lines)]
    rows = _group(src)
    ends: dict[int, int] = {}
    items = []
    for r in rows:
        first = r.lines[0]
        ends[first.no] = max(s.no for s in r.lines)
        raw = "\n".join(s.raw for s in r.lines)
        text = "".join(("" if k in r.glued else " ") + s.text.strip() for k, s in enumerate(r.lines))
        toks = r.cells if r.cells is not None else tokens(text)
        items.append((first.no, first.page, raw, toks, False))
    out = assemble(join_title_tails(items))
    for ln in out:
        end = ends.get(ln.end_no or ln.no, ln.end_no or ln.no)
        ln.end_no = end if end != ln.no else None
    return out
