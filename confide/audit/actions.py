"""Every audit action code, declared once: its kind, what it is about, and which identifiers it may carry.

`record()` refuses a code that is not here, and an identifier or detail key its code does not allow, so an entry
cannot carry more than its declaration says (a note's text in `detail`, a client id on an account event). The
access report selects entries by kind, and the admin view of the log hides what the declaration marks as clinical.

To add a code: one `_declare(...)` line in the table below, next to its neighbors. See docs/audit.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What an entry says happened. The access report lists reads and exports; refusals are logged once each."""

    READ = "read"
    CHANGE = "change"
    REFUSAL = "refusal"
    SIGN_IN = "sign_in"
    EXPORT = "export"


class About(StrEnum):
    """Whose business the entry is.

    RECORD: a client's official record (the chart, notes, plans, sessions) — reads show in the chart's access report.
    PRIVATE: psychotherapy notes (the vault) — shown as such only to the clinician who acted; everyone else sees who,
    when, which kind of action and the outcome, nothing that says a private note exists or what it is about.
    PRACTICE: everything else (accounts, sign-in, vault keys, the audit log itself)."""

    RECORD = "record"
    PRIVATE = "private"
    PRACTICE = "practice"


ANY_OBJECT = "*"  # a refusal names whatever object was refused


@dataclass(frozen=True)
class Action:
    code: str
    kind: Kind
    about: About
    client: bool  # may carry client_id
    objects: frozenset[str]  # object_type values it may carry (ANY_OBJECT: any); none may always be omitted
    detail: frozenset[str]  # detail keys it may carry, shown to every reader of the log
    clinical: frozenset[str]  # further detail keys it may carry, hidden from an administrator's view
    grants_access: bool = False  # changes who may read the chart (a care-team change): shown in the access report

    @property
    def in_access_report(self) -> bool:
        """A look at the chart: a read or export of the official record, or a refused attempt on it."""
        reads = self.kind in (Kind.READ, Kind.EXPORT, Kind.REFUSAL)
        return self.about is About.RECORD and (reads or self.grants_access)

    def allows_object(self, object_type: str) -> bool:
        return ANY_OBJECT in self.objects or object_type in self.objects


ACTIONS: dict[str, Action] = {}


def _declare(
    code: str,
    kind: Kind,
    about: About = About.RECORD,
    *,
    client: bool = False,
    objects: tuple[str, ...] = (),
    detail: tuple[str, ...] = (),
    clinical: tuple[str, ...] = (),
    grants_access: bool = False,
) -> None:
    if code in ACTIONS:
        raise ValueError(f"{code} is declared twice")
    if kind is Kind.READ and about is About.RECORD and client:
        # The policy's require() audits a read against the object it checked (the client, for a list) and says
        # when the chart was opened by break-the-glass.
        objects, detail = (*objects, "client"), (*detail, "break_glass")
    ACTIONS[code] = Action(
        code, kind, about, client, frozenset(objects), frozenset(detail), frozenset(clinical), grants_access
    )


class UnregisteredAction(ValueError):
    """A code that is not declared in confide/audit/actions.py."""


def action(code: str) -> Action:
    try:
        return ACTIONS[code]
    except KeyError:
        raise UnregisteredAction(f"{code!r} is not a registered audit action code (confide/audit/actions.py)") from None


def codes(*, kinds: tuple[Kind, ...] = (), about: About | None = None) -> list[str]:
    return sorted(
        a.code for a in ACTIONS.values() if (not kinds or a.kind in kinds) and (about is None or a.about is about)
    )


def access_report_codes() -> list[str]:
    return sorted(a.code for a in ACTIONS.values() if a.in_access_report)


R, C, X, S, E = Kind.READ, Kind.CHANGE, Kind.REFUSAL, Kind.SIGN_IN, Kind.EXPORT
RECORD, PRIVATE, PRACTICE = About.RECORD, About.PRIVATE, About.PRACTICE
USER = ("user",)
NOTE = ("psychotherapy_note",)

