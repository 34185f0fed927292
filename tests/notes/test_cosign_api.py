"""The API's co-signature takes an optional attestation (docs/api.md); without a body it is as before."""

from __future__ import annotations

from typing import Any

from confide.clients.models import Client
from confide.notes.models import NoteStatus, ProgressNote
from confide.people.models import User
from tests.conftest import session_for
from tests.web.notes_support import signed_note


def test_cosign_without_a_body_records_no_attestation(
    api_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    note = signed_note(session_for(supervisee_client, supervisee), supervisee)
    response = api_as(supervisor).generic("POST", f"/api/v1/progress-notes/{note.pk}/cosign")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == NoteStatus.SIGNED and response.json()["cosign_attestation"] == ""


def test_cosign_with_an_attestation_records_it(
    api_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    note = signed_note(session_for(supervisee_client, supervisee), supervisee)
    said = "I have reviewed this note and agree with its content."
    response = api_as(supervisor).post(
        f"/api/v1/progress-notes/{note.pk}/cosign", {"attestation": said}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["cosign_attestation"] == said
    assert ProgressNote.objects.get(pk=note.pk).cosign_attestation == said


def test_an_overlong_or_unknown_field_is_a_400(
    api_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    note = signed_note(session_for(supervisee_client, supervisee), supervisee)
    http = api_as(supervisor)
    for body in ({"attestation": "x" * 301}, {"attestation": 1}, {"comment": "x"}):
        response = http.post(f"/api/v1/progress-notes/{note.pk}/cosign", body, content_type="application/json")
        assert response.status_code == 400, (body, response.content)
    assert ProgressNote.objects.get(pk=note.pk).status == NoteStatus.AWAITING_COSIGN


def test_an_empty_json_body_is_still_a_cosign(
    api_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    note = signed_note(session_for(supervisee_client, supervisee), supervisee)
    response = api_as(supervisor).generic(
        "POST", f"/api/v1/progress-notes/{note.pk}/cosign", "", content_type="application/json"
    )
    assert response.status_code == 200, response.content
