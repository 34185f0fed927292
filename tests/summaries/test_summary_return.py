"""A periodic summary awaiting co-signature goes back to its author with a comment, as a progress note does (web
review step and `POST /api/v1/summaries/{id}/return`), audited without the comment; and every path that co-signs a
summary asks what a note's asks: the web's the attestation and a review since signing, the API's an optional
attestation, recorded. Through real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client as HttpClient

from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.notes import services as notes
from confide.notes import supervision
from confide.notes.models import CosignReview, NoteStatus
from confide.people.models import User
from confide.summaries import services as summaries
from confide.summaries.models import Summary

ATTEST = notes.COSIGN_ATTESTATION
COMMENT = "Say which goals moved; the measures section has no scores."


def _awaiting(supervisee: User, client: Client) -> Summary:
    summary = summaries.create_summary(
        actor=supervisee, client=client, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31)
    )
    summaries.edit_summary(actor=supervisee, summary_id=summary.pk, sections={"progress": "Steady progress."})
    signed = summaries.sign_summary(actor=supervisee, summary_id=summary.pk)
    assert signed.status == NoteStatus.AWAITING_COSIGN
    return signed


def _post(http: HttpClient, path: str, body: object = None) -> Any:
    return http.post(path, json.dumps(body) if body is not None else "", content_type="application/json")


# --- Returning -------------------------------------------------------------------------------------------------------


def test_the_supervisor_returns_a_summary_from_the_review_step_with_a_comment(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    summary = _awaiting(supervisee, supervisee_client)
    http = web_as(supervisor)
    review = http.get(f"/supervision/summaries/{summary.pk}/").content.decode()
    assert f'action="/supervision/summaries/{summary.pk}/return/"' in review and "Return to Sam Lee" in review

    empty = http.post(f"/supervision/summaries/{summary.pk}/return/", {"comment": "   "})
    assert empty.status_code == 422 and "the comment is required to return a summary" in empty.content.decode()
    assert Summary.objects.get(pk=summary.pk).status == NoteStatus.AWAITING_COSIGN

    done = http.post(f"/supervision/summaries/{summary.pk}/return/", {"comment": f"  {COMMENT} "})
    assert done.status_code == 302 and done["Location"] == "/supervision/"
    back = Summary.objects.get(pk=summary.pk)
    assert (back.status, back.return_comment, back.content_hash, back.signed_at) == (
        NoteStatus.DRAFT,
        COMMENT,
        "",
        None,
    )
    assert supervision.queue(supervisor) == []  # out of the queue

    entry = AuditEntry.objects.get(action="confide.summary.returned")
    assert (entry.actor_id, entry.object_id, entry.client_id) == (supervisor.pk, str(summary.pk), supervisee_client.pk)
    assert "goals" not in json.dumps(entry.detail or {})  # the comment's words stay out of the log

    # The author sees the comment on the draft, edits it (it is a draft again) and signs again: the comment is
    # answered, and the summary waits for the supervisor once more.
    author = web_as(supervisee)
    page = author.get(f"/summaries/{summary.pk}/").content.decode()
    assert "Returned by Ada Okafor, PsyD:" in page and COMMENT in page and 'name="section-progress"' in page
    listing = author.get(f"/clients/{supervisee_client.pk}/summaries/").content.decode()
    assert "Returned" in listing
    signed = author.post(
        f"/summaries/{summary.pk}/", {"section-progress": "Steady progress; PHQ-9 18 to 11.", "action": "sign"}
    )
    assert signed.status_code == 302
    again = Summary.objects.get(pk=summary.pk)
    assert again.status == NoteStatus.AWAITING_COSIGN and again.return_comment == ""


def test_only_the_supervisor_may_return_and_only_while_it_awaits(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client, colleague: User
) -> None:
    summary = _awaiting(supervisee, supervisee_client)
    path = f"/supervision/summaries/{summary.pk}/return/"
    assert web_as(colleague).post(path, {"comment": COMMENT}).status_code == 404
    assert web_as(supervisee).post(path, {"comment": COMMENT}).status_code == 403
    assert Summary.objects.get(pk=summary.pk).status == NoteStatus.AWAITING_COSIGN
    http = web_as(supervisor)
    assert http.post(path, {"comment": COMMENT}).status_code == 302
    twice = http.post(path, {"comment": COMMENT}, follow=True)
    assert "not awaiting co-signature" in twice.content.decode()
    assert AuditEntry.objects.filter(action="confide.summary.returned").count() == 1


def test_the_api_returns_a_summary_like_a_note(
    api_as: Callable[[User], HttpClient], supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    summary = _awaiting(supervisee, supervisee_client)
    path = f"/api/v1/summaries/{summary.pk}/return"
    assert _post(api_as(supervisee), path, {"comment": COMMENT}).status_code == 403
    http = api_as(supervisor)
    assert _post(http, path, {"comment": "  "}).json()["code"] == "comment_required"
    assert _post(http, path, {"comment": "x\x00y"}).status_code == 400
    assert _post(http, path, {"comment": "x" * 5001}).status_code == 400
    assert _post(http, path, {}).status_code == 400
    done = _post(http, path, {"comment": COMMENT})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "draft" and done.json()["return_comment"] == COMMENT
    twice = _post(http, path, {"comment": COMMENT})
    assert twice.status_code == 409 and twice.json()["code"] == "not_awaiting_cosign"


# --- Co-signing asks for the attestation on every path ----------------------------------------------------------------


def test_the_summary_pages_cosign_button_runs_the_review_steps_rules(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    summary = _awaiting(supervisee, supervisee_client)
    http = web_as(supervisor)
    page = http.get(f"/summaries/{summary.pk}/").content.decode()
    assert f'href="/supervision/summaries/{summary.pk}/">Review and co-sign' in page
    assert 'value="cosign"' not in page

    # The older form post without the attestation co-signs nothing.
    bare = http.post(f"/summaries/{summary.pk}/", {"action": "cosign"})
    assert bare.status_code == 422 and "Tick the attestation" in bare.content.decode()
    assert Summary.objects.get(pk=summary.pk).status == NoteStatus.AWAITING_COSIGN
    # With the box ticked but never opened in the review step: still nothing, and sent to review it.
    unreviewed = http.post(f"/summaries/{summary.pk}/", {"action": "cosign", "attest": "on"})
    assert unreviewed.status_code == 302 and unreviewed["Location"] == f"/supervision/summaries/{summary.pk}/"
    assert Summary.objects.get(pk=summary.pk).status == NoteStatus.AWAITING_COSIGN
    # Reviewed, then attested: co-signed, the attestation kept.
    http.get(f"/supervision/summaries/{summary.pk}/")
    done = http.post(f"/summaries/{summary.pk}/", {"action": "cosign", "attest": "on"})
    assert done.status_code == 302
    assert Summary.objects.get(pk=summary.pk).status == NoteStatus.SIGNED
    assert supervision.summary_attestation(summary.pk) == ATTEST


def test_the_review_steps_cosign_needs_the_attestation(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    summary = _awaiting(supervisee, supervisee_client)
    http = web_as(supervisor)
    http.get(f"/supervision/summaries/{summary.pk}/")
    refused = http.post(f"/supervision/summaries/{summary.pk}/cosign/", {})
    assert refused.status_code == 422 and Summary.objects.get(pk=summary.pk).status == NoteStatus.AWAITING_COSIGN
    queue = http.post("/supervision/cosign/", {"records": [f"summary:{summary.pk}"]})
    assert queue.status_code == 422 and Summary.objects.get(pk=summary.pk).status == NoteStatus.AWAITING_COSIGN
    assert http.post(f"/supervision/summaries/{summary.pk}/cosign/", {"attest": "on"}).status_code == 302
    assert Summary.objects.get(pk=summary.pk).status == NoteStatus.SIGNED


@pytest.mark.parametrize("body", [None, {"attestation": ATTEST}])
def test_the_api_cosign_records_the_attestation_given(
    body: dict[str, str] | None,
    api_as: Callable[[User], HttpClient],
    supervisor: User,
    supervisee: User,
    supervisee_client: Client,
) -> None:
    summary = _awaiting(supervisee, supervisee_client)
    done = _post(api_as(supervisor), f"/api/v1/summaries/{summary.pk}/cosign", body)
    assert done.status_code == 200, done.content
    expected = body["attestation"] if body else ""
    assert done.json()["status"] == "signed" and done.json()["cosign_attestation"] == expected
    assert supervision.summary_attestation(summary.pk) == expected
    assert CosignReview.objects.filter(object_id=summary.pk).count() == (1 if body else 0)


def test_the_api_cosign_refuses_a_hostile_attestation(
    api_as: Callable[[User], HttpClient], supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    summary = _awaiting(supervisee, supervisee_client)
    http = api_as(supervisor)
    for bad in ({"attestation": "a\x00b"}, {"attestation": "x" * 301}, {"attestation": 7}, {"other": "x"}):
        response = _post(http, f"/api/v1/summaries/{summary.pk}/cosign", bad)
        assert response.status_code == 400 and set(response.json()) >= {"detail", "code"}
    assert Summary.objects.get(pk=summary.pk).status == NoteStatus.AWAITING_COSIGN
