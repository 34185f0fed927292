"""In a real browser: what a clinician types into the note editor survives idle sign-out, a format switch and an
accidental navigation; typing keeps the session alive, background polling does not; the warning before idle sign-out
is a keyboard-usable alert dialog. Every page shown passes axe and the strict CSP (tests/web/browser.py)."""

from __future__ import annotations

import time
from datetime import date
from importlib import import_module
from typing import Any

import pytest
from django.conf import settings as django_settings

from confide.clients.models import Client
from confide.notes.models import ProgressNote
from confide.people.middleware import LAST_ACTIVITY
from confide.people.models import User
from tests.conftest import PASSWORD, session_for
from tests.web.browser import Visit, sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])

TYPED = "Reports low mood most days and poor sleep; went to work four of five days."


def _short_idle(settings: Any, *, limit_seconds: float, warning_seconds: int) -> None:
    settings.MFA_REQUIRED_ROLES = []
    settings.IDLE_TIMEOUT_MINUTES = limit_seconds / 60
    settings.IDLE_WARNING_SECONDS = warning_seconds


def _server_session(visit: Visit) -> Any:
    """The browser's session as the server holds it (to read, or to age, its idle clock)."""
    key = next(c["value"] for c in visit.page.context.cookies() if c["name"] == django_settings.SESSION_COOKIE_NAME)
    return import_module(django_settings.SESSION_ENGINE).SessionStore(session_key=key)


def _last_activity(visit: Visit) -> float:
    return float(_server_session(visit)[LAST_ACTIVITY])


def _age_session(visit: Visit, seconds: float) -> float:
    store = _server_session(visit)
    store[LAST_ACTIVITY] = time.time() - seconds
    store.save()
    return float(store[LAST_ACTIVITY])


def _activity_after(visit: Visit, before: float) -> float:
    """The server's idle clock once it has moved past `before` (the keep-alive is sent after the event)."""
    deadline = time.time() + 5
    while _last_activity(visit) <= before and time.time() < deadline:
        visit.page.wait_for_timeout(200)
    return _last_activity(visit)


