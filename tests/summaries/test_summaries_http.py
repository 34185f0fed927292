"""Periodic progress summaries through real HTTP: drafted from the official record with evidence, every number equal
to the database's answer, never a word of a psychotherapy note; edited while draft, signed and locked; what is due
from each client's schedule; who may do what."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from pypdf import PdfReader

from confide.clients.models import Client
from confide.measures import services as measures
from confide.notes import services as notes
from confide.people.models import User
from confide.plans import services as plans
from confide.sessions.models import TherapySession
from confide.summaries import services as summaries
from tests.conftest import session_for
from tests.web.notes_support import COMPLETE_SOAP

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

PRIVATE = "PRIVATE-3c9e the anniversary of the accident"


def post(http: HttpClient, path: str, body: object) -> Any:
    return http.post(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def rivera(api_as: Callable[[User], HttpClient], clinician: User) -> HttpClient:
    return api_as(clinician)


@pytest.fixture
def course(clinician: User, client_of_record: Client, rivera: HttpClient) -> dict[str, Any]:
    """Five kept sessions with signed notes, two no-shows, one cancellation; a PHQ-9 at 18 then 11; a plan; a
    psychotherapy note whose words must never reach a summary."""
    plans.add_diagnosis(actor=clinician, client=client_of_record, code="F33.1", diagnosed_on=date(2026, 1, 5))
    plans.revise_plan(
        actor=clinician,
        client=client_of_record,
        review_on=timezone.localdate() + timedelta(days=60),
        problems=[
            {
                "description": "Low mood",
                "goals": [
                    {
                        "description": "Fewer low days",
                        "objectives": [
                            {
                                "description": "Walk three times a week",
                                "target_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
                                "status": "in_progress",
                            }
                        ],
                    }
                ],
            }
        ],
    )
    kept = [session_for(client_of_record, clinician, days_ago=d) for d in (40, 33, 26, 19, 12)]
    for d in (36, 22):
        session_for(client_of_record, clinician, days_ago=d, status="no_show")
    session_for(client_of_record, clinician, days_ago=15, status="cancelled")
    levels = ["moderate", "low", "low", "none", "none"]
    for s, level in zip(kept, levels, strict=True):
        note = notes.start_note(
            actor=clinician,
            session=s,
            format="SOAP",
            sections={**COMPLETE_SOAP, "plan": f"Continue walking; next step {s.pk}."},
            risk={"suicidal_ideation": {"level": level}},
            interventions=["Behavioral activation"],
        )
        notes.sign_note(actor=clinician, note=note)
    for answers, days_ago in (([2] * 9, 40), ([2, 1, 1, 1, 2, 1, 1, 2, 0], 12)):
        measures.record_measure(
            actor=clinician,
            client=client_of_record,
            instrument="PHQ-9",
            answers=answers,
            administered_on=timezone.localdate() - timedelta(days=days_ago),
        )
    written = post(rivera, f"/api/v1/sessions/{kept[0].pk}/psychotherapy-notes", {"body": PRIVATE})
    assert written.status_code == 201, written.content
    return {"kept": kept}


def span() -> dict[str, str]:
    today = timezone.localdate()
    return {"period_start": (today - timedelta(days=45)).isoformat(), "period_end": today.isoformat()}


def test_the_draft_says_what_the_record_says_with_evidence(
    rivera: HttpClient, client_of_record: Client, course: dict[str, Any]
) -> None:
    made = post(rivera, f"/api/v1/clients/{client_of_record.pk}/summaries", span())
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "draft"
    assert list(body["sections"]) == ["reason", "attendance", "progress", "measures", "risk", "diagnoses", "plan"]
    attendance = body["sections"]["attendance"][0]
    numbers = [int(n) for n in re.findall(r"\b(\d+) (?:session|was|were|missed|cancelled)", attendance["text"])]
    in_span = TherapySession.objects.filter(client=client_of_record).exclude(status="scheduled")
    kept = in_span.filter(status="kept").count()
    assert f"Of {in_span.count()} sessions" in attendance["text"]
    assert f"{kept} were attended, 2 missed without notice and 1 cancelled" in attendance["text"], numbers
    assert {e["id"] for e in attendance["evidence"]} == set(in_span.values_list("pk", flat=True))
    assert all(e["kind"] == "session" for e in attendance["evidence"])
    risk = body["sections"]["risk"][0]
    assert "assessed in 5 of 5 signed notes: none (2), low (2), moderate (1); highest moderate" in risk["text"]
    assert len(risk["evidence"]) == 5 and {e["kind"] for e in risk["evidence"]} == {"progress_note"}
    measures_text = " ".join(s["text"] for s in body["sections"]["measures"])
    assert "PHQ-9 in the period: 18" in measures_text and ", 11 (" in measures_text
    assert "PHQ-9 18 → 11 since baseline, a reliable improvement" in measures_text
    assert "raised a risk alert" in body["text"]["risk"]  # the first PHQ-9 answered item 9 above 0
    assert "Walk three times a week" in body["text"]["progress"] and "in progress" in body["text"]["progress"]
    assert "F33.1" in body["text"]["diagnoses"]
    assert "Behavioral activation (5)" in body["text"]["plan"]
    assert PRIVATE not in made.content.decode()


def test_an_empty_period_says_not_documented(rivera: HttpClient, client_of_record: Client) -> None:
    made = post(rivera, f"/api/v1/clients/{client_of_record.pk}/summaries", span()).json()
    assert "No sessions took place" in made["text"]["attendance"]
    assert "not documented" in made["text"]["risk"] and "not documented" in made["text"]["measures"]


def test_edit_while_draft_then_sign_and_lock(
    rivera: HttpClient, client_of_record: Client, course: dict[str, Any]
) -> None:
    sid = post(rivera, f"/api/v1/clients/{client_of_record.pk}/summaries", span()).json()["id"]
    edited = rivera.patch(
        f"/api/v1/summaries/{sid}",
        json.dumps({"sections": {"plan": "Continue weekly; add sleep hygiene."}}),
        content_type="application/json",
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["text"]["plan"] == "Continue weekly; add sleep hygiene."
    assert edited.json()["sections"]["plan"][0]["evidence"]  # the edited text keeps what it rested on
    unknown = rivera.patch(
        f"/api/v1/summaries/{sid}", json.dumps({"sections": {"gossip": "x"}}), content_type="application/json"
    )
    assert unknown.status_code == 422
    signed = post(rivera, f"/api/v1/summaries/{sid}/sign", {})
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "signed" and len(signed.json()["content_hash"]) == 64
    locked = rivera.patch(
        f"/api/v1/summaries/{sid}", json.dumps({"sections": {"plan": "changed"}}), content_type="application/json"
    )
    assert locked.status_code == 409
    assert post(rivera, f"/api/v1/summaries/{sid}/sign", {}).status_code == 409
    listed = rivera.get(f"/api/v1/clients/{client_of_record.pk}/summaries").json()
    assert [s["id"] for s in listed] == [sid]
    added = post(rivera, f"/api/v1/summaries/{sid}/addenda", {"text": "A late-entered session on the 30th."})
    assert added.status_code == 201, added.content
    [addendum] = rivera.get(f"/api/v1/summaries/{sid}").json()["addenda"]
    assert addendum["text"] == "A late-entered session on the 30th." and len(addendum["content_hash"]) == 64
    assert rivera.get(f"/api/v1/summaries/{sid}").json()["content_hash"] == signed.json()["content_hash"]


def test_a_supervisees_summary_waits_for_cosignature(
    api_as: Callable[[User], HttpClient], supervisee: User, supervisor: User, supervisee_client: Client
) -> None:
    http = api_as(supervisee)
    sid = post(http, f"/api/v1/clients/{supervisee_client.pk}/summaries", span()).json()["id"]
    assert post(http, f"/api/v1/summaries/{sid}/sign", {}).json()["status"] == "awaiting_cosign"
    assert post(http, f"/api/v1/summaries/{sid}/cosign", {}).status_code == 403  # not one's own
    boss = api_as(supervisor)
    cosigned = post(boss, f"/api/v1/summaries/{sid}/cosign", {})
    assert cosigned.status_code == 200, cosigned.content
    assert cosigned.json()["status"] == "signed" and cosigned.json()["cosigned_by_id"] == supervisor.pk
    again = post(boss, f"/api/v1/summaries/{sid}/cosign", {})
    assert again.status_code == 409 and again.json()["code"] == "not_awaiting_cosign"


def test_what_is_due_follows_each_clients_schedule(
    rivera: HttpClient, clinician: User, client_of_record: Client
) -> None:
    client_of_record.admitted_on = date(2025, 1, 1)
    client_of_record.save()
    assert rivera.get("/api/v1/summaries/due").json() == []
    patched = rivera.patch(
        f"/api/v1/clients/{client_of_record.pk}",
        json.dumps({"summary_schedule": "monthly"}),
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["summary_schedule"] == "monthly"
    [due] = rivera.get("/api/v1/summaries/due").json()
    start, end = summaries.period_before("monthly", timezone.localdate())
    assert (due["period_start"], due["period_end"]) == (start.isoformat(), end.isoformat())
    assert due["client_id"] == client_of_record.pk and due["summary_id"] is None
    sid = post(
        rivera, f"/api/v1/clients/{client_of_record.pk}/summaries", {"period_start": str(start), "period_end": str(end)}
    ).json()["id"]
    assert rivera.get("/api/v1/summaries/due").json()[0]["summary_id"] == sid  # started, still due
    post(rivera, f"/api/v1/summaries/{sid}/sign", {})
    assert rivera.get("/api/v1/summaries/due").json() == []
    quarterly = summaries.period_before("quarterly", date(2026, 5, 20))
    assert quarterly == (date(2026, 1, 1), date(2026, 3, 31))
    assert summaries.period_before("monthly", date(2026, 1, 10)) == (date(2025, 12, 1), date(2025, 12, 31))


def test_who_may_draft_read_and_sign(
    rivera: HttpClient,
    client_of_record: Client,
    biller: User,
    front_desk: User,
    outsider: User,
    colleague: User,
    api_as: Callable[[User], HttpClient],
) -> None:
    sid = post(rivera, f"/api/v1/clients/{client_of_record.pk}/summaries", span()).json()["id"]
    assert post(api_as(biller), f"/api/v1/clients/{client_of_record.pk}/summaries", span()).status_code == 403
    assert api_as(front_desk).get(f"/api/v1/summaries/{sid}").status_code == 403
    assert api_as(outsider).get(f"/api/v1/summaries/{sid}").status_code == 404
    assert post(api_as(outsider), f"/api/v1/summaries/{sid}/sign", {}).status_code == 404
    bad = post(
        rivera,
        f"/api/v1/clients/{client_of_record.pk}/summaries",
        {"period_start": "2026-05-01", "period_end": "2026-04-01"},
    )
    assert bad.status_code == 422 and bad.json()["code"] == "bad_span"
    desk_patch = api_as(front_desk).patch(
        f"/api/v1/clients/{client_of_record.pk}",
        json.dumps({"summary_schedule": "quarterly"}),
        content_type="application/json",
    )
    assert desk_patch.status_code == 200
    assert (
        api_as(biller)
        .patch(f"/api/v1/clients/{client_of_record.pk}", json.dumps({"phone": "555"}), content_type="application/json")
        .status_code
        == 403
    )


def test_the_command_lists_what_is_due(clinician: User, client_of_record: Client) -> None:
    from io import StringIO

    from django.core.management import call_command

    client_of_record.admitted_on = date(2025, 1, 1)
    client_of_record.summary_schedule = "quarterly"
    client_of_record.save()
    out = StringIO()
    call_command("summaries", "due", "--as", clinician.username, "--json", stdout=out)
    [row] = json.loads(out.getvalue())
    start, end = summaries.period_before("quarterly", timezone.localdate())
    assert (row["client_id"], row["period_start"], row["period_end"]) == (client_of_record.pk, str(start), str(end))
    lines = StringIO()
    call_command("summaries", "due", stdout=lines)
    assert f"client {client_of_record.pk} Alex Morgan" in lines.getvalue()


def test_a_signed_summary_is_released_and_a_draft_is_withheld(
    rivera: HttpClient, client_of_record: Client, course: dict[str, Any]
) -> None:
    signed = post(rivera, f"/api/v1/clients/{client_of_record.pk}/summaries", span()).json()["id"]
    post(rivera, f"/api/v1/summaries/{signed}/sign", {})
    draft_id = post(rivera, f"/api/v1/clients/{client_of_record.pk}/summaries", span()).json()["id"]
    body = {"recipient": {"name": "County Court"}, "basis": "court_order", "include": {"summaries": True}}
    made = post(rivera, f"/api/v1/clients/{client_of_record.pk}/disclosures", body)
    assert made.status_code == 201, made.content
    assert [(i["kind"], str(i["id"])) for i in made.json()["items"]] == [("summary", str(signed))]
    assert [(w["kind"], str(w["id"])) for w in made.json()["withheld"]] == [("summary", str(draft_id))]
    bundle = json.loads(rivera.get(made.json()["package"]["fhir_url"]).content)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert "DocumentReference" in kinds or "Composition" in kinds
    pdf = rivera.get(made.json()["package"]["pdf_url"]).content
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Behavioral activation (5)" in text and PRIVATE not in text
