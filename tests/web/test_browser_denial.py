"""In a real browser: a clinician outside the caseload gets the 404 page for a chart; break-the-glass opens it."""

from __future__ import annotations

from typing import Any

import pytest

from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.people.models import User
from tests.conftest import PASSWORD
from tests.web.browser import Visit, sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


def test_outsider_sees_not_found_then_breaks_the_glass(
    visit: Visit, settings: Any, outsider: User, client_of_record: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    page = visit.page
    sign_in(visit, outsider.username, PASSWORD)
    response = visit.goto(f"/clients/{client_of_record.pk}/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Not found").is_visible()
    assert page.get_by_text("Alex").count() == 0
    visit.shot("40-denied")

    visit.goto("/clients/")
    page.get_by_role("searchbox", name="Search clients by name").fill("Morgan")  # htmx swaps the results in
    outside = page.get_by_role("region", name="Outside your caseload")
    outside.wait_for()
    visit.check()
    outside.get_by_role("link", name="Break the glass").click()
    page.wait_for_url(f"{visit.base_url}/clients/{client_of_record.pk}/break-glass/")
    visit.check()
    visit.shot("41-break-glass")
    page.get_by_label("Reason for access").select_option("emergency")
    page.get_by_label("Explanation").fill("Client in crisis at the front desk; primary clinician away.")
    page.get_by_role("button", name="Open the chart").click()
    page.wait_for_url(f"{visit.base_url}/clients/{client_of_record.pk}/")
    visit.check()
    assert page.get_by_text("Emergency access: this chart is outside your caseload").is_visible()
    assert AuditEntry.objects.filter(action="confide.client.break_glass", actor_id=outsider.pk).exists()
