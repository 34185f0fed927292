"""Release of information: authorizations, releases and their packages, the client's copy, the accounting.

Each function checks the policy (`require`), applies the rules (confide/disclosures/rules.py), and audits what it
did. Views and the API call these and nothing below them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from confide.access import require
from confide.access.decide import record_read
from confide.audit.services import record
from confide.clients.models import Client, ExternalContact
from confide.disclosures import content as c
from confide.disclosures import documents, gather, rules
from confide.disclosures.models import (
    AccessRequest,
    Authorization,
    AuthorizationKind,
    Disclosure,
    DisclosurePackage,
    SignedBy,
)
from confide.lib.errors import Conflict, NotFound, RuleViolation
from confide.people.models import Role, User
from confide.vault import releases
from confide.vault.credential import VaultCredential

Cat = rules.Category

# --- Authorizations (164.508) --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorizationInput:
    kind: str
    recipient: str
    purpose: str
    information: list[str]
    signed_on: date | None
    expires_on: date | None = None
    expiry_event: str = ""
    signed_by: str = SignedBy.CLIENT
    recipient_address: str = ""
    information_detail: str = ""
    representative_name: str = ""
    representative_authority: str = ""
    discloser: str = ""


def check_authorization(data: AuthorizationInput, *, today: date, signed: bool = True) -> None:
    """The structure rules first (non-compound, 164.508(b)(3)), then every core element of 164.508(c)(1).
    `signed=False` checks a form about to be printed for signature: everything but the signature."""
    kinds = {k.value for k in AuthorizationKind}
    if data.kind not in kinds:
        raise RuleViolation(f"kind must be one of {', '.join(sorted(kinds))}", "authorization_incomplete")
    unknown = sorted(set(data.information) - {c.value for c in Cat})
    if unknown:
        raise RuleViolation(f"unknown categories of information: {', '.join(unknown)}", "authorization_incomplete")
    names_notes = Cat.PSYCHOTHERAPY_NOTES.value in data.information
    if data.kind == AuthorizationKind.PSYCHOTHERAPY_NOTES and set(data.information) - {Cat.PSYCHOTHERAPY_NOTES.value}:
        raise RuleViolation(
            "a psychotherapy-notes authorization may name psychotherapy notes only; release the rest of the record "
            "under a separate, general authorization (164.508(b)(3)(ii))",
            "compound_authorization",
        )
    if data.kind == AuthorizationKind.GENERAL and names_notes:
        raise RuleViolation(
            "a general authorization cannot name psychotherapy notes: they need an authorization of their own "
            "(164.508(b)(3)(ii))",
            "compound_authorization",
        )
    missing = [
        element
        for element, present in (
            ("information (what may be disclosed)", bool(data.information)),
            ("recipient", bool(data.recipient.strip())),
            ("purpose", bool(data.purpose.strip())),
            ("expiry date or event", bool(data.expires_on or data.expiry_event.strip())),
            ("date signed", data.signed_on is not None or not signed),
            (
                "the personal representative's name and authority",
                data.signed_by != SignedBy.PERSONAL_REPRESENTATIVE
                or bool(data.representative_name.strip() and data.representative_authority.strip()),
            ),
        )
        if not present
    ]
    if data.signed_by not in SignedBy.values:
        missing.append("who signed (the client or a personal representative)")
    if missing:
        raise RuleViolation(
            f"the authorization lacks a core element of 164.508(c): {', '.join(missing)}", "authorization_incomplete"
        )
    if data.signed_on and data.signed_on > today:
        raise RuleViolation("the date signed cannot be in the future", "authorization_incomplete")
    if data.expires_on and data.signed_on and data.expires_on < data.signed_on:
        raise RuleViolation("the authorization expires before it was signed", "authorization_incomplete")


def record_authorization(*, actor: User, client: Client, data: AuthorizationInput) -> Authorization:
    require(actor, "authorization.record", client)
    check_authorization(data, today=timezone.localdate())
    assert data.signed_on is not None
    with transaction.atomic():
        auth = Authorization.objects.create(
            client=client,
            kind=data.kind,
            recipient=data.recipient.strip(),
            recipient_address=data.recipient_address.strip(),
            discloser=data.discloser.strip() or settings.PRACTICE_NAME,
            purpose=data.purpose.strip(),
            information=sorted(set(data.information)),
            information_detail=data.information_detail.strip(),
            expires_on=data.expires_on,
            expiry_event=data.expiry_event.strip(),
            signed_on=data.signed_on,
            signed_by=data.signed_by,
            representative_name=data.representative_name.strip(),
            representative_authority=data.representative_authority.strip(),
            recorded_by=actor,
        )
        record(
            "confide.authorization.recorded",
            actor=actor,
            client_id=client.pk,
            object_type="authorization",
            object_id=auth.pk,
            detail={"kind": auth.kind},
        )
    return auth


def authorization_form(*, actor: User, client: Client, data: AuthorizationInput) -> bytes:
    """A pre-filled authorization form (PDF) for the client to sign; nothing is recorded but the printing."""
    from confide.disclosures.pdf import render_authorization_form

    require(actor, "authorization.record", client)
    check_authorization(data, today=timezone.localdate(), signed=False)
    draft = Authorization(
        client=client,
        kind=data.kind,
        recipient=data.recipient.strip(),
        purpose=data.purpose.strip(),
        information=sorted(set(data.information)),
        expires_on=data.expires_on,
        expiry_event=data.expiry_event.strip(),
        signed_on=data.signed_on or timezone.localdate(),
        signed_by=data.signed_by,
    )
    record("confide.authorization.form_printed", actor=actor, client_id=client.pk, detail={"kind": data.kind})
    return bytes(
        render_authorization_form(gather.authorization_part(draft), gather.client_part(client), settings.PRACTICE_NAME)
    )


def visible_authorization(actor: User, authorization_id: int, verb: str = "authorization.record") -> Authorization:
    auth = Authorization.objects.select_related("client").filter(pk=authorization_id).first()
    if auth is None:
        raise NotFound("no such authorization")
    require(actor, verb, auth.client, audit=False)
    return auth


def list_authorizations(*, actor: User, client: Client) -> list[Authorization]:
    require(actor, "authorization.list", client, audit=False)
    found = list(Authorization.objects.filter(client=client))
    record_read(actor, "authorization.list", client, detail={"count": len(found)})
    return found


def attach_document(*, actor: User, authorization_id: int, data: bytes) -> Authorization:
    auth = visible_authorization(actor, authorization_id)
    if auth.document_sha256:
        raise Conflict("this authorization already has its signed form; record a new authorization to replace it")
    stored = documents.store(data)
    with transaction.atomic():
        auth.document_name = stored.name
        auth.document_type = stored.content_type
        auth.document_bytes = stored.size
        auth.document_sha256 = stored.sha256
        auth.document_uploaded_at = timezone.now()
        auth.save()
        record(
            "confide.authorization.document_attached",
            actor=actor,
            client_id=auth.client_id,
            object_type="authorization",
            object_id=auth.pk,
            detail={"sha256": stored.sha256, "type": stored.content_type, "bytes": stored.size},
        )
    return auth


def document(*, actor: User, authorization_id: int) -> tuple[bytes, str]:
    auth = visible_authorization(actor, authorization_id, "authorization.document.read")
    if not auth.document_name:
        raise NotFound("this authorization has no signed form attached")
    data = documents.read(auth.document_name)
    if hashlib.sha256(data).hexdigest() != auth.document_sha256:
        raise Conflict("the stored form no longer matches its recorded hash", "document_integrity")
    record(
        "confide.authorization.document_viewed",
        actor=actor,
        client_id=auth.client_id,
        object_type="authorization",
        object_id=auth.pk,
    )
    return data, auth.document_type


def revoke_authorization(*, actor: User, authorization_id: int, revoked_on: date) -> Authorization:
    auth = visible_authorization(actor, authorization_id)
    if auth.revoked_on:
        raise Conflict(f"already revoked on {auth.revoked_on.isoformat()}", "already_revoked")
    if revoked_on > timezone.localdate():
        raise RuleViolation("a revocation takes effect when the practice receives it: not in the future", "bad_date")
    if revoked_on < auth.signed_on:
        raise RuleViolation("the revocation is dated before the authorization was signed", "bad_date")
    with transaction.atomic():
        auth.revoked_on = revoked_on
        auth.save(update_fields=["revoked_on"])
        record(
            "confide.authorization.revoked",
            actor=actor,
            client_id=auth.client_id,
            object_type="authorization",
            object_id=auth.pk,
            detail={"revoked_on": revoked_on.isoformat()},
        )
    return auth


# --- Releases ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseInput:
    recipient_name: str
    basis: str
    recipient_address: str = ""
    contact_id: int | None = None
    authorization_id: int | None = None
    purpose: str = ""
    span: gather.Span = (None, None)
    # None: the basis's default (see `resolve_include`); True/False: asked for or left out.
    include: dict[str, bool | None] = field(default_factory=dict)
    access_request_id: int | None = None


def resolve_include(basis: rules.Basis, asked: dict[str, bool | None], auth: Authorization | None) -> frozenset[Cat]:
    """What a request includes: what it asks for, and for what it leaves unsaid the basis's usual content — the
    whole record for the client or a treating provider, dates, codes and diagnoses for payment, what the
    authorization names for an authorized release, and only what was named for an order or subpoena."""
    named = {Cat(i) for i in auth.information} if auth is not None else set()
    usual: set[Cat] = {
        rules.Basis.RIGHT_OF_ACCESS: {
            Cat.PROGRESS_NOTES,
            Cat.SESSIONS,
            Cat.DIAGNOSES,
            Cat.TREATMENT_PLAN,
            Cat.MEASURES,
            Cat.SUMMARIES,
        },
        rules.Basis.TREATMENT: {Cat.PROGRESS_NOTES, Cat.DIAGNOSES, Cat.TREATMENT_PLAN, Cat.MEASURES, Cat.SUMMARIES},
        rules.Basis.PAYMENT: {Cat.SESSIONS, Cat.DIAGNOSES},
        rules.Basis.AUTHORIZATION: named - {Cat.PSYCHOTHERAPY_NOTES},
    }.get(basis, set())
    chosen = set(usual)
    for key, value in asked.items():
        category = Cat(key)
        if value is True:
            chosen.add(category)
        elif value is False:
            chosen.discard(category)
    return frozenset(chosen)


@dataclass(frozen=True)
class Plan:
    """A request checked against the rules: what will go, what will not and why, before anything is built."""

    client: Client
    data: ReleaseInput
    basis: rules.Basis
    include: frozenset[Cat]
    authorization: Authorization | None
    decision: rules.Decision
    recipient_address: str


def _basis(value: str) -> rules.Basis:
    try:
        return rules.Basis(value)
    except ValueError:
        raise RuleViolation(
            f"basis must be one of {', '.join(b.value for b in rules.Basis)}", "unknown_basis"
        ) from None


def _plan(actor: User, client: Client, data: ReleaseInput) -> Plan:
    basis = _basis(data.basis)
    auth = None
    if data.authorization_id is not None:
        auth = Authorization.objects.filter(pk=data.authorization_id, client=client).first()
        if auth is None:
            raise RuleViolation("no such authorization for this client", "authorization_required")
    include = resolve_include(basis, data.include, auth)
    recipient, address = data.recipient_name.strip(), data.recipient_address.strip()
    if data.contact_id is not None:
        contact = ExternalContact.objects.filter(pk=data.contact_id, client=client).first()
        if contact is None:
            raise RuleViolation("no such contact on this chart", "unknown_contact")
        recipient = recipient or contact.name
        address = address or contact.organization
    if basis is rules.Basis.RIGHT_OF_ACCESS and not recipient:
        recipient = client.name
    if not recipient:
        raise RuleViolation("name the recipient", "recipient_required")
    span = data.span
    if span[0] and span[1] and span[0] > span[1]:
        raise RuleViolation("the span ends before it starts", "bad_span")
    is_clinician = actor.role == Role.CLINICIAN
    wants_notes = Cat.PSYCHOTHERAPY_NOTES in include
    own = wants_notes and is_clinician and releases.has_own_notes(author=actor, client_id=client.pk, span=span)
    request = rules.Request(
        basis=basis,
        include=include,
        recipient=recipient,
        today=timezone.localdate(),
        requester_role=actor.role,
        authorization=gather.authorization_facts(auth) if auth else None,
        client_part2=client.part2,
        requester_has_own_psychotherapy_notes=own,
    )
    items = gather.candidates(client, include, span)
    if own:
        items += [
            rules.Item(rules.ItemKind.PSYCHOTHERAPY_NOTE, note_id, day)
            for note_id, day in releases.own_note_ids(author=actor, client_id=client.pk, span=span)
        ]
    elif wants_notes:
        # Whoever has none of their own is told what the rules say of psychotherapy notes in general, whether or not
        # a colleague wrote any: a stand-in that no rule can release (the requester is not their author).
        items.append(rules.Item(rules.ItemKind.PSYCHOTHERAPY_NOTE, "", request.today))
    decision = _one_word_on_private_notes(rules.decide(request, items))
    return Plan(client, replace(data, recipient_name=recipient), basis, include, auth, decision, address)


def _one_word_on_private_notes(decision: rules.Decision) -> rules.Decision:
    """Psychotherapy notes that stay behind are listed once, without ids: how many there are is the vault's secret."""
    kept: list[rules.Withheld] = []
    said: set[str] = set()
    for w in decision.withheld:
        if w.kind is rules.ItemKind.PSYCHOTHERAPY_NOTE:
            if w.rule in said:
                continue
            said.add(w.rule)
            w = replace(w, id=None)
        kept.append(w)
    return replace(decision, withheld=tuple(kept))


