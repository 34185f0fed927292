"""Back up the demo practice, restore it into empty databases, and read the same notes and private notes through the
web as its clinician; a backup with one changed byte is refused, naming the file; a full database is refused.

Runs on whichever databases the settings name: SQLite (the online backup API) or PostgreSQL (pg_dump/pg_restore).
"""

from __future__ import annotations

import html
import io
import json
import secrets
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client as HttpClient
from django.utils import timezone
from PIL import Image

from confide.audit.models import AuditEntry
from confide.disclosures import services as disclosures
from confide.disclosures.models import Authorization
from confide.notes.models import NoteStatus, ProgressNote
from confide.ops.seed import DEMO_PASSWORD, seed_demo_practice
from confide.sessions.models import TherapySession
from confide.vault import services as vault
from confide.vault.credential import VaultCredential

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])

BOTH = ("default", "vault")


@dataclass
class Practice:
    clinician_id: int
    private_note_id: str
    private_text: str
    signed_note_id: int
    signed_text: str
    session_id: int
    form_sha256: str


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def practice(settings: Any, tmp_path: Path) -> Practice:
    settings.DATA_DIR = tmp_path / "data"  # the attachments (signed forms) live under it
    settings.MFA_REQUIRED_ROLES = []
    rivera = seed_demo_practice(show_progress=False, months=1).users["rivera"]
    credential = VaultCredential(session_ref=f"test:{secrets.token_hex(8)}", client_secret=secrets.token_bytes(32))
    vault.open_key_session(
        user=rivera,
        password=DEMO_PASSWORD,
        session_ref=credential.session_ref,
        client_secret=credential.client_secret,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    note = ProgressNote.objects.filter(author=rivera, status=NoteStatus.SIGNED).order_by("pk").first()
    assert note is not None
    private_text = f"PRIVATE-{secrets.token_hex(6)} the client's image of the locked door again"
    private_id, _ = vault.write_note(actor=rivera, credential=credential, session=note.session, body=private_text)
    authorization = disclosures.record_authorization(
        actor=rivera,
        client=note.client,
        data=disclosures.AuthorizationInput(
            kind="general",
            recipient="Dr. Priya Shah",
            purpose="Coordination of care",
            information=["progress_notes"],
            signed_on=date.today() - timedelta(days=3),
            expires_on=date(2999, 1, 1),
        ),
    )
    form = disclosures.attach_document(actor=rivera, authorization_id=authorization.pk, data=_png())
    return Practice(
        clinician_id=rivera.pk,
        private_note_id=private_id,
        private_text=private_text,
        signed_note_id=note.pk,
        signed_text=next(text for text in note.sections.values() if text),
        session_id=note.session_id,
        form_sha256=form.document_sha256,
    )


def _empty_the_server(settings: Any) -> None:
    """A new server: both databases migrated and empty, no attachments."""
    for alias in BOTH:
        call_command("flush", database=alias, interactive=False, verbosity=0)
    shutil.rmtree(Path(settings.DATA_DIR) / "documents", ignore_errors=True)


def _sign_in(username: str) -> HttpClient:
    http = HttpClient()
    response = http.post("/sign-in/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content
    return http


def _backup(out: Path, *extra: str) -> dict[str, Any]:
    call_command("backup", "--out", str(out), "--no-progress", *extra, stdout=io.StringIO())
    manifest: dict[str, Any] = json.loads((out / "manifest.json").read_text())
    return manifest


def _restore(folder: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command("restore", str(folder), "--no-progress", *extra, stdout=out)
    return out.getvalue()


def test_backup_restore_round_trip_then_the_clinician_reads_the_same_notes(
    practice: Practice, settings: Any, tmp_path: Path
) -> None:
    out = tmp_path / "backup"
    head = "{}:{}".format(*AuditEntry.objects.order_by("-seq").values_list("seq", "mac")[0])
    manifest = _backup(out)
    assert manifest["audit_head"] == head  # the snapshot's head; the backup's own entry comes after it
    assert AuditEntry.objects.order_by("-seq").values_list("action", flat=True)[0] == "confide.backup.created"
    assert manifest["databases"]["default"]["tables"]["notes_progressnote"] == ProgressNote.objects.count()
    assert manifest["databases"]["vault"]["tables"]["vault_psychotherapynote"] == 1
    assert any(name.startswith("attachments/") for name in manifest["files"])
    # The secrets never travel with the data.
    everything = b"".join(path.read_bytes() for path in out.rglob("*") if path.is_file())
    for secret in (settings.SECRET_KEY, settings.AUDIT_HMAC_KEY):
        assert secret.encode() not in everything
    assert Path(settings.VAULT_RECOVERY_PUBLIC_KEY_FILE).read_bytes() not in everything
    assert practice.private_text.encode() not in everything  # the vault's rows are ciphertext in the backup too

    notes_before = ProgressNote.objects.count()
    _empty_the_server(settings)
    assert ProgressNote.objects.count() == 0
    report = _restore(out)

    assert "FAILED" not in report
    assert "audit log:" in report and "signed notes match their content hashes" in report
    assert "live psychotherapy notes each hold their author's sealed data key" in report
    assert ProgressNote.objects.count() == notes_before
    restored = Authorization.objects.exclude(document_name="").get()
    assert restored.document_sha256 == practice.form_sha256
    assert (Path(settings.DATA_DIR) / "documents" / restored.document_name).is_file()

    http = _sign_in("rivera")  # the restored password hash and the vault key wrapped under it
    session_page = http.get(f"/sessions/{practice.session_id}/")
    assert session_page.status_code == 200
    assert practice.signed_text in html.unescape(session_page.content.decode())
    private_page = http.get(f"/vault/notes/{practice.private_note_id}/")
    assert private_page.status_code == 200
    assert practice.private_text in html.unescape(private_page.content.decode())
    assert TherapySession.objects.filter(pk=practice.session_id).exists()


def test_an_encrypted_backup_restores_only_with_its_key(practice: Practice, settings: Any, tmp_path: Path) -> None:
    call_command("backup", "--make-key", str(tmp_path / "practice.key"), stdout=io.StringIO())
    out = tmp_path / "sealed"
    manifest = _backup(out, "--encrypt-to", str(tmp_path / "practice.key.pub"))
    assert manifest["encryption"]["fingerprint"]
    main_file = out / manifest["databases"]["default"]["file"]
    assert b"SQLite format 3" not in main_file.read_bytes()[:100] and b"PGDMP" not in main_file.read_bytes()[:100]
    _empty_the_server(settings)
    with pytest.raises(CommandError, match="encrypted"):
        _restore(out)
    call_command("backup", "--make-key", str(tmp_path / "other.key"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="not the key this backup was encrypted to"):
        _restore(out, "--key", str(tmp_path / "other.key"))
    assert ProgressNote.objects.count() == 0  # refused before anything was written
    report = _restore(out, "--key", str(tmp_path / "practice.key"))
    assert "FAILED" not in report
    assert ProgressNote.objects.filter(pk=practice.signed_note_id).exists()


def test_one_changed_byte_is_refused_naming_the_file(practice: Practice, settings: Any, tmp_path: Path) -> None:
    out = tmp_path / "backup"
    manifest = _backup(out)
    _empty_the_server(settings)
    for name in (manifest["databases"]["vault"]["file"], next(n for n in manifest["files"] if "attachments/" in n)):
        damaged = out / name
        original = damaged.read_bytes()
        middle = len(original) // 2
        damaged.write_bytes(original[:middle] + bytes([original[middle] ^ 0x01]) + original[middle + 1 :])
        with pytest.raises(CommandError, match=f"{name} does not match its SHA-256"):
            _restore(out)
        damaged.write_bytes(original)
    assert ProgressNote.objects.count() == 0  # nothing was restored from a damaged backup
    assert "FAILED" not in _restore(out)


def test_a_database_that_is_not_empty_is_refused_without_force(practice: Practice, tmp_path: Path) -> None:
    out = tmp_path / "backup"
    _backup(out)
    with pytest.raises(CommandError, match="the vault database is not empty"):
        _restore(out)
    assert "FAILED" not in _restore(out, "--force")
    assert ProgressNote.objects.filter(pk=practice.signed_note_id).exists()
