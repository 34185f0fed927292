"""In a real browser: a clinician records a PHQ-9 and sees its trend; the front desk makes a link; the client answers
on a phone-sized screen without an account. Every page passes axe and the strict Content-Security-Policy."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from confide.clients.models import Client
from confide.measures import services
from confide.measures.models import Measure
from confide.people.models import User
from tests.conftest import PASSWORD
from tests.web.browser import Visit, sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


def test_a_clinician_records_a_phq9_and_the_client_answers_a_gad7_by_link(
    visit: Visit, settings: Any, clinician: User, front_desk: User, client_of_record: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    page = visit.page
    services.record_measure(
        actor=clinician,
        client=client_of_record,
        instrument="PHQ-9",
        answers=[2, 2, 2, 2, 2, 2, 2, 2, 0],
        administered_on=timezone.localdate() - timedelta(days=28),
    )
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/clients/{client_of_record.pk}/")
    page.get_by_role("link", name="Measures").click()
    page.get_by_role("heading", name="Record a PHQ-9").wait_for()
    visit.check()
    for n, answer in enumerate(["Several days"] * 8 + ["Several days"], 1):
        page.get_by_role("group", name=f"{n}.").get_by_label(answer).check()
    page.get_by_role("button", name="Record PHQ-9").click()
    page.get_by_text("PHQ-9 recorded: 9, mild.").wait_for()
    visit.check()
    assert page.get_by_text("PHQ-9 16 → 9 since baseline, a reliable improvement").is_visible()
    assert page.get_by_role("img", name="PHQ-9 scores over time, 0 to 27").is_visible()
    assert page.get_by_role("alert").filter(has_text="Item 9").is_visible()
    visit.shot("measures-01-trend-and-alert")

    page.get_by_label("Instrument").select_option("GAD-7")
    page.get_by_role("button", name="Make a link").click()
    page.get_by_role("heading", name="Give this link to Alex").wait_for()
    visit.check()
    link = page.locator("code.link").inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(link)
    page.get_by_role("heading", name="Generalized Anxiety Disorder").wait_for()
    visit.check()
    visit.shot("measures-02-client-page-phone")
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("Please answer every question.").wait_for()
    visit.check()
    for n in range(1, 8):
        page.get_by_role("group", name=f"{n}.").get_by_label("Not at all").check()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    visit.check()
    assert Measure.objects.filter(instrument="GAD-7", request__isnull=False).count() == 1
    page.goto(link)
    page.get_by_role("heading", name="This link does not work any more").wait_for()
