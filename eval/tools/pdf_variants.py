"""How the PDF reader holds up on PDFs made differently from the five Shanghai files it was built on.

Part A turns the Shanghai PDFs with pypdfium2 (pages turned by /Rotate, content turned on a
landscape page, scaled, a CropBox or a MediaBox off the origin, two documents in one file) and
compares the tables and indicator rows read with those read from the untouched file.
Part B writes the template texts (tests/data/templates) and a Hebei sample as DOCX with
python-docx in several table styles (all borders, none, horizontal rules only, shaded cells,
another font, merged 一级/二级 cells, narrow wrapping columns), prints them to PDF with
LibreOffice and compares the DOCX and PDF readings with the text reading of the same content.
Part C prints the numbers differently (thousands separators, negatives in parentheses or with
a minus, "-" / "—" for empty cells, amounts in 元) and compares with the original reading.

Usage: PYTHONPATH=$PWD python eval/tools/pdf_variants.py [a] [b] [c] [-v]
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from semx.ingest import ingest, ingest_bytes
from semx.models import ParsedDocument
from semx.pipeline import parse_source

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from pdf_transforms import concatenated, placed, set_rotation

SHANGHAI = ROOT / "eval" / "shanghai"
TEMPLATES = ROOT / "tests" / "data" / "templates"

# ---------------------------------------------------------------- signatures


def table_sig(doc: ParsedDocument) -> list[tuple[str, tuple[str, ...]]]:
    """Each table row as (table title, its amounts in 万元 and its name): what a reader must get right."""
    out = []
    for t in doc.tables:
        for r in t.rows:
            vals = tuple(_cell(c) for c in r.cells)
            out.append((re.sub(r"\s+", "", t.title), ((r.code or "") + "|" + re.sub(r"\s+", "", r.name or ""),) + vals))
    return out


def _cell(c: object) -> str:
    if c is None:
        return ""
    if isinstance(c, str):
        return re.sub(r"\s+", "", c)
    return str(Decimal(str(c)).normalize())


def indicator_sig(doc: ParsedDocument) -> list[tuple[str, ...]]:
    out = []
    for p in doc.projects:
        for i in p.indicators:
            v = i.value
            out.append((re.sub(r"\s+", "", p.name), i.level1 or "", i.level2 or "", re.sub(r"\s+", "", i.level3),
                        v.op or "", "" if v.number is None else str(Decimal(str(v.number)).normalize()), v.unit or ""))
    return out


def project_sig(doc: ParsedDocument) -> list[tuple[str, str]]:
    return [(re.sub(r"\s+", "", p.name), "" if p.budget is None else str(p.budget)) for p in doc.projects]


def compare(ref: ParsedDocument, got: ParsedDocument) -> dict[str, str]:
    """Share of the reference's table rows, tables, indicator rows and projects read the same."""
    def share(a: list, b: list) -> str:  # type: ignore[type-arg]
        rest = list(b)
        hit = 0
        for x in a:
            if x in rest:
                rest.remove(x)
                hit += 1
        return f"{hit}/{len(a)}" + (f" (+{len(rest)})" if rest else "")
    ref_titles = sorted(re.sub(r"\s+", "", t.title) for t in ref.tables)
    got_titles = sorted(re.sub(r"\s+", "", t.title) for t in got.tables)
    arith = [f.code for f in got.findings if f.code.startswith(("SUM_", "CROSS_"))]
    ref_arith = [f.code for f in ref.findings if f.code.startswith(("SUM_", "CROSS_"))]
    return {
        "tables": share(ref_titles, got_titles),
        "rows": share(table_sig(ref), table_sig(got)),
        "indicators": share(indicator_sig(ref), indicator_sig(got)),
        "projects": share(project_sig(ref), project_sig(got)),
        "arith": f"{len(arith)}/{len(ref_arith)}",  # findings read / findings in the reference reading
    }


def parse_bytes(data: bytes, name: str) -> ParsedDocument:
    return parse_source(ingest_bytes(data, name))


# ---------------------------------------------------------------- part A: PDF transforms (pypdfium2)


PDF_VARIANTS: dict[str, Callable[[bytes], bytes]] = {
    "rotate90": lambda d: set_rotation(d, 90),
    "rotate270": lambda d: set_rotation(d, 270),
    "turned+rotate270": lambda d: placed(d, turn=90, rotate=270),
    "turned (no /Rotate)": lambda d: placed(d, turn=90),
    "scale0.6": lambda d: placed(d, scale=0.6),
    "scale1.5": lambda d: placed(d, scale=1.5),
    "mediabox offset": lambda d: placed(d, media_origin=(200.0, -300.0)),
    "cropbox inside": lambda d: placed(d, crop_margin=36.0),
    "scale0.7+turned+rot90": lambda d: placed(d, scale=0.7, turn=90, rotate=90),
}


