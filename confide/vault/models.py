"""The vault's tables, kept in the `vault` database by confide.vault.router.VaultRouter.

Nothing outside confide.vault imports these: the service functions in confide.vault.services are the only door.
Users, sessions and clients are referred to by plain integer ids (no foreign keys across databases). No column
holds plaintext: note bodies, data keys and private keys are stored only encrypted or sealed.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models


class ClinicianKey(models.Model):
    """A clinician's X25519 key pair. The private half exists here only wrapped (password) and sealed (recovery)."""

    user_id = models.BigIntegerField(unique=True)
    public_key = models.BinaryField()
    # XChaCha20-Poly1305 under Argon2id(password, salt); empty while locked after an administrator's reset.
    password_wrapped = models.BinaryField(blank=True, default=b"")
    kdf_salt = models.BinaryField(blank=True, default=b"")
    kdf_algorithm = models.CharField(max_length=20, default="argon2id13")
    kdf_opslimit = models.PositiveIntegerField(default=0)
    kdf_memlimit = models.BigIntegerField(default=0)
    # SealedBox to the practice recovery public key, whose fingerprint is kept to tell which key can open it.
    recovery_sealed = models.BinaryField()
    recovery_fingerprint = models.CharField(max_length=40)
    locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"vault key of user {self.user_id}"


class KeySession(models.Model):
    """A signed-in clinician's private key, wrapped under a secret held only by the browser cookie or API token."""

    session_ref = models.CharField(max_length=80, unique=True)
    user_id = models.BigIntegerField(db_index=True)
    wrapped_key = models.BinaryField()
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"vault key session of user {self.user_id}"


class NoteQuerySet(models.QuerySet["PsychotherapyNote"]):
    def readable_by(self, user_id: int) -> NoteQuerySet:
        """Notes whose data key is sealed to `user_id` (the author, or a grantee) and not shredded."""
        return self.filter(recipients__recipient_id=user_id, shredded_at__isnull=True).distinct()

    def live(self) -> NoteQuerySet:
        return self.filter(shredded_at__isnull=True)


class PsychotherapyNote(models.Model):
    """One psychotherapy note: ciphertext plus the ids needed to route, scope and retain it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    author_id = models.BigIntegerField(db_index=True)
    session_id = models.BigIntegerField(db_index=True)
    client_id = models.BigIntegerField(db_index=True)
    session_date = models.DateField()
    version = models.PositiveIntegerField(default=1)
    # nonce || XChaCha20-Poly1305(body) with note id, author and version as associated data; empty once shredded.
    ciphertext = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True)
    shredded_at = models.DateTimeField(null=True, blank=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["-created_at"]

    def __str__(self) -> str:
        return f"psychotherapy note {self.pk}"


class Purpose(models.TextChoices):
    AUTHOR = "author", "Author"
    # 164.508(a)(2)(i)(B): the practice's own supervised training program.
    SUPERVISED_TRAINING = "supervised_training", "Supervised training"


class NoteRecipient(models.Model):
    """The note's data key sealed to one person: the author, or a grantee. Deleting the row revokes the access."""

    note = models.ForeignKey(PsychotherapyNote, on_delete=models.CASCADE, related_name="recipients")
    recipient_id = models.BigIntegerField(db_index=True)
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    sealed_data_key = models.BinaryField()
    granted_by_id = models.BigIntegerField(null=True, blank=True)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["note", "recipient_id"], name="vault_one_key_per_recipient")
        ]

    def __str__(self) -> str:
        return f"key of note {self.note_id} for user {self.recipient_id}"


class ReleasedPackage(models.Model):
    """A release package that holds psychotherapy notes, sealed to the author who released it (vault/releases.py).

    The main database's disclosure row names no psychotherapy note; this row, keyed by its id, holds the files.
    """

    disclosure_id = models.BigIntegerField(unique=True)
    author_id = models.BigIntegerField(db_index=True)
    client_id = models.BigIntegerField(db_index=True)
    note_count = models.PositiveIntegerField()
    sealed_data_key = models.BinaryField()
    pdf = models.BinaryField()  # nonce || XChaCha20-Poly1305(pdf), disclosure and author as associated data
    fhir = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"sealed package of disclosure {self.disclosure_id}"
