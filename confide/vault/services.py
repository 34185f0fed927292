"""The vault's only door: psychotherapy notes that only their author (and named grantees) can read.

Plaintext exists only inside these functions, for the length of one call. The vault's rows live in the `vault`
database; the audit entries they write live in the main database and hold ids and dates only, never text.

Each vault change runs in one vault transaction, and its audit entry commits first (written in a nested
main-database transaction, or, for a new note, just before the vault's): if the vault commit then failed, the log
would over-report, never under-report.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.db.models import Subquery
from django.utils import timezone

from confide.audit.services import record
from confide.lib.errors import Forbidden, NotFound, RuleViolation
from confide.people.models import Role, User
from confide.vault import crypto
from confide.vault.boundary import boundary_warnings
from confide.vault.credential import VaultCredential
from confide.vault.errors import VaultClosed, VaultIntegrityError, VaultLocked, VaultNotInitialized
from confide.vault.models import ClinicianKey, KeySession, NoteRecipient, PsychotherapyNote, Purpose
from confide.vault.router import VAULT_DB

log = logging.getLogger(__name__)

# A psychotherapy note is a page or two of process notes; 100,000 characters is far beyond any real one.
MAX_BODY_CHARS = 100_000
NOTE = "psychotherapy_note"

__all__ = [
    "GrantView",
    "NoteSummary",
    "NoteView",
    "boundary_warnings",
    "close_key_session",
    "grant",
    "list_notes",
    "lock_after_reset",
    "open_key_session",
    "provision_keys",
    "read_note",
    "recover",
    "revoke",
    "rewrap_for_new_password",
    "shred_note",
    "vault_status",
    "write_note",
]


# --- Configuration ---------------------------------------------------------------------------------------------------


def kdf_params() -> crypto.KdfParams:
    """The configured profile's cost. The test profile is refused in production once, at boot (config/settings.py)."""
    profile = settings.VAULT_KDF_PROFILE
    if profile not in crypto.KDF_PROFILES:
        raise ImproperlyConfigured(f"VAULT_KDF_PROFILE must be one of {', '.join(crypto.KDF_PROFILES)}")
    return crypto.KDF_PROFILES[profile]


def recovery_public_key_file() -> Path:
    return Path(settings.VAULT_RECOVERY_PUBLIC_KEY_FILE)


def recovery_public_key() -> bytes:
    """The practice recovery public key. Kept in a file, not in a database: see docs/vault.md ("Recovery key")."""
    path = recovery_public_key_file()
    try:
        text = path.read_text()
    except FileNotFoundError:
        raise VaultNotInitialized(
            f"the vault has no recovery key yet ({path} is missing): run `confide vault init` first"
        ) from None
    return read_public_key_text(text)


def public_key_text(public_key: bytes) -> str:
    import base64

    return (
        "# Confide vault: the practice recovery PUBLIC key. Safe to copy; its private half is kept offline.\n"
        f"# fingerprint {crypto.fingerprint(public_key)}\n"
        f"{base64.b64encode(public_key).decode()}\n"
    )


def read_public_key_text(text: str) -> bytes:
    import base64

    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    try:
        key = base64.b64decode(lines[0], validate=True) if lines else b""
    except ValueError:
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured("the vault recovery public key file is damaged")
    return key


# --- Associated data: what each ciphertext is bound to ----------------------------------------------------------------


def _ad_password(user_id: int, public_key: bytes) -> bytes:
    return b"confide/vault/password-wrap/v1|user=%d|pk=" % user_id + public_key


def _ad_session(user_id: int, session_ref: str) -> bytes:
    return b"confide/vault/session-wrap/v1|user=%d|ref=" % user_id + session_ref.encode()


def _ad_note(note_id: uuid.UUID, author_id: int, version: int) -> bytes:
    return b"confide/vault/note/v1|note=%s|author=%d|version=%d" % (str(note_id).encode(), author_id, version)


# --- Keys and sign-in -------------------------------------------------------------------------------------------------


