"""Progress summaries on the web: set the schedule, see it due on the day view, draft one, review each section beside
the sentences and evidence it came from, edit, sign; what other roles get."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from confide.clients.models import Client
from confide.measures import services as measures
from confide.people.models import User
from confide.summaries import services as summaries
from confide.summaries.models import Summary
from tests.conftest import session_for
from tests.web.notes_support import signed_note

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

Web = Callable[[User], HttpClient]


def test_schedule_due_draft_review_edit_and_sign(web_as: Web, clinician: User, client_of_record: Client) -> None:
    client_of_record.admitted_on = date(2025, 1, 1)
    client_of_record.save()
    http = web_as(clinician)
    c = client_of_record.pk
    assert http.post(f"/clients/{c}/summaries/schedule/", {"summary_schedule": "monthly"}).status_code == 302
    start, end = summaries.period_before("monthly", timezone.localdate())
    day = http.get("/").content.decode()
    assert 'id="summaries-due-title"' in day and f'href="/clients/{c}/summaries/"' in day
    note = signed_note(
        session_for(client_of_record, clinician, days_ago=(timezone.localdate() - start).days), clinician
    )
    measures.record_measure(
        actor=clinician, client=client_of_record, instrument="GAD-7", answers=[1] * 7, administered_on=start
    )
    page = http.get(f"/clients/{c}/summaries/").content.decode()
    assert f'value="{start.isoformat()}"' in page  # the due period is offered
    made = http.post(f"/clients/{c}/summaries/new/", {"period_start": start.isoformat(), "period_end": end.isoformat()})
    assert made.status_code == 302
    summary = Summary.objects.get()
    review = http.get(f"/summaries/{summary.pk}/").content.decode()
    assert "Attendance and services" in review and "Of 1 session" in review
    assert f'href="/sessions/{note.session_id}/"' in review  # evidence links to the note's session
    assert 'aria-label="GAD-7 scores over time, 0 to 21"' in review  # the period trend, drawn
    saved = http.post(f"/summaries/{summary.pk}/", {"section-plan": "Continue weekly sessions.", "action": "save"})
    assert saved.status_code == 302
    assert Summary.objects.get().sections["plan"] == "Continue weekly sessions."
    signed = http.post(f"/summaries/{summary.pk}/", {"section-plan": "Continue weekly sessions.", "action": "sign"})
    assert signed.status_code == 302
    assert Summary.objects.get().status == "signed"
    locked = http.get(f"/summaries/{summary.pk}/").content.decode()
    assert 'name="section-plan"' not in locked and "Content hash" in locked
    added = http.post(f"/summaries/{summary.pk}/", {"addendum": "One more session on the 30th.", "action": "addendum"})
    assert added.status_code == 302
    assert "One more session on the 30th." in http.get(f"/summaries/{summary.pk}/").content.decode()
    refused = http.post(f"/summaries/{summary.pk}/", {"section-plan": "changed", "action": "save"})
    assert refused.status_code == 409 and b"locked" in refused.content
    assert 'id="summaries-due-title"' not in http.get("/").content.decode()


def test_bad_spans_and_text_are_refused_beside_the_form(web_as: Web, clinician: User, client_of_record: Client) -> None:
    http = web_as(clinician)
    c = client_of_record.pk
    backwards = http.post(f"/clients/{c}/summaries/new/", {"period_start": "2026-05-01", "period_end": "2026-04-01"})
    assert backwards.status_code == 422 and b"ends before it starts" in backwards.content
    empty = http.post(f"/clients/{c}/summaries/new/", {})
    assert empty.status_code == 422
    made = summaries.create_summary(
        actor=clinician, client=client_of_record, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31)
    )
    nul = http.post(f"/summaries/{made.pk}/", {"section-plan": "a\x00b", "action": "save"})
    assert nul.status_code == 422


def test_other_roles(
    web_as: Web, clinician: User, biller: User, front_desk: User, outsider: User, client_of_record: Client
) -> None:
    made = summaries.create_summary(
        actor=clinician, client=client_of_record, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31)
    )
    assert web_as(biller).get(f"/summaries/{made.pk}/").status_code == 403
    assert web_as(outsider).get(f"/summaries/{made.pk}/").status_code == 404
    desk = web_as(front_desk)
    assert desk.get(f"/clients/{client_of_record.pk}/summaries/").status_code == 403
    assert (
        desk.post(f"/clients/{client_of_record.pk}/summaries/schedule/", {"summary_schedule": "quarterly"}).status_code
        == 302
    )
    assert Client.objects.get(pk=client_of_record.pk).summary_schedule == "quarterly"