def preview(*, actor: User, client: Client, data: ReleaseInput) -> Plan:
    """What a release would send and withhold; nothing is built, decrypted or recorded but the look."""
    require(actor, "disclosure.prepare", client)
    plan = _plan(actor, client, data)
    decision = plan.decision
    record(
        "confide.disclosure.previewed",
        actor=actor,
        client_id=client.pk,
        detail={"basis": plan.basis.value, "items": len(decision.released), "withheld": len(decision.withheld)},
    )
    return plan


def _refuse(actor: User, plan: Plan) -> RuleViolation:
    refusal = plan.decision.refusal
    assert refusal is not None
    record(
        "confide.disclosure.refused",
        actor=actor,
        client_id=plan.client.pk,
        outcome="failed",
        detail={"basis": plan.basis.value, "rule": refusal.rule},
    )
    cite = f" ({refusal.cite})" if refusal.cite and "CFR" not in refusal.cite else ""
    return RuleViolation(refusal.reason + cite, refusal.rule)


def _description(decision: rules.Decision) -> str:
    counts: dict[str, int] = {}
    days: list[date] = []
    for item in decision.released:
        if item.kind is rules.ItemKind.PSYCHOTHERAPY_NOTE:
            continue  # named in the vault (releases.released_note_counts), never in the main database
        counts[item.kind.value] = counts.get(item.kind.value, 0) + 1
        days.append(item.day)
    words = [f"{n} {kind.replace('_', ' ')}{'' if n == 1 else 's'}" for kind, n in counts.items()]
    span = f" ({min(days).isoformat()} to {max(days).isoformat()})" if days else ""
    return (", ".join(words) + span)[:500]