def part_a(verbose: bool) -> list[list[str]]:
    rows: list[list[str]] = []
    files = sorted(SHANGHAI.glob("*.pdf"))
    refs = {f.name: parse_source(ingest(f)) for f in files}
    for variant, make in PDF_VARIANTS.items():
        agg: dict[str, list[int]] = {}
        for f in files:
            try:
                got = parse_bytes(make(f.read_bytes()), f.name)
                res = compare(refs[f.name], got)
            except Exception as exc:  # noqa: BLE001 - a variant that breaks the reader is a result
                res = {"tables": f"ERROR {exc}"[:60]}
            if verbose:
                print(f"  {variant} {f.name}: {res}")
            for k, v in res.items():
                m = re.match(r"(\d+)/(\d+)", v)
                if m:
                    a = agg.setdefault(k, [0, 0])
                    a[0] += int(m.group(1))
                    a[1] += int(m.group(2))
        rows.append([f"A {variant}", *(f"{agg.get(k, [0, 0])[0]}/{agg.get(k, [0, 0])[1]}"
                                       for k in ("tables", "rows", "indicators", "projects", "arith"))])
    # two documents in one file: every table and indicator of both
    a, b = files[4], files[1]
    ref_a, ref_b = refs[a.name], refs[b.name]
    got = parse_bytes(concatenated(a.read_bytes(), b.read_bytes()), "concat.pdf")
    ref = ref_a.model_copy(update={"tables": ref_a.tables + ref_b.tables, "projects": ref_a.projects + ref_b.projects,
                                   "findings": []})
    res = compare(ref, got)
    rows.append(["A concat wanli+finance", res["tables"], res["rows"], res["indicators"], res["projects"],
                 f"{res['arith'].split('/')[0]}/{len([f for f in ref_a.findings + ref_b.findings if f.code.startswith(('SUM_', 'CROSS_'))])}"])
    return rows


# ---------------------------------------------------------------- part B: DOCX -> PDF (LibreOffice)


def _blocks(text: str) -> list[tuple[str, list[list[str]]]]:
    """Lines as paragraphs ("p", [[line]]) and runs of tab-separated lines as tables ("t", rows)."""
    out: list[tuple[str, list[list[str]]]] = []
    for line in text.splitlines():
        if "\t" in line:
            cells = line.split("\t")
            if out and out[-1][0] == "t":
                out[-1][1].append(cells)
            else:
                out.append(("t", [cells]))
        else:
            out.append(("p", [[line]]))
    return out


def make_docx(text: str, style: str) -> bytes:
    import io

    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    font = "Noto Sans CJK SC" if style == "font" else "Noto Serif CJK SC"
    st = document.styles["Normal"]
    st.font.name = font
    st.font.size = Pt(9 if style != "font" else 8)
    st.element.rPr.rFonts.set(qn("w:eastAsia"), font)
    sec = document.sections[0]
    sec.left_margin = sec.right_margin = Cm(1.5)
    for kind, rows in _blocks(text):
        if kind == "p":
            document.add_paragraph(rows[0][0])
            continue
        n = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=n)
        if style not in ("none", "hrules", "shaded"):
            table.style = "Table Grid"
        if style == "repeat":  # the first row printed again at the top of every page the table runs onto
            tr_pr = table.rows[0]._tr.get_or_add_trPr()
            el = OxmlElement("w:tblHeader")
            el.set(qn("w:val"), "true")
            tr_pr.append(el)
        for r, cells in enumerate(rows):
            for c in range(n):
                table.cell(r, c).text = cells[c] if c < len(cells) else ""
        tbl_pr = table._tbl.tblPr
        if style == "hrules":
            borders = OxmlElement("w:tblBorders")
            for edge in ("top", "bottom", "insideH"):
                el = OxmlElement(f"w:{edge}")
                el.set(qn("w:val"), "single")
                el.set(qn("w:sz"), "4")
                borders.append(el)
            tbl_pr.append(borders)
        if style == "shaded":
            for r, row in enumerate(table.rows):
                for cell in row.cells:
                    shd = OxmlElement("w:shd")
                    shd.set(qn("w:val"), "clear")
                    shd.set(qn("w:fill"), "D9D9D9" if r % 2 == 0 else "F2F2F2")
                    cell._tc.get_or_add_tcPr().append(shd)
        if style == "narrow":
            for row in table.rows:
                for cell in row.cells:
                    cell.width = Cm(1.6)
        if style == "merged":
            for col in range(min(2, n)):
                top = None
                for r in range(len(rows)):
                    val = rows[r][col] if col < len(rows[r]) else ""
                    if val:
                        top = r
                    elif top is not None and r > top and all(not x for x in rows[r][:col]):
                        table.cell(top, col).merge(table.cell(r, col))
                        table.cell(top, col).text = rows[top][col]
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def to_pdf(docx: bytes, workdir: Path) -> bytes:
    src = workdir / "in.docx"
    src.write_bytes(docx)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{workdir}/lo", "--convert-to", "pdf",
                    "--outdir", str(workdir), str(src)], check=True, capture_output=True, timeout=300)
    return (workdir / "in.pdf").read_bytes()


DOCX_STYLES = ("grid", "repeat", "none", "hrules", "shaded", "font", "merged", "narrow")


