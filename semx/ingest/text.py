"""The text reader: decode a .txt disclosure and normalise each line.

Normalisation is strictly per line so that every later stage can point at the
original line number: tags, LaTeX and markdown are removed *within* a line and
no line is ever merged or dropped here.
"""

from __future__ import annotations

import re
from pathlib import Path

from semx.ingest.errors import IngestError
from semx.models import Line


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


def control_ratio(text: str) -> float:
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


# ---------------------------------------------------------------- entry point


def read_text(data: bytes, path: str) -> tuple[list[Line], str]:
    """Decoded, normalised lines of a text file (one Line per original line) and the encoding."""
    text, encoding = decode(data, path)
    if control_ratio(text) > 0.01:
        raise IngestError(path, "binary file (control characters in text)")
    return text_lines(text), encoding


def text_lines(text: str) -> list[Line]:
    return [Line(no=i, text=normalise_line(raw), raw=raw.rstrip("\r")) for i, raw in enumerate(text.split("\n"), 1)]
