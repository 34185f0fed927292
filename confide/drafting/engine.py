"""The public entry point: transcript text in, a grounded Draft out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from confide.drafting.compose import compose
from confide.drafting.facts import extract_facts
from confide.drafting.formats import get_format
from confide.drafting.general import VISIT, draft_visit
from confide.drafting.group import focal_view, with_co_facilitators
from confide.drafting.limits import Clocked, Limits
from confide.drafting.model import Draft, Role, Utterance
from confide.drafting.risk import extract_risk
from confide.drafting.transcript import TranscriptFormat, detect_format, parse

if TYPE_CHECKING:
    from confide.drafting.llm import LLMConfig


def draft(
    transcript_text: str,
    transcript_format: TranscriptFormat = "auto",
    note_format: str = "SOAP",
    *,
    clinician_name: str | None = None,
    client_name: str | None = None,
    speaker_roles: Mapping[str, Role] | None = None,
    llm: LLMConfig | None = None,
    limits: Limits | None = None,
) -> Draft:
    """Draft a progress note and a private draft from a session transcript or jotted points.

    Raises ParseError (with the line number) for a malformed transcript and ValueError for an unknown format.
    With `llm`, facts come from an OpenAI-compatible chat endpoint and pass the same grounding check; risk always
    comes from the rule engine. `limits` bounds the words of speech (TranscriptTooLong, before any costly step) and
    the time (DraftTimedOut, checked between utterances in every step). In a group session the note is the focal
    member's (`client_name`, else the member who spoke most; confide.drafting.group); every turn stays in the
    draft's utterances.
    """
    limits = limits or Limits()
    deadline = limits.deadline()
    visit = note_format.upper() == VISIT
    fmt = None if visit else get_format(note_format)
    parsed = parse(
        transcript_text,
        transcript_format,
        clinician_name=clinician_name,
        speaker_roles=speaker_roles,
        max_words=limits.max_words,
    )
    deadline.check()
    if fmt is None:
        return _unclocked(draft_visit(Clocked(parsed, deadline)), parsed)
    if speaker_roles is None:
        parsed = with_co_facilitators(parsed, transcript_text)
    utterances = Clocked(focal_view(parsed, client_name), deadline)
    points = transcript_format == "points" or (
        transcript_format == "auto" and detect_format(transcript_text) == "points"
    )
    flags, risk_facts = extract_risk(utterances, points=points)
    if llm is None:
        facts = extract_facts(utterances, points=points, risk_ids={e for f in flags for e in f.evidence})
        deadline.check()
        return _unclocked(compose(risk_facts + facts, flags, utterances, fmt), parsed)
    from confide.drafting.llm import llm_facts  # imported lazily: the default engine never touches the network

    facts, rejected = llm_facts(utterances, llm)
    result = compose(risk_facts + facts, flags, utterances, fmt, rejected=rejected)
    result.engine = "confide-llm"
    result.engine_version = f"{result.engine_version}+{llm.model}"
    return _unclocked(result, parsed)


def _unclocked(result: Draft, utterances: list[Utterance]) -> Draft:
    """The finished draft keeps the plain list of every turn: reading it out later is not part of the timed work."""
    result.utterances = utterances
    return result