def _wrap_under_password(key: ClinicianKey, private_key: bytes, password: str) -> None:
    params = kdf_params()
    salt = crypto.random_salt()
    wrapping_key = crypto.derive_key(password, salt, params)
    key.password_wrapped = crypto.seal(wrapping_key, private_key, _ad_password(key.user_id, bytes(key.public_key)))
    key.kdf_salt = salt
    key.kdf_algorithm = params.algorithm
    key.kdf_opslimit = params.opslimit
    key.kdf_memlimit = params.memlimit


def _unwrap_with_password(key: ClinicianKey, password: str) -> bytes:
    params = crypto.KdfParams(key.kdf_opslimit, key.kdf_memlimit, key.kdf_algorithm)
    wrapping_key = crypto.derive_key(password, bytes(key.kdf_salt), params)
    return crypto.open_sealed(
        wrapping_key, bytes(key.password_wrapped), _ad_password(key.user_id, bytes(key.public_key))
    )


def _key_of(user_id: int) -> ClinicianKey | None:
    return ClinicianKey.objects.filter(user_id=user_id).first()


def provision_keys(*, user: User, password: str) -> None:
    """Give a clinician a key pair: private half wrapped under the password and sealed to the recovery key."""
    if _key_of(user.pk) is not None:
        return  # never replace a key pair: the notes sealed to it would be lost
    recovery = recovery_public_key()
    public_key, private_key = crypto.new_key_pair()
    key = ClinicianKey(
        user_id=user.pk,
        public_key=public_key,
        recovery_sealed=crypto.seal_to(recovery, private_key),
        recovery_fingerprint=crypto.fingerprint(recovery),
    )
    _wrap_under_password(key, private_key, password)
    with transaction.atomic(using=VAULT_DB):
        key.save(using=VAULT_DB)
        record("confide.vault.keys_provisioned", actor=None, object_type="user", object_id=user.pk)


def open_key_session(
    *, user: User, password: str, session_ref: str, client_secret: bytes, expires_at: datetime
) -> None:
    """Sign-in: unwrap the private key with the password and re-wrap it under `client_secret` for this session.

    Sign-in never fails because of the vault: a locked or unopenable vault simply stays closed, and reads say why.
    """
    if len(client_secret) != crypto.KEY_BYTES:
        raise ValueError("the vault client secret must be 32 bytes")
    KeySession.objects.filter(expires_at__lte=timezone.now()).delete()
    key = _key_of(user.pk)
    if key is None:
        try:
            provision_keys(user=user, password=password)
        except VaultNotInitialized:
            log.warning("vault not initialized: user %s signed in with the vault closed", user.pk)
            return
        key = _key_of(user.pk)
        assert key is not None
    if key.locked:
        record("confide.vault.sign_in_locked", actor=user, object_type="user", object_id=user.pk, outcome="denied")
        return
    try:
        private_key = _unwrap_with_password(key, password)
    except crypto.VaultCryptoError:
        # The password opened the account but not the key: they are out of step (a password set outside Confide's
        # services). Treat it like an administrator's reset: locked until the recovery ceremony.
        with transaction.atomic(using=VAULT_DB):
            ClinicianKey.objects.filter(pk=key.pk).update(locked=True)
            record("confide.vault.unwrap_failed", actor=user, object_type="user", object_id=user.pk, outcome="failed")
        return
    current = kdf_params()
    with transaction.atomic(using=VAULT_DB):
        if (key.kdf_opslimit, key.kdf_memlimit) != (current.opslimit, current.memlimit):
            _wrap_under_password(key, private_key, password)  # the practice raised the cost: upgrade on sign-in
            key.save(using=VAULT_DB)
        KeySession.objects.update_or_create(
            session_ref=session_ref,
            defaults={
                "user_id": user.pk,
                "wrapped_key": crypto.seal(client_secret, private_key, _ad_session(user.pk, session_ref)),
                "expires_at": expires_at,
            },
        )


def close_key_session(*, session_ref: str) -> None:
    """Sign-out or expiry: destroy the session's wrapped key."""
    KeySession.objects.filter(session_ref=session_ref).delete()