def disclose(*, actor: User, credential: VaultCredential | None, client: Client, data: ReleaseInput) -> Disclosure:
    """Release records: decide, build the package (PDF and FHIR), record what went and its hashes, audit."""
    from confide.disclosures.fhir import bundle_bytes
    from confide.disclosures.pages import page_count
    from confide.disclosures.pdf import render_package

    require(actor, "disclosure.prepare", client)
    plan = _plan(actor, client, data)
    if plan.decision.refusal is not None:
        raise _refuse(actor, plan)
    decision = plan.decision
    private_ids = [i.id for i in decision.released if i.kind is rules.ItemKind.PSYCHOTHERAPY_NOTE]
    private: list[c.PrivateNotePart] = []
    if private_ids:
        wanted = set(private_ids)
        private = [
            c.PrivateNotePart(n.id, n.session_id, n.session_date, gather.person(actor), n.body, n.created_at)
            for n in releases.notes_for_release(
                author=actor, credential=credential, client_id=client.pk, span=data.span
            )
            if n.id in wanted
        ]
    access_request = None
    if data.access_request_id is not None:
        access_request = AccessRequest.objects.filter(pk=data.access_request_id, client=client).first()
        if access_request is None:
            raise RuleViolation("no such records request for this client", "unknown_access_request")
    now = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            client=client,
            recipient_name=plan.data.recipient_name,
            recipient_address=plan.recipient_address,
            contact_id=data.contact_id,
            basis=plan.basis.value,
            authorization=plan.authorization,
            purpose=data.purpose.strip() or (plan.authorization.purpose if plan.authorization else ""),
            span_from=data.span[0],
            span_to=data.span[1],
            include=sorted(i.value for i in plan.include),
            items=[
                {"kind": i.kind.value, "id": int(i.id)}
                for i in decision.released
                if i.kind is not rules.ItemKind.PSYCHOTHERAPY_NOTE
            ],
            withheld=[
                {
                    "kind": w.kind.value,
                    "id": None if w.kind is rules.ItemKind.PSYCHOTHERAPY_NOTE else w.id,
                    "rule": w.rule,
                    "reason": w.reason,
                    "cite": w.cite,
                }
                for w in decision.withheld
            ],
            notices=list(decision.notices),
            description=_description(decision) or "psychotherapy notes",
            accounted=plan.basis not in rules.NOT_ACCOUNTED,
            prepared_by=actor,
            prepared_at=now,
            pdf_sha256="",
            fhir_sha256="",
            access_request=access_request,
        )
        header = gather.Header(
            disclosure.pk,
            actor,
            now,
            disclosure.recipient_name,
            disclosure.recipient_address,
            disclosure.basis,
            disclosure.purpose,
            data.span,
            plan.authorization,
        )
        package = gather.build_package(header, client, decision, private)
        pdf = render_package(package)
        fhir = bundle_bytes(package)
        disclosure.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        disclosure.fhir_sha256 = hashlib.sha256(fhir).hexdigest()
        disclosure.pdf_pages = page_count(pdf)
        disclosure.pdf_bytes = len(pdf)
        disclosure.save()
        if private:
            releases.seal_package(
                author=actor,
                client_id=client.pk,
                disclosure_id=disclosure.pk,
                note_ids=[p.id for p in private],
                pdf=pdf,
                fhir=fhir,
            )
            releases.record_release(
                author=actor,
                client_id=client.pk,
                disclosure_id=disclosure.pk,
                basis=plan.basis.value,
                note_ids=[p.id for p in private],
            )
        else:
            DisclosurePackage.objects.create(disclosure=disclosure, pdf=pdf, fhir=fhir)
        if access_request is not None and access_request.fulfilled_on is None:
            access_request.fulfilled_on = timezone.localdate()
            access_request.save(update_fields=["fulfilled_on"])
            record(
                "confide.access_request.fulfilled",
                actor=actor,
                client_id=client.pk,
                object_type="access_request",
                object_id=access_request.pk,
                detail={"disclosure_id": disclosure.pk},
            )
        record(
            "confide.disclosure.made",
            actor=actor,
            client_id=client.pk,
            object_type="disclosure",
            object_id=disclosure.pk,
            detail={
                "basis": disclosure.basis,
                "items": len(decision.released),
                "withheld": len(decision.withheld),
                "sha256": disclosure.pdf_sha256,
            },
        )
    disclosure.released_private_ids = [p.id for p in private]  # type: ignore[attr-defined]
    return disclosure


