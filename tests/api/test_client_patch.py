"""`PATCH /api/v1/clients/{id}`: correcting demographics, discharging and readmitting, who may, what the history and
the audit log keep (old and new values beside the chart; only the field names in the log)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from confide.audit.models import AuditEntry
from confide.clients.models import ChangeKind, Client, ClientChange, Episode
from confide.people.models import User
from confide.sessions.models import Status
from confide.sessions.services import schedule_session

Api = Callable[[User], HttpClient]


def patch(http: HttpClient, client: Client, body: dict[str, Any]) -> Any:
    return http.patch(f"/api/v1/clients/{client.pk}", json.dumps(body), content_type="application/json")


@pytest.fixture
def admitted(client_of_record: Client) -> Client:
    client_of_record.admitted_on = date(2025, 3, 1)
    client_of_record.save(update_fields=["admitted_on"])
    return client_of_record


def test_the_front_desk_corrects_demographics_and_the_history_keeps_old_and_new(
    api_as: Api, front_desk: User, client_of_record: Client
) -> None:
    client_of_record.phone = "555-0100"
    client_of_record.save(update_fields=["phone"])
    response = patch(api_as(front_desk), client_of_record, {"phone": "555-0199", "date_of_birth": "1990-04-12"})
    assert response.status_code == 200, response.content
    assert response.json()["date_of_birth"] == "1990-04-12"
    [change] = ClientChange.objects.filter(client=client_of_record)
    assert change.kind == ChangeKind.EDITED and change.changed_by == front_desk
    assert {row["field"]: (row["old"], row["new"]) for row in change.fields} == {
        "phone": ("555-0100", "555-0199"),
        "date_of_birth": ("1990-04-02", "1990-04-12"),
    }
    entry = AuditEntry.objects.get(action="confide.client.updated", object_id=str(client_of_record.pk))
    assert entry.detail == {"fields": ["date_of_birth", "phone"]}
    assert "555-0199" not in json.dumps(entry.detail) and "1990-04-12" not in json.dumps(entry.detail)


def test_an_unchanged_value_writes_no_history(api_as: Api, front_desk: User, client_of_record: Client) -> None:
    assert patch(api_as(front_desk), client_of_record, {"first_name": "Alex"}).status_code == 200
    assert not ClientChange.objects.filter(client=client_of_record).exists()
    assert not AuditEntry.objects.filter(action="confide.client.updated").exists()


def test_who_may_correct(
    api_as: Api,
    clinician: User,
    colleague: User,
    biller: User,
    admin: User,
    outsider: User,
    client_of_record: Client,
) -> None:
    from confide.clients.services import add_to_care_team

    add_to_care_team(actor=clinician, client=client_of_record, clinician_id=colleague.pk)
    assert patch(api_as(clinician), client_of_record, {"pronouns": "they/them"}).status_code == 200
    assert patch(api_as(colleague), client_of_record, {"pronouns": "she/her"}).status_code == 403  # care team only
    assert patch(api_as(biller), client_of_record, {"pronouns": "she/her"}).status_code == 403
    assert patch(api_as(admin), client_of_record, {"pronouns": "she/her"}).status_code == 403
    assert patch(api_as(outsider), client_of_record, {"pronouns": "she/her"}).status_code == 404
    client_of_record.refresh_from_db()
    assert client_of_record.pronouns == "they/them"


def test_every_problem_is_named_at_once(api_as: Api, front_desk: User, client_of_record: Client) -> None:
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = patch(
        api_as(front_desk), client_of_record, {"first_name": "  ", "email": "nope", "date_of_birth": future}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "name_required"
    assert "first name" in body["detail"] and "email address" in body["detail"] and "in the future" in body["detail"]
    client_of_record.refresh_from_db()
    assert client_of_record.first_name == "Alex" and client_of_record.email == ""


def test_a_demographic_sent_as_null_is_refused(api_as: Api, front_desk: User, client_of_record: Client) -> None:
    response = patch(api_as(front_desk), client_of_record, {"phone": None})
    assert response.status_code == 422 and response.json()["code"] == "invalid_value"


def test_discharge_needs_a_reason_and_then_the_client_leaves_the_active_lists(
    api_as: Api, front_desk: User, clinician: User, admitted: Client
) -> None:
    desk = api_as(front_desk)
    today = timezone.localdate().isoformat()
    refused = patch(desk, admitted, {"discharged_on": today})
    assert refused.status_code == 422 and refused.json()["code"] == "reason_required"
    too_early = patch(desk, admitted, {"discharged_on": "2025-01-01", "discharge_reason": "moved away"})
    assert too_early.status_code == 422 and too_early.json()["code"] == "invalid_date"
    done = patch(desk, admitted, {"discharged_on": today, "discharge_reason": "treatment goals met"})
    assert done.status_code == 200, done.content
    assert done.json()["active"] is False and done.json()["discharge_reason"] == "treatment goals met"
    assert Client.objects.active().filter(pk=admitted.pk).count() == 0
    change = ClientChange.objects.get(client=admitted)
    assert change.kind == ChangeKind.DISCHARGED
    entry = AuditEntry.objects.get(action="confide.client.updated", object_id=str(admitted.pk))
    assert entry.detail == {"fields": ["discharge_reason", "discharged_on"]}  # never the reason itself


def test_discharge_cancels_the_sessions_booked_after_it(api_as: Api, front_desk: User, clinician: User) -> None:
    client = Client.objects.create(
        first_name="Kim",
        last_name="Ames",
        date_of_birth=date(1980, 1, 1),
        primary_clinician=clinician,
        admitted_on=date(2025, 1, 1),
    )
    starts = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=7), datetime.min.time().replace(hour=10))
    )
    booked = schedule_session(
        actor=front_desk,
        client=client,
        clinician_id=clinician.pk,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=53),
        service="individual",
        setting="in_person",
        status=Status.SCHEDULED,
    )
    today = timezone.localdate().isoformat()
    assert patch(api_as(front_desk), client, {"discharged_on": today, "discharge_reason": "moved"}).status_code == 200
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED


def test_readmission_clears_the_discharge_and_keeps_the_episode(api_as: Api, clinician: User, admitted: Client) -> None:
    rivera = api_as(clinician)
    discharged_on = timezone.localdate() - timedelta(days=10)
    assert (
        patch(rivera, admitted, {"discharged_on": discharged_on.isoformat(), "discharge_reason": "moved away"})
    ).status_code == 200
    before = patch(rivera, admitted, {"discharged_on": None, "readmitted_on": "2025-02-01"})
    assert before.status_code == 422 and before.json()["code"] == "invalid_date"
    back = patch(rivera, admitted, {"discharged_on": None})
    assert back.status_code == 200, back.content
    body = back.json()
    assert body["active"] is True and body["discharged_on"] is None and body["discharge_reason"] == ""
    assert body["admitted_on"] == timezone.localdate().isoformat()
    [episode] = Episode.objects.filter(client=admitted)
    assert (episode.admitted_on, episode.discharged_on, episode.discharge_reason) == (
        date(2025, 3, 1),
        discharged_on,
        "moved away",
    )
    assert ClientChange.objects.filter(client=admitted, kind=ChangeKind.READMITTED).exists()


def test_a_reason_or_readmission_for_an_active_client_is_refused(
    api_as: Api, front_desk: User, admitted: Client
) -> None:
    desk = api_as(front_desk)
    reason = patch(desk, admitted, {"discharge_reason": "moved"})
    assert reason.status_code == 422 and reason.json()["code"] == "not_discharged"
    readmit = patch(desk, admitted, {"discharged_on": None, "readmitted_on": timezone.localdate().isoformat()})
    assert readmit.status_code == 422 and readmit.json()["code"] == "not_discharged"
    assert not Episode.objects.exists()
