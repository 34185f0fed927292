"""The release-of-information pages through the Django test client: who sees what, what each form refuses, and that
a review builds nothing while a release builds one package whose pages can be looked at."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from confide.clients.models import Client, ExternalContact
from confide.disclosures import services as disclosures
from confide.disclosures.models import AccessRequest, Authorization, Disclosure
from confide.people.models import User
from confide.plans import services as plans
from tests.conftest import session_for
from tests.web.notes_support import draft_note, signed_note

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

Web = Callable[[User], HttpClient]


@pytest.fixture
def chart(clinician: User, client_of_record: Client) -> dict[str, Any]:
    """Three signed notes, one draft, a diagnosis, and an outside provider on the chart."""
    sessions = [session_for(client_of_record, clinician, days_ago=d) for d in (30, 20, 10, 5)]
    notes = [signed_note(s, clinician) for s in sessions[:3]]
    draft = draft_note(sessions[3], clinician)
    plans.add_diagnosis(actor=clinician, client=client_of_record, code="F33.1", diagnosed_on=date(2026, 1, 5))
    contact = ExternalContact.objects.create(
        client=client_of_record, kind="primary_care", name="Dr. Priya Shah", organization="Springfield Family Medicine"
    )
    return {"sessions": sessions, "notes": notes, "draft": draft, "contact": contact}


def authorization(clinician: User, client: Client, **changes: Any) -> Authorization:
    today = timezone.localdate()
    data = disclosures.AuthorizationInput(
        **{
            "kind": "general",
            "recipient": "Dr. Priya Shah",
            "purpose": "Coordination of care",
            "information": ["progress_notes", "diagnoses"],
            "signed_on": today,
            "expires_on": today + timedelta(days=365),
        }
        | changes
    )
    return disclosures.record_authorization(actor=clinician, client=client, data=data)


def authorization_form(**changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "kind": "general",
        "contact": "",
        "recipient": "Dr. Priya Shah",
        "recipient_address": "1 Main St, Springfield",
        "purpose": "Coordination of care",
        "information": ["progress_notes", "diagnoses"],
        "expires_on": (today + timedelta(days=365)).isoformat(),
        "signed_on": today.isoformat(),
        "signed_by": "client",
        "action": "record",
    } | changes


def release_form(**changes: Any) -> dict[str, Any]:
    return {
        "contact": "",
        "recipient_name": "Hon. J. Alvarez, County Superior Court",
        "recipient_address": "100 Court Plaza, Springfield",
        "basis": "court_order",
        "authorization": "",
        "purpose": "Order of the court in case 26-FL-1234",
        "span_from": "",
        "span_to": "",
        "include": ["progress_notes", "diagnoses", "sessions"],
        "action": "review",
    } | changes


def release(http: HttpClient, client: Client, **changes: Any) -> Any:
    return http.post(f"/clients/{client.pk}/release/make/", release_form(**changes))


# --- Each page renders for the clinician of record ------------------------------------------------------------------


def test_each_page_renders_for_the_clinician_of_record(
    web_as: Web, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    http = web_as(clinician)
    auth = authorization(clinician, client_of_record)
    disclosures.record_access_request(actor=clinician, client=client_of_record, received_on=timezone.localdate())
    made = release(http, client_of_record)
    assert made.status_code == 302, made.content
    disclosure = Disclosure.objects.get()
    c = client_of_record.pk
    for path in (
        f"/clients/{c}/release/",
        f"/clients/{c}/release/new/",
        f"/clients/{c}/release/new/?authorization={auth.pk}",
        f"/clients/{c}/release/authorizations/new/",
        f"/clients/{c}/release/accounting/",
        f"/authorizations/{auth.pk}/document/upload/",
        f"/disclosures/{disclosure.pk}/",
        f"/disclosures/{disclosure.pk}/?page=2",
    ):
        response = http.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert b"Traceback" not in response.content
    tab = http.get(f"/clients/{c}/release/").content.decode()
    for shown in ("Dr. Priya Shah", "Coordination of care", "Active", "Not attached", "Records requests", "due"):
        assert shown in tab, shown
    assert "Release records" in tab and "Client's copy" in tab
    prefilled = http.get(f"/clients/{c}/release/new/?authorization={auth.pk}").content.decode()
    assert 'value="Dr. Priya Shah"' in prefilled and f'<option value="{auth.pk}" selected>' in prefilled
    chart_page = http.get(f"/clients/{c}/").content.decode()
    assert f'href="/clients/{c}/release/"' in chart_page and f'href="/clients/{c}/release/new/"' in chart_page


def test_downloads_answer_with_their_files(
    web_as: Web, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    http = web_as(clinician)
    assert release(http, client_of_record).status_code == 302
    disclosure = Disclosure.objects.get()
    c = client_of_record.pk
    for path, kind in (
        (f"/disclosures/{disclosure.pk}/package.pdf", "application/pdf"),
        (f"/disclosures/{disclosure.pk}/package.json", "application/fhir+json"),
        (f"/clients/{c}/release/accounting.pdf", "application/pdf"),
        (f"/clients/{c}/release/record/?format=pdf", "application/pdf"),
        (f"/clients/{c}/release/record/?format=fhir", "application/fhir+json"),
    ):
        response = http.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert response["Content-Type"] == kind, path
        assert response["X-Content-Type-Options"] == "nosniff"
    assert http.get(f"/disclosures/{disclosure.pk}/package.pdf").content.startswith(b"%PDF-")


# --- Who may do what -------------------------------------------------------------------------------------------------


def test_a_colleague_outside_the_caseload_gets_404_everywhere(
    web_as: Web, clinician: User, colleague: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    owner = web_as(clinician)
    auth = authorization(clinician, client_of_record)
    request = disclosures.record_access_request(
        actor=clinician, client=client_of_record, received_on=timezone.localdate()
    )
    assert release(owner, client_of_record).status_code == 302
    disclosure = Disclosure.objects.get()
    http = web_as(colleague)
    c = client_of_record.pk
    for path in (
        f"/clients/{c}/release/",
        f"/clients/{c}/release/new/",
        f"/clients/{c}/release/authorizations/new/",
        f"/clients/{c}/release/accounting/",
        f"/clients/{c}/release/accounting.pdf",
        f"/clients/{c}/release/record/",
        f"/authorizations/{auth.pk}/document/upload/",
        f"/authorizations/{auth.pk}/document/",
        f"/disclosures/{disclosure.pk}/",
        f"/disclosures/{disclosure.pk}/package.pdf",
        f"/disclosures/{disclosure.pk}/page.png?page=1",
    ):
        response = http.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert b"Morgan" not in response.content
    for path, body in (
        (f"/clients/{c}/release/new/", release_form()),
        (f"/clients/{c}/release/make/", release_form()),
        (f"/clients/{c}/release/client-copy/", {}),
        (f"/clients/{c}/release/requests/", {"request-received_on": timezone.localdate().isoformat()}),
        (f"/authorizations/{auth.pk}/revoke/", {f"revoke-{auth.pk}-revoked_on": timezone.localdate().isoformat()}),
        (f"/access-requests/{request.pk}/extend/", {f"extend-{request.pk}-reason": "Records are off site."}),
    ):
        response = http.post(path, body)
        assert response.status_code == 404, (path, response.status_code)
    assert Disclosure.objects.count() == 1
    auth.refresh_from_db()
    assert auth.revoked_on is None


def test_the_front_desk_records_an_authorization_but_cannot_release(
    web_as: Web, front_desk: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    http = web_as(front_desk)
    c = client_of_record.pk
    tab = http.get(f"/clients/{c}/release/")
    assert tab.status_code == 200
    page = tab.content.decode()
    assert "Record an authorization" in page
    assert f'href="/clients/{c}/release/new/"' not in page and "Client&#x27;s copy" not in page
    made = http.post(f"/clients/{c}/release/authorizations/new/", authorization_form())
    assert made.status_code == 302, made.content
    auth = Authorization.objects.get()
    assert made["Location"] == f"/authorizations/{auth.pk}/document/upload/"
    assert auth.recorded_by == front_desk and auth.recipient_address == "1 Main St, Springfield"
    assert http.get(f"/clients/{c}/release/new/").status_code == 403
    assert http.post(f"/clients/{c}/release/make/", release_form()).status_code == 403
    assert http.post(f"/clients/{c}/release/client-copy/", {}).status_code == 403
    assert not Disclosure.objects.exists()
    assert f'href="/clients/{c}/release/new/"' not in http.get(f"/clients/{c}/").content.decode()


def test_the_biller_releases_for_payment_only_and_sees_no_authorizations(
    web_as: Web, biller: User, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    authorization(clinician, client_of_record)
    http = web_as(biller)
    c = client_of_record.pk
    tab = http.get(f"/clients/{c}/release/")
    assert tab.status_code == 200
    assert b"Coordination of care" not in tab.content  # authorizations are not the biller's to list
    assert http.get(f"/clients/{c}/release/authorizations/new/").status_code == 403
    refused = release(http, client_of_record)
    assert refused.status_code == 422
    assert b"Your role may release records for payment only" in refused.content
    paid = release(http, client_of_record, basis="payment", recipient_name="Blue Shield", include=["sessions"])
    assert paid.status_code == 302, paid.content
    assert Disclosure.objects.get().basis == "payment"


def test_the_administrator_gets_403(
    web_as: Web, admin: User, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    auth = authorization(clinician, client_of_record)
    http = web_as(admin)
    c = client_of_record.pk
    for path in (
        f"/clients/{c}/release/",
        f"/clients/{c}/release/new/",
        f"/clients/{c}/release/authorizations/new/",
        f"/clients/{c}/release/accounting/",
        f"/clients/{c}/release/record/",
        f"/authorizations/{auth.pk}/document/",
    ):
        response = http.get(path)
        assert response.status_code == 403, (path, response.status_code)
        assert b"Morgan" not in response.content
    assert http.post(f"/clients/{c}/release/make/", release_form()).status_code == 403
    assert not Disclosure.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client_of_record: Client) -> None:
    response = HttpClient().get(f"/clients/{client_of_record.pk}/release/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


# --- Authorizations --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"kind": "psychotherapy_notes", "information": ["psychotherapy_notes", "progress_notes"]},
            "may name psychotherapy notes only",
        ),
        ({"information": ["progress_notes", "psychotherapy_notes"]}, "cannot name psychotherapy notes"),
        ({"purpose": ""}, "lacks a core element of 164.508(c): purpose"),
        ({"expires_on": ""}, "expiry date or event"),
        ({"signed_on": ""}, "date signed"),
        ({"signed_by": "personal_representative"}, "the personal representative&#x27;s name and authority"),
    ],
)
def test_the_services_refusal_is_shown_beside_the_form(
    web_as: Web, clinician: User, client_of_record: Client, changes: dict[str, Any], message: str
) -> None:
    response = web_as(clinician).post(
        f"/clients/{client_of_record.pk}/release/authorizations/new/", authorization_form(**changes)
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert 'role="alert" id="authorization-errors"' in page and 'aria-describedby="authorization-errors"' in page
    assert not Authorization.objects.exists()


def test_a_contact_of_the_chart_is_the_recipient(
    web_as: Web, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    contact = chart["contact"]
    response = web_as(clinician).post(
        f"/clients/{client_of_record.pk}/release/authorizations/new/",
        authorization_form(contact=str(contact.pk), recipient="", recipient_address=""),
    )
    assert response.status_code == 302, response.content
    auth = Authorization.objects.get()
    assert (auth.recipient, auth.recipient_address) == ("Dr. Priya Shah", "Springfield Family Medicine")


def test_print_form_to_sign_returns_the_prefilled_pdf_and_records_nothing(
    web_as: Web, clinician: User, client_of_record: Client
) -> None:
    response = web_as(clinician).post(
        f"/clients/{client_of_record.pk}/release/authorizations/new/",
        authorization_form(signed_on="", action="print"),
    )
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert not Authorization.objects.exists()


def test_uploading_a_non_pdf_is_refused_with_the_message(
    web_as: Web, clinician: User, client_of_record: Client
) -> None:
    auth = authorization(clinician, client_of_record)
    http = web_as(clinician)
    fake = io.BytesIO(b"MZ\x90\x00 this is an executable, not a form")
    fake.name = "signed.pdf"
    response = http.post(f"/authorizations/{auth.pk}/document/upload/", {"document": fake})
    assert response.status_code == 422
    page = response.content.decode()
    assert "The signed form must be a PDF or an image (PNG, JPEG or TIFF)." in page
    assert 'id="id_document_error"' in page and 'aria-describedby="id_document_helptext id_document_error"' in page
    auth.refresh_from_db()
    assert auth.document_sha256 == ""


def test_a_signed_pdf_is_attached_and_viewable(web_as: Web, clinician: User, client_of_record: Client) -> None:
    auth = authorization(clinician, client_of_record)
    http = web_as(clinician)
    form = http.post(
        f"/clients/{client_of_record.pk}/release/authorizations/new/", authorization_form(action="print")
    ).content
    upload = io.BytesIO(form)
    upload.name = "signed.pdf"
    response = http.post(f"/authorizations/{auth.pk}/document/upload/", {"document": upload})
    assert response.status_code == 302, response.content
    auth.refresh_from_db()
    assert auth.document_sha256
    shown = http.get(f"/authorizations/{auth.pk}/document/")
    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf" and shown.content == form
    again = io.BytesIO(form)
    again.name = "signed.pdf"
    refused = http.post(f"/authorizations/{auth.pk}/document/upload/", {"document": again})
    assert refused.status_code == 409


def test_a_revocation_needs_a_real_date_and_takes_effect(
    web_as: Web, clinician: User, client_of_record: Client
) -> None:
    auth = authorization(clinician, client_of_record)
    http = web_as(clinician)
    field = f"revoke-{auth.pk}-revoked_on"
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    for value, status, message in (
        ("not a date", 422, "Enter a valid date."),
        ("9999-12-31", 422, "Enter a date between 1900 and 2999."),
        (future, 422, "not in the future"),
    ):
        response = http.post(f"/authorizations/{auth.pk}/revoke/", {field: value})
        assert response.status_code == status, (value, response.status_code)
        assert message in response.content.decode(), value
    done = http.post(f"/authorizations/{auth.pk}/revoke/", {field: timezone.localdate().isoformat()})
    assert done.status_code == 302
    auth.refresh_from_db()
    assert auth.revoked_on == timezone.localdate()
    assert b"Revoked" in http.get(f"/clients/{client_of_record.pk}/release/").content


# --- Records requests ------------------------------------------------------------------------------------------------


def test_a_records_request_is_logged_shown_overdue_and_extended_once(
    web_as: Web, front_desk: User, client_of_record: Client
) -> None:
    http = web_as(front_desk)
    c = client_of_record.pk
    today = timezone.localdate()
    response = http.post(f"/clients/{c}/release/requests/", {"request-received_on": today.isoformat()})
    assert response.status_code == 302
    assert AccessRequest.objects.get().due_on == today + timedelta(days=30)
    late = AccessRequest.objects.create(
        client=client_of_record,
        received_on=today - timedelta(days=40),
        due_on=today - timedelta(days=10),
        recorded_by=front_desk,
    )
    assert "Overdue" in http.get(f"/clients/{c}/release/").content.decode()
    passed = http.post(f"/access-requests/{late.pk}/extend/", {f"extend-{late.pk}-reason": "Archive off site."})
    assert passed.status_code == 422 and b"before the deadline passes" in passed.content
    first = AccessRequest.objects.exclude(pk=late.pk).get()
    empty = http.post(f"/access-requests/{first.pk}/extend/", {f"extend-{first.pk}-reason": ""})
    assert empty.status_code == 422
    extended = http.post(f"/access-requests/{first.pk}/extend/", {f"extend-{first.pk}-reason": "Archive off site."})
    assert extended.status_code == 302
    first.refresh_from_db()
    assert first.due_on == today + timedelta(days=60) and first.extension_reason == "Archive off site."
    twice = http.post(f"/access-requests/{first.pk}/extend/", {f"extend-{first.pk}-reason": "Again."})
    assert twice.status_code == 409
    future = http.post(f"/clients/{c}/release/requests/", {"request-received_on": "2999-01-01"})
    assert future.status_code == 422 and b"cannot be received in the future" in future.content


# --- Releasing -------------------------------------------------------------------------------------------------------


def test_review_builds_nothing_and_shows_what_is_withheld_and_why(
    web_as: Web, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    http = web_as(clinician)
    response = http.post(
        f"/clients/{client_of_record.pk}/release/new/",
        release_form(include=["progress_notes", "diagnoses"]),
    )
    assert response.status_code == 200, response.content
    page = response.content.decode()
    assert "3 progress notes" in page and "1 diagnosis" in page
    assert "Not signed yet (a draft, or awaiting co-signature): not part of the record." in page
    assert Disclosure.objects.count() == 0
    assert f'action="/clients/{client_of_record.pk}/release/make/"' in page
    assert 'role="status"' in page


def test_a_refused_review_says_why_and_offers_no_release(
    web_as: Web, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    auth = authorization(clinician, client_of_record)
    response = web_as(clinician).post(
        f"/clients/{client_of_record.pk}/release/new/",
        release_form(basis="authorization", authorization=str(auth.pk), recipient_name="Someone Else"),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "This authorization names Dr. Priya Shah as the recipient, not Someone Else." in page
    assert "/release/make/" not in page
    assert Disclosure.objects.count() == 0


def test_release_creates_one_disclosure_and_shows_its_hash_and_pages(
    web_as: Web, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    http = web_as(clinician)
    response = release(http, client_of_record)
    assert response.status_code == 302, response.content
    disclosure = Disclosure.objects.get()
    assert response["Location"] == f"/disclosures/{disclosure.pk}/"
    page = http.get(response["Location"]).content.decode()
    assert disclosure.pdf_sha256 in page and disclosure.fhir_sha256 in page
    assert f"/disclosures/{disclosure.pk}/page.png?page=1" in page
    image = http.get(f"/disclosures/{disclosure.pk}/page.png?page=1")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG\r\n\x1a\n")
    for bad in ("0", str(disclosure.pdf_pages + 1), "x", "9" * 30):
        assert http.get(f"/disclosures/{disclosure.pk}/page.png?page={bad}").status_code == 404, bad


def test_each_page_image_fetches_and_audits_the_package_once(
    web_as: Web, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    from confide.audit.models import AuditEntry

    http = web_as(clinician)
    assert release(http, client_of_record).status_code == 302
    disclosure = Disclosure.objects.get()
    fetched = AuditEntry.objects.filter(action="confide.disclosure.package_fetched")
    before = fetched.count()
    assert http.get(f"/disclosures/{disclosure.pk}/").status_code == 200
    assert fetched.count() == before  # the page itself does not open the package
    assert http.get(f"/disclosures/{disclosure.pk}/page.png?page=1").status_code == 200
    assert fetched.count() == before + 1


def test_a_release_under_an_authorization_to_a_contact(
    web_as: Web, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    auth = authorization(clinician, client_of_record)
    response = release(
        web_as(clinician),
        client_of_record,
        basis="authorization",
        authorization=str(auth.pk),
        contact=str(chart["contact"].pk),
        recipient_name="",
        recipient_address="",
        purpose="",
    )
    assert response.status_code == 302, response.content
    made = Disclosure.objects.get()
    assert (made.recipient_name, made.recipient_address) == ("Dr. Priya Shah", "Springfield Family Medicine")
    assert made.authorization == auth and made.purpose == "Coordination of care"


def test_the_clients_copy_in_one_step_answers_the_oldest_open_request(
    web_as: Web, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    today = timezone.localdate()
    older = disclosures.record_access_request(
        actor=clinician, client=client_of_record, received_on=today - timedelta(days=5)
    )
    newer = disclosures.record_access_request(actor=clinician, client=client_of_record, received_on=today)
    http = web_as(clinician)
    response = http.post(f"/clients/{client_of_record.pk}/release/client-copy/", {})
    assert response.status_code == 302, response.content
    made = Disclosure.objects.get()
    assert response["Location"] == f"/disclosures/{made.pk}/"
    assert (made.basis, made.recipient_name, made.access_request_id) == ("right_of_access", "Alex Morgan", older.pk)
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.fulfilled_on == today and newer.fulfilled_on is None
    assert made.pdf_sha256 in http.get(response["Location"]).content.decode()


def test_the_clients_copy_of_an_empty_chart_is_refused_on_the_tab(
    web_as: Web, clinician: User, client_of_record: Client
) -> None:
    response = web_as(clinician).post(f"/clients/{client_of_record.pk}/release/client-copy/", {})
    assert response.status_code == 422
    assert b'id="client-copy-error"' in response.content
    assert not Disclosure.objects.exists()


def test_the_accounting_lists_a_court_order_release_and_not_a_treatment_one(
    web_as: Web, clinician: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    http = web_as(clinician)
    assert release(http, client_of_record).status_code == 302
    treatment = release(http, client_of_record, basis="treatment", recipient_name="Dr. Tina Treats, Psychiatry")
    assert treatment.status_code == 302, treatment.content
    # the tab lists every disclosure (and shows the "released" message, once)
    assert "Dr. Tina Treats" in http.get(f"/clients/{client_of_record.pk}/release/").content.decode()
    page = http.get(f"/clients/{client_of_record.pk}/release/accounting/").content.decode()
    assert "Hon. J. Alvarez, County Superior Court" in page
    assert "Order of a court or administrative tribunal" in page
    assert "Dr. Tina Treats" not in page


# --- Bad input is a form with errors, never a 500 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("recipient_name", "a\x00b"),
        ("purpose", "a\x00b"),
        ("recipient_name", "x" * 100_001),
        ("span_from", "9999-12-31"),
        ("span_to", "not a date"),
        ("contact", "99999999999999999999999"),
        ("authorization", "-1"),
        ("basis", "astrology"),
        ("include", "everything"),
    ],
)
def test_bad_release_input_gives_the_form_back(
    web_as: Web, clinician: User, client_of_record: Client, chart: dict[str, Any], field: str, value: str
) -> None:
    http = web_as(clinician)
    for step in ("new", "make"):
        response = http.post(f"/clients/{client_of_record.pk}/release/{step}/", release_form(**{field: value}))
        assert response.status_code == 422, (step, field, response.status_code)
        assert b"Step 1 of 3" in response.content
        assert re.search(rb'id="id_%s_error"' % field.encode(), response.content), field
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize("field", ["recipient", "purpose", "expiry_event", "representative_name"])
def test_nul_in_an_authorization_field_is_a_4xx_with_the_form(
    web_as: Web, clinician: User, client_of_record: Client, field: str
) -> None:
    response = web_as(clinician).post(
        f"/clients/{client_of_record.pk}/release/authorizations/new/", authorization_form(**{field: "a\x00b"})
    )
    assert 400 <= response.status_code < 500
    assert b"Record authorization" in response.content
    assert not Authorization.objects.exists()


def test_unknown_ids_are_404(web_as: Web, clinician: User) -> None:
    http = web_as(clinician)
    for path in (
        "/clients/999999/release/",
        "/authorizations/999999/document/upload/",
        "/authorizations/999999/document/",
        "/disclosures/999999/",
        "/disclosures/999999/page.png?page=1",
        "/disclosures/999999/package.pdf",
    ):
        assert http.get(path).status_code == 404, path
    assert http.post("/access-requests/999999/extend/", {}).status_code == 404
    assert http.post("/authorizations/999999/revoke/", {}).status_code == 404


# --- The day view's deadlines ----------------------------------------------------------------------------------------


def test_the_day_view_lists_open_records_requests_as_deadlines(
    web_as: Web, clinician: User, colleague: User, client_of_record: Client
) -> None:
    today = timezone.localdate()
    AccessRequest.objects.create(
        client=client_of_record,
        received_on=today - timedelta(days=40),
        due_on=today - timedelta(days=10),
        recorded_by=clinician,
    )
    page = web_as(clinician).get("/").content.decode()
    deadlines = page.split('id="deadlines-title"', 1)[1].split("</section>", 1)[0]
    assert f'href="/clients/{client_of_record.pk}/release/"' in deadlines
    assert "records request received" in deadlines and "badge-late" in deadlines
    other = web_as(colleague).get("/").content.decode()
    assert "Morgan" not in other.split('id="deadlines-title"', 1)[1].split("</section>", 1)[0]
