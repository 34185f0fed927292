"""The co-signature rules behind the supervisor's queue (confide/notes/supervision.py, confide/notes/services.py):
the review step is recorded server-side, a batch co-signs only what was reviewed since the latest signing, the
attestation is kept with the co-signature, and a return needs a comment."""

from __future__ import annotations

from datetime import date

import pytest

from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.lib.errors import Forbidden, NotFound, RuleViolation
from confide.notes import services as notes
from confide.notes import supervision
from confide.notes.models import CosignReview, NoteStatus, ProgressNote, ReviewKind
from confide.people.models import User
from confide.summaries import services as summaries
from tests.conftest import make_user, session_for
from tests.web.notes_support import signed_note

ATTEST = notes.COSIGN_ATTESTATION
NOTE = ReviewKind.PROGRESS_NOTE


def _awaiting(client: Client, author: User, days_ago: int = 0) -> ProgressNote:
    note = signed_note(session_for(client, author, days_ago=days_ago), author)
    assert note.status == NoteStatus.AWAITING_COSIGN
    return note


def test_cosign_records_the_attestation(supervisor: User, supervisee: User, supervisee_client: Client) -> None:
    note = _awaiting(supervisee_client, supervisee)
    done = notes.cosign_note(actor=supervisor, note=note, attestation=f"  {ATTEST} ")
    assert done.status == NoteStatus.SIGNED and done.cosigned_by == supervisor
    assert ProgressNote.objects.get(pk=note.pk).cosign_attestation == ATTEST


def test_an_overlong_attestation_is_refused(supervisor: User, supervisee: User, supervisee_client: Client) -> None:
    note = _awaiting(supervisee_client, supervisee)
    with pytest.raises(RuleViolation) as refused:
        notes.cosign_note(actor=supervisor, note=note, attestation="x" * 301)
    assert refused.value.code == "invalid_attestation"
    assert ProgressNote.objects.get(pk=note.pk).status == NoteStatus.AWAITING_COSIGN


