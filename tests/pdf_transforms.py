"""Shanghai PDFs made differently, in the tests, with pypdfium2 alone: pages shown turned by
/Rotate, each page drawn as a form XObject on a new page (scaled, turned a quarter onto a page of
swapped size, its MediaBox off the origin, a CropBox inside it), two documents in one file.
eval/tools/pdf_variants.py measures the reader on the same transforms."""

from __future__ import annotations

import io
from collections.abc import Callable


def _rewrite(data: bytes, each: Callable[[object, object, int], None]) -> bytes:
    """A copy of the PDF with each(new_pdf, src_pdf, index) building its pages."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(data)
    dst = pdfium.PdfDocument.new()
    for i in range(len(src)):
        each(dst, src, i)
    buf = io.BytesIO()
    dst.save(buf)
    return buf.getvalue()


def set_rotation(data: bytes, degrees: int) -> bytes:
    """Every page shown turned by /Rotate (content untouched)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    for i in range(len(pdf)):
        pdf[i].set_rotation(degrees)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def placed(data: bytes, *, scale: float = 1.0, turn: int = 0, shift: tuple[float, float] = (0.0, 0.0),
           rotate: int = 0, media_origin: tuple[float, float] = (0.0, 0.0), crop_margin: float = 0.0) -> bytes:
    """Every page drawn as a form XObject on a new page: scaled, turned a quarter (turn=90, landscape
    content on a page of swapped size, shown upright by /Rotate=rotate), its MediaBox starting at
    media_origin, or a CropBox crop_margin inside the MediaBox."""
    import pypdfium2 as pdfium

    def each(dst: object, src: object, i: int) -> None:
        page = src[i]  # type: ignore[index]
        w, h = page.get_size()
        nw, nh = (h * scale, w * scale) if turn else (w * scale, h * scale)
        new = dst.new_page(nw, nh)  # type: ignore[attr-defined]
        xo = src.page_as_xobject(i, dst)  # type: ignore[attr-defined]
        obj = xo.as_pageobject()
        m = pdfium.PdfMatrix().scale(scale, scale)
        if turn == 90:  # content turned clockwise: x' = y, y' = w - x
            m = pdfium.PdfMatrix(0, -scale, scale, 0, 0, w * scale)
        ox, oy = media_origin
        m = m.translate(ox + shift[0], oy + shift[1])
        obj.transform(m)
        new.insert_obj(obj)
        new.gen_content()
        if media_origin != (0.0, 0.0):
            new.set_mediabox(ox, oy, ox + nw, oy + nh)
        if crop_margin:
            new.set_mediabox(-crop_margin, -crop_margin, nw + crop_margin, nh + crop_margin)
            new.set_cropbox(0, 0, nw, nh)
        if rotate:
            new.set_rotation(rotate)
    return _rewrite(data, each)


def concatenated(a: bytes, b: bytes) -> bytes:
    import pypdfium2 as pdfium

    dst = pdfium.PdfDocument(a)
    dst.import_pages(pdfium.PdfDocument(b))
    buf = io.BytesIO()
    dst.save(buf)
    return buf.getvalue()
