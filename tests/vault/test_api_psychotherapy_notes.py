"""The JSON API for psychotherapy notes (docs/api.md): the author and grantees get the note; every other role gets 404,
and no response to anyone else carries the note's text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient

from confide.people.models import User
from confide.vault.models import PsychotherapyNote

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

OTHERS = ["colleague", "supervisor", "outsider", "admin", "biller", "front_desk"]


def post(http: HttpClient, path: str, body: object) -> Any:
    return http.post(path, body, content_type="application/json")


@pytest.fixture
def author(api_as: Callable[[User], HttpClient], clinician: User) -> HttpClient:
    return api_as(clinician)


@pytest.fixture
def written(author: HttpClient, therapy_session: Any, marker: str) -> str:
    response = post(
        author, f"/api/v1/sessions/{therapy_session.pk}/psychotherapy-notes", {"body": f"I felt pulled in. {marker}"}
    )
    assert response.status_code == 201, response.content
    return str(response.json()["id"])


def test_author_writes_lists_and_reads(author: HttpClient, written: str, marker: str) -> None:
    listed = author.get("/api/v1/psychotherapy-notes")
    assert listed.status_code == 200
    assert [n["id"] for n in listed.json()] == [written]
    assert marker not in listed.content.decode()  # the list holds ids and dates, never text
    note = author.get(f"/api/v1/psychotherapy-notes/{written}")
    assert note.status_code == 200
    assert note.json()["body"] == f"I felt pulled in. {marker}"
    assert note.json()["id"] == written


def test_write_returns_boundary_warnings(author: HttpClient, therapy_session: Any) -> None:
    response = post(
        author,
        f"/api/v1/sessions/{therapy_session.pk}/psychotherapy-notes",
        {"body": "Session started at 10:05. GAD-7 was 15; discussed the treatment plan."},
    )
    assert response.status_code == 201
    codes = {w["code"] for w in response.json()["warnings"]}
    assert {"session_times", "measure_score", "treatment_plan"} <= codes


@pytest.mark.parametrize("who", OTHERS)
def test_every_other_role_gets_404_and_no_trace(
    request: pytest.FixtureRequest,
    api_as: Callable[[User], HttpClient],
    therapy_session: Any,
    written: str,
    marker: str,
    who: str,
) -> None:
    http = api_as(request.getfixturevalue(who))
    responses = [
        http.get(f"/api/v1/psychotherapy-notes/{written}"),
        http.get("/api/v1/psychotherapy-notes"),
        post(http, f"/api/v1/sessions/{therapy_session.pk}/psychotherapy-notes", {"body": "x"}),
        post(http, f"/api/v1/psychotherapy-notes/{written}/grants", {"user_id": 1, "purpose": "supervised_training"}),
        http.delete(f"/api/v1/psychotherapy-notes/{written}/grants/1"),
    ]
    assert [r.status_code for r in responses] == [404, 200, 404, 404, 404]
    assert responses[1].json() == []
    for response in responses:
        assert marker not in response.content.decode()
        assert written not in response.content.decode()


def test_supervisor_with_grant_reads_until_revoked(
    api_as: Callable[[User], HttpClient], author: HttpClient, supervisor: User, written: str, marker: str
) -> None:
    supervising = api_as(supervisor)
    granted = post(
        author,
        f"/api/v1/psychotherapy-notes/{written}/grants",
        {"user_id": supervisor.pk, "purpose": "supervised_training"},
    )
    assert granted.status_code == 201, granted.content
    read = supervising.get(f"/api/v1/psychotherapy-notes/{written}")
    assert read.status_code == 200
    assert marker in read.json()["body"]
    assert author.delete(f"/api/v1/psychotherapy-notes/{written}/grants/{supervisor.pk}").status_code == 204
    assert supervising.get(f"/api/v1/psychotherapy-notes/{written}").status_code == 404


def test_grant_to_a_biller_is_refused(author: HttpClient, biller: User, written: str) -> None:
    response = post(author, f"/api/v1/psychotherapy-notes/{written}/grants", {"user_id": biller.pk})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_grantee"


@pytest.mark.parametrize(
    "body",
    [{"body": 42}, {"body": ""}, {"body": "ok", "extra": 1}, {}, [], "text"],
)
def test_malformed_input_is_400(author: HttpClient, therapy_session: Any, body: object) -> None:
    response = post(author, f"/api/v1/sessions/{therapy_session.pk}/psychotherapy-notes", body)
    assert response.status_code == 400


def test_malformed_grant_is_400(author: HttpClient, supervisor: User, written: str) -> None:
    response = post(author, f"/api/v1/psychotherapy-notes/{written}/grants", {"user_id": str(supervisor.pk)})
    assert response.status_code == 400


def test_unknown_or_malformed_note_ids_are_404(author: HttpClient) -> None:
    for note_id in ["nope", "00000000-0000-0000-0000-000000000000", "1"]:
        assert author.get(f"/api/v1/psychotherapy-notes/{note_id}").status_code == 404


def test_no_token_is_401(therapy_session: Any, written: str) -> None:
    anonymous = HttpClient()
    assert anonymous.get(f"/api/v1/psychotherapy-notes/{written}").status_code == 401
    assert anonymous.get("/api/v1/psychotherapy-notes").status_code == 401


def test_tampered_note_is_409_not_500(author: HttpClient, written: str) -> None:
    note = PsychotherapyNote.objects.get(pk=written)
    blob = bytes(note.ciphertext)
    PsychotherapyNote.objects.filter(pk=written).update(ciphertext=blob[:-1] + bytes([blob[-1] ^ 0xFF]))
    response = author.get(f"/api/v1/psychotherapy-notes/{written}")
    assert response.status_code == 409
    assert response.json()["code"] == "vault_integrity"


def test_signing_out_the_token_closes_the_vault(author: HttpClient, written: str) -> None:
    assert author.delete("/api/v1/auth/token").status_code == 204
    assert author.get(f"/api/v1/psychotherapy-notes/{written}").status_code == 401


def test_out_of_range_ids_are_refused_as_malformed_not_500(author: HttpClient, written: str) -> None:
    # Ids are bounded to 64 bits by the API's schemas (confide.api.schemas.ObjectId / IdRef): malformed, so 400.
    huge = 2**80
    assert post(author, f"/api/v1/sessions/{huge}/psychotherapy-notes", {"body": "x"}).status_code == 400
    assert author.delete(f"/api/v1/psychotherapy-notes/{written}/grants/{huge}").status_code == 400
    assert post(author, f"/api/v1/psychotherapy-notes/{written}/grants", {"user_id": huge}).status_code == 400
    assert post(author, f"/api/v1/psychotherapy-notes/{written}/grants", {"user_id": -1}).status_code == 400
