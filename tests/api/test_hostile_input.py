"""Hostile input is a 4xx, never a 500 (issue 8, finding 3), on SQLite and PostgreSQL alike.

PostgreSQL refuses NUL in text and JSON and any over-long value for a varchar; a time in year 1 or 9999 with an offset
cannot become UTC. Each was a 500 before: the schemas now bound every string to its column, refuse NUL and half
surrogate pairs, and refuse dates outside 1900-2999; an unforeseen error answers the API's JSON, not an HTML page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client as HttpClient

import confide.api.main  # noqa: F401  (mounts every router, so every request schema is defined)
from confide.amendments.models import AmendmentRequest
from confide.api.schemas import In
from confide.clients.models import Client, Consent
from confide.disclosures.models import AccessRequest, Authorization, Disclosure
from confide.measures.models import Measure, MeasureRequest
from confide.notes.models import CosignReview, ProgressNote
from confide.people.models import User
from confide.plans.models import Diagnosis, Goal, Objective
from confide.sessions.models import TherapySession
from confide.vault.models import NoteRecipient
from tests.conftest import PASSWORD

NUL = "nul\x00here"

# The model column each request field fills. The schema may be stricter than the column, never looser.
COLUMNS: dict[tuple[str, str], tuple[type[Model], str]] = {
    ("ClientIn", "first_name"): (Client, "first_name"),
    ("ClientIn", "last_name"): (Client, "last_name"),
    ("ClientIn", "preferred_name"): (Client, "preferred_name"),
    ("ClientIn", "pronouns"): (Client, "pronouns"),
    ("ClientIn", "phone"): (Client, "phone"),
    ("ClientIn", "email"): (Client, "email"),
    ("ConsentIn", "kind"): (Consent, "kind"),
    ("DiagnosisIn", "code"): (Diagnosis, "code"),
    ("GoalIn", "measure"): (Goal, "measure"),
    ("ObjectiveIn", "status"): (Objective, "status"),
    ("GrantIn", "purpose"): (NoteRecipient, "purpose"),
    ("NoteIn", "format"): (ProgressNote, "format"),
    ("CosignIn", "attestation"): (ProgressNote, "cosign_attestation"),
    ("SummaryCosignIn", "attestation"): (CosignReview, "attestation"),
    ("SessionIn", "service"): (TherapySession, "service"),
    ("SessionIn", "setting"): (TherapySession, "setting"),
    ("SessionIn", "status"): (TherapySession, "status"),
    ("SessionIn", "telehealth_link"): (TherapySession, "telehealth_link"),
    ("TokenIn", "username"): (User, "username"),
    ("UserIn", "username"): (User, "username"),
    ("UserIn", "full_name"): (User, "full_name"),
    ("UserIn", "role"): (User, "role"),
    ("UserIn", "credentials"): (User, "credentials"),
    ("UserPatch", "full_name"): (User, "full_name"),
    ("UserPatch", "role"): (User, "role"),
    ("UserPatch", "credentials"): (User, "credentials"),
    ("AuthorizationIn", "recipient"): (Authorization, "recipient"),
    ("AuthorizationIn", "recipient_address"): (Authorization, "recipient_address"),
    ("AuthorizationIn", "purpose"): (Authorization, "purpose"),
    ("AuthorizationIn", "information_detail"): (Authorization, "information_detail"),
    ("AuthorizationIn", "expiry_event"): (Authorization, "expiry_event"),
    ("AuthorizationIn", "representative_name"): (Authorization, "representative_name"),
    ("AuthorizationIn", "representative_authority"): (Authorization, "representative_authority"),
    ("DisclosureIn", "basis"): (Disclosure, "basis"),
    ("DisclosureIn", "purpose"): (Disclosure, "purpose"),
    ("RecipientIn", "name"): (Disclosure, "recipient_name"),
    ("RecipientIn", "address"): (Disclosure, "recipient_address"),
    ("ExtendIn", "reason"): (AccessRequest, "extension_reason"),
    ("AmendmentExtendIn", "reason"): (AmendmentRequest, "extension_reason"),
    ("MeasureIn", "instrument"): (Measure, "instrument"),
    ("ClientPatch", "first_name"): (Client, "first_name"),
    ("ClientPatch", "last_name"): (Client, "last_name"),
    ("ClientPatch", "preferred_name"): (Client, "preferred_name"),
    ("ClientPatch", "pronouns"): (Client, "pronouns"),
    ("ClientPatch", "phone"): (Client, "phone"),
    ("ClientPatch", "email"): (Client, "email"),
    ("ClientPatch", "discharge_reason"): (Client, "discharge_reason"),
    ("MeasureRequestIn", "instrument"): (MeasureRequest, "instrument"),
}
# Fields with no varchar behind them (a password is hashed, a token looked up by hash, text and JSON columns have no
# length): they still need a bound, which the first test checks.
NO_COLUMN = {
    ("AddendumIn", "text"),
    ("BreakGlassIn", "reason"),
    ("BreakGlassIn", "explanation"),
    ("CommentIn", "comment"),
    ("ConfirmIn", "enrollment_token"),
    ("ConfirmIn", "otp"),
    ("DraftIn", "transcript"),
    ("DraftIn", "transcript_format"),
    ("DraftIn", "note_format"),
    ("EnrollIn", "enrollment_token"),
    ("GoalIn", "description"),
    ("NoteIn", "sections"),
    ("NoteIn", "mental_status"),
    ("NoteIn", "interventions"),
    ("NotePatch", "sections"),
    ("NotePatch", "mental_status"),
    ("NotePatch", "interventions"),
    ("ObjectiveIn", "description"),
    ("ProblemIn", "description"),
    ("PsychotherapyNoteIn", "body"),
    ("SessionIn", "participants"),
    ("TokenIn", "password"),
    ("TokenIn", "otp"),
    ("UserIn", "password"),
    ("AmendmentRequestIn", "requested_change"),
    ("AmendmentAcceptIn", "amendment_text"),
    ("AmendmentDenyIn", "explanation"),
    ("AmendmentStatementIn", "text"),
    ("ClientPatch", "address"),  # a text column
    ("SummaryPatch", "sections"),  # JSON
    ("SummaryReturnIn", "comment"),  # a text column
}


def _schemas(cls: type[In]) -> Iterator[type[In]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _schemas(sub)


def _strings(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every free string in a JSON schema node: the field itself, list items, dict values (not nested models)."""
    if "$ref" in node:
        return
    if node.get("type") == "string" and "format" not in node and "enum" not in node:
        yield node
    for key in ("anyOf", "allOf", "oneOf"):
        for option in node.get(key, []):
            yield from _strings(option)
    for key in ("items", "additionalProperties", "propertyNames"):
        if isinstance(node.get(key), dict):
            yield from _strings(node[key])


