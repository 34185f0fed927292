"""The supervisor's co-signature queue over HTTP, and the supervisee's day view: what awaits the supervisor is not
"overdue", and a returned note shows the supervisor's comment."""

from __future__ import annotations

from typing import Any

from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.notes import services as notes
from confide.notes.models import CosignReview, NoteStatus, ProgressNote
from confide.people.models import User
from tests.conftest import session_for
from tests.web.notes_support import draft_note, signed_note

ATTEST = notes.COSIGN_ATTESTATION


def _awaiting(client: Client, author: User, days_ago: int = 0) -> ProgressNote:
    return signed_note(session_for(client, author, days_ago=days_ago), author)


def test_the_queue_lists_each_note_with_supervisee_and_session(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    note = _awaiting(supervisee_client, supervisee, days_ago=1)
    response = web_as(supervisor).get("/supervision/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sam Lee, LPC-A" in html and "Jordan Blake" in html and "Individual psychotherapy" in html
    assert f"/supervision/notes/{note.pk}/" in html
    assert 'name="records"' not in html  # nothing reviewed yet: nothing to tick
    assert "Reports better sleep" not in html  # the list carries no narrative


def test_the_nav_shows_the_queue_and_its_count_to_supervisors_only(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client, clinician: User
) -> None:
    _awaiting(supervisee_client, supervisee)
    _awaiting(supervisee_client, supervisee, days_ago=1)
    html = web_as(supervisor).get("/").content.decode()
    assert "Co-sign queue" in html and '<span class="count">2<span class="visually-hidden"> waiting' in html
    assert "Co-sign queue" not in web_as(clinician).get("/").content.decode()
    assert "Co-sign queue" not in web_as(supervisee).get("/").content.decode()


def test_opening_a_note_records_the_review_and_the_read(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    note = _awaiting(supervisee_client, supervisee)
    http = web_as(supervisor)
    page = http.get(f"/supervision/notes/{note.pk}/")
    assert page.status_code == 200 and "Reports better sleep" in page.content.decode()
    assert CosignReview.objects.filter(supervisor=supervisor, object_id=note.pk).count() == 1
    assert AuditEntry.objects.filter(
        action="confide.progress_note.read", actor_id=supervisor.pk, object_id=str(note.pk)
    ).exists()
    assert 'name="records"' in http.get("/supervision/").content.decode()


def test_a_forged_batch_does_not_cosign_an_unopened_note(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    opened = _awaiting(supervisee_client, supervisee, days_ago=1)
    unopened = _awaiting(supervisee_client, supervisee)
    http = web_as(supervisor)
    http.get(f"/supervision/notes/{opened.pk}/")
    response = http.post(
        "/supervision/cosign/",
        {"attest": "on", "records": [f"progress_note:{opened.pk}", f"progress_note:{unopened.pk}"]},
        follow=True,
    )
    html = response.content.decode()
    assert "Co-signed 1" in html and "Not co-signed, because you have not opened them" in html
    assert ProgressNote.objects.get(pk=opened.pk).status == NoteStatus.SIGNED
    assert ProgressNote.objects.get(pk=unopened.pk).status == NoteStatus.AWAITING_COSIGN


def test_the_batch_needs_the_attestation(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    note = _awaiting(supervisee_client, supervisee)
    http = web_as(supervisor)
    http.get(f"/supervision/notes/{note.pk}/")
    response = http.post("/supervision/cosign/", {"records": [f"progress_note:{note.pk}"]})
    assert response.status_code == 422 and "Tick the attestation" in response.content.decode()
    junk = http.post("/supervision/cosign/", {"attest": "on", "records": ["progress_note:abc"]})
    assert junk.status_code == 422
    assert ProgressNote.objects.get(pk=note.pk).status == NoteStatus.AWAITING_COSIGN


def test_cosign_from_the_review_page_shows_the_attestation_on_the_signed_note(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    note = _awaiting(supervisee_client, supervisee)
    http = web_as(supervisor)
    http.get(f"/supervision/notes/{note.pk}/")
    refused = http.post(f"/supervision/notes/{note.pk}/cosign/", {})
    assert refused.status_code == 422 and "Tick the attestation to co-sign." in refused.content.decode()
    done = http.post(f"/supervision/notes/{note.pk}/cosign/", {"attest": "on"})
    assert done.status_code == 302 and done["Location"] == "/supervision/"
    note.refresh_from_db()
    assert note.status == NoteStatus.SIGNED and note.cosign_attestation == ATTEST
    assert ATTEST in http.get(f"/supervision/notes/{note.pk}/").content.decode()


def test_return_needs_a_comment_and_the_supervisee_sees_it(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    note = _awaiting(supervisee_client, supervisee)
    http = web_as(supervisor)
    empty = http.post(f"/supervision/notes/{note.pk}/return/", {"comment": "  "})
    assert empty.status_code == 422 and "the comment is required" in empty.content.decode()
    assert ProgressNote.objects.get(pk=note.pk).status == NoteStatus.AWAITING_COSIGN
    done = http.post(f"/supervision/notes/{note.pk}/return/", {"comment": "Name the intervention you used."})
    assert done.status_code == 302
    assert ProgressNote.objects.get(pk=note.pk).status == NoteStatus.DRAFT
    day = web_as(supervisee).get("/").content.decode()
    assert "Your supervisor's comment:" in day and "Name the intervention you used." in day


def test_others_cannot_review_or_cosign(
    web_as: Any, supervisor: User, supervisee: User, supervisee_client: Client, colleague: User
) -> None:
    note = _awaiting(supervisee_client, supervisee)
    assert web_as(colleague).get(f"/supervision/notes/{note.pk}/").status_code == 404
    assert web_as(supervisee).get(f"/supervision/notes/{note.pk}/").status_code == 403
    forged = web_as(colleague).post("/supervision/cosign/", {"attest": "on", "records": [f"progress_note:{note.pk}"]})
    assert forged.status_code == 404 and "Blake" not in forged.content.decode()
    assert ProgressNote.objects.get(pk=note.pk).status == NoteStatus.AWAITING_COSIGN
    assert not CosignReview.objects.exists()


def test_the_supervisees_day_separates_awaiting_the_supervisor_from_overdue(
    web_as: Any, settings: Any, supervisee: User, supervisee_client: Client
) -> None:
    settings.NOTE_LATE_ENTRY_HOURS = 72
    waiting = _awaiting(supervisee_client, supervisee, days_ago=6)
    late_draft = draft_note(session_for(supervisee_client, supervisee, days_ago=5), supervisee)
    response = web_as(supervisee).get("/")
    day = response.context["day"]
    assert [n.pk for n in day.overdue] == [late_draft.pk]
    assert [n.pk for n in day.awaiting_supervisor] == [waiting.pk]
    assert [n.pk for n in day.unsigned] == [late_draft.pk]
    html = response.content.decode()
    assert "Awaiting your supervisor" in html and "Ada Okafor, PsyD" in html


def test_a_long_client_name_wraps_with_the_full_name_available(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    client_of_record.first_name = "A" * 100
    client_of_record.last_name = "B" * 100
    client_of_record.save()
    session_for(client_of_record, clinician)
    html = web_as(clinician).get("/").content.decode()
    full = "A" * 100 + " " + "B" * 100
    assert f'class="client-name" href="/clients/{client_of_record.pk}/" title="{full}">{full}</a>' in html
    assert "supervision.css" in html


def test_the_demo_practice_shows_the_queue_and_the_supervisees_day(db: None) -> None:
    from confide.notes import supervision
    from confide.ops.seed import seed_demo_practice
    from confide.web import queries

    seed_demo_practice(show_progress=False, months=2)
    lee, okafor = User.objects.get(username="lee"), User.objects.get(username="okafor")
    day = queries.clinician_day(lee)
    assert day.awaiting_supervisor and not {n.pk for n in day.awaiting_supervisor} & {n.pk for n in day.overdue}
    assert any(n.return_comment for n in day.returned)
    queue = supervision.queue(okafor)
    assert [i.pk for i in queue if i.kind == "progress_note"] == [n.pk for n in day.awaiting_supervisor]
    cosigned = ProgressNote.objects.filter(author=lee, cosigned_by=okafor)
    assert cosigned.exists() and not cosigned.exclude(cosign_attestation=ATTEST).exists()
