"""Retention of the official record: the policy's dates, what is due, a dry run by default, and destruction that
leaves a tombstone and an audit entry (no names, no clinical content), shreds the private notes, respects a legal
hold, and can be run again safely."""

from __future__ import annotations

import io
import json
import secrets
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from confide.audit import services as audit
from confide.audit.models import AuditEntry
from confide.clients.models import Client
from confide.disclosures import services as disclosures
from confide.disclosures.models import Authorization, Disclosure, DisclosurePackage
from confide.measures import services as measures
from confide.measures.models import Measure
from confide.notes import services as notes
from confide.notes.models import Addendum, ProgressNote
from confide.ops import retention
from confide.ops.models import Tombstone
from confide.people.models import User
from confide.plans import services as plans
from confide.plans.models import Diagnosis
from confide.sessions.models import TherapySession
from confide.vault import services as vault
from confide.vault.credential import VaultCredential
from confide.vault.models import NoteRecipient, PsychotherapyNote
from tests.conftest import PASSWORD, session_for
from tests.permissions.release_objects import release_objects
from tests.web.notes_support import signed_note

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

LATER = (date.today() + timedelta(days=366 * 8)).isoformat()  # every adult seen today is due by then


def test_adult_seven_years_after_last_service() -> None:
    due_on, why = retention.destruction_date(date_of_birth=date(1980, 1, 1), last_service=date(2020, 5, 1))
    assert due_on == date(2027, 5, 1) and why == "7 years after last service"


def test_minor_three_years_after_majority_when_that_is_later() -> None:
    # Born 2012, last seen 2020 at 8: majority 2030, + 3 = 2033, later than 2020 + 7.
    due_on, why = retention.destruction_date(date_of_birth=date(2012, 6, 1), last_service=date(2020, 5, 1))
    assert due_on == date(2033, 6, 1) and "minor at last service" in why


def test_minor_never_less_than_seven_years_after_last_service() -> None:
    # Born 2002, last seen at 16 in 2019: majority 2020 + 3 = 2023 is earlier than 2019 + 7 = 2026.
    due_on, _ = retention.destruction_date(date_of_birth=date(2002, 6, 1), last_service=date(2019, 1, 1))
    assert due_on == date(2026, 1, 1)


def test_the_numbers_are_the_practices_settings(settings: Any) -> None:
    settings.RETENTION_ADULT_YEARS = 10
    settings.RETENTION_MINOR_YEARS_AFTER_MAJORITY = 5
    settings.AGE_OF_MAJORITY = 21
    assert retention.destruction_date(date_of_birth=date(1980, 1, 1), last_service=date(2020, 5, 1))[0] == date(
        2030, 5, 1
    )
    assert retention.destruction_date(date_of_birth=date(2012, 6, 1), last_service=date(2020, 5, 1))[0] == date(
        2038, 6, 1
    )


