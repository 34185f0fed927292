"""Measures through real HTTP: record, list with change since baseline, the PHQ-9 item 9 alert that holds the next
note's signature, the client's one-time link, and what billers and the front desk see."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from pypdf import PdfReader

from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.measures.models import Measure, MeasureRequest
from confide.people.models import User
from tests.conftest import session_for
from tests.disclosures.test_fhir import validate
from tests.web.notes_support import draft_note

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

PHQ9_17 = [2, 2, 2, 2, 2, 2, 2, 2, 1]  # 17, item 9 above 0
PHQ9_11 = [2, 1, 1, 1, 2, 1, 1, 2, 0]  # 11


def post(http: HttpClient, path: str, body: object) -> Any:
    return http.post(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def rivera(api_as: Callable[[User], HttpClient], clinician: User) -> HttpClient:
    return api_as(clinician)


def give(http: HttpClient, client: Client, answers: list[Any], instrument: str = "PHQ-9", days_ago: int = 0) -> Any:
    day = (timezone.localdate() - timedelta(days=days_ago)).isoformat()
    body = {"instrument": instrument, "answers": answers, "administered_on": day}
    return post(http, f"/api/v1/clients/{client.pk}/measures", body)


def test_scores_bands_and_change_since_baseline(rivera: HttpClient, client_of_record: Client) -> None:
    first = give(rivera, client_of_record, PHQ9_17, days_ago=30)
    assert first.status_code == 201, first.content
    body = first.json()
    assert (body["score"], body["severity"]) == (17, "moderately severe")
    assert body["change_from_baseline"] is None
    assert [a["code"] for a in body["alerts"]] == ["phq9_item9"]
    second = give(rivera, client_of_record, PHQ9_11)
    change = second.json()["change_from_baseline"]
    assert (change["baseline"], change["current"], change["delta"], change["reliable"]) == (17, 11, -6, True)
    assert change["sentence"].startswith("PHQ-9 17 → 11")
    gad = give(rivera, client_of_record, [1] * 7, instrument="GAD-7")
    assert gad.json()["score"] == 7 and gad.json()["change_from_baseline"] is None  # its own baseline
    listed = rivera.get(f"/api/v1/clients/{client_of_record.pk}/measures").json()
    assert [m["score"] for m in listed] == [17, 11, 7]
    assert listed[1]["change_from_baseline"]["delta"] == -6


@pytest.mark.parametrize(
    ("instrument", "answers", "status"),
    [
        ("PHQ-9", [1] * 8, 422),
        ("PHQ-9", [1] * 10, 422),
        ("PHQ-9", [4, 0, 0, 0, 0, 0, 0, 0, 0], 422),
        ("PHQ-9", [-1, 0, 0, 0, 0, 0, 0, 0, 0], 422),
        ("PHQ-9", ["1", 0, 0, 0, 0, 0, 0, 0, 0], 400),
        ("PHQ-9", [True, 0, 0, 0, 0, 0, 0, 0, 0], 400),
        ("BDI-II", [1] * 21, 422),
        ("PCL-5", [5] + [0] * 19, 422),
    ],
)
def test_bad_answers_are_refused(
    rivera: HttpClient, client_of_record: Client, instrument: str, answers: list[Any], status: int
) -> None:
    refused = give(rivera, client_of_record, answers, instrument=instrument)
    assert refused.status_code == status, refused.content
    if status == 422:
        assert refused.json()["code"] in ("invalid_answers", "invalid_instrument")
    assert Measure.objects.count() == 0


def test_an_item_9_alert_holds_the_next_note_until_acknowledged(
    rivera: HttpClient, clinician: User, client_of_record: Client
) -> None:
    note = draft_note(session_for(client_of_record, clinician, days_ago=1), clinician)
    measure = give(rivera, client_of_record, PHQ9_17).json()
    held = post(rivera, f"/api/v1/progress-notes/{note.pk}/sign", {})
    assert held.status_code == 422 and held.json()["code"] == "risk_alert_unacknowledged", held.content
    risk = {"suicidal_ideation": {"level": "low"}, "acknowledged_alerts": [measure["id"]]}
    patched = rivera.patch(
        f"/api/v1/progress-notes/{note.pk}", json.dumps({"risk": risk}), content_type="application/json"
    )
    assert patched.status_code == 200, patched.content
    signed = post(rivera, f"/api/v1/progress-notes/{note.pk}/sign", {})
    assert signed.status_code == 200, signed.content
    assert Measure.objects.get(pk=measure["id"]).acknowledged_by_id == note.pk
    assert rivera.get(f"/api/v1/clients/{client_of_record.pk}/measures").json()[0]["acknowledged_by_note_id"] == note.pk
    # a later note is not held by an alert already answered
    later = draft_note(session_for(client_of_record, clinician), clinician)
    assert post(rivera, f"/api/v1/progress-notes/{later.pk}/sign", {}).status_code == 200


def test_the_clients_link_works_once_and_then_is_gone(
    rivera: HttpClient, client_of_record: Client, front_desk: User, api_as: Callable[[User], HttpClient]
) -> None:
    made = post(api_as(front_desk), f"/api/v1/clients/{client_of_record.pk}/measure-requests", {"instrument": "GAD-7"})
    assert made.status_code == 201, made.content
    url = made.json()["url"]
    path = "/" + url.split("/", 3)[3]
    assert path.startswith("/m/")
    assert MeasureRequest.objects.get().token_hash not in url  # only the hash is stored
    tablet = HttpClient()
    page = tablet.get(path)
    assert page.status_code == 200 and b"Not at all" in page.content
    assert "Morgan" not in page.content.decode()  # nothing on the tablet names the client
    incomplete = tablet.post(path, {"item-1": "1"})
    assert incomplete.status_code == 422
    answers = {f"item-{n}": "2" for n in range(1, 8)}
    done = tablet.post(path, answers)
    assert done.status_code == 200 and b"Thank you" in done.content
    assert tablet.get(path).status_code == 410
    assert tablet.post(path, answers).status_code == 410
    [measure] = Measure.objects.all()
    assert (measure.instrument, measure.score, measure.entered_by_id) == ("GAD-7", 14, None)
    assert AuditEntry.objects.filter(action="confide.measure.answered_by_client", object_id=str(measure.pk)).exists()
    assert HttpClient().get("/m/not-a-token/").status_code == 404


def test_an_expired_link_is_gone(rivera: HttpClient, client_of_record: Client) -> None:
    url = post(rivera, f"/api/v1/clients/{client_of_record.pk}/measure-requests", {"instrument": "PHQ-9"}).json()["url"]
    MeasureRequest.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert HttpClient().get("/" + url.split("/", 3)[3]).status_code == 410


def test_billers_see_that_a_measure_was_given_and_nothing_more(
    rivera: HttpClient,
    client_of_record: Client,
    biller: User,
    front_desk: User,
    outsider: User,
    api_as: Callable[[User], HttpClient],
) -> None:
    give(rivera, client_of_record, PHQ9_17)
    billing = api_as(biller).get(f"/api/v1/clients/{client_of_record.pk}/measures")
    assert billing.status_code == 200
    [row] = billing.json()
    assert (row["instrument"], row["cpt"]) == ("PHQ-9", "96127")
    assert row["score"] is None and row["answers"] is None and row["alerts"] is None
    assert api_as(front_desk).get(f"/api/v1/clients/{client_of_record.pk}/measures").status_code == 403
    assert api_as(outsider).get(f"/api/v1/clients/{client_of_record.pk}/measures").status_code == 404
    assert give(api_as(biller), client_of_record, PHQ9_11).status_code == 403
    assert give(api_as(outsider), client_of_record, PHQ9_11).status_code == 404


def test_a_release_of_measures_carries_them_in_the_pdf_and_the_fhir_bundle(
    rivera: HttpClient, client_of_record: Client
) -> None:
    give(rivera, client_of_record, PHQ9_17, days_ago=14)
    give(rivera, client_of_record, PHQ9_11)
    body = {"recipient": {"name": "County Court"}, "basis": "court_order", "include": {"measures": True}}
    made = post(rivera, f"/api/v1/clients/{client_of_record.pk}/disclosures", body)
    assert made.status_code == 201, made.content
    assert sorted(i["kind"] for i in made.json()["items"]) == ["measure", "measure"]
    bundle = json.loads(rivera.get(made.json()["package"]["fhir_url"]).content)
    observations = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert sorted(o["valueInteger"] for o in observations) == [11, 17]
    assert {o["code"]["coding"][0]["code"] for o in observations} == {"44261-6"}
    assert [c["valueInteger"] for c in observations[0]["component"]] in (PHQ9_17, PHQ9_11)
    validate(bundle)  # against fhir.resources' R4B models
    pdf = rivera.get(made.json()["package"]["pdf_url"]).content
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "PHQ-9 score over time" in text and "moderately severe" in text


def test_the_demo_practice_has_measures_to_try_and_one_open_alert() -> None:
    from confide.ops.seed import seed_demo_practice

    seed_demo_practice(show_progress=False, months=2)
    assert Measure.objects.filter(instrument="PHQ-9").count() >= 4
    assert Measure.objects.filter(instrument="GAD-7").count() >= 4
    open_alerts = [m for m in Measure.objects.all() if m.open_risk_alert]
    assert len(open_alerts) == 1
    from confide.summaries.services import due_for

    assert any(due_for(c, timezone.localdate()) for c in User.objects.filter(role="clinician"))
