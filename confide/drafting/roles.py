"""Who is the clinician: from the caller's mapping, the clinician's name, speaker labels, then conversational cues."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

from confide.drafting.model import Role, Utterance

_CLINICIAN_LABEL = re.compile(
    r"\b(therapist|clinician|counsel+or|doctor|dr\.?|psychologist|psychiatrist|provider|lcsw|lpc|lmft|phd|psyd|"
    r"social worker|interviewer|host)\b",
    re.I,
)
_CLIENT_LABEL = re.compile(r"\b(client|patient|pt)\b", re.I)
_OTHER_LABEL = re.compile(
    r"\b(mom|mother|dad|father|parent|guardian|interpreter|translator|caregiver|grandmother|grandfather|aunt|uncle|"
    r"teacher|nurse|observer|guest)\b",
    re.I,
)
# "Sorry, I'm her mom, I just joined" from a speaker labelled by a device ("iPhone (2)"): a parent in the room.
_SAYS_PARENT = re.compile(
    r"\b(?:i'?m|i am|this is) (?:his|her|their|(?:[A-Z][a-z]+'s)) (?:mom|mother|dad|father|mum|parent|guardian|"
    r"stepmom|stepmother|stepdad|stepfather|grandma|grandmother|grandpa|grandfather|foster (?:mom|dad|parent)|"
    r"caseworker|teacher|interpreter)\b",
    re.I,
)
# Phrases therapists use far more than clients; each hit adds to a speaker's clinician score.
_THERAPIST_PHRASES = re.compile(
    r"\b(it sounds like|what i'?m hearing|how did (that|it) (feel|go)|tell me (more|about)|how have you been|"
    r"let'?s|homework|this week|on a scale|i wonder|what do you notice|how are you (doing|feeling)|"
    r"what (would|do) you|for next (time|week|session)|that makes sense|can you say more|what was that like|"
    r"thought record|safety plan|practice|session|check in|notice)\b",
    re.I,
)


def _label_role(speaker: str) -> Role | None:
    if _CLINICIAN_LABEL.search(speaker):
        return "clinician"
    if _CLIENT_LABEL.search(speaker):
        return "client"
    if _OTHER_LABEL.search(speaker):
        return "other"
    return None


def name_matches(speaker: str, name: str) -> bool:
    """A speaker label and a person's name ("Dr. Lauren Pike" and "Lauren Pike", "Renee" and "Renee Okafor")."""
    a, b = speaker.casefold().strip(), name.casefold().strip()
    if a == b:
        return True
    tokens = {t for t in re.split(r"[\s,.]+", b) if len(t) > 1 and t not in {"dr", "mr", "ms", "mrs"}}
    return bool(tokens) and bool(tokens & set(re.split(r"[\s,.]+", a)))


def assign_roles(
    utterances: list[Utterance],
    *,
    clinician_name: str | None = None,
    overrides: Mapping[str, Role] | None = None,
) -> list[Utterance]:
    speakers = list(dict.fromkeys(u.speaker for u in utterances))
    folded = {k.casefold().strip(): v for k, v in (overrides or {}).items()}
    roles: dict[str, Role] = {}
    for speaker in speakers:
        if speaker.casefold().strip() in folded:
            roles[speaker] = folded[speaker.casefold().strip()]
        elif clinician_name and name_matches(speaker, clinician_name):
            roles[speaker] = "clinician"
    for speaker in speakers:
        if speaker not in roles and any(_SAYS_PARENT.search(u.text) for u in utterances[:200] if u.speaker == speaker):
            roles[speaker] = "other"
    for speaker in speakers:
        if speaker not in roles:
            label = _label_role(speaker)
            if label is not None and not (label == "clinician" and clinician_name):
                roles[speaker] = label
    inferred = [s for s in speakers if s not in roles]
    if "clinician" not in roles.values():
        candidates = [s for s in speakers if s not in roles]
        if candidates:
            for leader in _most_clinician_like(utterances, candidates):
                roles[leader] = "clinician"
    for speaker in speakers:
        # Everyone else in the room is a client by default: couples and family members are clients of the session.
        roles.setdefault(speaker, "client")
    assigned = [replace(u, role=roles[u.speaker]) for u in utterances]
    if len(speakers) == 2 and all(_ANONYMOUS_LABEL.match(s) for s in speakers) and set(inferred) == set(speakers):
        return _undo_label_swap(assigned)
    return assigned


