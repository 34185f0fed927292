"""The clinician's day: today's sessions with note status, unsigned and overdue notes, co-signatures waiting."""

from __future__ import annotations

from typing import Any

from confide.clients.models import Client
from confide.people.models import User
from tests.conftest import session_for
from tests.web.notes_support import draft_note, signed_note


def test_day_lists_todays_sessions_with_their_note_status(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    draft_note(session, clinician)
    html = web_as(clinician).get("/").content.decode()
    assert f"/sessions/{session.pk}/" in html and "Alex Morgan" in html
    assert "badge-draft" in html


def test_a_draft_older_than_the_deadline_is_overdue(
    web_as: Any, clinician: User, client_of_record: Client, settings: Any
) -> None:
    settings.NOTE_LATE_ENTRY_HOURS = 72
    old = session_for(client_of_record, clinician, days_ago=5)
    draft_note(old, clinician)
    recent = session_for(client_of_record, clinician, days_ago=1)
    draft_note(recent, clinician)
    day = web_as(clinician).get("/")
    overdue = day.context["day"].overdue
    assert [n.session_id for n in overdue] == [old.pk]
    assert len(day.context["day"].unsigned) == 2


def test_kept_sessions_without_a_note_are_listed(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician, days_ago=2)
    assert session in web_as(clinician).get("/").context["day"].awaiting_note


def test_supervisor_sees_co_signatures_waiting(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    note = signed_note(session_for(supervisee_client, supervisee), supervisee)
    day = web_as(supervisor).get("/")
    assert list(day.context["day"].cosign_queue) == [note]
    assert "Sam Lee, LPC-A" in day.content.decode()


def test_colleague_does_not_see_another_clinicians_day(
    web_as: Any, colleague: User, clinician: User, client_of_record: Client
) -> None:
    session_for(client_of_record, clinician)
    assert "Alex Morgan" not in web_as(colleague).get("/").content.decode()


def test_polling_refresh_returns_the_partial(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session_for(client_of_record, clinician)
    response = web_as(clinician).get("/today/refresh/", headers={"HX-Request": "true", "X-Confide-Background": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "Alex Morgan" in html


def test_other_roles_land_on_their_own_home(web_as: Any, admin: User, biller: User, front_desk: User) -> None:
    assert web_as(admin).get("/")["Location"] == "/manage/users/"
    assert web_as(biller).get("/")["Location"] == "/billing/"
    assert web_as(front_desk).get("/")["Location"] == "/schedule/"
