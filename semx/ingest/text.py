"""The text reader: decode a .txt disclosure and normalise each line.

Normalisation is strictly per line so that every later stage can point at the
original line number: tags, LaTeX and markdown are removed *within* a line and
no line is ever merged or dropped here.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from semx.ingest.errors import IngestError
from semx.models import Line

# ---------------------------------------------------------------- decoding


# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when NULs sit on one byte parity, as in UTF-16 Chinese/ASCII text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    # ASCII (digits, tabs, newlines: plenty in a budget table) puts a NUL on one parity; a few
    # CJK characters such as 一 (U+4E00) put one on the other, hence a ratio, not a zero.
    if odd > 0.1 * half and odd > 4 * even:
        return "utf-16-le"
    if even > 0.1 * half and even > 4 * odd:
        return "utf-16-be"
    return None


def _line_of_byte(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


_CJK = re.compile("[\u4e00-\u9fff]")


def _gb18030(data: bytes, path: str | Path, utf8_error: UnicodeDecodeError) -> str:
    """GB18030 text, or IngestError pointing at the first byte that is not UTF-8."""
    where = f"byte {utf8_error.start}, line {_line_of_byte(data, utf8_error.start)}"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise IngestError(path, f"not valid UTF-8 (first bad byte at {where}) nor GB18030 text") from None
    # GB18030 decodes nearly every byte string; insist the result looks like Chinese text.
    cjk = len(_CJK.findall(text))
    if cjk < max(1, len(text) // 20):
        raise IngestError(path, f"not valid UTF-8 (first bad byte at {where}), and GB18030 decoding gives no Chinese text")
    return text


def decode_text(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str, list[str]]:
    """Return (text, encoding, warnings). UTF-8 first because GB18030 accepts almost any bytes.

    Handled besides plain UTF-8/GB18030: a byte-order mark (UTF-8, UTF-16, UTF-32), UTF-16
    without a mark, a UTF-8 mark in front of GB18030 bytes, a last character cut in the middle
    (decoded up to it, with a warning) and stray NUL bytes (removed, with a warning; a file
    that is mostly NULs is binary).
    """
    if not data.strip():
        raise IngestError(path, "empty file")
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            if enc == "utf-8-sig":
                utf8 = _utf8(body, len(data), warnings)
                if isinstance(utf8, str):
                    text = utf8
                else:
                    text, enc = _gb18030(body, path, utf8), "gb18030"
                    warnings.append("文件以 UTF-8 字节序标记开头，但内容是 GB18030 编码；已按 GB18030 解码")
            else:
                text = body.decode(enc, errors="replace")
                if "\ufffd" in text:
                    warnings.append(f"{enc.upper()} 文本中有无法解码的字节，已替换为 �")
            return _strip_nul(text, path, warnings), enc, warnings
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        text = data.decode(utf16, errors="replace")
        if "\ufffd" in text:
            warnings.append(f"{utf16.upper()} 文本中有无法解码的字节，已替换为 �")
        return _strip_nul(text, path, warnings), utf16, warnings
    if _too_many_nuls(data.count(b"\x00"), len(data)):
        raise IngestError(path, "binary file (contains NUL bytes)")
    utf8 = _utf8(data, len(data), warnings)
    if isinstance(utf8, str):
        text, enc = utf8, "utf-8"
    else:
        text, enc = _gb18030(data, path, utf8), "gb18030"
    return _strip_nul(text, path, warnings), enc, warnings


def _utf8(body: bytes, size: int, warnings: list[str]) -> str | UnicodeDecodeError:
    """body as UTF-8, or the error that says it is not.

    A file cut mid-character (a truncated download or copy) keeps what is there, with a
    warning: everything before the first error is valid UTF-8 by definition."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(body):
            warnings.append(f"文件末尾的字符不完整（截断于第 {size} 字节），已按其前内容解码")
            return body[: exc.start].decode("utf-8")
        return exc


def _too_many_nuls(n: int, size: int) -> bool:
    """More than a stray few (8, or 1 % of a short file): a binary file, not damaged text."""
    return n > 8 or n > size / 100


def _strip_nul(text: str, path: str | Path, warnings: list[str]) -> str:
    """NUL characters anywhere in the file: a few are removed with a warning, many mean a binary file."""
    n = text.count("\x00")
    if not n:
        return text
    if _too_many_nuls(n, len(text)):
        raise IngestError(path, "binary file (contains NUL bytes)")
    warnings.append(f"删除了 {n} 个 NUL 空字符（首个位于第 {text.index(chr(0)) + 1} 个字符）")
    return text.replace("\x00", "")


