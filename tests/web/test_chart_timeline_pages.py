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


def _links(html: str) -> list[str]:
    return [part.split('"', 1)[0] for part in html.split('class="when" href="')[1:]]


def test_sessions_starting_at_the_same_minute_are_each_shown_once(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    sessions = [session_for(client_of_record, clinician, days_ago=week) for week in range(TIMELINE_LIMIT + 3)]
    twin = session_for(client_of_record, clinician, days_ago=TIMELINE_LIMIT - 1)  # same start as the 20th
    assert twin.starts_at == sessions[TIMELINE_LIMIT - 1].starts_at
    http = web_as(clinician)
    seen: list[str] = []
    html = http.get(f"/clients/{client_of_record.pk}/").content.decode()
    for _ in range(5):
        seen += _links(html)
        if 'hx-get="' not in html:
            break
        link = html.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
        html = http.get(f"/clients/{client_of_record.pk}/{link}", headers={"HX-Request": "true"}).content.decode()
    assert sorted(seen) == sorted(f"/sessions/{s.pk}/" for s in [*sessions, twin])  # every one, none twice


def test_following_the_earlier_link_without_htmx_shows_the_whole_chart(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    from datetime import date

    from confide.plans.services import add_diagnosis, revise_plan

    add_diagnosis(
        actor=clinician, client=client_of_record, code="F41.1", diagnosed_on=date(2026, 1, 5), is_primary=True
    )
    revise_plan(
        actor=clinician,
        client=client_of_record,
        problems=[{"description": "Worry most days", "goals": []}],
        review_on=date(2027, 1, 1),
    )
    sessions = [session_for(client_of_record, clinician, days_ago=7 * week) for week in range(TIMELINE_LIMIT + 2)]
    http = web_as(clinician)
    first = http.get(f"/clients/{client_of_record.pk}/").content.decode()
    link = first.split('href="?before=', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    page = http.get(f"/clients/{client_of_record.pk}/?before={link}").content.decode()  # a new tab, no JS
    assert "<html" in page
    assert f"/sessions/{sessions[-1].pk}/" in page and f"/sessions/{sessions[0].pk}/" not in page
    assert "F41.1" in page and "Worry most days" in page  # the rest of the chart is still there
    assert "No treatment plan yet" not in page and "No diagnoses recorded" not in page


def test_timeline_times_read_as_the_date_filter_prints_them() -> None:
    from datetime import UTC, datetime, timedelta

    from django.utils import dateformat, timezone

    from confide.web.timeline import _when

    moment = datetime(2026, 1, 1, 0, 7, tzinfo=UTC)
    for step in range(0, 366 * 24, 7):  # every weekday, month and hour of a year, across the DST changes
        at = moment + timedelta(hours=step)
        assert _when(at) == dateformat.format(timezone.localtime(at), "D m/d/Y g:i A")  # the default DATE_STYLE