def close_key_sessions(*, user_id: int) -> int:
    """Every key session of one user (deactivation, or a suspected stolen device): the vault is closed everywhere."""
    deleted, _ = KeySession.objects.filter(user_id=user_id).delete()
    return int(deleted)


def purge_expired_key_sessions() -> int:
    deleted, _ = KeySession.objects.filter(expires_at__lte=timezone.now()).delete()
    return int(deleted)


def rewrap_for_new_password(*, user: User, old_password: str, new_password: str) -> None:
    """Password change: re-wrap the private key under the new password (a fresh salt, the current cost)."""
    key = _key_of(user.pk)
    if key is None:
        provision_keys(user=user, password=new_password)
        return
    if key.locked:
        return  # still locked: only the recovery ceremony opens it
    try:
        private_key = _unwrap_with_password(key, old_password)
    except crypto.VaultCryptoError:
        with transaction.atomic(using=VAULT_DB):
            ClinicianKey.objects.filter(pk=key.pk).update(locked=True)
            record("confide.vault.unwrap_failed", actor=user, object_type="user", object_id=user.pk, outcome="failed")
        return
    _wrap_under_password(key, private_key, new_password)
    with transaction.atomic(using=VAULT_DB):
        key.save(using=VAULT_DB)
        record("confide.vault.rewrapped", actor=user, object_type="user", object_id=user.pk)


def lock_after_reset(*, user: User) -> None:
    """Admin reset: forget the password-wrapped key and every open session; only recovery re-opens the vault."""
    with transaction.atomic(using=VAULT_DB):
        ClinicianKey.objects.filter(user_id=user.pk).update(
            locked=True, password_wrapped=b"", kdf_salt=b"", updated_at=timezone.now()
        )
        KeySession.objects.filter(user_id=user.pk).delete()
        record("confide.vault.locked", actor=None, object_type="user", object_id=user.pk)


def recover(*, user: User, recovery_private_key: bytes, password: str, actor: User | None = None) -> None:
    """The custodian's ceremony: open the sealed copy with the offline recovery key and wrap it for `password`.

    `password` must be the user's current sign-in password (after the administrator's reset, the new one), typed
    by the user at the ceremony; it is checked against the account so the vault opens at the next sign-in.
    """
    if not user.check_password(password):
        raise RuleViolation("that is not the user's current password", "password_mismatch")
    key = _key_of(user.pk)
    if key is None:
        raise NotFound("this user has no vault key", "no_vault_key")
    recovery_public = crypto.public_of(recovery_private_key)
    if crypto.fingerprint(recovery_public) != key.recovery_fingerprint:
        raise RuleViolation(
            f"this is not the recovery key this user's key is sealed to (fingerprint {key.recovery_fingerprint})",
            "wrong_recovery_key",
        )
    try:
        private_key = crypto.unseal(recovery_private_key, bytes(key.recovery_sealed))
    except crypto.VaultCryptoError:
        raise VaultIntegrityError("the recovery copy of this key failed authentication") from None
    if crypto.public_of(private_key) != bytes(key.public_key):
        raise VaultIntegrityError("the recovered key does not match the user's public key")
    _wrap_under_password(key, private_key, password)
    key.locked = False
    with transaction.atomic(using=VAULT_DB):
        key.save(using=VAULT_DB)
        record("confide.vault.recovered", actor=actor, object_type="user", object_id=user.pk)


@dataclass(frozen=True)
class VaultStatus:
    has_keys: bool
    locked: bool
    open: bool


def vault_status(*, user: User, credential: VaultCredential | None) -> VaultStatus:
    key = _key_of(user.pk)
    if key is None:
        return VaultStatus(False, False, False)
    is_open = bool(
        credential
        and not key.locked
        and KeySession.objects.filter(
            session_ref=credential.session_ref, user_id=user.pk, expires_at__gt=timezone.now()
        ).exists()
    )
    return VaultStatus(True, key.locked, is_open)


