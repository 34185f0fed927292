"""What may leave the practice, item by item, and why: the release rules of HIPAA and 42 CFR Part 2.

Plain functions over plain data (no Django, no database), so that the rules can be read beside the regulation and
tested as a table (tests/disclosures/test_rules_table.py). `decide(request, items)` applies them in order:

1. Request rules (`REQUEST_RULES`) look at the request as a whole — the basis, the authorization, who asks — and
   either pass or refuse the whole request (`Refusal`: a stable code, a sentence a clinician understands, the
   paragraph it rests on). An expired authorization releases nothing, however narrow the request.
2. Item rules (`ITEM_RULES`) look at each record the request reaches (a signed note, a session, a diagnosis) and
   either let it go or withhold it (`Withheld`, with the rule and the reason). The first rule that withholds wins.
3. If nothing is left to release the request is refused with the rule that withheld the first item; otherwise the
   decision releases what is left and lists what was withheld, so a partial release says what it left out.

What a decision does not decide: who may ask at all (confide.access.policy: `disclosure.prepare`), and which
psychotherapy notes exist. The vault decrypts a psychotherapy note only for its author, so the items given here
hold only the requester's own psychotherapy notes; `requester_has_own_psychotherapy_notes` says whether there are
any, and whoever has none gets `author_required`, whether or not a colleague's notes exist (that is not theirs to
learn).

State law stricter than HIPAA is configuration, not code here: a practice narrows a basis by not offering it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Basis(StrEnum):
    """The legal ground a release stands on."""

    AUTHORIZATION = "authorization"  # 164.508: the client's signed authorization
    TREATMENT = "treatment"  # 164.506(c)(2): another provider's treatment of the client
    PAYMENT = "payment"  # 164.506(c)(1), (3): the practice's or a payer's payment activities
    RIGHT_OF_ACCESS = "right_of_access"  # 164.524: the client's own copy
    COURT_ORDER = "court_order"  # 164.512(e)(1)(i): an order of a court or administrative tribunal
    SUBPOENA_WITH_ASSURANCES = "subpoena_with_assurances"  # 164.512(e)(1)(ii): a subpoena without a court order
    REQUIRED_BY_LAW = "required_by_law"  # 164.512(a)
    SERIOUS_THREAT = "serious_threat"  # 164.512(j)(1)(i): a serious and imminent threat to health or safety
    HEALTH_OVERSIGHT = "health_oversight"  # 164.512(d): oversight of the note's originator
    CORONER = "coroner"  # 164.512(g)(1): coroners and medical examiners
    LEGAL_DEFENSE = "legal_defense"  # 164.508(a)(2)(i)(C): defending the practice in an action the client brought
    HHS_COMPLIANCE = "hhs_compliance"  # 164.502(a)(2)(ii): the Secretary investigating compliance


class Category(StrEnum):
    """What an authorization names and a request includes."""

    PROGRESS_NOTES = "progress_notes"
    PSYCHOTHERAPY_NOTES = "psychotherapy_notes"
    MEASURES = "measures"
    SUMMARIES = "summaries"
    DIAGNOSES = "diagnoses"
    TREATMENT_PLAN = "treatment_plan"
    SESSIONS = "sessions"


class ItemKind(StrEnum):
    """One record a release can carry."""

    PROGRESS_NOTE = "progress_note"
    PSYCHOTHERAPY_NOTE = "psychotherapy_note"
    MEASURE = "measure"
    SUMMARY = "summary"
    DIAGNOSIS = "diagnosis"
    TREATMENT_PLAN = "treatment_plan"
    SESSION = "session"


CATEGORY_OF: dict[ItemKind, Category] = {
    ItemKind.PROGRESS_NOTE: Category.PROGRESS_NOTES,
    ItemKind.PSYCHOTHERAPY_NOTE: Category.PSYCHOTHERAPY_NOTES,
    ItemKind.MEASURE: Category.MEASURES,
    ItemKind.SUMMARY: Category.SUMMARIES,
    ItemKind.DIAGNOSIS: Category.DIAGNOSES,
    ItemKind.TREATMENT_PLAN: Category.TREATMENT_PLAN,
    ItemKind.SESSION: Category.SESSIONS,
}


class AuthorizationKind(StrEnum):
    GENERAL = "general"
    PSYCHOTHERAPY_NOTES = "psychotherapy_notes"


# 164.508(a)(2): the only uses and disclosures of psychotherapy notes that need no authorization. The originator's
# own treatment use and the practice's supervised training are uses inside the practice (the vault's grants), not
# releases. A court order is a disclosure "required by law" (164.103's definition names court orders; 164.512(a)),
# so it may reach psychotherapy notes that it names; a subpoena without an order (164.512(e)(1)(ii)) may not.
PSYCHOTHERAPY_NOTE_EXCEPTIONS: dict[Basis, str] = {
    Basis.COURT_ORDER: "164.508(a)(2)(ii), 164.512(a)",
    Basis.REQUIRED_BY_LAW: "164.508(a)(2)(ii), 164.512(a)",
    Basis.HEALTH_OVERSIGHT: "164.508(a)(2)(ii), 164.512(d)",
    Basis.CORONER: "164.508(a)(2)(ii), 164.512(g)(1)",
    Basis.SERIOUS_THREAT: "164.508(a)(2)(ii), 164.512(j)(1)(i)",
    Basis.LEGAL_DEFENSE: "164.508(a)(2)(i)(C)",
    Basis.HHS_COMPLIANCE: "164.508(a)(2)(ii), 164.502(a)(2)(ii)",
}

# Bases whose disclosures the accounting of 164.528 leaves out: treatment, payment (and operations), the client's
# own copy, and releases under the client's authorization (164.528(a)(1)(i), (iii), (iv)).
NOT_ACCOUNTED = frozenset({Basis.TREATMENT, Basis.PAYMENT, Basis.RIGHT_OF_ACCESS, Basis.AUTHORIZATION})

# What a payer gets under minimum necessary (164.502(b), 164.514(d)): dates, codes and diagnoses, no narrative.
PAYMENT_KINDS = frozenset({ItemKind.SESSION, ItemKind.DIAGNOSIS})

# Roles that may release under each basis; a role not listed releases nothing. The policy decides who may prepare
# a release at all (clinicians on the treating team, billers); this narrows billers to payment.
BASES_FOR_ROLE: dict[str, frozenset[Basis]] = {
    "clinician": frozenset(Basis),
    "biller": frozenset({Basis.PAYMENT}),
}


@dataclass(frozen=True)
class AuthorizationFacts:
    """What the rules need to know of an authorization (confide.disclosures.models.Authorization)."""

    id: int
    kind: AuthorizationKind
    information: frozenset[Category]
    recipient: str
    signed_on: date
    expires_on: date | None = None
    expiry_event: str = ""
    expired_on: date | None = None  # the day the expiry event happened, once recorded
    revoked_on: date | None = None


@dataclass(frozen=True)
class Request:
    basis: Basis
    include: frozenset[Category]
    recipient: str
    today: date
    requester_role: str
    authorization: AuthorizationFacts | None = None
    client_part2: bool = False
    requester_has_own_psychotherapy_notes: bool = False


@dataclass(frozen=True)
class Item:
    kind: ItemKind
    id: str
    day: date
    final: bool = True  # signed and, where it needs one, co-signed: part of the record


@dataclass(frozen=True)
class Withheld:
    kind: ItemKind
    id: str | None
    rule: str
    reason: str
    cite: str


@dataclass(frozen=True)
class Refusal:
    rule: str
    reason: str
    cite: str


@dataclass(frozen=True)
class Decision:
    released: tuple[Item, ...] = ()
    withheld: tuple[Withheld, ...] = ()
    refusal: Refusal | None = None
    notices: tuple[str, ...] = ()  # REDISCLOSURE, PART2: the statements the package must carry
    permitted_by: dict[str, str] = field(default_factory=dict)  # item kind -> the rule that let it go, with its cite

    @property
    def allowed(self) -> bool:
        return self.refusal is None


REDISCLOSURE = "redisclosure"  # 164.508(c)(2)(iii): information disclosed may be redisclosed and lose protection
PART2 = "part2"  # 42 CFR 2.32: the notice that accompanies every disclosure of Part 2 records

RequestRule = Callable[[Request], Refusal | None]
ItemRule = Callable[[Request, Item], Withheld | None]


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


# --- Request rules -----------------------------------------------------------------------------------------------


def role_may_use_basis(req: Request) -> Refusal | None:
    """Billers release for payment only (164.502(b), 164.514(d)(2): the practice limits each role's access)."""
    if req.basis in BASES_FOR_ROLE.get(req.requester_role, frozenset()):
        return None
    return Refusal(
        "basis_not_permitted",
        f"Your role may release records for payment only, not under {req.basis.value.replace('_', ' ')}.",
        "164.502(b), 164.514(d)(2)",
    )


def authorization_present(req: Request) -> Refusal | None:
    """A release on the client's authorization needs that authorization (164.508(a)(1))."""
    if req.basis is Basis.AUTHORIZATION and req.authorization is None:
        return Refusal(
            "authorization_required",
            "A release on the client's authorization needs the signed authorization: choose it or record it first.",
            "164.508(a)(1)",
        )
    return None


def authorization_not_revoked(req: Request) -> Refusal | None:
    """A revoked authorization permits nothing after the revocation (164.508(b)(5))."""
    auth = req.authorization
    if req.basis is Basis.AUTHORIZATION and auth and auth.revoked_on and auth.revoked_on <= req.today:
        return Refusal(
            "authorization_revoked",
            f"The client revoked this authorization on {auth.revoked_on.isoformat()}: nothing more may go under it.",
            "164.508(b)(5)",
        )
    return None


def authorization_not_expired(req: Request) -> Refusal | None:
    """An authorization past its expiry date or event is not valid (164.508(b)(2)(i))."""
    auth = req.authorization
    if req.basis is not Basis.AUTHORIZATION or auth is None:
        return None
    if auth.expires_on and auth.expires_on < req.today:
        when = auth.expires_on.isoformat()
    elif auth.expired_on and auth.expired_on <= req.today:
        when = f"{auth.expired_on.isoformat()} ({auth.expiry_event})"
    else:
        return None
    return Refusal(
        "authorization_expired",
        f"This authorization expired on {when}: ask the client for a new one.",
        "164.508(b)(2)(i)",
    )


def authorization_not_yet_signed(req: Request) -> Refusal | None:
    """An authorization speaks from its signature: it cannot cover a release dated before it was signed."""
    auth = req.authorization
    if req.basis is Basis.AUTHORIZATION and auth and auth.signed_on > req.today:
        return Refusal(
            "authorization_scope",
            f"This authorization is signed on {auth.signed_on.isoformat()}, after today: it does not cover today.",
            "164.508(c)(1)(vi)",
        )
    return None


def authorization_names_recipient(req: Request) -> Refusal | None:
    """An authorization permits release to the recipient it names, and to no one else (164.508(c)(1)(iii))."""
    auth = req.authorization
    if req.basis is Basis.AUTHORIZATION and auth and not _same_name(auth.recipient, req.recipient):
        return Refusal(
            "authorization_scope",
            f"This authorization names {auth.recipient} as the recipient, not {req.recipient}.",
            "164.508(c)(1)(iii)",
        )
    return None


def part2_subpoena_needs_order(req: Request) -> Refusal | None:
    """Part 2 records answer a subpoena only with a court order under 42 CFR 2.64 (42 CFR 2.61)."""
    if req.client_part2 and req.basis is Basis.SUBPOENA_WITH_ASSURANCES:
        return Refusal(
            "part2_court_order_required",
            "This client's records come from a Part 2 program: a subpoena alone cannot compel them; "
            "a court order under 42 CFR 2.64 is needed.",
            "42 CFR 2.61, 2.64",
        )
    return None


def psychotherapy_notes_by_their_author(req: Request) -> Refusal | None:
    """Only a psychotherapy note's author can release it: the vault decrypts it for no one else.

    Asked only where the basis could release psychotherapy notes at all, so that the answer is the rule that
    actually stands in the way (a subpoena gets `psychotherapy_notes_not_permitted`, not this)."""
    if Category.PSYCHOTHERAPY_NOTES not in req.include or not _basis_may_reach_psychotherapy_notes(req):
        return None
    if req.requester_role == "clinician" and req.requester_has_own_psychotherapy_notes:
        return None
    return Refusal(
        "author_required",
        "Only the clinician who wrote a psychotherapy note can release it: the server cannot decrypt it for anyone "
        "else. Leave psychotherapy notes out, or ask their author to release them.",
        "164.508(a)(2); Confide's vault",
    )


REQUEST_RULES: tuple[RequestRule, ...] = (
    role_may_use_basis,
    authorization_present,
    authorization_not_revoked,
    authorization_not_expired,
    authorization_not_yet_signed,
    authorization_names_recipient,
    part2_subpoena_needs_order,
    psychotherapy_notes_by_their_author,
)


# --- Item rules --------------------------------------------------------------------------------------------------


def _basis_may_reach_psychotherapy_notes(req: Request) -> bool:
    if req.basis is Basis.AUTHORIZATION:
        auth = req.authorization
        return auth is not None and auth.kind is AuthorizationKind.PSYCHOTHERAPY_NOTES
    return req.basis in PSYCHOTHERAPY_NOTE_EXCEPTIONS


def only_the_final_record(req: Request, item: Item) -> Withheld | None:
    """A draft, or a note awaiting co-signature, is not yet part of the record and is not released."""
    if item.final:
        return None
    return Withheld(
        item.kind,
        item.id,
        "not_final",
        "Not signed yet (a draft, or awaiting co-signature): not part of the record.",
        "",
    )


def right_of_access_excludes_psychotherapy_notes(req: Request, item: Item) -> Withheld | None:
    """The client's right of access does not reach psychotherapy notes (164.524(a)(1)(i))."""
    if req.basis is Basis.RIGHT_OF_ACCESS and item.kind is ItemKind.PSYCHOTHERAPY_NOTE:
        return Withheld(
            item.kind,
            item.id,
            "psychotherapy_notes_excluded",
            "The client's own copy never includes psychotherapy notes.",
            "164.524(a)(1)(i)",
        )
    return None


def psychotherapy_notes_need_their_own_permission(req: Request, item: Item) -> Withheld | None:
    """Psychotherapy notes go only under a psychotherapy-notes authorization or a listed exception (164.508(a)(2))."""
    if item.kind is not ItemKind.PSYCHOTHERAPY_NOTE or _basis_may_reach_psychotherapy_notes(req):
        return None
    if req.basis is Basis.AUTHORIZATION:
        why = "A general authorization cannot release psychotherapy notes: they need their own authorization."
    else:
        why = (
            "Psychotherapy notes need the client's own authorization for them; "
            f"{_basis_words(req.basis)} is not enough."
        )
    return Withheld(item.kind, item.id, "psychotherapy_notes_not_permitted", why, "164.508(a)(2)")


def authorization_covers_item(req: Request, item: Item) -> Withheld | None:
    """An authorization releases only the information it describes (164.508(c)(1)(i))."""
    auth = req.authorization
    if req.basis is not Basis.AUTHORIZATION or auth is None or CATEGORY_OF[item.kind] in auth.information:
        return None
    return Withheld(
        item.kind,
        item.id,
        "authorization_scope",
        f"The authorization does not name {CATEGORY_OF[item.kind].value.replace('_', ' ')}.",
        "164.508(c)(1)(i)",
    )


def minimum_necessary_for_payment(req: Request, item: Item) -> Withheld | None:
    """For payment, the minimum necessary: dates, codes and diagnoses, never narrative (164.502(b), 164.514(d))."""
    if req.basis is Basis.PAYMENT and item.kind not in PAYMENT_KINDS:
        return Withheld(
            item.kind,
            item.id,
            "minimum_necessary",
            "For payment only dates, service codes and diagnoses go; notes and scores are more than is necessary.",
            "164.502(b), 164.514(d)",
        )
    return None


ITEM_RULES: tuple[ItemRule, ...] = (
    only_the_final_record,
    right_of_access_excludes_psychotherapy_notes,
    psychotherapy_notes_need_their_own_permission,
    authorization_covers_item,
    minimum_necessary_for_payment,
)


def _basis_words(basis: Basis) -> str:
    return {
        Basis.TREATMENT: "another provider's treatment",
        Basis.PAYMENT: "payment",
        Basis.SUBPOENA_WITH_ASSURANCES: "a subpoena without a court order",
        Basis.RIGHT_OF_ACCESS: "the client's right of access",
    }.get(basis, basis.value.replace("_", " "))


def _permitting_rule(req: Request, kind: ItemKind) -> str:
    """Which paragraph lets an item of this kind go under this request (for the package's cover letter)."""
    if kind is ItemKind.PSYCHOTHERAPY_NOTE:
        if req.basis is Basis.AUTHORIZATION:
            return "psychotherapy-notes authorization, 164.508(a)(2)"
        return f"{req.basis.value}, {PSYCHOTHERAPY_NOTE_EXCEPTIONS[req.basis]}"
    return {
        Basis.AUTHORIZATION: "authorization, 164.508(a)(1)",
        Basis.TREATMENT: "treatment, 164.506(c)(2)",
        Basis.PAYMENT: "payment, 164.506(c)(1), minimum necessary 164.502(b)",
        Basis.RIGHT_OF_ACCESS: "right of access, 164.524",
        Basis.COURT_ORDER: "court order, 164.512(e)(1)(i)",
        Basis.SUBPOENA_WITH_ASSURANCES: "subpoena with satisfactory assurances, 164.512(e)(1)(ii)",
        Basis.REQUIRED_BY_LAW: "required by law, 164.512(a)",
        Basis.SERIOUS_THREAT: "serious and imminent threat, 164.512(j)(1)(i)",
        Basis.HEALTH_OVERSIGHT: "health oversight, 164.512(d)",
        Basis.CORONER: "coroner or medical examiner, 164.512(g)(1)",
        Basis.LEGAL_DEFENSE: "defense of a claim brought by the client, 164.508(a)(2)(i)(C)",
        Basis.HHS_COMPLIANCE: "HHS compliance review, 164.502(a)(2)(ii)",
    }[req.basis]


def notices_for(req: Request) -> tuple[str, ...]:
    """The statements a package carries: the redisclosure notice on every release to someone other than the client
    (164.508(c)(2)(iii)), and the 42 CFR 2.32 notice on every release of Part 2 records."""
    notices: list[str] = []
    if req.basis is not Basis.RIGHT_OF_ACCESS:
        notices.append(REDISCLOSURE)
    if req.client_part2 and req.basis is not Basis.RIGHT_OF_ACCESS:
        notices.append(PART2)
    return tuple(notices)


def decide(req: Request, items: Iterable[Item]) -> Decision:
    """Every rule over the request and its items: what goes, what is withheld and why, or why nothing may go."""
    for request_rule in REQUEST_RULES:
        refusal = request_rule(req)
        if refusal is not None:
            return Decision(refusal=refusal)
    released: list[Item] = []
    withheld: list[Withheld] = []
    for item in items:
        if CATEGORY_OF[item.kind] not in req.include:
            continue
        for item_rule in ITEM_RULES:
            stop = item_rule(req, item)
            if stop is not None:
                withheld.append(stop)
                break
        else:
            released.append(item)
    if not released:
        if withheld:
            first = withheld[0]
            return Decision(withheld=tuple(withheld), refusal=Refusal(first.rule, first.reason, first.cite))
        return Decision(
            refusal=Refusal("nothing_to_release", "Nothing in the record matches this request's span and content.", "")
        )
    permitted = {kind.value: _permitting_rule(req, kind) for kind in dict.fromkeys(i.kind for i in released)}
    return Decision(tuple(released), tuple(withheld), None, notices_for(req), permitted)


def psychotherapy_note_permitted(req: Request) -> bool:
    """Whether any rule permits a psychotherapy note to go under this request (the property tests' oracle)."""
    auth = req.authorization
    named = req.basis is not Basis.AUTHORIZATION or (
        auth is not None and Category.PSYCHOTHERAPY_NOTES in auth.information
    )
    return (
        req.basis is not Basis.RIGHT_OF_ACCESS
        and named
        and _basis_may_reach_psychotherapy_notes(req)
        and req.requester_role == "clinician"
        and req.requester_has_own_psychotherapy_notes
    )
