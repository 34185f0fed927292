"""A release package as a FHIR R4 (4.0.1) document Bundle: `bundle(package)` for the dicts, `bundle_bytes(package)`
for the canonical JSON whose SHA-256 the practice records.

The Bundle is drawn from the same `Package` as the PDF (`confide.disclosures.content`), built as plain dicts (no
FHIR library at run time). It is a `document` Bundle: the first entry is a Composition that says who sent what to
whom on what ground, carries the notices the recipient must receive and lists what was withheld and why; its
sections reference every clinical entry and Provenance, and those reference the people, the practice and the
drafting engine, so every entry is reachable from the Composition.

Record to resource
==================

=============================  ===========================  ======================================================
Record (`content.py`)          Resource (id)                 Codes and choices
=============================  ===========================  ======================================================
Package                        Composition (disclosure-N)    type LOINC 11503-0 "Medical records"; status final;
                                                             author = the preparer; custodian = the practice;
                                                             confidentiality = the highest of the contents;
                                                             sections: Release (recipient, basis, purpose, span),
                                                             Notices (redisclosure, 42 CFR part 2 text),
                                                             Withheld (kind, rule, reason, citation), and one
                                                             section per kind of entry.
ClientPart                     Patient (patient-N)           name, birthDate, address and telecom when present;
                                                             pronouns in the `individual-pronouns` extension.
practice_name                  Organization (practice)       custodian of every document.
Person (anyone who authored,   Practitioner (practitioner-N) name text and suffix = credentials; one per person,
signed, co-signed, prepared                                  however many roles they play.
or saw a client)
SessionPart                    Encounter (session-N)         status: Kept = finished, Cancelled = cancelled,
                                                             No-show = cancelled **plus** an Appointment
                                                             (appointment-N, status noshow) the Encounter points
                                                             to (R4 has no Encounter.note and no no-show status;
                                                             Appointment.status noshow is R4's own word for it);
                                                             class v3-ActCode AMB (in person) / VR (telehealth);
                                                             type = one CodeableConcept per CPT code (system
                                                             http://www.ama-assn.org/go/cpt); serviceType text =
                                                             the service; period; participant PPRF = clinician.
NotePart                       DocumentReference             type LOINC 11506-3 "Progress note"; status current;
                               (progress-note-N)             docStatus final (amended once an amendment request
                                                             was accepted); date = signed time; author = author
                                                             and addenda authors; authenticator = co-signer, else
                                                             signer; context.encounter = the session (when it is
                                                             in the package); one text/plain attachment: the note
                                                             rendered as text (sections, risk, mental status,
                                                             interventions, signatures, addenda, amendments),
                                                             with the attachment's SHA-1 hash and size.
AmendmentPart                  DocumentReference             type LOINC 55107-7 "Addendum Document"; relatesTo
                               (amendment-NOTE-N)            `appends` -> the note; author = the client (request,
                                                             disagreement) and the practice (decision, rebuttal);
                                                             attachment: request, decision, denial ground,
                                                             statement of disagreement, rebuttal. The same text is
                                                             also in the note's own attachment, so a reader of
                                                             either cannot miss it (164.526(d)(4), (5)).
PrivateNotePart                DocumentReference             type LOINC 11510-5 "Psychology progress note"; date =
                               (psychotherapy-note-ID)       written time; labels V + PSYTHPN.
SummaryPart                    DocumentReference             type LOINC 34133-9 "Summary of episode note" (a
                               (summary-N)                   summary of care over a span); context.period = span.
MeasurePart                    Observation (measure-N)       status final; category survey; code = MeasurePart.loinc
                                                             (44261-6 PHQ-9, 70274-6 GAD-7); valueInteger;
                                                             effectiveDateTime; interpretation text = severity.
DiagnosisPart                  Condition (diagnosis-N)       ICD-10-CM (http://hl7.org/fhir/sid/icd-10-cm);
                                                             clinicalStatus active / resolved (+ abatement);
                                                             verificationStatus confirmed; category
                                                             problem-list-item; onsetDateTime + recordedDate =
                                                             diagnosed on; note "Primary diagnosis".
PlanPart                       CarePlan (treatment-plan-N)   status active; intent plan; description = problems,
                                                             goals, objectives as indented text; addresses = the
                                                             package's Conditions.
AuthorizationPart              Consent (authorization-N)     status active; scope patient-privacy; category LOINC
                                                             64292-6 "Release of information consent";
                                                             policyRule hipaa-auth; dateTime = signed on;
                                                             performer = the client (or a personal
                                                             representative, by display); provision permit,
                                                             period signed on..expires on, actor IRCP = recipient
                                                             (by display), action disclose, class = resource types
                                                             and code = document LOINC / category for what may go.
                                                             The signed form's SHA-256 is Consent.identifier with
                                                             system urn:confide:sha256 (Attachment.hash is SHA-1
                                                             of inline data only, and the form is not inline).
                                                             Purpose and expiry event: the narrative.
signatures of notes and        Provenance (provenance-...)   target = the DocumentReference; recorded = signed
summaries; NotePart.                                         time; agents (provenance-participant-type): author;
drafted_with                                                 attester = co-signer; assembler = a Device (the
                                                             drafting engine, deviceName = the drafted_with text)
                                                             only for notes drafted with assistance; signature[]
                                                             records who signed when (ASTM E1762 author /
                                                             verification signature types, no signature data).
=============================  ===========================  ======================================================

Security labels (meta.security; DocumentReference.securityLabel too)
====================================================================

- Everything about the client from the official record (Patient, Encounter, Appointment, progress notes and their
  amendments, summaries, Observations, Conditions, CarePlan, Consent and their Provenance): confidentiality R
  (http://terminology.hl7.org/CodeSystem/v3-Confidentiality) and sensitivity PSY (v3-ActCode): mental-health
  information, shared only under the package's basis.
- Psychotherapy notes and their Provenance: confidentiality V and PSYTHPN (v3-ActCode): 164.508(a)(2) protects them
  beyond the rest of the record.
- When the client's record is under 42 CFR part 2 every labeled resource also carries ETH and 42CFRPart2
  (v3-ActCode); the confidentiality stays R (or V).
- Organization, Practitioner and Device say nothing about the client and carry no labels.
- The Bundle and the Composition carry the highest confidentiality of the labeled contents (V if any psychotherapy
  note, else R) and the union of the other labels, in the order PSY, PSYTHPN, ETH, 42CFRPart2.

Ids and references
==================

Resource ids come from the record ids ("progress-note-1000", "session-101"; an id that is not a valid FHIR id is
replaced by a hash of itself). Each entry's fullUrl is `urn:uuid:` + uuid5(a fixed namespace, practice name +
resource type + id), and every reference is that urn, so references resolve inside the Bundle and the same record
gets the same fullUrl in every package the practice sends. Times are FHIR instants with their offset (a naive
datetime is taken as UTC); dates are plain dates. Empty strings are never emitted (FHIR forbids them).

`bundle_bytes` is JSON with sorted keys, compact separators and UTF-8 (not ASCII-escaped): one Package, one byte
string.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from html import escape
from typing import Any

from confide.disclosures.content import (
    NOTICE_TEXT,
    AmendmentPart,
    AuthorizationPart,
    ClientPart,
    DiagnosisPart,
    MeasurePart,
    NotePart,
    Package,
    Person,
    PlanPart,
    PrivateNotePart,
    SessionPart,
    Signature,
    SummaryPart,
)

__all__ = ["bundle", "bundle_bytes"]

Json = dict[str, Any]

# The namespace of every fullUrl (uuid5): fixed forever, or every recipient's links break.
NAMESPACE = uuid.UUID("86a84d66-02eb-4e19-92e4-9b9b3c9a4645")

LOINC = "http://loinc.org"
CPT = "http://www.ama-assn.org/go/cpt"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
PROVENANCE_AGENT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_POLICY = "http://terminology.hl7.org/CodeSystem/consentpolicycodes"
CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction"
RESOURCE_TYPES = "http://hl7.org/fhir/resource-types"
DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
SIGNATURE_TYPE = "urn:iso-astm:E1762-95:2013"
UCUM = "http://unitsofmeasure.org"
PRONOUNS = "http://hl7.org/fhir/StructureDefinition/individual-pronouns"
XHTML = "http://www.w3.org/1999/xhtml"
SHA256_SYSTEM = "urn:confide:sha256"

# Document kinds (LOINC), as (code, display).
MEDICAL_RECORDS = ("11503-0", "Medical records")
PROGRESS_NOTE = ("11506-3", "Progress note")
PSYCHOTHERAPY_NOTE = ("11510-5", "Psychology progress note")
SUMMARY = ("34133-9", "Summary of episode note")
AMENDMENT = ("55107-7", "Addendum Document")
RELEASE_CONSENT = ("64292-6", "Release of information consent")

MEASURE_DISPLAY = {
    "44261-6": "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
    "70274-6": "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
    "101698-9": "PTSD PCL-5 score [PCL-5]",
}

# Security labels: code -> (system, display).
LABELS: dict[str, tuple[str, str]] = {
    "R": (CONFIDENTIALITY, "restricted"),
    "V": (CONFIDENTIALITY, "very restricted"),
    "PSY": (ACT_CODE, "psychiatry information sensitivity"),
    "PSYTHPN": (ACT_CODE, "psychotherapy note information sensitivity"),
    "ETH": (ACT_CODE, "substance abuse information sensitivity"),
    "42CFRPart2": (ACT_CODE, "42 CFR Part2"),
}
CONFIDENTIALITY_ORDER = ("N", "R", "V")  # lowest to highest
OTHER_LABEL_ORDER = ("PSY", "PSYTHPN", "ETH", "42CFRPart2")
PART2_LABELS = ("ETH", "42CFRPart2")

# What an authorization names (rules.Category values) -> (resource type, document LOINC or None, words).
INFORMATION: dict[str, tuple[str, tuple[str, str] | None, str]] = {
    "progress_notes": ("DocumentReference", PROGRESS_NOTE, "Progress notes"),
    "psychotherapy_notes": ("DocumentReference", PSYCHOTHERAPY_NOTE, "Psychotherapy notes"),
    "summaries": ("DocumentReference", SUMMARY, "Periodic summaries"),
    "measures": ("Observation", None, "Measures (PHQ-9, GAD-7 scores)"),
    "diagnoses": ("Condition", None, "Diagnoses"),
    "treatment_plan": ("CarePlan", None, "Treatment plan"),
    "sessions": ("Encounter", None, "Sessions (dates, services, codes)"),
}

_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
# Characters XML 1.0 cannot carry: kept out of the XHTML narrative (the base64 attachments carry text as it is).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --- small builders ------------------------------------------------------------------------------------------------


def _rid(prefix: str, raw: object) -> str:
    """A FHIR id from a record id: `prefix-raw`, or `prefix-<hash of raw>` when that would not be a valid id."""
    rid = f"{prefix}-{raw}"
    if _ID.fullmatch(rid):
        return rid
    return f"{prefix}-{hashlib.sha256(str(raw).encode()).hexdigest()[:32]}"


def _instant(at: datetime) -> str:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).isoformat()


def _when(at: datetime) -> str:
    """A time for people to read: 2026-01-05 17:53 UTC (or the offset when it is not UTC)."""
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    offset = at.utcoffset()
    zone = "UTC" if not offset else at.strftime("UTC%z")
    return f"{at:%Y-%m-%d %H:%M} {zone}"


def _coding(system: str, code: str, display: str | None = None) -> Json:
    c = {"system": system, "code": code}
    if display:
        c["display"] = display
    return c


def _concept(system: str, code: str, display: str | None = None, text: str | None = None) -> Json:
    cc: Json = {"coding": [_coding(system, code, display)]}
    if text:
        cc["text"] = text
    return cc


def _text(value: str) -> Json:
    return {"text": value}


def _narrative(paragraphs: Iterable[str]) -> Json:
    body = "".join(f"<p>{escape(_NOT_XML.sub('', p), quote=False)}</p>" for p in paragraphs if p)
    return {"status": "generated", "div": f'<div xmlns="{XHTML}">{body or "<p>-</p>"}</div>'}


def _attachment(text: str, title: str, created: str | None) -> Json:
    raw = text.encode("utf-8")
    attachment = {
        "contentType": "text/plain; charset=utf-8",
        "data": base64.b64encode(raw).decode("ascii"),
        "hash": base64.b64encode(hashlib.sha1(raw, usedforsecurity=False).digest()).decode("ascii"),
        "size": len(raw),
        "title": title,
    }
    if created:
        attachment["creation"] = created
    return attachment


def _signed_at(signatures: tuple[Signature, ...], fallback: datetime) -> datetime:
    for s in signatures:
        if s.kind == "signed":
            return s.at
    return signatures[0].at if signatures else fallback


def _authenticator(signatures: tuple[Signature, ...]) -> Person | None:
    """Who vouches for the document: the co-signer when there is one, else the signer."""
    for kind in ("cosigned", "signed"):
        for s in signatures:
            if s.kind == kind:
                return s.by
    return None


def _signature_lines(signatures: tuple[Signature, ...], content_hash: str) -> list[str]:
    lines = [
        f"{'Co-signed' if s.kind == 'cosigned' else 'Signed'} by {s.by.signature_name} at {_when(s.at)}"
        for s in signatures
    ] or ["Not signed."]
    if content_hash:
        lines.append(f"Content hash (SHA-256): {content_hash}")
    return lines


def _human_name(c: ClientPart) -> Json:
    name: Json = {"use": "official", "text": c.name.strip() or f"Client {c.id}"}
    if c.last_name.strip():
        name["family"] = c.last_name
    if c.first_name.strip():
        name["given"] = [c.first_name]
    return name


def _header(title: str, client: ClientPart) -> list[str]:
    return [title, f"Client: {client.name}, born {client.date_of_birth.isoformat()}"]


# --- the text of the documents -------------------------------------------------------------------------------------


def _amendment_lines(a: AmendmentPart) -> list[str]:
    lines = [f"Request received: {a.received_on.isoformat()}", f"Requested change: {a.requested_change}"]
    decided = f" on {a.decided_on.isoformat()}" if a.decided_on else ""
    if a.status == "accepted":
        lines.append(f"Decision: accepted{decided}")
        if a.amendment_text:
            lines.append(f"Amendment: {a.amendment_text}")
    elif a.status == "denied":
        lines.append(f"Decision: denied{decided}")
        if a.denial_basis:
            lines.append(f"Ground for denial: {a.denial_basis}")
        if a.denial_explanation:
            lines.append(f"Explanation: {a.denial_explanation}")
    else:
        lines.append(f"Decision: {a.status or 'pending'}{decided}")
    if a.disagreement:
        lines.append(f"The client's statement of disagreement: {a.disagreement}")
    if a.rebuttal:
        lines.append(f"The practice's rebuttal: {a.rebuttal}")
    return lines


def note_text(note: NotePart, client: ClientPart) -> str:
    """The progress note as plain text, everything that travels with it included: the attachment's content."""
    out = _header(f"PROGRESS NOTE ({note.format_title})", client)
    out.append(f"Session: {note.session_date.isoformat()}")
    out.append(f"Author: {note.author.signature_name}")
    if note.late_entry:
        out.append("Late entry: documented after the expected time.")
    if note.drafted_with:
        out.append(f"{note.drafted_with}; reviewed and signed by the clinician.")
    for title, body in note.sections:
        out += ["", f"== {title} ==", body]
    out += ["", "== Risk =="]
    out += [f"{domain}: {finding}" for domain, finding in note.risk] or ["Not assessed."]
    if note.protective_factors:
        out.append(f"Protective factors: {note.protective_factors}")
    out += ["", "== Mental status =="]
    out += [f"{domain}: {finding}" for domain, finding in note.mental_status] or ["Not assessed."]
    out += ["", "== Interventions =="]
    out += [f"- {i}" for i in note.interventions] or ["None recorded."]
    out += ["", "== Signatures ==", *_signature_lines(note.signatures, note.content_hash)]
    for n, add in enumerate(note.addenda, 1):
        out += ["", f"== Addendum {n}: {add.author.signature_name}, {_when(add.at)} ==", add.text]
        if add.content_hash:
            out.append(f"Content hash (SHA-256): {add.content_hash}")
    for n, a in enumerate(note.amendments, 1):
        out += ["", f"== Amendment request {n} ==", *_amendment_lines(a)]
    return "\n".join(out) + "\n"


