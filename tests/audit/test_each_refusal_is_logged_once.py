"""A refusal is logged once, under one code for the web and the API alike, and a refusal about psychotherapy notes
under the vault's own code, so that it is its author's business like every other vault event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client as HttpClient

from confide.audit.models import AuditEntry
from confide.audit.services import access_report, record_refusal
from confide.clients.models import Client
from confide.people.models import User
from tests.conftest import PASSWORD

ApiAs = Callable[[User], HttpClient]


def refusals() -> list[tuple[str, int | None]]:
    return list(AuditEntry.objects.filter(outcome="denied").order_by("seq").values_list("action", "actor_id"))


def _note(api_as: ApiAs, clinician: User, therapy_session: Any) -> str:
    response = api_as(clinician).post(
        f"/api/v1/sessions/{therapy_session.pk}/psychotherapy-notes",
        {"body": "my hunch"},
        content_type="application/json",
    )
    assert response.status_code == 201
    return str(response.json()["id"])


def test_an_api_refusal_is_one_entry(api_as: ApiAs, outsider: User, client_of_record: Client) -> None:
    assert api_as(outsider).get(f"/api/v1/clients/{client_of_record.pk}").status_code == 404
    assert refusals() == [("confide.access.denied", outsider.pk)]


def test_a_web_refusal_is_one_entry_under_the_same_code(
    settings: Any, outsider: User, client_of_record: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    browser = HttpClient()
    assert browser.post("/sign-in/", {"username": outsider.username, "password": PASSWORD}).status_code == 302
    assert browser.get(f"/clients/{client_of_record.pk}/").status_code == 404
    assert refusals() == [("confide.access.denied", outsider.pk)]


def test_a_refused_private_note_read_is_one_private_entry(
    api_as: ApiAs, clinician: User, colleague: User, therapy_session: Any
) -> None:
    note_id = _note(api_as, clinician, therapy_session)
    assert api_as(colleague).get(f"/api/v1/psychotherapy-notes/{note_id}").status_code == 404
    # The vault logged it; the API's last-resort handler did not log it again with the note's id in a path.
    assert refusals() == [("confide.psychotherapy_note.read", colleague.pk)]


def test_a_refusal_on_a_private_note_path_is_private_whoever_refuses(
    api_as: ApiAs, admin: User, biller: User, clinician: User, therapy_session: Any
) -> None:
    note_id = _note(api_as, clinician, therapy_session)
    assert api_as(biller).get(f"/api/v1/psychotherapy-notes/{note_id}").status_code in (403, 404)
    assert refusals() == [("confide.psychotherapy_note.denied", biller.pk)]
    assert note_id not in api_as(admin).get("/api/v1/audit").content.decode()


def test_record_refusal_picks_the_code_by_what_was_refused(
    clinician: User, outsider: User, client_of_record: Client
) -> None:
    chart = record_refusal(outsider, "chart.open", client_id=client_of_record.pk, object_type="client", object_id=1)
    private = record_refusal(outsider, "vault.note.read", object_type="psychotherapy_note", object_id="x")
    assert (chart.action, chart.outcome, chart.detail) == ("confide.access.denied", "denied", {"verb": "chart.open"})
    assert private.action == "confide.psychotherapy_note.denied"
    # A refused look at the chart belongs in its access report; a refused look at a private note never does.
    assert [row["action"] for row in access_report(client_of_record.pk)] == ["confide.access.denied"]
