"""Amendment requests on the release tab, through the Django test client: log one, extend it, accept or deny it,
the client's disagreement (taken down by the front desk), the rebuttal, and what each role sees."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from confide.amendments.models import AmendmentRequest
from confide.clients.models import Client
from confide.notes.models import ProgressNote
from confide.people.models import User
from tests.conftest import session_for
from tests.web.notes_support import signed_note

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

Web = Callable[[User], HttpClient]
CHANGE = "The note says I missed work all week; I went four of five days."


@pytest.fixture
def note(clinician: User, client_of_record: Client) -> ProgressNote:
    return signed_note(session_for(client_of_record, clinician, days_ago=10), clinician)


def tab(http: HttpClient, client_id: int) -> str:
    response = http.get(f"/clients/{client_id}/release/")
    assert response.status_code == 200
    return response.content.decode().split('id="amend-title"', 1)[1].split("</section>", 1)[0]


def log(http: HttpClient, note: ProgressNote, **changes: str) -> object:
    form = {
        "amend-progress_note": str(note.pk),
        "amend-received_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "amend-requested_change": CHANGE,
    } | changes
    return http.post(f"/clients/{note.client_id}/release/amendments/", form)


def test_a_clinician_logs_a_request_and_accepts_it(web_as: Web, clinician: User, note: ProgressNote) -> None:
    http = web_as(clinician)
    assert "No amendment requests." in tab(http, note.client_id)
    logged = log(http, note)
    assert logged.status_code == 302 and logged["Location"].endswith("#amend-title")  # type: ignore[attr-defined]
    req = AmendmentRequest.objects.get()
    due = timezone.localdate() - timedelta(days=3) + timedelta(days=60)
    section = tab(http, note.client_id)
    assert CHANGE.replace("'", "&#x27;") in section and f"{due:%m/%d/%Y}" in section
    before = ProgressNote.objects.get(pk=note.pk)
    accepted = http.post(
        f"/amendment-requests/{req.pk}/accept/", {f"amend-accept-{req.pk}-text": "Worked 4 of 5 days."}
    )
    assert accepted.status_code == 302
    section = tab(http, note.client_id)
    assert "Accepted" in section and "Worked 4 of 5 days." in section
    assert f"/amendment-requests/{req.pk}/deny/" not in section  # decided: no more answers offered
    after = ProgressNote.objects.get(pk=note.pk)
    assert (after.sections, after.content_hash) == (before.sections, before.content_hash)


def test_refusals_come_back_beside_the_form(web_as: Web, clinician: User, note: ProgressNote) -> None:
    http = web_as(clinician)
    empty = log(http, note, **{"amend-requested_change": ""})
    assert empty.status_code == 422 and b"This field is required." in empty.content  # type: ignore[attr-defined]
    future = log(http, note, **{"amend-received_on": (timezone.localdate() + timedelta(days=2)).isoformat()})
    assert future.status_code == 422 and b"cannot be received in the future" in future.content  # type: ignore[attr-defined]
    nul = log(http, note, **{"amend-requested_change": "a\x00b"})
    assert nul.status_code == 422  # type: ignore[attr-defined]
    assert AmendmentRequest.objects.count() == 0
    log(http, note)
    req = AmendmentRequest.objects.get()
    bad_basis = http.post(
        f"/amendment-requests/{req.pk}/deny/",
        {f"amend-deny-{req.pk}-basis": "because", f"amend-deny-{req.pk}-text": "No."},
    )
    assert bad_basis.status_code == 422 and b"Select a valid choice" in bad_basis.content
    extended = http.post(f"/amendment-requests/{req.pk}/extend/", {f"amend-extend-{req.pk}-text": "Waiting on records"})
    assert extended.status_code == 302
    assert f"/amendment-requests/{req.pk}/extend/" not in tab(http, note.client_id)  # once only
    again = http.post(f"/amendment-requests/{req.pk}/extend/", {f"amend-extend-{req.pk}-text": "Still waiting"})
    assert again.status_code == 409 and b"may be extended once" in again.content


def test_a_denial_the_clients_disagreement_and_the_rebuttal(
    web_as: Web, clinician: User, front_desk: User, note: ProgressNote
) -> None:
    http = web_as(clinician)
    log(http, note)
    req = AmendmentRequest.objects.get()
    denied = http.post(
        f"/amendment-requests/{req.pk}/deny/",
        {f"amend-deny-{req.pk}-basis": "accurate_and_complete", f"amend-deny-{req.pk}-text": "As written in session."},
    )
    assert denied.status_code == 302
    desk = web_as(front_desk)
    seen = tab(desk, note.client_id)
    assert "Denied" in seen and CHANGE not in seen and "As written in session." not in seen
    assert f"/amendment-requests/{req.pk}/rebuttal/" not in seen
    said = desk.post(
        f"/amendment-requests/{req.pk}/disagreement/",
        {f"amend-disagreement-{req.pk}-text": "I went to work; ask my manager."},
    )
    assert said.status_code == 302
    seen = tab(desk, note.client_id)
    assert "statement of disagreement is on file" in seen and "ask my manager" not in seen
    assert f"/amendment-requests/{req.pk}/disagreement/" not in seen
    assert desk.post(f"/amendment-requests/{req.pk}/rebuttal/", {}).status_code == 403
    rebutted = http.post(
        f"/amendment-requests/{req.pk}/rebuttal/", {f"amend-rebuttal-{req.pk}-text": "We stand by the note."}
    )
    assert rebutted.status_code == 302
    section = tab(http, note.client_id)
    assert "ask my manager" in section and "We stand by the note." in section


def test_pending_requests_are_deadlines_on_the_day_view(web_as: Web, clinician: User, note: ProgressNote) -> None:
    http = web_as(clinician)
    log(http, note, **{"amend-received_on": (timezone.localdate() - timedelta(days=61)).isoformat()})
    page = http.get("/").content.decode()
    deadlines = page.split('id="deadlines-title"', 1)[1].split("</section>", 1)[0]
    assert "amendment request received" in deadlines and "badge-late" in deadlines
    assert f'href="/clients/{note.client_id}/release/#amend-title"' in deadlines