def _key_session_q(user: User, credential: VaultCredential) -> Any:
    return KeySession.objects.filter(
        session_ref=credential.session_ref, user_id=user.pk, expires_at__gt=timezone.now()
    ).values("wrapped_key")[:1]


def _private_key(user: User, credential: VaultCredential | None) -> bytes:
    # The happy path costs one query: the key session. Only when it is missing do we ask why (locked? no key?).
    found = list(_key_session_q(user, credential)) if credential is not None else []
    return _open_private_key(user, credential, found[0]["wrapped_key"] if found else None)


def _open_private_key(user: User, credential: VaultCredential | None, wrapped_key: Any) -> bytes:
    """The caller's private key from their key session's wrapped copy (`None`: no open session)."""
    if wrapped_key is None or credential is None:
        key = _key_of(user.pk)
        if key is not None and key.locked:
            raise VaultLocked(
                "your private notes are locked after a password reset until the practice's recovery ceremony "
                "(`confide vault recover`)"
            )
        raise VaultClosed("sign in again with your password to open your private notes")
    try:
        return crypto.open_sealed(
            credential.client_secret, bytes(wrapped_key), _ad_session(user.pk, credential.session_ref)
        )
    except crypto.VaultCryptoError:
        raise VaultClosed("your vault session does not open: sign in again with your password") from None


# --- Notes -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GrantView:
    grantee_id: int
    purpose: str
    granted_at: datetime
    granted_by_id: int | None


@dataclass(frozen=True)
class NoteSummary:
    id: str
    author_id: int
    session_id: int
    client_id: int
    session_date: date
    version: int
    created_at: datetime
    is_author: bool


@dataclass(frozen=True)
class NoteView:
    id: str
    author_id: int
    session_id: int
    client_id: int
    session_date: date
    version: int
    created_at: datetime
    is_author: bool
    body: str = field(repr=False)
    grants: list[GrantView] = field(default_factory=list)

    def __str__(self) -> str:
        return f"psychotherapy note {self.id}"


MAX_ID = 2**63 - 1  # ids are 64-bit in every database we run on; a larger number names nothing


def valid_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def _note_uuid(note_id: object) -> uuid.UUID | None:
    if isinstance(note_id, uuid.UUID):
        return note_id
    try:
        return uuid.UUID(str(note_id))
    except ValueError:
        return None


def _deny(action: str, *, actor: User, note_id: object, reason: str) -> NotFound:
    """Audit a refusal and return the 404 to raise: a refused caller learns nothing, not even that the note exists."""
    note_uuid = _note_uuid(note_id)
    note = PsychotherapyNote.objects.filter(pk=note_uuid).first() if note_uuid else None
    record(
        action,
        actor=actor,
        client_id=note.client_id if note else None,
        object_type=NOTE,
        object_id=str(note_id)[:40],
        outcome="denied",
        detail={"reason": reason},
    )
    return NotFound("no such psychotherapy note")


@dataclass(frozen=True)
class _SessionAuthorship:
    """What `vault.note.write` needs to know of a session: its clinician, the only one the policy lets write (the
    AUTHOR relation, confide/access/policy.py). It carries no client id, so `can` does not look up the caller's
    relations to the chart, which this verb never grants on; were the policy ever to grant it on one, this object
    has none to offer and the write is refused: it fails closed."""

    author_id: int