def visible_disclosure(actor: User, disclosure_id: int) -> Disclosure:
    found = Disclosure.objects.select_related("client", "prepared_by").filter(pk=disclosure_id).first()
    if found is None:
        raise NotFound("no such disclosure")
    return found


def package_file(*, actor: User, credential: VaultCredential | None, disclosure_id: int, part: str) -> bytes:
    """The package exactly as sent, for whoever prepared it or the client's treating clinicians; one that holds
    psychotherapy notes opens for its author's vault session only."""
    disclosure = visible_disclosure(actor, disclosure_id)
    require(actor, "disclosure.package.read", disclosure, detail={"format": part})
    stored = DisclosurePackage.objects.filter(disclosure=disclosure).first()
    if stored is not None:
        data = bytes(stored.pdf if part == "pdf" else stored.fhir)
    else:
        author = releases.sealed_package_author(disclosure.pk)
        if author != actor.pk:
            raise NotFound("no such package")
        data = releases.open_package(author=actor, credential=credential, disclosure_id=disclosure.pk, part=part)
    expected = disclosure.pdf_sha256 if part == "pdf" else disclosure.fhir_sha256
    if hashlib.sha256(data).hexdigest() != expected:
        raise Conflict("the stored package no longer matches its recorded hash", "package_integrity")
    return data


