"""Who sees what of a chart: scopes, minimum necessary, 404 for outsiders, break-the-glass, and the audit."""

from __future__ import annotations

from typing import Any

from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.people.models import User
from tests.conftest import session_for
from tests.web.notes_support import signed_note

NARRATIVE = "Reports better sleep this week."


def test_biller_sees_codes_and_dates_but_no_narrative(
    web_as: Any, biller: User, clinician: User, client_of_record: Client, treatment_plan: Any
) -> None:
    session = session_for(client_of_record, clinician)
    signed_note(session, clinician)
    http = web_as(biller)
    for path in (f"/clients/{client_of_record.pk}/", f"/sessions/{session.pk}/", "/billing/"):
        html = http.get(path).content.decode()
        assert "90837" in html
        assert NARRATIVE not in html
        assert "Schedule three valued activities" not in html  # the plan is narrative too
    assert "F32.1" in http.get("/billing/").content.decode()
    assert "Billable" in http.get("/billing/").content.decode()


def test_front_desk_sees_demographics_and_schedule_without_narrative_or_diagnoses(
    web_as: Any, front_desk: User, clinician: User, client_of_record: Client, treatment_plan: Any
) -> None:
    session = session_for(client_of_record, clinician)
    signed_note(session, clinician)
    http = web_as(front_desk)
    chart = http.get(f"/clients/{client_of_record.pk}/").content.decode()
    assert "Alex" in chart and NARRATIVE not in chart and "F32.1" not in chart
    assert "Alex Morgan" in http.get("/schedule/").content.decode()


def test_outsider_gets_not_found_for_chart_session_and_note(
    web_as: Any, outsider: User, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    note = signed_note(session, clinician)
    http = web_as(outsider)
    for path in (f"/clients/{client_of_record.pk}/", f"/sessions/{session.pk}/", f"/notes/{note.pk}/sign/"):
        response = http.get(path)
        assert response.status_code == 404, path
        assert "Alex" not in response.content.decode()
    assert http.post(f"/notes/{note.pk}/addenda/", {"text": "x"}).status_code == 404
    assert AuditEntry.objects.filter(action="confide.access.denied", actor_id=outsider.pk).exists()


def test_admin_cannot_open_a_chart(web_as: Any, admin: User, client_of_record: Client) -> None:
    assert web_as(admin).get(f"/clients/{client_of_record.pk}/").status_code == 403


def test_chart_view_is_audited(web_as: Any, clinician: User, client_of_record: Client) -> None:
    web_as(clinician).get(f"/clients/{client_of_record.pk}/")
    assert AuditEntry.objects.filter(action="confide.client.viewed", client_id=client_of_record.pk).exists()


def test_break_the_glass_needs_a_reason_then_opens_the_chart(
    web_as: Any, outsider: User, client_of_record: Client
) -> None:
    http = web_as(outsider)
    assert "Break the glass" in http.get("/clients/?q=Morgan").content.decode()
    short = http.post(f"/clients/{client_of_record.pk}/break-glass/", {"reason": "other", "explanation": "need it"})
    assert short.status_code == 422 and "at least 20 characters" in short.content.decode()
    assert http.get(f"/clients/{client_of_record.pk}/").status_code == 404
    opened = http.post(
        f"/clients/{client_of_record.pk}/break-glass/",
        {"reason": "other", "explanation": "Client in crisis in the lobby, Dr. Rivera away."},
    )
    assert opened["Location"] == f"/clients/{client_of_record.pk}/"
    assert "Emergency access" in http.get(f"/clients/{client_of_record.pk}/").content.decode()


def test_break_the_glass_on_a_missing_client_is_not_found(web_as: Any, outsider: User) -> None:
    assert web_as(outsider).post("/clients/999999/break-glass/", {"reason": "emergency"}).status_code == 404
    assert web_as(outsider).get("/clients/999999/break-glass/").status_code == 404


def test_client_search_is_scoped_to_the_caseload(
    web_as: Any, colleague: User, clinician: User, client_of_record: Client
) -> None:
    html = web_as(colleague).get("/clients/").content.decode()
    assert f'/clients/{client_of_record.pk}/"' not in html
    assert "Alex" in web_as(clinician).get("/clients/?q=alex").content.decode()
