"""Break-the-glass opens a chart to read, with a reason from a list, for four hours, and everyone concerned can see it:
it never writes (no addendum on another clinician's note, no diagnosis, no plan, no session that bills)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from confide.clients.models import BreakGlassAccess
from confide.notes import services as notes
from confide.people.models import User
from tests.conftest import session_for

NARRATIVE = "NARRATIVE-bg1 the client described the week"


@pytest.fixture
def signed_note(clinician: User, client_of_record: Any) -> Any:
    note = notes.start_note(
        actor=clinician,
        session=session_for(client_of_record, clinician),
        format="SOAP",
        sections={"subjective": NARRATIVE, "objective": "o", "assessment": "a", "plan": "p"},
        risk={"suicidal_ideation": {"level": "none"}},
    )
    return notes.sign_note(actor=clinician, note=note)


def _break_glass(http: HttpClient, client_id: int, **body: str) -> Any:
    return http.post(f"/api/v1/clients/{client_id}/break-glass", body, content_type="application/json")


@pytest.mark.parametrize(
    "reason",
    ["aaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaa", "need it now", "x " * 15, "other"],
)
def test_a_reason_that_says_nothing_is_refused(
    api_as: Any, colleague: User, client_of_record: Any, reason: str
) -> None:
    answer = _break_glass(api_as(colleague), client_of_record.pk, reason=reason)
    assert answer.status_code == 422, answer.content
    assert answer.json()["code"] == "reason_required"
    assert not BreakGlassAccess.objects.exists()


def test_a_listed_reason_opens_the_chart_for_four_hours_read_only(
    api_as: Any, colleague: User, client_of_record: Any, signed_note: Any
) -> None:
    chen = api_as(colleague)
    assert chen.get(f"/api/v1/progress-notes/{signed_note.pk}").status_code == 404
    opened = _break_glass(chen, client_of_record.pk, reason="emergency")
    assert opened.status_code == 201, opened.content
    access = BreakGlassAccess.objects.get()
    assert access.reason == "Emergency"
    lasts = access.expires_at - access.started_at
    assert timedelta(hours=3, minutes=59) < lasts <= timedelta(hours=4)

    read = chen.get(f"/api/v1/progress-notes/{signed_note.pk}")
    assert read.status_code == 200 and NARRATIVE in read.content.decode()

    cid = client_of_record.pk
    writes = {
        "addendum": chen.post(
            f"/api/v1/progress-notes/{signed_note.pk}/addenda",
            {"text": "Seen in crisis."},
            content_type="application/json",
        ),
        "diagnosis": chen.post(
            f"/api/v1/clients/{cid}/diagnoses",
            {"code": "F41.1", "diagnosed_on": "2026-10-01"},
            content_type="application/json",
        ),
        "plan": chen.post(
            f"/api/v1/clients/{cid}/treatment-plans",
            {"review_on": "2027-02-01", "problems": [{"description": "Crisis", "goals": []}]},
            content_type="application/json",
        ),
        "session": chen.post(
            f"/api/v1/clients/{cid}/sessions",
            {
                "clinician_id": colleague.pk,
                "starts_at": "2026-11-02T10:00:00-05:00",
                "ends_at": "2026-11-02T10:50:00-05:00",
                "service": "individual",
                "setting": "in_person",
            },
            content_type="application/json",
        ),
        "care team": chen.post(
            f"/api/v1/clients/{cid}/care-team", {"clinician_id": colleague.pk}, content_type="application/json"
        ),
    }
    assert {name: answer.status_code for name, answer in writes.items()} == dict.fromkeys(writes, 403)
    assert signed_note.addenda.count() == 0
    assert client_of_record.diagnoses.count() == 0
    assert client_of_record.sessions.filter(clinician=colleague).count() == 0


def test_free_text_counts_as_other_when_it_explains(api_as: Any, colleague: User, client_of_record: Any) -> None:
    answer = _break_glass(
        api_as(colleague), client_of_record.pk, reason="Client arrived in crisis and Dr. Rivera is away today"
    )
    assert answer.status_code == 201, answer.content
    assert BreakGlassAccess.objects.get().reason.startswith("Other: Client arrived in crisis")


def test_expired_access_reads_nothing(api_as: Any, colleague: User, client_of_record: Any, signed_note: Any) -> None:
    chen = api_as(colleague)
    assert _break_glass(chen, client_of_record.pk, reason="coverage").status_code == 201
    BreakGlassAccess.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert chen.get(f"/api/v1/progress-notes/{signed_note.pk}").status_code == 404


def test_the_clinician_of_record_and_the_admin_see_the_opening(
    web_as: Any, settings: Any, api_as: Any, colleague: User, clinician: User, admin: User, client_of_record: Any
) -> None:
    explanation = "Covering the Tuesday group while Dr. Rivera is at a conference"
    assert (
        _break_glass(api_as(colleague), client_of_record.pk, reason="coverage", explanation=explanation).status_code
        == 201
    )
    day = web_as(clinician).get("/").content.decode()
    assert "Emergency access to your clients" in day
    assert colleague.display_name in day and "Covering for the clinician of record" in day

    report = web_as(admin).get("/manage/break-glass/")
    assert report.status_code == 200
    body = report.content.decode()
    assert colleague.display_name in body and "Covering for the clinician of record" in body
    assert "Tuesday group" not in body  # the explanation can carry clinical detail: not for the administrator


def test_the_web_form_offers_the_list(web_as: Any, settings: Any, colleague: User, client_of_record: Any) -> None:
    http = web_as(colleague)
    page = http.get(f"/clients/{client_of_record.pk}/break-glass/")
    assert page.status_code == 200
    assert 'value="continuity_of_care"' in page.content.decode()
    refused = http.post(f"/clients/{client_of_record.pk}/break-glass/", {"reason": "other", "explanation": "need it"})
    assert refused.status_code == 422
    assert not BreakGlassAccess.objects.exists()
    done = http.post(f"/clients/{client_of_record.pk}/break-glass/", {"reason": "emergency", "explanation": ""})
    assert done.status_code == 302
    assert BreakGlassAccess.objects.get().clinician == colleague
