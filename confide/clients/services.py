"""Changes to clients, care teams, consents and break-the-glass access: one door each, audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from confide.access import record_read, require
from confide.audit.services import record
from confide.clients.caseload import openable_client
from confide.clients.models import BreakGlassAccess, CareTeamMember, Client, Consent, ConsentKind, ExternalContact
from confide.lib.errors import NotFound, RuleViolation
from confide.people.models import Role, User


def _active_clinician(clinician_id: int) -> User:
    clinician = User.objects.filter(pk=clinician_id, role=Role.CLINICIAN, is_active=True).first()
    if clinician is None:
        raise RuleViolation("no active clinician has that id", "invalid_clinician")
    return clinician


# Why a clinician may open a chart outside their caseload. "other" must be explained in at least 20 characters.
BREAK_GLASS_REASONS = {
    "emergency": "Emergency",
    "coverage": "Covering for the clinician of record",
    "continuity_of_care": "Continuity of care",
    "other": "Other",
}
_OTHER_MINIMUM = 20


def break_glass_reason(reason: str, explanation: str = "") -> str:
    """The reason as stored: a listed reason (with its optional explanation), or "other" explained in 20+ characters
    of real words. Free text on its own counts as "other"."""
    reason, explanation = reason.strip(), explanation.strip()
    if reason not in BREAK_GLASS_REASONS:
        reason, explanation = "other", f"{reason} {explanation}".strip()
    if reason == "other" and not _explains(explanation):
        raise RuleViolation(
            f"choose a reason from the list ({', '.join(BREAK_GLASS_REASONS)}), or explain in at least "
            f"{_OTHER_MINIMUM} characters why you need this chart",
            "reason_required",
        )
    label = BREAK_GLASS_REASONS[reason]
    return f"{label}: {explanation}" if explanation else label


def _explains(text: str) -> bool:
    words = [word for word in text.split() if any(ch.isalpha() for ch in word)]
    return len(text) >= _OTHER_MINIMUM and len(words) >= 3 and len({w.lower() for w in words}) >= 3


def visible_client(user: User, client_id: int) -> Client:
    """The client if `user` may open the chart at all; NotFound otherwise (never reveal it exists)."""
    client = openable_client(user, client_id)
    if client is None:
        raise NotFound("no such client")
    return client


def open_chart(user: User, client_id: int, *, ip: str = "") -> Client:
    """A chart the user may open, with the read audited (who viewed the record: docs/audit.md)."""
    client = visible_client(user, client_id)
    record_read(user, "chart.open", client, ip=ip)
    return client


def require_clinical_access(user: User, client: Client) -> None:
    """Narrative (progress notes, plans, risk) is for clinicians with the chart in reach: the policy's `note.list`."""
    require(user, "note.list", client, audit=False)


@transaction.atomic
def register_client(
    *,
    actor: User,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    primary_clinician_id: int,
    part2: bool = False,
    **demographics: Any,
) -> Client:
    require(actor, "client.register")
    if not first_name.strip() or not last_name.strip():
        raise RuleViolation("first and last name are required", "name_required")
    if date_of_birth > timezone.localdate():
        raise RuleViolation("date of birth is in the future", "invalid_date_of_birth")
    clinician = _active_clinician(primary_clinician_id)
    client = Client.objects.create(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        primary_clinician=clinician,
        part2=part2,
        **demographics,
    )
    record("confide.client.registered", actor=actor, client_id=client.pk, object_type="client", object_id=client.pk)
    return client


EDITABLE = ("first_name", "last_name", "preferred_name", "pronouns", "phone", "email", "address")


