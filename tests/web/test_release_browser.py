"""In a real browser: a clinician records an authorization and attaches its signed form, releases records under it
(choose, review what goes and what is withheld and why, release), watches the package being built, and looks at its
first page; the client's copy and the accounting. Every page passes axe and the strict Content-Security-Policy."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from confide.clients.models import Client, ExternalContact
from confide.disclosures.models import AccessRequest, Authorization, Disclosure
from confide.people.models import User
from confide.plans import services as plans
from tests.conftest import PASSWORD, session_for
from tests.web.browser import SHOTS, Visit, sign_in
from tests.web.notes_support import draft_note, signed_note

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


@pytest.fixture
def chart(clinician: User, client_of_record: Client) -> dict[str, Any]:
    sessions = [session_for(client_of_record, clinician, days_ago=d) for d in (30, 20, 10, 5)]
    notes = [signed_note(s, clinician) for s in sessions[:3]]
    draft_note(sessions[3], clinician)
    plans.add_diagnosis(actor=clinician, client=client_of_record, code="F33.1", diagnosed_on=date(2026, 1, 5))
    contact = ExternalContact.objects.create(
        client=client_of_record, kind="primary_care", name="Dr. Priya Shah", organization="Springfield Family Medicine"
    )
    client_of_record.address = "12 Elm St, Springfield"
    client_of_record.save()
    return {"sessions": sessions, "notes": notes, "contact": contact}


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_clinician_authorizes_reviews_and_releases_then_views_the_package(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    page = visit.page
    today = timezone.localdate()
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/clients/{client_of_record.pk}/")
    page.get_by_role("link", name="Release of information").click()
    page.wait_for_url(f"{visit.base_url}/clients/{client_of_record.pk}/release/")
    visit.check()
    visit.shot("release-01-tab-empty")

    # An authorization with every element of 164.508(c), first refused for a missing purpose.
    page.get_by_role("link", name="Record an authorization").click()
    visit.check()
    page.get_by_label("Recipient from the chart's outside contacts").select_option(str(chart["contact"].pk))
    page.get_by_label("Progress notes").check()
    page.get_by_label("Diagnoses").check()
    page.get_by_label(re.compile(r"^Expires on\b")).fill((today + timedelta(days=365)).isoformat())
    page.get_by_label(re.compile(r"^Signed on\b")).fill(today.isoformat())
    page.get_by_role("button", name="Record authorization").click()
    page.get_by_text("lacks a core element of 164.508(c): purpose").wait_for()
    visit.check()
    visit.shot("release-02-authorization-refused")
    page.get_by_label("Purpose of the disclosure").fill("Coordination of care")
    page.get_by_role("button", name="Record authorization").click()
    page.get_by_text("Authorization recorded.").wait_for()
    visit.check()
    auth = Authorization.objects.get()
    assert auth.recipient == "Dr. Priya Shah" and auth.purpose == "Coordination of care"

    # The scanned signed form: a renamed text file is refused by its content, a PDF is attached.
    page.get_by_label("Scanned signed form").set_input_files(
        files=[{"name": "signed.pdf", "mimeType": "application/pdf", "buffer": b"just some text"}]
    )
    page.get_by_role("button", name="Attach the signed form").click()
    page.get_by_text("The signed form must be a PDF or an image").wait_for()
    visit.check()
    visit.shot("release-03-upload-refused")
    page.get_by_label("Scanned signed form").set_input_files(
        files=[{"name": "signed.pdf", "mimeType": "application/pdf", "buffer": blank_pdf()}]
    )
    page.get_by_role("button", name="Attach the signed form").click()
    page.get_by_text("Signed form attached").wait_for()
    visit.check()
    assert page.get_by_role("link", name="View the signed form").is_visible()
    visit.shot("release-04-tab-authorized")

    # Step 1: the request, under the authorization, to the contact it names; sessions are not named by it.
    page.get_by_role("link", name="Release records", exact=True).click()
    page.wait_for_url(f"{visit.base_url}/clients/{client_of_record.pk}/release/new/")
    visit.check()
    page.get_by_label("Recipient from the chart's outside contacts").select_option(str(chart["contact"].pk))
    page.get_by_label("The client's written authorization").check()
    page.get_by_label("Authorization", exact=True).select_option(str(auth.pk))
    page.get_by_label("Records from").fill((today - timedelta(days=60)).isoformat())
    page.get_by_label("Records to").fill(today.isoformat())
    for content in ("Progress notes", "Diagnoses", "Sessions (dates, services and codes)"):
        page.get_by_label(content).check()
    visit.shot("release-05-request")
    page.get_by_role("button", name="Review the release").click()

    # Step 2: the review says what goes and what is withheld, and why; nothing is built yet.
    page.get_by_role("heading", name="Step 2 of 3: what would go, and what would not").wait_for()
    visit.check()
    assert page.get_by_text("3 progress notes").is_visible()
    assert page.get_by_text("Not signed yet (a draft, or awaiting co-signature)").is_visible()
    assert page.get_by_text("The authorization does not name sessions.").first.is_visible()
    assert Disclosure.objects.count() == 0
    visit.shot("release-06-review")

    # Step 3: release. A listener added after release.js's keeps the first submit from leaving the page, so the
    # spinner and the status message can be looked at; then the form is sent for real.
    page.evaluate(
        "() => { window.hold = (e) => e.preventDefault(); document.addEventListener('submit', window.hold); }"
    )
    page.get_by_role("button", name="Release", exact=True).click()
    page.wait_for_function("() => document.querySelector('[data-busy-status]').textContent.length > 0")
    assert page.get_by_role("status").filter(has_text="Building the package…").is_visible()
    assert page.get_by_role("button", name="Building the package…").is_disabled()
    visit.shot("release-07-building")
    assert Disclosure.objects.count() == 0
    page.evaluate(
        "() => { document.removeEventListener('submit', window.hold);"
        " document.querySelector('form[data-release-form]').submit(); }"
    )
    page.wait_for_url(f"{visit.base_url}/disclosures/*/")
    visit.check()
    made = Disclosure.objects.get()
    assert page.get_by_text(made.pdf_sha256).is_visible()
    image = page.get_by_role("img", name="Page 1 of")
    image.wait_for()
    page.wait_for_function("() => document.querySelector('img.package-page').naturalWidth > 0")
    visit.shot("release-08-result-page-1")
    if made.pdf_pages > 1:
        page.get_by_role("link", name="Next page").click()
        page.wait_for_function("() => document.querySelector('img.package-page').naturalWidth > 0")
        visit.check()
        visit.shot("release-09-result-page-2")
    assert (SHOTS / "release-08-result-page-1.png").exists()


def test_the_clients_copy_the_accounting_and_the_day_view(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    page = visit.page
    today = timezone.localdate()
    AccessRequest.objects.create(
        client=client_of_record,
        received_on=today - timedelta(days=35),
        due_on=today - timedelta(days=5),
        recorded_by=clinician,
    )
    sign_in(visit, clinician.username, PASSWORD)
    assert page.get_by_role("heading", name="Deadlines").is_visible()
    visit.shot("release-10-day-deadlines")
    page.get_by_role("link", name="Alex Morgan").first.click()
    page.wait_for_url(f"{visit.base_url}/clients/{client_of_record.pk}/release/")
    visit.check()
    assert page.get_by_text("Overdue").first.is_visible()
    page.get_by_label("Request received on").fill(today.isoformat())
    page.get_by_role("button", name="Log request").click()
    page.get_by_text("Records request logged.").wait_for()
    visit.check()
    visit.shot("release-11-requests")

    page.get_by_role("button", name="Client's copy").click()
    page.get_by_text("The client's copy is made.").wait_for()
    visit.check()
    made = Disclosure.objects.get()
    assert made.basis == "right_of_access" and made.access_request is not None
    page.wait_for_function("() => document.querySelector('img.package-page').naturalWidth > 0")
    visit.shot("release-12-client-copy")

    # A court order goes into the accounting; the client's copy does not.
    visit.goto(f"/clients/{client_of_record.pk}/release/new/")
    page.get_by_label("New recipient's name").fill("Hon. J. Alvarez, County Superior Court")
    page.get_by_label("Recipient's address or organization").fill("100 Court Plaza, Springfield")
    page.get_by_label("Order of a court or administrative tribunal").check()
    page.get_by_label("Purpose", exact=True).fill("Order in case 26-FL-1234")
    page.get_by_label("Progress notes").check()
    page.get_by_role("button", name="Review the release").click()
    page.get_by_role("heading", name="Step 3 of 3: release").wait_for()
    visit.check()
    page.get_by_role("button", name="Release", exact=True).click()
    page.wait_for_url(f"{visit.base_url}/disclosures/*/")
    visit.check()
    page.get_by_role("link", name="Back to release of information").click()
    visit.check()
    visit.shot("release-13-tab-with-disclosures")
    page.get_by_role("link", name="Accounting of disclosures", exact=True).click()
    visit.check()
    assert page.get_by_role("cell", name="Hon. J. Alvarez, County Superior Court").is_visible()
    assert page.locator("tbody tr").count() == 1  # not the client's own copy
    visit.shot("release-14-accounting")


def test_an_amendment_request_is_logged_denied_disputed_and_rebutted(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    page = visit.page
    today = timezone.localdate()
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/clients/{client_of_record.pk}/release/")
    card = page.locator("section", has=page.get_by_role("heading", name="Amendment requests"))
    card.get_by_label("Note the client asks to amend").select_option(index=1)
    card.get_by_label("Day the written request arrived").fill((today - timedelta(days=3)).isoformat())
    card.get_by_label("What the client asks to change").fill("I went to work four of five days, not none.")
    card.get_by_role("button", name="Log amendment request").click()
    page.get_by_text("Amendment request logged.").wait_for()
    visit.check()
    visit.shot("release-15-amendment-logged")

    card = page.locator("section", has=page.get_by_role("heading", name="Amendment requests"))
    card.locator("summary", has_text="Deny").click()
    card.get_by_label("Ground for the denial (164.526(a)(2))").select_option("accurate_and_complete")
    card.get_by_label("Explanation for the client").fill("The note records what was said in session.")
    card.get_by_role("button", name="Deny the request", exact=False).click()
    page.get_by_text("Denied. Send the client the written denial").wait_for()
    visit.check()
    card = page.locator("section", has=page.get_by_role("heading", name="Amendment requests"))
    card.locator("summary", has_text="Record the client's disagreement").click()
    card.get_by_label("The client's statement of disagreement").fill("Ask my manager.")
    card.get_by_role("button", name="Record the client's disagreement").click()
    page.get_by_text("statement of disagreement is recorded").wait_for()
    card = page.locator("section", has=page.get_by_role("heading", name="Amendment requests"))
    card.locator("summary", has_text="Rebut").click()
    card.get_by_label("The practice's rebuttal").fill("We stand by the note.")
    card.get_by_role("button", name="Rebut").click()
    page.get_by_text("The rebuttal is recorded.").wait_for()
    visit.check()
    card = page.locator("section", has=page.get_by_role("heading", name="Amendment requests"))
    for shown in ("Denied", "Ask my manager.", "We stand by the note.", "Accurate and complete as written"):
        assert card.get_by_text(shown).first.is_visible(), shown
    assert card.locator("summary").count() == 0  # nothing left to answer
    visit.shot("release-16-amendment-rebutted")
