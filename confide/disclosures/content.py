"""What a release package holds, as plain data: the renderers (pdf.py, fhir.py) read only this, never the database.

`confide.disclosures.gather` fills a `Package` from the record for one decision of the rules; the PDF and the FHIR
Bundle are both drawn from the same `Package`, so they cannot disagree about what was sent. Psychotherapy notes
appear here only when the rules released them and their author's open vault session decrypted them for this
package; the `Package` lives in memory for one request and is never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    credentials: str = ""

    @property
    def signature_name(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass(frozen=True)
class ClientPart:
    id: int
    first_name: str
    last_name: str
    date_of_birth: date
    part2: bool = False
    pronouns: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class Signature:
    kind: str  # "signed" | "cosigned"
    by: Person
    at: datetime


@dataclass(frozen=True)
class AddendumPart:
    id: int
    author: Person
    at: datetime
    text: str
    content_hash: str


@dataclass(frozen=True)
class AmendmentPart:
    """A 164.526 request on a released note, with everything that answers it: it travels with the note."""

    id: int
    received_on: date
    requested_change: str
    status: str  # "pending" | "accepted" | "denied"
    decided_on: date | None = None
    amendment_text: str = ""  # when accepted
    denial_basis: str = ""  # when denied: the 164.526(a)(2) ground, in words
    denial_explanation: str = ""
    disagreement: str = ""  # the client's statement of disagreement
    rebuttal: str = ""  # the practice's rebuttal


@dataclass(frozen=True)
class NotePart:
    id: int
    session_id: int
    session_date: date
    format_code: str  # SOAP, DAP, BIRP, GIRP
    format_title: str
    sections: tuple[tuple[str, str], ...]  # (title, text) in the format's order
    risk: tuple[tuple[str, str], ...]  # (domain label, "moderate; plan, no intent, no means"), assessed domains only
    protective_factors: str
    mental_status: tuple[tuple[str, str], ...]  # (domain label, finding), assessed domains only
    interventions: tuple[str, ...]
    author: Person
    signatures: tuple[Signature, ...]
    content_hash: str
    late_entry: bool = False
    drafted_with: str = ""  # "Drafted with assistance (engine 1.2)" or ""
    addenda: tuple[AddendumPart, ...] = ()
    amendments: tuple[AmendmentPart, ...] = ()


@dataclass(frozen=True)
class PrivateNotePart:
    """A psychotherapy note, decrypted by its author's vault session for this package only."""

    id: str
    session_id: int
    session_date: date
    author: Person
    text: str
    written_at: datetime


@dataclass(frozen=True)
class SessionPart:
    id: int
    starts_at: datetime
    ends_at: datetime
    service: str  # the label: "Individual psychotherapy"
    setting: str  # "In person" | "Telehealth"
    status: str  # "Kept", "No-show", ...
    cpt_codes: tuple[str, ...]
    clinician: Person

    @property
    def day(self) -> date:
        return self.starts_at.date()

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@dataclass(frozen=True)
class DiagnosisPart:
    id: int
    code: str  # ICD-10-CM, dotted
    description: str
    diagnosed_on: date
    is_primary: bool = False
    resolved_on: date | None = None


@dataclass(frozen=True)
class ObjectivePart:
    description: str
    target_on: date
    status: str


@dataclass(frozen=True)
class GoalPart:
    description: str
    measure: str
    objectives: tuple[ObjectivePart, ...]


@dataclass(frozen=True)
class ProblemPart:
    description: str
    goals: tuple[GoalPart, ...]


@dataclass(frozen=True)
class PlanPart:
    id: int
    version: int
    created_at: datetime
    review_on: date
    client_signed_on: date | None
    problems: tuple[ProblemPart, ...]


@dataclass(frozen=True)
class MeasurePart:
    id: int
    instrument: str  # "PHQ-9" | "GAD-7"
    loinc: str  # the total score's LOINC code: 44261-6 (PHQ-9), 70274-6 (GAD-7)
    day: date
    score: int
    severity: str  # "moderate"
    answers: tuple[int, ...] = ()  # each item's answer, in the instrument's order


