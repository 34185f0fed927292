"""Rules from the sixth round of outside sessions: a condition said on its own, a self-harm history question, the
particulars of an administrative session."""

from __future__ import annotations

from confide.drafting import draft, unsupported_reason
from confide.drafting.model import Draft


def _flags(d: Draft) -> set[tuple[str, str]]:
    return {(f.type, f.polarity) for f in d.risk_flags}


def _note(d: Draft) -> str:
    return "\n".join(s.text for ss in d.sections.values() for s in ss)


def _all_grounded(d: Draft) -> bool:
    by_id = {u.id: u for u in d.utterances}
    sentences = [s for ss in d.sections.values() for s in ss] + d.private_draft
    return all(unsupported_reason(s.text, s.evidence, by_id) is None for s in sentences)


def test_a_thought_under_a_condition_said_on_its_own_is_hypothetical_and_charted() -> None:
    d = draft(
        "Therapist: Is there anything else on your mind about that?\n"
        "Client: If something happened to my mom too. Like if I lost her too. I don't know that I'd want to keep "
        "going. I've thought that. Like as an if.\n"
        "Therapist: What about right now, today, any thoughts of ending your life?\n"
        "Client: No. Right now, no. I want to be here.\n"
    )
    assert _flags(d) == {("suicidal_ideation", "hypothetical"), ("suicidal_ideation", "denied")}
    note = _note(d)
    assert "conditional thought of suicidal ideation, not current" in note
    assert "I don't know that I'd want to keep going" in note
    assert _all_grounded(d)


def test_not_wanting_to_keep_going_without_a_condition_is_endorsed() -> None:
    d = draft("Therapist: How have the nights been?\nClient: Bad. Some nights I honestly don't want to keep going.\n")
    assert ("suicidal_ideation", "endorsed") in _flags(d)


def test_keeping_going_to_a_place_is_not_ideation() -> None:
    d = draft("Therapist: And the gym?\nClient: I don't want to keep going to that gym, it's too crowded.\n")
    assert _flags(d) == set()


def test_ever_tried_to_hurt_yourself_answered_no_is_a_self_harm_denial() -> None:
    d = draft("Therapist: Have you ever tried to hurt yourself?\nClient: No.\n")
    assert _flags(d) == {("self_harm", "denied")}
    assert "Client denied self-harm." in _note(d)


def test_asked_with_suicide_the_history_question_is_about_attempts() -> None:
    d = draft("Therapist: Have you ever tried to hurt yourself or end your life in the past?\nClient: No.\n")
    assert ("self_harm", "denied") not in _flags(d)
    assert "Client denied ever attempting suicide or self-harm." in _note(d)


def test_an_administrative_session_keeps_its_particulars_and_the_read_back() -> None:
    d = draft(
        "Therapist: You wanted to start with the insurance thing.\n"
        "Client: Yes. My company is switching plans on January first, from Crestline to Keystone.\n"
        "Therapist: I'm not in network with Keystone. I can give you a superbill every month.\n"
        "Client: It says out-of-network is sixty percent after the deductible. The deductible is fifteen hundred.\n"
        "Therapist: My sliding scale fee would be ninety dollars a session. Let's look at the calendar.\n"
        "Client: Can we reschedule to Tuesdays? Five thirty?\n"
        "Therapist: Let me say it back so we have the same thing. Every other Tuesday at five thirty starting "
        "January twelfth, at ninety dollars on the sliding scale.\n"
    )
    note = _note(d)
    assert "Session addressed administrative matters" in note
    assert "Crestline" in note and "fifteen hundred" in note and "sliding scale" in note
    assert "Plan as recapped in session: “Every other Tuesday at five thirty starting January twelfth" in note
    assert "suicid" not in note.lower()
    assert _all_grounded(d)


def test_particulars_are_not_quoted_outside_an_administrative_session() -> None:
    d = draft(
        "Therapist: How was the week?\nClient: Rough. I couldn't sleep, maybe four hours a night.\n"
        "Therapist: That's hard.\nClient: And my insurance deductible is fifteen hundred starting January.\n"
        "Therapist: Let's talk about the sleep.\nClient: Okay. I lie awake worrying about work.\n"
    )
    assert "Client said: “And my insurance deductible" not in _note(d)
