"""Read a disclosure file into a SourceDocument.

Normalisation is strictly per line so that every later stage can point at the
original line number: tags, LaTeX and markdown are removed *within* a line and
no line is ever merged or dropped here.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from semx.models import Line, Section, SourceDocument, Warning_


class IngestError(Exception):
    """A file that cannot be read as a budget disclosure. The message is one line."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


# ---------------------------------------------------------------- decoding


def decode(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Return (text, encoding). UTF-8 first because GB18030 accepts almost any bytes."""
    if not data.strip():
        raise IngestError(path, "empty file")
    if b"\x00" in data[:65536]:
        raise IngestError(path, "binary file (contains NUL bytes)")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise IngestError(path, f"not valid UTF-8 or GB18030 text (byte {exc.start})") from None
    # GB18030 decodes nearly every byte string; insist the result looks like Chinese text.
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    if cjk < max(1, len(text) // 20):
        raise IngestError(path, "not valid UTF-8, and GB18030 decoding gives no Chinese text")
    return text, "gb18030"


def _control_ratio(text: str) -> float:
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
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


def detect_layout(lines: list[Line]) -> str:
    """'cell_per_line' when table cells stand one per line behind a leading tab (DOCX export).

    Tab layout puts several cells on one line; the per-line layout has many lines that
    start with a tab and carry no second tab.
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
    return "cell_per_line" if lead_only > 2 * max(1, inner_tab) else "tab"


# ---------------------------------------------------------------- sections

_NUMERALS = "一二三四五六七八九十"
_SECTION_HEAD = re.compile(r"^\s*([一二三四五六七八九十])\s*[、.．]\s*(\S.*)$")
_TOC_ENTRY = re.compile(r"(\.{3,}|…{2,})\s*\d*\s*$|\t\s*\d+\s*$")
_SECTION_KEYS: list[tuple[str, str]] = [
    ("职责", "duties"),
    ("机构设置", "duties"),
    ("基本情况", "duties"),
    ("预算安排", "overview"),
    ("总体情况", "overview"),
    ("机关运行", "running_costs"),
    ("三公", "three_public"),
    ("绩效", "performance"),
    ("政府采购", "procurement"),
    ("资产", "assets"),
    ("名词解释", "glossary"),
    ("其他", "other"),
]
_TABLE_TITLE = re.compile(r"(收支总表|收入总表|支出总表|支出表|预算公开表)\s*$")


def _section_key(title: str) -> str | None:
    for word, key in _SECTION_KEYS:
        if word in title:
            return key
    return None


def split_sections(lines: list[Line]) -> list[Section]:
    """Find 一、…九、 of the 说明 and the table block before them.

    A heading is accepted only when its numeral is larger than the previous one,
    which skips sub-lists (一、总体绩效目标 inside 五) and table-of-contents lines.
    """
    heads: list[tuple[int, int, str, str]] = []  # (numeral, line, key, title)
    last = 0
    for ln in lines:
        t = ln.text.strip()
        if _TOC_ENTRY.search(ln.text):
            continue
        m = _SECTION_HEAD.match(t)
        if not m or len(t) > 60:
            continue
        numeral = _NUMERALS.index(m.group(1)) + 1
        key = _section_key(m.group(2))
        if key is None or numeral <= last:
            continue
        heads.append((numeral, ln.no, key, t))
        last = numeral
    if not lines:
        return []
    end_of_doc = lines[-1].no
    sections: list[Section] = []
    first_head = heads[0][1] if heads else end_of_doc + 1
    table_start = next(
        (ln.no for ln in lines if ln.no < first_head and _TABLE_TITLE.search(ln.text.strip())
         and not _TOC_ENTRY.search(ln.text)),
        None,
    )
    if table_start is not None:
        sections.append(Section(key="tables", title="部门预算公开表", start_line=table_start, end_line=first_head - 1))
    for i, (_, start, key, title) in enumerate(heads):
        end = heads[i + 1][1] - 1 if i + 1 < len(heads) else end_of_doc
        sections.append(Section(key=key, title=title, start_line=start, end_line=end))  # type: ignore[arg-type]
    return sections


# ---------------------------------------------------------------- entry point

_DISCLOSURE_WORDS = ("预算", "万元", "绩效", "支出", "科目")


def ingest_text(text: str, *, path: str = "<text>", encoding: str = "utf-8", sha256: str = "") -> SourceDocument:
    if _control_ratio(text) > 0.01:
        raise IngestError(path, "binary file (control characters in text)")
    raw_lines = text.split("\n")
    lines = [Line(no=i, text=normalise_line(raw), raw=raw.rstrip("\r")) for i, raw in enumerate(raw_lines, 1)]
    hits = sum(1 for w in _DISCLOSURE_WORDS if w in text)
    if hits < 3:
        raise IngestError(path, "not a budget disclosure (no 预算/万元/绩效/支出/科目 vocabulary)")
    warnings: list[Warning_] = []
    sections = split_sections(lines)
    if not sections:
        warnings.append(Warning_(code="no_sections", message="未识别到说明部分的章节标题（一、…九、）"))
    return SourceDocument(
        path=path,
        sha256=sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
        encoding=encoding,  # type: ignore[arg-type]
        layout=detect_layout(lines),  # type: ignore[arg-type]
        lines=lines,
        sections=sections,
        warnings=warnings,
    )


def ingest(path: str | Path) -> SourceDocument:
    """Read, decode and normalise one file. Raises IngestError with a one-line reason."""
    p = Path(path)
    if not p.exists():
        raise IngestError(p, "no such file")
    if p.is_dir():
        raise IngestError(p, "is a directory")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise IngestError(p, f"cannot read ({exc.strerror})") from None
    text, encoding = decode(data, p)
    return ingest_text(text, path=str(p), encoding=encoding, sha256=hashlib.sha256(data).hexdigest())
