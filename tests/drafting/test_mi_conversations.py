"""Short behavior-change conversations in the style of public motivational-interviewing demonstrations: the note
names the behavior (in the client's words when they are not the label's), and calls the talk motivational
interviewing only when it was: reflections and open questions, not lectures and warnings."""

from __future__ import annotations

import pytest

from confide.drafting import draft, unsupported_reason
from confide.drafting.model import Draft


def _note(d: Draft) -> str:
    return "\n".join(s.text for ss in d.sections.values() for s in ss)


def _grounded(d: Draft) -> bool:
    by_id = {u.id: u for u in d.utterances}
    return all(unsupported_reason(s.text, s.evidence, by_id) is None for ss in d.sections.values() for s in ss)


LECTURE = (
    "Speaker 1: So Gary, how much are you drinking these days?\n"
    "Speaker 2: Oh, you know. A few cold ones after work. Nothing crazy.\n"
    "Speaker 1: How many is a few?\n"
    "Speaker 2: Six? Eight on a Friday.\n"
    "Speaker 1: That's way over the guidelines. You should know that.\n"
    "Speaker 2: I never counted.\n"
    "Speaker 1: You need to cut way back. Two a night, max. If you don't, you'll end up on the transplant list.\n"
    "Speaker 2: I mean, yeah, I guess I can try.\n"
    "Speaker 1: Don't try. Do it. And stop going to the bar after work.\n"
    "Speaker 2: Okay.\n"
)

REFLECTIVE = (
    "Counselor: You said you wanted to use a few minutes on the condoms thing.\n"
    "Client: Yeah. We used condoms at first. Then we stopped. He doesn't like them.\n"
    "Counselor: Sounds like there's how he feels about it, too.\n"
    "Client: Yeah. I don't want to make it a whole thing.\n"
    "Counselor: You don't want to start a fight. What's your own view?\n"
    "Client: I'm not on birth control. I had a scare last month.\n"
    "Counselor: That scared you.\n"
    "Client: So much. I can't have a baby right now.\n"
    "Counselor: School matters a lot to you right now.\n"
    "Client: Yeah. I want to finish. Maybe I'll ask about the implant.\n"
    "Counselor: How would you bring it up with him?\n"
    "Client: Just tell him. Condoms until the implant.\n"
)


def test_a_lecture_names_the_behavior_in_the_clients_words_and_is_not_called_mi() -> None:
    d = draft(LECTURE)
    note = _note(d)
    assert "Client discussed alcohol use (“cold ones”)." in note
    assert "motivational interviewing" not in note
    assert _grounded(d)


def test_a_reflective_conversation_is_motivational_interviewing() -> None:
    d = draft(REFLECTIVE)
    note = _note(d)
    assert "sexual health and contraception (“condoms”)" in note
    assert "Clinician used motivational interviewing (reflective listening, open questions)" in note
    assert _grounded(d)


@pytest.mark.parametrize(
    ("said", "label"),
    [
        ("My PO says one more dirty test and it's a violation. Probation is no joke.", "probation and legal matters"),
        ("My sugar was three hundred this morning. My sugar numbers are all over.", "diabetes self-management"),
        ("I'm on the Xbox till two. Gaming is the only thing I look forward to.", "screen time and gaming"),
        ("I forget the purple inhaler. The inhaler is in my backpack somewhere.", "asthma self-management"),
        ("I skip my blood pressure pills when I drive. My blood pressure meds make me pee.", "medication adherence"),
    ],
)
def test_target_behaviors_said_in_everyday_words(said: str, label: str) -> None:
    first, second = said.split(". ", 1)
    d = draft(
        f"Counselor: What would you like to talk about today?\nClient: {first}.\nCounselor: Tell me more.\n"
        f"Client: {second}\nCounselor: What would you like to be different?\nClient: I don't know yet.\n"
    )
    assert label in _note(d)


def test_a_behavior_named_in_passing_in_a_long_session_is_not_its_focus() -> None:
    turns = ["Therapist: How has the week been?", "Client: I walk down the stairs sitting down now."]
    turns += [f"Therapist: What happened next, part {i}?\nClient: I felt anxious about it again." for i in range(30)]
    turns += ["Therapist: Did you walk anywhere?", "Client: No."]
    note = _note(draft("\n".join(turns) + "\n"))
    assert "exercise" not in note


def test_the_clients_own_word_is_chosen_the_same_way_every_time() -> None:
    words = {_note(draft(LECTURE)) for _ in range(3)}
    assert len(words) == 1


def test_a_summarized_denial_agreed_with_is_a_denial() -> None:
    d = draft(
        "Counselor: Any thoughts of ending your life lately?\nClient: No. Not like that.\n"
        "Counselor: Let me pull it together. You told me you don't have thoughts of ending your life. Importance is "
        "a ten.\nClient: Yeah. That's a lot. But yeah.\n"
    )
    assert {(f.type, f.polarity) for f in d.risk_flags} == {("suicidal_ideation", "denied")}


def test_a_question_that_mentions_not_calling_it_suicide_is_still_a_question() -> None:
    d = draft(
        "Therapist: sometimes people don't think of it as suicide but they'll have thoughts like i wish i could go "
        "to sleep and not wake up does anything like that come up\nClient: yeah. sometimes. at night.\n"
    )
    assert ("suicidal_ideation", "endorsed") in {(f.type, f.polarity) for f in d.risk_flags}


def test_the_confidence_ruler_asked_on_the_same_scale() -> None:
    d = draft(
        "Therapist: On a scale from zero to ten, how important is it to you to cut back on the beers?\n"
        "Client: Maybe a six.\n"
        "Therapist: And how confident are you, same scale, that you could cut back?\nClient: Four.\n"
    )
    note = _note(d)
    assert "Asked to rate importance, client said: “Maybe a six”." in note
    assert "Asked to rate confidence, client said: “Four”." in note
