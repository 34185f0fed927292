"""Measures on the web: record one on the measures page (trend drawn as SVG, change since baseline), the risk alert
on the chart, the day view and the note editor, signing held until the alert is acknowledged, what billers see,
and the client's one-time link page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from confide.clients.models import Client
from confide.measures import services
from confide.measures.models import Measure
from confide.notes.models import NoteStatus, ProgressNote
from confide.people.models import User
from tests.conftest import session_for
from tests.web.notes_support import draft_note

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

Web = Callable[[User], HttpClient]
SOAP = {
    "format": "SOAP",
    "section-subjective": "Feels flat.",
    "section-objective": "Affect constricted.",
    "section-assessment": "Moderate symptoms.",
    "section-plan": "Weekly sessions.",
    "risk-suicidal_ideation-level": "low",
}


def phq9(answers: list[int], days_ago: int = 0) -> dict[str, str]:
    day = (timezone.localdate() - timedelta(days=days_ago)).isoformat()
    return {"instrument": "PHQ-9", "administered_on": day} | {f"item-{n}": str(a) for n, a in enumerate(answers, 1)}


def test_recording_a_phq9_draws_its_trend_and_raises_the_alert_everywhere(
    web_as: Web, clinician: User, client_of_record: Client
) -> None:
    http = web_as(clinician)
    c = client_of_record.pk
    page = http.get(f"/clients/{c}/measures/")
    assert page.status_code == 200 and b"No measures yet" in page.content
    made = http.post(f"/clients/{c}/measures/record/", phq9([3, 3, 2, 2, 2, 2, 2, 1, 0], days_ago=28))
    assert made.status_code == 302
    made = http.post(f"/clients/{c}/measures/record/", phq9([1, 1, 1, 1, 1, 1, 1, 1, 1]))
    assert made.status_code == 302
    page = http.get(f"/clients/{c}/measures/").content.decode()
    assert "<svg" in page and 'aria-label="PHQ-9 scores over time, 0 to 27"' in page
    assert "PHQ-9 17 → 9 since baseline, a reliable improvement" in page
    assert "Item 9" in page and "Risk alert" in page
    assert "Risk alert" in http.get(f"/clients/{c}/").content.decode()
    day = http.get("/").content.decode()
    assert 'id="alerts-title"' in day and f'href="/clients/{c}/measures/"' in day


def test_an_incomplete_form_keeps_the_answers_and_says_what_is_missing(
    web_as: Web, clinician: User, client_of_record: Client
) -> None:
    http = web_as(clinician)
    form = phq9([1, 1, 1, 1, 1, 1, 1, 1, 1])
    del form["item-4"]
    refused = http.post(f"/clients/{client_of_record.pk}/measures/record/", form)
    assert refused.status_code == 422 and b"Choose an answer for this question." in refused.content
    assert b'value="1" name="item-3"' in refused.content or b'name="item-3" value="1"' in refused.content
    future = http.post(f"/clients/{client_of_record.pk}/measures/record/", phq9([0] * 9, days_ago=-3))
    assert future.status_code == 422 and b"cannot be given in the future" in future.content
    assert Measure.objects.count() == 0


def test_the_note_editor_holds_signing_until_the_alert_is_acknowledged(
    web_as: Web, clinician: User, client_of_record: Client
) -> None:
    http = web_as(clinician)
    note = draft_note(session_for(client_of_record, clinician), clinician)
    measure = services.record_measure(
        actor=clinician,
        client=client_of_record,
        instrument="PHQ-9",
        answers=[1] * 9,
        administered_on=timezone.localdate(),
    )
    editor = http.get(f"/sessions/{note.session_id}/").content.decode()
    assert f'name="risk-acknowledged" value="{measure.pk}"' in editor
    assert "PHQ-9 9 (mild) at baseline" in editor
    http.post(f"/notes/{note.pk}/", {**SOAP, "action": "sign"})
    held = http.post(f"/notes/{note.pk}/sign/", {"attest": "on"}, follow=True)
    assert b"acknowledge it in the risk assessment" in held.content
    assert ProgressNote.objects.get(pk=note.pk).status == NoteStatus.DRAFT
    http.post(f"/notes/{note.pk}/", {**SOAP, "risk-acknowledged": str(measure.pk), "action": "sign"})
    signed = http.post(f"/notes/{note.pk}/sign/", {"attest": "on"})
    assert signed.status_code == 302
    assert Measure.objects.get(pk=measure.pk).acknowledged_by_id == note.pk
    assert "Risk alert" not in http.get(f"/clients/{client_of_record.pk}/").content.decode()


def test_billers_see_dates_and_codes_and_the_front_desk_makes_links(
    web_as: Web, clinician: User, biller: User, front_desk: User, client_of_record: Client
) -> None:
    services.record_measure(
        actor=clinician,
        client=client_of_record,
        instrument="GAD-7",
        answers=[3] * 7,
        administered_on=timezone.localdate(),
    )
    page = web_as(biller).get(f"/clients/{client_of_record.pk}/measures/").content.decode()
    assert "96127" in page and "<svg" not in page and "severe" not in page and "Record a" not in page
    desk = web_as(front_desk)
    assert desk.get(f"/clients/{client_of_record.pk}/measures/").status_code == 403
    made = desk.post(f"/clients/{client_of_record.pk}/measures/link/", {"instrument": "PHQ-9"})
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    body = made.content.decode()
    link = body.split('<code class="link">', 1)[1].split("</code>", 1)[0]
    assert "/m/" in link and "<svg" in body  # the QR code
    tablet = HttpClient().get("/" + link.split("/", 3)[3])
    assert tablet.status_code == 200 and b"Over the last 2 weeks" in tablet.content
