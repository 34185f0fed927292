"""QR codes as inline SVG, drawn on the server so the page needs no script and fetches nothing (strict CSP)."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe

# Medium error correction survives a phone camera's glare on a screen; the URI still fits a small symbol.
ERROR_CORRECTION = "m"
# Four modules of quiet zone is what the QR standard asks for; less and some authenticator apps fail to lock on.
QUIET_ZONE = 4


def qr_svg(uri: str) -> SafeString:
    """An `<svg>` QR code of `uri`: dark modules on a white square, sized by CSS (no width or height attributes).

    The white square keeps the code scannable in a dark theme. The markup holds only path geometry — no text from
    `uri`, no script, no style attribute — so it is safe to place in the page as is.
    """
    code = segno.make(uri, error=ERROR_CORRECTION, micro=False)
    svg = code.svg_inline(
        scale=1, border=QUIET_ZONE, dark="#000", light="#fff", svgclass=None, lineclass=None, omitsize=True
    )
    return mark_safe(svg)  # noqa: S308 - geometry only, generated from the code's modules (see the docstring)
