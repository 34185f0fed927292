"""Retention of the official record: when each client's chart is due for destruction, and destroying it.

The policy is the practice's (settings, docs/configuration.md); the defaults are the APA's record-keeping guideline
where state law sets nothing: 7 years after the last service for an adult (RETENTION_ADULT_YEARS), and for a minor
3 years after the age of majority (RETENTION_MINOR_YEARS_AFTER_MAJORITY, AGE_OF_MAJORITY) but never less than 7
years after the last service: the later of the two dates. A legal hold (`Client.legal_hold`) blocks destruction.

Destroying one client's chart is one transaction on the main database (with the vault's shredding nested in it):
progress notes and their addenda, sessions, plans and diagnoses, measures, summaries, amendment and records
requests, contacts, consents and history are deleted; the scanned authorization forms are deleted from disk;
disclosures keep the accounting of disclosures (who received what, when, on what ground, and the packages' SHA-256)
but lose their packages and item lists; psychotherapy notes are crypto-shredded as `confide vault shred` does. The
client row stays (disclosures' accounting refers to it) with its names and contact details erased. A tombstone
(client id, counts per category, the policy, when, by whom) and an audit entry remain. Re-running is safe: a
tombstoned client is never due again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Max, Q
from django.utils import timezone

from confide.clients.models import Client
from confide.ops.models import Tombstone

REASON = "retention"


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def policy() -> dict[str, int]:
    return {
        "adult_years": int(settings.RETENTION_ADULT_YEARS),
        "minor_years_after_majority": int(settings.RETENTION_MINOR_YEARS_AFTER_MAJORITY),
        "age_of_majority": int(settings.AGE_OF_MAJORITY),
    }


def destruction_date(*, date_of_birth: date, last_service: date) -> tuple[date, str]:
    """(the day the chart may be destroyed, why that day)."""
    rules = policy()
    after_service = _years_after(last_service, rules["adult_years"])
    majority = _years_after(date_of_birth, rules["age_of_majority"])
    after_majority = _years_after(majority, rules["minor_years_after_majority"])
    if last_service < majority and after_majority > after_service:
        return after_majority, (
            f"minor at last service: {rules['minor_years_after_majority']} years after majority "
            f"({majority.isoformat()}), later than {rules['adult_years']} years after last service"
        )
    return after_service, f"{rules['adult_years']} years after last service"


@dataclass(frozen=True)
class Due:
    client_id: int
    initials: str
    last_service: date
    due_on: date
    why: str


def _last_services(client_ids: list[int]) -> dict[int, date]:
    from confide.sessions.models import TherapySession

    found: dict[int, date] = {}
    for client_id, last in (
        TherapySession.objects.filter(client_id__in=client_ids)
        .values("client_id")
        .annotate(last=Max("starts_at"))
        .values_list("client_id", "last")
    ):
        found[client_id] = timezone.localdate(last)
    return found


def review(*, today: date | None = None) -> tuple[list[Due], list[Due]]:
    """(charts due for destruction on `today`, charts that would be due but are under a legal hold)."""
    today = today or timezone.localdate()
    destroyed = set(Tombstone.objects.values_list("client_id", flat=True))
    clients = [c for c in Client.objects.order_by("pk") if c.pk not in destroyed]
    sessions = _last_services([c.pk for c in clients])
    due: list[Due] = []
    held: list[Due] = []
    for client in clients:
        candidates = [d for d in (sessions.get(client.pk), client.discharged_on) if d is not None]
        last_service = max(candidates) if candidates else client.admitted_on
        due_on, why = destruction_date(date_of_birth=client.date_of_birth, last_service=last_service)
        if due_on > today:
            continue
        initials = f"{client.first_name[:1]}. {client.last_name[:1]}."
        if client.legal_hold:
            held.append(Due(client.pk, initials, last_service, due_on, "legal hold: " + why))
        else:
            due.append(Due(client.pk, initials, last_service, due_on, why))
    return due, held


def _delete(queryset: Any) -> int:
    count = queryset.count()
    if count:
        queryset.delete()
    return int(count)


def _secure_delete(alias: str) -> None:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")  # overwrite freed pages, as the vault does


def destroy_client(item: Due, *, actor: Any = None, operator: str = "") -> Tombstone:
    """Destroy one client's official record (one transaction) and leave a tombstone and an audit entry."""
    from confide.amendments.models import AmendmentRequest, AmendmentStatement
    from confide.audit.services import record
    from confide.clients.models import BreakGlassAccess, CareTeamMember, ClientChange, Consent, Episode, ExternalContact
    from confide.disclosures.documents import documents_dir
    from confide.disclosures.models import AccessRequest, Authorization, Disclosure, DisclosurePackage
    from confide.measures.models import Measure, MeasureRequest
    from confide.notes.models import Addendum, CosignReview, ProgressNote, ReviewKind
    from confide.plans.models import Diagnosis, TreatmentPlan
    from confide.sessions.models import SessionSeries, TherapySession
    from confide.summaries.models import Summary, SummaryAddendum
    from confide.vault import services as vault
    from confide.vault.models import ReleasedPackage
    from confide.vault.router import VAULT_DB

    by = operator or (actor.get_username() if actor is not None else "")
    _secure_delete("default")
    _secure_delete(VAULT_DB)
    forms: list[str] = []
    with transaction.atomic(), transaction.atomic(using=VAULT_DB):
        client = Client.objects.select_for_update().get(pk=item.client_id)
        if Tombstone.objects.filter(client_id=client.pk).exists():
            return Tombstone.objects.get(client_id=client.pk)  # destroyed already: nothing to do twice
        if client.legal_hold:
            raise ValueError(f"client {client.pk} is under a legal hold")
        c = client.pk
        shredded = 0
        for note_id, _session_date in vault.live_notes_by_client().get(c, []):
            shredded += int(vault.shred_note(actor=actor, note_id=note_id, reason=REASON))
        counts = {
            "psychotherapy_notes_shredded": shredded,
            "released_packages": _delete(ReleasedPackage.objects.filter(client_id=c)),
            "amendment_statements": _delete(AmendmentStatement.objects.filter(request__client_id=c)),
            "amendment_requests": _delete(AmendmentRequest.objects.filter(client_id=c)),
            "measures": _delete(Measure.objects.filter(client_id=c)),
            "measure_requests": _delete(MeasureRequest.objects.filter(client_id=c)),
            "cosign_reviews": _delete(
                CosignReview.objects.filter(
                    Q(
                        kind=ReviewKind.PROGRESS_NOTE,
                        object_id__in=ProgressNote.objects.filter(client_id=c).values("pk"),
                    )
                    | Q(kind=ReviewKind.SUMMARY, object_id__in=Summary.objects.filter(client_id=c).values("pk"))
                )
            ),
            "summary_addenda": _delete(SummaryAddendum.objects.filter(summary__client_id=c)),
            "summaries": _delete(Summary.objects.filter(client_id=c)),
            "addenda": _delete(Addendum.objects.filter(note__client_id=c)),
            "progress_notes": _delete(ProgressNote.objects.filter(client_id=c)),
            "sessions": _delete(TherapySession.objects.filter(client_id=c)),
            "session_series": _delete(SessionSeries.objects.filter(client_id=c)),
            "treatment_plans": _delete(TreatmentPlan.objects.filter(client_id=c)),
            "diagnoses": _delete(Diagnosis.objects.filter(client_id=c)),
            "disclosure_packages": _delete(DisclosurePackage.objects.filter(disclosure__client_id=c)),
            "disclosures_kept_for_accounting": Disclosure.objects.filter(client_id=c).update(
                items=[], withheld=[], notices=[], contact=None, access_request=None
            ),
            "access_requests": _delete(AccessRequest.objects.filter(client_id=c)),
        }
        authorizations = Authorization.objects.filter(client_id=c)
        forms = [name for name in authorizations.exclude(document_name="").values_list("document_name", flat=True)]
        counts["authorization_forms"] = len(forms)
        authorizations.update(
            document_name="", document_type="", document_bytes=None, document_sha256="", document_uploaded_at=None
        )
        counts["authorizations"] = _delete(authorizations.filter(disclosures__isnull=True))
        for name, model in (
            ("contacts", ExternalContact),
            ("consents", Consent),
            ("episodes", Episode),
            ("client_changes", ClientChange),
            ("care_team", CareTeamMember),
            ("break_glass", BreakGlassAccess),
        ):
            counts[name] = _delete(model.objects.filter(client_id=c))
        # The row stays for the accounting of disclosures; nothing on it names or reaches the person.
        client.first_name, client.last_name = "Destroyed", "record"
        client.preferred_name = client.pronouns = client.phone = client.email = client.address = ""
        client.discharge_reason = ""
        client.date_of_birth = date(client.date_of_birth.year, 1, 1)
        client.discharged_on = client.discharged_on or item.last_service
        client.summary_schedule = ""
        client.save()
        rules = {**policy(), "why": item.why}
        tombstone = Tombstone.objects.create(
            client_id=c,
            counts=counts,
            policy=rules,
            last_service=item.last_service,
            due_on=item.due_on,
            destroyed_at=timezone.now(),
            destroyed_by=by[:150],
        )
        record(
            "confide.record.destroyed",
            actor=actor,
            client_id=c,
            object_type="client",
            object_id=c,
            detail={
                "counts": counts,
                "policy": rules,
                "last_service": item.last_service.isoformat(),
                "due_on": item.due_on.isoformat(),
                "operator": by[:150],
            },
        )
    # The files go once the rows that name them are gone for good (a rolled-back destruction keeps them).
    folder = documents_dir()
    for name in forms:
        if name and "/" not in name and not name.startswith("."):
            (folder / name).unlink(missing_ok=True)
    return tombstone


def destroy_due(
    *,
    today: date | None = None,
    actor: Any = None,
    operator: str = "",
    say: Callable[[str], None] = lambda _line: None,
) -> list[Tombstone]:
    due, _held = review(today=today)
    done = []
    for item in due:
        tombstone = destroy_client(item, actor=actor, operator=operator)
        done.append(tombstone)
        destroyed = sum(tombstone.counts.values())
        say(f"destroyed: client {item.client_id} ({item.initials}), {destroyed} rows; tombstone {tombstone.pk}")
    return done
