"""The existence of a psychotherapy note is its author's business, in the audit log too.

Through real HTTP, as the people in the room: the author (rivera, clinician of record), a colleague on the care team
who can open the chart, an outsider clinician, and the practice's administrator. An admin reading the log sees who,
when, which kind of action and the outcome of a psychotherapy-note event, and nothing that says which note, client or
session, nor what the boundary check found; no clinical detail of any entry (diagnosis codes, break-the-glass
reasons). A chart's access report lists reads of the official record only. The author sees their own vault events in
full. And the stored entries keep everything: verification still walks the full chain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as HttpClient

from confide.audit import actions
from confide.audit.models import AuditEntry
from confide.audit.services import verify
from confide.clients.models import Client
from confide.people.models import User

ApiAs = Callable[[User], HttpClient]
# Each phrase trips one of the boundary check's warnings: their codes say what kind of content the note holds.
BODY = "Session started at 10:05. GAD-7 was 15; discussed the treatment plan. I felt pulled into rescuing."
BREAK_GLASS_REASON = "Client in crisis at the front desk, primary clinician away"
DIAGNOSIS = "F41.1"
WARNING_CODES = ("session_times", "measure_score", "treatment_plan")


@dataclass(frozen=True)
class Day:
    """What happened: rivera wrote, read and listed a psychotherapy note and added a diagnosis; a colleague tried to
    read the note; an outsider broke the glass."""

    client_id: int
    session_id: int
    note_id: str


def post(http: HttpClient, path: str, body: object) -> Any:
    response = http.post(path, body, content_type="application/json")
    assert response.status_code == 201, (path, response.content)
    return response.json()


@pytest.fixture
def day(
    api_as: ApiAs,
    clinician: User,
    colleague: User,
    outsider: User,
    client_of_record: Client,
    therapy_session: Any,
) -> Day:
    cid = client_of_record.pk
    author = api_as(clinician)
    post(author, f"/api/v1/clients/{cid}/care-team", {"clinician_id": colleague.pk})
    written = post(author, f"/api/v1/sessions/{therapy_session.pk}/psychotherapy-notes", {"body": BODY})
    assert {w["code"] for w in written["warnings"]} >= set(WARNING_CODES)
    note_id = str(written["id"])
    assert author.get(f"/api/v1/psychotherapy-notes/{note_id}").status_code == 200
    assert author.get("/api/v1/psychotherapy-notes").status_code == 200
    assert author.get(f"/api/v1/clients/{cid}").status_code == 200
    post(author, f"/api/v1/clients/{cid}/diagnoses", {"code": DIAGNOSIS, "diagnosed_on": "2026-10-01"})
    assert api_as(colleague).get(f"/api/v1/psychotherapy-notes/{note_id}").status_code == 404
    post(api_as(outsider), f"/api/v1/clients/{cid}/break-glass", {"reason": BREAK_GLASS_REASON})
    return Day(cid, therapy_session.pk, note_id)


def log_as(api_as: ApiAs, user: User, **query: str | int) -> list[dict[str, Any]]:
    response = api_as(user).get("/api/v1/audit", {"limit": 1000, **query})
    assert response.status_code == 200, response.content
    entries: list[dict[str, Any]] = response.json()
    return entries


def stored(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("seq")


def test_admin_sees_who_when_kind_and_outcome_of_a_vault_event_and_nothing_else(
    api_as: ApiAs, admin: User, day: Day
) -> None:
    entries = log_as(api_as, admin)
    private_seqs = set(
        AuditEntry.objects.filter(action__in=actions.codes(about=actions.About.PRIVATE)).values_list("seq", flat=True)
    )
    private = [e for e in entries if e["seq"] in private_seqs]
    written = next(e for e in entries if e["seq"] == stored("confide.psychotherapy_note.written").seq)
    assert written["actor_username"] == "rivera"
    assert (written["kind"], written["outcome"], written["redacted"]) == ("change", "ok", True)
    assert (written["action"], written["client_id"], written["object_type"], written["object_id"]) == (
        None,
        None,
        None,
        None,
    )
    assert written["detail"] == {}
    assert written["at"]
    assert len(private) == len(private_seqs) >= 4  # written, read, listed, and the colleague's refused read
    assert {(e["kind"], e["outcome"]) for e in private} >= {("change", "ok"), ("read", "ok"), ("read", "denied")}
    assert all(e["action"] is None and e["detail"] == {} and e["client_id"] is None for e in private)


def test_admin_log_holds_no_note_id_client_session_warning_count_diagnosis_or_reason(
    api_as: ApiAs, admin: User, day: Day
) -> None:
    text = api_as(admin).get("/api/v1/audit", {"limit": 1000}).content.decode()
    for secret in (day.note_id, "psychotherapy", DIAGNOSIS, BREAK_GLASS_REASON, *WARNING_CODES):
        assert secret not in text, secret
    listed = stored("confide.psychotherapy_note.listed")
    shown = next(e for e in log_as(api_as, admin) if e["seq"] == listed.seq)
    assert "count" not in shown["detail"]  # how many private notes the author keeps


def test_admin_keeps_the_official_record_and_loses_only_its_clinical_detail(
    api_as: ApiAs, admin: User, day: Day
) -> None:
    by_seq = {e["seq"]: e for e in log_as(api_as, admin)}
    diagnosis = by_seq[stored("confide.diagnosis.added").seq]
    assert (diagnosis["action"], diagnosis["client_id"], diagnosis["redacted"]) == (
        "confide.diagnosis.added",
        day.client_id,
        True,
    )
    assert "code" not in diagnosis["detail"]
    opened = by_seq[stored("confide.client.break_glass").seq]
    assert (opened["actor_username"], opened["client_id"], opened["kind"]) == ("outsider", day.client_id, "read")
    assert "reason" not in opened["detail"]
    viewed = by_seq[stored("confide.client.viewed").seq]
    assert (viewed["action"], viewed["redacted"]) == ("confide.client.viewed", False)


def test_admin_filters_never_match_what_they_are_not_shown(api_as: ApiAs, admin: User, day: Day) -> None:
    # A filter on a hidden field would tell the admin which client's or which kind of private note events exist.
    assert log_as(api_as, admin, action="confide.psychotherapy_note") == []
    for_client = log_as(api_as, admin, client_id=day.client_id)
    assert for_client
    assert all(e["action"] is not None for e in for_client)
    assert all(not e["action"].startswith("confide.psychotherapy_note") for e in for_client)


def test_the_author_sees_their_own_vault_events_in_full(
    api_as: ApiAs, clinician: User, colleague: User, day: Day
) -> None:
    entries = log_as(api_as, clinician)
    written = next(e for e in entries if e["action"] == "confide.psychotherapy_note.written")
    assert (written["client_id"], written["object_id"], written["redacted"]) == (day.client_id, day.note_id, False)
    assert written["detail"]["session_id"] == day.session_id
    assert set(written["detail"]["warnings"]) >= set(WARNING_CODES)
    diagnosis = next(e for e in entries if e["action"] == "confide.diagnosis.added")
    assert diagnosis["detail"]["code"] == DIAGNOSIS
    # Someone tried to read the author's note: that is the author's business too, in full.
    tried = [e for e in entries if e["actor_id"] == colleague.pk]
    assert [(e["action"], e["outcome"], e["object_id"]) for e in tried] == [
        ("confide.psychotherapy_note.read", "denied", day.note_id)
    ]
    # And nobody else's: the outsider's break-the-glass is not the author's to read here.
    assert {e["actor_id"] for e in entries} == {clinician.pk, colleague.pk}


def test_a_colleague_reads_only_their_own_entries(api_as: ApiAs, clinician: User, colleague: User, day: Day) -> None:
    entries = log_as(api_as, colleague)
    assert entries
    assert {e["actor_id"] for e in entries} == {colleague.pk}


def test_the_access_report_lists_official_reads_never_the_authors_private_notes(
    api_as: ApiAs, clinician: User, colleague: User, day: Day
) -> None:
    for reader in (colleague, clinician):
        response = api_as(reader).get(f"/api/v1/clients/{day.client_id}/access-report")
        assert response.status_code == 200
        rows = response.json()
        assert "psychotherapy" not in response.content.decode()
        assert {row["action"] for row in rows} <= set(actions.access_report_codes())
        assert ("rivera", "confide.client.viewed") in {(row["actor_username"], row["action"]) for row in rows}
        assert ("outsider", "confide.client.break_glass") in {(row["actor_username"], row["action"]) for row in rows}
        # The colleague's refused try at the private note is the author's business, not the chart's.
        assert colleague.pk not in {row["actor_id"] for row in rows}


def test_redaction_is_a_view_the_stored_entries_keep_everything_and_verify(
    api_as: ApiAs, admin: User, day: Day
) -> None:
    log_as(api_as, admin)
    written = stored("confide.psychotherapy_note.written")
    assert (written.client_id, written.object_id) == (day.client_id, day.note_id)
    assert set(written.detail["warnings"]) >= set(WARNING_CODES)
    assert stored("confide.diagnosis.added").detail == {"code": DIAGNOSIS}
    result = verify()
    assert result.ok, result.broken


@pytest.mark.parametrize("role", ["biller", "front_desk"])
def test_billers_and_front_desk_read_no_log(api_as: ApiAs, request: pytest.FixtureRequest, role: str) -> None:
    assert api_as(request.getfixturevalue(role)).get("/api/v1/audit").status_code == 403