def write_note(
    *, actor: User, credential: VaultCredential | None, session: Any, body: str
) -> tuple[str, list[dict[str, str]]]:
    """Save a psychotherapy note for `session` (a TherapySession or its id). Only the session's clinician may.

    Writing needs only the author's public key, so it works even while the vault is locked after a reset; the
    note opens again after recovery. Returns the note id and the boundary-check warnings.
    """
    from confide.sessions.models import TherapySession

    if not isinstance(session, TherapySession):
        session = TherapySession.objects.filter(pk=session).first() if valid_id(session) else None
    from confide.access import can

    if session is None or not can(actor, "vault.note.write", _SessionAuthorship(session.clinician_id)):
        record(
            "confide.psychotherapy_note.write_denied",
            actor=actor,
            client_id=session.client_id if session else None,
            object_type="session",
            object_id=session.pk if session else "",
            outcome="denied",
            detail={"reason": "not_session_clinician"},
        )
        raise NotFound("no such session")
    if not isinstance(body, str) or not body.strip():
        raise RuleViolation("a psychotherapy note needs some text", "note_empty")
    if len(body) > MAX_BODY_CHARS:
        raise RuleViolation(f"a psychotherapy note holds at most {MAX_BODY_CHARS} characters", "note_too_long")
    found = list(ClinicianKey.objects.filter(user_id=actor.pk).values_list("public_key", flat=True)[:1])
    if not found:
        raise VaultClosed("your vault has no key yet: sign in again with your password to create it")
    note_id = uuid.uuid4()
    version = 1
    data_key = crypto.random_key()
    note = PsychotherapyNote(
        id=note_id,
        author_id=actor.pk,
        session_id=session.pk,
        client_id=session.client_id,
        session_date=timezone.localdate(session.starts_at),
        version=version,
        ciphertext=crypto.seal(data_key, body.encode("utf-8"), _ad_note(note_id, actor.pk, version)),
    )
    author_key = NoteRecipient(
        note_id=note_id,
        recipient_id=actor.pk,
        purpose=Purpose.AUTHOR,
        sealed_data_key=crypto.seal_to(bytes(found[0]), data_key),
        granted_by_id=actor.pk,
    )
    warnings = boundary_warnings(body)
    # The audit entry commits first (its own main-database transaction), then the note and its key in one vault
    # transaction: should the vault's commit fail, the log over-reports a write, it never misses one.
    record(
        "confide.psychotherapy_note.written",
        actor=actor,
        client_id=session.client_id,
        object_type=NOTE,
        object_id=str(note_id),
        detail={"session_id": session.pk, "version": version, "warnings": [w["code"] for w in warnings]},
    )
    _insert_together(note, author_key)
    return str(note_id), warnings


def _insert_sql(model: Any) -> tuple[str, list[Any]]:
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.auto_created)]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    return f'INSERT INTO "{model._meta.db_table}" ({columns}) VALUES ({placeholders})', fields  # noqa: S608


# Names from the models' own metadata, values always as parameters.
_NOTE_INSERT, _NOTE_FIELDS = _insert_sql(PsychotherapyNote)
_RECIPIENT_INSERT, _RECIPIENT_FIELDS = _insert_sql(NoteRecipient)


def _insert_together(note: PsychotherapyNote, author_key: NoteRecipient) -> None:
    """The note and its author's key in one vault transaction, as plain statements (the ORM's two `create`s in an
    `atomic` block cost PostgreSQL five round trips: BEGIN, two INSERTs, COMMIT and the key lookup before; here,
    one). On PostgreSQL the two INSERTs go as one query string, which the server runs as one implicit transaction
    when no transaction is open (psycopg's client-side binding sends it as a simple query; Django's default); SQLite
    runs them in an ordinary transaction, where a statement costs no round trip."""
    connection = connections[VAULT_DB]
    values = [f.get_db_prep_save(f.pre_save(note, True), connection) for f in _NOTE_FIELDS]
    values += [f.get_db_prep_save(f.pre_save(author_key, True), connection) for f in _RECIPIENT_FIELDS]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"{_NOTE_INSERT}; {_RECIPIENT_INSERT}", values)
        return
    split = len(_NOTE_FIELDS)
    with transaction.atomic(using=VAULT_DB), connection.cursor() as cursor:
        cursor.execute(_NOTE_INSERT, values[:split])
        cursor.execute(_RECIPIENT_INSERT, values[split:])


def _integrity_failure(*, actor: User, note: PsychotherapyNote, what: str) -> VaultIntegrityError:
    record(
        "confide.psychotherapy_note.integrity_failed",
        actor=actor,
        client_id=note.client_id,
        object_type=NOTE,
        object_id=str(note.pk),
        outcome="failed",
        detail={"part": what},
    )
    log.error("psychotherapy note %s failed authentication (%s): refused", note.pk, what)
    return VaultIntegrityError(
        "this psychotherapy note failed its integrity check: it was changed after it was written, and is not shown"
    )