# Labels a diarizer gives ("Speaker 1", "SPEAKER_00", "Spk 2", "Unknown speaker"): it may swap them mid-session.
_ANONYMOUS_LABEL = re.compile(r"^\s*(?:speaker|spk|unknown(?: speaker)?|s)[\s_-]*\d*\s*$", re.I)
_QUESTION_START = re.compile(
    r"^\W*(?:(?:and|so|okay|ok|um|uh|well|now|also|then)\W+)*(?:can|could|would|will|do|does|did|have|has|had|are|"
    r"is|was|were|what|how|when|where|why|who|which|any|anything)\b",
    re.I,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself|mine)\b", re.I)
_SECOND_PERSON = re.compile(r"\b(?:you|your|yourself|you're|you've|you'd)\b", re.I)
# A swap must be plain: each side of the switch has this many turns, and splitting explains the hour this much better.
_SWAP_MIN_TURNS = 6
_SWAP_MIN_GAIN = 8.0


def _asks_like_a_clinician(text: str) -> float:
    """Positive for a clinician's turn (questions, therapist phrases, "you"), negative for a client's (first person)."""
    asked = text.count("?") or (1 if _QUESTION_START.search(text) else 0)
    score = min(asked, 3) + 1.5 * len(_THERAPIST_PHRASES.findall(text))
    score += 0.3 * min(len(_SECOND_PERSON.findall(text)), 5) - 0.3 * min(len(_FIRST_PERSON.findall(text)), 8)
    return score


def _undo_label_swap(utterances: list[Utterance]) -> list[Utterance]:
    """Two anonymous speakers whose labels a diarizer swapped partway through ("Speaker 1" asks the questions for
    twenty minutes, then answers them): find the one turn after which each speaker sounds like the other, and give
    the roles back from there. Kept only when the split explains the session far better than one assignment does."""
    signed = [(1.0 if u.role == "clinician" else -1.0) * _asks_like_a_clinician(u.text) for u in utterances]
    total = sum(signed)
    best_at, best_gain, before = 0, 0.0, 0.0
    for at in range(1, len(utterances)):
        before += signed[at - 1]
        after = total - before
        if at < _SWAP_MIN_TURNS or len(utterances) - at < _SWAP_MIN_TURNS or before * after >= 0:
            continue
        gain = abs(before) + abs(after) - abs(total)
        if gain > best_gain:
            best_at, best_gain = at, gain
    if best_gain < _SWAP_MIN_GAIN:
        return utterances
    before = sum(signed[:best_at])
    swapped = range(0, best_at) if before < 0 else range(best_at, len(utterances))
    flip: dict[Role, Role] = {"clinician": "client", "client": "clinician", "other": "other"}
    return [replace(u, role=flip[u.role]) if i in swapped else u for i, u in enumerate(utterances)]


def _most_clinician_like(utterances: list[Utterance], candidates: list[str]) -> list[str]:
    """The speaker who asks like a clinician; in a group (four or more speakers) also a co-leader who asks nearly as
    much. A speaker with one or two turns ("Can you hear me?") is never picked over one who leads the hour."""
    score: dict[str, float] = defaultdict(float)
    words: dict[str, int] = defaultdict(int)
    for u in utterances:
        if u.speaker not in candidates:
            continue
        score[u.speaker] += u.text.count("?") * 1.0 + len(_THERAPIST_PHRASES.findall(u.text)) * 1.5
        words[u.speaker] += len(u.text.split())
    # Normalise by turns so a talkative client does not win on volume; clients talk more, clinicians ask.
    turns: dict[str, int] = defaultdict(int)
    for u in utterances:
        turns[u.speaker] += 1
    regular = [s for s in candidates if turns[s] >= 3] or candidates

    def rate(s: str) -> float:
        return score[s] / max(turns[s], 1)

    ranked = sorted(regular, key=lambda s: (rate(s), -words[s] / max(turns[s], 1)), reverse=True)
    leaders = ranked[:1]
    if len(candidates) >= 4 and len(ranked) > 1:
        second = ranked[1]
        if rate(second) >= 0.7 * rate(ranked[0]) and rate(second) >= 1.0 and turns[second] >= 4:
            leaders.append(second)
    return leaders
