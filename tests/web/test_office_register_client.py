"""Registering a client: the front desk, clinicians and administrators may; a biller may not even see the form."""

from __future__ import annotations

from typing import Any

from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.people.models import User


def _client_form(primary: User, **overrides: str) -> dict[str, str]:
    return {
        "first_name": "Robin",
        "last_name": "Hale",
        "preferred_name": "Rob",
        "date_of_birth": "1988-06-14",
        "pronouns": "they/them",
        "phone": "555-0100",
        "email": "robin@example.org",
        "address": "1 Elm St",
        "primary_clinician": str(primary.pk),
        "part2": "on",
        **overrides,
    }


def test_front_desk_registers_a_client(web_as: Any, front_desk: User, clinician: User) -> None:
    http = web_as(front_desk)
    assert http.get("/clients/new/").status_code == 200
    response = http.post("/clients/new/", _client_form(clinician))
    registered = Client.objects.get(last_name="Hale")
    assert response.status_code == 302 and response["Location"] == f"/clients/{registered.pk}/"
    assert registered.primary_clinician == clinician and registered.part2 and registered.preferred_name == "Rob"
    assert AuditEntry.objects.filter(action="confide.client.registered", object_id=str(registered.pk)).exists()
    chart = http.get(response["Location"]).content.decode()
    assert "Robin Hale" in chart and "42 CFR Part 2" in chart


def test_clinician_registers_a_client_for_a_colleague(web_as: Any, clinician: User, colleague: User) -> None:
    response = web_as(clinician).post("/clients/new/", _client_form(colleague))
    assert response.status_code == 302
    assert Client.objects.get(last_name="Hale").primary_clinician == colleague


def test_biller_cannot_register_a_client(web_as: Any, biller: User, clinician: User) -> None:
    http = web_as(biller)
    assert http.get("/clients/new/").status_code == 403
    assert http.post("/clients/new/", _client_form(clinician)).status_code == 403
    assert not Client.objects.filter(last_name="Hale").exists()


def test_a_future_date_of_birth_is_a_form_error_not_a_server_error(
    web_as: Any, front_desk: User, clinician: User
) -> None:
    response = web_as(front_desk).post("/clients/new/", _client_form(clinician, date_of_birth="2999-01-01"))
    assert response.status_code == 422 and "date of birth is in the future" in response.content.decode()


def test_bad_input_is_a_form_error(web_as: Any, front_desk: User, clinician: User) -> None:
    http = web_as(front_desk)
    for bad in (
        {"date_of_birth": "not a date"},
        {"primary_clinician": "99999999"},
        {"primary_clinician": str(front_desk.pk)},
        {"first_name": "x" * 500},
        {"email": "nope"},
    ):
        assert http.post("/clients/new/", _client_form(clinician, **bad)).status_code == 422, bad
    assert not Client.objects.filter(last_name="Hale").exists()