def _data_key(actor: User, credential: VaultCredential | None, row: NoteRecipient, *, wrapped_key: Any = ...) -> bytes:
    """The note's data key from the caller's sealed copy (`wrapped_key`: the key session's, if already read)."""
    private_key = (
        _private_key(actor, credential) if wrapped_key is ... else _open_private_key(actor, credential, wrapped_key)
    )
    try:
        return crypto.unseal(private_key, bytes(row.sealed_data_key))
    except crypto.VaultCryptoError:
        raise _integrity_failure(actor=actor, note=row.note, what="data_key") from None


def read_note(*, actor: User, credential: VaultCredential | None, note_id: object) -> NoteView:
    """Open one note for its author or a grantee; anyone else gets NotFound (and an audit entry)."""
    note_uuid = _note_uuid(note_id)
    # One query for every key of the note (the caller's own row decides access, the others are the grants) and the
    # caller's key session beside each, so an open costs the vault one round trip.
    found = NoteRecipient.objects.select_related("note").filter(note_id=note_uuid, note__shredded_at__isnull=True)
    if credential is not None:
        found = found.annotate(session_key=Subquery(_key_session_q(actor, credential)))
    rows = list(found) if note_uuid else []
    row = next((r for r in rows if r.recipient_id == actor.pk), None)
    if row is None:
        raise _deny("confide.psychotherapy_note.read", actor=actor, note_id=note_id, reason="not_author_or_grantee")
    note = row.note
    data_key = _data_key(actor, credential, row, wrapped_key=getattr(row, "session_key", None))
    try:
        plaintext = crypto.open_sealed(
            data_key, bytes(note.ciphertext), _ad_note(note.pk, note.author_id, note.version)
        )
        body = plaintext.decode("utf-8")
    except (crypto.VaultCryptoError, UnicodeDecodeError):
        raise _integrity_failure(actor=actor, note=note, what="body") from None
    is_author = note.author_id == actor.pk
    record(
        "confide.psychotherapy_note.read",
        actor=actor,
        client_id=note.client_id,
        object_type=NOTE,
        object_id=str(note.pk),
        detail={"as": row.purpose},
    )
    return NoteView(
        id=str(note.pk),
        author_id=note.author_id,
        session_id=note.session_id,
        client_id=note.client_id,
        session_date=note.session_date,
        version=note.version,
        created_at=note.created_at,
        is_author=is_author,
        body=body,
        grants=[
            GrantView(r.recipient_id, r.purpose, r.granted_at, r.granted_by_id)
            for r in sorted(rows, key=lambda r: r.granted_at)
            if r.purpose != Purpose.AUTHOR
        ]
        if is_author
        else [],
    )


def list_notes(*, actor: User, credential: VaultCredential | None = None) -> list[NoteSummary]:
    """The caller's own notes and those granted to the caller (ids and dates only: nothing is decrypted)."""
    notes = PsychotherapyNote.objects.readable_by(actor.pk).order_by("-session_date", "-created_at")[:1000]
    summaries = [
        NoteSummary(
            id=str(n.pk),
            author_id=n.author_id,
            session_id=n.session_id,
            client_id=n.client_id,
            session_date=n.session_date,
            version=n.version,
            created_at=n.created_at,
            is_author=n.author_id == actor.pk,
        )
        for n in notes
    ]
    record("confide.psychotherapy_note.listed", actor=actor, object_type=NOTE, detail={"count": len(summaries)})
    return summaries


def notes_for_session(*, actor: User, session_id: int) -> list[NoteSummary]:
    """The author's own notes for one session (for the session page's private panel); empty for anyone else."""
    notes = PsychotherapyNote.objects.live().filter(author_id=actor.pk, session_id=session_id)
    return [
        NoteSummary(str(n.pk), n.author_id, n.session_id, n.client_id, n.session_date, n.version, n.created_at, True)
        for n in notes
    ]


