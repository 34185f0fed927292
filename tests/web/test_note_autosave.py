"""Never lose what a clinician typed, over HTTP: autosave through the note services, a format switch that keeps the
text, and the keep-alive that typing and "Stay signed in" send (background polls still extend nothing)."""

from __future__ import annotations

import time
from typing import Any

from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.notes.formats import get_format
from confide.notes.models import ProgressNote
from confide.people.middleware import LAST_ACTIVITY, REMAINING_HEADER
from confide.people.models import User
from confide.web.autosave_views import carry_sections
from tests.conftest import session_for
from tests.web.notes_support import draft_note, signed_note

BACKGROUND = {"X-Confide-Background": "1"}


def _idle_for(http: Any, seconds: float) -> None:
    session = http.session
    session[LAST_ACTIVITY] = time.time() - seconds
    session.save()


# --- Autosave ----------------------------------------------------------------------------------------------------


def test_the_first_autosave_creates_the_draft_and_later_ones_update_it(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    url = f"/sessions/{session.pk}/notes/autosave/"
    first = http.post(url, {"format": "DAP", "note": "", "section-data": "Reports poor sleep."})
    assert first.status_code == 200, first.content
    note = ProgressNote.objects.get(session=session)
    assert first.json()["note"] == note.pk and first.json()["save_url"] == f"/notes/{note.pk}/"
    assert (note.format, note.sections["data"], note.author_id) == ("DAP", "Reports poor sleep.", clinician.pk)

    again = http.post(url, {"format": "DAP", "note": str(note.pk), "section-data": "Reports poor sleep; tired."})
    assert again.status_code == 200
    assert ProgressNote.objects.filter(session=session).count() == 1
    note.refresh_from_db()
    assert note.sections["data"] == "Reports poor sleep; tired."
    # Saved through the same service as "Save draft", so it is audited like any edit.
    assert AuditEntry.objects.filter(action="confide.progress_note.edited", object_id=note.pk).exists()


def test_the_session_page_reopens_the_autosaved_draft(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    http.post(f"/sessions/{session.pk}/notes/autosave/", {"format": "SOAP", "section-plan": "Weekly, CBT for sleep."})
    html = http.get(f"/sessions/{session.pk}/").content.decode()
    assert "Weekly, CBT for sleep." in html
    note = ProgressNote.objects.get(session=session)
    assert f'name="note" value="{note.pk}"' in html


def test_autosave_refuses_a_signed_note_another_authors_note_and_other_roles(
    web_as: Any, clinician: User, colleague: User, biller: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    signed = signed_note(session, clinician)
    url = f"/sessions/{session.pk}/notes/autosave/"
    mine = web_as(clinician)
    refused = mine.post(url, {"format": "SOAP", "note": str(signed.pk), "section-plan": "Changed after signing."})
    assert refused.status_code == 409 and refused.json()["error"] == "note_signed"
    for bad in ("12abc", "\u00b2", "9" * 40, "-1"):
        assert mine.post(url, {"note": bad}).status_code == 404, bad
        assert mine.post(f"/sessions/{session.pk}/notes/format/", {"note": bad}).status_code == 404, bad

    other_session = session_for(client_of_record, clinician, days_ago=3)
    other_draft = draft_note(other_session, clinician)
    assert mine.post(url, {"format": "SOAP", "note": str(other_draft.pk)}).status_code == 404  # not this session's

    assert web_as(colleague).post(url, {"format": "SOAP", "section-plan": "x"}).status_code in (403, 404)
    assert web_as(biller).post(url, {"format": "SOAP", "section-plan": "x"}).status_code == 403
    signed.refresh_from_db()
    assert signed.sections["plan"] != "Changed after signing."
    assert ProgressNote.objects.filter(session=session).count() == 1


def test_autosave_when_signed_out_saves_nothing(client: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    response = client.post(f"/sessions/{session.pk}/notes/autosave/", {"format": "SOAP", "section-plan": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    assert not ProgressNote.objects.exists()


# --- Switching the format ----------------------------------------------------------------------------------------


def test_shared_sections_stay_and_the_rest_moves_under_its_old_heading() -> None:
    typed = {
        "subjective": "Feels flat.",
        "objective": "Affect constricted.",
        "assessment": "Moderate.",
        "plan": "Weekly.",
    }
    sections, moved = carry_sections(get_format("SOAP"), get_format("DAP"), typed)
    assert sections["assessment"] == "Moderate." and sections["plan"] == "Weekly."
    assert sections["data"] == "Subjective (from SOAP):\nFeels flat.\n\nObjective (from SOAP):\nAffect constricted."
    assert moved == [("Subjective", "Data"), ("Objective", "Data")]
    # Every typed word survives every switch, whichever way.
    for old in ("SOAP", "DAP", "BIRP", "GIRP"):
        for new in ("SOAP", "DAP", "BIRP", "GIRP"):
            words = {name: f"word-{old}-{name}" for name in get_format(old).section_names}
            carried, _ = carry_sections(get_format(old), get_format(new), words)
            assert set(carried) == set(get_format(new).section_names)
            assert all(w in "\n".join(carried.values()) for w in words.values()), (old, new)


def test_switching_the_format_of_a_draft_keeps_the_text(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    note = draft_note(session, clinician)
    http = web_as(clinician)
    fields = {
        "format": "SOAP",
        "note": str(note.pk),
        "new_format": "BIRP",
        "section-subjective": "Feels flat.",
        "section-objective": "Tearful.",
        "section-assessment": "Improving.",
        "section-plan": "Weekly.",
    }
    response = http.post(f"/sessions/{session.pk}/notes/format/", fields, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        'name="section-behavior"' in html and "Subjective (from SOAP):" in html and 'data-testid="format-moved"' in html
    )
    note.refresh_from_db()
    assert note.format == "BIRP"
    assert note.sections["plan"] == "Weekly."
    assert "Feels flat." in note.sections["behavior"] and "Tearful." in note.sections["behavior"]
    assert "Improving." in note.sections["response"]
    assert ProgressNote.objects.filter(session=session).count() == 1


def test_switching_before_typing_creates_no_draft_and_after_typing_creates_one(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    url = f"/sessions/{session.pk}/notes/format/"
    empty = http.post(url, {"format": "SOAP", "new_format": "GIRP"}, headers={"HX-Request": "true"})
    assert 'name="section-goals"' in empty.content.decode()
    assert not ProgressNote.objects.exists()

    # Without script the "Use this format" button posts the whole editor: the text goes along, then the page.
    typed = http.post(url, {"format": "SOAP", "new_format": "GIRP", "action": "format", "section-subjective": "Sad."})
    assert typed.status_code == 302 and typed["Location"] == f"/sessions/{session.pk}/"
    note = ProgressNote.objects.get(session=session)
    assert note.format == "GIRP" and "Sad." in note.sections["goals"]
    page = http.get(typed["Location"]).content.decode()
    assert "Text from Subjective is now in Goals" in page and "Subjective (from SOAP):" in page


def test_switching_the_format_of_a_signed_note_changes_nothing(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    signed = signed_note(session, clinician)
    response = web_as(clinician).post(
        f"/sessions/{session.pk}/notes/format/", {"note": str(signed.pk), "new_format": "DAP", "section-plan": "x"}
    )
    assert response.status_code == 409
    signed.refresh_from_db()
    assert signed.format == "SOAP"


# --- Typing is activity; background polls are not ---------------------------------------------------------------


def test_typing_in_the_editor_extends_the_session_and_a_poll_does_not(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    _idle_for(http, 14 * 60)
    before = http.session[LAST_ACTIVITY]
    poll = http.get("/keep-alive/", headers=BACKGROUND)
    assert poll.status_code == 200 and 50 <= poll.json()["remaining"] <= 60
    assert http.get("/today/refresh/", headers={"HX-Request": "true", **BACKGROUND}).status_code == 200
    assert http.session[LAST_ACTIVITY] == before

    saved = http.post(f"/sessions/{session.pk}/notes/autosave/", {"format": "SOAP", "section-plan": "Weekly."})
    assert saved.status_code == 200
    assert time.time() - http.session[LAST_ACTIVITY] < 5
    assert int(saved[REMAINING_HEADER]) > 14 * 60


def test_stay_signed_in_restarts_the_clock_even_within_the_minute(web_as: Any, clinician: User) -> None:
    http = web_as(clinician)
    _idle_for(http, 30)  # inside the once-a-minute granularity an ordinary request writes nothing
    http.get("/")
    assert time.time() - http.session[LAST_ACTIVITY] >= 29
    stay = http.post("/keep-alive/")
    assert stay.status_code == 200 and stay.json()["remaining"] >= 15 * 60 - 2
    assert time.time() - http.session[LAST_ACTIVITY] < 5


def test_past_the_limit_the_keep_alive_cannot_revive_the_session(web_as: Any, clinician: User) -> None:
    http = web_as(clinician)
    _idle_for(http, 16 * 60)
    late = http.post("/keep-alive/")
    assert late.status_code == 302 and late["Location"].startswith("/sign-in/")
    assert http.get("/keep-alive/", headers=BACKGROUND).status_code == 302
    assert AuditEntry.objects.filter(action="confide.sign_out", detail__reason="idle").exists()


def test_every_signed_in_page_says_how_long_is_left(web_as: Any, clinician: User, settings: Any) -> None:
    settings.IDLE_WARNING_SECONDS = 45
    response = web_as(clinician).get("/")
    html = response.content.decode()
    assert 'role="alertdialog"' in html and "Stay signed in" in html
    assert 'data-warning="45' in html and 'data-remaining="' in html
    assert int(response[REMAINING_HEADER]) >= 15 * 60 - 5


def test_autosave_answers_bad_text_with_a_4xx_or_saves_it_never_a_500(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    for field, value in (
        ("section-plan", "Weekly\x00 sessions."),
        ("section-plan", "x" * 200_000),
        ("mse-mood", "low\x00"),
        ("risk-protective_factors", "\x00"),
        ("objectives", "\u00b2"),
        ("format", "\x00"),
    ):
        for url in (f"/sessions/{session.pk}/notes/autosave/", f"/sessions/{session.pk}/notes/format/"):
            response = http.post(url, {"format": "SOAP", "new_format": "DAP", field: value})
            assert response.status_code < 500, (url, field, response.status_code)
    for note in ProgressNote.objects.filter(session=session):
        assert all("\x00" not in text for text in note.sections.values())
