"""Notes made through the services, for tests that start from an existing note."""

from __future__ import annotations

from typing import Any

from confide.notes import services as notes
from confide.notes.models import ProgressNote
from confide.people.models import User

COMPLETE_SOAP = {
    "subjective": "Reports better sleep this week.",
    "objective": "Calm, engaged, affect brighter.",
    "assessment": "Improving; risk low.",
    "plan": "Continue weekly sessions.",
}
NO_RISK = {"suicidal_ideation": {"level": "none"}, "protective_factors": "Family support."}


def signed_note(session: Any, author: User) -> ProgressNote:
    note = notes.start_note(actor=author, session=session, format="SOAP", sections=COMPLETE_SOAP, risk=NO_RISK)
    return notes.sign_note(actor=author, note=note)


def draft_note(session: Any, author: User) -> ProgressNote:
    return notes.start_note(actor=author, session=session, format="SOAP", sections=COMPLETE_SOAP, risk=NO_RISK)
