"""Reader for text whose table rows lost their cell boundaries: one span per line, rows flattened.

`pdftotext -raw`, PyMuPDF / pypdfium2 `get_text`, and pdfplumber `extract_text` print a table row as
its words separated by single spaces; empty cells vanish, a wrapped name cell puts its second line
(and sometimes the row's numbers) on the next line, pdfplumber puts the first half of a wrapped name
*above* a row whose codes and numbers sit at the cell's vertical centre, and some extractors flatten a
whole page of rows into one line. This reader turns such text back into the representation every
reader produces: one line per table row with its cells joined by tabs, numbered by the source line
where the row starts (`Line.end_no` where it ends), so a line break inside a cell never splits a row.

What cannot be recovered is said, not guessed: a flattened row keeps its cells in printed order and
its empty amount cells are gone, so amounts fill the columns from the left. Budget-subject codes are
padded to the 类/款/项 columns the header declares, so the name stays in its column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from semx.models import Line
from semx.vocab.columns import COLUMN_FAMILIES

AMOUNT = re.compile(r"^[-－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CODE_HEAD = re.compile(r"^[1-9]\d{2}$")
# A subject code printed as one number (2010507, 20105: the 决算 tables) stands in one column.
_CODE_JOINED = re.compile(r"^[1-9]\d{2}(?:\d{2}){1,2}$")
_CODE_PART = re.compile(r"^\d{2}$")
# An enumerator printed apart from its words (`1. 一般公共预算`) belongs to them.
_ENUM = re.compile(r"^(?:\d{1,2}[.、．]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]+[、.．])$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Lines that start something new and are never the wrapped end of a name cell.
_NOT_FRAGMENT = re.compile(
    r"表$|表（续）$|：|:|^注|^[一二三四五六七八九十]+、|^第.+部分|^\d|^合计|总计$|^编制|^单位(?:[:：（(]|万?元$)"
)
_FRAGMENT_MAX = 12  # a wrapped cell's tail is short; a longer text line is something of its own
# A total row's label (合计, 人员经费合计): a flattened table prints it right after its last row's amounts.
_TOTAL = re.compile(r"^(?:合计|总计|小计|[\u4e00-\u9fff]{1,8}合计)$")


# An amount printed against the next cell's label with no space (`0.00其他资金`, an overlap in the PDF).
# An amount with its own unit after it (`637.61万元。`, a sentence wrapped in the 说明) is not one.
GLUED = re.compile(r"^(-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+)(?!万?元)([\u4e00-\u9fff].*)$")


def split_glued(tok: str) -> list[str]:
    m = GLUED.match(tok)
    return [m.group(1), m.group(2)] if m else [tok]


_YEAR = re.compile(r"^(?:19|20)\d{2}$")


def tokens(text: str) -> list[str]:
    """Whitespace-separated words, an enumerator joined to the word after it."""
    out: list[str] = []
    for tok in (t for raw in text.split() for t in split_glued(raw)):
        if out and (_ENUM.match(out[-1]) or (_YEAR.match(out[-1]) and tok.startswith("年"))):
            out[-1] += tok  # `2025 年度部门决算`: a year, not a figure
        else:
            out.append(tok)
    return out


def _is_amount(tok: str) -> bool:
    return bool(AMOUNT.match(tok))


@dataclass
class Logical:
    """One output line being assembled from one or more source lines."""

    first: int
    last: int
    page: int | None
    raw: list[str]
    cells: list[str]
    codes: list[str] = field(default_factory=list)
    name: str = ""
    amounts: list[str] = field(default_factory=list)
    coded: bool = False  # a budget-subject row (codes, name, amounts)
    name_split: bool = False  # name taken from the line above: its tail may follow below
    tailed: bool = False  # a wrapped name's tail below the row already joined
    code_width: int = 0  # code columns the table's header declared

    def row_cells(self) -> list[str]:
        joined = len(self.codes) == 1 and bool(_CODE_JOINED.match(self.codes[0]))
        codes = self.codes
        if joined and 3 + 2 * (self.code_width - 1) >= len(codes[0]) and self.code_width >= 2:
            # a whole code (2010506) under a header that declares its 类 款 项 columns fills them,
            # as the 类 code (201) of the same table is padded to them
            code = codes[0]
            codes = [code[:3]] + [code[k: k + 2] for k in range(3, len(code), 2)]
            joined = False
        codes = codes + [""] * max(0, (0 if joined else self.code_width) - len(codes))
        return [*codes, self.name, *self.amounts]


def _split_coded(toks: list[str]) -> list[list[str]]:
    """A line holding several flattened coded rows, cut where a new code starts after an amount."""
    rows: list[list[str]] = [[]]
    for i, tok in enumerate(toks):
        cur = rows[-1]
        after_amount = bool(cur) and _is_amount(cur[-1]) and _starts_coded(toks[i:])
        # a second coded half after a name without amounts: `301 03 奖金 302 03 咨询费`
        after_name = bool(cur) and bool(_CJK.search(cur[-1])) and len(toks) > i + 2 and bool(
            _CODE_PART.match(toks[i + 1])) and _starts_coded(toks[i:])
        # the table's total row flattened onto its last coded row: `… 1,488,000.00 合计 371,514,655.00`
        # (also after a coded row's name whose figure is blank: `310 99 其他资本性支出 人员经费合计 2,152.26`;
        # the totals of a two-sided table's halves stay one row: `人员经费合计 … 公用经费合计 …`)
        total = (
            bool(cur) and bool(_TOTAL.match(tok)) and i + 1 < len(toks) and _is_amount(toks[i + 1])
            and not _TOTAL.match(cur[0])
            and (_is_amount(cur[-1]) or (bool(_CJK.search(cur[-1])) and _starts_coded(cur)))
        )
        # a joined code (30201) starts the second half only with its name after it
        # (or, nameless, a code of the first code's kind and length: 30113 … 431.39 30212 13.24)
        joined = bool(_CODE_JOINED.match(tok)) and i + 1 < len(toks) and (
            bool(_CJK.search(toks[i + 1]))
            or (_is_amount(toks[i + 1]) and len(tok) == len(toks[0]) and tok[0] == toks[0][0])
        )
        joined_half = joined and bool(cur) and bool(_CODE_JOINED.match(toks[0]) or _CODE_HEAD.match(toks[0])) and (
            _is_amount(cur[-1]) or bool(_CJK.search(cur[-1])) or cur == [toks[0]])
        if (_CODE_HEAD.match(tok) and (after_amount or after_name)) or joined_half or total:
            rows.append([tok])
        else:
            cur.append(tok)
    return rows


def _starts_coded(toks: list[str]) -> bool:
    """Does a budget-subject row start here: 201 [05 [06]] (or 2010506) then a name or its numbers?"""
    if toks and _CODE_JOINED.match(toks[0]):
        rest = toks[1:]
        return bool(rest) and (
            bool(_CJK.search(rest[0])) or all(_is_amount(t) for t in rest) or len(_split_coded(toks)) == 2)
    if not toks or not _CODE_HEAD.match(toks[0]):
        return False
    rest = toks[1:]
    parts = 0
    while rest and parts < 2 and _CODE_PART.match(rest[0]):
        rest = rest[1:]
        parts += 1
    if not rest:
        return parts > 0 or len(toks) == 1
    if _CJK.search(rest[0]):
        return True
    # codes followed directly by amounts: the name was printed on the lines around (pdfplumber)
    return parts > 0 and all(_is_amount(t) for t in rest)


def _coded(no: int, page: int | None, raw: str, toks: list[str]) -> Logical:
    codes = [toks[0]]
    rest = toks[1:]
    while rest and len(codes) < 3 and _CODE_HEAD.match(codes[0]) and _CODE_PART.match(rest[0]):
        codes.append(rest[0])
        rest = rest[1:]
    k = len(rest)
    while k > 0 and _is_amount(rest[k - 1]):
        k -= 1
    name = "".join(rest[:k])
    return Logical(no, no, page, [raw], [], codes=codes, name=name, amounts=rest[k:], coded=True)


def _total_row(no: int, page: int | None, raw: str, toks: list[str], code_width: int) -> Logical:
    """The total row under coded rows (`合计 24,606,775.35 22,473,997.81 …`): its label stands in the
    name column, after the empty code columns, as the coded rows' names do."""
    if len(toks) < 2 or not all(_is_amount(t) for t in toks[1:]):
        return Logical(no, no, page, [raw], list(toks))
    return Logical(no, no, page, [raw], [], name=toks[0], amounts=list(toks[1:]), coded=True, code_width=code_width)


