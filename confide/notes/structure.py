"""The note editor's vocabulary and "start from my last note": plain functions the editor views and tests call.

- Interventions are offered from the drafting engine's own vocabulary (`confide.drafting.lexicon.INTERVENTIONS`), so
  a drafted note and a hand-written one name an intervention the same way (the concept's `topic`).
- Mental status is recorded per domain as "within normal limits" (`WNL_TEXT`) or as the exception observed; an
  untouched domain is not assessed, never prefilled.
- Starting from the last note copies the structure of the author's own previous progress note for the same client
  (format, the headings inside each section, interventions, objectives still on the plan, mental status), never its
  narrative, signature, dates, content hash or risk assessment: risk is assessed afresh each session. Psychotherapy
  notes live in the vault's own database (`confide/vault`) and are never a source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from confide.access import require
from confide.drafting.lexicon import INTERVENTIONS
from confide.lib.errors import Conflict, RuleViolation
from confide.notes import services as notes
from confide.notes.formats import get_format
from confide.notes.models import MENTAL_STATUS_DOMAINS, NoteStatus, ProgressNote
from confide.people.models import User
from confide.sessions.models import TherapySession

WNL_TEXT = "Within normal limits"


@dataclass(frozen=True)
class Intervention:
    value: str  # what the note stores: the drafting engine's topic ("cognitive restructuring")
    label: str  # what the checklist shows ("CBT cognitive restructuring")
    terms: str  # what the filter matches, lower case: label, topic and key ("cbt cognitive restructuring ...")


@cache
def intervention_vocabulary() -> tuple[Intervention, ...]:
    """The interventions the checklist offers, from the drafting lexicon, in its order."""
    found: list[Intervention] = []
    for concept in INTERVENTIONS:
        label = concept.label[:1].upper() + concept.label[1:]
        terms = " ".join(dict.fromkeys([concept.label.lower(), concept.topic.lower(), concept.key.replace("_", " ")]))
        found.append(Intervention(concept.topic, label, terms))
    return tuple(found)


def _vocabulary_key(text: str) -> str:
    # Notes written before the product's American spelling say "behavioural": the same entry as "behavioral".
    return " ".join(text.lower().split()).replace("behaviour", "behavior")


def known_intervention(text: str) -> Intervention | None:
    """The vocabulary entry a stored intervention is (by topic or label, any case), or None for free text."""
    key = _vocabulary_key(text)
    for entry in intervention_vocabulary():
        if key in (_vocabulary_key(entry.value), _vocabulary_key(entry.label)):
            return entry
    return None


def merge_interventions(chosen: list[str], typed: list[str], limit: int = 50) -> list[str]:
    """Checked vocabulary entries in the vocabulary's order, then typed lines, each once whatever its case, each
    kept as written.

    A checked box sends the text the note already holds for it ("Safety planning" typed last week stays so) or
    the vocabulary's own word; a posted value that is not in the vocabulary is ignored, as a forged box.
    """
    order = {entry.value: index for index, entry in enumerate(intervention_vocabulary())}
    boxes = [(entry, item.strip()) for item in chosen if (entry := known_intervention(item))]
    merged: dict[str, str] = {}
    for entry, item in sorted(boxes, key=lambda pair: order[pair[0].value]):
        merged.setdefault(_vocabulary_key(entry.value), item)
    for item in typed:
        entry = known_intervention(item)
        merged.setdefault(_vocabulary_key(entry.value if entry else item), item)
    return list(merged.values())[:limit]


def split_interventions(interventions: list[str]) -> tuple[dict[str, str], list[str]]:
    """A note's interventions as the editor shows them: {vocabulary value: the text stored for it} to check, and
    the rest as typed lines."""
    checked: dict[str, str] = {}
    other: list[str] = []
    for item in interventions:
        entry = known_intervention(item)
        if entry:
            checked.setdefault(entry.value, item)
        else:
            other.append(item)
    return checked, other


def is_wnl(text: str) -> bool:
    return _vocabulary_key(text) == _vocabulary_key(WNL_TEXT)


def mental_status_entry(text: str, wnl_ticked: bool) -> str:
    """One domain as recorded: the exception typed wins (nothing typed is dropped); else WNL if ticked; else blank."""
    if text.strip():
        return text
    return WNL_TEXT if wnl_ticked else ""


# --- Start from my last note -----------------------------------------------------------------------------------------

# A heading inside a section: a short line of its own ending in a colon ("Homework:", "Subjective (from DAP):").
_HEADING = re.compile(r"^[^\n:]{1,80}:$")


def section_headings(text: str) -> str:
    """The headings a section's text is organized under, each followed by an empty line to write in; no narrative."""
    headings = [line.strip() for line in text.splitlines() if _HEADING.match(line.strip())]
    return "".join(f"{heading}\n\n" for heading in dict.fromkeys(headings))


def last_note(actor: User, session: TherapySession) -> ProgressNote | None:
    """The actor's own most recent progress note for this session's client from an earlier session, or None."""
    return (
        ProgressNote.objects.by_author(actor)
        .filter(client_id=session.client_id, session__starts_at__lt=session.starts_at)
        .exclude(session_id=session.pk)
        .select_related("session")
        .order_by("-session__starts_at", "-created_at")
        .first()
    )


def structure_of(note: ProgressNote, current_objective_ids: set[int]) -> dict[str, Any]:
    """What a new note copies from `note`, as `start_note` takes it: never risk, signature, dates or hash."""
    note_format = get_format(note.format)
    return {
        "format": note_format.code,
        "sections": {s.name: section_headings(note.sections.get(s.name, "")) for s in note_format.sections},
        "mental_status": {d: v for d, v in note.mental_status.items() if d in MENTAL_STATUS_DOMAINS and v.strip()},
        "interventions": list(note.interventions),
        "objective_ids": sorted(o.pk for o in note.objectives.all() if o.pk in current_objective_ids),
    }


def start_from_last(
    *, actor: User, session: TherapySession, current_objective_ids: set[int], ip: str = ""
) -> tuple[ProgressNote, ProgressNote]:
    """A new draft for `session` with the structure of the actor's last note for the client: (new, source).

    Audited twice over: the source is read (`note.read`, confide.progress_note.read naming it) and the new draft is
    created (confide.progress_note.created); neither entry carries note text.
    """
    require(actor, "note.write", session, ip=ip)
    if ProgressNote.objects.by_author(actor).filter(session=session, status=NoteStatus.DRAFT).exists():
        raise Conflict("you already have a draft for this session: open it instead", "draft_exists")
    source = last_note(actor, session)
    if source is None:
        raise RuleViolation("you have no earlier progress note for this client to start from", "no_earlier_note")
    require(actor, "note.read", source, ip=ip)
    new = notes.start_note(actor=actor, session=session, **structure_of(source, current_objective_ids))
    return new, source
