"""Every API route x every role x own/other object: the status, and that the body leaks nothing.

A route with no row here fails `test_every_route_is_in_the_matrix`: adding an endpoint means deciding who may use it.
`rivera` is the clinician of record; `chen` a clinician with no tie to the client; the rest speak for their role.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.test import Client as HttpClient

from confide.amendments import services as amendments
from confide.api.main import api
from confide.clients import services as clients
from confide.notes import services as notes
from confide.people.models import User
from confide.plans import services as plans
from confide.summaries import services as summaries
from tests.conftest import make_user, session_for
from tests.permissions.release_objects import release_objects

NARRATIVE = "NARRATIVE-7f3a client said the quiet part"
PRIVATE = "PRIVATE-91c2 the therapist's own hypothesis"
ACTORS = ("rivera", "chen", "biller", "desk", "admin", "anonymous")
PUBLIC = {"POST /auth/token", "POST /auth/mfa/enroll", "POST /auth/mfa/confirm"}


def expect(rivera: int, chen: int, biller: int, desk: int, admin: int, anonymous: int = 401) -> dict[str, int]:
    return dict(zip(ACTORS, (rivera, chen, biller, desk, admin, anonymous), strict=True))


def everyone(status: int) -> dict[str, int]:
    return expect(status, status, status, status, status)


@dataclass(frozen=True)
class Case:
    body: dict[str, Any] | None
    statuses: dict[str, int]


NEW_CLIENT = {
    "first_name": "Nia",
    "last_name": "Okoye",
    "date_of_birth": "1991-02-03",
    "primary_clinician_id": "{rivera}",
}
SESSION = {
    "clinician_id": "{rivera}",
    "starts_at": "2026-11-02T10:00:00-05:00",
    "ends_at": "2026-11-02T10:50:00-05:00",
    "service": "individual",
    "setting": "in_person",
}
PLAN = {
    "review_on": "2027-02-01",
    "problems": [{"description": "Low mood", "goals": [{"description": "Fewer low days", "objectives": []}]}],
}

AUTHORIZATION = {
    "kind": "general",
    "recipient": "Dr. Priya Shah",
    "purpose": "Coordination of care",
    "information": ["progress_notes", "diagnoses"],
    "expires_on": "2999-01-01",
    "signed_on": "2026-11-01",
}
RELEASE = {"recipient": {"name": "County Court"}, "basis": "court_order", "include": {"diagnoses": True}}

MATRIX: dict[str, Case] = {
    "DELETE /auth/token": Case(None, everyone(204)),
    "POST /users": Case(
        {"username": "new_user", "password": "a long enough password 1", "full_name": "New User", "role": "biller"},
        expect(403, 403, 403, 403, 201),
    ),
    "GET /users": Case(None, expect(403, 403, 403, 403, 200)),
    "PATCH /users/{user_id}": Case({"full_name": "Lin Chen-Renamed"}, expect(403, 403, 403, 403, 200)),
    "POST /clients": Case(NEW_CLIENT, expect(201, 201, 403, 201, 201)),
    "GET /clients": Case(None, everyone(200)),
    "GET /clients/{client_id}": Case(None, expect(200, 404, 200, 200, 200)),
    "POST /clients/{client_id}/care-team": Case({"clinician_id": "{chen}"}, expect(201, 404, 403, 403, 201)),
    "POST /clients/{client_id}/break-glass": Case(
        {"reason": "Client in crisis at front desk, primary clinician away"}, expect(201, 201, 403, 403, 403)
    ),
    "POST /clients/{client_id}/consents": Case(
        {"kind": "session_transcription", "signed_on": "2026-11-01"}, expect(201, 404, 403, 201, 201)
    ),
    "POST /consents/{consent_id}/revoke": Case(None, expect(200, 404, 403, 200, 200)),
    "POST /clients/{client_id}/sessions": Case(SESSION, expect(201, 404, 403, 201, 403)),
    "GET /clients/{client_id}/sessions": Case(None, expect(200, 404, 200, 200, 403)),  # admins: no clinical record
    "GET /sessions/{session_id}": Case(None, expect(200, 404, 200, 200, 403)),
    "POST /sessions/{session_id}/progress-notes": Case(
        {"format": "SOAP", "sections": {"subjective": "x"}}, expect(201, 404, 403, 403, 403)
    ),
    "GET /progress-notes/{note_id}": Case(None, expect(200, 404, 403, 403, 403)),
    "GET /clients/{client_id}/progress-notes": Case(None, expect(200, 404, 403, 403, 403)),
    "PATCH /progress-notes/{note_id}": Case({"sections": {"plan": "y"}}, expect(200, 404, 403, 403, 403)),
    "POST /progress-notes/{note_id}/sign": Case(None, expect(200, 404, 403, 403, 403)),
    "POST /progress-notes/{note_id}/cosign": Case(None, expect(403, 404, 403, 403, 403)),
    "POST /progress-notes/{note_id}/return": Case({"comment": "Add the plan."}, expect(403, 404, 403, 403, 403)),
    "POST /progress-notes/{note_id}/addenda": Case({"text": "Late information."}, expect(409, 404, 403, 403, 403)),
    "POST /clients/{client_id}/diagnoses": Case(
        {"code": "F41.1", "diagnosed_on": "2026-10-01"}, expect(201, 404, 403, 403, 403)
    ),
    "GET /clients/{client_id}/diagnoses": Case(None, expect(200, 404, 200, 403, 403)),
    "POST /clients/{client_id}/treatment-plans": Case(PLAN, expect(201, 404, 403, 403, 403)),
    "GET /clients/{client_id}/treatment-plan": Case(None, expect(200, 404, 403, 403, 403)),
    "GET /audit": Case(None, expect(200, 200, 403, 403, 200)),  # a clinician reads their own entries
    "POST /sessions/{session_id}/drafts": Case(
        {"transcript": "Therapist: How was your week?\nClient: I slept badly.", "transcript_format": "text"},
        expect(201, 404, 403, 403, 403),
    ),
    # The vault: the author only. Everyone else — colleague, biller, front desk, admin — gets 404 for the note.
    "POST /sessions/{session_id}/psychotherapy-notes": Case(
        {"body": "Process note: transference themes."}, expect(201, 404, 404, 404, 404)
    ),
    "GET /psychotherapy-notes": Case(None, expect(200, 200, 200, 200, 200)),
    "GET /psychotherapy-notes/{note_id}": Case(None, expect(200, 404, 404, 404, 404)),
    # Dr. Chen is neither Dr. Rivera's supervisor nor a listed training supervisor: the author is told no (422).
    "POST /psychotherapy-notes/{note_id}/grants": Case(
        {"user_id": "{chen}", "purpose": "supervised_training"}, expect(422, 404, 404, 404, 404)
    ),
    "DELETE /psychotherapy-notes/{note_id}/grants/{user_id}": Case(None, expect(204, 404, 404, 404, 404)),
    "GET /clients/{client_id}/access-report": Case(None, expect(200, 404, 403, 403, 200)),
    # Release of information. The front desk records authorizations and records requests; billers release for
    # payment only (a court order is refused by the rules, 422); admins see none of it.
    "POST /clients/{client_id}/authorizations": Case(AUTHORIZATION, expect(201, 404, 403, 201, 403)),
    "GET /clients/{client_id}/authorizations": Case(None, expect(200, 404, 403, 200, 403)),
    "POST /clients/{client_id}/authorizations/form": Case(AUTHORIZATION, expect(200, 404, 403, 200, 403)),
    # A JSON body where a file is due is malformed whoever sends it (checked before any object is looked up).
    "POST /authorizations/{authorization_id}/document": Case({}, expect(400, 400, 400, 400, 400)),
    "GET /authorizations/{authorization_id}/document": Case(None, expect(404, 404, 403, 404, 403)),  # none attached
    "POST /authorizations/{authorization_id}/revoke": Case(
        {"revoked_on": date.today().isoformat()}, expect(200, 404, 403, 200, 403)
    ),
    "POST /clients/{client_id}/disclosures": Case(RELEASE, expect(201, 404, 422, 403, 403)),
    "POST /clients/{client_id}/disclosures/preview": Case(RELEASE, expect(200, 404, 200, 403, 403)),
    "GET /clients/{client_id}/disclosures": Case(None, expect(200, 404, 200, 200, 403)),
    # A package is its preparer's and the treating team's: a biller who did not prepare it is told it is not there.
    "GET /disclosures/{disclosure_id}/package.pdf": Case(None, expect(200, 404, 404, 403, 403)),
    "GET /disclosures/{disclosure_id}/package.json": Case(None, expect(200, 404, 404, 403, 403)),
    "GET /clients/{client_id}/disclosures/accounting": Case(None, expect(200, 404, 403, 200, 403)),
    "GET /clients/{client_id}/record": Case(None, expect(200, 404, 403, 403, 403)),
    "POST /clients/{client_id}/access-requests": Case({"received_on": "2026-11-01"}, expect(201, 404, 403, 201, 403)),
    "GET /clients/{client_id}/access-requests": Case(None, expect(200, 404, 200, 200, 403)),
    "POST /access-requests/{request_id}/extend": Case(
        {"reason": "Records in off-site storage"}, expect(200, 404, 403, 200, 403)
    ),
    # Measures: the treating team records; billers see which and when (no scores); the office makes client links.
    "POST /clients/{client_id}/measures": Case(
        {"instrument": "PHQ-9", "answers": [0] * 9}, expect(201, 404, 403, 403, 403)
    ),
    "GET /clients/{client_id}/measures": Case(None, expect(200, 404, 200, 403, 403)),
    "POST /clients/{client_id}/measure-requests": Case({"instrument": "PHQ-9"}, expect(201, 404, 403, 201, 403)),
    # Periodic summaries: drafted by the treating team, edited and signed by their author; nothing for other roles.
    "GET /summaries/due": Case(None, expect(200, 200, 403, 403, 403)),
    "POST /clients/{client_id}/summaries": Case(
        {"period_start": "2026-10-01", "period_end": "2026-10-31"}, expect(201, 404, 403, 403, 403)
    ),
    "GET /clients/{client_id}/summaries": Case(None, expect(200, 404, 403, 403, 403)),
    "GET /summaries/{summary_id}": Case(None, expect(200, 404, 403, 403, 403)),
    "PATCH /summaries/{summary_id}": Case({"sections": {"plan": "Continue."}}, expect(200, 404, 403, 403, 403)),
    "POST /summaries/{summary_id}/sign": Case(None, expect(200, 404, 403, 403, 403)),
    "POST /summaries/{summary_id}/addenda": Case({"text": "Late: one more session."}, expect(409, 404, 403, 403, 403)),
    "POST /summaries/{summary_id}/cosign": Case(None, expect(403, 404, 403, 403, 403)),  # only the author's supervisor
    "POST /summaries/{summary_id}/return": Case({"comment": "Add the plan."}, expect(403, 404, 403, 403, 403)),
    # Demographics and the summary schedule: the clinician of record and the front desk.
    "PATCH /clients/{client_id}": Case({"summary_schedule": "monthly"}, expect(200, 404, 403, 200, 403)),
    # Amendments (164.526): the office logs a request and the client's statement; the author or the clinician of record
    # decides and rebuts. Each /amendment-requests/ row runs against a request in the state it needs (see AMENDING).
    "POST /clients/{client_id}/amendment-requests": Case(
        {"received_on": "2026-11-01", "progress_note_id": "{signed_note_id}", "requested_change": "I went to work."},
        expect(201, 404, 403, 201, 403),
    ),
    "GET /clients/{client_id}/amendment-requests": Case(None, expect(200, 404, 403, 200, 403)),
    "POST /amendment-requests/{request_id}/extend": Case(
        {"reason": "Waiting for records"}, expect(200, 404, 403, 403, 403)
    ),
    "POST /amendment-requests/{request_id}/accept": Case(
        {"amendment_text": "Worked 4 days."}, expect(200, 404, 403, 403, 403)
    ),
    "POST /amendment-requests/{request_id}/deny": Case(
        {"basis": "accurate_and_complete", "explanation": "As written."}, expect(200, 404, 403, 403, 403)
    ),
    "POST /amendment-requests/{request_id}/disagreement": Case(
        {"text": "I disagree."}, expect(201, 404, 403, 201, 403)
    ),
    "POST /amendment-requests/{request_id}/rebuttal": Case(
        {"text": "We stand by it."}, expect(201, 404, 403, 403, 403)
    ),
}


def api_routes() -> set[str]:
    routes = set()
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method in methods:
            routes.add(f"{method.upper()} {path.removeprefix('/api/v1')}")
    return routes


def test_every_route_is_in_the_matrix() -> None:
    missing = api_routes() - set(MATRIX) - PUBLIC
    assert not missing, f"routes with no permission row: {sorted(missing)}"
    stale = set(MATRIX) - api_routes()
    assert not stale, f"matrix rows for routes that no longer exist: {sorted(stale)}"


@pytest.fixture
def world(db: None, api_as: Any, settings: Any) -> dict[str, Any]:
    settings.VAULT_TRAINING_SUPERVISORS = ["okafor"]  # the standing grant's holder is a listed training supervisor
    people = {
        "rivera": make_user("rivera", "clinician", credentials="LCSW"),
        "chen": make_user("chen", "clinician", credentials="PhD"),
        "biller": make_user("biller", "biller"),
        "desk": make_user("desk", "front_desk"),
        "admin": make_user("admin", "admin"),
    }
    grantee = make_user("okafor", "clinician", credentials="PsyD")  # holds a standing grant; not an actor here
    rivera = people["rivera"]
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
    plans.revise_plan(actor=rivera, client=client, review_on=date(2027, 1, 1), problems=PLAN["problems"])
    note = notes.start_note(
        actor=rivera,
        session=session,
        format="SOAP",
        sections={"subjective": NARRATIVE, "objective": "o", "assessment": "a", "plan": "p"},
        risk={"suicidal_ideation": {"level": "none"}},
    )
    author = api_as(rivera)
    written = author.post(
        f"/api/v1/sessions/{session.pk}/psychotherapy-notes", {"body": PRIVATE}, content_type="application/json"
    )
    assert written.status_code == 201, written.content
    # a standing grant, so the DELETE row has something to revoke
    granted = author.post(
        f"/api/v1/psychotherapy-notes/{written.json()['id']}/grants",
        {"user_id": grantee.pk, "purpose": "supervised_training"},
        content_type="application/json",
    )
    assert granted.status_code == 201, granted.content
    released = release_objects(rivera, client)
    signed = notes.start_note(
        actor=rivera,
        session=session_for(client, rivera, days_ago=2),
        format="SOAP",
        sections={"subjective": NARRATIVE, "objective": "o", "assessment": "a", "plan": "p"},
        risk={"suicidal_ideation": {"level": "none"}},
    )
    notes.sign_note(actor=rivera, note=signed)
    amending: dict[str, int] = {}
    for state in ("pending", "denied", "disputed"):
        req = amendments.request_amendment(
            actor=rivera, client=client, progress_note_id=signed.pk, received_on=date.today(), requested_change="x"
        )
        if state != "pending":
            amendments.deny(actor=rivera, request_id=req.pk, basis="accurate_and_complete", explanation="As written.")
        if state == "disputed":
            amendments.add_disagreement(actor=rivera, request_id=req.pk, text="I disagree.")
        amending[state] = req.pk
    summary = summaries.create_summary(
        actor=rivera, client=client, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31)
    )
    return {
        "amending": {
            "disagreement": amending["denied"],
            "rebuttal": amending["disputed"],
        },
        "pending_amendment_id": amending["pending"],
        "psychotherapy_note_id": written.json()["id"],
        "grantee_id": grantee.pk,
        "people": people,
        "ids": {
            "client_id": client.pk,
            "session_id": session.pk,
            "note_id": note.pk,
            "consent_id": consent.pk,
            "rivera": rivera.pk,
            "chen": people["chen"].pk,
            "user_id": people["chen"].pk,
            **released,
            "signed_note_id": signed.pk,
            "summary_id": summary.pk,
        },
    }


def _fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _http_for(actor: str, people: dict[str, User], api_as: Any) -> HttpClient:
    return HttpClient() if actor == "anonymous" else api_as(people[actor])


CASES = [(route, actor) for route in MATRIX for actor in ACTORS]


@pytest.mark.parametrize(("route", "actor"), CASES, ids=[f"{r} as {a}" for r, a in CASES])
def test_route_answers_each_role_as_the_matrix_says(route: str, actor: str, world: dict[str, Any], api_as: Any) -> None:
    method, template = route.split(" ", 1)
    ids = dict(world["ids"])
    if "/psychotherapy-notes/" in template:
        ids["note_id"] = world["psychotherapy_note_id"]
        ids["user_id"] = world["grantee_id"]
    if template.startswith("/amendment-requests/"):
        ids["request_id"] = world["amending"].get(template.rsplit("/", 1)[1], world["pending_amendment_id"])
    path = "/api/v1" + template.format(**ids)
    http = _http_for(actor, world["people"], api_as)
    case = MATRIX[route]
    if case.body is None:
        response = http.generic(method, path)
    else:
        response = http.generic(method, path, json.dumps(_fill(case.body, ids)), content_type="application/json")
    expected = case.statuses[actor]
    assert response.status_code == expected, f"{route} as {actor}: {response.status_code} {response.content[:300]!r}"
    body = response.content.decode(errors="replace")  # a PDF is bytes; the checks below look for text in it
    if response.status_code >= 400:
        assert NARRATIVE not in body
        assert "Morgan" not in body
        assert "Traceback" not in body
    if actor not in ("rivera",):
        # Only the clinician of record reads the narrative; a 2xx to anyone else carries none of it.
        assert NARRATIVE not in body
        assert PRIVATE not in body
    if actor == "chen" and route == "GET /clients":
        assert "Morgan" not in body
    assert response.status_code != 500