@transaction.atomic
def update_client(*, actor: User, client: Client, changes: dict[str, Any]) -> Client:
    """Edit demographics, the summary schedule and the discharge date; audited with the names of the fields changed
    (never their values)."""
    require(actor, "client.update", client)
    unknown = sorted(set(changes) - {*EDITABLE, "summary_schedule", "discharged_on"})
    if unknown:
        raise RuleViolation(f"these fields cannot be changed here: {', '.join(unknown)}", "invalid_field")
    for name in ("first_name", "last_name"):
        if name in changes and not str(changes[name] or "").strip():
            raise RuleViolation("a client needs a first and a last name", "name_required")
    if changes.get("summary_schedule") not in (None, "", "monthly", "quarterly"):
        raise RuleViolation("summary_schedule is monthly, quarterly or null", "invalid_schedule")
    discharged = changes.get("discharged_on")
    if discharged is not None and (discharged > timezone.localdate() or discharged < client.admitted_on):
        raise RuleViolation("a discharge date between admission and today", "invalid_date")
    changed = []
    for name, value in changes.items():
        value = (value or "") if name == "summary_schedule" else value
        value = value.strip() if isinstance(value, str) and name != "summary_schedule" else value
        if getattr(client, name) != value:
            setattr(client, name, value)
            changed.append(name)
    if changed:
        client.save(update_fields=changed)
        record(
            "confide.client.updated",
            actor=actor,
            client_id=client.pk,
            object_type="client",
            object_id=client.pk,
            detail={"fields": sorted(changed)},
        )
    return client


@transaction.atomic
def add_to_care_team(*, actor: User, client: Client, clinician_id: int) -> CareTeamMember:
    require(actor, "care_team.add", client)
    clinician = _active_clinician(clinician_id)
    member, created = CareTeamMember.objects.get_or_create(client=client, clinician=clinician)
    if not created:
        raise RuleViolation("already on the care team", "already_on_care_team")
    record(
        "confide.client.care_team_added",
        actor=actor,
        client_id=client.pk,
        object_type="user",
        object_id=clinician.pk,
    )
    return member


@transaction.atomic
def add_contact(*, actor: User, client: Client, **fields: Any) -> ExternalContact:
    require(actor, "contact.add", client)
    contact = ExternalContact.objects.create(client=client, **fields)
    record(
        "confide.client.contact_added", actor=actor, client_id=client.pk, object_type="contact", object_id=contact.pk
    )
    return contact


@transaction.atomic
def break_glass(*, actor: User, client_id: int, reason: str, explanation: str = "", ip: str = "") -> BreakGlassAccess:
    """Open a chart outside the caseload for a stated reason, read only, for a limited time. Never opens the vault."""
    require(actor, "break_glass.open")
    reason_text = break_glass_reason(reason, explanation)
    client = Client.objects.filter(pk=client_id).first()
    if client is None:
        raise NotFound("no such client")
    access = BreakGlassAccess.objects.create(
        client=client,
        clinician=actor,
        reason=reason_text,
        expires_at=timezone.now() + timedelta(minutes=settings.BREAK_GLASS_MINUTES),
    )
    record(
        "confide.client.break_glass",
        actor=actor,
        client_id=client.pk,
        object_type="break_glass",
        object_id=access.pk,
        ip=ip,
        detail={"reason": access.reason, "expires_at": access.expires_at.isoformat()},
    )
    return access


@transaction.atomic
def record_consent(*, actor: User, client: Client, kind: str, signed_on: date) -> Consent:
    require(actor, "consent.record", client)
    if kind not in ConsentKind.values:
        raise RuleViolation(f"kind must be one of {', '.join(ConsentKind.values)}", "invalid_consent_kind")
    if signed_on > timezone.localdate():
        raise RuleViolation("a consent cannot be signed in the future", "invalid_date")
    consent = Consent.objects.create(client=client, kind=kind, signed_on=signed_on, recorded_by=actor)
    record("confide.consent.recorded", actor=actor, client_id=client.pk, object_type="consent", object_id=consent.pk)
    return consent


@transaction.atomic
def revoke_consent(*, actor: User, consent_id: int) -> Consent:
    consent = Consent.objects.filter(pk=consent_id, client__in=Client.objects.visible_to(actor)).first()
    if consent is None:
        raise NotFound("no such consent")
    require(actor, "consent.record", consent)
    if consent.revoked_at is not None:
        raise RuleViolation("already revoked", "already_revoked")
    consent.revoked_at = timezone.now()
    consent.save(update_fields=["revoked_at"])
    record(
        "confide.consent.revoked", actor=actor, client_id=consent.client_id, object_type="consent", object_id=consent.pk
    )
    return consent


def has_transcription_consent(client: Client) -> bool:
    return client.consents.filter(kind=ConsentKind.SESSION_TRANSCRIPTION, revoked_at__isnull=True).exists()
