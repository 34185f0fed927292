"""The grounding check: a sentence stands only on the utterances it cites.

A sentence passes when
- it cites at least one utterance and every cited id exists;
- every quoted passage appears verbatim (case and spacing aside) in the cited utterances;
- every number it states appears in them (as digits or as a word);
- every content word either appears in them (same stem) or is licensed by a concept whose patterns match them
  ("disturbance" in "sleep disturbance" is licensed when the sleep patterns match "I keep waking up at 3");
- a sentence that says "denied" cites an utterance with a negation or a "no" answer.
Words that only frame a sentence ("Client reports", "Homework:") are exempt; they carry no clinical claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from confide.drafting.facts import _CONFIDED, _CONSULT, _DUTY, _MI_CONSISTENT, _OBSERVED
from confide.drafting.lexicon import (
    ADMIN,
    DOSE_FROM_TO,
    DOSE_WAS_NOW,
    INTERVENTIONS,
    LIFE_EVENTS,
    MEASURE,
    MEASURE_NAMED,
    MEASURE_REVERSED,
    MED_CHANGE,
    MISSED_DOSES,
    NUMBER_WORD_ALTERNATION,
    NUMBER_WORDS,
    SCORE_LATER,
    SCORE_SAID,
    SCORED_ON_IT,
    SUBSTANCES,
    SYMPTOMS,
    TARGETS,
    instrument_name,
    measure_band,
)
from confide.drafting.model import Utterance
from confide.drafting.risk import (
    _ATTEMPT_HISTORY_PROBE,
    _CRISIS_LINE,
    _HI,
    _PROBE_HARM_THOUGHTS,
    _PROBE_HI,
    _PROBE_SH,
    _PROBE_SI,
    _SELF_HARM,
    _SI_ACTIVE,
    _SI_PASSIVE,
    _VIOLENCE_PROBE,
)

_WORD = re.compile(r"[a-z][a-z'\-]+")
_NUMBER = re.compile(r"(?<![\w-])\d+(?:\.\d+)?(?![\w-])")
_QUOTED = re.compile(r"[\u201c\"]([^\u201d\"]+)[\u201d\"]")
_NEGATION = re.compile(r"\b(?:no|not|never|nope|nah|deny|denies|denied|none|nothing)\b|n'?t\b", re.I)

# Framing words: they shape a note sentence but assert nothing that the transcript must show.
FRAME_WORDS = frozenset(
    [
        "unsure",
        "conditional",
        "previously",
        "lethal",
        "means",
        "counseling",
        "resources",
        "reviewed",
        "said",
        "recapped",
        "rate",
        "each",
        "answer",
        "minimized",
        "focused",
        "unwanted",
        "intrusive",
        "experienced",
        "distressing",
        "thoughts",
        "stating",
        "theirs",
        "afterwards",
        "statement",
        "asked",
        "again",
        "first",
        "active",
        "was",
        "him",
        "himself",
        "herself",
        "themselves",
        "urge",
        "toward",
        "without",
        "engaging",
        "collateral",
        "informant",
        "reports",
        "as",
        "described",
        "another",
        "client",
        "clinician",
        "patient",
        "reports",
        "reported",
        "report",
        "denies",
        "denied",
        "deny",
        "endorsed",
        "endorses",
        "endorse",
        "describes",
        "described",
        "describe",
        "discussed",
        "discusses",
        "discuss",
        "used",
        "uses",
        "use",
        "responded",
        "responds",
        "response",
        "session",
        "sessions",
        "homework",
        "plan",
        "next",
        "goal",
        "goals",
        "addressed",
        "history",
        "past",
        "current",
        "currently",
        "not",
        "documented",
        "this",
        "that",
        "the",
        "and",
        "with",
        "for",
        "from",
        "into",
        "onto",
        "about",
        "involving",
        "another",
        "person",
        "person's",
        "other",
        "others",
        "involving",
        "appeared",
        "appears",
        "appear",
        "in",
        "of",
        "to",
        "a",
        "an",
        "as",
        "on",
        "or",
        "by",
        "at",
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "its",
        "it",
        "his",
        "her",
        "their",
        "them",
        "they",
        "he",
        "she",
        "we",
        "you",
        "your",
        "our",
        "my",
        "me",
        "i",
        "medication",
        "discussed",
        "score",
        "range",
        "noted",
        "named",
        "factors",
        "protective",
        "access",
        "means",
        "reported",
        "intent",
        "act",
        "acting",
        "plan",
        "referral",
        "completing",
        "dose",
        "doses",
        "side",
        "effects",
        "process",
        "observation",
        "figurative",
        "expression",
        "read",
        "described",
        "includes",
        "including",
        "also",
        "some",
        "any",
        "all",
        "none",
        "per",
        "via",
        "risk",
        "held",
        "video",
        "telehealth",
        "arrived",
        "late",
        "stressors",
        "related",
        "material",
        "which",
        "who",
        "while",
        "during",
        "than",
        "then",
        "there",
        "when",
        "where",
        "will",
        "would",
        "should",
        "could",
        "can",
        "may",
        "might",
        "just",
    ]
)
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "at",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "this",
        "that",
    ]
)


_IRREGULAR = {
    "fought": "fight",
    "slept": "sleep",
    "felt": "feel",
    "thought": "think",
    "went": "go",
    "gone": "go",
    "ate": "eat",
    "drank": "drink",
    "drunk": "drink",
    "took": "take",
    "taken": "take",
    "got": "get",
    "said": "say",
    "told": "tell",
    "left": "leave",
    "lost": "lose",
    "made": "make",
    "saw": "see",
    "seen": "see",
    "ran": "run",
    "came": "come",
    "began": "begin",
    "kept": "keep",
    "woke": "wake",
    "woken": "wake",
    "bought": "buy",
    "brought": "bring",
    "spent": "spend",
    "met": "meet",
    "sat": "sit",
    "stood": "stand",
    "wrote": "write",
    "written": "write",
    "gave": "give",
    "given": "give",
    "broke": "break",
    "broken": "break",
    "fell": "fall",
    "hid": "hide",
}


def _stem(word: str) -> str:
    """A deliberately crude stemmer: enough to match 'sleeping' with 'slept', not to be clever."""
    word = word.lower().strip("'-")
    word = _IRREGULAR.get(word, word)
    for suffix in ("ingly", "edly", "ing", "ied", "ies", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "getting" -> "get", "stopped" -> "stop"
            break
    return word[:6]


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[\u2018\u2019]", "'", text)).strip().lower()


_NUMBER_WORD = re.compile(rf"\b(?:{NUMBER_WORD_ALTERNATION})\b", re.I)


@lru_cache(maxsize=1)
def _licences() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Label word -> patterns that license it."""
    table: dict[str, list[re.Pattern[str]]] = {}
    for concept in SYMPTOMS + SUBSTANCES + LIFE_EVENTS + INTERVENTIONS + TARGETS + ADMIN:
        for word in _WORD.findall((concept.label + " " + concept.topic).lower()):
            table.setdefault(_stem(word), []).append(concept.pattern)
    risk: dict[str, tuple[re.Pattern[str], ...]] = {
        "suicidal": (_SI_ACTIVE, _SI_PASSIVE, _PROBE_SI, _PROBE_HARM_THOUGHTS),
        "ideation": (_SI_ACTIVE, _SI_PASSIVE, _PROBE_SI, _PROBE_HARM_THOUGHTS, _HI, _PROBE_HI),
        "passive": (_SI_PASSIVE,),
        "homicidal": (_HI, _PROBE_HI),
        "self-harm": (_SELF_HARM, _PROBE_SH),
        "suicide": (_SI_ACTIVE, _SI_PASSIVE),
        "attempt": (_SI_ACTIVE, _ATTEMPT_HISTORY_PROBE),
        "crisis": (_CRISIS_LINE,),
        "physical": (_VIOLENCE_PROBE,),
        "duty": (_DUTY,),
        "warn": (_DUTY,),
        "consultation": (_CONSULT,),
        "aggression": (_VIOLENCE_PROBE,),
        # "Shared in confidence, as the client said it": licensed by the words that said it was a confidence
        "shared": (_CONFIDED,),
        "confidence": (_CONFIDED,),
        # "motivational interviewing (reflective listening, open questions)": licensed by the reflections and open
        # questions the sentence cites
        **{
            word: (_MI_CONSISTENT,)
            for word in ("motivational", "interviewing", "reflective", "listening", "open", "questions")
        },
    }
    risk.update({label: (pattern,) for label, pattern in MED_CHANGE})
    # "from 100 to 150": the direction is read from the two amounts said (facts._dose_range)
    for label in ("increased", "decreased"):
        risk[label] = (*risk.get(label, ()), DOSE_FROM_TO, DOSE_WAS_NOW)
    risk["missed"] = (MISSED_DOSES,)
    risk["stopped"] = (*risk.get("stopped", ()), MISSED_DOSES)
    risk.update({word: (pattern,) for label, pattern in _OBSERVED for word in label.split() if word != "and"})
    for word, patterns in risk.items():
        table.setdefault(_stem(word), []).extend(patterns)
    return {k: tuple(v) for k, v in table.items()}