def is_fragment(toks: list[str], head: bool = False) -> bool:
    """A lone piece of a wrapped name cell: its tail is short, its head (printed above) a full line."""
    if len(toks) != 1:
        return False
    tok = toks[0]
    if not head and len(tok) > _FRAGMENT_MAX:
        return False
    return bool(_CJK.search(tok)) and not _NOT_FRAGMENT.search(tok)


def _code_width(toks: list[str], current: int) -> int:
    """The header row `类 款 项` (or `类 款` for economic subjects) says how many code columns there are."""
    if "类" in toks and "款" in toks:
        return 3 if "项" in toks else 2
    return current


def page_numbered(lines: Iterable[Line]) -> list[tuple[Line, int | None]]:
    """Each line with its page when the text marks pages with form feeds (pdftotext), else None."""
    lines = list(lines)
    paged = any("\f" in ln.raw for ln in lines)
    page = 1
    out: list[tuple[Line, int | None]] = []
    for ln in lines:
        if paged:
            page += ln.raw.count("\f") if ln.raw.lstrip(" ").startswith("\f") else 0
        out.append((ln, page if paged else None))
    return out


def _fragment_at(items: list[tuple[int, int | None, str, list[str], bool]], k: int) -> bool:
    return 0 <= k < len(items) and items[k][0] == items[k - 1][0] + 1 and is_fragment(items[k][3])


