"""The biller's page: filters, totals, states, pages that keep the filters, and the audited CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.people.models import User
from confide.plans.services import add_diagnosis
from confide.sessions.models import TherapySession
from confide.web import queries
from confide.web.small_views import csv_cell
from tests.conftest import session_for
from tests.web.notes_support import draft_note, signed_note

NARRATIVE_MARK = "NARRATIVE-billing-7c1f"


@pytest.fixture
def week(
    clinician: User, supervisee: User, front_desk: User, client_of_record: Client, supervisee_client: Client
) -> dict[str, TherapySession]:
    """Five sessions, one of each state: billable, awaiting co-signature, note not signed, no note, no-show."""
    from confide.notes import services as notes
    from confide.sessions.services import update_session

    billable = session_for(client_of_record, clinician, days_ago=1)
    signed_note(billable, clinician)
    awaiting = session_for(supervisee_client, supervisee, days_ago=2)
    note = notes.start_note(
        actor=supervisee,
        session=awaiting,
        format="SOAP",
        sections={"subjective": NARRATIVE_MARK, "objective": "o", "assessment": "a", "plan": "p"},
        risk={"suicidal_ideation": {"level": "none"}, "homicidal_ideation": {"level": "none"}},
    )
    notes.sign_note(actor=supervisee, note=note)
    drafted = session_for(client_of_record, clinician, days_ago=3)
    draft_note(drafted, clinician)
    undocumented = session_for(client_of_record, clinician, days_ago=4)
    missed = session_for(client_of_record, clinician, days_ago=5)
    update_session(actor=front_desk, session=missed, status="no_show")
    return {
        "billable": billable,
        "awaiting_cosign": awaiting,
        "drafted": drafted,
        "undocumented": undocumented,
        "no_show": missed,
    }


def test_each_session_has_its_billing_state(biller: User, week: dict[str, TherapySession]) -> None:
    states = {s.pk: s.billing_state for s in queries.billing_sessions(biller)}
    assert states == {
        week["billable"].pk: "billable",
        week["awaiting_cosign"].pk: "awaiting_cosign",
        week["drafted"].pk: "unsigned",
        week["undocumented"].pk: "unsigned",
        week["no_show"].pk: "no_show",
    }


def test_awaiting_cosignature_is_not_note_not_signed_on_the_page(
    web_as: Any, biller: User, week: dict[str, TherapySession]
) -> None:
    page = web_as(biller).get("/billing/").content.decode()
    assert page.count('badge-awaiting_cosign">Awaiting co-signature') == 1
    assert page.count('badge-draft">Note not signed') == 2
    assert page.count('badge-signed">Billable') == 1
    assert NARRATIVE_MARK not in page


def test_filters_by_state_clinician_and_dates(biller: User, supervisee: User, week: dict[str, TherapySession]) -> None:
    def pks(**chosen: Any) -> set[int]:
        return {s.pk for s in queries.billing_sessions(biller, queries.BillingFilters(**chosen))}

    assert pks(state="awaiting_cosign") == {week["awaiting_cosign"].pk}
    assert pks(state="unsigned") == {week["drafted"].pk, week["undocumented"].pk}
    assert pks(clinician_id=supervisee.pk) == {week["awaiting_cosign"].pk}
    day = timezone.localdate(week["drafted"].starts_at)
    assert pks(start=day, end=day) == {week["drafted"].pk}
    assert pks(start=day + timedelta(days=1)) == {week["billable"].pk, week["awaiting_cosign"].pk}
    assert pks(end=day - timedelta(days=1)) == {week["undocumented"].pk, week["no_show"].pk}


def test_the_page_filters_from_its_query_string_and_totals_the_filtered_rows(
    web_as: Any, biller: User, clinician: User, week: dict[str, TherapySession]
) -> None:
    http = web_as(biller)
    everything = http.get("/billing/").content.decode()
    assert 'data-testid="total-sessions">5<' in everything
    assert 'data-testid="total-unsigned">2<' in everything
    assert 'data-testid="total-awaiting_cosign">1<' in everything
    assert 'data-testid="code-90837">' in everything  # a 53-minute individual session
    mine = http.get("/billing/", {"clinician": clinician.pk, "state": "unsigned"}).content.decode()
    assert 'data-testid="total-sessions">2<' in mine
    assert 'awaiting_cosign">' not in mine.split("Totals", 1)[1].split("</section>", 1)[0]


def test_totals_count_codes_per_session(biller: User, week: dict[str, TherapySession]) -> None:
    totals = queries.billing_totals(queries.billing_sessions(biller))
    assert totals.sessions == 5
    assert dict(totals.by_code) == {"90837": 4}  # the no-show carries no codes
    assert [key for key, _label, _n in totals.by_state] == ["billable", "awaiting_cosign", "unsigned", "no_show"]


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-13-01"},
        {"start": "not a date"},
        {"clinician": "999999"},
        {"clinician": "x"},
        {"state": "paid"},
        {"start": "2026-05-02", "end": "2026-05-01"},
        {"start": "9999-12-31"},
    ],
)
def test_bad_filters_are_a_400_with_the_reason_on_the_page(web_as: Any, biller: User, query: dict[str, str]) -> None:
    http = web_as(biller)
    response = http.get("/billing/", query)
    assert response.status_code == 400
    assert 'class="errorlist"' in response.content.decode()
    export = http.get("/billing/export.csv", query)
    assert export.status_code == 400
    assert export.content.decode().startswith("These filters cannot be used:")


def test_dates_in_the_practice_style_are_accepted(web_as: Any, biller: User, week: dict[str, TherapySession]) -> None:
    day = timezone.localdate(week["drafted"].starts_at)
    response = web_as(biller).get("/billing/", {"start": day.strftime("%m/%d/%Y"), "end": day.isoformat()})
    assert response.status_code == 200
    assert 'data-testid="total-sessions">1<' in response.content.decode()


def test_pages_keep_the_filters(
    web_as: Any, biller: User, clinician: User, client_of_record: Client, settings: Any
) -> None:
    for n in range(queries.BILLING_PAGE_SIZE + 3):
        session_for(client_of_record, clinician, days_ago=n + 1)
    http = web_as(biller)
    first = http.get("/billing/", {"clinician": clinician.pk, "state": "unsigned"}).content.decode()
    assert f'href="?clinician={clinician.pk}&amp;state=unsigned&amp;page=2" rel="next"' in first
    second = http.get("/billing/", {"clinician": clinician.pk, "state": "unsigned", "page": 2}).content.decode()
    assert second.count('class="person-name"') == 3  # 53 rows, 50 a page
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert f'href="/billing/export.csv?clinician={clinician.pk}&amp;state=unsigned"' in second
    assert http.get("/billing/", {"page": "999"}).status_code == 200  # past the end: the last page
    assert http.get("/billing/", {"page": "x"}).status_code == 200  # not a number: the first page


def test_listing_is_audited_with_the_filters(web_as: Any, biller: User, week: dict[str, TherapySession]) -> None:
    web_as(biller).get("/billing/", {"state": "billable", "start": "2026-01-01"})
    entry = AuditEntry.objects.filter(action="confide.billing.listed").latest("pk")
    assert entry.actor_id == biller.pk
    assert entry.detail == {"rows": 1, "page": 1, "filters": {"state": "billable", "from": "2026-01-01"}}


def _rows(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_export_holds_the_filtered_rows_and_is_audited(
    web_as: Any, biller: User, clinician: User, client_of_record: Client, week: dict[str, TherapySession]
) -> None:
    add_diagnosis(actor=clinician, client=client_of_record, code="F33.1", diagnosed_on=date(2020, 1, 5))
    response = web_as(biller).get("/billing/export.csv", {"clinician": clinician.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="billing-')
    header, *rows = _rows(response)
    assert header[0] == "Date" and header[-1] == "Status"
    assert len(rows) == 4  # the supervisee's session is someone else's
    billable = next(r for r in rows if r[-1] == "Billable")
    starts = timezone.localtime(week["billable"].starts_at)
    assert billable[0] == starts.strftime("%m/%d/%Y")
    assert billable[3] == "Alex Morgan" and billable[7] == "90837" and billable[11] == "F33.1"
    assert NARRATIVE_MARK not in response.content.decode()
    entry = AuditEntry.objects.filter(action="confide.billing.exported").latest("pk")
    assert entry.actor_id == biller.pk
    assert entry.detail == {"rows": 4, "filters": {"clinician_id": clinician.pk}}


def test_the_export_quotes_and_defuses_formulas(web_as: Any, biller: User, clinician: User, front_desk: User) -> None:
    from confide.clients import services as clients

    tricky = clients.register_client(
        actor=front_desk,
        first_name='=HYPERLINK("http://x.example","click"),"',
        last_name="Smith, Jr.\nline two",
        date_of_birth=date(1980, 1, 1),
        primary_clinician_id=clinician.pk,
    )
    session_for(tricky, clinician)
    _header, row = _rows(web_as(biller).get("/billing/export.csv"))
    assert row[3].startswith("'=HYPERLINK(")  # shown as text, never run
    assert row[3].endswith("Smith, Jr.\nline two")  # commas, quotes and newlines survive the round trip
    assert row[4] == str(tricky.pk)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=1", "a=1"),
        ("", ""),
        (None, ""),
        (53, "53"),
    ],
)
def test_csv_cell(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_the_diagnoses_are_those_of_the_date_of_service(
    biller: User, clinician: User, client_of_record: Client
) -> None:
    from confide.plans.models import Diagnosis

    session = session_for(client_of_record, clinician, days_ago=10)
    day = timezone.localdate(session.starts_at)
    add_diagnosis(actor=clinician, client=client_of_record, code="F41.1", diagnosed_on=day - timedelta(days=30))
    add_diagnosis(actor=clinician, client=client_of_record, code="F32.1", diagnosed_on=day + timedelta(days=1))
    resolved = add_diagnosis(actor=clinician, client=client_of_record, code="F43.10", diagnosed_on=date(2020, 1, 1))
    Diagnosis.objects.filter(pk=resolved.pk).update(resolved_on=day - timedelta(days=1))
    found = queries.billing_page(biller, queries.BillingFilters(), 1).page.object_list[0]
    assert [d.code for d in found.day_diagnoses] == ["F41.1"]


@pytest.mark.parametrize("who", ["clinician", "front_desk", "admin"])
def test_only_the_biller_exports(web_as: Any, who: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(who)
    assert web_as(user).get("/billing/export.csv").status_code == 403
    assert not AuditEntry.objects.filter(action="confide.billing.exported").exists()
