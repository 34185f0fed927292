"""The enrolment page shows the otpauth:// setup link as a QR code drawn on the server, beside the typed-in key."""

from __future__ import annotations

import re

import segno
from django.test import Client as HttpClient
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.lib.qr import ERROR_CORRECTION, QUIET_ZONE, qr_svg
from confide.people.models import User
from tests.conftest import PASSWORD

URI = "otpauth://totp/Confide%3Arivera?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30&issuer=Confide"


def dark_modules(svg: str) -> set[tuple[int, int]]:
    """Read the dark modules back out of the SVG path (absolute M, relative m, horizontal runs h)."""
    path = re.search(r'<path stroke="#000" d="([^"]+)"', svg)
    assert path is not None, svg
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for command, numbers in re.findall(r"([Mmh])([-\d. ]+)", path.group(1)):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            dark.update((int(x) + i, int(y - 0.5)) for i in range(int(values[0])))
            x += values[0]
    return dark


def expected_modules(uri: str) -> set[tuple[int, int]]:
    matrix = segno.make(uri, error=ERROR_CORRECTION, micro=False).matrix
    return {
        (col + QUIET_ZONE, row + QUIET_ZONE) for row, line in enumerate(matrix) for col, bit in enumerate(line) if bit
    }


def test_qr_svg_draws_exactly_the_modules_of_the_uri() -> None:
    assert dark_modules(qr_svg(URI)) == expected_modules(URI)
    assert dark_modules(qr_svg(URI)) != dark_modules(qr_svg(URI.replace("JBSWY3DP", "KRSXG5CT")))


def test_qr_svg_is_inline_markup_the_strict_csp_allows() -> None:
    svg = qr_svg(URI)
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "<script" not in svg and "style" not in svg and "href" not in svg
    assert "JBSWY3DPEHPK3PXP" not in svg  # geometry only: the secret is not in the markup as text


def test_enrolment_page_shows_the_qr_code_of_the_devices_setup_link(clinician: User) -> None:
    http = HttpClient()
    http.post("/sign-in/", {"username": clinician.username, "password": PASSWORD})
    page = http.get("/sign-in/enroll/").content.decode()
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    assert str(qr_svg(device.config_url)) in page
    assert 'role="img" aria-label="QR code of the setup link for Confide' in page
    secret = page.split('data-testid="totp-secret">', 1)[1].split("<", 1)[0]
    assert secret and f"secret={secret}" in device.config_url  # the key to type in stays, and is the same key
