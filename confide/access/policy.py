"""Who may do what: the one table from each verb to the roles and relations that allow it.

Everything else in `confide.access` is derived from this table: `can` and `require` read it for one object, `scope`
turns it into the queryset a list starts from, and the chart check's fast SQL (`confide.access.relations`) is built
from the relations it names. Change access here and only here; `tests/permissions/` walk it for every URL and role.

A verb is granted to a role either on every object of its kind (`ANYONE`: the front desk schedules for any client)
or through a relation between the actor and the object (`AUTHOR`: the clinician who wrote the note). Break-the-glass
is a relation too, and it appears only in `read` verbs: emergency access never writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from confide.people.models import Role


class Rel(StrEnum):
    """How an actor stands to an object."""

    ANYONE = "anyone"  # by role alone, whatever the object
    SELF = "self"  # the actor's own account or own private notes list
    AUTHOR = "author"  # wrote the note, or is the session's clinician
    CLINICIAN_OF_RECORD = "clinician_of_record"  # the client's primary clinician
    CARE_TEAM = "care_team"  # on the client's care team
    SUPERVISOR = "supervisor"  # supervises the clinician of record or a care-team member
    SUPERVISOR_OF_AUTHOR = "supervisor_of_author"  # supervises the note's author (co-signature)
    GRANTEE = "grantee"  # holds a supervised-training grant to a psychotherapy note
    BREAK_GLASS = "break_glass"  # a live, reasoned, time-limited emergency opening of the chart (read only)


class Kind(StrEnum):
    READ = "read"  # shows something; audited as a read when it concerns a client
    CHANGE = "change"  # changes something; the service audits the change itself


# The relations that put a client's chart in a clinician's reach, and the stronger ones that let them change it.
CHART = frozenset({Rel.CLINICIAN_OF_RECORD, Rel.CARE_TEAM, Rel.SUPERVISOR, Rel.BREAK_GLASS})
TREATING = frozenset({Rel.CLINICIAN_OF_RECORD, Rel.CARE_TEAM, Rel.SUPERVISOR})
OWN = frozenset({Rel.CLINICIAN_OF_RECORD, Rel.CARE_TEAM})
EVERY = frozenset({Rel.ANYONE})
ME = frozenset({Rel.SELF})
NOBODY: frozenset[Rel] = frozenset()


@dataclass(frozen=True)
class Rule:
    kind: Kind
    roles: Mapping[str, frozenset[Rel]]
    # The audit action code a read writes (registered in confide/audit/actions.py); None for changes and for reads
    # that concern no client (a list of one's own things).
    audit: str | None = None
    summary: str = ""
    # Refusals say 404, never 403: whoever may not do this may not learn that the thing exists (psychotherapy notes).
    hidden: bool = False

    def relations_for(self, role: str) -> frozenset[Rel]:
        return self.roles.get(role, NOBODY)


def _read(roles: Mapping[str, frozenset[Rel]], audit: str | None, summary: str) -> Rule:
    return Rule(Kind.READ, roles, audit, summary)


def _private(kind: Kind, roles: Mapping[str, frozenset[Rel]], summary: str) -> Rule:
    return Rule(kind, roles, None, summary, hidden=True)


def _change(roles: Mapping[str, frozenset[Rel]], summary: str) -> Rule:
    bad = [role for role, rels in roles.items() if Rel.BREAK_GLASS in rels]
    assert not bad, f"break-the-glass is read only, yet a change grants it to {bad}"
    return Rule(Kind.CHANGE, roles, None, summary)


C, B, F, A = Role.CLINICIAN, Role.BILLER, Role.FRONT_DESK, Role.ADMIN
ALL_ROLES = (C, B, F, A)
EVERYONE_SELF: Mapping[str, frozenset[Rel]] = {C: ME, B: ME, F: ME, A: ME}

POLICY: dict[str, Rule] = {
    # Signing in and out, one's own password and tokens: any signed-in user, for themselves.
    "account.self": _change(EVERYONE_SELF, "sign out, change one's own password, end one's own token"),
    "home.view": _read({C: ME, B: ME, F: ME, A: ME}, None, "the home page for one's role"),
    "day.view": _read({C: ME}, None, "a clinician's day: their sessions and what is due"),
    # Clients: demographics for every office role, the chart's clinical parts for the treating clinicians.
    "client.list": _read({C: CHART, B: EVERY, F: EVERY, A: EVERY}, None, "list the clients one may see"),
    "client.register": _change({C: EVERY, F: EVERY, A: EVERY}, "register a new client"),
    "client.update": _change(
        {C: frozenset({Rel.CLINICIAN_OF_RECORD}), F: EVERY}, "edit demographics, the summary schedule, discharge"
    ),
    "client.read": _read({C: CHART, B: EVERY, F: EVERY, A: EVERY}, "confide.client.viewed", "a client's demographics"),
    "chart.open": _read({C: CHART, B: EVERY, F: EVERY}, "confide.client.viewed", "open a client's chart"),
    "break_glass.open": _change({C: EVERY}, "open a chart outside one's caseload, with a reason, read only"),
    "care_team.add": _change({C: OWN, A: EVERY}, "add a clinician to a client's care team"),
    "contact.add": _change({C: TREATING, F: EVERY, A: EVERY}, "add an outside contact"),
    "consent.record": _change({C: TREATING, F: EVERY, A: EVERY}, "record or revoke a consent"),
    # Sessions: the schedule is the front desk's; the clinical side the treating clinicians'.
    "schedule.view": _read({B: EVERY, F: EVERY}, None, "the practice's schedule for a day"),
    "session.list": _read({C: CHART, B: EVERY, F: EVERY}, "confide.session.listed", "a client's sessions"),
    "session.read": _read({C: CHART, B: EVERY, F: EVERY}, "confide.session.viewed", "one session"),
    "session.schedule": _change({C: TREATING, F: EVERY}, "schedule a session"),
    "session.attendance": _change({C: TREATING, F: EVERY}, "record attendance, move or cancel a session"),
    # The calendar page: a clinician sees their own sessions and their supervisees' (confide/sessions/calendar.py
    # narrows it), the front desk everyone's. Billers keep the day's schedule page (schedule.view), not the calendar.
    "calendar.view": _read({C: ME, F: EVERY}, None, "the calendar of sessions by day, week or month"),
    # Billing: codes and dates, never narrative.
    "billing.view": _read({B: EVERY}, "confide.billing.listed", "sessions ready to bill, with codes"),
    # Progress notes, the official record.
    "note.list": _read({C: CHART}, "confide.progress_note.listed", "a client's progress notes"),
    "note.read": _read(
        {C: CHART | {Rel.AUTHOR, Rel.SUPERVISOR_OF_AUTHOR}}, "confide.progress_note.read", "one progress note"
    ),
    "note.write": _change({C: frozenset({Rel.AUTHOR})}, "start or edit a draft progress note"),
    "note.draft": _change({C: frozenset({Rel.AUTHOR})}, "draft a note from a session transcript"),
    "note.sign": _change({C: frozenset({Rel.AUTHOR})}, "sign one's own progress note"),
    "note.cosign": _change({C: frozenset({Rel.SUPERVISOR_OF_AUTHOR})}, "co-sign or return a supervisee's note"),
    "note.addend": _change({C: TREATING | {Rel.AUTHOR}}, "add an addendum to a signed note"),
    # Treatment plans and diagnoses.
    "plan.read": _read({C: CHART}, "confide.treatment_plan.read", "the treatment plan"),
    "plan.revise": _change({C: TREATING}, "write a new version of the treatment plan"),
    "diagnosis.list": _read({C: CHART, B: EVERY}, "confide.diagnosis.listed", "a client's diagnoses (codes)"),
    "diagnosis.add": _change({C: TREATING}, "add a diagnosis"),
    # Measures (scores are clinical; billers see only that one was given).
    "measure.read": _read({C: CHART}, "confide.measure.read", "a client's measures: answers, scores, change"),
    "measure.list": _read(
        {C: CHART, B: EVERY}, "confide.measure.listed", "which measures a client was given, and when (96127)"
    ),
    "summary.read": _read({C: CHART}, "confide.summary.read", "a client's periodic progress summaries"),
    "summary.write": _change({C: TREATING}, "draft a periodic progress summary"),
    "summary.edit": _change({C: frozenset({Rel.AUTHOR})}, "edit one's own draft summary"),
    "summary.sign": _change({C: frozenset({Rel.AUTHOR})}, "sign one's own summary"),
    "summary.cosign": _change({C: frozenset({Rel.SUPERVISOR_OF_AUTHOR})}, "co-sign a supervisee's summary"),
    "summary.addend": _change({C: TREATING | {Rel.AUTHOR}}, "add an addendum to a signed summary"),
    "summary.due": _read({C: ME}, None, "the summaries due for one's caseload"),
    "measure.record": _change({C: TREATING}, "record a client's answers to a measure"),
    "measure.request": _change({C: TREATING, F: EVERY}, "make a one-time link for the client to answer a measure"),
    # The vault: psychotherapy notes are the author's alone (and a grantee's, for supervised training).
    "vault.note.list": _read({C: ME, B: ME, F: ME, A: ME}, None, "one's own psychotherapy notes"),
    "vault.note.write": _private(
        Kind.CHANGE, {C: frozenset({Rel.AUTHOR})}, "write a psychotherapy note for one's own session"
    ),
    "vault.note.read": _private(Kind.READ, {C: frozenset({Rel.AUTHOR, Rel.GRANTEE})}, "read a psychotherapy note"),
    "vault.grant": _private(Kind.CHANGE, {C: frozenset({Rel.AUTHOR})}, "grant or revoke a supervised-training reader"),
    "vault.session": _change({C: ME}, "unlock or lock one's own vault"),
    # Running the practice: users and settings, no clinical content.
    "user.manage": _change({A: EVERY}, "create, change, deactivate users; reset passwords"),
    "user.list": _read({A: EVERY}, None, "the practice's users"),
    "practice.settings": _read({A: EVERY}, None, "the practice's settings"),
    "audit.read": _read(
        {C: ME, A: EVERY}, "confide.audit.searched", "the audit log: all without clinical detail, or one's own"
    ),
    "break_glass.report": _read({A: EVERY}, None, "every break-the-glass opening"),
    "access_report.read": _read({C: TREATING, A: EVERY}, None, "who read a client's official record"),
    # Release of information (confide/disclosures). Billers release for payment only (codes and dates: the rules in
    # confide/disclosures/rules.py hold them to it); a package is fetched by whoever prepared it or the treating team.
    "authorization.list": _read({C: TREATING, F: EVERY}, "confide.authorization.listed", "a client's authorizations"),
    "authorization.record": _change(
        {C: TREATING, F: EVERY}, "record an authorization, attach its signed form, revoke it, print a form to sign"
    ),
    "authorization.document.read": _read(
        {C: TREATING, F: EVERY}, "confide.authorization.document_viewed", "the scanned signed authorization"
    ),
    "disclosure.prepare": _change({C: TREATING, B: EVERY}, "release records: preview and build a package"),
    "disclosure.list": _read({C: TREATING, B: EVERY, F: EVERY}, "confide.disclosure.listed", "a chart's disclosures"),
    "disclosure.package.read": _read(
        {C: TREATING | ME, B: ME}, "confide.disclosure.package_fetched", "a released package (PDF or FHIR)"
    ),
    "disclosure.accounting": _read(
        {C: TREATING, F: EVERY}, "confide.disclosure.accounting_viewed", "the accounting of disclosures (164.528)"
    ),
    "record.export": _read({C: TREATING}, "confide.record.exported", "the client's own copy of the record (164.524)"),
    "access_request.record": _change({C: TREATING, F: EVERY}, "log a records request, extend or fulfill it"),
    # Amendments (164.526): logged by the office or the team, decided by the note's author or the clinician of record.
    "amendment.list": _read({C: CHART, F: EVERY}, "confide.amendment.listed", "a chart's amendment requests"),
    "amendment.request": _change({C: TREATING, F: EVERY}, "log a request to amend a note, or the client's statement"),
    "amendment.decide": _change(
        {C: frozenset({Rel.AUTHOR, Rel.CLINICIAN_OF_RECORD})}, "extend, accept or deny an amendment; rebut"
    ),
}

# Pages anyone may reach before signing in. Declared like a verb so that a URL without any declaration stands out.
PUBLIC = "public"


def rule(verb: str) -> Rule:
    try:
        return POLICY[verb]
    except KeyError:
        raise LookupError(f"{verb!r} is not a verb of confide.access.policy") from None
