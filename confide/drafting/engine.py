"""The public entry point: transcript text in, a grounded Draft out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from confide.drafting.compose import compose
from confide.drafting.facts import extract_facts
from confide.drafting.formats import get_format
from confide.drafting.general import VISIT, draft_visit
from confide.drafting.model import Draft, Role
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
    speaker_roles: Mapping[str, Role] | None = None,
    llm: LLMConfig | None = None,
) -> Draft:
    """Draft a progress note and a private draft from a session transcript or jotted points.

    Raises ParseError (with the line number) for a malformed transcript and ValueError for an unknown format.
    With `llm`, facts come from an OpenAI-compatible chat endpoint and pass the same grounding check; risk always
    comes from the rule engine.
    """
    visit = note_format.upper() == VISIT
    fmt = None if visit else get_format(note_format)
    utterances = parse(transcript_text, transcript_format, clinician_name=clinician_name, speaker_roles=speaker_roles)
    if fmt is None:
        return draft_visit(utterances)
    points = transcript_format == "points" or (
        transcript_format == "auto" and detect_format(transcript_text) == "points"
    )
    flags, risk_facts = extract_risk(utterances, points=points)
    if llm is None:
        facts = extract_facts(utterances, points=points)
        return compose(risk_facts + facts, flags, utterances, fmt)
    from confide.drafting.llm import llm_facts  # imported lazily: the default engine never touches the network

    facts, rejected = llm_facts(utterances, llm)
    result = compose(risk_facts + facts, flags, utterances, fmt, rejected=rejected)
    result.engine = "confide-llm"
    result.engine_version = f"{result.engine_version}+{llm.model}"
    return result
