"""Routing between the progress note and the private draft, and the 45 CFR 164.501 boundary filter.

164.501 excludes from psychotherapy notes: medication prescription and monitoring, session start and stop times,
modalities and frequencies of treatment, results of clinical tests, and any summary of diagnosis, functional
status, treatment plan, symptoms, prognosis and progress. Those belong in the progress note, so the private draft
keeps only clauses that carry none of them; the rest is dropped from the private draft and reported.
"""

from __future__ import annotations

import re

from confide.drafting.lexicon import MEASURE, MEDICATION, SYMPTOMS

_EXCLUDED: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("medication", MEDICATION),
    (
        "medication",
        re.compile(
            r"\b(?:meds?|medications?|prescri\w*|dos(?:e|es|age)|\d+\s?mg|pills?|refills?|"
            r"pharmac\w*|antidepressants?)\b",
            re.I,
        ),
    ),
    (
        "session time",
        re.compile(
            r"\b(?:\d{1,2}:\d{2}|\d{1,2}\s?(?:am|pm)|session (?:started|ended|began|start|end)|"
            r"\d+[- ]minutes?)\b",
            re.I,
        ),
    ),
    (
        "modality or frequency",
        re.compile(
            r"\b(?:(?-i:CBT|DBT|EMDR|ACT|CPT)|prolonged exposure|psychotherapy|therapy|"
            r"counsel+ing|weekly|biweekly|twice a week|every (?:other )?week|"
            r"modalit\w*|frequency)\b",
            re.I,
        ),
    ),
    ("test result", MEASURE),
    (
        "test result",
        re.compile(
            r"\b(?:PHQ|GAD|PCL|score[sd]?|screen(?:ing|ed)?|assessment results?|labs?|"
            r"test results?)\b",
            re.I,
        ),
    ),
    (
        "diagnosis",
        re.compile(
            r"\b(?:diagnos\w*|disorder|(?-i:PTSD|MDD|GAD|OCD|ADHD)|bipolar|schizo\w*|F\d\d(?:\.\d+)?|"
            r"major depressi\w*|depression|anxiety disorder)\b",
            re.I,
        ),
    ),
    (
        "functional status",
        re.compile(
            r"\b(?:function\w*|(?:missed|missing) (?:work|school|class)|can'?t get out of "
            r"bed|hygiene|unable to (?:work|go)|disabilit\w*)\b",
            re.I,
        ),
    ),
    (
        "treatment plan",
        re.compile(
            r"\b(?:treatment plan|plan|homework|next (?:session|week|appointment)|"
            r"refer\w*|goals?|objectives?|follow[- ]?up)\b",
            re.I,
        ),
    ),
    (
        "prognosis or progress",
        re.compile(
            r"\b(?:prognosis|progress\w*|improv\w*|better|worse|worsen\w*|"
            r"relaps\w*|remission)\b",
            re.I,
        ),
    ),
)


# In the clinician's own reflection ("felt irritated when she laughed at the plan"), words that would mark a client's
# symptom, plan or progress describe the clinician; only the record's hard items still bar it from the private note.
_HARD = ("medication", "session time", "test result", "diagnosis")


def excluded_items(text: str, *, clinician_reflection: bool = False) -> list[str]:
    """The 164.501 categories a piece of text carries; empty means it may sit in a psychotherapy note."""
    found: list[str] = []
    for category, pattern in _EXCLUDED:
        if clinician_reflection and category not in _HARD:
            continue
        if category not in found and pattern.search(text):
            found.append(category)
    if not clinician_reflection and "symptoms" not in found and any(c.pattern.search(text) for c in SYMPTOMS):
        found.append("symptoms")
    return found


_PIECES = re.compile(r",\s+(?:so\s+|and\s+|because\s+)?|\s+and\s+")
# A clinician's own jotted line breaks at dashes, semicolons and "bc" as well ("rushing pt thru diary review bc I was
# behind from 2pm — she picked up on it").
_REFLECTION_PIECES = re.compile(
    r",\s+(?:so\s+|and\s+|because\s+)?|\s+and\s+|\s*[;\u2014\u2013]\s*|\s+-\s+|\s+(?:bc|b/c|because)\s+"
)


def strip_excluded(passage: str, *, clinician_reflection: bool = False) -> str:
    """Keep the comma- or 'and'-separated pieces of a passage that carry no 164.501 item ("His cousin tried to kill
    himself last year, so I worry" keeps the first piece: the worry is a symptom and belongs in the progress note).
    A clinician's reflection is judged by the hard items only, and also breaks at dashes, semicolons and "bc"."""
    splitter = _REFLECTION_PIECES if clinician_reflection else _PIECES
    pieces = splitter.split(passage)
    kept = [p for p in pieces if p.strip() and not excluded_items(p, clinician_reflection=clinician_reflection)]
    if not kept:
        return ""
    # Rebuild from the original text so the quote stays verbatim: the longest leading run of kept pieces.
    out = ""
    for piece in pieces:
        if piece not in kept:
            break
        candidate = passage[: passage.index(piece) + len(piece)]
        out = candidate
    return out.strip() if len(out.split()) >= 3 else ""
