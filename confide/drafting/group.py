"""A group session's note is one member's note: the focal client's turns, and the clinicians' turns that speak to
them or to the whole group. Other members' words (their disclosures, their risk, their names) stay out of it.

The focal client is the speaker whose name matches the chart's client (`client_name`, passed by the drafting
service from the session), else the member who spoke the most words: the one a clinician writes the note for after
a breakout or an individual check-in. A session with fewer than four members is not a group.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from confide.drafting.model import Utterance
from confide.drafting.roles import name_matches

# Four or more clients in the room: a group. A couple, or a family with a teen and a parent or two, is charted as
# one session for the family, as before.
GROUP_MEMBERS = 4


def members(utterances: list[Utterance]) -> list[str]:
    """The clients in the room: a parent or partner who speaks as an informant ("other") is not a member."""
    return list(dict.fromkeys(u.speaker for u in utterances if u.role == "client"))


def _family(speakers: list[str]) -> bool:
    """Two members who share a surname ("Tanya Okoro", "Kiara Okoro"): a family session, not a group."""
    surnames = [s.split()[-1].casefold() for s in speakers if len(s.split()) >= 2]
    return len(surnames) != len(set(surnames))


def co_facilitators(utterances: list[Utterance], transcript_text: str) -> set[str]:
    """Members the transcript names as co-leading ("Co-facilitator: Sam Delacroix", "Andre's here co facilitating
    with me"): they are clinicians of the session, whatever their label."""
    named = {m.group(1) for m in _CO_LEADER_AFTER.finditer(transcript_text)}
    named |= {m.group(1) for m in _CO_LEADER_BEFORE.finditer(transcript_text)}
    return {s for s in members(utterances) for name in named if name_matches(s, name)}


_CO_LEADER_AFTER = re.compile(
    r"\b(?i:co-?\s?(?:facilitator|leader|therapist|lead))s?\b\s*[:,-]?\s*([A-Z][\w-]+(?: [A-Z][\w-]+)?)"
)
_CO_LEADER_BEFORE = re.compile(r"\b([A-Z][\w-]+)(?:'s| is)? (?:here )?(?i:co-?\s?facilitat\w*|co-?\s?lead\w*)")


_TO_EVERYONE = re.compile(
    r"\b(?:any ?one|every ?one|every ?body|any ?body|all of you|each of you|you all|y'?all|the group|folks|"
    r"you guys|everybody's)\b",
    re.I,
)


def _names(text: str, speaker: str) -> bool:
    first = speaker.split()[0] if speaker.split() else ""
    return len(first) > 1 and re.search(rf"\b{re.escape(first)}\b", text) is not None


def focal_member(utterances: list[Utterance], client_name: str | None = None) -> str | None:
    """The member the note is for, or None when the session is not a group."""
    speakers = members(utterances)
    if len(speakers) < GROUP_MEMBERS or _family(speakers):
        return None
    if client_name:
        named = [s for s in speakers if name_matches(s, client_name)]
        if len(named) == 1:
            return named[0]
    words = Counter({s: 0 for s in speakers})
    for u in utterances:
        if u.role != "clinician":
            words[u.speaker] += len(u.text.split())
    return words.most_common(1)[0][0]


def with_co_facilitators(utterances: list[Utterance], transcript_text: str) -> list[Utterance]:
    """The same turns, with each member the transcript names as co-leading given the clinician's role."""
    leaders = co_facilitators(utterances, transcript_text)
    if not leaders:
        return utterances
    return [replace(u, role="clinician") if u.speaker in leaders else u for u in utterances]


def focal_view(utterances: list[Utterance], client_name: str | None = None) -> list[Utterance]:
    """The turns a group member's note may rest on: the member's own, and each clinician turn that is not part of an
    exchange with another member (a clinician turn right before or after another member's turn answers or asks
    them, unless it also leads into the focal member's turn)."""
    focal = focal_member(utterances, client_name)
    if focal is None:
        return utterances
    kept: list[Utterance] = []
    for index, u in enumerate(utterances):
        if u.role != "clinician":
            if u.speaker == focal:
                kept.append(u)
            continue
        before = utterances[index - 1] if index > 0 else None
        after = utterances[index + 1] if index + 1 < len(utterances) else None
        to_focal = after is not None and after.speaker == focal
        with_other = any(n is not None and n.role != "clinician" and n.speaker != focal for n in (before, after))
        # "Is anyone having thoughts of suicide...?", "Homework for everyone", "Renee, you said...": the whole room,
        # or the focal member by name
        to_all = bool(_TO_EVERYONE.search(u.text)) or _names(u.text, focal)
        if to_focal or to_all or not with_other:
            kept.append(u)
    return kept