@dataclass(frozen=True)
class SummaryPart:
    id: int
    span_from: date
    span_to: date
    sections: tuple[tuple[str, str], ...]
    author: Person
    signatures: tuple[Signature, ...]
    content_hash: str


@dataclass(frozen=True)
class AuthorizationPart:
    id: int
    kind: str  # "general" | "psychotherapy_notes"
    recipient: str
    purpose: str
    information: tuple[str, ...]
    signed_on: date
    signed_by: str  # "client" | "personal_representative"
    expires_on: date | None
    expiry_event: str
    document_sha256: str = ""


@dataclass(frozen=True)
class WithheldPart:
    kind: str
    id: str | None
    rule: str
    reason: str
    cite: str = ""


@dataclass(frozen=True)
class Package:
    """One release: who sends what to whom on what ground, and what was left out and why."""

    disclosure_id: int
    practice_name: str
    prepared_by: Person
    prepared_at: datetime
    recipient_name: str
    recipient_address: str
    basis: str  # rules.Basis value
    basis_label: str  # "Court order (45 CFR 164.512(e)(1)(i))"
    purpose: str
    client: ClientPart
    span_from: date | None = None
    span_to: date | None = None
    authorization: AuthorizationPart | None = None
    progress_notes: tuple[NotePart, ...] = ()
    psychotherapy_notes: tuple[PrivateNotePart, ...] = ()
    sessions: tuple[SessionPart, ...] = ()
    diagnoses: tuple[DiagnosisPart, ...] = ()
    plan: PlanPart | None = None
    measures: tuple[MeasurePart, ...] = ()
    summaries: tuple[SummaryPart, ...] = ()
    withheld: tuple[WithheldPart, ...] = ()
    notices: tuple[str, ...] = ()  # rules.REDISCLOSURE, rules.PART2
    permitted_by: dict[str, str] = field(default_factory=dict)  # item kind -> the rule that let it go

    @property
    def own_copy(self) -> bool:
        """The client's own copy (164.524): addressed to the client, no redisclosure notice."""
        return self.basis == "right_of_access"


# The statements the notices stand for, printed on the cover letter and on the last page.
NOTICE_TEXT = {
    "redisclosure": (
        "Notice to the recipient: this information is disclosed from records protected by federal privacy law "
        "(45 CFR Parts 160 and 164). Once disclosed it may be redisclosed by the recipient and may then no longer "
        "be protected by that law. Do not redisclose it except as the law or the client's authorization permits."
    ),
    "part2": (
        "42 CFR part 2 prohibits unauthorized use or disclosure of these records. This record, which has been "
        "disclosed to you, is protected by federal confidentiality rules (42 CFR part 2). The federal rules "
        "prohibit you from making any further disclosure of information in this record that identifies a patient as "
        "having or having had a substance use disorder either directly, by reference to publicly available "
        "information, or through verification of such identification by another person unless further disclosure "
        "is expressly permitted by the written consent of the individual whose information is being disclosed or "
        "as otherwise permitted by 42 CFR part 2. A general authorization for the release of medical or other "
        "information is NOT sufficient for this purpose (see 42 CFR 2.31). The federal rules restrict any use of "
        "the information to investigate or prosecute with regard to a crime any patient with a substance use "
        "disorder, except as provided at 42 CFR 2.12(c)(5) and 2.65."
    ),
}


@dataclass(frozen=True)
class AccountingEntry:
    """One line of the 164.528 accounting: a disclosure the client may ask about."""

    day: date
    recipient: str
    recipient_address: str
    description: str  # what was disclosed: "12 progress notes (2026-01-05 to 2026-03-30), 1 diagnosis"
    purpose: str  # the basis in words and the stated purpose


@dataclass(frozen=True)
class Accounting:
    practice_name: str
    client: ClientPart
    generated_at: datetime
    since: date
    entries: tuple[AccountingEntry, ...]