def _string_fields() -> dict[tuple[str, str], list[int | None]]:
    found: dict[tuple[str, str], list[int | None]] = {}
    for schema in set(_schemas(In)):
        for name, node in schema.model_json_schema().get("properties", {}).items():
            lengths = [s.get("maxLength") for s in _strings(node)]
            if lengths:
                found[(schema.__name__, name)] = lengths
    return found


def test_every_input_string_is_bounded_and_fits_its_column() -> None:
    fields = _string_fields()
    unbounded = sorted(key for key, lengths in fields.items() if None in lengths)
    assert not unbounded, f"strings without a maxLength: {unbounded}"
    unplaced = sorted(set(fields) - set(COLUMNS) - NO_COLUMN)
    assert not unplaced, f"new input fields: add each to COLUMNS (the column it fills) or NO_COLUMN: {unplaced}"
    for key, (model, column) in COLUMNS.items():
        limit = model._meta.get_field(column).max_length
        assert key in fields, f"{key} is no longer an input field: drop it from COLUMNS"
        assert max(n for n in fields[key] if n is not None) <= limit, (
            f"{key} allows more than {model.__name__}.{column}"
        )


# --- Through real HTTP ---------------------------------------------------------------------------------------------


def _post(http: HttpClient, path: str, body: dict[str, Any]) -> Any:
    return http.post(path, body, content_type="application/json")


def _refused(response: Any, *statuses: int) -> None:
    assert response.status_code in (statuses or (400,)), (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) >= {"detail", "code"}


@pytest.mark.parametrize("username", [NUL, "x" * 151, "\ud800"])
def test_sign_in_with_a_hostile_username_is_a_400(username: str, clinician: User) -> None:
    response = HttpClient().post(
        "/api/v1/auth/token",
        # json.dumps of a lone surrogate writes "\ud800": the server must refuse it, not fail to store it
        {"username": username, "password": PASSWORD},
        content_type="application/json",
    )
    _refused(response)


@pytest.mark.parametrize(
    "field, value",
    [("first_name", NUL), ("last_name", "x" * 101), ("phone", "1" * 41), ("pronouns", NUL), ("email", "a" * 300)],
)
def test_client_fields_are_held_to_their_columns(
    field: str, value: str, api_as: Callable[[User], HttpClient], front_desk: User, clinician: User
) -> None:
    body = {
        "first_name": "Ana",
        "last_name": "Diaz",
        "date_of_birth": "1991-02-03",
        "primary_clinician_id": clinician.pk,
    }
    _refused(_post(api_as(front_desk), "/api/v1/clients", {**body, field: value}))
    assert not Client.objects.exists()


def test_a_date_of_birth_outside_the_range_is_a_400(
    api_as: Callable[[User], HttpClient], front_desk: User, clinician: User
) -> None:
    body = {
        "first_name": "Ana",
        "last_name": "Diaz",
        "date_of_birth": "0001-01-01",
        "primary_clinician_id": clinician.pk,
    }
    _refused(_post(api_as(front_desk), "/api/v1/clients", body))


