"""The official record's whole path through the API: client, session, note, sign, addendum."""

from __future__ import annotations

from typing import Any

from confide.clients.models import Client
from confide.people.models import User


def post(http: Any, path: str, body: dict[str, Any]) -> Any:
    return http.post(path, body, content_type="application/json")


def test_clinician_writes_and_signs_a_note(api_as: Any, clinician: User, client_of_record: Client) -> None:
    http = api_as(clinician)
    session = post(
        http,
        f"/api/v1/clients/{client_of_record.pk}/sessions",
        {
            "clinician_id": clinician.pk,
            "starts_at": "2026-11-20T10:00:00-05:00",
            "ends_at": "2026-11-20T10:55:00-05:00",
            "service": "individual",
            "setting": "telehealth",
        },
    )
    assert session.status_code == 201, session.content
    assert session.json()["cpt_codes"] == ["90837"]
    note = post(
        http,
        f"/api/v1/sessions/{session.json()['id']}/progress-notes",
        {"format": "SOAP", "sections": {"subjective": "Reports low mood."}},
    )
    assert note.status_code == 201, note.content
    note_id = note.json()["id"]
    assert note.json()["status"] == "draft"
    incomplete = http.post(f"/api/v1/progress-notes/{note_id}/sign")
    assert incomplete.status_code == 422
    assert incomplete.json()["code"] == "missing_sections"
    filled = http.patch(
        f"/api/v1/progress-notes/{note_id}",
        {
            "sections": {"objective": "Flat affect.", "assessment": "Moderate depression.", "plan": "Weekly."},
            "risk": {"suicidal_ideation": {"level": "none"}},
        },
        content_type="application/json",
    )
    assert filled.status_code == 200, filled.content
    signed = http.post(f"/api/v1/progress-notes/{note_id}/sign")
    assert signed.status_code == 200
    assert signed.json()["status"] == "signed"
    assert len(signed.json()["content_hash"]) == 64
    locked = http.patch(
        f"/api/v1/progress-notes/{note_id}", {"sections": {"plan": "x"}}, content_type="application/json"
    )
    assert locked.status_code == 409
    addendum = post(http, f"/api/v1/progress-notes/{note_id}/addenda", {"text": "Called PCP."})
    assert addendum.status_code == 201
    again = http.get(f"/api/v1/progress-notes/{note_id}")
    assert again.json()["sections"]["plan"] == "Weekly."
    assert [a["text"] for a in again.json()["addenda"]] == ["Called PCP."]
