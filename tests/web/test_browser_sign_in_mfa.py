"""In a real browser: a clinician enrols an authenticator at first sign-in, then signs in with a code."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from confide.people.models import User
from confide.people.services import totp_now
from tests.conftest import PASSWORD
from tests.web.browser import Visit, sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


def test_clinician_enrols_an_authenticator_then_signs_in_with_a_code(
    visit: Visit, clinician: User, settings: Any
) -> None:
    settings.MFA_REQUIRED_ROLES = ["clinician"]
    page = visit.page
    sign_in(visit, clinician.username, PASSWORD)
    assert page.url.endswith("/sign-in/enroll/")
    assert page.get_by_test_id("totp-secret").inner_text().strip()
    qr_code = page.get_by_role("img", name="QR code of the setup link for Confide")
    assert qr_code.is_visible() and qr_code.bounding_box()["width"] >= 150  # big enough for a phone camera
    visit.shot("01-enroll")
    device = TOTPDevice.objects.get(user=clinician, confirmed=False)
    page.get_by_label("Six-digit code").fill(totp_now(device))
    page.get_by_role("button", name="Confirm and sign in").click()
    page.wait_for_url(visit.base_url + "/")
    visit.check()
    assert page.get_by_role("heading", name="Today", exact=True).is_visible()
    vault_cookie = next(c for c in page.context.cookies() if c["name"] == "confide_vault")
    assert vault_cookie["httpOnly"] and vault_cookie["sameSite"] == "Strict"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(visit.base_url + "/sign-in/")
    visit.check()
    assert not [c for c in page.context.cookies() if c["name"] == "confide_vault"]

    sign_in(visit, clinician.username, PASSWORD)
    assert page.url.endswith("/sign-in/code/")
    visit.shot("02-code")
    page.get_by_label("Six-digit code").fill("000000" if totp_now(device) != "000000" else "111111")
    page.get_by_role("button", name="Verify and sign in").click()
    page.wait_for_load_state("load")
    visit.check()
    assert page.get_by_text("That code did not work").is_visible()
    device.refresh_from_db()
    # The enrolment code may still be current (TOTP refuses a replay) and django-otp slows retries after a wrong
    # code; rather than sleep through both, start this device's clock afresh as a new time step would.
    device.last_t = -1
    device.throttling_failure_count = 0
    device.save(update_fields=["last_t", "throttling_failure_count"])
    page.get_by_label("Six-digit code").fill(totp_now(device))
    page.get_by_role("button", name="Verify and sign in").click()
    page.wait_for_url(visit.base_url + "/")
    visit.check()
    assert page.get_by_role("heading", name="Today", exact=True).is_visible()
    visit.shot("03-day-empty")


def test_wrong_password_shows_one_generic_message(visit: Visit, clinician: User) -> None:
    sign_in(visit, clinician.username, "not the password")
    assert visit.page.get_by_text("Those details did not work").is_visible()
    visit.shot("00-sign-in-failed")
