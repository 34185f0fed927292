"""In a real browser: the calendar's week, day and month pass axe and the strict CSP, are used by keyboard alone
(the skip link, the view links, a session, the move form), swap weeks with htmx, and fit a 390-pixel phone."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from confide.clients.models import Client
from confide.people.models import User
from confide.sessions import services
from confide.sessions.models import Status, TherapySession
from tests.conftest import PASSWORD
from tests.web.browser import Visit, close, sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


def _book(clinician: User, client: Client, starts: datetime, **extra: Any) -> TherapySession:
    return services.schedule_session(
        actor=clinician,
        client=client,
        clinician_id=clinician.pk,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=50),
        service="individual",
        setting="in_person",
        status=Status.SCHEDULED,
        **extra,
    )


@pytest.fixture
def week(clinician: User, client_of_record: Client) -> TherapySession:
    other = Client.objects.create(
        first_name="Sky", last_name="Ortiz", date_of_birth=datetime(1992, 3, 3).date(), primary_clinician=clinician
    )
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    first = _book(clinician, client_of_record, noon)
    _book(clinician, other, noon + timedelta(minutes=30), confirm_overlap=True)
    cancelled = _book(clinician, other, noon + timedelta(hours=5))
    services.cancel_session(actor=clinician, session=cancelled, reason="Client ill")
    return first


def _tab_to(visit: Visit, name: str, limit: int = 80, *, exact: bool = False) -> None:
    """Press Tab until the focused element's text contains `name` (is `name`, with `exact`)."""
    page = visit.page
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "() => { const e = document.activeElement; return e && e !== document.body ? e.textContent : ''; }"
        )
        if (text.strip() == name) if exact else (name in text):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_the_week_by_keyboard_and_axe(visit: Visit, settings: Any, clinician: User, week: TherapySession) -> None:
    settings.MFA_REQUIRED_ROLES = []
    page = visit.page
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto("/calendar/")
    assert page.get_by_role("heading", level=2, name="Week of").count() == 1
    assert page.get_by_text("Double-booked", exact=False).count() >= 2
    visit.shot("calendar-01-week")

    page.get_by_text("Key to the calendar").click()  # the key opens, and stays axe-clean
    visit.check()

    _tab_to(visit, "Next week")
    page.keyboard.press("Enter")  # htmx swaps the calendar and pushes the address
    page.wait_for_function("() => location.search.includes('day=')")  # the address follows the swap
    page.get_by_role("heading", level=2, name="Week of").wait_for()
    assert page.get_by_text("Alex Morgan").count() == 0  # next week is empty
    visit.check()
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == "cal-title", "after the swap, focus moves to the new week's heading"
    _tab_to(visit, "Previous week")
    page.keyboard.press("Enter")
    page.get_by_text("Alex Morgan").first.wait_for()

    _tab_to(visit, "Day", exact=True)
    page.keyboard.press("Enter")
    page.wait_for_url("**view=day**")
    visit.check()
    visit.shot("calendar-02-day")

    _tab_to(visit, "Alex Morgan")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/calendar/sessions/{week.pk}/")
    visit.check()
    assert page.get_by_text("Double-booked.").count() == 1
    page.get_by_label("New start time").fill("15:00")
    page.get_by_label("New end time").fill("15:50")
    page.get_by_label("New start time").focus()
    page.keyboard.press("Enter")  # submits the move form
    page.get_by_text("Session moved.").wait_for()
    visit.check()
    week.refresh_from_db()
    assert timezone.localtime(week.starts_at).hour == 15

    visit.goto("/calendar/?view=month")
    visit.shot("calendar-03-month")
    visit.goto("/calendar/new/")
    visit.goto("/calendar/feed/")
    page.get_by_role("button", name="Turn the feed on").click()
    page.get_by_label("Address to subscribe to").wait_for()
    visit.check()


def test_a_phone_sized_week(
    chromium: Any, live_server: Any, settings: Any, front_desk: User, week: TherapySession
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        visit = Visit(page, live_server.url)
        sign_in(visit, front_desk.username, PASSWORD)
        for view in ("week", "day", "month"):
            visit.goto(f"/calendar/?view={view}")
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{view}: the page is {overflow}px wider than a phone"
            visit.shot(f"calendar-phone-{view}")
        assert page.get_by_text("Reason: Client ill").count() == 0  # the month is compact
        visit.goto("/calendar/?view=week")
        assert page.get_by_text("Reason: Client ill").is_visible()
    finally:
        close(context, live_server)
