"""Every front-office page renders for the roles it is for, under the strict Content-Security-Policy."""

from __future__ import annotations

from typing import Any

from confide.clients.models import Client
from confide.people.models import User
from tests.conftest import session_for
from tests.web.test_pages_render import assert_strict_page


def test_front_desk_office_pages_have_no_inline_code(
    web_as: Any, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(front_desk)
    cid = client_of_record.pk
    for path in (
        "/clients/new/",
        f"/clients/{cid}/contacts/new/",
        f"/clients/{cid}/consents/",
        f"/clients/{cid}/sessions/new/",
        "/sessions/new/?q=alex",
        f"/sessions/{session.pk}/attendance/",
        "/account/password/",
    ):
        assert_strict_page(http.get(path))


def test_clinician_office_pages_have_no_inline_code(
    web_as: Any, clinician: User, client_of_record: Client, treatment_plan: Any
) -> None:
    http = web_as(clinician)
    cid = client_of_record.pk
    for path in (f"/clients/{cid}/care-team/", f"/clients/{cid}/diagnoses/new/", f"/clients/{cid}/plan/revise/"):
        assert_strict_page(http.get(path))