def list_disclosures(*, actor: User, client: Client) -> list[Disclosure]:
    require(actor, "disclosure.list", client, audit=False)
    found = list(Disclosure.objects.filter(client=client).select_related("prepared_by"))
    record_read(actor, "disclosure.list", client, detail={"count": len(found)})
    return found


def accounting(*, actor: User, client: Client, fmt: str = "json") -> c.Accounting:
    """The 164.528 accounting: six years of disclosures, without treatment, payment, the client's own copies and
    authorized releases."""
    require(actor, "disclosure.accounting", client, audit=False)
    now = timezone.now()
    since = timezone.localdate() - timedelta(days=365 * int(settings.ACCOUNTING_YEARS) + 1)
    rows = list(
        Disclosure.objects.filter(client=client, accounted=True, prepared_at__date__gte=since).order_by("prepared_at")
    )
    private = releases.released_note_counts([d.pk for d in rows])
    entries = []
    for d in rows:
        description = d.description
        if private.get(d.pk):
            n = private[d.pk]
            extra = f"{n} psychotherapy note{'' if n == 1 else 's'}"
            description = extra if description == "psychotherapy notes" else f"{description}; {extra}"
        purpose = gather.BASIS_LABELS.get(d.basis, d.basis) + (f": {d.purpose}" if d.purpose else "")
        entries.append(
            c.AccountingEntry(
                timezone.localtime(d.prepared_at).date(), d.recipient_name, d.recipient_address, description, purpose
            )
        )
    record_read(actor, "disclosure.accounting", client, detail={"count": len(entries), "format": fmt})
    return c.Accounting(settings.PRACTICE_NAME, gather.client_part(client), now, since, tuple(entries))