def _b_sources() -> list[tuple[str, str]]:
    out = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(TEMPLATES.glob("*.txt")) if "cells_dropped" not in p.name]
    for name in ("000_0e92df39b5d37474.txt", "003_151f06cdbfa3e50b.txt"):  # tables and 专项 forms
        hebei = ROOT / "eval" / "corpus" / name
        out.append((hebei.name, hebei.read_text(encoding="utf-8")))
    return out


def part_b(verbose: bool, styles: tuple[str, ...] = DOCX_STYLES) -> list[list[str]]:
    rows: list[list[str]] = []
    sources = _b_sources()
    refs = {name: parse_source(ingest_bytes(text.encode(), name)) for name, text in sources}
    with tempfile.TemporaryDirectory() as tmp:
        for style in styles:
            agg: dict[str, dict[str, list[int]]] = {"docx": {}, "pdf": {}}
            for name, text in sources:
                docx = make_docx(text, style)
                pdf = to_pdf(docx, Path(tmp))
                for fmt, data, fname in (("docx", docx, name + ".docx"), ("pdf", pdf, name + ".pdf")):
                    try:
                        res = compare(refs[name], parse_bytes(data, fname))
                    except Exception as exc:  # noqa: BLE001
                        res = {"tables": f"ERROR {exc}"[:80]}
                    if verbose:
                        print(f"  {style} {fmt} {name}: {res}")
                    for k, v in res.items():
                        m = re.match(r"(\d+)/(\d+)", v)
                        a = agg[fmt].setdefault(k, [0, 0])
                        if m:
                            a[0] += int(m.group(1))
                            a[1] += int(m.group(2))
            for fmt in ("docx", "pdf"):
                g = agg[fmt]
                rows.append([f"B {style} {fmt}", *(f"{g.get(k, [0, 0])[0]}/{g.get(k, [0, 0])[1]}"
                                                  for k in ("tables", "rows", "indicators", "projects", "arith"))])
    return rows


# ---------------------------------------------------------------- part C: number formats


_NUM = re.compile(r"^(-?)(\d+)\.(\d+)$")


def _thousands(cell: str) -> str:
    m = _NUM.match(cell.strip())
    if not m:
        return cell
    return f"{m.group(1)}{int(m.group(2)):,}.{m.group(3)}"


_AMOUNT = re.compile(r"^-?\d+\.\d+$")  # integers are mostly 序号 and counts: left alone


def _in_yuan(cell: str) -> str:
    if not _AMOUNT.match(cell.strip()):
        return cell
    return f"{Decimal(cell.strip()) * 10000:.2f}"


def reformat(text: str, how: str) -> str:
    lines = []
    for line in text.splitlines():
        if "\t" not in line:
            if how == "yuan":
                line = line.replace("单位：万元", "单位：元").replace("单位:万元", "单位:元")
            lines.append(line)
            continue
        cells = line.split("\t")
        if how == "thousands":
            cells = [_thousands(c) for c in cells]
        elif how == "yuan":
            cells = [_in_yuan(c).replace("（万元）", "（元）").replace("单位：万元", "单位：元") for c in cells]
        elif how in ("dash", "emdash"):
            mark = "-" if how == "dash" else "—"
            numeric = any(_NUM.match(c.strip()) for c in cells)
            cells = [mark if numeric and not c.strip() and i > 0 else c for i, c in enumerate(cells)]
        elif how in ("zero-dash",):
            cells = ["-" if c.strip() in ("0", "0.00") else c for c in cells]
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def part_c(verbose: bool) -> list[list[str]]:
    rows: list[list[str]] = []
    sources = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "eval" / "corpus").glob("*.txt"))]
    for how in ("thousands", "dash", "emdash", "zero-dash", "yuan"):
        agg: dict[str, list[int]] = {}
        for name, text in sources:
            ref = parse_source(ingest_bytes(text.encode(), name))
            got = parse_source(ingest_bytes(reformat(text, how).encode(), name))
            res = compare(ref, got)
            if verbose:
                print(f"  {how} {name}: {res}")
            for k, v in res.items():
                m = re.match(r"(\d+)/(\d+)", v)
                a = agg.setdefault(k, [0, 0])
                if m:
                    a[0] += int(m.group(1))
                    a[1] += int(m.group(2))
        rows.append([f"C {how} (Hebei txt)", *(f"{agg.get(k, [0, 0])[0]}/{agg.get(k, [0, 0])[1]}"
                                                for k in ("tables", "rows", "indicators", "projects", "arith"))])
    return rows


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    parts = [a for a in argv if a in ("a", "b", "c")] or ["a", "b", "c"]
    table: list[list[str]] = []
    if "a" in parts:
        table += part_a(verbose)
    if "b" in parts:
        table += part_b(verbose)
    if "c" in parts:
        table += part_c(verbose)
    print("| variant | tables | table rows | indicator rows | projects | arith findings (read/ref) |")
    print("|---|---|---|---|---|---|")
    for r in table:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