def _authored_row(action: str, *, actor: User, note_id: object) -> NoteRecipient:
    note_uuid = _note_uuid(note_id)
    row = (
        NoteRecipient.objects.select_related("note")
        .filter(note_id=note_uuid, recipient_id=actor.pk, note__shredded_at__isnull=True)
        .first()
        if note_uuid
        else None
    )
    if row is None:
        raise _deny(action, actor=actor, note_id=note_id, reason="not_author_or_grantee")
    if row.purpose != Purpose.AUTHOR:
        record(
            action,
            actor=actor,
            client_id=row.note.client_id,
            object_type=NOTE,
            object_id=str(row.note_id),
            outcome="denied",
            detail={"reason": "grantee_not_author"},
        )
        raise Forbidden("only the note's author manages who may read it", "not_author")
    return row


def grant(
    *,
    actor: User,
    credential: VaultCredential | None,
    note_id: object,
    grantee_id: int,
    purpose: str = Purpose.SUPERVISED_TRAINING,
) -> GrantView:
    """The author lets a named supervisor read one note for supervised training (164.508(a)(2)(i)(B))."""
    row = _authored_row("confide.psychotherapy_note.grant", actor=actor, note_id=note_id)
    note = row.note
    if purpose != Purpose.SUPERVISED_TRAINING:
        raise RuleViolation(
            "a grant is for supervised training; any other disclosure needs the client's authorization",
            "invalid_purpose",
        )
    grantee = (
        User.objects.filter(pk=grantee_id, role=Role.CLINICIAN, is_active=True).first()
        if valid_id(grantee_id)
        else None
    )
    if grantee is None or not may_receive_grant(actor, grantee):
        raise RuleViolation(
            "a grant goes to your supervisor, or to a clinician the practice lists for supervised training "
            "(VAULT_TRAINING_SUPERVISORS)",
            "invalid_grantee",
        )
    grantee_key = _key_of(grantee.pk)
    if grantee_key is None:
        raise RuleViolation("that clinician has not signed in yet, so has no vault key", "grantee_has_no_key")
    existing = note.recipients.filter(recipient_id=grantee.pk).first()
    if existing is not None:
        return GrantView(existing.recipient_id, existing.purpose, existing.granted_at, existing.granted_by_id)
    data_key = _data_key(actor, credential, row)
    with transaction.atomic(using=VAULT_DB):
        created = NoteRecipient.objects.create(
            note=note,
            recipient_id=grantee.pk,
            purpose=purpose,
            sealed_data_key=crypto.seal_to(bytes(grantee_key.public_key), data_key),
            granted_by_id=actor.pk,
        )
        record(
            "confide.psychotherapy_note.granted",
            actor=actor,
            client_id=note.client_id,
            object_type=NOTE,
            object_id=str(note.pk),
            detail={"grantee_id": grantee.pk, "purpose": purpose},
        )
    return GrantView(created.recipient_id, created.purpose, created.granted_at, created.granted_by_id)


def revoke(*, actor: User, note_id: object, grantee_id: int) -> None:
    """The author ends a grant: the grantee's sealed copy of the data key is destroyed."""
    row = _authored_row("confide.psychotherapy_note.revoke", actor=actor, note_id=note_id)
    note = row.note
    if not valid_id(grantee_id):
        raise NotFound("that person holds no grant on this note", "grant_not_found")
    with transaction.atomic(using=VAULT_DB):
        deleted, _ = note.recipients.filter(recipient_id=grantee_id).exclude(purpose=Purpose.AUTHOR).delete()
        if not deleted:
            raise NotFound("that person holds no grant on this note", "grant_not_found")
        record(
            "confide.psychotherapy_note.revoked",
            actor=actor,
            client_id=note.client_id,
            object_type=NOTE,
            object_id=str(note.pk),
            detail={"grantee_id": grantee_id},
        )


