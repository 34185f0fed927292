"""Every web URL x every role x own/other object: the status, and that the page leaks no narrative.

The rows are walked against the URL registry (`confide.access.routes.web_patterns`): a web URL with no row here fails
`test_every_web_url_is_in_the_matrix`, and one that declares no verb fails `test_every_web_url_declares_a_verb`.
`rivera` is the clinician of record of every object; `chen` a clinician with no tie to the client; the rest speak for
their role. `own` rows use rivera's objects; the `other` variant asks for another clinician's client.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client as HttpClient

from confide.access.routes import verb_of, web_patterns
from confide.amendments import services as amendments
from confide.clients import services as clients
from confide.notes import services as notes
from confide.people.models import User
from confide.plans import services as plans
from confide.summaries import services as summaries
from tests.conftest import PASSWORD, make_user, session_for
from tests.permissions import (
    web_rows_calendar,
    web_rows_correction,
    web_rows_editor,
    web_rows_small,
    web_rows_supervision,
)
from tests.permissions.release_objects import release_objects
from tests.permissions.web_rows import ACTORS, SIGN_IN, Row, get, post

NARRATIVE = "NARRATIVE-5d1e the client said the quiet part"
PRIVATE = "PRIVATE-0b7a the therapist's own hypothesis"


# (rivera, chen, biller, desk, admin, anonymous). A POST row sends an empty form: the refusal must come first.
MATRIX: dict[str, Row] = {
    "": get(200, 200, 302, 302, 302, SIGN_IN),
    "sign-in/": get(302, 302, 302, 302, 302, 200),  # a signed-in user is sent home
    "sign-in/code/": get(302, 302, 302, 302, 302, 302),
    "sign-in/enroll/": get(302, 302, 302, 302, 302, 302),
    "sign-out/": post(302, 302, 302, 302, 302, 302),
    "today/refresh/": get(200, 200, 403, 403, 403, SIGN_IN),
    "billing/": get(403, 403, 200, 403, 403, SIGN_IN),
    "schedule/": get(403, 403, 200, 200, 403, SIGN_IN),
    "clients/": get(200, 200, 200, 200, 200, SIGN_IN),
    "clients/<id:client_id>/": get(200, 404, 200, 200, 403, SIGN_IN),
    "clients/<id:client_id>/break-glass/": get(200, 200, 403, 403, 403, SIGN_IN),
    "sessions/<id:session_id>/": get(200, 404, 200, 200, 403, SIGN_IN),
    "sessions/<id:session_id>/notes/new/": post(302, 404, 403, 403, 403, SIGN_IN),
    "sessions/<id:session_id>/notes/autosave/": post(200, 404, 403, 403, 403, SIGN_IN),
    "sessions/<id:session_id>/notes/format/": post(302, 404, 403, 403, 403, SIGN_IN),
    "keep-alive/": post(200, 200, 200, 200, 200, SIGN_IN),
    "notes/<id:note_id>/": post(302, 404, 403, 403, 403, SIGN_IN),
    "notes/<id:note_id>/sign/": get(200, 404, 403, 403, 403, SIGN_IN),
    "notes/<id:note_id>/cosign/": post(403, 404, 403, 403, 403, SIGN_IN),
    "notes/<id:note_id>/return/": post(403, 404, 403, 403, 403, SIGN_IN),
    "notes/<id:note_id>/addenda/": post(302, 404, 403, 403, 403, SIGN_IN),
    "manage/users/": get(403, 403, 403, 403, 200, SIGN_IN),
    "manage/users/new/": get(403, 403, 403, 403, 200, SIGN_IN),
    "manage/users/invite/": get(403, 403, 403, 403, 200, SIGN_IN),
    "invitation/<str:token>/": get(404, 404, 404, 404, 404, 404),
    "manage/users/<id:user_id>/reset-password/": get(403, 403, 403, 403, 200, SIGN_IN),
    "manage/settings/": get(403, 403, 403, 403, 200, SIGN_IN),
    "manage/break-glass/": get(403, 403, 403, 403, 200, SIGN_IN),
    "sessions/<id:session_id>/draft/": get(200, 404, 403, 403, 403, SIGN_IN),
    "sessions/<id:session_id>/draft/accept/": post(422, 404, 403, 403, 403, SIGN_IN),
    "sessions/<id:session_id>/draft/private/": post(422, 404, 404, 404, 404, SIGN_IN),
    "clients/new/": get(200, 200, 403, 200, 200, SIGN_IN),
    "clients/<id:client_id>/care-team/": get(200, 404, 403, 403, 200, SIGN_IN),
    "clients/<id:client_id>/contacts/new/": get(200, 404, 403, 200, 200, SIGN_IN),
    "clients/<id:client_id>/consents/": get(200, 404, 403, 200, 200, SIGN_IN),
    "consents/<id:consent_id>/revoke/": post(302, 404, 403, 302, 302, SIGN_IN),
    "clients/<id:client_id>/sessions/new/": get(200, 404, 403, 200, 403, SIGN_IN),
    "clients/<id:client_id>/diagnoses/new/": get(200, 404, 403, 403, 403, SIGN_IN),
    "clients/<id:client_id>/plan/revise/": get(200, 404, 403, 403, 403, SIGN_IN),
    "sessions/new/": get(200, 200, 403, 200, 403, SIGN_IN),
    "sessions/<id:session_id>/attendance/": get(200, 404, 403, 200, 403, SIGN_IN),
    "diagnoses/search/": get(200, 200, 403, 403, 403, SIGN_IN),
    "account/password/": get(200, 200, 200, 200, 200, SIGN_IN),
    "manage/users/<id:user_id>/active/": post(403, 403, 403, 403, 302, SIGN_IN),
    "vault/notes/": get(200, 200, 200, 200, 200, SIGN_IN),
    "vault/notes/<uuid:note_id>/": get(200, 404, 404, 404, 404, SIGN_IN),
    "vault/notes/<uuid:note_id>/grants/": post(302, 404, 404, 404, 404, SIGN_IN),
    "vault/notes/<uuid:note_id>/grants/<int:user_id>/revoke/": post(302, 404, 404, 404, 404, SIGN_IN),
    "vault/sessions/<int:session_id>/panel/": get(200, 404, 404, 404, 404, SIGN_IN),
    "vault/sessions/<int:session_id>/notes/": post(302, 404, 404, 404, 404, SIGN_IN),
    # Release of information: the front desk records authorizations and requests, billers release for payment, a
    # package is fetched by its preparer or the treating team; admins see none of it. Empty POSTs fail the form (422).
    "clients/<id:client_id>/release/": get(200, 404, 200, 200, 403, SIGN_IN),
    "clients/<id:client_id>/release/new/": get(200, 404, 200, 403, 403, SIGN_IN),
    "clients/<id:client_id>/release/make/": post(422, 404, 422, 403, 403, SIGN_IN),
    "clients/<id:client_id>/release/client-copy/": post(302, 404, 422, 403, 403, SIGN_IN),
    "clients/<id:client_id>/release/authorizations/new/": get(200, 404, 403, 200, 403, SIGN_IN),
    "clients/<id:client_id>/release/requests/": post(422, 404, 403, 422, 403, SIGN_IN),
    "clients/<id:client_id>/release/accounting/": get(200, 404, 403, 200, 403, SIGN_IN),
    "clients/<id:client_id>/release/accounting.pdf": get(200, 404, 403, 200, 403, SIGN_IN),
    "clients/<id:client_id>/release/record/": get(200, 404, 403, 403, 403, SIGN_IN),
    "authorizations/<id:authorization_id>/document/": get(404, 404, 403, 404, 403, SIGN_IN),  # none attached
    "authorizations/<id:authorization_id>/document/upload/": get(200, 404, 403, 200, 403, SIGN_IN),
    "authorizations/<id:authorization_id>/revoke/": post(422, 404, 403, 422, 403, SIGN_IN),
    "access-requests/<id:request_id>/extend/": post(422, 404, 403, 422, 403, SIGN_IN),
    "disclosures/<id:disclosure_id>/": get(200, 404, 200, 200, 403, SIGN_IN),
    "disclosures/<id:disclosure_id>/package.pdf": get(200, 404, 404, 403, 403, SIGN_IN),
    "disclosures/<id:disclosure_id>/package.json": get(200, 404, 404, 403, 403, SIGN_IN),
    "disclosures/<id:disclosure_id>/page.png": get(200, 404, 404, 403, 403, SIGN_IN),
    # Measures, and the client's one-time link (no account: an unknown token is 404 for everyone).
    "clients/<id:client_id>/measures/": get(200, 404, 200, 403, 403, SIGN_IN),
    "clients/<id:client_id>/measures/record/": post(422, 404, 403, 403, 403, SIGN_IN),
    "clients/<id:client_id>/measures/link/": post(422, 404, 403, 422, 403, SIGN_IN),
    "m/<str:token>/": get(404, 404, 404, 404, 404, 404),
    # Periodic summaries (the schedule: the clinician of record and the front desk).
    "clients/<id:client_id>/summaries/": get(200, 404, 403, 403, 403, SIGN_IN),
    "clients/<id:client_id>/summaries/new/": post(422, 404, 403, 403, 403, SIGN_IN),
    "clients/<id:client_id>/summaries/schedule/": post(302, 404, 403, 302, 403, SIGN_IN),
    "summaries/<id:summary_id>/": get(200, 404, 403, 403, 403, SIGN_IN),
    # Amendments (164.526): logged by the office or the team, decided and rebutted by the author or clinician of record.
    "clients/<id:client_id>/release/amendments/": post(422, 404, 403, 422, 403, SIGN_IN),
    "amendment-requests/<id:request_id>/extend/": post(422, 404, 403, 403, 403, SIGN_IN),
    "amendment-requests/<id:request_id>/accept/": post(422, 404, 403, 403, 403, SIGN_IN),
    "amendment-requests/<id:request_id>/deny/": post(422, 404, 403, 403, 403, SIGN_IN),
    "amendment-requests/<id:request_id>/disagreement/": post(422, 404, 403, 422, 403, SIGN_IN),
    "amendment-requests/<id:request_id>/rebuttal/": post(422, 404, 403, 403, 403, SIGN_IN),
}
# Each feature keeps its rows (and any test values its URLs need) in its own module.
FEATURE_ROWS = (web_rows_calendar, web_rows_supervision, web_rows_correction, web_rows_editor, web_rows_small)
for _feature in FEATURE_ROWS:
    MATRIX.update(_feature.ROWS)


def web_routes() -> dict[str, Any]:
    return {route: pattern for route, pattern in web_patterns() if not route.startswith("static")}


def test_every_web_url_is_in_the_matrix() -> None:
    routes = set(web_routes())
    missing = routes - set(MATRIX)
    assert not missing, f"web URLs with no permission row: {sorted(missing)}"
    stale = set(MATRIX) - routes
    assert not stale, f"matrix rows for web URLs that no longer exist: {sorted(stale)}"


def test_every_web_url_declares_a_verb() -> None:
    undeclared = [route for route, pattern in web_routes().items() if verb_of(pattern.callback) is None]
    assert not undeclared, f"web URLs without @allows(verb): {undeclared}"


@pytest.fixture
def world(db: None, settings: Any, api_as: Any) -> dict[str, Any]:
    settings.MFA_REQUIRED_ROLES = []
    settings.VAULT_TRAINING_SUPERVISORS = ["okafor"]
    people = {
        "rivera": make_user("rivera", "clinician", credentials="LCSW"),
        "chen": make_user("chen", "clinician", credentials="PhD"),
        "biller": make_user("biller", "biller"),
        "desk": make_user("desk", "front_desk"),
        "admin": make_user("admin", "admin"),
    }
    rivera = people["rivera"]
    grantee = make_user("okafor", "clinician", credentials="PsyD")
    client = clients.register_client(
        actor=rivera,
        first_name="Alex",
        last_name="Morgan",
        date_of_birth=date(1990, 4, 2),
        primary_clinician_id=rivera.pk,
    )
    session = session_for(client, rivera)
    consent = clients.record_consent(
        actor=rivera, client=client, kind="session_transcription", signed_on=date(2026, 1, 5)
    )
    plans.add_diagnosis(actor=rivera, client=client, code="F33.1", diagnosed_on=date(2026, 1, 5))
    note = notes.start_note(
        actor=rivera,
        session=session,
        format="SOAP",
        sections={"subjective": NARRATIVE, "objective": "o", "assessment": "a", "plan": "p"},
        risk={"suicidal_ideation": {"level": "none"}},
    )
    signed_session = session_for(client, rivera, days_ago=1)
    signed = notes.start_note(
        actor=rivera,
        session=signed_session,
        format="SOAP",
        sections={"subjective": NARRATIVE, "objective": "o", "assessment": "a", "plan": "p"},
        risk={"suicidal_ideation": {"level": "none"}},
    )
    notes.sign_note(actor=rivera, note=signed)
    released = release_objects(rivera, client)
    amendment = amendments.request_amendment(
        actor=rivera, client=client, progress_note_id=signed.pk, received_on=date.today(), requested_change="x"
    )
    author = api_as(rivera)
    written = author.post(
        f"/api/v1/sessions/{session.pk}/psychotherapy-notes", {"body": PRIVATE}, content_type="application/json"
    )
    assert written.status_code == 201, written.content
    granted = author.post(
        f"/api/v1/psychotherapy-notes/{written.json()['id']}/grants",
        {"user_id": grantee.pk, "purpose": "supervised_training"},
        content_type="application/json",
    )
    return {
        "people": people,
        "ids": {
            "client_id": client.pk,
            "session_id": session.pk,
            "note_id": note.pk,
            "signed_note_id": signed.pk,
            "consent_id": consent.pk,
            "user_id": people["chen"].pk,
            "vault_note_id": written.json()["id"],
            "grantee_id": grantee.pk,
            "token": "not-a-real-invitation-token",
            **released,
            "amendment_id": amendment.pk,
            "summary_id": summaries.create_summary(
                actor=rivera, client=client, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31)
            ).pk,
        },
        "granted": granted.status_code,
    }


@pytest.fixture
def feature_world(world: dict[str, Any]) -> dict[str, Any]:
    """`world`, with the test values each feature's `extra_ids(world)` adds for its own URL parameters."""
    for feature in FEATURE_ROWS:
        world["ids"].update(feature.extra_ids(world))
    return world