def _measure_terms(evidence_text: str) -> set[str]:
    """The score and its severity words, derivable from a score stated in the evidence."""
    terms: set[str] = set()
    said: list[tuple[str, str]] = [(m.group(1), m.group(2)) for m in MEASURE.finditer(evidence_text)]
    said += [(m.group(2), m.group(1)) for m in MEASURE_REVERSED.finditer(evidence_text)]
    names = list(MEASURE_NAMED.finditer(evidence_text))
    for i, named in enumerate(names):
        stop = names[i + 1].start() if i + 1 < len(names) else len(evidence_text)
        later = SCORE_SAID.search(evidence_text, named.end(), stop)
        later = later or SCORE_LATER.search(evidence_text, named.end(), stop)
        if later:
            said.append((named.group(1), later.group(1)))
    on_it = SCORED_ON_IT.search(evidence_text)
    if on_it and names:
        said.append((names[0].group(1), on_it.group(1)))
    for instrument, value in said:
        score = int(value) if value.isdigit() else NUMBER_WORDS.get(value.lower(), -1)
        band = measure_band(instrument, score)
        if band is not None:
            terms.update(_stem(w) for w in band.split())
            terms.add(str(score))
            canonical = instrument_name(instrument) or ""
            terms.update(_stem(w) for w in re.split(r"[\s-]+", canonical) if w)
            terms.add(_stem(canonical.lower()))  # "CUDIT-R" for "the CUDIT", as one word
    return terms


