"""General mode: a visit note from a doctor-patient (or any clinician-client) conversation, for public benchmarks.

Extractive and grounded like the therapy engine: every sentence is a cleaned, third-person rendering of one
utterance's sentence (fillers and false starts removed, "I" → "the patient"), so the grounding check still holds.
Sentences are scored for clinical content, placed in the visit-note sections, and capped at a length budget:
a note is a condensation, and a note as long as the conversation is a transcript.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from confide.drafting.grounding import unsupported_reason
from confide.drafting.model import Draft, Dropped, Sentence, Utterance

# The general visit-note layout (ACI-Bench's), for conversations that are not therapy sessions.
VISIT = "VISIT"
VISIT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("chief_complaint", "CHIEF COMPLAINT"),
    ("history", "HISTORY OF PRESENT ILLNESS"),
    ("review_of_systems", "REVIEW OF SYSTEMS"),
    ("physical_exam", "PHYSICAL EXAMINATION"),
    ("results", "RESULTS"),
    ("assessment_and_plan", "ASSESSMENT AND PLAN"),
)

_SENTENCE = re.compile(r"(?<=[.?!])\s+")
_FILLERS = re.compile(
    r"\b(?:um+|uh+|hmm+|mm-?hmm|uh-huh|you know|i mean|kind of|sort of|like,|okay|ok|alright|all right|so|well|"
    r"yeah|yes|yep|oh|just|actually|basically|really|right \?|great|perfect|good|got it|sure|wow|hey|dragon)\b[ ,]*",
    re.I,
)
_REPEAT = re.compile(r"\b(\w+)(?: ,)? \1\b", re.I)
_SPACE_PUNCT = re.compile(r"\s+([,.?!])")
_LEAD_INS = re.compile(
    r"^(?:and |but |so |now |then |because )*(?:i (?:wan na|want to|'d like to|would like to|am going to|'m going to|"
    r"'m gon na|think we should|think) (?:go ahead and |just )?|let's (?:go ahead and )?|we'll go ahead and |"
    r"we're going to (?:go ahead and )?)",
    re.I,
)
_DICTATION = re.compile(r"\b(?:hey ,? dragon|dax|finalize the note)\b", re.I)
_EXAM = re.compile(
    r"\b(?:on (?:physical )?exam|examination|exam(?:ine)? of|palpat\w*|auscultat\w*|tender\w*|swelling|edema|"
    r"murmur|lungs? (?:are|is|sound)|heart (?:is|sounds)|range of motion|reflexes|strength|lesion|rash|erythema|"
    r"no (?:obvious )?(?:deformity|bruising)|i (?:do )?(?:appreciate|notice|see|feel) (?:some|a|an|that|mild|no)|"
    r"vital signs|blood pressure (?:is|was|today)|pulse|temperature|oxygen)\b",
    re.I,
)
_RESULTS = re.compile(
    r"\b(?:x-?rays?|mri|ct scan|cat scan|ultrasound|echocardiogram|ekg|ecg|labs?|lab work|blood work|a1c|"
    r"hemoglobin|cholesterol|lipid|culture|biopsy|results?|showed|shows|revealed|demonstrat\w*|came back)\b",
    re.I,
)
_PLAN = re.compile(
    r"\b(?:prescrib\w*|order\w*|refer\w*|follow ?up|continue|start (?:you|her|him|on)|increase|decrease|"
    r"recommend\w*|schedule|come back|see you|diagnos\w*|my (?:assessment|impression|plan)|for your \w+ ,|"
    r"physical therapy|surgery|injection|medication|mg|milligrams?|twice a day|once a day|daily|as needed|"
    r"i (?:think|believe) (?:this|that|you|it)|we will|we'll|i'll|i will|plan)\b",
    re.I,
)
_ROS = re.compile(
    r"\b(?:any (?:fever|chills|chest pain|shortness of breath|nausea|vomiting|diarrhea|headache|cough)|"
    r"no (?:fever|chills|chest pain|shortness of breath|nausea|vomiting|diarrhea|headaches?|cough))\b",
    re.I,
)
_CHATTER = re.compile(
    r"^(?:hi|hello|how are you|nice to meet|thank you|thanks|bye|have a good|see you|good morning|good afternoon|"
    r"take care|any questions|do you have any questions|i'm doing)\b",
    re.I,
)
_FIRST_PERSON = (
    (re.compile(r"\bi'm\b", re.I), "the patient is"),
    (re.compile(r"\bi've\b", re.I), "the patient has"),
    (re.compile(r"\bi'd\b", re.I), "the patient would"),
    (re.compile(r"\bi'll\b", re.I), "the patient will"),
    (re.compile(r"\bi am\b", re.I), "the patient is"),
    (re.compile(r"\bi have\b", re.I), "the patient has"),
    (re.compile(r"\bi was\b", re.I), "the patient was"),
    (re.compile(r"\bi\b", re.I), "the patient"),
    (re.compile(r"\bmy\b", re.I), "their"),
    (re.compile(r"\bme\b", re.I), "them"),
    (re.compile(r"\bmyself\b", re.I), "themselves"),
)
_SECOND_PERSON = (
    (re.compile(r"\byou're\b", re.I), "the patient is"),
    (re.compile(r"\byou've\b", re.I), "the patient has"),
    (re.compile(r"\byou'll\b", re.I), "the patient will"),
    (re.compile(r"\byou'd\b", re.I), "the patient would"),
    (re.compile(r"\byou\b", re.I), "the patient"),
    (re.compile(r"\byour\b", re.I), "their"),
)

# How much of the conversation a note keeps, in words: learned on ACI-Bench train/valid (notes run about a third
# of the dialogue's length), capped so a long session does not yield an unreadable note.
_BUDGET_RATIO = 0.34
_BUDGET_MIN, _BUDGET_MAX = 150, 700


@dataclass(frozen=True, slots=True)
class _Candidate:
    section: str
    text: str
    evidence: str
    score: float
    order: int


def clean(sentence: str) -> str:
    text = _DICTATION.sub(" ", sentence)
    text = _FILLERS.sub("", text)
    for _ in range(2):
        text = _REPEAT.sub(r"\1", text)
    text = _LEAD_INS.sub("", text.strip(" ,.-"))
    text = re.sub(r"\s+", " ", _SPACE_PUNCT.sub(r"\1", text)).strip(" ,.-")
    return text


_FEMALE = re.compile(r"\b(?:she|her|hers|herself|female|woman|lady|mrs|ms|miss|girl)\b", re.I)
_MALE = re.compile(r"\b(?:he|him|his|himself|male|man|gentleman|mr|boy)\b", re.I)
_PRONOUNS = {
    "female": {
        "the patient is": "she is",
        "the patient has": "she has",
        "the patient would": "she would",
        "the patient will": "she will",
        "the patient was": "she was",
        "the patient": "she",
        "their": "her",
        "them": "her",
        "themselves": "herself",
    },
    "male": {
        "the patient is": "he is",
        "the patient has": "he has",
        "the patient would": "he would",
        "the patient will": "he will",
        "the patient was": "he was",
        "the patient": "he",
        "their": "his",
        "them": "him",
        "themselves": "himself",
    },
}


def infer_gender(utterances: list[Utterance]) -> str | None:
    """From how the clinician refers to the client ("she's a 50-year-old female"); None when unclear."""
    text = " ".join(u.text for u in utterances if u.role == "clinician")
    female, male = len(_FEMALE.findall(text)), len(_MALE.findall(text))
    if female >= 2 * max(male, 1):
        return "female"
    if male >= 2 * max(female, 1):
        return "male"
    return None


def third_person(text: str, speaker_role: str, gender: str | None = None) -> str:
    rules = _FIRST_PERSON if speaker_role != "clinician" else _SECOND_PERSON
    for pattern, replacement in rules:
        if gender is not None:
            # Subject position only at the start; elsewhere "the patient" stays unambiguous.
            replacement = _PRONOUNS[gender].get(replacement, replacement)
        text = pattern.sub(replacement, text)
    return text


def _section(text: str, role: str) -> tuple[str, float]:
    if role == "clinician":
        if _RESULTS.search(text):
            return "results", 1.2
        if _EXAM.search(text):
            return "physical_exam", 1.3
        if _PLAN.search(text):
            return "assessment_and_plan", 1.4
        if _ROS.search(text):
            return "review_of_systems", 0.6
        return "history", 0.7
    return "history", 1.0


_SYMPTOM_QUESTION = re.compile(
    r"\b(?:any|have you (?:had|noticed|felt|experienced)|do you have|are you having|did you have)\s+(?:any\s+)?"
    r"(?P<what>[a-z][a-z ,'/-]{2,80}?)\s*\?",
    re.I,
)
_NO = re.compile(r"^\W*(?:no|nope|nah|not really|none|no ,? not|i have n't|i haven't|i don't|i do n't|never)\b", re.I)
_YES = re.compile(r"^\W*(?:yes|yeah|yep|i have|i do|a little|some|sometimes|mm-?hmm)\b", re.I)


def _answered_questions(utterances: list[Utterance], gender: str | None) -> list[_Candidate]:
    """'Any chest pain or shortness of breath?' — 'No.' becomes 'She denies chest pain or shortness of breath.'"""
    subject = {"female": "She", "male": "He"}.get(gender or "", "The patient")
    out: list[_Candidate] = []
    for index, u in enumerate(utterances[:-1]):
        answer = utterances[index + 1]
        if u.role != "clinician" or answer.role == "clinician":
            continue
        asked = list(_SYMPTOM_QUESTION.finditer(u.text))
        if not asked:
            continue
        m = asked[-1]  # the last question in the turn is the one the answer answers
        if m is None:
            continue
        what = clean(m.group("what")).strip(" ,")
        if len(what.split()) < 1 or len(what.split()) > 12:
            continue
        verb = "denies" if _NO.search(answer.text) else "endorses" if _YES.search(answer.text) else None
        if verb is None:
            continue
        what = third_person(what, "clinician", gender)
        text = f"{subject} {verb} {what}."
        out.append(
            _Candidate(
                "review_of_systems", text, f"{u.id} {answer.id}", 1.1 * len(what.split()) ** 0.5, index * 100 + 99
            )
        )
    return out


def _candidates(utterances: list[Utterance]) -> list[_Candidate]:
    out: list[_Candidate] = []
    gender = infer_gender(utterances)
    out.extend(_answered_questions(utterances, gender))
    for position, u in enumerate(utterances):
        for sentence_index, raw in enumerate(_SENTENCE.split(u.text)):
            order = position * 100 + sentence_index
            if _CHATTER.search(raw.strip()) or (raw.strip().endswith("?") and u.role == "clinician"):
                continue
            cleaned = clean(raw)
            words = cleaned.split()
            if len(words) < 4:
                continue
            section, weight = _section(cleaned, u.role)
            text = third_person(cleaned, u.role, gender)
            if u.role != "clinician" and gender is not None:
                subject = "She" if gender == "female" else "He"
                text = f"{subject} reports that {text}"
            text = text[0].upper() + text[1:] + "."
            # Longer, content-dense sentences carry more of a note; very long ones are rambling.
            density = sum(1 for w in words if len(w) > 5) / len(words)
            score = weight * (0.5 + density) * min(len(words), 30) ** 0.5
            out.append(_Candidate(section, text, u.id, score, order))
    return out


def draft_visit(utterances: list[Utterance]) -> Draft:
    """A visit note (chief complaint, HPI, ROS, exam, results, assessment and plan) from any clinical conversation.

    Learned word weights (how often a word survives from conversation into ACI-Bench train notes) were tried for
    sentence selection and scored lower on valid than plain word length; see docs/drafting.md.
    """
    by_id = {u.id: u for u in utterances}
    total_words = sum(len(u.text.split()) for u in utterances)
    budget = max(_BUDGET_MIN, min(_BUDGET_MAX, int(total_words * _BUDGET_RATIO)))
    chosen: list[_Candidate] = []
    used = 0
    dropped: list[Dropped] = []
    for candidate in sorted(_candidates(utterances), key=lambda c: -c.score):
        if used >= budget:
            break
        evidence = candidate.evidence.split()
        reason = unsupported_reason(candidate.text, evidence, by_id)
        if reason is not None:
            dropped.append(Dropped(candidate.text, tuple(evidence), reason, candidate.section))
            continue
        chosen.append(candidate)
        used += len(candidate.text.split())
    sections: dict[str, list[Sentence]] = {name: [] for name, _ in VISIT_SECTIONS}
    for c in sorted(chosen, key=lambda c: c.order):
        sections[c.section].append(Sentence(c.text, tuple(c.evidence.split())))
    complaint = next((c for c in sorted(chosen, key=lambda c: c.order) if c.section == "history"), None)
    if complaint is not None:
        sections["chief_complaint"].append(Sentence(complaint.text, tuple(complaint.evidence.split())))
    return Draft(
        note_format=VISIT,
        sections=sections,
        private_draft=[],
        risk_flags=[],
        utterances=utterances,
        dropped=dropped,
        section_titles=dict(VISIT_SECTIONS),
    )


def render_plain(result: Draft) -> str:
    """Section titles and sentences, one per line (the layout ACI-Bench's ROUGE-Lsum expects)."""
    lines: list[str] = []
    for name, sentences in result.sections.items():
        if sentences:
            lines.append(result.section_titles.get(name, name))
            lines.extend(s.text for s in sentences)
    return "\n".join(lines)
