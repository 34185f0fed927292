"""Amendment requests (164.526) through real HTTP: log, extend once, accept or deny, the client's disagreement and
the practice's rebuttal; the note never changes, reads carry the amendments, and the roles the policy names."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from confide.amendments import services
from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.notes.models import ProgressNote
from confide.people.models import User
from tests.conftest import session_for
from tests.web.notes_support import draft_note, signed_note

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

CHANGE = "The note says I missed work all week; I went four of five days."


def post(http: HttpClient, path: str, body: object) -> Any:
    return http.post(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def note(clinician: User, client_of_record: Client) -> ProgressNote:
    return signed_note(session_for(client_of_record, clinician, days_ago=10), clinician)


@pytest.fixture
def rivera(api_as: Callable[[User], HttpClient], clinician: User) -> HttpClient:
    return api_as(clinician)


def ask(http: HttpClient, note: ProgressNote, **changes: Any) -> Any:
    body = {
        "received_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "progress_note_id": note.pk,
        "requested_change": CHANGE,
    } | changes
    return post(http, f"/api/v1/clients/{note.client_id}/amendment-requests", body)


def test_a_request_is_due_in_sixty_days_and_extended_once_by_thirty(rivera: HttpClient, note: ProgressNote) -> None:
    received = timezone.localdate() - timedelta(days=2)
    made = ask(rivera, note)
    assert made.status_code == 201, made.content
    assert made.json()["due_on"] == (received + timedelta(days=60)).isoformat()
    assert made.json()["status"] == "pending"
    rid = made.json()["id"]
    extended = post(rivera, f"/api/v1/amendment-requests/{rid}/extend", {"reason": "Waiting for the session recording"})
    assert extended.status_code == 200, extended.content
    assert extended.json()["due_on"] == (received + timedelta(days=90)).isoformat()
    again = post(rivera, f"/api/v1/amendment-requests/{rid}/extend", {"reason": "Still waiting"})
    assert again.status_code == 409 and again.json()["code"] == "already_extended"
    no_reason = ask(rivera, note)
    assert (
        post(rivera, f"/api/v1/amendment-requests/{no_reason.json()['id']}/extend", {"reason": ""}).status_code == 400
    )


def test_accepting_links_the_amendment_and_leaves_the_note_unchanged(rivera: HttpClient, note: ProgressNote) -> None:
    before = rivera.get(f"/api/v1/progress-notes/{note.pk}").json()
    assert before["amendments"] == []
    rid = ask(rivera, note).json()["id"]
    accepted = post(
        rivera, f"/api/v1/amendment-requests/{rid}/accept", {"amendment_text": "Attended work 4 of 5 days."}
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    after = rivera.get(f"/api/v1/progress-notes/{note.pk}").json()
    assert after["sections"] == before["sections"] and after["content_hash"] == before["content_hash"]
    [amendment] = after["amendments"]
    assert amendment["id"] == rid and amendment["amendment_text"] == "Attended work 4 of 5 days."
    assert amendment["requested_change"] == CHANGE
    decided_twice = post(
        rivera, f"/api/v1/amendment-requests/{rid}/deny", {"basis": "accurate_and_complete", "explanation": "x"}
    )
    assert decided_twice.status_code == 409 and decided_twice.json()["code"] == "already_decided"


def test_a_denial_then_the_clients_disagreement_then_the_rebuttal(
    rivera: HttpClient, note: ProgressNote, front_desk: User, api_as: Callable[[User], HttpClient]
) -> None:
    rid = ask(rivera, note).json()["id"]
    early = post(rivera, f"/api/v1/amendment-requests/{rid}/disagreement", {"text": "I disagree."})
    assert early.status_code == 409 and early.json()["code"] == "not_denied"
    bad = post(rivera, f"/api/v1/amendment-requests/{rid}/deny", {"basis": "because", "explanation": "No."})
    assert bad.status_code == 400  # not one of the four grounds 164.526(a)(2) allows
    denied = post(
        rivera,
        f"/api/v1/amendment-requests/{rid}/deny",
        {"basis": "accurate_and_complete", "explanation": "The client told me she missed work all week."},
    )
    assert denied.status_code == 200 and denied.json()["status"] == "denied"
    no_rebuttal_yet = post(rivera, f"/api/v1/amendment-requests/{rid}/rebuttal", {"text": "We stand by it."})
    assert no_rebuttal_yet.status_code == 409 and no_rebuttal_yet.json()["code"] == "no_disagreement"
    desk = api_as(front_desk)  # the office takes the client's written statement down
    said = post(desk, f"/api/v1/amendment-requests/{rid}/disagreement", {"text": "I went to work; ask my manager."})
    assert said.status_code == 201, said.content
    assert said.json()["kind"] == "disagreement"
    assert post(desk, f"/api/v1/amendment-requests/{rid}/disagreement", {"text": "Again."}).status_code == 409
    assert post(desk, f"/api/v1/amendment-requests/{rid}/rebuttal", {"text": "We stand by it."}).status_code == 403
    rebutted = post(rivera, f"/api/v1/amendment-requests/{rid}/rebuttal", {"text": "We stand by the note."})
    assert rebutted.status_code == 201
    [amendment] = rivera.get(f"/api/v1/progress-notes/{note.pk}").json()["amendments"]
    assert amendment["denial_basis"] == "accurate_and_complete"
    assert amendment["disagreement"] == "I went to work; ask my manager."
    assert amendment["rebuttal"] == "We stand by the note."
    codes = list(AuditEntry.objects.filter(object_type="amendment_request").values_list("action", flat=True))
    assert codes == [
        "confide.amendment.requested",
        "confide.amendment.denied",
        "confide.amendment.disagreement_added",
        "confide.amendment.rebuttal_added",
    ]


def test_the_front_desk_lists_requests_without_their_clinical_text(
    rivera: HttpClient, note: ProgressNote, front_desk: User, api_as: Callable[[User], HttpClient]
) -> None:
    ask(rivera, note)
    mine = rivera.get(f"/api/v1/clients/{note.client_id}/amendment-requests").json()
    assert mine[0]["requested_change"] == CHANGE
    desk = api_as(front_desk).get(f"/api/v1/clients/{note.client_id}/amendment-requests")
    assert desk.status_code == 200
    assert desk.json()[0]["due_on"] == mine[0]["due_on"]
    assert CHANGE not in desk.content.decode()


def test_only_signed_notes_in_this_chart_and_no_future_dates(
    rivera: HttpClient, clinician: User, client_of_record: Client, note: ProgressNote
) -> None:
    draft = draft_note(session_for(client_of_record, clinician, days_ago=1), clinician)
    refused = ask(rivera, draft)
    assert refused.status_code == 422 and refused.json()["code"] == "note_not_signed"
    future = ask(rivera, note, received_on=(timezone.localdate() + timedelta(days=1)).isoformat())
    assert future.status_code == 422 and future.json()["code"] == "bad_date"
    other = Client.objects.create(
        first_name="B", last_name="C", date_of_birth=date(1980, 1, 1), primary_clinician=clinician
    )
    wrong_chart = post(
        rivera,
        f"/api/v1/clients/{other.pk}/amendment-requests",
        {"received_on": "2026-01-05", "progress_note_id": note.pk, "requested_change": CHANGE},
    )
    assert wrong_chart.status_code == 404
    assert ask(rivera, note, requested_change="   ").status_code in (400, 422)
    assert ask(rivera, note, requested_change="a\x00b").status_code in (400, 422)


def test_outsiders_get_404_and_billers_403(
    rivera: HttpClient,
    note: ProgressNote,
    outsider: User,
    biller: User,
    colleague: User,
    api_as: Callable[[User], HttpClient],
) -> None:
    rid = ask(rivera, note).json()["id"]
    stranger = api_as(outsider)
    assert stranger.get(f"/api/v1/clients/{note.client_id}/amendment-requests").status_code == 404
    assert post(stranger, f"/api/v1/amendment-requests/{rid}/accept", {"amendment_text": "x"}).status_code == 404
    assert ask(stranger, note).status_code == 404
    money = api_as(biller)
    assert money.get(f"/api/v1/clients/{note.client_id}/amendment-requests").status_code == 403
    assert post(money, f"/api/v1/amendment-requests/{rid}/accept", {"amendment_text": "x"}).status_code == 403
    assert post(rivera, "/api/v1/amendment-requests/999999/accept", {"amendment_text": "x"}).status_code == 404
    assert ProgressNote.objects.get(pk=note.pk).amendment_requests.get().status == "pending"


def test_the_due_list_and_what_travels_with_a_released_note(clinician: User, note: ProgressNote) -> None:
    req = services.request_amendment(
        actor=clinician,
        client=note.client,
        progress_note_id=note.pk,
        received_on=timezone.localdate() - timedelta(days=61),
        requested_change=CHANGE,
    )
    [due] = services.due_for(clinician, timezone.localdate())
    assert due.link_id == req.pk and due.overdue
    services.deny(actor=clinician, request_id=req.pk, basis="accurate_and_complete", explanation="As written.")
    assert services.due_for(clinician, timezone.localdate()) == []
    [part] = services.amendments_for_notes([note.pk])[note.pk]
    assert part.status == "denied" and part.denial_basis.startswith("Accurate and complete")
    assert part.requested_change == CHANGE