def accounting_pdf(*, actor: User, client: Client) -> bytes:
    from confide.disclosures.pdf import render_accounting

    return bytes(render_accounting(accounting(actor=actor, client=client, fmt="pdf")))


def client_record(*, actor: User, client: Client, fmt: str) -> bytes:
    """The client's designated record set (164.524), PDF or FHIR: never a psychotherapy note. Not a disclosure on
    its own (nothing is sent): the export is audited; sending it to the client is a right-of-access release."""
    from confide.disclosures.fhir import bundle_bytes
    from confide.disclosures.pdf import render_package

    require(actor, "record.export", client, audit=False)
    include = resolve_include(rules.Basis.RIGHT_OF_ACCESS, {}, None)
    request = rules.Request(
        rules.Basis.RIGHT_OF_ACCESS,
        include,
        client.name,
        timezone.localdate(),
        Role.CLINICIAN,
        client_part2=client.part2,
    )
    decision = rules.decide(request, gather.candidates(client, include, (None, None)))
    if decision.refusal is not None and decision.refusal.rule == "nothing_to_release":
        decision = rules.Decision()
    header = gather.Header(
        0,
        actor,
        timezone.now().replace(microsecond=0),
        client.name,
        client.address,
        rules.Basis.RIGHT_OF_ACCESS.value,
        "The client's designated record set",
        (None, None),
        None,
    )
    package = gather.build_package(header, client, decision)
    data = bytes(render_package(package)) if fmt == "pdf" else bundle_bytes(package)
    record_read(actor, "record.export", client, detail={"format": fmt})
    return data


# --- Records requests (164.524(b)) ---------------------------------------------------------------------------------


def record_access_request(*, actor: User, client: Client, received_on: date, fmt: str = "pdf") -> AccessRequest:
    require(actor, "access_request.record", client)
    if received_on > timezone.localdate():
        raise RuleViolation("the request cannot be received in the future", "bad_date")
    if fmt not in ("pdf", "fhir"):
        raise RuleViolation("format must be pdf or fhir", "bad_format")
    with transaction.atomic():
        req = AccessRequest.objects.create(
            client=client,
            received_on=received_on,
            due_on=received_on + timedelta(days=int(settings.ACCESS_REQUEST_DAYS)),
            format=fmt,
            recorded_by=actor,
        )
        record(
            "confide.access_request.recorded",
            actor=actor,
            client_id=client.pk,
            object_type="access_request",
            object_id=req.pk,
            detail={"due_on": req.due_on.isoformat()},
        )
    return req


