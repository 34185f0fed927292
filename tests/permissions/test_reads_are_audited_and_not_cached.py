"""Pages that show the record write a read entry through the policy; no answer that may carry clinical content may
be stored by a browser or a proxy; `next=` stays on this site; API entries say where the request came from."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client as HttpClient

from confide.audit.models import AuditEntry
from confide.notes import services as notes
from confide.people.models import User
from confide.plans import services as plans
from tests.conftest import PASSWORD, session_for


@pytest.fixture
def chart(clinician: User, client_of_record: Any) -> dict[str, Any]:
    session = session_for(client_of_record, clinician)
    note = notes.start_note(
        actor=clinician,
        session=session,
        format="SOAP",
        sections={"subjective": "s", "objective": "o", "assessment": "a", "plan": "p"},
        risk={"suicidal_ideation": {"level": "none"}},
    )
    plans.revise_plan(
        actor=clinician,
        client=client_of_record,
        review_on=date(2027, 1, 1),
        problems=[{"description": "Low mood", "goals": [{"description": "Fewer low days", "objectives": []}]}],
    )
    return {"session": session, "note": note, "client": client_of_record}


@pytest.mark.parametrize(
    ("page", "action"),
    [
        ("/notes/{note}/sign/", "confide.progress_note.read"),
        ("/clients/{client}/plan/revise/", "confide.treatment_plan.read"),
        ("/sessions/{session}/attendance/", "confide.session.viewed"),
    ],
)
def test_a_page_that_shows_the_record_writes_a_read_entry(
    web_as: Any, settings: Any, clinician: User, chart: dict[str, Any], page: str, action: str
) -> None:
    http = web_as(clinician)
    path = page.format(note=chart["note"].pk, client=chart["client"].pk, session=chart["session"].pk)
    before = AuditEntry.objects.filter(action=action, actor_id=clinician.pk).count()
    response = http.get(path)
    assert response.status_code == 200, response.content[:300]
    entries = AuditEntry.objects.filter(action=action, actor_id=clinician.pk, client_id=chart["client"].pk)
    assert entries.count() == before + 1


def test_pages_and_api_answers_are_not_stored(
    web_as: Any, settings: Any, api_as: Any, clinician: User, chart: dict[str, Any]
) -> None:
    answers = [
        web_as(clinician).get(f"/clients/{chart['client'].pk}/"),
        web_as(clinician).get(f"/sessions/{chart['session'].pk}/"),
        api_as(clinician).get(f"/api/v1/progress-notes/{chart['note'].pk}"),
        HttpClient().get("/sign-in/"),
    ]
    for answer in answers:
        assert answer.status_code == 200
        assert "no-store" in answer["Cache-Control"], answer["Cache-Control"]
        assert "private" in answer["Cache-Control"]


@pytest.mark.parametrize(
    ("next_", "lands"),
    [
        ("/clients/", "/clients/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("http://testserver/clients/", "/"),  # our own host, but a full URL: only paths are followed
        ("javascript:alert(1)", "/"),
    ],
)
def test_sign_in_follows_only_same_site_paths(settings: Any, clinician: User, next_: str, lands: str) -> None:
    settings.MFA_REQUIRED_ROLES = []
    answer = HttpClient().post("/sign-in/", {"username": clinician.username, "password": PASSWORD, "next": next_})
    assert answer.status_code == 302
    assert answer["Location"] == lands


def test_api_audit_entries_carry_the_client_address(api_as: Any, clinician: User, chart: dict[str, Any]) -> None:
    http = api_as(clinician)
    assert http.get(f"/api/v1/progress-notes/{chart['note'].pk}", REMOTE_ADDR="198.51.100.7").status_code == 200
    assert http.get(f"/api/v1/clients/{chart['client'].pk}/sessions", REMOTE_ADDR="198.51.100.7").status_code == 200
    for action in ("confide.progress_note.read", "confide.session.listed"):
        entry = AuditEntry.objects.filter(action=action, actor_id=clinician.pk).order_by("-seq").first()
        assert entry is not None and entry.ip == "198.51.100.7", action
