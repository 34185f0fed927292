"""The chart's timeline shows the most recent sessions and pages back on request; bad paging input is harmless."""

from __future__ import annotations

from typing import Any

from confide.clients.models import Client
from confide.people.models import User
from confide.web.queries import TIMELINE_LIMIT
from tests.conftest import session_for


def test_timeline_pages_back_to_the_first_session(web_as: Any, clinician: User, client_of_record: Client) -> None:
    sessions = [session_for(client_of_record, clinician, days_ago=7 * week) for week in range(TIMELINE_LIMIT + 5)]
    http = web_as(clinician)
    first_page = http.get(f"/clients/{client_of_record.pk}/").content.decode()
    assert f"/sessions/{sessions[0].pk}/" in first_page
    assert f"/sessions/{sessions[-1].pk}/" not in first_page
    assert "Show earlier sessions" in first_page
    link = first_page.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    older = http.get(f"/clients/{client_of_record.pk}/{link}", headers={"HX-Request": "true"})
    assert older.status_code == 200
    html = older.content.decode()
    assert "<html" not in html  # htmx gets the partial
    assert f"/sessions/{sessions[-1].pk}/" in html
    assert f"/sessions/{sessions[0].pk}/" not in html
    assert "Show earlier sessions" not in html  # that was the last page


def test_garbage_paging_shows_the_newest_page(web_as: Any, clinician: User, client_of_record: Client) -> None:
    http = web_as(clinician)
    for before in ("2026-13-45T99:00:00+00:00", "yesterday", "2026-01-01T00:00:00", "x" * 500):
        assert http.get(f"/clients/{client_of_record.pk}/", {"before": before}).status_code == 200
