"""Drafting through the API: consent first, the session's clinician only, every sentence with its evidence."""

from __future__ import annotations

from datetime import date
from typing import Any

from confide.audit.models import AuditEntry
from confide.clients.services import record_consent

TRANSCRIPT = """WEBVTT

00:00:01.000 --> 00:00:05.000
<v Maria Rivera>How have you been sleeping since last week?

00:00:05.500 --> 00:00:12.000
<v Alex Morgan>Badly. Maybe four hours a night, and I don't enjoy anything anymore.

00:00:12.500 --> 00:00:16.000
<v Maria Rivera>Any thoughts of hurting yourself or ending your life?

00:00:16.500 --> 00:00:20.000
<v Alex Morgan>No, I would never do that.
"""


def draft(http: Any, session_id: int, **body: Any) -> Any:
    payload = {"transcript": TRANSCRIPT, "transcript_format": "vtt", "note_format": "SOAP", **body}
    return http.post(f"/api/v1/sessions/{session_id}/drafts", payload, content_type="application/json")


def test_draft_needs_the_clients_consent_to_transcription(api_as: Any, clinician: Any, therapy_session: Any) -> None:
    response = draft(api_as(clinician), therapy_session.pk)
    assert response.status_code == 422
    assert response.json()["code"] == "consent_missing"


def test_clinician_gets_a_grounded_draft(
    api_as: Any, clinician: Any, client_of_record: Any, therapy_session: Any
) -> None:
    record_consent(actor=clinician, client=client_of_record, kind="session_transcription", signed_on=date(2026, 1, 2))
    response = draft(api_as(clinician), therapy_session.pk)
    assert response.status_code == 201, response.content
    body = response.json()
    utterance_ids = {u["id"] for u in body["utterances"]}
    sentences = [s for section in body["progress_note"]["sections"].values() for s in section]
    assert set(body["progress_note"]["sections"]) == {"subjective", "objective", "assessment", "plan"}
    for sentence in sentences:
        if sentence["evidence"]:
            assert set(sentence["evidence"]) <= utterance_ids
        else:
            assert sentence["text"] == "Not documented in this session."
    suicidal = [f for f in body["risk_flags"] if f["type"] == "suicidal_ideation"]
    assert suicidal and suicidal[0]["polarity"] == "denied"
    entry = AuditEntry.objects.filter(action="confide.draft.created").get()
    assert "four hours" not in str(entry.detail)  # the audit log holds counts, never session words


def test_a_malformed_transcript_names_the_line(
    api_as: Any, clinician: Any, client_of_record: Any, therapy_session: Any
) -> None:
    record_consent(actor=clinician, client=client_of_record, kind="session_transcription", signed_on=date(2026, 1, 2))
    response = draft(api_as(clinician), therapy_session.pk, transcript="WEBVTT\n\n00:00:09.000 --> 00:00:01.000\nx\n")
    assert response.status_code == 422
    assert response.json()["code"] == "transcript_malformed"
    assert "line 3" in response.json()["detail"]


def test_jotted_points_need_no_transcription_consent(api_as: Any, clinician: Any, therapy_session: Any) -> None:
    points = "- low mood most days\n- sleep 4-5 h\n- denies SI\n- homework: thought record daily"
    response = draft(api_as(clinician), therapy_session.pk, transcript=points, transcript_format="points")
    assert response.status_code == 201, response.content


PASSIVE_SI = """Therapist: How has your mood been?
Client: Low. Sometimes I wish I wouldn't wake up, but I'd never do anything.
Therapist: Any plan to end your life?
Client: No plan.
Therapist: We did a thought record today. You said your PHQ-9 came out at 17.
Client: Yes, 17.
Therapist: I see you're tearing up. Here's a tissue.
"""


def test_proposed_fields_come_with_evidence_and_fit_the_note_as_they_are(
    api_as: Any, clinician: Any, client_of_record: Any, therapy_session: Any
) -> None:
    """The draft proposes risk levels, interventions, scores said aloud and mental status; the clinician can submit
    the proposed risk unchanged, and nothing is applied by drafting alone."""
    record_consent(actor=clinician, client=client_of_record, kind="session_transcription", signed_on=date(2026, 1, 2))
    http = api_as(clinician)
    response = draft(http, therapy_session.pk, transcript=PASSIVE_SI, transcript_format="text")
    assert response.status_code == 201, response.content
    proposed = response.json()["proposed"]
    ids = {u["id"] for u in response.json()["utterances"]}
    assert proposed["risk"]["suicidal_ideation"] == {"level": "low", "plan": False, "intent": False, "means": False}
    assert set(proposed["risk_evidence"]["suicidal_ideation"]) <= ids
    assert [m["instrument"] for m in proposed["measures"]] == ["PHQ-9"]
    assert proposed["measures"][0]["score"] == 17
    assert "thought records" in [i["name"] for i in proposed["interventions"]]
    assert proposed["mental_status"]["affect"]["finding"] == "tearful"
    assert not therapy_session.progress_notes.exists()
    note = http.post(
        f"/api/v1/sessions/{therapy_session.pk}/progress-notes",
        {"format": "SOAP", "sections": {"subjective": "Low mood."}, "risk": proposed["risk"]},
        content_type="application/json",
    )
    assert note.status_code == 201, note.content
    assert note.json()["risk"]["suicidal_ideation"]["level"] == "low"
