"""Stolen-server test: with both databases, the settings, SECRET_KEY and every key the server keeps at rest, no
code path yields a psychotherapy note. Only what the signed-in user holds (the token or cookie) opens it."""

from __future__ import annotations

import hashlib
import itertools
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from confide.people.models import User
from confide.people.services import issue_token, revoke_token, token_user
from confide.vault import crypto
from confide.vault import services as vault
from confide.vault.errors import VaultClosed
from confide.vault.models import ClinicianKey, KeySession, NoteRecipient, PsychotherapyNote
from tests.conftest import PASSWORD
from tests.vault.at_rest import blobs

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def _windows(blob: bytes) -> set[bytes]:
    """Every 32-byte run of a stored value: a thief would try each as a key."""
    return {blob[i : i + 32] for i in range(max(0, len(blob) - 31))}


def _server_secrets() -> list[bytes]:
    """Everything the server keeps besides its databases: settings secrets and the key files in its data folder."""
    values = [str(settings.SECRET_KEY).encode(), str(settings.AUDIT_HMAC_KEY).encode()]
    for name, value in vars(settings._wrapped).items():
        if name.isupper() and isinstance(value, str | bytes):
            values.append(value.encode() if isinstance(value, str) else value)
    for path in [Path(settings.VAULT_RECOVERY_PUBLIC_KEY_FILE), *Path(settings.DATA_DIR).glob("*")]:
        if path.is_file() and path.stat().st_size < 1_000_000:
            values.append(path.read_bytes())
    return values


def _candidate_keys() -> set[bytes]:
    stored = blobs("default") + blobs("vault") + _server_secrets()
    candidates: set[bytes] = set()
    for value in stored:
        candidates |= _windows(value)
        for derived in (
            hashlib.sha256(value).digest(),
            hashlib.blake2b(value, digest_size=32).digest(),
            hashlib.blake2b(value, person=b"confide-vault", digest_size=32).digest(),
        ):
            candidates.add(derived)
        try:  # hex-encoded digests (the API token's hash) and what the token's vault secret derivation would give
            raw = bytes.fromhex(value.decode())
            candidates.add(raw)
            candidates.add(hashlib.blake2b(value, person=b"confide-vault", digest_size=32).digest())
        except (ValueError, UnicodeDecodeError):
            pass
    return candidates


def _opens(attempt: Any) -> bool:
    try:
        attempt()
    except crypto.VaultCryptoError:
        return False
    return True


def test_nothing_the_server_keeps_opens_a_note(clinician: User, supervisor: User, therapy_session: Any) -> None:
    issued = issue_token(user=clinician, password=PASSWORD, ip="127.0.0.1")
    found = token_user(issued.token)
    assert found is not None
    credential = found[1]
    issue_token(user=supervisor, password=PASSWORD, ip="127.0.0.1")
    note_id, _ = vault.write_note(actor=clinician, credential=credential, session=therapy_session, body="secret")
    vault.grant(actor=clinician, credential=credential, note_id=note_id, grantee_id=supervisor.pk)

    candidates = _candidate_keys()
    assert len(candidates) > 1000  # the thief has plenty to try
    notes = list(PsychotherapyNote.objects.all())
    recipients = list(NoteRecipient.objects.all())
    clinician_keys = list(ClinicianKey.objects.all())
    sessions = list(KeySession.objects.all())
    assert sessions and recipients and clinician_keys
    for key in candidates:
        for recipient in recipients:  # as an X25519 private key, on every sealed data key
            assert not _opens(lambda r=recipient, k=key: crypto.unseal(k, bytes(r.sealed_data_key)))
        for held in clinician_keys:  # ... and on every recovery copy of a private key
            assert not _opens(lambda h=held, k=key: crypto.unseal(k, bytes(h.recovery_sealed)))
        for note in notes:  # as a data key, on every note
            ad = vault._ad_note(note.pk, note.author_id, note.version)
            assert not _opens(lambda n=note, k=key, a=ad: crypto.open_sealed(k, bytes(n.ciphertext), a))
        for session in sessions:  # as a session secret, on every wrapped session key
            ad = vault._ad_session(session.user_id, session.session_ref)
            assert not _opens(lambda s=session, k=key, a=ad: crypto.open_sealed(k, bytes(s.wrapped_key), a))

    # Through the service itself, with every session reference and every candidate secret: closed.
    for session, key in itertools.product(sessions, list(candidates)[:2000]):
        forged = vault.VaultCredential(session_ref=session.session_ref, client_secret=key)
        with pytest.raises(VaultClosed):
            vault.read_note(actor=clinician, credential=forged, note_id=note_id)


def test_password_wraps_do_not_open_with_anything_the_server_keeps(clinician: User) -> None:
    held = ClinicianKey.objects.get(user_id=clinician.pk)
    clinician.refresh_from_db()
    guesses = [
        str(settings.SECRET_KEY),
        str(settings.AUDIT_HMAC_KEY),
        clinician.password,  # the Argon2 hash Django keeps is not the password
        clinician.username,
        clinician.full_name,
        "",
    ]
    for guess in guesses:
        assert not _opens(lambda g=guess: vault._unwrap_with_password(held, g))
    # ... but the clinician's own password, which the server never stores, does.
    assert _opens(lambda: vault._unwrap_with_password(held, PASSWORD))


def test_the_token_holder_reads_and_signing_out_ends_it(clinician: User, therapy_session: Any) -> None:
    issued = issue_token(user=clinician, password=PASSWORD, ip="127.0.0.1")
    found = token_user(issued.token)
    assert found is not None
    note_id, _ = vault.write_note(actor=clinician, credential=found[1], session=therapy_session, body="secret")
    assert vault.read_note(actor=clinician, credential=found[1], note_id=note_id).body == "secret"
    revoke_token(secret=issued.token)
    with pytest.raises(VaultClosed):
        vault.read_note(actor=clinician, credential=found[1], note_id=note_id)
