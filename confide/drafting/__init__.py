"""Confide's drafting engine: session transcript or jotted points in, a grounded progress-note draft out.

A plain Python library (no Django): `draft(text, transcript_format, note_format)` returns a `Draft` whose
`to_dict()` is the API's drafting shape.
"""

from confide.drafting.engine import draft
from confide.drafting.grounding import unsupported_reason
from confide.drafting.model import (
    ENGINE_NAME,
    ENGINE_VERSION,
    NOT_DOCUMENTED,
    Draft,
    Dropped,
    Fact,
    ParseError,
    RiskFlag,
    Sentence,
    Utterance,
)
from confide.drafting.privacy import excluded_items
from confide.drafting.transcript import parse

__all__ = [
    "ENGINE_NAME",
    "ENGINE_VERSION",
    "NOT_DOCUMENTED",
    "Draft",
    "Dropped",
    "Fact",
    "ParseError",
    "RiskFlag",
    "Sentence",
    "Utterance",
    "draft",
    "excluded_items",
    "parse",
    "unsupported_reason",
]