def unsupported_reason(text: str, evidence: Iterable[str], utterances: Mapping[str, Utterance]) -> str | None:
    """None when the sentence is supported by its evidence, else why not."""
    ids = list(evidence)
    if not ids:
        return "no evidence cited"
    missing = [i for i in ids if i not in utterances]
    if missing:
        return f"cites unknown utterance(s) {', '.join(missing)}"
    source = " ".join(utterances[i].text for i in ids)
    norm_source = _normalise(source)
    for quoted in _QUOTED.findall(text):
        if _normalise(quoted).strip(" .,;:") not in norm_source:
            return f"quoted words not in the cited utterances: {quoted!r}"
    unquoted = _QUOTED.sub(" ", text)
    # Instrument names carry digits ("PHQ-9") that are names, not claims.
    unquoted_numbers = MEASURE_NAMED.sub(" ", unquoted)
    source_numbers = set(_NUMBER.findall(source)) | {
        str(NUMBER_WORDS[w.lower()]) for w in _NUMBER_WORD.findall(norm_source)
    }
    for number in _NUMBER.findall(unquoted_numbers):
        if number not in source_numbers:
            return f"number {number} not in the cited utterances"
    source_stems = {_stem(w) for w in _WORD.findall(norm_source)} | {
        _stem(w.removesuffix("'s")) for w in _WORD.findall(norm_source)
    }
    derived = _measure_terms(source)
    licences = _licences()
    for token in _WORD.findall(unquoted.lower()):
        word = token.removesuffix("'s")  # "client's" is framed as "client"
        if word in FRAME_WORDS or word in _STOP or len(word) < 3:
            continue
        stem = _stem(word)
        if stem in source_stems or stem in derived:
            continue
        if any(p.search(source) for p in licences.get(stem, ())):
            continue
        # hyphenated labels ("low energy/fatigue", "self-care") pass when each part passes
        parts = [p for p in re.split(r"[-/]", word) if len(p) >= 3 and p not in FRAME_WORDS]
        if (
            parts
            and len(parts) > 1
            and all(
                _stem(p) in source_stems or any(q.search(source) for q in licences.get(_stem(p), ())) for p in parts
            )
        ):
            continue
        return f"'{word}' is not supported by the cited utterances"
    if re.search(r"\bden(?:y|ies|ied)\b", unquoted, re.I) and not _NEGATION.search(source):
        return "says 'denied' but the cited utterances hold no negation"
    return None