def test_typed_text_is_there_after_idle_sign_out_and_signing_in_again(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client
) -> None:
    _short_idle(settings, limit_seconds=16, warning_seconds=6)
    session = session_for(client_of_record, clinician, days_ago=0)
    page = visit.page
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/sessions/{session.pk}/")
    page.get_by_label("Subjective (required to sign)").click()
    page.keyboard.type(TYPED)  # no "Save draft": the clinician just types, then walks away
    page.get_by_text("Draft saved automatically at").wait_for()

    warning = page.get_by_role("alertdialog", name="Are you still there?")
    warning.wait_for(timeout=20_000)
    assert page.evaluate("document.activeElement.textContent") == "Stay signed in"
    visit.check()
    visit.shot("typed-1-idle-warning")

    page.wait_for_url("**/sign-in/?idle=1*", timeout=20_000)
    visit.check()
    assert page.get_by_text("You were signed out after").is_visible()
    page.get_by_label("Username").fill(clinician.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{visit.base_url}/sessions/{session.pk}/")
    visit.check()
    assert page.get_by_label("Subjective (required to sign)").input_value() == TYPED
    note = ProgressNote.objects.get(session=session)
    assert note.sections["subjective"] == TYPED and note.status == "draft"


def test_switching_the_note_format_keeps_the_typed_text(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    session = session_for(client_of_record, clinician, days_ago=0)
    page = visit.page
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/sessions/{session.pk}/?new=1")
    page.get_by_label("Subjective (required to sign)").fill(TYPED)
    page.get_by_label("Assessment (required to sign)").fill("Moderate depressive symptoms, improving slowly.")
    page.get_by_text("Draft saved automatically at").wait_for()
    assert page.evaluate("location.search") == ""  # a reload now opens this draft, not a blank note

    visit.choose_format("DAP")
    data = page.get_by_label("Data (required to sign)")
    data.wait_for()
    visit.check()
    visit.shot("typed-2-format-switched")
    assert data.input_value() == f"Subjective (from SOAP):\n{TYPED}"
    assert page.get_by_label("Assessment (required to sign)").input_value().startswith("Moderate depressive")
    assert "Text from Subjective is now in Data" in page.get_by_test_id("format-moved").inner_text()

    # Switch again straight after typing, before the autosave's pause is over: the new words go along too.
    data.press("Control+End")
    page.keyboard.type(" Tearful when describing work.")
    visit.choose_format("BIRP")
    behavior = page.get_by_label("Behavior (required to sign)")
    behavior.wait_for()
    assert "Tearful when describing work." in behavior.input_value() and TYPED in behavior.input_value()
    visit.check()

    note = ProgressNote.objects.get(session=session)
    assert note.format == "BIRP"
    assert TYPED in note.sections["behavior"] and "Tearful" in note.sections["behavior"]
    visit.goto(f"/sessions/{session.pk}/")
    assert "Tearful when describing work." in page.get_by_label("Behavior (required to sign)").input_value()


def test_typing_extends_the_idle_deadline_and_background_polling_does_not(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client
) -> None:
    _short_idle(settings, limit_seconds=60, warning_seconds=20)  # activity is written at most every 6 s
    session = session_for(client_of_record, clinician, days_ago=0)
    page = visit.page
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/sessions/{session.pk}/")

    aged = _age_session(visit, 20)
    polled = page.evaluate(
        """() => fetch('/today/refresh/', {headers: {'HX-Request': 'true', 'X-Confide-Background': '1'}})
                 .then(r => [r.status, r.headers.get('X-Confide-Idle-Remaining')])"""
    )
    assert polled[0] == 200 and 35 <= int(polled[1]) <= 40  # the poll learns the deadline, and leaves it alone
    assert _last_activity(visit) == aged

    page.get_by_label("Plan (required to sign)").click()
    page.keyboard.type("Behavioural activation; next session in one week.")
    page.get_by_text("Draft saved automatically at").wait_for()
    assert _last_activity(visit) > aged + 15

    # Typing outside the note editor counts too (the keep-alive), once the activity granularity has passed.
    visit.goto("/clients/")
    aged = _age_session(visit, 20)
    page.wait_for_timeout(6_500)
    page.get_by_label("Search clients").click()
    page.keyboard.type("Mor")
    assert _activity_after(visit, aged) > aged + 15


def test_stay_signed_in_from_the_keyboard(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client
) -> None:
    _short_idle(settings, limit_seconds=14, warning_seconds=6)
    session_for(client_of_record, clinician, days_ago=0)
    page = visit.page
    sign_in(visit, clinician.username, PASSWORD)
    started = time.time()
    warning = page.get_by_role("alertdialog", name="Are you still there?")
    warning.wait_for(timeout=15_000)
    assert "signed out in" in warning.inner_text()
    assert page.evaluate("document.activeElement.textContent") == "Stay signed in"
    page.keyboard.press("Enter")
    warning.wait_for(state="hidden")
    assert _activity_after(visit, started + 5) > started + 5
    page.wait_for_timeout(max(0, (started + 17 - time.time()) * 1000))  # past the first deadline
    assert page.url == f"{visit.base_url}/"
    assert page.get_by_role("button", name="Sign out").is_visible()

    # Escape closes the warning the same way: whoever pressed it is here.
    warning.wait_for(timeout=15_000)
    before = _last_activity(visit)
    page.keyboard.press("Escape")
    warning.wait_for(state="hidden")
    assert _activity_after(visit, before) > before


def test_leaving_with_unsaved_changes_asks_first(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    session = session_for(client_of_record, clinician, days_ago=0)
    page = visit.page
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/sessions/{session.pk}/")
    # Hold the autosave back so the text is still unsaved when the clinician clicks away.
    page.locator("#note-editor").evaluate("form => form.setAttribute('data-autosave-delay', '600000')")
    page.get_by_label("Plan (required to sign)").click()
    page.keyboard.type("Next session in one week.")

    asked: list[str] = []

    def stay(dialog: Any) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.get_by_role("link", name="Open the chart").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.url == f"{visit.base_url}/sessions/{session.pk}/"
    assert page.get_by_label("Plan (required to sign)").input_value() == "Next session in one week."

    # Leaving anyway still saves what was typed, on the way out.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="Open the chart").click()
    page.wait_for_url(f"{visit.base_url}/clients/{client_of_record.pk}/")
    deadline = time.time() + 5
    while not ProgressNote.objects.filter(session=session).exists() and time.time() < deadline:
        time.sleep(0.2)
    assert ProgressNote.objects.get(session=session).sections["plan"] == "Next session in one week."

    # Once saved, nothing asks.
    visit.goto(f"/sessions/{session.pk}/")
    page.once("dialog", lambda dialog: asked.append(dialog.type) or dialog.dismiss())
    page.get_by_role("link", name="Open the chart").click()
    page.wait_for_url(f"{visit.base_url}/clients/{client_of_record.pk}/")
    assert asked == ["beforeunload"]


def test_leaving_an_edited_draft_from_a_transcript_asks_first(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client
) -> None:
    from confide.clients.services import record_consent
    from tests.web.test_browser_drafting import TRANSCRIPT

    settings.MFA_REQUIRED_ROLES = []
    session = session_for(client_of_record, clinician)
    record_consent(actor=clinician, client=client_of_record, kind="session_transcription", signed_on=date(2026, 1, 2))
    page = visit.page
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/sessions/{session.pk}/draft/")
    page.get_by_label("Or paste the transcript, or type your jotted points").fill(TRANSCRIPT)
    page.get_by_role("button", name="Draft the note").click()
    page.get_by_role("heading", name="Drafted SOAP note").wait_for()
    subjective = page.get_by_label("Subjective", exact=True)
    subjective.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Attended on time.")

    asked: list[str] = []
    page.once("dialog", lambda dialog: asked.append(dialog.type) or dialog.dismiss())
    page.get_by_role("link", name="Discard and go back").click()
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert subjective.input_value().endswith("Attended on time.")
    page.get_by_role("button", name="Use this draft").click()  # using it is no loss: nothing asks
    page.wait_for_url(f"{visit.base_url}/sessions/{session.pk}/")
    assert asked == ["beforeunload"]
    assert "Attended on time." in ProgressNote.objects.get(session=session).sections["subjective"]