# --- Sign-in and accounts ----------------------------------------------------------------------------------------
_declare("confide.sign_in.succeeded", S, PRACTICE, detail=("via", "second_factor", "enrolled"))
_declare("confide.sign_in.failed", S, PRACTICE)
_declare("confide.sign_in.otp_failed", S, PRACTICE)
_declare("confide.sign_in.throttled", S, PRACTICE)
_declare("confide.sign_in.mfa_enrollment_required", S, PRACTICE)
_declare("confide.sign_in.second_factor_required", S, PRACTICE)
_declare("confide.sign_out", S, PRACTICE, detail=("via", "reason"))
_declare("confide.mfa.enrollment_started", C, PRACTICE, objects=USER)
_declare("confide.mfa.confirm_failed", S, PRACTICE)
_declare("confide.mfa.enrolled", C, PRACTICE, objects=USER)
_declare("confide.user.created", C, PRACTICE, objects=USER, detail=("role",))
_ENDED = ("tokens", "web")  # how many API tokens and web sessions ended with it
_declare("confide.user.password_changed", C, PRACTICE, objects=USER, detail=_ENDED)
_declare("confide.user.password_check_failed", S, PRACTICE, objects=USER)
_declare("confide.user.password_change_failed", C, PRACTICE, objects=USER)
_declare("confide.user.password_reset", C, PRACTICE, objects=USER, detail=_ENDED)
_declare("confide.user.password_reset_failed", C, PRACTICE, objects=USER)
_declare("confide.user.deactivated", C, PRACTICE, objects=USER, detail=_ENDED)
_declare("confide.user.reactivated", C, PRACTICE, objects=USER)
_declare("confide.user.updated", C, PRACTICE, objects=USER, detail=("fields",))
_declare("confide.user.invited", C, PRACTICE, objects=USER, detail=("role", "expires_at"))
_declare("confide.user.invitation_accepted", C, PRACTICE, objects=USER)
_declare("confide.user.invitation_refused", S, PRACTICE, detail=("why",))

# --- Vault keys (every clinician has them: nothing here says a private note exists) -------------------------------
_declare("confide.vault.keys_provisioned", C, PRACTICE, objects=USER)
_declare("confide.vault.sign_in_locked", S, PRACTICE, objects=USER)
_declare("confide.vault.unwrap_failed", S, PRACTICE, objects=USER)
_declare("confide.vault.rewrapped", C, PRACTICE, objects=USER)
_declare("confide.vault.locked", C, PRACTICE, objects=USER)
_declare("confide.vault.recovered", C, PRACTICE, objects=USER)

# --- Refusals: one code for the official record, web and API alike; one for psychotherapy notes -------------------
_REFUSED = ("verb", "method", "path", "status", "code", "why")
_declare("confide.access.denied", X, RECORD, client=True, objects=(ANY_OBJECT,), detail=_REFUSED)
_declare("confide.psychotherapy_note.denied", X, PRIVATE, client=True, objects=(ANY_OBJECT,), detail=_REFUSED)

