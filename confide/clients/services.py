"""Changes to clients, care teams, consents and break-the-glass access: one door each, audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from confide.audit.services import record
from confide.clients.caseload import can_open, openable_client
from confide.clients.models import BreakGlassAccess, CareTeamMember, Client, Consent, ConsentKind, ExternalContact
from confide.lib.errors import Forbidden, NotFound, RuleViolation
from confide.people.models import Role, User

CLIENT_CREATORS = (Role.ADMIN, Role.CLINICIAN, Role.FRONT_DESK)


def _active_clinician(clinician_id: int) -> User:
    clinician = User.objects.filter(pk=clinician_id, role=Role.CLINICIAN, is_active=True).first()
    if clinician is None:
        raise RuleViolation("no active clinician has that id", "invalid_clinician")
    return clinician


def visible_client(user: User, client_id: int) -> Client:
    """The client if `user` may open the chart at all; NotFound otherwise (never reveal it exists)."""
    client = openable_client(user, client_id)
    if client is None:
        raise NotFound("no such client")
    return client


def open_chart(user: User, client_id: int, *, ip: str = "") -> Client:
    """A chart the user may open, with the read audited (who viewed the record: SPEC §2.10)."""
    client = visible_client(user, client_id)
    record("confide.client.viewed", actor=user, client_id=client.pk, object_type="client", object_id=client.pk, ip=ip)
    return client


def require_clinical_access(user: User, client: Client) -> None:
    """Narrative (progress notes, plans, risk) is for clinicians with the chart in reach."""
    if user.role != Role.CLINICIAN:
        raise Forbidden("this role does not see clinical narrative")
    if not can_open(user, client.pk):
        raise NotFound("no such client")


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
    if actor.role not in CLIENT_CREATORS:
        raise Forbidden("this role does not register clients")
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


@transaction.atomic
def add_to_care_team(*, actor: User, client: Client, clinician_id: int) -> CareTeamMember:
    if actor.role not in (Role.ADMIN, Role.CLINICIAN):
        raise Forbidden("this role does not manage care teams")
    if actor.role == Role.CLINICIAN and not Client.objects.caseload_of(actor).filter(pk=client.pk).exists():
        raise Forbidden("only the client's own clinicians add to the care team")
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
    if actor.role not in (Role.ADMIN, Role.CLINICIAN, Role.FRONT_DESK):
        raise Forbidden("this role does not edit contacts")
    contact = ExternalContact.objects.create(client=client, **fields)
    record(
        "confide.client.contact_added", actor=actor, client_id=client.pk, object_type="contact", object_id=contact.pk
    )
    return contact


@transaction.atomic
def break_glass(*, actor: User, client_id: int, reason: str, ip: str = "") -> BreakGlassAccess:
    """Open a chart outside the caseload for a stated reason, for a limited time. Never opens the vault."""
    if actor.role != Role.CLINICIAN:
        raise Forbidden("only clinicians break the glass")
    if len(reason.strip()) < 10:
        raise RuleViolation("state the reason (at least 10 characters)", "reason_required")
    client = Client.objects.filter(pk=client_id).first()
    if client is None:
        raise NotFound("no such client")
    access = BreakGlassAccess.objects.create(
        client=client,
        clinician=actor,
        reason=reason.strip(),
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
    if actor.role not in (Role.CLINICIAN, Role.FRONT_DESK, Role.ADMIN):
        raise Forbidden("this role does not record consents")
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
    if actor.role not in (Role.CLINICIAN, Role.FRONT_DESK, Role.ADMIN):
        raise Forbidden("this role does not record consents")
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
