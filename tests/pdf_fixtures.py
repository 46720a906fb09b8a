"""Small PDFs written byte by byte in the tests, so no fixture file or font is needed.

Text is drawn with a Type0 font (Identity-H, one 2-byte code per character = its Unicode code
point) and a ToUnicode map, without embedding a font program: PDFium substitutes a font for
drawing, and text extraction, which is what semx reads, comes from the ToUnicode map. Ruling
lines are stroked paths, as budget tables print them. Every character is 1 em wide (/DW 1000),
so positions are easy to predict.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass
class Text:
    x: float  # left, PDF points from the page's left edge
    top: float  # top of the text, points from the page's top edge
    text: str
    size: float = 10.0


@dataclass
class Rule:
    x0: float
    top0: float
    x1: float
    top1: float


@dataclass
class Page:
    texts: list[Text] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    width: float = 595.0
    height: float = 842.0
    image: bool = False  # a grey picture covering the page, as a scanner makes
    rotate: int = 0  # /Rotate: the viewer turns the page; its content stays in page space
    turned: bool = False  # written turned a quarter (text running up) on a page of swapped size


def grid_page(top: float, col_x: list[float], rows: list[list[str]], row_h: float = 20.0,
              before: list[Text] | None = None, after: list[Text] | None = None) -> Page:
    """A page with a ruled table: rows of cells between the x positions in col_x."""
    page = Page(texts=list(before or []))
    n = len(rows)
    for r in range(n + 1):
        page.rules.append(Rule(col_x[0], top + r * row_h, col_x[-1], top + r * row_h))
    for x in col_x:
        page.rules.append(Rule(x, top, x, top + n * row_h))
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            if cell:
                page.texts.append(Text(col_x[c] + 2, top + r * row_h + 5, cell))
    page.texts.extend(after or [])
    return page


def _content(page: Page) -> bytes:
    out: list[str] = []
    if page.image:
        out.append(f"q {page.width:.1f} 0 0 {page.height:.1f} 0 0 cm /Im1 Do Q")
    for r in page.rules:
        out.append(f"0.5 w {r.x0:.2f} {page.height - r.top0:.2f} m {r.x1:.2f} {page.height - r.top1:.2f} l S")
    for t in page.texts:
        codes = "".join(f"{ord(ch):04X}" for ch in t.text)
        baseline = page.height - t.top - t.size * 0.88
        out.append(f"BT /F1 {t.size:.1f} Tf {t.x:.2f} {baseline:.2f} Td <{codes}> Tj ET")
    if page.turned:
        # (x, y) -> (height - y, x): the landscape design stands on a portrait media box.
        out = [f"q 0 1 -1 0 {page.height:.2f} 0 cm", *out, "Q"]
    return "\n".join(out).encode("ascii")


def _to_unicode(chars: set[str], garbled: bool = False) -> bytes:
    """The font's map from codes to Unicode; `garbled` maps every code into the private use
    area instead, as fonts subset without a usable map come out of some producers."""
    entries = sorted(ord(c) for c in chars if ord(c) <= 0xFFFF)
    body = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    for i in range(0, len(entries), 100):
        chunk = entries[i : i + 100]
        body.append(f"{len(chunk)} beginbfchar")
        body.extend(f"<{c:04X}> <{(0xE000 + c % 0x1000) if garbled else c:04X}>" for c in chunk)
        body.append("endbfchar")
    body.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(body).encode("ascii")


def _stream(data: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data + b"\nendstream"


def build_pdf(pages: list[Page], *, encrypt: bool = False, garbled: bool = False) -> bytes:
    """A complete PDF file. `encrypt` adds a standard security handler whose user password is
    not empty, so a reader cannot open the file without it (the O/U entries are random bytes)."""
    chars = {ch for p in pages for t in p.texts for ch in t.text}
    objs: dict[int, bytes] = {}
    # 1 catalog, 2 pages, 3 font, 4 descendant font, 5 ToUnicode, 6 image, then 2 per page
    first_page = 7
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(pages)))
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[2] = f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode()
    objs[3] = (b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
               b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>")
    objs[4] = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /STSong-Light /DW 1000 "
               b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
               b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 4 "
               b"/FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 "
               b"/StemV 80 >> /CIDToGIDMap /Identity >>")
    objs[5] = _stream(_to_unicode(chars, garbled))
    pixels = bytes([128]) * (16 * 16)
    objs[6] = _stream(pixels, " /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
                              "/BitsPerComponent 8")
    for i, page in enumerate(pages):
        pid = first_page + 2 * i
        objs[pid] = (f"<< /Type /Page /Parent 2 0 R /Rotate {page.rotate} "
                     f"/MediaBox [0 0 {page.height if page.turned else page.width:.1f} "
                     f"{page.width if page.turned else page.height:.1f}] "
                     f"/Resources << /Font << /F1 3 0 R >> /XObject << /Im1 6 0 R >> >> "
                     f"/Contents {pid + 1} 0 R >>").encode()
        objs[pid + 1] = _stream(_content(page))
    n = first_page + 2 * len(pages)
    trailer_extra = ""
    if encrypt:
        digest = hashlib.sha256(b"semx test").digest()
        o, u = digest.hex().upper(), hashlib.sha256(digest).hexdigest().upper()
        objs[n] = f"<< /Filter /Standard /V 1 /R 2 /O <{o}> /U <{u}> /P -4 /Length 40 >>".encode()
        trailer_extra = f" /Encrypt {n} 0 R /ID [<{'AB' * 16}> <{'AB' * 16}>]"
        n += 1
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += f"{num} 0 obj\n".encode() + objs[num] + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {n}\n0000000000 65535 f \n".encode()
    for num in range(1, n):
        out += f"{offsets[num]:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {n} /Root 1 0 R{trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# ---------------------------------------------------------------- budget-like content

COVER = [
    Text(150, 200, "上海市普陀区2023年区级部门预算", 16),
    Text(150, 260, "预算主管部门：上海市普陀区测试街道办事处", 12),
]

TABLE_COLS = [40.0, 120.0, 300.0, 380.0, 460.0, 540.0]
TABLE_HEADER = ["功能分类科目编码", "功能分类科目名称", "合计", "基本支出", "项目支出"]


def budget_table_page(title: str, rows: list[list[str]], *, header: bool = True) -> Page:
    """A 部门支出预算总表 page: title, unit line, and a ruled table."""
    before = [
        Text(150, 60, title, 14),
        Text(40, 100, "编制部门：上海市普陀区测试街道办事处", 9),
        Text(480, 100, "单位：万元", 9),
    ]
    body = ([TABLE_HEADER] if header else []) + rows
    return grid_page(120, TABLE_COLS, body, before=before)


def prose_page(paragraphs: list[str]) -> Page:
    return Page(texts=[Text(60, 80 + 24 * i, p, 10.5) for i, p in enumerate(paragraphs)])


BUDGET_PROSE = [
    "一、部门主要职能",
    "二、2023年部门预算总体情况",
    "2023年部门预算收入总额120.00万元，支出总额120.00万元，其中基本支出100.00万元，项目支出20.00万元。",
]

EXPENDITURE_ROWS = [
    ["201", "一般公共服务支出", "120.00", "100.00", "20.00"],
    ["20103", "政府办公厅（室）及相关机构事务", "120.00", "100.00", "20.00"],
    ["2010301", "行政运行", "100.00", "100.00", ""],
    ["2010302", "一般行政管理事务", "20.00", "", "20.00"],
]


def budget_pdf(extra_pages: int = 0) -> bytes:
    """A small disclosure: cover, prose, one expenditure table; `extra_pages` more prose pages."""
    pages = [Page(texts=list(COVER)), prose_page(BUDGET_PROSE),
             budget_table_page("2023年部门支出预算总表", EXPENDITURE_ROWS)]
    pages += [prose_page([f"第{i}段说明：本部门预算支出按功能分类科目列示。"]) for i in range(extra_pages)]
    return build_pdf(pages)
