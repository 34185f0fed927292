"""A diarizer may swap its anonymous labels partway through a session ("Speaker 1" asks for twenty minutes, then
answers). Roles are then given back per turn from the switch, so the clinician's questions are not read as the
client's disclosures; with named speakers, or without a clear switch, one assignment holds for the hour."""

from __future__ import annotations

from confide.drafting import draft
from confide.drafting.model import Draft

_BEFORE = [
    ("Speaker 1", "so how has this week been since we last talked"),
    ("Speaker 2", "honestly pretty rough, I barely slept, maybe four hours most nights, I keep replaying the accident"),
    ("Speaker 1", "four hours, that's hard. what happens when you're lying there"),
    ("Speaker 2", "I see the car again and my heart starts pounding and I just get up and walk around the kitchen"),
    ("Speaker 1", "it sounds like the nights are when it hits hardest. can I ask you some safety questions"),
    ("Speaker 2", "sure, yeah"),
    ("Speaker 1", "any urges to hurt yourself lately, cutting, hitting, anything like that"),
    ("Speaker 2", "no. never have"),
    ("Speaker 1", "and any thoughts about ending your life or wishing you were dead"),
    ("Speaker 2", "no, none of that, I want to get back to work and my kids need me"),
]
# From here the labels are swapped: "Speaker 2" is now the clinician.
_AFTER = [
    ("Speaker 2", "okay. let's talk about the grounding skill for next week. what do you notice when you try it"),
    ("Speaker 1", "I tried the five things I can see, it helped a little on Tuesday, I fell back asleep"),
    ("Speaker 2", "that's great. how did it feel to use it in the middle of the night"),
    ("Speaker 1", "weird but okay, I felt a bit calmer, my chest wasn't as tight"),
    ("Speaker 2", "can you try it every night this week and write down what you notice"),
    ("Speaker 1", "yeah I can do that, I'll keep the sheet by my bed"),
    ("Speaker 2", "and would you be open to a referral to the sleep clinic"),
    ("Speaker 1", "I think so, my doctor mentioned it too"),
]


def _session(turns: list[tuple[str, str]]) -> str:
    return "".join(f"{who}: {said}\n" for who, said in turns)


def _roles(d: Draft) -> list[str]:
    return [u.role for u in d.utterances]


def test_swapped_anonymous_labels_give_the_roles_back_from_the_switch() -> None:
    d = draft(_session(_BEFORE + _AFTER))
    asked = [u for u in d.utterances if u.role == "clinician"]
    assert all(u.speaker == "Speaker 1" for u in asked if int(u.id[1:]) <= len(_BEFORE))
    assert all(u.speaker == "Speaker 2" for u in asked if int(u.id[1:]) > len(_BEFORE))
    # The clinician's "any urges to hurt yourself" is a question, answered no, not the client's disclosure.
    assert {(f.type, f.polarity) for f in d.risk_flags} == {("self_harm", "denied"), ("suicidal_ideation", "denied")}


def test_without_a_switch_one_assignment_holds() -> None:
    d = draft(_session(_BEFORE))
    assert {u.role for u in d.utterances if u.speaker == "Speaker 1"} == {"clinician"}
    assert {u.role for u in d.utterances if u.speaker == "Speaker 2"} == {"client"}


def test_named_speakers_are_never_reassigned_per_turn() -> None:
    renamed = {"Speaker 1": "Dana", "Speaker 2": "Lee"}
    d = draft(_session([(renamed[who], said) for who, said in _BEFORE + _AFTER]))
    for speaker in ("Dana", "Lee"):
        assert len({u.role for u in d.utterances if u.speaker == speaker}) == 1
