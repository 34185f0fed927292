"""Changes to clients, care teams, consents and break-the-glass access: one door each, audited."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format  # the practice's DATE_STYLE

from confide.access import record_read, require
from confide.audit.services import record
from confide.clients.caseload import openable_client
from confide.clients.models import (
    BreakGlassAccess,
    CareTeamMember,
    ChangeKind,
    Client,
    ClientChange,
    Consent,
    ConsentKind,
    Episode,
    ExternalContact,
)
from confide.lib.errors import NotFound, RuleViolation
from confide.lib.text import sane_day
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


Problem = dict[str, str]  # {"detail": what to do, in plain words, "code": the API's error code}


class InvalidFields(RuleViolation):
    """Several fields break their rules at once: every problem, by field, so a form can show each beside its field
    (and the API one sentence naming them all). The code is the first problem's."""

    def __init__(self, problems: dict[str, Problem]) -> None:
        self.problems = {name: problem["detail"] for name, problem in problems.items()}
        super().__init__(" ".join(self.problems.values()), next(iter(problems.values()))["code"])


def _demographic_problems(values: dict[str, Any]) -> dict[str, Problem]:
    """What is wrong with the demographics in `values` (only the names present are checked), in plain words."""
    problems: dict[str, Problem] = {}
    for name, label in (("first_name", "first"), ("last_name", "last")):
        if name in values and not str(values[name] or "").strip():
            problems[name] = {"code": "name_required", "detail": f"Enter the client's {label} name."}
    if "date_of_birth" in values:
        born = values["date_of_birth"]
        if not isinstance(born, date):
            problems["date_of_birth"] = {"code": "invalid_date_of_birth", "detail": "Enter the date of birth."}
        elif born > timezone.localdate():
            problems["date_of_birth"] = {
                "code": "invalid_date_of_birth",
                "detail": "The date of birth is in the future: enter the day the client was born.",
            }
        elif not sane_day(born):
            problems["date_of_birth"] = {
                "code": "invalid_date_of_birth",
                "detail": "Enter a date of birth after 1900.",
            }
    for name in ("preferred_name", "pronouns", "phone", "email", "address"):
        if name in values and values[name] is None:
            problems[name] = {
                "code": "invalid_value",
                "detail": f"{name.replace('_', ' ').capitalize()} may be left empty, not null.",
            }
    email = values.get("email")
    if email and "email" not in problems:
        try:
            validate_email(str(email))
        except ValidationError:
            problems["email"] = {
                "code": "invalid_email",
                "detail": "Enter an email address like name@example.org, or leave it empty.",
            }
    return problems


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
    problems = _demographic_problems({"first_name": first_name, "last_name": last_name, "date_of_birth": date_of_birth})
    clinician = User.objects.filter(pk=primary_clinician_id, role=Role.CLINICIAN, is_active=True).first()
    if clinician is None:
        problems["primary_clinician"] = {
            "code": "invalid_clinician",
            "detail": "Choose the primary clinician from the list.",
        }
    if problems or clinician is None:
        raise InvalidFields(problems)
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


EDITABLE = ("first_name", "last_name", "preferred_name", "date_of_birth", "pronouns", "phone", "email", "address")
CHANGEABLE = frozenset({*EDITABLE, "summary_schedule", "discharged_on", "discharge_reason", "readmitted_on"})
REASON_CHARS = 500  # Client.discharge_reason's column