def test_the_batch_cosigns_only_what_was_opened_in_the_review_step(
    supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    opened = _awaiting(supervisee_client, supervisee, days_ago=2)
    unopened = _awaiting(supervisee_client, supervisee, days_ago=1)
    notes.open_for_review(actor=supervisor, note=opened)
    outcome = supervision.cosign_reviewed(
        actor=supervisor, keys=[(NOTE, opened.pk), (NOTE, unopened.pk)], attestation=ATTEST
    )
    assert len(outcome.cosigned) == 1 and len(outcome.not_reviewed) == 1
    assert "Jordan Blake" in outcome.not_reviewed[0]
    opened.refresh_from_db()
    unopened.refresh_from_db()
    assert opened.status == NoteStatus.SIGNED and opened.cosign_attestation == ATTEST
    assert unopened.status == NoteStatus.AWAITING_COSIGN and unopened.cosigned_by is None
    review = CosignReview.objects.get(kind=NOTE, object_id=opened.pk)
    assert review.attestation == ATTEST and review.cosigned_at is not None


def test_a_review_before_the_note_was_returned_and_signed_again_does_not_count(
    supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    note = _awaiting(supervisee_client, supervisee)
    notes.open_for_review(actor=supervisor, note=note)
    notes.return_note(actor=supervisor, note=note, comment="Name the intervention.")
    note = notes.sign_note(actor=supervisee, note=ProgressNote.objects.get(pk=note.pk))
    CosignReview.objects.filter(object_id=note.pk).update(opened_at=note.signed_at.replace(year=2020))
    outcome = supervision.cosign_reviewed(actor=supervisor, keys=[(NOTE, note.pk)], attestation=ATTEST)
    assert outcome.cosigned == [] and len(outcome.not_reviewed) == 1
    notes.open_for_review(actor=supervisor, note=note)
    assert supervision.cosign_reviewed(actor=supervisor, keys=[(NOTE, note.pk)], attestation=ATTEST).cosigned


def test_the_batch_needs_the_attestation_and_a_selection(
    supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    note = _awaiting(supervisee_client, supervisee)
    notes.open_for_review(actor=supervisor, note=note)
    with pytest.raises(RuleViolation) as no_attestation:
        supervision.cosign_reviewed(actor=supervisor, keys=[(NOTE, note.pk)], attestation=" ")
    assert no_attestation.value.code == "attestation_required"
    with pytest.raises(RuleViolation) as nothing:
        supervision.cosign_reviewed(actor=supervisor, keys=[], attestation=ATTEST)
    assert nothing.value.code == "nothing_selected"
    assert ProgressNote.objects.get(pk=note.pk).status == NoteStatus.AWAITING_COSIGN


def test_another_supervisors_note_in_the_batch_refuses_it_all(
    supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    mine = _awaiting(supervisee_client, supervisee)
    notes.open_for_review(actor=supervisor, note=mine)
    other_supervisor = make_user("osei", "clinician", full_name="Kofi Osei", credentials="PhD")
    trainee = make_user("park", "clinician", full_name="Jo Park", supervisor_id=other_supervisor.pk)
    client = Client.objects.create(
        first_name="Riley", last_name="Stone", date_of_birth=date(1991, 3, 3), primary_clinician=trainee
    )
    theirs = _awaiting(client, trainee)
    with pytest.raises(NotFound):
        supervision.cosign_reviewed(actor=supervisor, keys=[(NOTE, mine.pk), (NOTE, theirs.pk)], attestation=ATTEST)
    assert ProgressNote.objects.get(pk=mine.pk).status == NoteStatus.AWAITING_COSIGN
    assert ProgressNote.objects.get(pk=theirs.pk).status == NoteStatus.AWAITING_COSIGN


def test_only_the_supervisor_opens_a_note_for_review(
    supervisor: User, supervisee: User, supervisee_client: Client, colleague: User
) -> None:
    note = _awaiting(supervisee_client, supervisee)
    with pytest.raises(Forbidden):
        notes.open_for_review(actor=supervisee, note=note)
    with pytest.raises(NotFound):
        notes.open_for_review(actor=colleague, note=note)
    assert not CosignReview.objects.exists()


def test_opening_for_review_is_an_audited_read(supervisor: User, supervisee: User, supervisee_client: Client) -> None:
    note = _awaiting(supervisee_client, supervisee)
    notes.open_for_review(actor=supervisor, note=note)
    read = AuditEntry.objects.filter(action="confide.progress_note.read", actor_id=supervisor.pk)
    assert read.filter(object_id=str(note.pk)).exists()


def test_a_return_needs_a_comment(supervisor: User, supervisee: User, supervisee_client: Client) -> None:
    note = _awaiting(supervisee_client, supervisee)
    with pytest.raises(RuleViolation) as refused:
        notes.return_note(actor=supervisor, note=note, comment="   ")
    assert refused.value.code == "comment_required"
    returned = notes.return_note(actor=supervisor, note=note, comment=" Add the plan. ")
    assert returned.status == NoteStatus.DRAFT and returned.return_comment == "Add the plan."


def test_the_queue_is_oldest_first_with_summaries_and_only_this_supervisors(
    supervisor: User, supervisee: User, supervisee_client: Client, clinician: User, client_of_record: Client
) -> None:
    first = _awaiting(supervisee_client, supervisee, days_ago=3)
    second = _awaiting(supervisee_client, supervisee, days_ago=5)  # signed later, though the session is older
    summary = summaries.create_summary(
        actor=supervisee, client=supervisee_client, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31)
    )
    summaries.edit_summary(actor=supervisee, summary_id=summary.pk, sections={"progress": "Steady progress."})
    summaries.sign_summary(actor=supervisee, summary_id=summary.pk)
    signed_note(session_for(client_of_record, clinician), clinician)  # no supervisor: signed outright
    items = supervision.queue(supervisor)
    assert [(i.kind, i.pk) for i in items] == [
        (NOTE, first.pk),
        (NOTE, second.pk),
        (ReviewKind.SUMMARY, summary.pk),
    ]
    assert items[0].supervisee == "Sam Lee, LPC-A" and items[0].client_name == "Jordan Blake"
    assert items[0].what == "Individual psychotherapy" and items[2].what.startswith("Periodic summary, Oct 1")
    assert not any(i.reviewed for i in items)
    assert supervision.queue(clinician) == [] and supervision.queue_count(supervisor) == 3
    notes.open_for_review(actor=supervisor, note=second)
    assert [i.reviewed for i in supervision.queue(supervisor)] == [False, True, False]


def test_a_summary_is_reviewed_and_cosigned_with_its_attestation(
    supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    summary = summaries.create_summary(
        actor=supervisee, client=supervisee_client, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31)
    )
    summaries.edit_summary(actor=supervisee, summary_id=summary.pk, sections={"progress": "Steady progress."})
    summaries.sign_summary(actor=supervisee, summary_id=summary.pk)
    key = [(ReviewKind.SUMMARY, summary.pk)]
    assert supervision.cosign_reviewed(actor=supervisor, keys=key, attestation=ATTEST).not_reviewed
    supervision.open_summary_for_review(actor=supervisor, summary_id=summary.pk)
    assert supervision.cosign_reviewed(actor=supervisor, keys=key, attestation=ATTEST).cosigned
    summary.refresh_from_db()
    assert summary.status == NoteStatus.SIGNED and summary.cosigned_by == supervisor
    assert supervision.summary_attestation(summary.pk) == ATTEST


@pytest.mark.parametrize(
    "value", ["progress_note", "note:1", "summary:-1", "summary:\uff11", "progress_note:" + "9" * 19]
)
def test_a_malformed_selection_is_a_rule_violation(value: str) -> None:
    with pytest.raises(RuleViolation):
        supervision.parse_keys([value])


def test_the_selection_is_bounded() -> None:
    with pytest.raises(RuleViolation):
        supervision.parse_keys([f"progress_note:{n}" for n in range(1, supervision.BATCH_MAX + 2)])
    assert supervision.parse_keys(["summary:3", "summary:3", "progress_note:12"]) == [("summary", 3), (NOTE, 12)]
