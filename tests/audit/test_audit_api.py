"""GET /api/v1/audit (admins; clinicians their own entries) and the access report (admins, the chart's clinicians)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from confide.audit.models import AuditEntry
from confide.audit.services import record
from confide.clients.models import Client
from confide.people.models import User

ApiAs = Callable[[User], HttpClient]


def _report(api_as: ApiAs, user: User, client_id: int) -> tuple[int, object]:
    response = api_as(user).get(f"/api/v1/clients/{client_id}/access-report")
    return response.status_code, response.json()


def test_admin_sees_who_viewed_the_chart(api_as: ApiAs, admin: User, client_of_record: Client, clinician: User) -> None:
    record("confide.client.viewed", actor=clinician, client_id=client_of_record.pk, ip="10.0.0.5")
    status, body = _report(api_as, admin, client_of_record.pk)
    assert status == 200
    assert body == [
        {
            "at": body[0]["at"],  # type: ignore[index]
            "actor_id": clinician.pk,
            "actor_username": "rivera",
            "action": "confide.client.viewed",
            "outcome": "ok",
            "ip": "10.0.0.5",
        }
    ]


def test_clinician_of_record_sees_the_access_report(api_as: ApiAs, clinician: User, client_of_record: Client) -> None:
    status, body = _report(api_as, clinician, client_of_record.pk)
    assert status == 200
    assert isinstance(body, list)


def test_supervisor_of_the_clinician_sees_the_access_report(
    api_as: ApiAs, supervisor: User, supervisee_client: Client
) -> None:
    assert _report(api_as, supervisor, supervisee_client.pk)[0] == 200


@pytest.mark.parametrize("role", ["biller", "front_desk"])
def test_biller_and_front_desk_cannot_see_the_access_report(
    api_as: ApiAs, request: pytest.FixtureRequest, client_of_record: Client, role: str
) -> None:
    status, body = _report(api_as, request.getfixturevalue(role), client_of_record.pk)
    assert status == 403
    assert body["code"] == "forbidden"  # type: ignore[index]


def test_colleague_outside_the_caseload_gets_not_found(
    api_as: ApiAs, colleague: User, client_of_record: Client
) -> None:
    assert _report(api_as, colleague, client_of_record.pk)[0] == 404


def test_unknown_client_is_not_found_even_for_admin(api_as: ApiAs, admin: User) -> None:
    assert _report(api_as, admin, 999_999)[0] == 404


def test_reading_the_report_is_audited_and_not_itself_a_chart_view(
    api_as: ApiAs, clinician: User, client_of_record: Client
) -> None:
    _report(api_as, clinician, client_of_record.pk)
    status, body = _report(api_as, clinician, client_of_record.pk)
    assert status == 200
    assert body == []
    generated = AuditEntry.objects.filter(action="confide.access_report.generated", client_id=client_of_record.pk)
    assert generated.count() == 2


def test_refused_report_is_audited_once_as_a_refusal(api_as: ApiAs, biller: User, client_of_record: Client) -> None:
    _report(api_as, biller, client_of_record.pk)
    (denial,) = AuditEntry.objects.filter(outcome="denied")
    assert (denial.action, denial.actor_id) == ("confide.access.denied", biller.pk)


def test_admin_lists_the_log_newest_first_filtered_by_client_and_action_prefix(
    api_as: ApiAs, admin: User, clinician: User, client_of_record: Client, declare_action: Callable[..., str]
) -> None:
    cid = client_of_record.pk
    record("confide.progress_note.created", actor=clinician, client_id=cid)
    record("confide.progress_note.signed", actor=clinician, client_id=cid)
    record(declare_action("confide.progress_notes.bogus"), actor=clinician, client_id=cid)
    record("confide.progress_note.signed", actor=clinician, client_id=cid + 1)
    query: dict[str, str | int] = {"client_id": cid, "action": "confide.progress_note"}
    response = api_as(admin).get("/api/v1/audit", query)
    assert response.status_code == 200
    assert [entry["action"] for entry in response.json()] == [
        "confide.progress_note.signed",
        "confide.progress_note.created",
    ]
    assert set(response.json()[0]) >= {"seq", "at", "actor_username", "outcome", "ip", "detail"}


def test_admin_lists_the_log_since_a_time(api_as: ApiAs, admin: User, clinician: User) -> None:
    since = timezone.now() + timedelta(seconds=-1)
    record("confide.client.viewed", actor=clinician, client_id=1)
    response = api_as(admin).get("/api/v1/audit", {"since": since.isoformat(), "action": "confide.client.viewed"})
    assert response.status_code == 200
    assert len(response.json()) == 1
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert api_as(admin).get("/api/v1/audit", {"since": future}).json() == []


@pytest.mark.parametrize("role", ["biller", "front_desk"])
def test_billers_and_front_desk_do_not_read_the_audit_log(
    api_as: ApiAs, request: pytest.FixtureRequest, role: str
) -> None:
    response = api_as(request.getfixturevalue(role)).get("/api/v1/audit")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    "query",
    [{"client_id": "seven"}, {"since": "yesterday"}, {"action": "Confide.Note"}, {"limit": 0}, {"limit": 5000}],
)
def test_malformed_audit_query_is_a_400(api_as: ApiAs, admin: User, query: dict[str, str | int]) -> None:
    assert api_as(admin).get("/api/v1/audit", query).status_code == 400


def test_unknown_audit_query_parameter_is_a_400(api_as: ApiAs, admin: User) -> None:
    assert api_as(admin).get("/api/v1/audit", {"actor": "rivera"}).status_code == 400


def test_audit_log_needs_a_signed_in_user(db: None) -> None:
    assert HttpClient().get("/api/v1/audit").status_code == 401