@pytest.mark.parametrize(
    "starts_at, ends_at",
    [
        ("0001-01-01T00:00:00+14:00", "0001-01-01T00:50:00+14:00"),
        ("9999-12-31T23:00:00-14:00", "9999-12-31T23:50:00-14:00"),
        ("2026-11-30T10:00:00-05:00", "9999-12-31T23:00:00-14:00"),
    ],
)
def test_session_times_at_the_end_of_time_are_refused(
    starts_at: str, ends_at: str, api_as: Callable[[User], HttpClient], front_desk: User, client_of_record: Client
) -> None:
    body = {
        "clinician_id": client_of_record.primary_clinician_id,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "service": "individual",
        "setting": "in_person",
    }
    _refused(_post(api_as(front_desk), f"/api/v1/clients/{client_of_record.pk}/sessions", body), 400, 422)


@pytest.mark.parametrize("participants", [[NUL], ["x" * 201], ["a"] * 11])
def test_session_participants_are_bounded(
    participants: list[str], api_as: Callable[[User], HttpClient], front_desk: User, client_of_record: Client
) -> None:
    body = {
        "clinician_id": client_of_record.primary_clinician_id,
        "starts_at": "2026-11-30T10:00:00-05:00",
        "ends_at": "2026-11-30T10:53:00-05:00",
        "service": "individual",
        "setting": "in_person",
        "participants": participants,
    }
    _refused(_post(api_as(front_desk), f"/api/v1/clients/{client_of_record.pk}/sessions", body))


def test_a_break_glass_reason_with_nul_is_a_400(
    api_as: Callable[[User], HttpClient], outsider: User, client_of_record: Client
) -> None:
    body = {"reason": "other", "explanation": "covering for a colleague tonight" + NUL}
    _refused(_post(api_as(outsider), f"/api/v1/clients/{client_of_record.pk}/break-glass", body))


@pytest.mark.parametrize("field, value", [("full_name", NUL), ("full_name", "x" * 201), ("username", "a\x00b")])
def test_user_names_are_held_to_their_columns(
    field: str, value: str, api_as: Callable[[User], HttpClient], admin: User
) -> None:
    body = {"username": "newperson", "full_name": "New Person", "role": "biller", field: value}
    _refused(_post(api_as(admin), "/api/v1/users", body))


@pytest.mark.parametrize(
    "body",
    [
        {"format": "SOAP", "sections": {"subjective": NUL}},
        {"format": "SOAP", "sections": {"subjective": "ok"}, "risk": {"actions": ["deep", {"inside": NUL}]}},
        {"format": "SOAP", "sections": {"subjective": "x" * 50_001}},
        {"format": "SOAP", "sections": {"subjective": "ok"}, "mental_status": {"mood\x00": "fine"}},
    ],
)
def test_note_text_with_nul_or_over_its_bound_is_a_400(
    body: dict[str, Any], api_as: Callable[[User], HttpClient], clinician: User, therapy_session: Any
) -> None:
    _refused(_post(api_as(clinician), f"/api/v1/sessions/{therapy_session.pk}/progress-notes", body))
    assert not ProgressNote.objects.exists()


def test_an_audit_filter_at_the_end_of_time_is_a_400(api_as: Callable[[User], HttpClient], admin: User) -> None:
    _refused(api_as(admin).get("/api/v1/audit", {"since": "0001-01-01T00:00:00+14:00"}))


def test_an_unforeseen_error_answers_json_not_html(
    monkeypatch: pytest.MonkeyPatch, api_as: Callable[[User], HttpClient], clinician: User, client_of_record: Client
) -> None:
    from confide.clients import services

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug, with a secret in its message")

    http = api_as(clinician)
    http.raise_request_exception = False
    monkeypatch.setattr(services, "visible_client", broken)
    response = http.get(f"/api/v1/clients/{client_of_record.pk}")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "something went wrong on our side; it has been logged", "code": "server_error"}
    assert b"secret" not in response.content


# --- Drafting: one transcript cannot hold a worker (finding 10) ----------------------------------------------------


def test_a_draft_of_jotted_ones_is_a_prompt_422(
    api_as: Callable[[User], HttpClient], clinician: User, therapy_session: Any
) -> None:
    import time

    started = time.perf_counter()
    body = {"transcript": "1." * 499_999, "transcript_format": "points", "note_format": "SOAP"}
    response = _post(api_as(clinician), f"/api/v1/sessions/{therapy_session.pk}/drafts", body)
    _refused(response, 422)
    assert response.json()["code"] == "transcript_too_long"
    assert time.perf_counter() - started < 5  # took 11-40 s of CPU before, then the worker was killed


def test_a_draft_past_its_time_bound_is_a_422(
    settings: Any, api_as: Callable[[User], HttpClient], clinician: User, therapy_session: Any
) -> None:
    settings.DRAFT_MAX_SECONDS = 0
    body = {"transcript": "Client slept badly.\nPlan: sleep diary.", "transcript_format": "points"}
    response = _post(api_as(clinician), f"/api/v1/sessions/{therapy_session.pk}/drafts", body)
    _refused(response, 422)
    assert response.json()["code"] == "draft_timed_out"
