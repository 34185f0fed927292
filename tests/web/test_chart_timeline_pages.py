"""The chart's timeline shows the most recent sessions and pages back on request; bad paging input is harmless."""

from __future__ import annotations

from typing import Any

from confide.clients.models import Client
from confide.people.models import User
from confide.web.timeline import TIMELINE_LIMIT
from tests.conftest import session_for
from tests.web.notes_support import signed_note


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


def _row_of(html: str, session_pk: int) -> str:
    """The timeline item of one session: from its link to the end of its list item."""
    start = html.index(f'href="/sessions/{session_pk}/"')
    return html[start : html.index("\n</li>\n", start)]


def test_each_role_sees_its_part_of_a_timeline_row(
    web_as: Any, clinician: User, biller: User, front_desk: User, client_of_record: Client
) -> None:
    clinician.full_name = "Maria <b>Rivera</b>"
    clinician.save()
    signed = session_for(client_of_record, clinician, minutes=53, days_ago=7)
    signed_note(signed, clinician)
    undocumented = session_for(client_of_record, clinician, minutes=40, days_ago=1)

    as_clinician = web_as(clinician).get(f"/clients/{client_of_record.pk}/").content.decode()
    row = _row_of(as_clinician, signed.pk)
    assert "53 min · Individual psychotherapy · In person" in row
    assert "Maria &lt;b&gt;Rivera&lt;/b&gt;, LCSW" in row and "<b>Rivera" not in row  # names are escaped
    assert "CPT 90837 · billable" in row
    assert 'badge badge-signed">Signed</span>' in row and "progress note by Maria" in row
    assert f'href="/sessions/{signed.pk}/attendance/"' in row
    row = _row_of(as_clinician, undocumented.pk)
    assert "CPT 90834" in row and "billable" not in row and "No progress note yet." in row

    as_biller = _row_of(web_as(biller).get(f"/clients/{client_of_record.pk}/").content.decode(), signed.pk)
    assert "CPT 90837 · billable" in as_biller
    assert "progress note" not in as_biller and "attendance" not in as_biller  # codes and dates, no narrative

    as_desk = _row_of(web_as(front_desk).get(f"/clients/{client_of_record.pk}/").content.decode(), signed.pk)
    assert "CPT" not in as_desk and "progress note" not in as_desk
    assert f'href="/sessions/{signed.pk}/attendance/"' in as_desk
