"""A care-team change made by anyone but the client's clinician of record shows on the chart, on that clinician's
day view, and in the chart's access report: nobody gains a chart unseen (an administrator adding an account they
control to the care team, say)."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client as HttpClient

from confide.clients.models import Client
from confide.people.models import User


def add(api: HttpClient, client: Client, clinician: User) -> None:
    response = api.post(
        f"/api/v1/clients/{client.pk}/care-team", {"clinician_id": clinician.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content


def notice(page: bytes) -> str:
    text = page.decode()
    start = text.find('data-testid="care-team-changes"')
    return text[start : text.find("</ul>", start)] if start >= 0 else ""


def test_an_admins_change_shows_on_chart_day_view_and_access_report(
    admin: User,
    clinician: User,
    colleague: User,
    client_of_record: Client,
    api_as: Callable[[User], HttpClient],
    web_as: Callable[[User], HttpClient],
) -> None:
    add(api_as(admin), client_of_record, colleague)
    browser = web_as(clinician)
    on_chart = notice(browser.get(f"/clients/{client_of_record.pk}/").content)
    assert "Pat Admin" in on_chart and "Lin Chen" in on_chart
    on_day = notice(browser.get("/").content)
    assert "Pat Admin" in on_day and "Lin Chen" in on_day and "Alex Morgan" in on_day
    report = api_as(clinician).get(f"/api/v1/clients/{client_of_record.pk}/access-report")
    assert report.status_code == 200
    added = [row for row in report.json() if row["action"] == "confide.client.care_team_added"]
    assert [row["actor_username"] for row in added] == ["admin"]


def test_the_clinician_of_records_own_change_is_not_news_to_them(
    clinician: User,
    colleague: User,
    client_of_record: Client,
    api_as: Callable[[User], HttpClient],
    web_as: Callable[[User], HttpClient],
) -> None:
    add(api_as(clinician), client_of_record, colleague)
    browser = web_as(clinician)
    assert notice(browser.get(f"/clients/{client_of_record.pk}/").content) == ""
    assert notice(browser.get("/").content) == ""
    report = api_as(clinician).get(f"/api/v1/clients/{client_of_record.pk}/access-report").json()
    assert any(row["action"] == "confide.client.care_team_added" for row in report)  # still in the report


def test_a_care_team_members_change_shows_too(
    clinician: User,
    colleague: User,
    outsider: User,
    client_of_record: Client,
    api_as: Callable[[User], HttpClient],
    web_as: Callable[[User], HttpClient],
) -> None:
    add(api_as(clinician), client_of_record, colleague)
    add(api_as(colleague), client_of_record, outsider)
    on_day = notice(web_as(clinician).get("/").content)
    assert "Lin Chen, PhD added Out Sider, LMFT" in on_day
