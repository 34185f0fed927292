"""The vault's side of a release: the author's own notes decrypted for one package, and the package kept sealed.

Only a note's author can release it (the server holds no key that opens it), so every function here takes the
author's open vault session. What leaves the vault goes into one package in memory; a package that holds
psychotherapy notes is stored only sealed to its author's public key, here in the vault database, never in the
main database or on disk, so fetching it again needs the author's open vault session too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import models, transaction

from confide.audit.services import record
from confide.people.models import User
from confide.vault import crypto
from confide.vault.credential import VaultCredential
from confide.vault.errors import VaultIntegrityError
from confide.vault.models import PsychotherapyNote, ReleasedPackage
from confide.vault.services import NOTE, _ad_note, _data_key, _key_of, _private_key


@dataclass(frozen=True)
class ReleasedNote:
    id: str
    session_id: int
    session_date: date
    created_at: datetime
    body: str


def _own_notes(
    author: User, client_id: int, span: tuple[date | None, date | None]
) -> models.QuerySet[PsychotherapyNote]:
    notes = PsychotherapyNote.objects.live().filter(author_id=author.pk, client_id=client_id)
    start, end = span
    if start:
        notes = notes.filter(session_date__gte=start)
    if end:
        notes = notes.filter(session_date__lte=end)
    return notes.order_by("session_date", "created_at")


def has_own_notes(*, author: User, client_id: int, span: tuple[date | None, date | None]) -> bool:
    """Whether `author` wrote psychotherapy notes for this client in the span (ids only; nothing is decrypted)."""
    return _own_notes(author, client_id, span).exists()


def own_note_ids(*, author: User, client_id: int, span: tuple[date | None, date | None]) -> list[tuple[str, date]]:
    """(id, session date) of the author's own notes for this client in the span: what a release could reach."""
    return [(str(pk), day) for pk, day in _own_notes(author, client_id, span).values_list("pk", "session_date")]


def notes_for_release(
    *, author: User, credential: VaultCredential | None, client_id: int, span: tuple[date | None, date | None]
) -> list[ReleasedNote]:
    """Decrypt the author's own notes for this client in the span, for one package. Raises VaultClosed when the
    author's vault session is not open. Each note's release is audited when the package is made (see
    `record_release`), not here: a preview decrypts nothing."""
    notes = list(_own_notes(author, client_id, span).prefetch_related("recipients"))
    out: list[ReleasedNote] = []
    for note in notes:
        row = next((r for r in note.recipients.all() if r.recipient_id == author.pk), None)
        if row is None:
            continue
        data_key = _data_key(author, credential, row)
        try:
            body = crypto.open_sealed(data_key, bytes(note.ciphertext), _ad_note(note.pk, note.author_id, note.version))
        except crypto.VaultCryptoError:
            raise VaultIntegrityError("a psychotherapy note failed its integrity check; it was not released") from None
        out.append(ReleasedNote(str(note.pk), note.session_id, note.session_date, note.created_at, body.decode()))
    return out


def record_release(*, author: User, client_id: int, disclosure_id: int, basis: str, note_ids: list[str]) -> None:
    for note_id in note_ids:
        record(
            "confide.psychotherapy_note.released",
            actor=author,
            client_id=client_id,
            object_type=NOTE,
            object_id=note_id,
            detail={"disclosure_id": disclosure_id, "basis": basis},
        )


def _ad_package(disclosure_id: int, author_id: int, part: str) -> bytes:
    return f"confide.release:{disclosure_id}:{author_id}:{part}".encode()


def seal_package(
    *, author: User, client_id: int, disclosure_id: int, note_ids: list[str], pdf: bytes, fhir: bytes
) -> None:
    """Keep a package that holds psychotherapy notes sealed to its author: one random key, itself sealed to the
    author's public key; the files bound to the disclosure and author as associated data."""
    key = _key_of(author.pk)
    if key is None:
        raise VaultIntegrityError("the author has no vault key")
    data_key = crypto.random_key()
    with transaction.atomic(using="vault"):
        ReleasedPackage.objects.create(
            disclosure_id=disclosure_id,
            author_id=author.pk,
            client_id=client_id,
            note_count=len(note_ids),
            sealed_data_key=crypto.seal_to(bytes(key.public_key), data_key),
            pdf=crypto.seal(data_key, pdf, _ad_package(disclosure_id, author.pk, "pdf")),
            fhir=crypto.seal(data_key, fhir, _ad_package(disclosure_id, author.pk, "fhir")),
        )


def sealed_package_author(disclosure_id: int) -> int | None:
    """The author a sealed package belongs to, or None when the package is not sealed in the vault."""
    row = ReleasedPackage.objects.filter(disclosure_id=disclosure_id).values_list("author_id", flat=True).first()
    return None if row is None else int(row)


def open_package(*, author: User, credential: VaultCredential | None, disclosure_id: int, part: str) -> bytes:
    """The stored bytes of one part ("pdf" | "fhir") of a sealed package, for its author's open vault session."""
    row = ReleasedPackage.objects.get(disclosure_id=disclosure_id, author_id=author.pk)
    private_key = _private_key(author, credential)
    try:
        data_key = crypto.unseal(private_key, bytes(row.sealed_data_key))
        blob = bytes(row.pdf if part == "pdf" else row.fhir)
        return crypto.open_sealed(data_key, blob, _ad_package(disclosure_id, author.pk, part))
    except crypto.VaultCryptoError:
        raise VaultIntegrityError("the sealed package failed its integrity check") from None


def released_note_counts(disclosure_ids: list[int]) -> dict[int, int]:
    """How many psychotherapy notes each disclosure carried (for the accounting of disclosures, 164.528)."""
    rows = ReleasedPackage.objects.filter(disclosure_id__in=disclosure_ids).values_list("disclosure_id", "note_count")
    return {int(d): int(n) for d, n in rows}
