"""The release rules as a table: one row per case, each with its outcome written down from the regulation.

Every row names a basis, the content the request includes, the authorization (if any), who asks, and whether the
client's records are Part 2 records; and it states the outcome by hand: either the refusal code, or which items go
and which are withheld under which rule, and the notices the package carries. Nothing here recomputes the rules.

The expectations come from HIPAA (45 CFR 164.502, 164.506, 164.508, 164.512, 164.524) and 42 CFR 2.61, as the
release contract models them:

- psychotherapy notes go only under a psychotherapy-notes authorization or a 164.508(a)(2) exception (court order,
  required by law, health oversight, coroner, serious threat, legal defense, HHS compliance), and only by their
  author; never under a subpoena, the right of access, payment, another provider's treatment, or a general
  authorization;
- minimum necessary (164.502(b)) narrows payment to sessions and diagnoses; treatment, right of access and
  authorized releases get everything in scope;
- drafts and notes awaiting co-signature are not part of the record and never go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from confide.disclosures.rules import (
    AuthorizationFacts,
    AuthorizationKind,
    Basis,
    Category,
    Decision,
    Item,
    ItemKind,
    Request,
    decide,
)

TODAY = date(2026, 3, 2)
YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)
RECIPIENT = "Dr. Maya Patel, Springfield Counseling"
OTHER_RECIPIENT = "Northside Insurance Company"

# --- The record: one item of each kind, plus drafts ----------------------------------------------------------------

_DAY = date(2026, 2, 9)
ITEMS: dict[str, Item] = {
    "session": Item(ItemKind.SESSION, "session", _DAY),
    "diagnosis": Item(ItemKind.DIAGNOSIS, "diagnosis", _DAY),
    "progress_note": Item(ItemKind.PROGRESS_NOTE, "progress_note", _DAY),
    "progress_note_draft": Item(ItemKind.PROGRESS_NOTE, "progress_note_draft", _DAY + timedelta(days=7), final=False),
    "psychotherapy_note": Item(ItemKind.PSYCHOTHERAPY_NOTE, "psychotherapy_note", _DAY),
    "psychotherapy_note_draft": Item(
        ItemKind.PSYCHOTHERAPY_NOTE, "psychotherapy_note_draft", _DAY + timedelta(days=7), final=False
    ),
    "measure": Item(ItemKind.MEASURE, "measure", _DAY),
    "summary": Item(ItemKind.SUMMARY, "summary", _DAY),
    "treatment_plan": Item(ItemKind.TREATMENT_PLAN, "treatment_plan", _DAY),
}

# The whole chart as most rows see it: every kind once, and a progress note still awaiting co-signature.
CHART = (
    "session",
    "diagnosis",
    "progress_note",
    "progress_note_draft",
    "psychotherapy_note",
    "measure",
    "summary",
    "treatment_plan",
)

# --- What a request includes ---------------------------------------------------------------------------------------

PN = Category.PSYCHOTHERAPY_NOTES
PROGRESS = Category.PROGRESS_NOTES
MEASURES = Category.MEASURES
SUMMARIES = Category.SUMMARIES
DIAGNOSES = Category.DIAGNOSES
PLAN = Category.TREATMENT_PLAN
SESSIONS = Category.SESSIONS
RECORD = frozenset({PROGRESS, MEASURES, SUMMARIES, DIAGNOSES, PLAN, SESSIONS})  # everything but psychotherapy notes
EVERYTHING = RECORD | {PN}

# What goes when the whole designated record set goes (CHART, final items, no psychotherapy notes).
RECORD_RELEASED = ("session", "diagnosis", "progress_note", "measure", "summary", "treatment_plan")

# --- Authorizations ------------------------------------------------------------------------------------------------


def _general(information: frozenset[Category] = RECORD, **changes: object) -> AuthorizationFacts:
    fields: dict[str, object] = {
        "id": 1,
        "kind": AuthorizationKind.GENERAL,
        "information": information,
        "recipient": RECIPIENT,
        "signed_on": date(2026, 1, 15),
        "expires_on": date(2027, 1, 15),
    }
    fields.update(changes)
    return AuthorizationFacts(**fields)  # type: ignore[arg-type]


def _pn(**changes: object) -> AuthorizationFacts:
    fields: dict[str, object] = {
        "id": 2,
        "kind": AuthorizationKind.PSYCHOTHERAPY_NOTES,
        "information": frozenset({PN}),
        "recipient": RECIPIENT,
        "signed_on": date(2026, 1, 15),
        "expires_on": date(2026, 7, 15),
    }
    fields.update(changes)
    return AuthorizationFacts(**fields)  # type: ignore[arg-type]


AUTHORIZATIONS: dict[str, AuthorizationFacts | None] = {
    "none": None,
    "general": _general(),
    "general_progress_notes_only": _general(frozenset({PROGRESS})),
    "general_naming_pn": _general(RECORD | {PN}),  # a general form that (wrongly) lists psychotherapy notes
    "general_expired": _general(expires_on=YESTERDAY),
    "general_expires_today": _general(expires_on=TODAY),
    "general_open_event": _general(expires_on=None, expiry_event="end of treatment"),
    "general_event_today": _general(expires_on=None, expiry_event="end of treatment", expired_on=TODAY),
    "general_event_past": _general(expires_on=None, expiry_event="end of treatment", expired_on=YESTERDAY),
    "general_event_future": _general(expires_on=None, expiry_event="end of treatment", expired_on=TOMORROW),
    "general_revoked": _general(revoked_on=YESTERDAY),
    "general_revoked_today": _general(revoked_on=TODAY),
    "general_revoked_tomorrow": _general(revoked_on=TOMORROW),
    "general_future": _general(signed_on=TOMORROW),
    "general_signed_today": _general(signed_on=TODAY),
    "general_other_recipient": _general(recipient=OTHER_RECIPIENT),
    "general_recipient_spelled_differently": _general(recipient="  dr. maya   PATEL,  springfield\tcounseling "),
    "pn": _pn(),
    "pn_not_naming_pn": _pn(information=frozenset({PROGRESS})),  # a malformed form: the kind without the content
    "pn_expired": _pn(expires_on=YESTERDAY),
    "pn_event_expired": _pn(expires_on=None, expiry_event="end of litigation", expired_on=YESTERDAY),
    "pn_revoked": _pn(revoked_on=YESTERDAY),
    "pn_future": _pn(signed_on=TOMORROW),
    "pn_other_recipient": _pn(recipient=OTHER_RECIPIENT),
}

# --- Who asks ------------------------------------------------------------------------------------------------------

ROLES: dict[str, tuple[str, bool]] = {
    "author": ("clinician", True),  # a clinician with psychotherapy notes of their own for this client
    "clinician": ("clinician", False),  # a clinician without any
    "biller": ("biller", False),
    "front_desk": ("front_desk", False),
    "admin": ("admin", False),
}

# --- Outcomes ------------------------------------------------------------------------------------------------------

RD = frozenset({"redisclosure"})
RD_P2 = frozenset({"redisclosure", "part2"})
NO_NOTICE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Refused:
    """Nothing goes. `withheld`, when given, is what an item-level refusal lists as withheld.

    `also` names other codes the contract allows when two request rules both refuse and it does not rank them (a
    biller asking for psychotherapy notes under a basis that could release them is both not permitted the basis and
    not their author).
    """

    rule: str
    withheld: frozenset[tuple[str, str]] | None = None
    also: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Releases:
    released: frozenset[str]
    withheld: frozenset[tuple[str, str]]
    notices: frozenset[str]


def refused(rule: str, *withheld: tuple[str, str]) -> Refused:
    return Refused(rule, frozenset(withheld) if withheld else None)


def refused_either(rule: str, *others: str) -> Refused:
    return Refused(rule, None, frozenset(others))


def releases(
    released: tuple[str, ...], withheld: tuple[tuple[str, str], ...] = (), notices: frozenset[str] = RD
) -> Releases:
    return Releases(frozenset(released), frozenset(withheld), notices)


def row(
    case_id: str,
    basis: Basis,
    include: frozenset[Category] | set[Category],
    expected: Refused | Releases,
    *,
    auth: str = "none",
    role: str = "author",
    part2: bool = False,
    items: tuple[str, ...] = CHART,
    recipient: str = RECIPIENT,
) -> object:
    return pytest.param(basis, frozenset(include), auth, role, part2, items, recipient, expected, id=case_id)


NF = ("progress_note_draft", "not_final")  # the draft progress note in CHART, withheld everywhere it is in scope

B = Basis
ROWS = [
    # --- Treatment by another provider (164.506(c)(2)): the whole record in scope, never psychotherapy notes ----------
    row("treatment-record", B.TREATMENT, RECORD, releases(RECORD_RELEASED, (NF,))),
    row(
        "treatment-everything-pn-withheld",
        B.TREATMENT,
        EVERYTHING,
        releases(RECORD_RELEASED, (NF, ("psychotherapy_note", "psychotherapy_notes_not_permitted"))),
    ),
    row(
        "treatment-pn-only",
        B.TREATMENT,
        {PN},
        refused("psychotherapy_notes_not_permitted", ("psychotherapy_note", "psychotherapy_notes_not_permitted")),
    ),
    row(
        "treatment-clinician-without-pn-record", B.TREATMENT, RECORD, releases(RECORD_RELEASED, (NF,)), role="clinician"
    ),
    row(
        "treatment-clinician-without-pn-everything",
        B.TREATMENT,
        EVERYTHING,
        releases(RECORD_RELEASED, (NF, ("psychotherapy_note", "psychotherapy_notes_not_permitted"))),
        role="clinician",
    ),
    row("treatment-biller", B.TREATMENT, RECORD, refused("basis_not_permitted"), role="biller"),
    row("treatment-front-desk", B.TREATMENT, RECORD, refused("basis_not_permitted"), role="front_desk"),
    row("treatment-admin", B.TREATMENT, RECORD, refused("basis_not_permitted"), role="admin"),
    row("treatment-part2", B.TREATMENT, RECORD, releases(RECORD_RELEASED, (NF,), RD_P2), part2=True),
    row("treatment-sessions-only-of-whole-chart", B.TREATMENT, {SESSIONS}, releases(("session",))),
    row(
        "treatment-draft-only",
        B.TREATMENT,
        {PROGRESS},
        refused("not_final", NF),
        items=("progress_note_draft",),
    ),
    row("treatment-no-matching-items", B.TREATMENT, {MEASURES}, refused("nothing_to_release"), items=("session",)),
    row("treatment-empty-record", B.TREATMENT, RECORD, refused("nothing_to_release"), items=()),
    row("treatment-nothing-included", B.TREATMENT, set(), refused("nothing_to_release")),
    # --- Payment (164.506(c)(1), (3)) under minimum necessary (164.502(b)): dates, codes, diagnoses -------------------
    row(
        "payment-biller-sessions-diagnoses",
        B.PAYMENT,
        {SESSIONS, DIAGNOSES},
        releases(("session", "diagnosis")),
        role="biller",
    ),
    row(
        "payment-biller-progress-notes-and-sessions",
        B.PAYMENT,
        {PROGRESS, SESSIONS},
        releases(("session",), (("progress_note", "minimum_necessary"), NF)),
        role="biller",
    ),
    row(
        "payment-biller-everything",
        B.PAYMENT,
        EVERYTHING,
        releases(
            ("session", "diagnosis"),
            (
                ("progress_note", "minimum_necessary"),
                NF,
                ("psychotherapy_note", "psychotherapy_notes_not_permitted"),
                ("measure", "minimum_necessary"),
                ("summary", "minimum_necessary"),
                ("treatment_plan", "minimum_necessary"),
            ),
        ),
        role="biller",
    ),
    row(
        "payment-biller-progress-note-only",
        B.PAYMENT,
        {PROGRESS},
        refused("minimum_necessary", ("progress_note", "minimum_necessary")),
        role="biller",
        items=("progress_note",),
    ),
    row(
        "payment-biller-draft-progress-note-only",
        B.PAYMENT,
        {PROGRESS},
        refused("not_final", NF),
        role="biller",
        items=("progress_note_draft",),
    ),
    row(
        "payment-biller-measures-and-plan",
        B.PAYMENT,
        {MEASURES, PLAN},
        refused("minimum_necessary", ("measure", "minimum_necessary"), ("treatment_plan", "minimum_necessary")),
        role="biller",
    ),
    row(
        "payment-biller-pn-only",
        B.PAYMENT,
        {PN},
        refused("psychotherapy_notes_not_permitted", ("psychotherapy_note", "psychotherapy_notes_not_permitted")),
        role="biller",
    ),
    row(
        "payment-first-withheld-decides-pn-first",
        B.PAYMENT,
        {PN, PROGRESS},
        refused(
            "psychotherapy_notes_not_permitted",
            ("psychotherapy_note", "psychotherapy_notes_not_permitted"),
            ("progress_note", "minimum_necessary"),
        ),
        role="biller",
        items=("psychotherapy_note", "progress_note"),
    ),
    row(
        "payment-first-withheld-decides-note-first",
        B.PAYMENT,
        {PN, PROGRESS},
        refused(
            "minimum_necessary",
            ("progress_note", "minimum_necessary"),
            ("psychotherapy_note", "psychotherapy_notes_not_permitted"),
        ),
        role="biller",
        items=("progress_note", "psychotherapy_note"),
    ),
    row(
        "payment-author-sessions-diagnoses-pn",
        B.PAYMENT,
        {SESSIONS, DIAGNOSES, PN},
        releases(("session", "diagnosis"), (("psychotherapy_note", "psychotherapy_notes_not_permitted"),)),
    ),
    row("payment-clinician-without-pn-sessions", B.PAYMENT, {SESSIONS}, releases(("session",)), role="clinician"),
    row("payment-front-desk", B.PAYMENT, {SESSIONS}, refused("basis_not_permitted"), role="front_desk"),
    row("payment-admin", B.PAYMENT, {SESSIONS}, refused("basis_not_permitted"), role="admin"),
    row(
        "payment-biller-part2",
        B.PAYMENT,
        {SESSIONS, DIAGNOSES},
        releases(("session", "diagnosis"), (), RD_P2),
        role="biller",
        part2=True,
    ),
    # --- Right of access (164.524): the designated record set, never psychotherapy notes (164.524(a)(1)(i)) ----------
    row(
        "access-everything",
        B.RIGHT_OF_ACCESS,
        EVERYTHING,
        releases(RECORD_RELEASED, (NF, ("psychotherapy_note", "psychotherapy_notes_excluded")), NO_NOTICE),
    ),
    row(
        "access-pn-and-progress-notes",
        B.RIGHT_OF_ACCESS,
        {PN, PROGRESS},
        releases(("progress_note",), (("psychotherapy_note", "psychotherapy_notes_excluded"),), NO_NOTICE),
        items=("psychotherapy_note", "progress_note"),
    ),
    row(
        "access-pn-only",
        B.RIGHT_OF_ACCESS,
        {PN},
        refused("psychotherapy_notes_excluded", ("psychotherapy_note", "psychotherapy_notes_excluded")),
    ),
    row(
        "access-clinician-without-pn",
        B.RIGHT_OF_ACCESS,
        {PN, PROGRESS},
        releases(("progress_note",), (("psychotherapy_note", "psychotherapy_notes_excluded"),), NO_NOTICE),
        role="clinician",
        items=("psychotherapy_note", "progress_note"),
    ),
    row(
        "access-no-minimum-necessary",
        B.RIGHT_OF_ACCESS,
        {MEASURES, SUMMARIES, PLAN},
        releases(("measure", "summary", "treatment_plan"), (), NO_NOTICE),
    ),
    row("access-part2-no-notices", B.RIGHT_OF_ACCESS, RECORD, releases(RECORD_RELEASED, (NF,), NO_NOTICE), part2=True),
    row("access-biller", B.RIGHT_OF_ACCESS, RECORD, refused("basis_not_permitted"), role="biller"),
    row("access-front-desk", B.RIGHT_OF_ACCESS, RECORD, refused("basis_not_permitted"), role="front_desk"),
    row("access-admin", B.RIGHT_OF_ACCESS, RECORD, refused("basis_not_permitted"), role="admin"),
    # --- A general authorization (164.508(c)): what it names, to whom it names, while it is in force -----------------
    row("auth-general-record", B.AUTHORIZATION, RECORD, releases(RECORD_RELEASED, (NF,)), auth="general"),
    row(
        "auth-general-everything-pn-withheld",
        B.AUTHORIZATION,
        EVERYTHING,
        releases(RECORD_RELEASED, (NF, ("psychotherapy_note", "psychotherapy_notes_not_permitted"))),
        auth="general",
    ),
    row(
        "auth-general-pn-only",
        B.AUTHORIZATION,
        {PN},
        refused("psychotherapy_notes_not_permitted", ("psychotherapy_note", "psychotherapy_notes_not_permitted")),
        auth="general",
    ),
    row(
        "auth-general-naming-pn-pn-only",
        B.AUTHORIZATION,
        {PN},
        refused("psychotherapy_notes_not_permitted", ("psychotherapy_note", "psychotherapy_notes_not_permitted")),
        auth="general_naming_pn",
    ),
    row(
        "auth-general-clinician-without-pn-everything",
        B.AUTHORIZATION,
        EVERYTHING,
        releases(RECORD_RELEASED, (NF, ("psychotherapy_note", "psychotherapy_notes_not_permitted"))),
        auth="general",
        role="clinician",
    ),
    row(
        "auth-narrow-progress-notes-measures-withheld",
        B.AUTHORIZATION,
        {PROGRESS, MEASURES},
        releases(("progress_note",), (NF, ("measure", "authorization_scope"))),
        auth="general_progress_notes_only",
    ),
    row(
        "auth-narrow-measures-only",
        B.AUTHORIZATION,
        {MEASURES},
        refused("authorization_scope", ("measure", "authorization_scope")),
        auth="general_progress_notes_only",
    ),
    row(
        "auth-narrow-sessions-and-diagnoses",
        B.AUTHORIZATION,
        {SESSIONS, DIAGNOSES},
        refused("authorization_scope", ("session", "authorization_scope"), ("diagnosis", "authorization_scope")),
        auth="general_progress_notes_only",
    ),
    row(
        "auth-general-no-minimum-necessary",
        B.AUTHORIZATION,
        {MEASURES, SUMMARIES, PLAN},
        releases(("measure", "summary", "treatment_plan")),
        auth="general",
    ),
    row("auth-general-biller", B.AUTHORIZATION, RECORD, refused("basis_not_permitted"), auth="general", role="biller"),
    row(
        "auth-general-front-desk",
        B.AUTHORIZATION,
        RECORD,
        refused("basis_not_permitted"),
        auth="general",
        role="front_desk",
    ),
    row("auth-general-admin", B.AUTHORIZATION, RECORD, refused("basis_not_permitted"), auth="general", role="admin"),
    row(
        "auth-general-part2",
        B.AUTHORIZATION,
        RECORD,
        releases(RECORD_RELEASED, (NF,), RD_P2),
        auth="general",
        part2=True,
    ),
    row("auth-none", B.AUTHORIZATION, RECORD, refused("authorization_required")),
    row("auth-none-pn", B.AUTHORIZATION, {PN}, refused("authorization_required")),
    row("auth-none-clinician-without-pn", B.AUTHORIZATION, RECORD, refused("authorization_required"), role="clinician"),
    row("auth-general-expired", B.AUTHORIZATION, RECORD, refused("authorization_expired"), auth="general_expired"),
    row(
        "auth-general-expired-narrow-request",
        B.AUTHORIZATION,
        {SESSIONS},
        refused("authorization_expired"),
        auth="general_expired",
        items=("session",),
    ),
    row(
        "auth-general-expires-today-still-valid",
        B.AUTHORIZATION,
        RECORD,
        releases(RECORD_RELEASED, (NF,)),
        auth="general_expires_today",
    ),
    row(
        "auth-general-expiry-event-not-yet",
        B.AUTHORIZATION,
        RECORD,
        releases(RECORD_RELEASED, (NF,)),
        auth="general_open_event",
    ),
    row(
        "auth-general-expiry-event-today",
        B.AUTHORIZATION,
        RECORD,
        refused("authorization_expired"),
        auth="general_event_today",
    ),
    row(
        "auth-general-expiry-event-past",
        B.AUTHORIZATION,
        RECORD,
        refused("authorization_expired"),
        auth="general_event_past",
    ),
    row(
        "auth-general-expiry-event-dated-tomorrow",
        B.AUTHORIZATION,
        RECORD,
        releases(RECORD_RELEASED, (NF,)),
        auth="general_event_future",
    ),
    row("auth-general-revoked", B.AUTHORIZATION, RECORD, refused("authorization_revoked"), auth="general_revoked"),
    row(
        "auth-general-revoked-today",
        B.AUTHORIZATION,
        RECORD,
        refused("authorization_revoked"),
        auth="general_revoked_today",
    ),
    row(
        "auth-general-revocation-dated-tomorrow",
        B.AUTHORIZATION,
        RECORD,
        releases(RECORD_RELEASED, (NF,)),
        auth="general_revoked_tomorrow",
    ),
    row("auth-general-signed-tomorrow", B.AUTHORIZATION, RECORD, refused("authorization_scope"), auth="general_future"),
    row(
        "auth-general-signed-today",
        B.AUTHORIZATION,
        RECORD,
        releases(RECORD_RELEASED, (NF,)),
        auth="general_signed_today",
    ),
    row(
        "auth-general-other-recipient",
        B.AUTHORIZATION,
        RECORD,
        refused("authorization_scope"),
        auth="general_other_recipient",
    ),
    row(
        "auth-general-request-to-other-recipient",
        B.AUTHORIZATION,
        RECORD,
        refused("authorization_scope"),
        auth="general",
        recipient=OTHER_RECIPIENT,
    ),
    row(
        "auth-general-recipient-case-and-spacing",
        B.AUTHORIZATION,
        RECORD,
        releases(RECORD_RELEASED, (NF,)),
        auth="general_recipient_spelled_differently",
    ),
    # --- A psychotherapy-notes authorization (164.508(a)(2)): those notes only, by their author ----------------------
    row(
        "auth-pn-pn-only",
        B.AUTHORIZATION,
        {PN},
        releases(("psychotherapy_note",)),
        auth="pn",
        items=("psychotherapy_note",),
    ),
    row(
        "auth-pn-pn-and-progress-notes",
        B.AUTHORIZATION,
        {PN, PROGRESS},
        releases(("psychotherapy_note",), (("progress_note", "authorization_scope"), NF)),
        auth="pn",
    ),
    row(
        "auth-pn-whole-chart",
        B.AUTHORIZATION,
        EVERYTHING,
        releases(
            ("psychotherapy_note",),
            (
                ("session", "authorization_scope"),
                ("diagnosis", "authorization_scope"),
                ("progress_note", "authorization_scope"),
                NF,
                ("measure", "authorization_scope"),
                ("summary", "authorization_scope"),
                ("treatment_plan", "authorization_scope"),
            ),
        ),
        auth="pn",
    ),
    row(
        "auth-pn-draft-pn-only",
        B.AUTHORIZATION,
        {PN},
        refused("not_final", ("psychotherapy_note_draft", "not_final")),
        auth="pn",
        items=("psychotherapy_note_draft",),
    ),
    row(
        "auth-pn-final-and-draft-pn",
        B.AUTHORIZATION,
        {PN},
        releases(("psychotherapy_note",), (("psychotherapy_note_draft", "not_final"),)),
        auth="pn",
        items=("psychotherapy_note", "psychotherapy_note_draft"),
    ),
    row(
        "auth-pn-no-pn-on-record",
        B.AUTHORIZATION,
        {PN},
        refused("nothing_to_release"),
        auth="pn",
        items=("session", "progress_note"),
    ),
    row(
        "auth-pn-clinician-without-own-pn",
        B.AUTHORIZATION,
        {PN},
        refused("author_required"),
        auth="pn",
        role="clinician",
    ),
    row(
        "auth-pn-clinician-without-own-pn-no-pn-items",
        B.AUTHORIZATION,
        {PN},
        refused("author_required"),
        auth="pn",
        role="clinician",
        items=("session",),
    ),
    row(
        "auth-pn-clinician-without-own-pn-asks-progress-notes",
        B.AUTHORIZATION,
        {PROGRESS},
        refused("authorization_scope", ("progress_note", "authorization_scope")),
        auth="pn",
        role="clinician",
        items=("progress_note",),
    ),
    row(
        "auth-pn-form-not-naming-pn",
        B.AUTHORIZATION,
        {PN},
        refused("authorization_scope", ("psychotherapy_note", "authorization_scope")),
        auth="pn_not_naming_pn",
        items=("psychotherapy_note",),
    ),
    row(
        "auth-pn-biller",
        B.AUTHORIZATION,
        {PN},
        refused_either("basis_not_permitted", "author_required"),
        auth="pn",
        role="biller",
    ),
    row(
        "auth-pn-front-desk",
        B.AUTHORIZATION,
        {PN},
        refused_either("basis_not_permitted", "author_required"),
        auth="pn",
        role="front_desk",
    ),
    row(
        "auth-pn-admin",
        B.AUTHORIZATION,
        {PN},
        refused_either("basis_not_permitted", "author_required"),
        auth="pn",
        role="admin",
    ),
    row("auth-pn-expired", B.AUTHORIZATION, {PN}, refused("authorization_expired"), auth="pn_expired"),
    row(
        "auth-pn-expiry-event-passed", B.AUTHORIZATION, {PN}, refused("authorization_expired"), auth="pn_event_expired"
    ),
    row("auth-pn-revoked", B.AUTHORIZATION, {PN}, refused("authorization_revoked"), auth="pn_revoked"),
    row("auth-pn-signed-tomorrow", B.AUTHORIZATION, {PN}, refused("authorization_scope"), auth="pn_future"),
    row("auth-pn-other-recipient", B.AUTHORIZATION, {PN}, refused("authorization_scope"), auth="pn_other_recipient"),
    row(
        "auth-pn-part2",
        B.AUTHORIZATION,
        {PN},
        releases(("psychotherapy_note",), (), RD_P2),
        auth="pn",
        part2=True,
        items=("psychotherapy_note",),
    ),
    # --- A court order (164.512(e)(1)(i); "required by law", 164.103, 164.512(a)): psychotherapy notes may go --------
    row(
        "court-order-everything",
        B.COURT_ORDER,
        EVERYTHING,
        releases((*RECORD_RELEASED, "psychotherapy_note"), (NF,)),
    ),
    row(
        "court-order-pn-only",
        B.COURT_ORDER,
        {PN},
        releases(("psychotherapy_note",)),
        items=("psychotherapy_note",),
    ),
    row(
        "court-order-draft-pn-withheld",
        B.COURT_ORDER,
        {PN},
        releases(("psychotherapy_note",), (("psychotherapy_note_draft", "not_final"),)),
        items=("psychotherapy_note", "psychotherapy_note_draft"),
    ),
    row(
        "court-order-no-minimum-necessary",
        B.COURT_ORDER,
        {MEASURES, SUMMARIES, PLAN},
        releases(("measure", "summary", "treatment_plan")),
    ),
    row(
        "court-order-clinician-without-own-pn",
        B.COURT_ORDER,
        {PN, PROGRESS},
        refused("author_required"),
        role="clinician",
    ),
    row(
        "court-order-clinician-without-own-pn-no-pn-items",
        B.COURT_ORDER,
        {PN},
        refused("author_required"),
        role="clinician",
        items=("progress_note",),
    ),
    row(
        "court-order-clinician-without-own-pn-record-only",
        B.COURT_ORDER,
        {PROGRESS},
        releases(("progress_note",), (NF,)),
        role="clinician",
    ),
    row(
        "court-order-biller",
        B.COURT_ORDER,
        {PN},
        refused_either("basis_not_permitted", "author_required"),
        role="biller",
    ),
    row("court-order-biller-record", B.COURT_ORDER, RECORD, refused("basis_not_permitted"), role="biller"),
    row("court-order-front-desk", B.COURT_ORDER, {PROGRESS}, refused("basis_not_permitted"), role="front_desk"),
    row("court-order-admin", B.COURT_ORDER, {PROGRESS}, refused("basis_not_permitted"), role="admin"),
    row(
        "court-order-part2",
        B.COURT_ORDER,
        {PROGRESS},
        releases(("progress_note",), (NF,), RD_P2),
        part2=True,
    ),
    # --- A subpoena with satisfactory assurances (164.512(e)(1)(ii)): not a 164.508(a)(2) exception -----------------
    row(
        "subpoena-everything-pn-withheld",
        B.SUBPOENA_WITH_ASSURANCES,
        EVERYTHING,
        releases(RECORD_RELEASED, (NF, ("psychotherapy_note", "psychotherapy_notes_not_permitted"))),
    ),
    row(
        "subpoena-pn-only",
        B.SUBPOENA_WITH_ASSURANCES,
        {PN},
        refused("psychotherapy_notes_not_permitted", ("psychotherapy_note", "psychotherapy_notes_not_permitted")),
    ),
    row(
        "subpoena-clinician-without-own-pn",
        B.SUBPOENA_WITH_ASSURANCES,
        {PN, PROGRESS},
        releases(("progress_note",), (("psychotherapy_note", "psychotherapy_notes_not_permitted"),)),
        role="clinician",
        items=("psychotherapy_note", "progress_note"),
    ),
    row(
        "subpoena-progress-notes-and-sessions",
        B.SUBPOENA_WITH_ASSURANCES,
        {PROGRESS, SESSIONS},
        releases(("progress_note", "session")),
        items=("progress_note", "session"),
    ),
    row(
        "subpoena-part2",
        B.SUBPOENA_WITH_ASSURANCES,
        RECORD,
        refused("part2_court_order_required"),
        part2=True,
    ),
    row(
        "subpoena-part2-sessions-only",
        B.SUBPOENA_WITH_ASSURANCES,
        {SESSIONS},
        refused("part2_court_order_required"),
        part2=True,
        items=("session",),
    ),
    row(
        "subpoena-part2-pn",
        B.SUBPOENA_WITH_ASSURANCES,
        {PN},
        refused("part2_court_order_required"),
        part2=True,
    ),
    row("subpoena-biller", B.SUBPOENA_WITH_ASSURANCES, RECORD, refused("basis_not_permitted"), role="biller"),
    row("subpoena-admin", B.SUBPOENA_WITH_ASSURANCES, RECORD, refused("basis_not_permitted"), role="admin"),
]

# --- The other 164.508(a)(2) exceptions: psychotherapy notes may go, by their author ----------------------------------

EXCEPTIONS = [
    B.REQUIRED_BY_LAW,
    B.HEALTH_OVERSIGHT,
    B.CORONER,
    B.SERIOUS_THREAT,
    B.LEGAL_DEFENSE,
    B.HHS_COMPLIANCE,
]
for _basis in EXCEPTIONS:
    _name = _basis.value.replace("_", "-")
    ROWS += [
        row(
            f"{_name}-pn-and-progress-notes",
            _basis,
            {PN, PROGRESS},
            releases(("psychotherapy_note", "progress_note")),
            items=("psychotherapy_note", "progress_note"),
        ),
        row(f"{_name}-clinician-without-own-pn", _basis, {PN}, refused("author_required"), role="clinician"),
        row(f"{_name}-biller", _basis, {SESSIONS}, refused("basis_not_permitted"), role="biller"),
        row(f"{_name}-front-desk", _basis, {SESSIONS}, refused("basis_not_permitted"), role="front_desk"),
    ]
ROWS += [
    row(
        "required-by-law-part2-record",
        B.REQUIRED_BY_LAW,
        {SESSIONS, SUMMARIES},
        releases(("session", "summary"), (), RD_P2),
        part2=True,
    ),
    row(
        "serious-threat-clinician-without-own-pn-record-only",
        B.SERIOUS_THREAT,
        {SUMMARIES, DIAGNOSES},
        releases(("summary", "diagnosis")),
        role="clinician",
    ),
    row(
        "legal-defense-everything",
        B.LEGAL_DEFENSE,
        EVERYTHING,
        releases((*RECORD_RELEASED, "psychotherapy_note"), (NF,)),
    ),
]


def _request(basis: Basis, include: frozenset[Category], auth: str, role: str, part2: bool, recipient: str) -> Request:
    requester_role, own_pn = ROLES[role]
    return Request(
        basis=basis,
        include=include,
        recipient=recipient,
        today=TODAY,
        requester_role=requester_role,
        authorization=AUTHORIZATIONS[auth],
        client_part2=part2,
        requester_has_own_psychotherapy_notes=own_pn,
    )


def _withheld(decision: Decision) -> frozenset[tuple[str, str]]:
    return frozenset((w.id or "", w.rule) for w in decision.withheld)


@pytest.mark.parametrize(("basis", "include", "auth", "role", "part2", "items", "recipient", "expected"), ROWS)
def test_release_rules(
    basis: Basis,
    include: frozenset[Category],
    auth: str,
    role: str,
    part2: bool,
    items: tuple[str, ...],
    recipient: str,
    expected: Refused | Releases,
) -> None:
    decision = decide(_request(basis, include, auth, role, part2, recipient), [ITEMS[name] for name in items])

    if isinstance(expected, Refused):
        assert decision.refusal is not None, f"expected refusal {expected.rule}, released {decision.released}"
        assert decision.refusal.rule in {expected.rule} | expected.also
        assert not decision.allowed
        assert decision.released == ()
        if expected.withheld is not None:
            assert _withheld(decision) == expected.withheld
        assert decision.refusal.reason
        return

    assert decision.refusal is None, f"expected a release, refused {decision.refusal}"
    assert decision.allowed
    assert frozenset(i.id for i in decision.released) == expected.released
    assert len(decision.released) == len(expected.released)
    assert _withheld(decision) == expected.withheld
    assert frozenset(decision.notices) == expected.notices
    released_kinds = {i.kind.value for i in decision.released}
    assert set(decision.permitted_by) == released_kinds
    assert all(isinstance(text, str) and text.strip() for text in decision.permitted_by.values())
    for w in decision.withheld:
        assert w.reason


def test_item_level_refusal_names_the_first_withheld_item() -> None:
    """Nothing left to release: the refusal is the first withheld item's rule, in the order the items came."""
    req = _request(B.PAYMENT, frozenset({PN, PROGRESS, MEASURES}), "none", "biller", False, RECIPIENT)
    items = [ITEMS["measure"], ITEMS["psychotherapy_note"], ITEMS["progress_note_draft"]]
    decision = decide(req, items)
    assert decision.refusal is not None
    assert decision.refusal.rule == "minimum_necessary"
    assert [(w.id, w.rule) for w in decision.withheld] == [
        ("measure", "minimum_necessary"),
        ("psychotherapy_note", "psychotherapy_notes_not_permitted"),
        ("progress_note_draft", "not_final"),
    ]


def test_the_table_covers_every_rule_and_every_basis() -> None:
    """A guard on the table itself: every basis appears, and every refusal and withholding code is exercised."""
    bases = {param.values[0] for param in ROWS}  # type: ignore[attr-defined]
    assert bases == set(Basis)
    codes: set[str] = set()
    for param in ROWS:
        expected = param.values[-1]  # type: ignore[attr-defined]
        if isinstance(expected, Refused):
            codes.add(expected.rule)
            codes.update(rule for _, rule in expected.withheld or ())
        else:
            codes.update(rule for _, rule in expected.withheld)
    assert codes == {
        "authorization_required",
        "authorization_revoked",
        "authorization_expired",
        "authorization_scope",
        "basis_not_permitted",
        "part2_court_order_required",
        "author_required",
        "nothing_to_release",
        "not_final",
        "psychotherapy_notes_excluded",
        "psychotherapy_notes_not_permitted",
        "minimum_necessary",
    }
    roles = {param.values[3] for param in ROWS}  # type: ignore[attr-defined]
    assert roles == set(ROLES)
    auths = {param.values[2] for param in ROWS}  # type: ignore[attr-defined]
    assert auths == set(AUTHORIZATIONS)