def may_receive_grant(author: User, grantee: User) -> bool:
    """Supervised training (164.508(a)(2)(i)(B)) is the author's own supervisor, or a clinician the practice lists
    for it (`VAULT_TRAINING_SUPERVISORS`, usernames); never the author, never someone who is a supervisee."""
    if grantee.pk == author.pk or not grantee.is_active or not grantee.is_clinician:
        return False
    if author.supervisor_id == grantee.pk:
        return True
    return grantee.supervisor_id is None and grantee.username in settings.VAULT_TRAINING_SUPERVISORS


def grant_candidates(*, actor: User) -> list[User]:
    """Clinicians the author may name: their supervisor, and the practice's listed training supervisors, who have a
    vault key; the author's own supervisor first."""
    with_keys = set(ClinicianKey.objects.values_list("user_id", flat=True))
    people = [
        u
        for u in User.objects.filter(role=Role.CLINICIAN, is_active=True).exclude(pk=actor.pk)
        if u.pk in with_keys and may_receive_grant(actor, u)
    ]
    return sorted(people, key=lambda u: (u.pk != actor.supervisor_id, u.full_name))


# --- Retention: crypto-shredding --------------------------------------------------------------------------------------


def shred_note(*, actor: User | None, note_id: object, reason: str) -> bool:
    """Destroy every sealed copy of the note's data key and the ciphertext. Returns False if already shredded."""
    note_uuid = _note_uuid(note_id)
    vault_connection = connections[VAULT_DB]
    if vault_connection.vendor == "sqlite":
        with vault_connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")  # overwrite the freed pages, not just unlink them
    with transaction.atomic(using=VAULT_DB):
        note = PsychotherapyNote.objects.select_for_update().filter(pk=note_uuid).first() if note_uuid else None
        if note is None:
            raise NotFound("no such psychotherapy note")
        if note.shredded_at is not None:
            return False
        NoteRecipient.objects.filter(note=note).delete()
        note.ciphertext = b""
        note.shredded_at = timezone.now()
        note.save(update_fields=["ciphertext", "shredded_at"])
        record(
            "confide.psychotherapy_note.shredded",
            actor=actor,
            client_id=note.client_id,
            object_type=NOTE,
            object_id=str(note.pk),
            detail={
                "reason": reason,
                "author_id": note.author_id,
                "session_date": note.session_date.isoformat(),
                "created_on": timezone.localdate(note.created_at).isoformat(),
            },
        )
    return True


def live_notes_by_client() -> dict[int, list[tuple[str, date]]]:
    """Client id → [(note id, session date)] of notes not yet shredded: what the retention policy looks at."""
    found: dict[int, list[tuple[str, date]]] = {}
    for note_id, client_id, session_date in PsychotherapyNote.objects.live().values_list(
        "id", "client_id", "session_date"
    ):
        found.setdefault(int(client_id), []).append((str(note_id), session_date))
    return found


# --- Labels for the author's own pages (names from the main database; nothing from the vault leaves) -----------------


def people_names(user_ids: list[int]) -> dict[int, str]:
    return {u.pk: u.display_name for u in User.objects.filter(pk__in=user_ids)}


def note_labels(notes: list[NoteSummary] | list[NoteView], viewer: User | None = None) -> dict[str, dict[str, str]]:
    """Client and author names for notes the caller may already see, by note id. The author sees the client's name;
    a grantee (a supervisor reading for training) sees initials only: the grant is for the note, not the chart."""
    from confide.clients.models import Client

    found = Client.objects.filter(pk__in={n.client_id for n in notes})
    names = {c.pk: (c.name, f"{c.first_name[:1]}. {c.last_name[:1]}.") for c in found}
    authors = people_names(list({n.author_id for n in notes}))

    def client_label(note: NoteSummary | NoteView) -> str:
        full, initials = names.get(note.client_id, (f"client {note.client_id}",) * 2)
        return full if viewer is not None and note.author_id == viewer.pk else initials

    return {n.id: {"client": client_label(n), "author": authors.get(n.author_id, "")} for n in notes}