def _amendment_text(a: AmendmentPart, note: NotePart, client: ClientPart) -> str:
    out = _header(f"AMENDMENT REQUEST on the progress note of {note.session_date.isoformat()}", client)
    out += ["", *_amendment_lines(a)]
    return "\n".join(out) + "\n"


def _private_note_text(p: PrivateNotePart, client: ClientPart) -> str:
    out = _header("PSYCHOTHERAPY NOTE", client)
    out += [f"Session: {p.session_date.isoformat()}", f"Written by {p.author.signature_name} at {_when(p.written_at)}"]
    out += ["", p.text]
    return "\n".join(out) + "\n"


def _summary_text(s: SummaryPart, client: ClientPart) -> str:
    out = _header(f"PERIODIC SUMMARY, {s.span_from.isoformat()} to {s.span_to.isoformat()}", client)
    out.append(f"Author: {s.author.signature_name}")
    for title, body in s.sections:
        out += ["", f"== {title} ==", body]
    out += ["", "== Signatures ==", *_signature_lines(s.signatures, s.content_hash)]
    return "\n".join(out) + "\n"


def _plan_text(plan: PlanPart) -> str:
    out: list[str] = []
    for p, problem in enumerate(plan.problems, 1):
        out.append(f"Problem {p}: {problem.description}")
        for g, goal in enumerate(problem.goals, 1):
            measure = f" (measure: {goal.measure})" if goal.measure else ""
            out.append(f"  Goal {p}.{g}: {goal.description}{measure}")
            for o, obj in enumerate(goal.objectives, 1):
                status = f"; {obj.status}" if obj.status else ""
                out.append(f"    Objective {p}.{g}.{o}: {obj.description} (target {obj.target_on.isoformat()}{status})")
    out.append(f"Review on {plan.review_on.isoformat()}.")
    if plan.client_signed_on:
        out.append(f"Signed by the client on {plan.client_signed_on.isoformat()}.")
    return "\n".join(out)