def decode(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Return (text, encoding); warnings are dropped (use decode_text to keep them)."""
    text, encoding, _ = decode_text(data, path)
    return text, encoding


# Control characters other than the whitespace ones; counted by a regex, which is ~20x faster than a
# Python loop over a multi-megabyte text.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def control_ratio(text: str) -> float:
    bad = len(_CONTROL.findall(text))
    return bad / max(1, len(text))


# ---------------------------------------------------------------- normalisation

_TAG = re.compile(r"</?(?:b|p|strong|em|i|u|span|div|br|sup|sub|font)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_HEADING = re.compile(r"^\s*#{1,6}\s+")
# Markdown bold only when paired on the line: `****工程` is a redacted name, not markup.
_BOLD = re.compile(r"(?<!\*)\*\*(?!\*)(.+?)(?<!\*)\*\*(?!\*)")
_MATH = re.compile(r"\$\$?([^$]+?)\$\$?")
_LATEX_CMDS = {
    r"\leqslant": "≤",
    r"\geqslant": "≥",
    r"\leq": "≤",
    r"\geq": "≥",
    r"\le": "≤",
    r"\ge": "≥",
    r"\lt": "<",
    r"\gt": ">",
    r"\neq": "≠",
    r"\times": "×",
    r"\cdot": "·",
    r"\pm": "±",
    r"\%": "%",
    r"\sim": "~",
}
_LATEX_CMD = re.compile(r"\\[A-Za-z]+|\\%")
_LATEX_TEXT = re.compile(r"\\(?:text|mathrm|mathbf|rm)\s*\{([^{}]*)\}")

# Full-width forms that carry numbers or comparators; punctuation such as ，：（）
# is left alone because evidence quotes must still match the document.
_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH.update({"\u3000": " ", "\u00a0": " ", "％": "%", "＞": ">", "＜": "<", "＝": "=", "．": "."})
_FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)


def _latex_to_text(match: re.Match[str]) -> str:
    body = _LATEX_TEXT.sub(r"\1", match.group(1))
    body = _LATEX_CMD.sub(lambda m: _LATEX_CMDS.get(m.group(0), ""), body)
    return body.replace("{", "").replace("}", "").replace(" ", "")


def normalise_line(raw: str) -> str:
    """Plain text of one line; leading/inner tabs are kept because they are table structure."""
    text = raw.replace("\r", "").replace("\ufeff", "")
    text = _BOOKMARK.sub("", text)
    text = _TAG.sub("", text)
    text = text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = _HEADING.sub("", text)
    text = _BOLD.sub(r"\1", text)
    text = _MATH.sub(_latex_to_text, text)
    text = text.translate(_FULLWIDTH_TABLE)
    return text.rstrip(" ")


# ---------------------------------------------------------------- layout

# A row of amounts printed with spaces: two or more numbers such as 1,252,300 or 0.00 on one line.
_SPACED_AMOUNTS = re.compile(r"(?:^|\s)-?(?:(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+|\d{1,3}(?:,\d{3})+|0)(?=\s|$)")
_WIDE_GAP = re.compile(r"\S {3,}\S")


def _layout_of_spaced(lines: list[Line]) -> str | None:
    """'columns' or 'flat' for a text whose table rows are printed with spaces, else None.

    A file with as many tab rows as spaced amount rows is a tab layout (the Hebei samples); a file
    of spaced amount rows is space-aligned when most of them keep wide gaps between columns.
    """
    spaced = 0
    wide = 0
    tabbed = 0
    for ln in lines:
        t = ln.text
        if "\t" in t.strip("\t"):
            tabbed += 1
            continue
        if len(_SPACED_AMOUNTS.findall(t)) >= 2:
            spaced += 1
            wide += bool(_WIDE_GAP.search(t.strip()))
    if spaced < 3 or tabbed * 4 > spaced:
        return None
    return "columns" if wide * 2 > spaced else "flat"


_EVEN_ROWS = 0.8
_LONE_AMOUNT = re.compile(r"^-?(?:(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+|\d{1,3}(?:,\d{3})+|0)$")
_MIN_LONE_AMOUNTS = 20


def _one_cell_per_line(lines: list[Line]) -> bool:
    """Every cell on a line of its own (PyMuPDF `get_text()`): amounts stand alone on their lines, and
    lines with two or more amounts, the rows of every other layout, are rare."""
    lone = 0
    several = 0
    for ln in lines:
        t = ln.text.strip()
        if _LONE_AMOUNT.match(t):
            lone += 1
        elif len(_SPACED_AMOUNTS.findall(t)) >= 2:
            several += 1
    return lone >= _MIN_LONE_AMOUNTS and lone > 4 * several


def _has_wrapped_tab_rows(lines: list[Line]) -> bool:
    """Tab rows that reach the table's width only with the next line: cells holding line breaks."""
    from semx.ingest.tsv_text import continuation, line_counts, row_starts

    counts = line_counts(lines)
    starts = row_starts(lines)
    # A table exported with its cells keeps every empty cell: its rows are as wide as each other
    # (0.88 and more on the fixtures); hand-made tab text with rows of any width is read as it stands.
    inside: set[int] = set()  # lines of a row wrapped over several lines
    for i in range(len(counts)):
        more = continuation(counts, i, starts)
        if more:
            inside.update(range(i, i + more + 1))
    if not inside:
        return False
    tab = [c for i, c in enumerate(counts) if c > 1 and i not in inside]
    even = sum(1 for a, b in itertools.pairwise(tab) if a == b) / max(1, len(tab) - 1)
    return even >= _EVEN_ROWS


def detect_layout(lines: list[Line]) -> str:
    """Which text layout the lines are in; the layouts of other extractors are rebuilt by `text_rows`.

    'cell_per_line': table cells stand one per line behind a leading tab (DOCX export). Tab layout
    puts several cells on one line; the per-line layout has many lines that start with a tab and
    carry no second tab.
    'tsv': tab rows whose cells hold line breaks; 'columns': space-aligned columns
    (`pdftotext -layout`); 'flat': rows flattened with single spaces, one span per line
    (`pdftotext -raw`, pypdfium2, pdfplumber `extract_text`); 'cell_lines': every cell on a line of
    its own without tabs, empty cells gone (PyMuPDF `get_text()`); 'tab': one table row per line.
    """
    inner_tab = 0
    lead_only = 0
    for ln in lines:
        t = ln.text
        if "\t" not in t:
            continue
        if t.startswith("\t") and "\t" not in t[1:]:
            lead_only += 1
        elif "\t" in t.strip("\t") or (not t.startswith("\t")):
            inner_tab += 1
    if lead_only > 2 * max(1, inner_tab):
        return "cell_per_line"
    if not inner_tab and _one_cell_per_line(lines):
        return "cell_lines"
    spaced = _layout_of_spaced(lines)
    if spaced is not None:
        return spaced
    if inner_tab and _has_wrapped_tab_rows(lines):
        return "tsv"
    return "tab"


def text_rows(lines: list[Line], layout: str) -> list[Line]:
    """The lines of a text in the representation every reader produces (one tab-joined line per
    table row); the tab and cell-per-line layouts are read as they stand by `semx.rows`."""
    if layout == "columns":
        from semx.ingest.layout_text import read_layout

        return read_layout(lines)
    if layout == "flat":
        from semx.ingest.flat_text import read_flat

        return read_flat(lines)
    if layout == "tsv":
        from semx.ingest.tsv_text import read_tsv

        return read_tsv(lines)
    if layout == "cell_lines":
        from semx.ingest.cell_lines import read_cell_lines

        return read_cell_lines(lines)
    return lines


# ---------------------------------------------------------------- entry point


def read_text(data: bytes, path: str) -> tuple[list[Line], str]:
    """Decoded, normalised lines of a text file (one Line per original line) and the encoding."""
    lines, encoding, _ = read_text_warned(data, path)
    return lines, encoding


def read_text_warned(data: bytes, path: str) -> tuple[list[Line], str, list[str]]:
    """read_text, with the decoding warnings (truncated last character, NULs removed, …)."""
    text, encoding, warnings = decode_text(data, path)
    if control_ratio(text) > 0.01:
        raise IngestError(path, "binary file (control characters in text)")
    return text_lines(text), encoding, warnings


def text_lines(text: str) -> list[Line]:
    return [Line(no=i, text=normalise_line(raw), raw=raw.rstrip("\r")) for i, raw in enumerate(text.split("\n"), 1)]