def _names_around_rows(items: list[tuple[int, int | None, str, list[str], bool]]) -> bool:
    """Whether the text prints wrapped names around their rows (pdfplumber): a row of codes and
    numbers only, with a piece of its name on the line above and the rest on the line below."""
    return any(_between_pieces(items, k) for k in range(1, len(items) - 1))


def _between_pieces(items: list[tuple[int, int | None, str, list[str], bool]], k: int) -> bool:
    """A row of a code and numbers only (`201 207.40 207.40`), its name's pieces on the lines around."""
    toks = items[k][3]
    halves = _split_coded(toks) if _starts_coded(toks) else [toks]
    return (
        len(toks) >= 2
        and bool(_CODE_HEAD.match(toks[0]) or _CODE_JOINED.match(toks[0]))
        # the row, or one half of a two-sided row (30108 50.00 | 30205 水费 10.00), has no name
        and any(all(_is_amount(t) for t in h[1:]) for h in halves[:2])
        and k > 0
        and items[k - 1][0] == items[k][0] - 1
        and is_fragment(items[k - 1][3], head=True)
        and _fragment_at(items, k + 1)
    )


def assemble(items: Iterable[tuple[int, int | None, str, list[str], bool]]) -> list[Line]:
    """Rows from (line no, page, raw text, words, blank line before) of a flattened text.

    Coded rows (201 05 06 name amounts) are rebuilt across line breaks; every other line keeps its
    words as cells in printed order.
    """
    items = list(items)
    sandwich = _names_around_rows(items)
    out: list[Logical] = []
    code_width = 0
    prev_blank = True
    skip: set[int] = set()  # lines already joined to the row above them
    for k, (no, page, raw, toks, blank_before) in enumerate(items):
        if k in skip:
            continue
        if not toks:
            prev_blank = True
            continue
        joined = prev_blank or blank_before
        prev_blank = False
        last = out[-1] if out else None
        adjacent = last is not None and not joined and last.last == no - 1
        code_width = _code_width(toks, code_width)
        if _starts_coded(toks) or (sandwich and _between_pieces(items, k)):
            parts = _split_coded(toks)
            if len(parts) == 2 and parts[0][0] != parts[1][0] and (
                _CODE_HEAD.match(parts[1][0]) or _CODE_JOINED.match(parts[1][0])
            ):
                # two halves of a two-sided table (基本支出 人员经费 | 公用经费): one printed row
                left, right = _coded(no, page, raw, parts[0]), _coded(no, page, raw, parts[1])
                left.code_width = right.code_width = code_width
                first, raws = no, [raw]
                prior = out[-1] if out else None
                bare = left if not left.name else right if not right.name else None
                if (
                    sandwich and bare is not None and prior is not None and not prior.coded
                    and prior.last == no - 1 and is_fragment(prior.cells, head=True) and _fragment_at(items, k + 1)
                ):
                    # the half without a name has it printed around the row: head above, tail below
                    out.pop()
                    bare.name = prior.cells[0] + items[k + 1][3][0]
                    first, raws = prior.first, [*prior.raw, raw, items[k + 1][2]]
                    skip.add(k + 1)
                row = Logical(first, no + (k + 1 in skip), page, raws, left.row_cells() + right.row_cells())
                out.append(row)
                continue
            for part in parts:
                if not (_CODE_HEAD.match(part[0]) or _CODE_JOINED.match(part[0])):
                    out.append(_total_row(no, page, raw, part, code_width))  # the total row after them
                    continue
                row = _coded(no, page, raw, part)
                row.code_width = code_width
                prior = out[-1] if out else None
                # a name in three pieces (head above, middle on the row, tail below) when the text
                # prints names around their rows; the tail must follow
                middle = sandwich and len(parts) == 1 and _fragment_at(items, k + 1)
                if (
                    (not row.name or middle)
                    and prior is not None
                    and not prior.coded
                    and prior.last == no - 1
                    and is_fragment(prior.cells, head=True)
                ):
                    # pdfplumber: the name's first line printed above the row's codes and numbers
                    out.pop()
                    row.name, row.first, row.raw = prior.cells[0] + row.name, prior.first, prior.raw + row.raw
                    row.name_split = True
                out.append(row)
            continue
        if last is not None and last.coded and adjacent:
            if all(_is_amount(t) for t in toks) and not last.amounts:
                last.amounts = toks
                last.last, last.raw = no, last.raw + [raw]
                continue
            # names printed around their rows: a row's one tail follows it only when the row took
            # a head from above; any other piece between two rows is the next row's head
            takes = (last.name_split and not last.tailed) if sandwich else (
                not last.amounts or last.name_split or bool(last.name))
            if is_fragment(toks) and takes:
                last.name += toks[0]
                last.tailed = last.name_split
                last.name_split = False
                last.last, last.raw = no, last.raw + [raw]
                continue
        if last is not None and last.coded and _TOTAL.match(toks[0]):
            out.append(_total_row(no, page, raw, toks, code_width))
            continue
        out.append(Logical(no, no, page, [raw], list(toks)))
    lines: list[Line] = []
    for lg in out:
        cells = lg.row_cells() if lg.coded else lg.cells
        lines.append(
            Line(no=lg.first, end_no=lg.last if lg.last != lg.first else None, text="\t".join(cells),
                 raw="\n".join(lg.raw), page=lg.page)
        )
    return lines