def _path(route: str, ids: dict[str, Any]) -> str:
    values = dict(ids)
    if route.startswith("vault/notes/<uuid:note_id>"):
        values["note_id"] = ids["vault_note_id"]
        values["user_id"] = ids["grantee_id"]
    if route.startswith("amendment-requests/"):
        values["request_id"] = ids["amendment_id"]
    if route == "notes/<id:note_id>/addenda/":
        values["note_id"] = ids["signed_note_id"]
    path = route
    for name, value in values.items():
        for converter in ("id", "int", "uuid", "str"):
            path = path.replace(f"<{converter}:{name}>", str(value))
    assert "<" not in path, f"no test value for a parameter of {route}"
    return "/" + path


def _http_for(actor: str, people: dict[str, User]) -> HttpClient:
    http = HttpClient()
    if actor != "anonymous":
        response = http.post("/sign-in/", {"username": people[actor].username, "password": PASSWORD})
        assert response.status_code == 302, response.content
    return http


CASES = [(route, actor) for route in MATRIX for actor in ACTORS]


@pytest.mark.parametrize(("route", "actor"), CASES, ids=[f"/{r} as {a}" for r, a in CASES])
def test_web_url_answers_each_role_as_the_matrix_says(route: str, actor: str, feature_world: dict[str, Any]) -> None:
    world = feature_world
    row = MATRIX[route]
    http = _http_for(actor, world["people"])
    path = _path(route, world["ids"])
    response = http.get(path) if row.method == "GET" else http.post(path, {})
    assert response.status_code == row.expected(actor), (
        f"{row.method} /{route} as {actor}: {response.status_code} {response.content[:300]!r}"
    )
    body = response.content.decode(errors="replace")
    assert "Traceback" not in body
    if actor != "rivera":
        assert NARRATIVE not in body, f"{route} shows the narrative to {actor}"
        assert PRIVATE not in body, f"{route} shows a psychotherapy note to {actor}"
    if response.status_code in (403, 404):
        assert "Morgan" not in body, f"{route} names the client in a refusal to {actor}"
    if actor == "anonymous" and response.status_code == 302 and row.expected(actor) == SIGN_IN and route:
        assert "/sign-in/" in response["Location"]