# --- The official record ------------------------------------------------------------------------------------------
_declare("confide.client.listed", R, detail=("count",))
_declare("confide.client.viewed", R, client=True, objects=("client",))
_declare("confide.client.registered", C, client=True, objects=("client",))
_declare("confide.client.updated", C, client=True, objects=("client",), detail=("fields",))
# Who may read the chart changed: the access report shows it, and the chart and the clinician of record's day view
# show it when someone else made the change (confide/web/care_team_notices.py).
_declare("confide.client.care_team_added", C, client=True, objects=USER, grants_access=True)
_declare("confide.client.contact_added", C, client=True, objects=("contact",))
# Opening a chart one is not on the care team of is a read (it is read only); the reason says why, clinically.
_declare(
    "confide.client.break_glass", R, client=True, objects=("break_glass",), detail=("expires_at",), clinical=("reason",)
)
_declare("confide.consent.recorded", C, client=True, objects=("consent",))
_declare("confide.consent.revoked", C, client=True, objects=("consent",))
_declare("confide.session.listed", R, client=True, detail=("count",))
_declare("confide.session.viewed", R, client=True, objects=("session",))
_declare(
    "confide.session.scheduled", C, client=True, objects=("session",), detail=("service",), clinical=("cpt_codes",)
)
_declare("confide.session.updated", C, client=True, objects=("session",), detail=("fields",))
# A clinician's .ics feed: turned on, rotated or off, and each fetch by a calendar app (a count; no client named).
_declare("confide.calendar.feed_rotated", C, PRACTICE, objects=USER, detail=("off",))
_declare("confide.calendar.feed_fetched", R, PRACTICE, objects=USER, detail=("events",))
# A calendar page: which view, how many sessions it showed (no client named).
_declare("confide.calendar.viewed", R, PRACTICE, detail=("view", "sessions"))
_declare("confide.billing.listed", R, detail=("rows", "filters", "page"))
# The biller's CSV of the filtered rows: dates, codes, diagnoses (never narrative); the filters say which rows left.
_declare("confide.billing.exported", E, detail=("rows", "filters"))
_declare(
    "confide.draft.created",
    C,
    client=True,
    objects=("session",),
    detail=("engine", "engine_version", "note_format", "utterances"),
    clinical=("risk_flags",),
)
_PN = ("progress_note",)
_declare("confide.progress_note.listed", R, client=True, detail=("note_ids",))
_declare("confide.progress_note.read", R, client=True, objects=_PN)
_declare("confide.progress_note.created", C, client=True, objects=_PN, detail=("format", "drafted"))
_declare("confide.progress_note.edited", C, client=True, objects=_PN)
_declare("confide.progress_note.signed", C, client=True, objects=_PN, detail=("status", "late_entry", "content_hash"))
_declare("confide.progress_note.cosigned", C, client=True, objects=_PN)
_declare("confide.progress_note.returned", C, client=True, objects=_PN)
_declare("confide.progress_note.addendum_added", C, client=True, objects=_PN, detail=("addendum_id",))
_declare("confide.diagnosis.listed", R, client=True)
_declare("confide.diagnosis.added", C, client=True, objects=("diagnosis",), clinical=("code",))
_declare("confide.treatment_plan.read", R, client=True, objects=("treatment_plan",))
_declare("confide.treatment_plan.revised", C, client=True, objects=("treatment_plan",), detail=("version",))
_declare("confide.measure.read", R, client=True, objects=("measure",))
_declare("confide.measure.listed", R, client=True)
_declare("confide.summary.read", R, client=True, objects=("summary",))
_declare("confide.summary.drafted", C, client=True, objects=("summary",))
_declare("confide.summary.edited", C, client=True, objects=("summary",))
_declare("confide.summary.signed", C, client=True, objects=("summary",), detail=("status", "late_entry"))
_declare("confide.summary.cosigned", C, client=True, objects=("summary",))
_declare("confide.summary.addendum_added", C, client=True, objects=("summary",), detail=("addendum_id",))
_declare("confide.measure.recorded", C, client=True, objects=("measure",), detail=("instrument", "alerts"))
_declare("confide.measure.answered_by_client", C, client=True, objects=("measure",), detail=("instrument", "alerts"))
_declare("confide.measure.link_made", C, client=True, objects=("measure_request",), detail=("instrument",))
_declare("confide.record.exported", E, client=True, objects=(ANY_OBJECT,), detail=("format",))