# A title's last character wrapped onto a line of its own (`收入支出决算总` … `表`); the extractor may
# print a line that stood beside the title (the part heading) between the two pieces.
_TITLE_TAIL = re.compile(r"^[\u4e00-\u9fff]{0,2}表$")
_TITLE_HEAD = re.compile(r"^[\u4e00-\u9fff“”\"（）()]{4,}$")


def join_title_tails(items: list[tuple[int, int | None, str, list[str], bool]]) -> list[
        tuple[int, int | None, str, list[str], bool]]:
    """A lone `表` (or `总表`) is the end of a title above it: joined to the nearest of the two lines
    above that is one word of Chinese not itself ending in 表 nor a part heading (第…部分).

    A line printed between the two pieces stood beside the title, above the table (the part
    heading): the title takes the place of its last piece, so that line comes before it and the
    table's unit line and header follow the title as printed."""
    out: list[tuple[int, int | None, str, list[str], bool] | None] = list(items)
    for i, (no, page, raw, toks, _) in enumerate(items):
        if len(toks) != 1 or not _TITLE_TAIL.match(toks[0]):
            continue
        for j in range(i - 1, max(-1, i - 3), -1):
            prior = out[j]
            if prior is None:
                continue
            head = prior[3]
            if len(head) == 1 and _TITLE_HEAD.match(head[0]) and not head[0].endswith("表") and not (
                    head[0].startswith("第") and "部分" in head[0]):
                _, _, hraw, _, hblank = prior
                out[j], out[i] = None, (no, page, hraw + "\n" + raw, [head[0] + toks[0]], hblank)
                break
    return [it for it in out if it is not None]


# A subject code printed against its name with no space (`2010506统计管理`, `01基本工资` after `301`).
_GLUED_CODE = re.compile(r"^([1-9]\d{4}(?:\d{2})?)([\u4e00-\u9fff].*)$")
_GLUED_PART = re.compile(r"^(\d{2})([\u4e00-\u9fff].*)$")


