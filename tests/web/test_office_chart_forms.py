"""The chart's front-office forms: care team, outside contacts and transcription consent, scoped to the chart."""

from __future__ import annotations

from typing import Any

from confide.clients.models import CareTeamMember, Client, Consent, ExternalContact
from confide.clients.services import has_transcription_consent
from confide.people.models import User


def test_clinician_adds_a_colleague_to_the_care_team(
    web_as: Any, clinician: User, colleague: User, client_of_record: Client
) -> None:
    http = web_as(clinician)
    page = http.get(f"/clients/{client_of_record.pk}/care-team/").content.decode()
    assert colleague.display_name in page
    response = http.post(f"/clients/{client_of_record.pk}/care-team/", {"clinician": colleague.pk})
    assert response["Location"] == f"/clients/{client_of_record.pk}/"
    assert CareTeamMember.objects.filter(client=client_of_record, clinician=colleague).exists()
    assert colleague.display_name in web_as(colleague).get(f"/clients/{client_of_record.pk}/").content.decode()


def test_front_desk_adds_a_payer_with_its_member_id(web_as: Any, front_desk: User, client_of_record: Client) -> None:
    response = web_as(front_desk).post(
        f"/clients/{client_of_record.pk}/contacts/new/",
        {"kind": "payer", "name": "Blue Shield", "organization": "", "phone": "", "member_id": "XK-4417"},
    )
    assert response.status_code == 302
    contact = ExternalContact.objects.get(client=client_of_record)
    assert (contact.kind, contact.member_id) == ("payer", "XK-4417")
    assert "member XK-4417" in web_as(front_desk).get(f"/clients/{client_of_record.pk}/").content.decode()


def test_an_unknown_contact_kind_is_a_form_error(web_as: Any, front_desk: User, client_of_record: Client) -> None:
    response = web_as(front_desk).post(
        f"/clients/{client_of_record.pk}/contacts/new/", {"kind": "astrologer", "name": "Zed"}
    )
    assert response.status_code == 422 and not ExternalContact.objects.exists()


def test_consent_recorded_then_revoked(web_as: Any, front_desk: User, client_of_record: Client) -> None:
    http = web_as(front_desk)
    response = http.post(
        f"/clients/{client_of_record.pk}/consents/", {"kind": "session_transcription", "signed_on": "2026-11-02"}
    )
    assert response["Location"] == f"/clients/{client_of_record.pk}/consents/"
    assert has_transcription_consent(client_of_record)
    consent = Consent.objects.get(client=client_of_record)
    assert "In force" in http.get(response["Location"]).content.decode()
    revoked = http.post(f"/consents/{consent.pk}/revoke/")
    assert revoked["Location"] == f"/clients/{client_of_record.pk}/consents/"
    assert not has_transcription_consent(client_of_record)
    again = http.post(f"/consents/{consent.pk}/revoke/", follow=True)
    assert "already revoked" in again.content.decode()


def test_a_consent_signed_in_the_future_is_refused(web_as: Any, front_desk: User, client_of_record: Client) -> None:
    response = web_as(front_desk).post(
        f"/clients/{client_of_record.pk}/consents/", {"kind": "session_transcription", "signed_on": "2999-01-01"}
    )
    assert response.status_code == 422 and "cannot be signed in the future" in response.content.decode()


def test_clinician_outside_the_caseload_gets_404_on_the_charts_forms(
    web_as: Any, outsider: User, clinician: User, colleague: User, client_of_record: Client
) -> None:
    consent_page = web_as(clinician).post(
        f"/clients/{client_of_record.pk}/consents/", {"kind": "session_transcription", "signed_on": "2026-11-02"}
    )
    assert consent_page.status_code == 302
    consent = Consent.objects.get()
    http = web_as(outsider)
    cid = client_of_record.pk
    for path in (
        f"/clients/{cid}/care-team/",
        f"/clients/{cid}/contacts/new/",
        f"/clients/{cid}/consents/",
        f"/clients/{cid}/sessions/new/",
        f"/clients/{cid}/diagnoses/new/",
        f"/clients/{cid}/plan/revise/",
    ):
        assert http.get(path).status_code == 404, path
        assert http.post(path, {}).status_code == 404, path
    assert http.post(f"/clients/{cid}/care-team/", {"clinician": outsider.pk}).status_code == 404
    assert http.post(f"/consents/{consent.pk}/revoke/").status_code == 404
    assert not CareTeamMember.objects.exists() and has_transcription_consent(client_of_record)


def test_biller_sees_no_forms_that_write(web_as: Any, biller: User, client_of_record: Client) -> None:
    http = web_as(biller)
    cid = client_of_record.pk
    chart = http.get(f"/clients/{cid}/").content.decode()
    for link in ("/care-team/", "/contacts/new/", "/consents/", "/sessions/new/", "/diagnoses/new/", "/plan/revise/"):
        assert f"/clients/{cid}{link}" not in chart
    for path in (
        f"/clients/{cid}/care-team/",
        f"/clients/{cid}/contacts/new/",
        f"/clients/{cid}/consents/",
        f"/clients/{cid}/sessions/new/",
        f"/clients/{cid}/diagnoses/new/",
        f"/clients/{cid}/plan/revise/",
        "/sessions/new/",
        "/diagnoses/search/?code=F32",
    ):
        assert http.get(path).status_code == 403, path


def test_front_desk_cannot_change_the_care_team_or_clinical_record(
    web_as: Any, front_desk: User, colleague: User, client_of_record: Client
) -> None:
    http = web_as(front_desk)
    cid = client_of_record.pk
    assert http.post(f"/clients/{cid}/care-team/", {"clinician": colleague.pk}).status_code == 403
    assert http.get(f"/clients/{cid}/diagnoses/new/").status_code == 403
    assert http.get(f"/clients/{cid}/plan/revise/").status_code == 403
