"""The 164.501 boundary check: warn when a psychotherapy note holds what belongs in the progress note.

45 CFR 164.501 excludes from psychotherapy notes: medication prescription and monitoring, session start and stop
times, modalities and frequencies of treatment, results of clinical tests, and any summary of diagnosis, functional
status, treatment plan, symptoms, prognosis and progress to date. These warnings are advice to the author, not a
refusal: the author decides, and the note is saved either way. A pure function with no Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from confide.lib.medications import MEDICATIONS

_I = re.IGNORECASE
DIGITS = tuple("0123456789")


@dataclass(frozen=True)
class Rule:
    code: str
    message: str
    patterns: tuple[re.Pattern[str], ...]
    # Lower-case substrings at least one of which any match must contain: a cheap test that skips the regexes for
    # the usual process note (a 3,000-character note is checked in well under a millisecond).
    triggers: tuple[str, ...] = ()


def _p(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, _I) for p in patterns)


RULES: tuple[Rule, ...] = (
    Rule(
        "session_times",
        "Session start and stop times belong in the session record and progress note, not here.",
        _p(
            r"\b(?:[01]?\d|2[0-3]):[0-5]\d\s*(?:[ap]\.?m\.?)?",
            r"\b(?:1[0-2]|0?[1-9])\s*[ap]\.?m\.?\b",
            r"\b(?:session|appointment)\s+(?:started|began|start(?:s|ed)?|ended|end(?:s|ed)?|finished|ran)\b",
            r"\b\d{2,3}[- ]?min(?:ute)?s?\b(?:\s+session)?",
        ),
        triggers=(*DIGITS, "session", "appointment"),
    ),
    Rule(
        "billing_code",
        "CPT codes are billing data: they belong in the session record.",
        _p(r"\bCPT\b", r"\b9(?:079[12]|08[3-5]\d|9[24]\d\d|612[07])\b"),
        triggers=(*DIGITS, "cpt"),
    ),
    Rule(
        "diagnosis_code",
        "ICD-10 codes and diagnoses belong in the chart's diagnoses and the progress note.",
        _p(r"\bICD(?:-?10)?(?:-CM)?\b", r"\b[FZ]\d{2}(?:\.[0-9A-Z]{1,4})?\b", r"\b[A-EG-TV-Y]\d{2}\.[0-9A-Z]{1,4}\b"),
        triggers=(*DIGITS, "icd"),
    ),
    Rule(
        "medication",
        "Medication prescription and monitoring belong in the progress note.",
        _p(
            r"\b\d+(?:\.\d+)?\s?(?:mg|mcg|µg|ml|mL)\b",
            r"\b(?:increas|decreas|titrat|taper|adjust|rais|lower|doubl|halv)\w*\s+(?:\w+\s+){0,3}(?:dose|dosage)\b",
            r"\b(?:dose|dosage|prescri\w*|medication\s+(?:change|management|adherence|compliance))\b",
        ),
        triggers=(*DIGITS, "dose", "dosage", "prescri", "medication"),
    ),
    Rule(
        "measure_score",
        "Results of clinical tests and measure scores (PHQ-9, GAD-7…) belong in the chart's measures.",
        _p(
            r"\bPHQ[- ]?(?:9|2|A)?\b",
            r"\bGAD[- ]?7\b",
            r"(?-i:\b(?:BDI|BAI|PCL-5|MMSE|MoCA|AUDIT-C|AUDIT|C-SSRS|GAF)\b)",
            r"\b(?:scored?|score\s+of|total\s+score)\s*(?:was|is|of|=|:)?\s*\d+\b",
            r"\b(?:test|screening|assessment)\s+results?\b",
        ),
        triggers=("phq", "gad", "bdi", "bai", "pcl", "mmse", "moca", "audit", "ssrs", "gaf", "scor", "result"),
    ),
    Rule(
        "diagnosis",
        "Diagnosis belongs in the chart and progress note.",
        _p(
            r"\bdiagnos\w*\b",
            r"\bmeets?\s+(?:full\s+)?criteria\b",
            r"\bDSM(?:-?(?:5|IV|5-TR))?\b",
            r"\b(?:major\s+depressive|generali[sz]ed\s+anxiety|bipolar|panic|obsessive[- ]compulsive|"
            r"post-?traumatic\s+stress|adjustment|borderline\s+personality|substance\s+use|alcohol\s+use|"
            r"attention[- ]deficit|eating|schizoaffective)\s+disorder\b",
            r"(?-i:\b(?:MDD|GAD|PTSD|OCD|ADHD|BPD)\b)",
        ),
        triggers=("diagnos", "criteria", "dsm", "disorder", "mdd", "gad", "ptsd", "ocd", "adhd", "bpd"),
    ),
    Rule(
        "treatment_plan",
        "Treatment plan, goals, objectives, modality and frequency belong in the plan and progress note.",
        _p(
            r"\btreatment\s+plan\w*\b",
            r"\bplan\s+of\s+care\b",
            r"\b(?:treatment\s+)?goals?\s+(?:and|&)\s+objectives?\b",
            r"\b(?:weekly|bi-?weekly|fortnightly|monthly|twice\s+a\s+week)\s+(?:sessions?|therapy|psychotherapy)\b",
            r"\b(?:frequency|modality|modalities)\s+of\s+(?:treatment|sessions?|care)\b",
        ),
        triggers=("plan", "objective", "weekly", "monthly", "twice", "frequency", "modalit"),
    ),
    Rule(
        "prognosis",
        "Prognosis belongs in the progress note.",
        _p(r"\bprognos\w*\b"),
        triggers=("prognos",),
    ),
    Rule(
        "progress_to_date",
        "A summary of symptoms, functional status or progress to date belongs in the progress note.",
        _p(
            r"\bprogress\s+(?:to\s+date|toward|towards|on\s+goals?|since)\b",
            r"\b(?:made|making|shows?|showing|showed)\s+(?:good\s+|some\s+|little\s+|no\s+|significant\s+)?progress\b",
            r"\bsymptoms\s+(?:have\s+|has\s+)?(?:improved|decreased|increased|worsened|remitted|resolved)\b",
            r"\b(?:improved|improvement|worsened|deteriorat\w+)\s+since\b",
            r"\bfunctional\s+status\b",
            r"\bmental\s+status\s+exam\w*\b",
        ),
        triggers=("progress", "symptom", "since", "functional", "mental status"),
    ),
)

EXCERPT_CONTEXT = 30
MEDICATION_RULE = "medication"
_MEDICATION_NAMES = frozenset(MEDICATIONS)
_WORD = re.compile(r"[A-Za-z]{4,}")
# One pass per rule: a rule's patterns joined, so the leftmost match of any of them is found in a single scan.
_COMBINED: tuple[tuple[Rule, re.Pattern[str]], ...] = tuple(
    (rule, re.compile("|".join(f"(?:{p.pattern})" for p in rule.patterns), _I)) for rule in RULES
)


def _first_medication_name(text: str) -> re.Match[str] | None:
    # A set lookup per word: a regex alternation of a hundred drug names scans ten times slower.
    return next((m for m in _WORD.finditer(text) if m.group().lower() in _MEDICATION_NAMES), None)


def _excerpt(text: str, start: int, end: int) -> str:
    lo, hi = max(0, start - EXCERPT_CONTEXT), min(len(text), end + EXCERPT_CONTEXT)
    snippet = " ".join(text[lo:hi].split())
    return ("…" if lo > 0 else "") + snippet + ("…" if hi < len(text) else "")


def boundary_warnings(text: str) -> list[dict[str, str]]:
    """One warning per kind of excluded content found, with the first place it was found.

    The excerpt quotes the note: return it only to the author (it is never logged or audited).
    """
    warnings: list[dict[str, str]] = []
    lowered = text.lower()
    for rule, pattern in _COMBINED:
        triggered = not rule.triggers or any(t in lowered for t in rule.triggers)
        first = pattern.search(text) if triggered else None
        if rule.code == MEDICATION_RULE:
            name = _first_medication_name(text)
            if name is not None and (first is None or name.start() < first.start()):
                first = name
        if first is not None:
            warnings.append(
                {"code": rule.code, "message": rule.message, "excerpt": _excerpt(text, first.start(), first.end())}
            )
    return warnings


WARNING_CODES = tuple(rule.code for rule in RULES)
