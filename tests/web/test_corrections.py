"""Correcting what was entered, on the web: every form error at once beside its field, a client's details edited
and discharged and readmitted (with the history the chart shows), an administrator's edit of a user (no supervisee
offered or accepted as a supervisor), and the drafting page's way to record consent."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from confide.audit.models import AuditEntry
from confide.clients.models import Client, ClientChange, Episode
from confide.clients.services import add_to_care_team, discharge_client
from confide.lib.errors import RuleViolation
from confide.people import services as people
from confide.people.models import Role, User, UserChange
from tests.conftest import session_for


@pytest.fixture
def admitted(client_of_record: Client) -> Client:
    client_of_record.admitted_on = date(2025, 3, 1)
    client_of_record.save(update_fields=["admitted_on"])
    return client_of_record


def _register(primary: User, **overrides: str) -> dict[str, str]:
    return {
        "first_name": "Robin",
        "last_name": "Hale",
        "date_of_birth": "06/14/1988",
        "primary_clinician": str(primary.pk),
        **overrides,
    }


# --- Every error at once, beside its field -------------------------------------------------------------------------


def test_registering_shows_every_error_at_once_beside_its_field(web_as: Any, front_desk: User, clinician: User) -> None:
    future = (timezone.localdate() + timedelta(days=30)).strftime("%m/%d/%Y")
    response = web_as(front_desk).post(
        "/clients/new/", _register(clinician, first_name="", email="not-an-address", date_of_birth=future)
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "3 things to fix" in html
    assert 'id="id_first_name_error"' in html and "Enter the first name." in html
    assert 'id="id_email_error"' in html and "Enter an email address like name@example.org" in html
    assert 'id="id_date_of_birth_error"' in html
    assert "The date of birth is in the future. Enter the date of birth as MM/DD/YYYY, e.g. 04/17/1988." in html
    # Each input points at its own message, and the summary links to the field.
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_first_name_error"[^>]*>', html)
    assert 'href="#id_date_of_birth"' in html
    assert not Client.objects.filter(last_name="Hale").exists()


def test_an_unreadable_date_of_birth_says_how_to_write_it(web_as: Any, front_desk: User, clinician: User) -> None:
    response = web_as(front_desk).post("/clients/new/", _register(clinician, date_of_birth="14.6.88"))
    assert response.status_code == 422
    assert "Enter the date of birth as MM/DD/YYYY, e.g. 04/17/1988." in response.content.decode()


def test_a_date_of_birth_is_typed_month_first_or_as_iso(web_as: Any, front_desk: User, clinician: User) -> None:
    http = web_as(front_desk)
    assert http.post("/clients/new/", _register(clinician, date_of_birth="4/7/1988")).status_code == 302
    assert (
        http.post("/clients/new/", _register(clinician, last_name="Iso", date_of_birth="1988-04-07")).status_code == 302
    )
    assert {c.date_of_birth for c in Client.objects.filter(first_name="Robin")} == {date(1988, 4, 7)}


# --- Correcting a client ---------------------------------------------------------------------------------------------


def test_the_front_desk_corrects_details_and_the_history_shows_old_and_new(
    web_as: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    http = web_as(front_desk)
    page = http.get(f"/clients/{client_of_record.pk}/edit/")
    assert page.status_code == 200 and 'value="04/02/1990"' in page.content.decode()
    form = {
        "first_name": "Alexis",
        "last_name": "Morgan",
        "date_of_birth": "04/02/1990",
        "phone": "555-0142",
    }
    response = http.post(f"/clients/{client_of_record.pk}/edit/", form)
    assert response.status_code == 302 and response["Location"] == f"/clients/{client_of_record.pk}/"
    client_of_record.refresh_from_db()
    assert client_of_record.first_name == "Alexis" and client_of_record.phone == "555-0142"
    history = web_as(clinician).get(f"/clients/{client_of_record.pk}/history/").content.decode()
    assert "First name" in history and "Alex</td>" in history and "Alexis</td>" in history and "555-0142" in history
    entry = AuditEntry.objects.get(action="confide.client.updated")
    assert entry.detail == {"fields": ["first_name", "phone"]}
    assert "Alexis" not in str(entry.detail)
    chart = http.get(f"/clients/{client_of_record.pk}/").content.decode()
    assert f'href="/clients/{client_of_record.pk}/edit/"' in chart
    assert f'href="/clients/{client_of_record.pk}/history/"' in chart


def test_an_edit_with_problems_keeps_the_record_and_names_each(
    web_as: Any, front_desk: User, client_of_record: Client
) -> None:
    response = web_as(front_desk).post(
        f"/clients/{client_of_record.pk}/edit/", {"first_name": "", "last_name": "", "date_of_birth": "soon"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "3 things to fix" in html and "Enter the last name." in html
    assert not ClientChange.objects.exists()


def test_only_the_front_desk_and_the_clinician_of_record_may_correct(
    web_as: Any, clinician: User, colleague: User, biller: User, admin: User, client_of_record: Client
) -> None:
    add_to_care_team(actor=clinician, client=client_of_record, clinician_id=colleague.pk)
    assert web_as(clinician).get(f"/clients/{client_of_record.pk}/edit/").status_code == 200
    team = web_as(colleague)
    assert team.get(f"/clients/{client_of_record.pk}/edit/").status_code == 403
    assert team.get(f"/clients/{client_of_record.pk}/discharge/").status_code == 403
    assert f"/clients/{client_of_record.pk}/edit/" not in team.get(f"/clients/{client_of_record.pk}/").content.decode()
    assert web_as(biller).get(f"/clients/{client_of_record.pk}/edit/").status_code == 403
    assert web_as(admin).get(f"/clients/{client_of_record.pk}/history/").status_code == 403


def test_discharge_needs_a_reason_then_the_client_leaves_the_active_lists(
    web_as: Any, front_desk: User, admitted: Client
) -> None:
    http = web_as(front_desk)
    today = timezone.localdate().isoformat()
    refused = http.post(f"/clients/{admitted.pk}/discharge/", {"discharged_on": today, "reason": ""})
    assert refused.status_code == 422 and "Enter the reason for discharge." in refused.content.decode()
    done = http.post(f"/clients/{admitted.pk}/discharge/", {"discharged_on": today, "reason": "treatment goals met"})
    assert done.status_code == 302
    chart = http.get(done["Location"]).content.decode()  # shows (and so uses up) the confirmation
    assert "has left the active lists" in chart and "treatment goals met" in chart and ">Readmit</a>" in chart
    assert "Morgan" not in http.get("/clients/").content.decode()
    assert f"/clients/{admitted.pk}/sessions/new/" not in http.get("/sessions/new/?q=Morgan").content.decode()
    found = http.get("/clients/?q=Morgan&discharged=on").content.decode()
    assert "Morgan" in found and "Discharged" in found


def test_readmission_keeps_the_earlier_episode_on_the_chart(web_as: Any, clinician: User, admitted: Client) -> None:
    discharged = timezone.localdate() - timedelta(days=20)
    discharge_client(actor=clinician, client=admitted, discharged_on=discharged, reason="moved away")
    http = web_as(clinician)
    page = http.get(f"/clients/{admitted.pk}/discharge/").content.decode()
    assert "Readmit Alex Morgan" in page
    early = http.post(f"/clients/{admitted.pk}/readmit/", {"readmitted_on": "2025-01-01"})
    assert early.status_code == 422 and "Enter a readmission date" in early.content.decode()
    back = http.post(f"/clients/{admitted.pk}/readmit/", {"readmitted_on": timezone.localdate().isoformat()})
    assert back.status_code == 302
    admitted.refresh_from_db()
    assert admitted.is_active and admitted.discharge_reason == ""
    assert Episode.objects.filter(client=admitted, discharge_reason="moved away").exists()
    chart = http.get(f"/clients/{admitted.pk}/").content.decode()
    assert "Episodes of care" in chart and "moved away" in chart and "03/01/2025" in chart
    assert "Morgan" in http.get("/clients/").content.decode()


# --- Users: role, credentials, supervisor ---------------------------------------------------------------------------


def test_a_supervisee_is_never_offered_as_a_supervisor(
    web_as: Any, admin: User, supervisor: User, supervisee: User, colleague: User
) -> None:
    http = web_as(admin)
    for path in ("/manage/users/new/", "/manage/users/invite/", f"/manage/users/{colleague.pk}/"):
        html = http.get(path).content.decode()
        assert f'<option value="{supervisor.pk}"' in html, path
        assert f'<option value="{supervisee.pk}"' not in html, path


def test_the_admin_changes_role_credentials_and_supervisor_with_history(
    web_as: Any, admin: User, colleague: User, supervisor: User
) -> None:
    http = web_as(admin)
    form = {
        "full_name": colleague.full_name,
        "role": Role.CLINICIAN,
        "credentials": "PsyD",
        "supervisor": supervisor.pk,
    }
    response = http.post(f"/manage/users/{colleague.pk}/", form)
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.credentials == "PsyD" and colleague.supervisor == supervisor
    [change] = UserChange.objects.filter(user=colleague)
    assert {row["field"]: (row["old"], row["new"]) for row in change.fields} == {
        "credentials": ("PhD", "PsyD"),
        "supervisor": ("", supervisor.display_name),
    }
    page = http.get(f"/manage/users/{colleague.pk}/").content.decode()
    assert "PsyD" in page and supervisor.display_name in page and "Supervisor" in page
    assert AuditEntry.objects.get(action="confide.user.updated").detail == {"fields": ["credentials", "supervisor"]}


def test_a_supervisee_posted_as_supervisor_is_a_form_error_beside_the_field(
    web_as: Any, admin: User, colleague: User, supervisee: User
) -> None:
    form = {"full_name": colleague.full_name, "role": Role.CLINICIAN, "credentials": "", "supervisor": supervisee.pk}
    response = web_as(admin).post(f"/manage/users/{colleague.pk}/", form)
    assert response.status_code == 422
    assert 'id="id_supervisor_error"' in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.supervisor_id is None


def test_a_supervisor_cannot_be_given_a_supervisor(
    web_as: Any, admin: User, supervisor: User, supervisee: User, colleague: User
) -> None:
    with pytest.raises(RuleViolation) as refused:
        people.update_user(actor=admin, user=supervisor, supervisor_id=colleague.pk)
    assert refused.value.code == "invalid_supervisor"
    with pytest.raises(RuleViolation):
        people.update_user(actor=admin, user=colleague, supervisor_id=supervisee.pk)
    page = web_as(admin).get(f"/manage/users/{supervisor.pk}/").content.decode()
    assert "supervises others, so cannot have a supervisor" in page
    assert re.search(r'<select[^>]*name="supervisor"[^>]*disabled', page)


def test_the_users_list_links_each_person_to_their_page(web_as: Any, admin: User, colleague: User) -> None:
    assert f'href="/manage/users/{colleague.pk}/"' in web_as(admin).get("/manage/users/").content.decode()


# --- Consent from the drafting page ----------------------------------------------------------------------------------


@pytest.mark.django_db(databases=["default", "vault"])
def test_the_missing_consent_message_links_to_where_the_clinician_records_it(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    response = web_as(clinician).post(
        f"/sessions/{session.pk}/draft/",
        {"transcript": "Rivera: How are you?\nMorgan: Tired.", "transcript_format": "auto", "note_format": "SOAP"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "You can record it yourself" in html and f'href="/clients/{client_of_record.pk}/consents/"' in html
    assert "/api/v1/" not in html


@pytest.mark.django_db(databases=["default", "vault"])
def test_the_private_note_sharing_list_offers_no_supervisee(
    web_as: Any, api_as: Any, settings: Any, supervisor: User, supervisee: User, colleague: User, clinician: User
) -> None:
    """Sam Lee's supervisor, Dr. Okafor, is recorded (by data from before the rule) as supervised herself: she is not
    offered. Dr. Chen, on the practice's training list and nobody's supervisee, is."""
    settings.VAULT_TRAINING_SUPERVISORS = ["okafor", "chen", "rivera"]
    User.objects.filter(pk=supervisor.pk).update(supervisor=clinician)
    User.objects.filter(pk=clinician.pk).update(supervisor=colleague)  # and a listed trainer who is supervised
    client = Client.objects.create(
        first_name="Jordan", last_name="Blake", date_of_birth=date(1985, 1, 9), primary_clinician=supervisee
    )
    session = session_for(client, supervisee)
    written = api_as(supervisee).post(
        f"/api/v1/sessions/{session.pk}/psychotherapy-notes", {"body": "a hypothesis"}, content_type="application/json"
    )
    assert written.status_code == 201, written.content
    page = web_as(supervisee).get(f"/vault/notes/{written.json()['id']}/").content.decode()
    assert f'<option value="{colleague.pk}"' in page
    assert f'<option value="{supervisor.pk}"' not in page and f'<option value="{clinician.pk}"' not in page


def test_a_user_change_that_changes_nothing_writes_no_history(admin: User, colleague: User) -> None:
    people.update_user(actor=admin, user=colleague, full_name=colleague.full_name, credentials=colleague.credentials)
    assert not UserChange.objects.filter(user=colleague).exists()
    assert not AuditEntry.objects.filter(action="confide.user.updated").exists()