# --- the Bundle ----------------------------------------------------------------------------------------------------


class _Builder:
    def __init__(self, package: Package) -> None:
        self.p = package
        self.part2 = package.client.part2
        extra = PART2_LABELS if self.part2 else ()
        self.record_labels = ("R", "PSY", *extra)
        self.private_labels = ("V", "PSYTHPN", *extra)
        self.used_labels: set[str] = set()
        self.entries: list[Json] = []
        self.sections: dict[str, list[Json]] = {}
        self.people: dict[int, Json] = {}
        self.devices: dict[str, Json] = {}
        self.patient = self._ref("Patient", _rid("patient", package.client.id), package.client.name)
        self.practice = self._ref("Organization", "practice", package.practice_name)
        self.encounters: dict[int, Json] = {}

    # references and entries

    def _url(self, rtype: str, rid: str) -> str:
        return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{self.p.practice_name}/{rtype}/{rid}')}"

    def _ref(self, rtype: str, rid: str, display: str | None = None) -> Json:
        ref = {"reference": self._url(rtype, rid)}
        if display:
            ref["display"] = display
        return ref

    def _meta(self, labels: tuple[str, ...]) -> Json:
        self.used_labels.update(labels)
        return {"security": [_coding(LABELS[c][0], c, LABELS[c][1]) for c in labels]}

    def _security_labels(self, labels: tuple[str, ...]) -> list[Json]:
        return [_concept(LABELS[c][0], c, LABELS[c][1]) for c in labels]

    def _entry(self, resource: Json) -> Json:
        return {"fullUrl": self._url(resource["resourceType"], resource["id"]), "resource": resource}

    def _add(self, section: str, resource: Json) -> Json:
        entry = self._entry(resource)
        self.entries.append(entry)
        self.sections.setdefault(section, []).append({"reference": entry["fullUrl"]})
        return resource

    def person(self, who: Person) -> Json:
        rid = _rid("practitioner", who.id)
        if who.id not in self.people:
            name: Json = {"text": who.name or f"Person {who.id}"}
            if who.credentials:
                name["suffix"] = [who.credentials]
            self.people[who.id] = {
                "resourceType": "Practitioner",
                "id": rid,
                "identifier": [{"system": "urn:confide:person", "value": str(who.id)}],
                "name": [name],
            }
        return self._ref("Practitioner", rid, who.signature_name)

    def device(self, drafted_with: str) -> Json:
        rid = _rid("drafting-engine", hashlib.sha256(drafted_with.encode()).hexdigest()[:16])
        if rid not in self.devices:
            inner = re.search(r"\(([^()]+)\)\s*$", drafted_with)
            self.devices[rid] = {
                "resourceType": "Device",
                "id": rid,
                "deviceName": [{"name": inner.group(1) if inner else drafted_with, "type": "user-friendly-name"}],
                "type": _text("Confide drafting engine (clinical note drafting assistance)"),
                "owner": self.practice,
                "note": [{"text": drafted_with}],
            }
        return self._ref("Device", rid, drafted_with)

    # the resources

    def patient_resource(self) -> Json:
        c = self.p.client
        patient: Json = {
            "resourceType": "Patient",
            "id": _rid("patient", c.id),
            "meta": self._meta(self.record_labels),
            "identifier": [{"system": "urn:confide:client", "value": str(c.id)}],
            "name": [_human_name(c)],
            "birthDate": c.date_of_birth.isoformat(),
            "managingOrganization": self.practice,
        }
        if c.pronouns:
            patient["extension"] = [
                {"url": PRONOUNS, "extension": [{"url": "value", "valueCodeableConcept": _text(c.pronouns)}]}
            ]
        telecom = [{"system": "phone", "value": c.phone}] if c.phone else []
        if c.email:
            telecom.append({"system": "email", "value": c.email})
        if telecom:
            patient["telecom"] = telecom
        if c.address:
            patient["address"] = [{"text": c.address}]
        return patient

    def session(self, s: SessionPart) -> None:
        rid = _rid("session", s.id)
        status = re.sub(r"[\s\-]+", "_", s.status.strip().lower())
        fhir_status = {
            "kept": "finished",
            "cancelled": "cancelled",
            "canceled": "cancelled",
            "late_cancel": "cancelled",
            "late_cancelled": "cancelled",
            "no_show": "cancelled",
            "noshow": "cancelled",
            "scheduled": "planned",
        }.get(status, "unknown")
        virtual = "tele" in s.setting.lower() or "virtual" in s.setting.lower()
        clinician = self.person(s.clinician)
        encounter: Json = {
            "resourceType": "Encounter",
            "id": rid,
            "meta": self._meta(self.record_labels),
            "identifier": [{"system": "urn:confide:session", "value": str(s.id)}],
            "status": fhir_status,
            "class": _coding(ACT_CODE, "VR", "virtual") if virtual else _coding(ACT_CODE, "AMB", "ambulatory"),
            "subject": self.patient,
            "participant": [{"type": [_concept(PARTICIPATION, "PPRF", "primary performer")], "individual": clinician}],
            "period": {"start": _instant(s.starts_at), "end": _instant(s.ends_at)},
            "serviceProvider": self.practice,
        }
        codes = [code.strip() for code in s.cpt_codes if code.strip()]
        if codes:
            encounter["type"] = [_concept(CPT, code) for code in codes]
        if s.service:
            encounter["serviceType"] = _text(s.service)
        if fhir_status == "finished" and s.minutes > 0:
            encounter["length"] = {"value": s.minutes, "unit": "min", "system": UCUM, "code": "min"}
        if status in ("no_show", "noshow"):
            appointment = self._appointment(s, clinician)
            encounter["appointment"] = [self._ref("Appointment", appointment["id"])]
        self.encounters[s.id] = self._add("Sessions", encounter)

    def _appointment(self, s: SessionPart, clinician: Json) -> Json:
        appointment: Json = {
            "resourceType": "Appointment",
            "id": _rid("appointment", s.id),
            "meta": self._meta(self.record_labels),
            "identifier": [{"system": "urn:confide:session", "value": str(s.id)}],
            "status": "noshow",
            "description": f"No-show: {s.service}" if s.service else "No-show",
            "start": _instant(s.starts_at),
            "end": _instant(s.ends_at),
            "participant": [
                {"actor": self.patient, "required": "required", "status": "accepted"},
                {"actor": clinician, "required": "required", "status": "accepted"},
            ],
        }
        if s.service:
            appointment["serviceType"] = [_text(s.service)]
        return self._add("Sessions", appointment)

    def _context(self, session_id: int, day: date) -> Json:
        context: Json = {"period": {"start": day.isoformat()}}
        encounter = self.encounters.get(session_id)
        if encounter is not None:
            context["encounter"] = [self._ref("Encounter", encounter["id"])]
        return context

    def _document(
        self,
        rid: str,
        kind: tuple[str, str],
        labels: tuple[str, ...],
        text: str,
        title: str,
        *,
        identifier: list[Json],
        date_: datetime | None,
        authors: list[Json],
        description: str,
        doc_status: str = "final",
    ) -> Json:
        created = _instant(date_) if date_ else None
        doc: Json = {
            "resourceType": "DocumentReference",
            "id": rid,
            "meta": self._meta(labels),
            "identifier": identifier,
            "status": "current",
            "docStatus": doc_status,
            "type": _concept(LOINC, kind[0], kind[1]),
            "subject": self.patient,
            "author": authors,
            "custodian": self.practice,
            "description": description,
            "securityLabel": self._security_labels(labels),
            "content": [{"attachment": _attachment(text, title, created)}],
        }
        if created:
            doc["date"] = created
        return doc

    def _provenance(
        self,
        target: Json,
        labels: tuple[str, ...],
        recorded: datetime,
        author: Person,
        signatures: tuple[Signature, ...],
    ) -> Json:
        agents = [
            {
                "type": _concept(PROVENANCE_AGENT, "author", "Author"),
                "who": self.person(author),
                "onBehalfOf": self.practice,
            }
        ]
        attested: set[int] = set()
        for s in signatures:
            if (s.kind == "cosigned" or s.by.id != author.id) and s.by.id not in attested:
                attested.add(s.by.id)
                agents.append(
                    {
                        "type": _concept(PROVENANCE_AGENT, "attester", "Attester"),
                        "who": self.person(s.by),
                        "onBehalfOf": self.practice,
                    }
                )
        provenance: Json = {
            "resourceType": "Provenance",
            "id": _rid("provenance", target["id"]),
            "meta": self._meta(labels),
            "target": [self._ref(target["resourceType"], target["id"])],
            "recorded": _instant(recorded),
            "activity": _concept(DATA_OPERATION, "CREATE", "create"),
            "agent": agents,
        }
        if signatures:
            provenance["signature"] = [
                {
                    "type": [
                        _coding(SIGNATURE_TYPE, "1.2.840.10065.1.12.1.5", "Verification Signature")
                        if s.kind == "cosigned"
                        else _coding(SIGNATURE_TYPE, "1.2.840.10065.1.12.1.1", "Author's Signature")
                    ],
                    "when": _instant(s.at),
                    "who": self.person(s.by),
                }
                for s in signatures
            ]
        return provenance

    def progress_note(self, note: NotePart) -> None:
        labels = self.record_labels
        signed = _signed_at(note.signatures, self.p.prepared_at)
        authors = [self.person(note.author)]
        seen = {note.author.id}
        for add in note.addenda:
            if add.author.id not in seen:
                seen.add(add.author.id)
                authors.append(self.person(add.author))
        rid = _rid("progress-note", note.id)
        identifier = [{"system": "urn:confide:progress-note", "value": str(note.id)}]
        if note.content_hash:
            identifier.append({"system": SHA256_SYSTEM, "value": note.content_hash})
        accepted = any(a.status == "accepted" for a in note.amendments)
        description = f"{note.format_title} progress note, session of {note.session_date.isoformat()}"
        if note.late_entry:
            description += " (late entry)"
        doc = self._document(
            rid,
            PROGRESS_NOTE,
            labels,
            note_text(note, self.p.client),
            f"Progress note {note.session_date.isoformat()}",
            identifier=identifier,
            date_=signed,
            authors=authors,
            description=description,
            doc_status="amended" if accepted else "final",
        )
        authenticator = _authenticator(note.signatures)
        if authenticator is not None:
            doc["authenticator"] = self.person(authenticator)
        doc["context"] = self._context(note.session_id, note.session_date)
        self._add("Progress notes", doc)
        for a in note.amendments:
            self._amendment(a, note, doc)
        provenance = self._provenance(doc, labels, signed, note.author, note.signatures)
        if note.drafted_with:
            provenance["agent"].append(
                {
                    "type": _concept(PROVENANCE_AGENT, "assembler", "Assembler"),
                    "who": self.device(note.drafted_with),
                    "onBehalfOf": self.practice,
                }
            )
        self._add("Provenance", provenance)

    def _amendment(self, a: AmendmentPart, note: NotePart, doc: Json) -> None:
        description = f"Request to amend the progress note of {note.session_date.isoformat()}: {a.status or 'pending'}"
        if a.disagreement:
            description += ", with the client's statement of disagreement"
        if a.rebuttal:
            description += " and the practice's rebuttal"
        amendment = self._document(
            _rid("amendment", f"{note.id}-{a.id}"),
            AMENDMENT,
            self.record_labels,
            _amendment_text(a, note, self.p.client),
            f"Amendment request {a.received_on.isoformat()}",
            identifier=[{"system": "urn:confide:amendment", "value": str(a.id)}],
            date_=None,
            authors=[self.patient, self.practice],
            description=description,
            doc_status="final" if a.status in ("accepted", "denied") else "preliminary",
        )
        amendment["relatesTo"] = [{"code": "appends", "target": self._ref("DocumentReference", doc["id"])}]
        amendment["context"] = self._context(note.session_id, note.session_date)
        self._add("Progress notes", amendment)

    def psychotherapy_note(self, p: PrivateNotePart) -> None:
        labels = self.private_labels
        doc = self._document(
            _rid("psychotherapy-note", p.id),
            PSYCHOTHERAPY_NOTE,
            labels,
            _private_note_text(p, self.p.client),
            f"Psychotherapy note {p.session_date.isoformat()}",
            identifier=[{"system": "urn:confide:psychotherapy-note", "value": str(p.id)}],
            date_=p.written_at,
            authors=[self.person(p.author)],
            description=f"Psychotherapy note, session of {p.session_date.isoformat()} (45 CFR 164.501)",
        )
        doc["context"] = self._context(p.session_id, p.session_date)
        self._add("Psychotherapy notes", doc)
        self._add("Provenance", self._provenance(doc, labels, p.written_at, p.author, ()))

    def summary(self, s: SummaryPart) -> None:
        labels = self.record_labels
        signed = _signed_at(s.signatures, self.p.prepared_at)
        identifier = [{"system": "urn:confide:summary", "value": str(s.id)}]
        if s.content_hash:
            identifier.append({"system": SHA256_SYSTEM, "value": s.content_hash})
        span = f"{s.span_from.isoformat()} to {s.span_to.isoformat()}"
        doc = self._document(
            _rid("summary", s.id),
            SUMMARY,
            labels,
            _summary_text(s, self.p.client),
            f"Periodic summary {span}",
            identifier=identifier,
            date_=signed,
            authors=[self.person(s.author)],
            description=f"Periodic summary, {span}",
        )
        authenticator = _authenticator(s.signatures)
        if authenticator is not None:
            doc["authenticator"] = self.person(authenticator)
        doc["context"] = {"period": {"start": s.span_from.isoformat(), "end": s.span_to.isoformat()}}
        self._add("Summaries", doc)
        self._add("Provenance", self._provenance(doc, labels, signed, s.author, s.signatures))

    def diagnosis(self, d: DiagnosisPart) -> Json:
        clinical = "resolved" if d.resolved_on else "active"
        condition: Json = {
            "resourceType": "Condition",
            "id": _rid("diagnosis", d.id),
            "meta": self._meta(self.record_labels),
            "identifier": [{"system": "urn:confide:diagnosis", "value": str(d.id)}],
            "clinicalStatus": _concept(CONDITION_CLINICAL, clinical, clinical.capitalize()),
            "verificationStatus": _concept(CONDITION_VERIFICATION, "confirmed", "Confirmed"),
            "category": [_concept(CONDITION_CATEGORY, "problem-list-item", "Problem List Item")],
            "code": _concept(ICD10CM, d.code.strip(), d.description or None, d.description or d.code),
            "subject": self.patient,
            "onsetDateTime": d.diagnosed_on.isoformat(),
            "recordedDate": d.diagnosed_on.isoformat(),
        }
        if d.resolved_on:
            condition["abatementDateTime"] = d.resolved_on.isoformat()
        if d.is_primary:
            condition["note"] = [{"text": "Primary diagnosis"}]
        return self._add("Diagnoses", condition)

    def plan(self, plan: PlanPart, conditions: list[Json]) -> None:
        care_plan: Json = {
            "resourceType": "CarePlan",
            "id": _rid("treatment-plan", plan.id),
            "meta": self._meta(self.record_labels),
            "identifier": [{"system": "urn:confide:treatment-plan", "value": f"{plan.id}"}],
            "status": "active",
            "intent": "plan",
            "title": f"Treatment plan, version {plan.version}",
            "description": _plan_text(plan),
            "subject": self.patient,
            "created": _instant(plan.created_at),
            "period": {"start": _instant(plan.created_at)},
        }
        if conditions:
            care_plan["addresses"] = [self._ref("Condition", c["id"]) for c in conditions]
        self._add("Treatment plan", care_plan)

    def measure(self, m: MeasurePart) -> None:
        code: Json = {"text": m.instrument or m.loinc or "Measure"}
        if m.loinc.strip():
            code["coding"] = [_coding(LOINC, m.loinc.strip(), MEASURE_DISPLAY.get(m.loinc.strip()))]
        observation: Json = {
            "resourceType": "Observation",
            "id": _rid("measure", m.id),
            "meta": self._meta(self.record_labels),
            "identifier": [{"system": "urn:confide:measure", "value": str(m.id)}],
            "status": "final",
            "category": [_concept(OBSERVATION_CATEGORY, "survey", "Survey")],
            "code": code,
            "subject": self.patient,
            "effectiveDateTime": m.day.isoformat(),
            "valueInteger": m.score,
        }
        if m.severity:
            observation["interpretation"] = [_text(m.severity)]
        if m.answers:  # each item's answer as a component, in the instrument's order
            observation["component"] = [
                {"code": _text(f"{m.instrument} item {n}"), "valueInteger": answer}
                for n, answer in enumerate(m.answers, 1)
            ]
        self._add("Measures", observation)

    def consent(self, auth: AuthorizationPart) -> None:
        identifier = [{"system": "urn:confide:authorization", "value": str(auth.id)}]
        if auth.document_sha256:
            identifier.append({"system": SHA256_SYSTEM, "value": auth.document_sha256})
        if auth.signed_by == "client":
            performer = self.patient
        else:
            who = auth.signed_by.replace("_", " ") or "personal representative"
            performer = {"type": "RelatedPerson", "display": f"{who.capitalize()} of {self.p.client.name}"}
        period = {"start": auth.signed_on.isoformat()}
        if auth.expires_on:
            period["end"] = auth.expires_on.isoformat()
        provision: Json = {
            "type": "permit",
            "period": period,
            "actor": [
                {
                    "role": _concept(PARTICIPATION, "IRCP", "information recipient"),
                    "reference": {"display": auth.recipient or self.p.recipient_name or "Recipient"},
                }
            ],
            "action": [_concept(CONSENT_ACTION, "disclose", "Disclose")],
        }
        classes: dict[str, Json] = {}
        codes: list[Json] = []
        words: list[str] = []
        for item in auth.information:
            rtype, loinc, label = INFORMATION.get(item, ("", None, item.replace("_", " ")))
            words.append(label)
            if rtype:
                classes.setdefault(rtype, _coding(RESOURCE_TYPES, rtype, rtype))
            codes.append(_concept(LOINC, loinc[0], loinc[1], label) if loinc else _text(label))
        if classes:
            provision["class"] = list(classes.values())
        if codes:
            provision["code"] = codes
        expiry = f"Expires on {auth.expires_on.isoformat()}." if auth.expires_on else ""
        if auth.expiry_event:
            expiry = f"{expiry} Expires upon: {auth.expiry_event}.".strip()
        kind = "psychotherapy notes (45 CFR 164.508(a)(2))" if auth.kind == "psychotherapy_notes" else "general"
        consent: Json = {
            "resourceType": "Consent",
            "id": _rid("authorization", auth.id),
            "meta": self._meta(self.record_labels),
            "text": _narrative(
                [
                    f"Authorization ({kind}) signed by the {auth.signed_by.replace('_', ' ')} "
                    f"on {auth.signed_on.isoformat()}.",
                    f"Recipient: {auth.recipient}",
                    f"Purpose: {auth.purpose}" if auth.purpose else "",
                    f"Information: {', '.join(words)}" if words else "",
                    expiry,
                    f"SHA-256 of the signed form: {auth.document_sha256}" if auth.document_sha256 else "",
                ]
            ),
            "identifier": identifier,
            "status": "active",
            "scope": _concept(CONSENT_SCOPE, "patient-privacy", "Privacy Consent"),
            "category": [_concept(LOINC, *RELEASE_CONSENT)],
            "patient": self.patient,
            "dateTime": auth.signed_on.isoformat(),
            "performer": [performer],
            "organization": [self.practice],
            "policyRule": _concept(CONSENT_POLICY, "hipaa-auth", "HIPAA Authorization"),
            "provision": provision,
        }
        self._add("Authorization", consent)

    # the whole

    def composition(self, confidentiality: str, meta: Json) -> Json:
        p = self.p
        release = [
            f"Release {p.disclosure_id} from {p.practice_name}, prepared by {p.prepared_by.signature_name} "
            f"at {_when(p.prepared_at)}.",
            f"Recipient: {p.recipient_name}" + (f", {p.recipient_address}" if p.recipient_address else ""),
            f"Basis: {p.basis_label or p.basis}",
            f"Purpose: {p.purpose}" if p.purpose else "",
            "The client's own copy (45 CFR 164.524)." if p.own_copy else "",
        ]
        if p.span_from or p.span_to:
            start = p.span_from.isoformat() if p.span_from else "the beginning"
            end = p.span_to.isoformat() if p.span_to else "today"
            release.append(f"Records from {start} to {end}.")
        release += [f"Released {kind.replace('_', ' ')}: {why}" for kind, why in sorted(p.permitted_by.items())]
        sections: list[Json] = [{"title": "Release", "text": _narrative(release)}]
        notices = [NOTICE_TEXT.get(n, n) for n in p.notices]
        if notices:
            sections.append({"title": "Notices", "text": _narrative(notices)})
        order = (
            "Authorization",
            "Progress notes",
            "Psychotherapy notes",
            "Summaries",
            "Sessions",
            "Diagnoses",
            "Treatment plan",
            "Measures",
            "Provenance",
        )
        sections += [{"title": title, "entry": self.sections[title]} for title in order if title in self.sections]
        if p.withheld:
            lines = []
            for w in p.withheld:
                what = w.kind.replace("_", " ") + (f" {w.id}" if w.id else "")
                cite = f"; {w.cite}" if w.cite else ""
                lines.append(f"{what}: {w.reason} ({w.rule}{cite})")
            sections.append({"title": "Withheld", "text": _narrative(lines)})
        return {
            "resourceType": "Composition",
            "id": _rid("disclosure", p.disclosure_id),
            "meta": meta,
            "identifier": {"system": "urn:confide:disclosure", "value": str(p.disclosure_id)},
            "status": "final",
            "type": _concept(LOINC, *MEDICAL_RECORDS, text="Release of information"),
            "subject": self.patient,
            "date": _instant(p.prepared_at),
            "author": [self.person(p.prepared_by)],
            "title": f"Release of information to {p.recipient_name}" if p.recipient_name else "Release of information",
            "confidentiality": confidentiality,
            "custodian": self.practice,
            "section": sections,
        }

    def build(self) -> Json:
        p = self.p
        patient = self.patient_resource()
        self.person(p.prepared_by)
        if p.authorization is not None:
            self.consent(p.authorization)
        for s in p.sessions:
            self.session(s)
        for note in p.progress_notes:
            self.progress_note(note)
        for private in p.psychotherapy_notes:
            self.psychotherapy_note(private)
        for summary in p.summaries:
            self.summary(summary)
        conditions = [self.diagnosis(d) for d in p.diagnoses]
        if p.plan is not None:
            self.plan(p.plan, conditions)
        for m in p.measures:
            self.measure(m)

        confidentiality = max(
            (c for c in self.used_labels if c in CONFIDENTIALITY_ORDER), key=CONFIDENTIALITY_ORDER.index
        )
        labels = (confidentiality, *(c for c in OTHER_LABEL_ORDER if c in self.used_labels))
        composition = self.composition(confidentiality, self._meta(labels))
        organization = {"resourceType": "Organization", "id": "practice", "name": p.practice_name or "The practice"}
        head = [composition, patient, organization, *self.people.values(), *self.devices.values()]
        return {
            "resourceType": "Bundle",
            "id": _rid("disclosure", p.disclosure_id),
            "meta": self._meta(labels),
            "identifier": {"system": "urn:confide:disclosure", "value": str(p.disclosure_id)},
            "type": "document",
            "timestamp": _instant(p.prepared_at),
            "entry": [self._entry(r) for r in head] + self.entries,
        }


def bundle(package: Package) -> dict[str, Any]:
    """The package as a FHIR R4 document Bundle (plain dicts, JSON-ready): Composition first, then the rest."""
    return _Builder(package).build()


def bundle_bytes(package: Package) -> bytes:
    """The Bundle as canonical JSON (sorted keys, no spaces, UTF-8): the same Package always gives the same bytes."""
    return json.dumps(bundle(package), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