def extend_access_request(*, actor: User, request_id: int, reason: str) -> AccessRequest:
    req = AccessRequest.objects.select_related("client").filter(pk=request_id).first()
    if req is None:
        raise NotFound("no such records request")
    require(actor, "access_request.record", req.client)
    if req.extended_on:
        raise Conflict("a records request may be extended once (164.524(b)(2)(ii))", "already_extended")
    if req.fulfilled_on:
        raise Conflict("this request has been answered", "already_fulfilled")
    if not reason.strip():
        raise RuleViolation("the client must be told why in writing: give the reason", "reason_required")
    today = timezone.localdate()
    if today > req.due_on:
        raise RuleViolation("the extension must be made before the deadline passes", "deadline_passed")
    with transaction.atomic():
        req.extended_on = today
        req.extension_reason = reason.strip()
        req.due_on = req.due_on + timedelta(days=int(settings.ACCESS_REQUEST_EXTENSION_DAYS))
        req.save()
        record(
            "confide.access_request.extended",
            actor=actor,
            client_id=req.client_id,
            object_type="access_request",
            object_id=req.pk,
            detail={"due_on": req.due_on.isoformat()},
        )
    return req


def list_access_requests(*, actor: User, client: Client) -> list[AccessRequest]:
    require(actor, "disclosure.list", client, audit=False)
    return list(AccessRequest.objects.filter(client=client))


@dataclass(frozen=True)
class Deadline:
    kind: str  # "records request" | "amendment request"
    client_id: int
    client_name: str
    received_on: date
    due_on: date
    overdue: bool
    link_id: int


def open_access_requests_for(user: User, today: date) -> list[Deadline]:
    """Open records requests of the clients `user` is the clinician of record of, for the day view."""
    rows = AccessRequest.objects.filter(fulfilled_on__isnull=True, client__primary_clinician=user).select_related(
        "client"
    )
    return [
        Deadline("records request", r.client_id, r.client.name, r.received_on, r.due_on, r.due_on < today, r.pk)
        for r in rows.order_by("due_on")
    ]


def disclosure_out(d: Disclosure, *, private_ids: list[str] | None = None) -> dict[str, Any]:
    """The API's and the page's view of a disclosure (private ids only for the author, right after the release)."""
    from django.urls import reverse

    items = list(d.items) + [{"kind": "psychotherapy_note", "id": i} for i in private_ids or []]
    return {
        "id": d.pk,
        "client_id": d.client_id,
        "recipient": {"name": d.recipient_name, "address": d.recipient_address},
        "basis": d.basis,
        "authorization_id": d.authorization_id,
        "purpose": d.purpose,
        "span": {"from": d.span_from, "to": d.span_to},
        "include": d.include,
        "items": items,
        "withheld": d.withheld,
        "notices": d.notices,
        "accounted": d.accounted,
        "prepared_by_id": d.prepared_by_id,
        "prepared_at": d.prepared_at,
        "package": {
            "pdf_url": reverse("api:disclosure_pdf", kwargs={"disclosure_id": d.pk}),
            "fhir_url": reverse("api:disclosure_fhir", kwargs={"disclosure_id": d.pk}),
            "sha256": d.pdf_sha256,
            "pdf_sha256": d.pdf_sha256,
            "fhir_sha256": d.fhir_sha256,
            "pdf_pages": d.pdf_pages,
            "pdf_bytes": d.pdf_bytes,
        },
    }


def plan_out(plan: Plan) -> dict[str, Any]:
    """A preview as the API and the release page show it."""
    decision = plan.decision
    refusal = decision.refusal
    return {
        "allowed": refusal is None,
        "basis": plan.basis.value,
        "recipient": plan.data.recipient_name,
        "include": sorted(i.value for i in plan.include),
        "items": [{"kind": i.kind.value, "id": i.id} for i in decision.released],
        "withheld": [
            {"kind": w.kind.value, "id": w.id, "rule": w.rule, "reason": w.reason, "cite": w.cite}
            for w in decision.withheld
        ],
        "notices": list(decision.notices),
        "refusal": (
            {"kind": "request", "id": None, "rule": refusal.rule, "reason": refusal.reason, "cite": refusal.cite}
            if refusal
            else None
        ),
    }