def _shown(value: Any) -> str:
    """A value as the change history keeps it: dates as YYYY-MM-DD, nothing as the empty string."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _episode_problems(client: Client, changes: dict[str, Any], today: date) -> dict[str, Problem]:
    problems: dict[str, Problem] = {}
    discharged = changes.get("discharged_on", client.discharged_on)
    reason = changes.get("discharge_reason", client.discharge_reason)
    if "discharged_on" in changes and discharged is not None and not client.admitted_on <= discharged <= today:
        problems["discharged_on"] = {
            "code": "invalid_date",
            "detail": f"Enter a discharge date between admission ({date_format(client.admitted_on)}) and today.",
        }
    if discharged is not None and not str(reason or "").strip():
        problems["discharge_reason"] = {
            "code": "reason_required",
            "detail": "Say why the client is discharged, e.g. \u201ctreatment goals met\u201d.",
        }
    if len(str(reason or "")) > REASON_CHARS:
        problems["discharge_reason"] = {
            "code": "reason_too_long",
            "detail": f"Shorten the reason to {REASON_CHARS} characters or fewer.",
        }
    if discharged is None and str(changes.get("discharge_reason") or "").strip():
        problems["discharge_reason"] = {
            "code": "not_discharged",
            "detail": "Only a discharged client has a discharge reason: enter the discharge date too.",
        }
    readmitted = changes.get("readmitted_on")
    if readmitted is not None:
        if client.discharged_on is None or changes.get("discharged_on", "") is not None:
            problems["readmitted_on"] = {
                "code": "not_discharged",
                "detail": "Only a discharged client can be readmitted.",
            }
        elif not isinstance(readmitted, date) or readmitted > today or readmitted < client.discharged_on:
            problems["readmitted_on"] = {
                "code": "invalid_date",
                "detail": (
                    f"Enter a readmission date from the discharge ({date_format(client.discharged_on)}) to today."
                ),
            }
    return problems


@transaction.atomic
def update_client(*, actor: User, client: Client, changes: dict[str, Any]) -> Client:
    """Correct demographics, the summary schedule, or the episode of care: `discharged_on` (with
    `discharge_reason`) discharges, `discharged_on: None` readmits (as of `readmitted_on`, default today) and keeps
    the closed episode in the client's `episodes`.

    Every change keeps its old and new values in the client's change history (ClientChange), which the chart's
    readers see; its audit entry names the fields changed, never their values (administrators read the log)."""
    require(actor, "client.update", client)
    unknown = sorted(set(changes) - CHANGEABLE)
    if unknown:
        raise RuleViolation(f"these fields cannot be changed here: {', '.join(unknown)}", "invalid_field")
    changes = dict(changes)
    for name, value in changes.items():
        if isinstance(value, str):
            changes[name] = value.strip()
    if changes.get("summary_schedule") not in (None, "", "monthly", "quarterly"):
        raise RuleViolation("summary_schedule is monthly, quarterly or null", "invalid_schedule")
    if "summary_schedule" in changes:
        changes["summary_schedule"] = changes["summary_schedule"] or ""
    today = timezone.localdate()
    readmitting = "discharged_on" in changes and changes["discharged_on"] is None and client.discharged_on is not None
    discharging = changes.get("discharged_on") is not None and client.discharged_on is None
    problems = {**_demographic_problems(changes), **_episode_problems(client, changes, today)}
    if problems:
        raise InvalidFields(problems)
    readmitted_on = changes.pop("readmitted_on", None) or today
    if readmitting and client.discharged_on is not None:
        Episode.objects.create(
            client=client,
            admitted_on=client.admitted_on,
            discharged_on=client.discharged_on,
            discharge_reason=client.discharge_reason,
            readmitted_on=readmitted_on,
            readmitted_by=actor,
        )
        changes.update(admitted_on=readmitted_on, discharge_reason="")
    elif "discharged_on" in changes and changes["discharged_on"] is None:
        del changes["discharged_on"]  # already active: nothing to readmit
    changed = [
        {"field": name, "old": _shown(getattr(client, name)), "new": _shown(value)}
        for name, value in changes.items()
        if getattr(client, name) != value
    ]
    if not changed:
        return client
    for name, value in changes.items():
        setattr(client, name, value)
    names = sorted(row["field"] for row in changed)
    client.save(update_fields=names)
    kind = ChangeKind.READMITTED if readmitting else ChangeKind.DISCHARGED if discharging else ChangeKind.EDITED
    ClientChange.objects.create(client=client, kind=kind, fields=changed, changed_by=actor)
    if client.discharged_on is not None and "discharged_on" in names:
        _cancel_sessions_after(actor, client, client.discharged_on)
    record(
        "confide.client.updated",
        actor=actor,
        client_id=client.pk,
        object_type="client",
        object_id=client.pk,
        detail={"fields": names},
    )
    return client


DISCHARGE_CANCEL_REASON = "client discharged"


def _cancel_sessions_after(actor: User, client: Client, day: date) -> int:
    """A discharged client leaves the calendar: the sessions still booked after the discharge day are cancelled
    (each audited by the sessions' own door). Held sessions, and any with a note, stay as they are."""
    from confide.sessions import services as sessions  # sessions.services reads clients: imported when used
    from confide.sessions.models import Status, TherapySession

    after = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), timezone.get_default_timezone())
    booked = TherapySession.objects.filter(
        client=client, status=Status.SCHEDULED, starts_at__gte=after, progress_notes__isnull=True
    ).order_by("starts_at")
    cancelled = 0
    for session in booked:
        sessions.cancel_session(actor=actor, session=session, reason=DISCHARGE_CANCEL_REASON)
        cancelled += 1
    return cancelled


def discharge_client(*, actor: User, client: Client, discharged_on: date, reason: str) -> Client:
    """Discharge: the client leaves the active lists (the client list, searches, pickers) until readmitted."""
    return update_client(
        actor=actor, client=client, changes={"discharged_on": discharged_on, "discharge_reason": reason}
    )


def readmit_client(*, actor: User, client: Client, readmitted_on: date | None = None) -> Client:
    """Open a new episode of care; the closed one (admission, discharge, reason) stays in the chart's history."""
    if client.discharged_on is None:
        raise RuleViolation("this client is not discharged", "not_discharged")
    changes: dict[str, Any] = {"discharged_on": None}
    if readmitted_on is not None:
        changes["readmitted_on"] = readmitted_on
    return update_client(actor=actor, client=client, changes=changes)


def history(client: Client) -> list[ClientChange]:
    """The client's corrections, newest first, with who made them (the chart shows them to its readers)."""
    return list(ClientChange.objects.filter(client=client).select_related("changed_by")[:100])


def episodes(client: Client) -> list[Episode]:
    """Earlier, closed episodes of care, newest first."""
    return list(Episode.objects.filter(client=client))


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