def _open_vault(user: User) -> VaultCredential:
    credential = VaultCredential(session_ref=f"test:{secrets.token_hex(8)}", client_secret=secrets.token_bytes(32))
    vault.open_key_session(
        user=user,
        password=PASSWORD,
        session_ref=credential.session_ref,
        client_secret=credential.client_secret,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    return credential


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def chart(
    settings: Any,
    tmp_path: Path,
    clinician: User,
    client_of_record: Client,
) -> dict[str, Any]:
    """A full chart for Alex Morgan: sessions, a signed note with an addendum, a plan, a measure, a release with its
    package, an authorization with its scanned form, and a psychotherapy note."""
    settings.DATA_DIR = tmp_path / "data"
    session = session_for(client_of_record, clinician, days_ago=2)
    note = signed_note(session, clinician)
    notes.add_addendum(actor=clinician, note=note, text="Late information: client called to reschedule.")
    plans.add_diagnosis(actor=clinician, client=client_of_record, code="F33.1", diagnosed_on=date.today())
    measures.record_measure(
        actor=clinician, client=client_of_record, instrument="GAD-7", answers=[1] * 7, administered_on=date.today()
    )
    made = release_objects(clinician, client_of_record)
    form = disclosures.attach_document(actor=clinician, authorization_id=made["authorization_id"], data=_png())
    credential = _open_vault(clinician)
    private_id, _ = vault.write_note(
        actor=clinician, credential=credential, session=session, body="PROCESS-NOTE the locked door"
    )
    return {"note": note, "private_id": private_id, "form": form, "disclosure_id": made["disclosure_id"]}


def test_due_lists_client_initials_dates_and_why_and_a_legal_hold_is_kept(
    clinician: User, client_of_record: Client, supervisee: User, supervisee_client: Client
) -> None:
    session_for(client_of_record, clinician, days_ago=1)
    session_for(supervisee_client, supervisee, days_ago=1)
    supervisee_client.legal_hold = True
    supervisee_client.save()
    out = io.StringIO()
    call_command("retention", "due", "--today", LATER, stdout=out)
    text = out.getvalue()
    assert f"due: client {client_of_record.pk} (A. M.) last service" in text
    assert "7 years after last service" in text
    assert f"kept: client {supervisee_client.pk} (J. B.)" in text and "legal hold" in text
    assert "Morgan" not in text and "Blake" not in text
    out = io.StringIO()
    call_command("retention", "due", stdout=out)
    assert "0 chart(s) due" in out.getvalue()  # seen yesterday: nothing is due today
    rows = io.StringIO()
    call_command("retention", "due", "--json", "--today", LATER, stdout=rows)
    listed = json.loads(rows.getvalue())
    assert [row["client_id"] for row in listed["due"]] == [client_of_record.pk]
    assert [row["client_id"] for row in listed["legal_hold"]] == [supervisee_client.pk]


def test_destroy_without_confirm_is_a_dry_run(chart: dict[str, Any], client_of_record: Client) -> None:
    before = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("retention", "destroy", "--today", LATER, stdout=out)
    assert f"would destroy: client {client_of_record.pk}" in out.getvalue()
    assert "Nothing was changed" in out.getvalue()
    assert ProgressNote.objects.filter(client=client_of_record).exists()
    assert not Tombstone.objects.exists()
    assert AuditEntry.objects.count() == before
    assert PsychotherapyNote.objects.live().filter(client_id=client_of_record.pk).exists()


def test_destroy_confirm_removes_the_record_and_keeps_a_tombstone(
    chart: dict[str, Any], settings: Any, admin: User, client_of_record: Client, supervisee: User
) -> None:
    other = Client.objects.create(
        first_name="Jordan", last_name="Blake", date_of_birth=date(2020, 1, 9), primary_clinician=supervisee
    )
    session_for(other, supervisee, days_ago=1)  # a child: due 3 years after majority, long after LATER
    form_path = Path(settings.DATA_DIR) / "documents" / chart["form"].document_name
    assert form_path.is_file()
    c = client_of_record.pk

    out = io.StringIO()
    call_command("retention", "destroy", "--confirm", "--today", LATER, "--as", admin.username, stdout=out)

    assert f"destroyed: client {c} (A. M.)" in out.getvalue()
    assert not ProgressNote.objects.filter(client_id=c).exists()
    assert not Addendum.objects.filter(note__client_id=c).exists()
    assert not TherapySession.objects.filter(client_id=c).exists()
    assert not Diagnosis.objects.filter(client_id=c).exists() and not Measure.objects.filter(client_id=c).exists()
    assert not DisclosurePackage.objects.filter(disclosure__client_id=c).exists()
    kept = Disclosure.objects.get(pk=chart["disclosure_id"])  # the accounting of disclosures stays
    assert kept.items == [] and kept.recipient_name == "County Court"
    assert not Authorization.objects.filter(client_id=c).exclude(document_name="").exists()
    assert not form_path.exists()
    note = PsychotherapyNote.objects.get(pk=chart["private_id"])
    assert note.shredded_at is not None and bytes(note.ciphertext) == b""
    assert not NoteRecipient.objects.filter(note_id=chart["private_id"]).exists()
    client = Client.objects.get(pk=c)
    assert "Morgan" not in f"{client.first_name} {client.last_name} {client.search_name}"
    assert TherapySession.objects.filter(client=other).exists()  # the child's chart is untouched

    tombstone = Tombstone.objects.get(client_id=c)
    assert tombstone.counts["progress_notes"] == 1 and tombstone.counts["sessions"] == 1
    assert tombstone.counts["psychotherapy_notes_shredded"] == 1 and tombstone.counts["authorization_forms"] == 1
    assert tombstone.policy["adult_years"] == 7 and tombstone.destroyed_by == "admin"
    entry = AuditEntry.objects.get(action="confide.record.destroyed")
    assert entry.client_id == c and entry.actor_id == admin.pk
    written = json.dumps(
        [tombstone.counts, tombstone.policy, tombstone.destroyed_by, entry.detail, entry.object_id], default=str
    )
    for forbidden in ("Alex", "Morgan", "1990", "sleep", "locked door", "F33.1"):
        assert forbidden not in written
    assert audit.verify(workers=1).broken is None

    again = io.StringIO()
    call_command("retention", "destroy", "--confirm", "--today", LATER, stdout=again)  # safe to re-run
    assert "Destroyed 0 chart(s)" in again.getvalue()
    assert Tombstone.objects.count() == 1 and AuditEntry.objects.filter(action="confide.record.destroyed").count() == 1


def test_a_legal_hold_blocks_destruction(chart: dict[str, Any], client_of_record: Client) -> None:
    client_of_record.legal_hold = True
    client_of_record.save()
    out = io.StringIO()
    call_command("retention", "destroy", "--confirm", "--today", LATER, stdout=out)
    assert "Destroyed 0 chart(s); 1 kept under a legal hold" in out.getvalue()
    assert ProgressNote.objects.filter(client=client_of_record).exists()
    assert PsychotherapyNote.objects.live().filter(client_id=client_of_record.pk).exists()


def test_destruction_is_one_transaction_per_client(
    chart: dict[str, Any], client_of_record: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(**_kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Tombstone.objects, "create", fail)  # the last write of the destruction fails
    with pytest.raises(RuntimeError):
        call_command("retention", "destroy", "--confirm", "--today", LATER, stdout=io.StringIO())
    assert ProgressNote.objects.filter(client=client_of_record).count() == 1
    assert Addendum.objects.filter(note__client=client_of_record).count() == 1
    assert PsychotherapyNote.objects.live().filter(client_id=client_of_record.pk).exists()
    assert chart["form"].document_name in {p.name for p in _documents()}
    assert not AuditEntry.objects.filter(action="confide.record.destroyed").exists()


def _documents() -> list[Path]:
    from confide.disclosures.documents import documents_dir

    return list(documents_dir().iterdir())
