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


def _name_matches(speaker: str, clinician_name: str) -> bool:
    a, b = speaker.casefold().strip(), clinician_name.casefold().strip()
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
        elif clinician_name and _name_matches(speaker, clinician_name):
            roles[speaker] = "clinician"
    for speaker in speakers:
        if speaker not in roles and any(_SAYS_PARENT.search(u.text) for u in utterances[:200] if u.speaker == speaker):
            roles[speaker] = "other"
    for speaker in speakers:
        if speaker not in roles:
            label = _label_role(speaker)
            if label is not None and not (label == "clinician" and clinician_name):
                roles[speaker] = label
    if "clinician" not in roles.values():
        candidates = [s for s in speakers if s not in roles]
        if candidates:
            for leader in _most_clinician_like(utterances, candidates):
                roles[leader] = "clinician"
    for speaker in speakers:
        # Everyone else in the room is a client by default: couples and family members are clients of the session.
        roles.setdefault(speaker, "client")
    return [replace(u, role=roles[u.speaker]) for u in utterances]


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
