"""The engine's data types: utterances in, facts in the middle, grounded sentences out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["clinician", "client", "other"]
# "equivocal": an answer such as "I don't know" to a screening question; never read as a denial.
Polarity = Literal["endorsed", "denied", "past", "hypothetical", "other", "figurative", "equivocal"]
# Polarities that say nothing about the client's own risk: a draft lists them as context, not as risk flags.
CONTEXT_POLARITIES: frozenset[str] = frozenset({"other", "figurative"})
RiskType = Literal["suicidal_ideation", "homicidal_ideation", "self_harm"]

ENGINE_NAME = "confide-rules"
ENGINE_VERSION = "0.1.0"
NOT_DOCUMENTED = "Not documented in this session."


class ParseError(ValueError):
    """A transcript that cannot be read; the message names the 1-based line where reading failed."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True, slots=True)
class Utterance:
    id: str
    speaker: str
    role: Role
    text: str
    start: float | None = None
    end: float | None = None
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "speaker": self.speaker, "role": self.role}
        if self.start is not None:
            out["start"] = self.start
        if self.end is not None:
            out["end"] = self.end
        out["text"] = self.text
        return out


@dataclass(frozen=True, slots=True)
class Fact:
    """One clinical fact with the utterances it rests on.

    `kind` is one of the `draws_on` words in confide/notes/formats.toml; `text` is the sentence the note will carry.
    `private` marks conversation detail meant for the psychotherapy-note draft only.
    """

    kind: str
    text: str
    evidence: tuple[str, ...]
    private: bool = False
    # What the fact proposes for the note's structured fields, as (field, value) pairs: ("intervention", "DBT
    # skills"), ("measure", "PHQ-9"), ("score", "17"), ("mental_status", "affect"), ("finding", "tearful").
    data: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class RiskFlag:
    type: RiskType
    polarity: Polarity
    evidence: tuple[str, ...]
    passive: bool = False
    plan: bool | None = None
    intent: bool | None = None
    means: tuple[str, ...] = ()
    protective_factors: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "polarity": self.polarity,
            "passive": self.passive,
            "plan": self.plan,
            "intent": self.intent,
            "means": list(self.means),
            "protective_factors": list(self.protective_factors),
            "evidence": list(self.evidence),
        }


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    evidence: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "evidence": list(self.evidence)}


@dataclass(frozen=True, slots=True)
class Dropped:
    """A sentence that failed the grounding check, kept so the caller can report it."""

    text: str
    evidence: tuple[str, ...]
    reason: str
    destination: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "evidence": list(self.evidence),
            "reason": self.reason,
            "destination": self.destination,
        }


@dataclass(slots=True)
class Draft:
    note_format: str
    sections: dict[str, list[Sentence]]
    private_draft: list[Sentence]
    risk_flags: list[RiskFlag]
    utterances: list[Utterance]
    dropped: list[Dropped] = field(default_factory=list)
    # Risk words that are not the client's risk (a figure of speech, someone else's ideation): shown to the
    # clinician beside the risk flags, never counted as one.
    risk_context: list[RiskFlag] = field(default_factory=list)
    engine: str = ENGINE_NAME
    engine_version: str = ENGINE_VERSION
    section_titles: dict[str, str] = field(default_factory=dict)
    # Proposed structured fields (risk levels, interventions, measure scores, mental status), never applied
    # without the clinician's confirmation; see confide.drafting.proposed.
    proposed: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The API's drafting shape (docs/api.md), plus engine fields and the dropped-sentence report."""
        return {
            "progress_note": {
                "format": self.note_format,
                "sections": {
                    name: [s.to_dict() for s in sentences] or [{"text": NOT_DOCUMENTED, "evidence": []}]
                    for name, sentences in self.sections.items()
                },
            },
            "private_draft": [s.to_dict() for s in self.private_draft],
            "risk_flags": [f.to_dict() for f in self.risk_flags],
            "risk_context": [f.to_dict() for f in self.risk_context],
            "utterances": [u.to_dict() for u in self.utterances],
            "engine": self.engine,
            "engine_version": self.engine_version,
            "dropped": [d.to_dict() for d in self.dropped],
            "proposed": self.proposed,
        }
