"""In a real browser: long names at 390 px never push the page sideways, the biller's filters and pages work from
the keyboard and pass axe, the content hash opens from its toggle, and the favicon loads."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from confide.clients import services as clients
from confide.clients.models import Client
from confide.people.models import User
from tests.conftest import PASSWORD, session_for
from tests.web.browser import Visit, close, sign_in
from tests.web.notes_support import signed_note

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])

LONG_FIRST = "María-José Inmaculada Concepción de los Ángeles Guadalupe Esperanza del Carmen Villanueva"[:100]
LONG_LAST = "O\u2019Brien-Castellanos de la Santísima Trinidad y Villalobos-Montenegro Fitzgerald-Sánchez"[:100]


@pytest.fixture
def phone(chromium: Any, live_server: Any) -> Any:
    """A 390 px wide phone (an iPhone 12-15 in portrait)."""
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield Visit(page, live_server.url)
    close(context, live_server)


@pytest.fixture
def long_named(front_desk: User, clinician: User) -> Client:
    return clients.register_client(
        actor=front_desk,
        first_name=LONG_FIRST,
        last_name=LONG_LAST,
        date_of_birth=date(1987, 4, 23),
        primary_clinician_id=clinician.pk,
    )


def no_sideways_scroll(visit: Visit) -> None:
    width = visit.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{visit.page.url} is {width} px wide at 390 px"


def test_long_names_wrap_at_390_px(phone: Visit, settings: Any, clinician: User, long_named: Client) -> None:
    settings.MFA_REQUIRED_ROLES = []
    session = session_for(long_named, clinician)
    signed_note(session, clinician)
    sign_in(phone, clinician.username, PASSWORD)
    phone.goto(f"/clients/{long_named.pk}/")
    title = phone.page.get_by_role("heading", level=1)
    assert "Villalobos" in title.inner_text()  # the whole name, wrapped
    box = title.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    assert phone.page.locator(".avatar").inner_text() == "MF"
    no_sideways_scroll(phone)
    phone.shot("90-long-name-chart-390")
    phone.goto("/clients/?q=obrien")
    assert phone.page.get_by_role("link", name=f"{LONG_LAST}, {LONG_FIRST}").is_visible()
    no_sideways_scroll(phone)
    phone.shot("91-long-name-clients-390")
    phone.goto(f"/sessions/{session.pk}/")
    hash_box = phone.page.get_by_test_id("content-hash")
    assert not hash_box.is_visible()
    phone.page.get_by_text("Show the SHA-256").click()
    assert len(hash_box.inner_text()) == 64
    no_sideways_scroll(phone)
    phone.check()


def test_the_biller_filters_pages_and_exports(
    visit: Visit, settings: Any, biller: User, clinician: User, colleague: User, client_of_record: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    for n in range(55):
        session = session_for(client_of_record, clinician, days_ago=n + 1)
        if n < 2:
            signed_note(session, clinician)
    sign_in(visit, biller.username, PASSWORD)
    page = visit.page
    assert page.get_by_test_id("total-sessions").inner_text() == "55"
    page.get_by_label("Clinician").select_option(label=clinician.display_name)
    page.get_by_label("Status").select_option("unsigned")
    page.get_by_role("button", name="Show sessions").press("Enter")  # submit from the keyboard
    page.wait_for_url("**/billing/?*state=unsigned*")
    visit.check()
    assert page.get_by_test_id("total-sessions").inner_text() == "53"
    visit.shot("92-billing-filtered")
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url("**page=2*")
    visit.check()
    assert "state=unsigned" in page.url and f"clinician={clinician.pk}" in page.url
    assert page.locator("td.person-name").count() == 3
    with page.expect_download() as download:
        page.get_by_role("link", name="Export these 53 rows as CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.count("Note not signed") == 53 and "Billable" not in text
    page.get_by_label("From (MM/DD/YYYY)").fill("2999-01-01")
    page.get_by_label("To (MM/DD/YYYY)").fill("2001-01-01")
    page.get_by_role("button", name="Show sessions").click()
    page.wait_for_load_state("load")
    visit.check()
    assert page.get_by_text("The end of the range is before its start").is_visible()


def test_the_favicon_loads(visit: Visit) -> None:
    response = visit.page.goto(visit.base_url + "/favicon.ico")
    assert response is not None and response.ok
    assert response.url.endswith("/static/web/favicon.svg")
    assert response.headers["content-type"].startswith("image/svg+xml")
