"""Facts to a draft: route each fact to its section, keep only grounded sentences, split off the private draft."""

from __future__ import annotations

from confide.drafting.formats import NoteFormat
from confide.drafting.grounding import unsupported_reason
from confide.drafting.model import CONTEXT_POLARITIES, Draft, Dropped, Fact, RiskFlag, Sentence, Utterance
from confide.drafting.privacy import excluded_items, strip_excluded
from confide.drafting.proposed import propose

# Within a section, sentences follow clinical reading order: what was reported, then risk, then what was done.
_KIND_ORDER = (
    "focus",
    "goal",
    "attendance",
    "observation",
    "measure",
    "symptom",
    "functioning",
    "risk_report",
    "substance",
    "medication",
    "life_event",
    "report",
    "risk",
    "intervention",
    "response",
    "progress",
    "homework",
    "plan",
    "referral",
    "next_session",
)


def _position(utterances: list[Utterance]) -> dict[str, int]:
    return {u.id: i for i, u in enumerate(utterances)}


def compose(
    facts: list[Fact],
    flags: list[RiskFlag],
    utterances: list[Utterance],
    note_format: NoteFormat,
    *,
    rejected: list[Dropped] | None = None,
) -> Draft:
    by_id = {u.id: u for u in utterances}
    where = _position(utterances)
    dropped: list[Dropped] = list(rejected or [])
    sections: dict[str, list[tuple[tuple[int, int], Sentence]]] = {s.name: [] for s in note_format.sections}
    private: list[tuple[int, Sentence]] = []
    seen: set[str] = set()
    kept: list[Fact] = []
    for fact in facts:
        if fact.text in seen:
            continue
        seen.add(fact.text)
        evidence = tuple(dict.fromkeys(fact.evidence))
        destination = "private_draft" if fact.private else fact.kind
        reason = unsupported_reason(fact.text, evidence, by_id)
        if reason is not None:
            dropped.append(Dropped(fact.text, evidence, reason, destination))
            continue
        first = min((where[e] for e in evidence), default=0)
        if fact.private:
            reflection = ("author", "clinician") in fact.data
            excluded = excluded_items(fact.text, clinician_reflection=reflection)
            trimmed = strip_excluded(fact.text, clinician_reflection=True) if excluded and reflection else ""
            if trimmed:
                # "Noticed I was rushing pt thru diary review bc I was behind from 2pm": the reflection is kept, the
                # time it names is not.
                text = trimmed.rstrip(" ,;:-\u2014\u2013") + "."
                dropped.append(Dropped(fact.text, evidence, "164.501 items cut: " + ", ".join(excluded), destination))
                private.append((first, Sentence(text, evidence)))
                continue
            if excluded:
                dropped.append(
                    Dropped(
                        fact.text,
                        evidence,
                        "45 CFR 164.501 excludes from psychotherapy notes: " + ", ".join(excluded),
                        destination,
                    )
                )
                continue
            private.append((first, Sentence(fact.text, evidence)))
            continue
        section = note_format.section_for(fact.kind)
        if section is None:
            continue
        kept.append(fact)
        order = _KIND_ORDER.index(fact.kind) if fact.kind in _KIND_ORDER else len(_KIND_ORDER)
        sections[section.name].append(((order, first), Sentence(fact.text, evidence)))
    return Draft(
        note_format=note_format.name,
        sections={name: [s for _, s in sorted(items, key=lambda x: x[0])] for name, items in sections.items()},
        private_draft=[s for _, s in sorted(private, key=lambda x: x[0])],
        risk_flags=[f for f in flags if f.polarity not in CONTEXT_POLARITIES],
        risk_context=[f for f in flags if f.polarity in CONTEXT_POLARITIES],
        utterances=utterances,
        dropped=dropped,
        section_titles={s.name: s.title for s in note_format.sections},
        proposed=propose(kept, flags),
    )
