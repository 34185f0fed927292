"""Pages of a rendered PDF: how many there are, and one of them as a PNG.

The release screen shows the preparer the package's pages before it is sent (and records the page count with
the disclosure), so what a clinician checks is the PDF itself, not an HTML imitation of it. PDFium (pypdfium2)
draws the page; Pillow writes the PNG.
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium

__all__ = ["page_count", "page_png"]


def page_count(pdf: bytes) -> int:
    """The number of pages of `pdf`."""
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def page_png(pdf: bytes, page: int, *, scale: float = 1.5) -> bytes:
    """Page `page` (1-based) of `pdf` as PNG bytes, at `scale` times 72 dpi; ValueError when there is no such page."""
    doc = pdfium.PdfDocument(pdf)
    try:
        if not 1 <= page <= len(doc):
            raise ValueError(f"page {page} is out of range: the PDF has {len(doc)} pages")
        pdf_page = doc[page - 1]
        try:
            bitmap = pdf_page.render(scale=scale)
            try:
                out = io.BytesIO()
                bitmap.to_pil().save(out, format="PNG")
                return out.getvalue()
            finally:
                bitmap.close()
        finally:
            pdf_page.close()
    finally:
        doc.close()