# --- Release of information (confide/disclosures) and amendments --------------------------------------------------
_AUTH = ("authorization",)
_DISC = ("disclosure",)
_declare("confide.authorization.listed", R, client=True, detail=("count",))
_declare("confide.authorization.recorded", C, client=True, objects=_AUTH, detail=("kind",))
_declare("confide.authorization.document_attached", C, client=True, objects=_AUTH, detail=("sha256", "type", "bytes"))
_declare("confide.authorization.document_viewed", R, client=True, objects=_AUTH)
_declare("confide.authorization.revoked", C, client=True, objects=_AUTH, detail=("revoked_on",))
_declare("confide.authorization.form_printed", E, client=True, objects=_AUTH, detail=("kind",))
_declare("confide.disclosure.previewed", R, client=True, detail=("basis", "items", "withheld"))
_declare("confide.disclosure.made", E, client=True, objects=_DISC, detail=("basis", "items", "withheld", "sha256"))
_declare("confide.disclosure.refused", C, client=True, detail=("basis", "rule"))
_declare("confide.disclosure.listed", R, client=True, detail=("count",))
_declare("confide.disclosure.package_fetched", E, client=True, objects=_DISC, detail=("format",))
_declare("confide.disclosure.accounting_viewed", R, client=True, detail=("count", "format"))
_declare("confide.access_request.recorded", C, client=True, objects=("access_request",), detail=("due_on",))
_declare("confide.access_request.extended", C, client=True, objects=("access_request",), detail=("due_on",))
_declare("confide.access_request.fulfilled", C, client=True, objects=("access_request",), detail=("disclosure_id",))
_AMEND = ("amendment_request",)
_declare("confide.amendment.listed", R, client=True, detail=("count",))
_declare("confide.amendment.requested", C, client=True, objects=_AMEND, detail=("progress_note_id", "due_on"))
_declare("confide.amendment.extended", C, client=True, objects=_AMEND, detail=("due_on",))
_declare("confide.amendment.accepted", C, client=True, objects=_AMEND, detail=("progress_note_id",))
_declare("confide.amendment.denied", C, client=True, objects=_AMEND, detail=("progress_note_id", "basis"))
_declare("confide.amendment.disagreement_added", C, client=True, objects=_AMEND)
_declare("confide.amendment.rebuttal_added", C, client=True, objects=_AMEND)

# --- Psychotherapy notes (the vault) ------------------------------------------------------------------------------
# Every identifier and detail of these is hidden from everyone but the clinician who acted (see About.PRIVATE).
_declare("confide.psychotherapy_note.listed", R, PRIVATE, objects=NOTE, detail=("count",))
_declare("confide.psychotherapy_note.read", R, PRIVATE, client=True, objects=NOTE, detail=("as", "reason"))
_declare(
    "confide.psychotherapy_note.released", E, PRIVATE, client=True, objects=NOTE, detail=("disclosure_id", "basis")
)
_declare("confide.psychotherapy_note.integrity_failed", R, PRIVATE, client=True, objects=NOTE, detail=("part",))
_declare(
    "confide.psychotherapy_note.written",
    C,
    PRIVATE,
    client=True,
    objects=NOTE,
    detail=("session_id", "version", "warnings"),
)
_declare("confide.psychotherapy_note.write_denied", X, PRIVATE, client=True, objects=("session",), detail=("reason",))
_declare("confide.psychotherapy_note.grant", X, PRIVATE, client=True, objects=NOTE, detail=("reason",))  # refused
_declare("confide.psychotherapy_note.revoke", X, PRIVATE, client=True, objects=NOTE, detail=("reason",))  # refused
_declare("confide.psychotherapy_note.granted", C, PRIVATE, client=True, objects=NOTE, detail=("grantee_id", "purpose"))
_declare("confide.psychotherapy_note.revoked", C, PRIVATE, client=True, objects=NOTE, detail=("grantee_id",))
_declare(
    "confide.psychotherapy_note.shredded",
    C,
    PRIVATE,
    client=True,
    objects=NOTE,
    detail=("reason", "author_id", "session_date", "created_on"),
)

# --- The audit log itself -----------------------------------------------------------------------------------------
_declare("confide.access_report.generated", R, PRACTICE, client=True, detail=("entries",))
_declare("confide.audit.searched", R, PRACTICE, detail=("client_id", "since", "action", "entries"))
_declare("confide.audit.anchored", C, PRACTICE, detail=("anchor_seq", "path", "reset"))
