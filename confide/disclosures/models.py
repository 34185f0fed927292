"""Release of information: the client's authorizations, the disclosures made, their packages, records requests.

A disclosure row says who received what, on what ground, and the SHA-256 of exactly what was sent. It never names a
psychotherapy note: a package that holds any is sealed to its author in the vault (confide/vault/releases.py).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.db import models

from confide.access.policy import Rel
from confide.clients.models import Client, ExternalContact
from confide.people.models import User


class AuthorizationKind(models.TextChoices):
    GENERAL = "general", "General"
    PSYCHOTHERAPY_NOTES = "psychotherapy_notes", "Psychotherapy notes only"


class SignedBy(models.TextChoices):
    CLIENT = "client", "The client"
    PERSONAL_REPRESENTATIVE = "personal_representative", "A personal representative"


class Authorization(models.Model):
    """A client's signed authorization (45 CFR 164.508) and the elements 164.508(c) requires of it."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="authorizations")
    kind = models.CharField(max_length=30, choices=AuthorizationKind.choices)
    recipient = models.CharField(max_length=200)
    recipient_address = models.CharField(max_length=300, blank=True)
    discloser = models.CharField(max_length=200, help_text="who may disclose: the practice")
    purpose = models.CharField(max_length=500)
    information = models.JSONField(default=list, help_text="categories: progress_notes, measures, ...")
    information_detail = models.CharField(max_length=500, blank=True, help_text="a narrower description, if any")
    expires_on = models.DateField(null=True, blank=True)
    expiry_event = models.CharField(max_length=300, blank=True)
    expired_on = models.DateField(null=True, blank=True, help_text="when the expiry event happened")
    signed_on = models.DateField()
    signed_by = models.CharField(max_length=30, choices=SignedBy.choices, default=SignedBy.CLIENT)
    representative_name = models.CharField(max_length=200, blank=True)
    representative_authority = models.CharField(max_length=300, blank=True)
    revoked_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The scanned signed form: stored outside the web root (confide/disclosures/documents.py), its hash kept here.
    document_name = models.CharField(max_length=100, blank=True)
    document_type = models.CharField(max_length=40, blank=True)
    document_bytes = models.PositiveIntegerField(null=True, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    document_uploaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return f"authorization {self.pk}"

    def state_on(self, day: date) -> str:
        """ "active", "revoked", "expired" or "not yet signed" on `day`."""
        if self.revoked_on and self.revoked_on <= day:
            return "revoked"
        if (self.expires_on and self.expires_on < day) or (self.expired_on and self.expired_on <= day):
            return "expired"
        if self.signed_on > day:
            return "not yet signed"
        return "active"


class Disclosure(models.Model):
    """One release of records: to whom, on what ground, what went, what was withheld, and the package's hashes."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="disclosures")
    recipient_name = models.CharField(max_length=200)
    recipient_address = models.CharField(max_length=300, blank=True)
    contact = models.ForeignKey(ExternalContact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    basis = models.CharField(max_length=40)
    authorization = models.ForeignKey(
        Authorization, null=True, blank=True, on_delete=models.PROTECT, related_name="disclosures"
    )
    purpose = models.CharField(max_length=500, blank=True)
    span_from = models.DateField(null=True, blank=True)
    span_to = models.DateField(null=True, blank=True)
    include = models.JSONField(default=list)
    items = models.JSONField(default=list, help_text="[{kind, id}] of the official record; never a private note")
    withheld = models.JSONField(default=list, help_text="[{kind, id, rule, reason, cite}]")
    notices = models.JSONField(default=list)
    description = models.CharField(max_length=500, help_text="what was disclosed, for the accounting")
    accounted = models.BooleanField(help_text="listed in the 164.528 accounting")
    prepared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField()
    pdf_sha256 = models.CharField(max_length=64)
    fhir_sha256 = models.CharField(max_length=64)
    pdf_pages = models.PositiveIntegerField(default=0)
    pdf_bytes = models.PositiveIntegerField(default=0)
    access_request = models.ForeignKey(
        "AccessRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="disclosures"
    )

    class Meta:
        ordering: ClassVar = ["-prepared_at", "-pk"]
        indexes: ClassVar = [models.Index(fields=["client", "prepared_at"])]

    def __str__(self) -> str:
        return f"disclosure {self.pk}"

    def relations_to(self, actor: User) -> frozenset[Rel]:
        """The chart's relations, and SELF for whoever prepared it (a package link works for them)."""
        from confide.access.decide import relations

        have = set(relations(actor, self.client))
        if self.prepared_by_id == actor.pk:
            have.add(Rel.SELF)
        return frozenset(have)


class DisclosurePackage(models.Model):
    """The files of a package without psychotherapy notes, exactly as sent (their SHA-256 are on the disclosure)."""

    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="package")
    pdf = models.BinaryField()
    fhir = models.BinaryField()

    def __str__(self) -> str:
        return f"package of disclosure {self.disclosure_id}"


class AccessRequest(models.Model):
    """A client's request for their own records (164.524): due 30 days after receipt, once extendable by 30."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="access_requests")
    received_on = models.DateField()
    due_on = models.DateField()
    extended_on = models.DateField(null=True, blank=True)
    extension_reason = models.CharField(max_length=500, blank=True)
    format = models.CharField(max_length=10, default="pdf")
    fulfilled_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"access request {self.pk}"