def split_glued_code(toks: list[str]) -> list[str]:
    """The first code of a row and its name as two words when printed without a space between."""
    m = _GLUED_CODE.match(toks[0]) if toks else None
    if m:
        return [m.group(1), m.group(2), *toks[1:]]
    if len(toks) >= 2 and _CODE_HEAD.match(toks[0]):
        m = _GLUED_PART.match(toks[1])
        if m:
            return [toks[0], m.group(1), m.group(2), *toks[2:]]
    return toks


_ALL_NAMES = frozenset().union(*COLUMN_FAMILIES)


def _names(text: str, family: frozenset[str]) -> list[str] | None:
    """text as column names of one family printed together, longest names first; None if it is not."""
    if not text:
        return []
    for name in sorted(family, key=len, reverse=True):
        if text.startswith(name):
            rest = _names(text[len(name):], family)
            if rest is not None:
                return [name, *rest]
    return None


def _glued(text: str) -> list[str] | None:
    """Two or more column names of one family printed as one word (`合计基本支出`); 合计 only first
    (`人员经费合计` is a total row's label)."""
    for family in COLUMN_FAMILIES:
        names = _names(text, family)
        if names and len(names) >= 2 and "合计" not in names[1:]:
            return names
    return None


def _glued_with_piece(text: str) -> list[str] | None:
    """Names printed together ending in the first piece of a wrapped one (`财政拨款收入事业收入事业单位`,
    the rest `经营收入` on the line below)."""
    for cut in range(len(text) - 1, 0, -1):
        head, piece = text[:cut], text[cut:]
        # two names at least before it: one name and a piece is a wrapped name (一般公共预算财 / 政拨款)
        names = _glued(head)
        if names and any(n.startswith(piece) and n != piece for n in _ALL_NAMES):
            return [*names, piece]
    return None


def _header_line(toks: list[str]) -> bool:
    return bool(toks) and not any(_is_amount(t) for t in toks) and not toks[0][:1].isdigit()


def split_header_names(items: list[tuple[int, int | None, str, list[str], bool]]) -> list[
        tuple[int, int | None, str, list[str], bool]]:
    """Header cells a text extractor printed together put back apart.

    pdfplumber joins neighbouring header cells with no space (`合计基本支出`, `一般公共预算政府性基金预算
    国有资本经营预算`, `类款项`) and a wrapped name's second line runs into the next cell on the line
    below (`…事业单位` / `经营收入其他收入`, `机关运行经费预算` / `数合计`). Only words made wholly of
    known column names are split, and a piece moves up only when it completes a known name."""
    out = list(items)
    pieces: set[int] = set()  # lines whose last word is a piece split off a word run together
    for i, (no, page, raw, toks, blank) in enumerate(out):
        if not _header_line(toks):
            continue
        words: list[str] = []
        for k, tok in enumerate(toks):
            glued = _glued(tok)
            piece = None if glued else _glued_with_piece(tok)
            words.extend(glued or piece or [tok])
            if piece and k == len(toks) - 1:
                pieces.add(i)
        out[i] = (no, page, raw, words, blank)
    for i in range(len(out) - 1):
        no, page, raw, toks, blank = out[i]
        nno, npage, nraw, ntoks, nblank = out[i + 1]
        if not (_header_line(toks) and _header_line(ntoks)) or nno != no + 1 or toks[-1] in _ALL_NAMES:
            continue
        first = ntoks[0]
        for cut in range(1, len(first) + 1):
            rest = first[cut:]
            # only where the extractor ran words together: lines printed apart as a wrapped cell's
            # pieces (附属单位上 / 缴收入) are put together by the table's header reading
            if not (rest or i in pieces):
                continue
            if toks[-1] + first[:cut] in _ALL_NAMES and (not rest or rest in _ALL_NAMES or _glued(rest)):
                out[i] = (no, page, raw, [*toks[:-1], toks[-1] + first[:cut]], blank)
                rest_words = (_glued(rest) or [rest]) if rest else []
                out[i + 1] = (nno, npage, nraw, [*rest_words, *ntoks[1:]], nblank)
                break
    return out


def read_flat(lines: list[Line]) -> list[Line]:
    """Tab-joined rows of a text with one span per line or rows flattened with spaces."""
    items = [
        (ln.no, page, ln.raw, split_glued_code(tokens(ln.text.replace("\f", " "))), False)
        for ln, page in page_numbered(lines)
    ]
    return assemble(split_header_names(join_title_tails(items)))
