"""Release of information through real HTTP: authorizations, releases and their packages, the client's copy and the
accounting, as a practice would use them, with the refusals the rules give."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from pypdf import PdfReader

from confide.audit.models import AuditEntry
from confide.clients import services as clients
from confide.clients.models import Client
from confide.disclosures.models import Disclosure, DisclosurePackage
from confide.people.models import User
from confide.plans import services as plans
from tests.conftest import session_for
from tests.web.notes_support import draft_note, signed_note

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

NARRATIVE = "Reports better sleep this week."
PRIVATE = "PRIVATE-5e1d wondering about the anniversary reaction"


def post(http: HttpClient, path: str, body: object) -> Any:
    return http.post(path, json.dumps(body), content_type="application/json")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def chart(clinician: User, client_of_record: Client) -> dict[str, Any]:
    """Three signed notes, one draft, a diagnosis, all in this year."""
    sessions = [session_for(client_of_record, clinician, days_ago=d) for d in (30, 20, 10, 5)]
    notes = [signed_note(s, clinician) for s in sessions[:3]]
    draft = draft_note(sessions[3], clinician)
    plans.add_diagnosis(actor=clinician, client=client_of_record, code="F33.1", diagnosed_on=date(2026, 1, 5))
    return {"sessions": sessions, "notes": notes, "draft": draft}


@pytest.fixture
def rivera(api_as: Callable[[User], HttpClient], clinician: User) -> HttpClient:
    return api_as(clinician)


def authorize(http: HttpClient, client: Client, **changes: Any) -> Any:
    body = {
        "kind": "general",
        "recipient": "Dr. Priya Shah",
        "purpose": "Coordination of care",
        "information": ["progress_notes", "diagnoses"],
        "expires_on": (timezone.localdate() + timedelta(days=365)).isoformat(),
        "signed_on": timezone.localdate().isoformat(),
    } | changes
    return post(http, f"/api/v1/clients/{client.pk}/authorizations", body)


def release(http: HttpClient, client: Client, basis: str, **changes: Any) -> Any:
    body = {"recipient": {"name": "Dr. Priya Shah", "address": "1 Main St"}, "basis": basis} | changes
    return post(http, f"/api/v1/clients/{client.pk}/disclosures", body)


# --- Authorizations ------------------------------------------------------------------------------------------------


def test_an_authorization_is_recorded_listed_and_revoked(rivera: HttpClient, client_of_record: Client) -> None:
    made = authorize(rivera, client_of_record)
    assert made.status_code == 201, made.content
    assert made.json()["state"] == "active"
    listed = rivera.get(f"/api/v1/clients/{client_of_record.pk}/authorizations")
    assert [a["id"] for a in listed.json()] == [made.json()["id"]]
    revoked = post(
        rivera, f"/api/v1/authorizations/{made.json()['id']}/revoke", {"revoked_on": str(timezone.localdate())}
    )
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    again = post(
        rivera, f"/api/v1/authorizations/{made.json()['id']}/revoke", {"revoked_on": str(timezone.localdate())}
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        (
            {"kind": "psychotherapy_notes", "information": ["psychotherapy_notes", "progress_notes"]},
            "compound_authorization",
        ),
        ({"information": ["progress_notes", "psychotherapy_notes"]}, "compound_authorization"),
        ({"purpose": ""}, "authorization_incomplete"),
        ({"recipient": " "}, "authorization_incomplete"),
        ({"information": []}, "authorization_incomplete"),
        ({"expires_on": None}, "authorization_incomplete"),
        ({"signed_on": None}, "authorization_incomplete"),
        ({"signed_by": "personal_representative"}, "authorization_incomplete"),
        ({"signed_on": "2999-01-01"}, "authorization_incomplete"),
    ],
)
def test_an_authorization_missing_an_element_or_compound_is_refused(
    rivera: HttpClient, client_of_record: Client, changes: dict[str, Any], code: str
) -> None:
    response = authorize(rivera, client_of_record, **changes)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code


def test_a_personal_representative_signs_with_their_authority(rivera: HttpClient, client_of_record: Client) -> None:
    response = authorize(
        rivera,
        client_of_record,
        signed_by="personal_representative",
        representative_name="Jordan Morgan",
        representative_authority="Parent of a minor",
        expires_on=None,
        expiry_event="End of the current course of treatment",
    )
    assert response.status_code == 201, response.content


def _pdf_bytes() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "I authorize the release of my records. Signed: A. Morgan")
    page.save()
    return out.getvalue()


def test_the_signed_form_is_checked_by_content_and_hashed(
    rivera: HttpClient, client_of_record: Client, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path
    auth_id = authorize(rivera, client_of_record).json()["id"]
    fake = rivera.post(
        f"/api/v1/authorizations/{auth_id}/document",
        {"file": io.BytesIO(b"MZ\x90\x00 not a pdf at all"), "name": "form.pdf"},
    )
    assert fake.status_code == 422 and fake.json()["code"] == "unsupported_document"
    truncated = rivera.post(f"/api/v1/authorizations/{auth_id}/document", {"file": _named(b"%PDF-1.4 broken", "f.pdf")})
    assert truncated.status_code == 422
    data = _pdf_bytes()
    stored = rivera.post(f"/api/v1/authorizations/{auth_id}/document", {"file": _named(data, "scan.pdf")})
    assert stored.status_code == 201, stored.content
    assert stored.json()["document_sha256"] == hashlib.sha256(data).hexdigest()
    files = list((tmp_path / "documents").iterdir())
    assert len(files) == 1 and files[0].stat().st_mode & 0o077 == 0  # outside the web root, private
    back = rivera.get(f"/api/v1/authorizations/{auth_id}/document")
    assert back.status_code == 200 and back.content == data and back["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="confide.authorization.document_viewed").count() == 1
    second = rivera.post(f"/api/v1/authorizations/{auth_id}/document", {"file": _named(data, "again.pdf")})
    assert second.status_code == 409


def test_an_oversized_form_is_refused(
    rivera: HttpClient, client_of_record: Client, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path
    settings.AUTHORIZATION_DOCUMENT_MAX_BYTES = 1000
    auth_id = authorize(rivera, client_of_record).json()["id"]
    big = rivera.post(f"/api/v1/authorizations/{auth_id}/document", {"file": _named(b"%PDF-" + b"0" * 5000, "big.pdf")})
    assert big.status_code == 422 and big.json()["code"] == "document_too_large"


def _named(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def test_a_printable_form_is_prefilled(rivera: HttpClient, client_of_record: Client) -> None:
    body = {
        "kind": "psychotherapy_notes",
        "recipient": "Dr. Priya Shah",
        "purpose": "Second opinion",
        "information": ["psychotherapy_notes"],
        "expiry_event": "One year from signing",
    }
    response = post(rivera, f"/api/v1/clients/{client_of_record.pk}/authorizations/form", body)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Dr. Priya Shah" in text and "Second opinion" in text and "Alex Morgan" in text


# --- Releases ------------------------------------------------------------------------------------------------------


def test_a_court_order_releases_the_signed_notes_and_records_their_hash(
    rivera: HttpClient, client_of_record: Client, chart: dict[str, Any]
) -> None:
    response = release(rivera, client_of_record, "court_order", include={"progress_notes": True})
    assert response.status_code == 201, response.content
    body = response.json()
    released = {(i["kind"], i["id"]) for i in body["items"]}
    assert released == {("progress_note", n.pk) for n in chart["notes"]}
    assert {(w["kind"], w["rule"]) for w in body["withheld"]} == {("progress_note", "not_final")}
    pdf = rivera.get(body["package"]["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == body["package"]["sha256"]
    text = pdf_text(pdf.content)
    assert NARRATIVE in text and "Dr. Priya Shah" in text
    fhir = rivera.get(body["package"]["fhir_url"])
    assert fhir.status_code == 200
    assert hashlib.sha256(fhir.content).hexdigest() == body["package"]["fhir_sha256"]
    bundle = json.loads(fhir.content)
    assert bundle["resourceType"] == "Bundle"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("DocumentReference") == 3
    fetched = AuditEntry.objects.filter(action="confide.disclosure.package_fetched", client_id=client_of_record.pk)
    assert fetched.count() == 2
    made = AuditEntry.objects.get(action="confide.disclosure.made")
    assert made.detail["sha256"] == body["package"]["sha256"]


def test_a_package_opens_only_for_its_preparer_and_the_team(
    rivera: HttpClient,
    api_as: Callable[[User], HttpClient],
    client_of_record: Client,
    chart: dict[str, Any],
    colleague: User,
    biller: User,
    front_desk: User,
    admin: User,
) -> None:
    url = release(rivera, client_of_record, "court_order", include={"progress_notes": True}).json()["package"][
        "pdf_url"
    ]
    assert api_as(colleague).get(url).status_code == 404
    for other in (biller, front_desk, admin):
        assert api_as(other).get(url).status_code in (403, 404)
    clients.add_to_care_team(
        actor=client_of_record.primary_clinician, client=client_of_record, clinician_id=colleague.pk
    )
    assert api_as(colleague).get(url).status_code == 200


def test_payment_releases_dates_codes_and_diagnoses_only(
    api_as: Callable[[User], HttpClient], biller: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    http = api_as(biller)
    response = release(http, client_of_record, "payment", include={"progress_notes": True})
    assert response.status_code == 201, response.content
    kinds = {i["kind"] for i in response.json()["items"]}
    assert kinds == {"session", "diagnosis"}
    assert {w["rule"] for w in response.json()["withheld"] if w["kind"] == "progress_note"} <= {
        "minimum_necessary",
        "not_final",
    }
    text = pdf_text(http.get(response.json()["package"]["pdf_url"]).content)
    assert NARRATIVE not in text and "F33.1" in text
    refused = release(http, client_of_record, "treatment")
    assert refused.status_code == 422 and refused.json()["code"] == "basis_not_permitted"


@pytest.mark.parametrize("who", ["front_desk", "admin"])
def test_roles_without_release_get_403(
    who: str, request: pytest.FixtureRequest, api_as: Callable[[User], HttpClient], client_of_record: Client
) -> None:
    http = api_as(request.getfixturevalue(who))
    assert release(http, client_of_record, "court_order").status_code == 403


def test_an_authorization_basis_checks_presence_expiry_revocation_recipient_and_scope(
    rivera: HttpClient, client_of_record: Client, chart: dict[str, Any]
) -> None:
    missing = release(rivera, client_of_record, "authorization")
    assert missing.json()["code"] == "authorization_required"
    signed = str(timezone.localdate() - timedelta(days=400))
    old = authorize(
        rivera, client_of_record, signed_on=signed, expires_on=str(timezone.localdate() - timedelta(days=1))
    )
    expired = release(rivera, client_of_record, "authorization", authorization_id=old.json()["id"])
    assert expired.status_code == 422 and expired.json()["code"] == "authorization_expired"
    auth_id = authorize(rivera, client_of_record).json()["id"]
    wrong = post(
        rivera,
        f"/api/v1/clients/{client_of_record.pk}/disclosures",
        {"recipient": {"name": "Acme Insurance"}, "basis": "authorization", "authorization_id": auth_id},
    )
    assert wrong.json()["code"] == "authorization_scope"
    scoped = release(rivera, client_of_record, "authorization", authorization_id=auth_id, include={"sessions": True})
    assert scoped.status_code == 201, scoped.content
    assert {w["rule"] for w in scoped.json()["withheld"] if w["kind"] == "session"} == {"authorization_scope"}
    post(rivera, f"/api/v1/authorizations/{auth_id}/revoke", {"revoked_on": str(timezone.localdate())})
    revoked = release(rivera, client_of_record, "authorization", authorization_id=auth_id)
    assert revoked.status_code == 422 and revoked.json()["code"] == "authorization_revoked"


def test_a_preview_shows_what_goes_and_builds_nothing(
    rivera: HttpClient, client_of_record: Client, chart: dict[str, Any]
) -> None:
    response = post(
        rivera,
        f"/api/v1/clients/{client_of_record.pk}/disclosures/preview",
        {
            "recipient": {"name": "County Court"},
            "basis": "subpoena_with_assurances",
            "include": {"progress_notes": True},
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["allowed"] is True and len(response.json()["items"]) == 3
    assert Disclosure.objects.count() == 0


# --- Psychotherapy notes -------------------------------------------------------------------------------------------


@pytest.fixture
def private_note(rivera: HttpClient, chart: dict[str, Any]) -> str:
    response = post(rivera, f"/api/v1/sessions/{chart['sessions'][0].pk}/psychotherapy-notes", {"body": PRIVATE})
    assert response.status_code == 201, response.content
    return str(response.json()["id"])


def pn_authorization(http: HttpClient, client: Client) -> int:
    made = authorize(http, client, kind="psychotherapy_notes", information=["psychotherapy_notes"])
    assert made.status_code == 201, made.content
    return int(made.json()["id"])


def test_the_author_releases_a_psychotherapy_note_under_its_own_authorization(
    rivera: HttpClient, client_of_record: Client, private_note: str
) -> None:
    auth_id = pn_authorization(rivera, client_of_record)
    response = release(
        rivera, client_of_record, "authorization", authorization_id=auth_id, include={"psychotherapy_notes": True}
    )
    assert response.status_code == 201, response.content
    assert {"kind": "psychotherapy_note", "id": private_note} in response.json()["items"]
    pdf = rivera.get(response.json()["package"]["pdf_url"])
    assert pdf.status_code == 200 and PRIVATE in pdf_text(pdf.content)
    fhir = json.loads(rivera.get(response.json()["package"]["fhir_url"]).content)
    labels = {s["code"] for s in fhir["meta"]["security"]}
    assert {"V", "PSYTHPN"} <= labels
    # The main database holds neither the note nor its id: the package is sealed in the vault.
    disclosure = Disclosure.objects.get()
    assert not DisclosurePackage.objects.filter(disclosure=disclosure).exists()
    assert private_note not in json.dumps(disclosure.items) + json.dumps(disclosure.withheld)
    assert AuditEntry.objects.filter(action="confide.psychotherapy_note.released", object_id=private_note).count() == 1


def test_only_the_author_can_release_psychotherapy_notes(
    rivera: HttpClient,
    api_as: Callable[[User], HttpClient],
    client_of_record: Client,
    colleague: User,
    private_note: str,
) -> None:
    auth_id = pn_authorization(rivera, client_of_record)
    clients.add_to_care_team(
        actor=client_of_record.primary_clinician, client=client_of_record, clinician_id=colleague.pk
    )
    response = release(
        api_as(colleague),
        client_of_record,
        "authorization",
        authorization_id=auth_id,
        include={"psychotherapy_notes": True},
    )
    assert response.status_code == 422 and response.json()["code"] == "author_required"


def test_a_sealed_package_opens_for_its_author_only(
    rivera: HttpClient,
    api_as: Callable[[User], HttpClient],
    client_of_record: Client,
    colleague: User,
    private_note: str,
) -> None:
    auth_id = pn_authorization(rivera, client_of_record)
    url = release(
        rivera, client_of_record, "authorization", authorization_id=auth_id, include={"psychotherapy_notes": True}
    ).json()["package"]["pdf_url"]
    clients.add_to_care_team(
        actor=client_of_record.primary_clinician, client=client_of_record, clinician_id=colleague.pk
    )
    other = api_as(colleague).get(url)
    assert other.status_code == 404 and PRIVATE not in other.content.decode(errors="replace")


@pytest.mark.parametrize(
    ("basis", "include", "status", "code"),
    [
        ("subpoena_with_assurances", {"psychotherapy_notes": True}, 422, "psychotherapy_notes_not_permitted"),
        (
            "right_of_access",
            {
                "psychotherapy_notes": True,
                "progress_notes": False,
                "sessions": False,
                "diagnoses": False,
                "treatment_plan": False,
            },
            422,
            "psychotherapy_notes_excluded",
        ),
        (
            "treatment",
            {"psychotherapy_notes": True, "progress_notes": False, "diagnoses": False, "treatment_plan": False},
            422,
            "psychotherapy_notes_not_permitted",
        ),
    ],
)
def test_psychotherapy_notes_never_go_without_a_permitting_rule(
    rivera: HttpClient,
    client_of_record: Client,
    private_note: str,
    basis: str,
    include: dict[str, bool],
    status: int,
    code: str,
) -> None:
    response = release(rivera, client_of_record, basis, include=include)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_a_subpoena_releases_the_notes_and_says_why_psychotherapy_notes_stay(
    rivera: HttpClient, client_of_record: Client, private_note: str
) -> None:
    response = release(
        rivera,
        client_of_record,
        "subpoena_with_assurances",
        include={"progress_notes": True, "psychotherapy_notes": True},
    )
    assert response.status_code == 201, response.content
    withheld = response.json()["withheld"]
    assert {"psychotherapy_note"} == {w["kind"] for w in withheld if w["rule"] == "psychotherapy_notes_not_permitted"}
    assert all(w["id"] is None for w in withheld if w["kind"] == "psychotherapy_note")  # no private id outside
    text = pdf_text(rivera.get(response.json()["package"]["pdf_url"]).content)
    assert PRIVATE not in text and "164.508(a)(2)" in text


def test_the_clients_copy_never_holds_a_psychotherapy_note(
    rivera: HttpClient, client_of_record: Client, private_note: str
) -> None:
    for fmt in ("pdf", "fhir"):
        response = rivera.get(f"/api/v1/clients/{client_of_record.pk}/record?format={fmt}")
        assert response.status_code == 200, response.content
        body = pdf_text(response.content) if fmt == "pdf" else response.content.decode()
        assert PRIVATE not in body and private_note not in body
    bundle = json.loads(rivera.get(f"/api/v1/clients/{client_of_record.pk}/record").content)
    assert bundle["resourceType"] == "Bundle"
    assert "11510-5" not in json.dumps(bundle)
    own = release(rivera, client_of_record, "right_of_access", include={"psychotherapy_notes": True})
    assert own.status_code == 201, own.content
    assert {w["rule"] for w in own.json()["withheld"] if w["kind"] == "psychotherapy_note"} == {
        "psychotherapy_notes_excluded"
    }


# --- Part 2, the accounting, records requests ----------------------------------------------------------------------


def test_part2_records_need_a_court_order_and_carry_the_notice(
    rivera: HttpClient, client_of_record: Client, chart: dict[str, Any]
) -> None:
    Client.objects.filter(pk=client_of_record.pk).update(part2=True)
    refused = release(rivera, client_of_record, "subpoena_with_assurances", include={"progress_notes": True})
    assert refused.status_code == 422 and refused.json()["code"] == "part2_court_order_required"
    ordered = release(rivera, client_of_record, "court_order", include={"progress_notes": True})
    assert ordered.status_code == 201 and "part2" in ordered.json()["notices"]
    text = pdf_text(rivera.get(ordered.json()["package"]["pdf_url"]).content)
    assert "42 CFR part 2" in text
    bundle = json.loads(rivera.get(ordered.json()["package"]["fhir_url"]).content)
    assert {"ETH", "42CFRPart2"} <= {s["code"] for s in bundle["meta"]["security"]}


def test_the_accounting_lists_only_what_the_law_counts(
    rivera: HttpClient,
    api_as: Callable[[User], HttpClient],
    biller: User,
    client_of_record: Client,
    chart: dict[str, Any],
) -> None:
    release(rivera, client_of_record, "court_order", include={"progress_notes": True})
    release(rivera, client_of_record, "treatment")
    release(rivera, client_of_record, "right_of_access")
    release(api_as(biller), client_of_record, "payment")
    auth_id = authorize(rivera, client_of_record).json()["id"]
    release(rivera, client_of_record, "authorization", authorization_id=auth_id)
    assert Disclosure.objects.count() == 5
    entries = rivera.get(f"/api/v1/clients/{client_of_record.pk}/disclosures/accounting").json()
    assert len(entries) == 1
    entry = entries[0]
    assert set(entry) >= {"date", "recipient", "description", "purpose"}
    assert entry["recipient"] == "Dr. Priya Shah" and "3 progress notes" in entry["description"]
    assert "court" in entry["purpose"].lower()
    pdf = rivera.get(f"/api/v1/clients/{client_of_record.pk}/disclosures/accounting?format=pdf")
    assert pdf.status_code == 200 and "Dr. Priya Shah" in pdf_text(pdf.content)
    listed = rivera.get(f"/api/v1/clients/{client_of_record.pk}/disclosures")
    assert len(listed.json()) == 5


def test_a_records_request_has_a_deadline_one_extension_and_is_fulfilled_by_the_copy(
    rivera: HttpClient, client_of_record: Client, chart: dict[str, Any]
) -> None:
    received = timezone.localdate() - timedelta(days=3)
    made = post(rivera, f"/api/v1/clients/{client_of_record.pk}/access-requests", {"received_on": str(received)})
    assert made.status_code == 201, made.content
    assert made.json()["due_on"] == str(received + timedelta(days=30))
    extended = post(
        rivera, f"/api/v1/access-requests/{made.json()['id']}/extend", {"reason": "Records in off-site storage"}
    )
    assert extended.json()["due_on"] == str(received + timedelta(days=60))
    again = post(rivera, f"/api/v1/access-requests/{made.json()['id']}/extend", {"reason": "Still looking"})
    assert again.status_code == 409
    copy = release(rivera, client_of_record, "right_of_access", access_request_id=made.json()["id"])
    assert copy.status_code == 201, copy.content
    listed = rivera.get(f"/api/v1/clients/{client_of_record.pk}/access-requests").json()
    assert listed[0]["fulfilled_on"] == str(timezone.localdate())


def test_outsiders_learn_nothing(
    api_as: Callable[[User], HttpClient], outsider: User, client_of_record: Client, chart: dict[str, Any]
) -> None:
    http = api_as(outsider)
    for path in ("authorizations", "disclosures", "disclosures/accounting", "record", "access-requests"):
        assert http.get(f"/api/v1/clients/{client_of_record.pk}/{path}").status_code == 404
    assert release(http, client_of_record, "court_order").status_code == 404
