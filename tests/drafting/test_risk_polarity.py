"""Risk statements honour polarity: only a current, first-person endorsement is an endorsement."""

import pytest

from confide.drafting import draft
from confide.drafting.transcript import TranscriptFormat


def _flags(transcript: str, fmt: TranscriptFormat = "text") -> set[tuple[str, str]]:
    result = draft(transcript, fmt)
    return {(f.type, f.polarity) for f in [*result.risk_flags, *result.risk_context]}


CLIENT_SAYS = [
    ("I'd never hurt myself.", {("self_harm", "denied")}),
    ("I would never kill myself, I couldn't do that to my kids.", {("suicidal_ideation", "denied")}),
    ("My brother tried to kill himself in March.", {("suicidal_ideation", "other")}),
    ("My best friend cuts herself and I'm scared for her.", {("self_harm", "other")}),
    ("Last year I cut my arms a lot.", {("self_harm", "past")}),
    ("When I was fifteen I tried to kill myself with pills.", {("suicidal_ideation", "past")}),
    ("I used to think about suicide in college.", {("suicidal_ideation", "past")}),
    ("When he left the dishes again I could kill him.", {("homicidal_ideation", "figurative")}),
    ("My mom is going to kill me when she sees my grades.", set()),
    ("This commute is killing me.", {("suicidal_ideation", "figurative")}),
    ("Sometimes I wish I could go to sleep and not wake up.", {("suicidal_ideation", "endorsed")}),
    ("I've been thinking about killing myself most nights this week.", {("suicidal_ideation", "endorsed")}),
    ("I cut myself last night after the fight.", {("self_harm", "endorsed")}),
    ("I want to hurt him the way he hurt me.", {("homicidal_ideation", "endorsed")}),
    (
        # Passive ideation is endorsed ideation; the denial beside it does not cancel it (see _endorsed_stands).
        "I don't want to die, but sometimes I wish I was dead.",
        {("suicidal_ideation", "endorsed")},
    ),
    ("Honestly everyone would be better off without me.", {("suicidal_ideation", "endorsed")}),
    ("I don't know if I want to be alive anymore.", set()),
    ("I'm not suicidal, I'm just exhausted.", {("suicidal_ideation", "denied")}),
    ("I haven't cut in two years.", {("self_harm", "denied")}),
    ("I would never hurt anyone, no matter how angry I get.", {("homicidal_ideation", "denied")}),
    ("My dad was suicidal when I was a kid.", {("suicidal_ideation", "other")}),
]


@pytest.mark.parametrize(("client_line", "expected"), CLIENT_SAYS)
def test_client_statement_polarity(client_line: str, expected: set[tuple[str, str]]) -> None:
    transcript = f"Therapist: How has this week been?\nClient: {client_line}\n"
    assert _flags(transcript) == expected


QUESTION_AND_ANSWER = [
    ("Have you had any thoughts of killing yourself?", "No.", {("suicidal_ideation", "denied")}),
    ("Any thoughts of suicide this week?", "Nope, none.", {("suicidal_ideation", "denied")}),
    ("Have you had thoughts of suicide?", "Sometimes, yeah. Mostly at night.", {("suicidal_ideation", "endorsed")}),
    ("Any urges to hurt yourself?", "Not since high school.", {("self_harm", "past")}),
    ("Any thoughts of hurting anyone else?", "No, nothing like that.", {("homicidal_ideation", "denied")}),
    # "Thoughts of hurting yourself" is the PHQ-9's suicide item: a screen for suicidal thinking.
    (
        "Any thoughts of hurting yourself or anyone else?",
        "No.",
        {("suicidal_ideation", "denied"), ("homicidal_ideation", "denied")},
    ),
    ("You're not having any thoughts of hurting yourself, are you?", "No.", {("suicidal_ideation", "denied")}),
    # Acts and urges are self-harm questions.
    ("Have you done anything to hurt yourself, like cutting?", "No.", {("self_harm", "denied")}),
    ("Any thoughts of hurting yourself in other ways?", "Nope.", {("self_harm", "denied")}),
    (
        "Any thoughts of suicide or of hurting yourself on purpose, like cutting?",
        "No.",
        {("suicidal_ideation", "denied"), ("self_harm", "denied")},
    ),
    (
        "What would you do if you started having thoughts of suicide again?",
        "I'd call my sister and use my plan.",
        {("suicidal_ideation", "hypothetical")},
    ),
    (
        "Have you had any thoughts of ending your life?",
        "I mean, I've thought about killing myself, yes.",
        {("suicidal_ideation", "endorsed")},
    ),
    (
        "Any thoughts of suicide?",
        "No. My brother tried to kill himself last year though.",
        {("suicidal_ideation", "denied"), ("suicidal_ideation", "other")},
    ),
]


@pytest.mark.parametrize(("question", "answer", "expected"), QUESTION_AND_ANSWER)
def test_screening_question_answered(question: str, answer: str, expected: set[tuple[str, str]]) -> None:
    assert _flags(f"Therapist: {question}\nClient: {answer}\n") == expected


def test_unanswered_screening_question_is_no_flag() -> None:
    assert _flags("Therapist: Have you had thoughts of suicide?\nClient: Can we talk about my sister first?\n") == set()


def test_clinician_words_alone_never_endorse() -> None:
    transcript = "Therapist: Many people with depression have thoughts of suicide.\nClient: Okay.\n"
    assert ("suicidal_ideation", "endorsed") not in _flags(transcript)


def test_plan_intent_means_and_protective_factors() -> None:
    transcript = (
        "Therapist: Have you been having thoughts of suicide?\n"
        "Client: Yeah, a lot this week.\n"
        "Therapist: Do you have a plan for how you would do it?\n"
        "Client: No, I don't have a plan.\n"
        "Therapist: Do you have access to a gun at home?\n"
        "Client: Yes, my husband keeps a rifle in the closet.\n"
        "Client: But I'd never actually do it. My kids need me.\n"
    )
    result = draft(transcript, "text")
    flag = next(f for f in result.risk_flags if f.polarity == "endorsed")
    assert flag.type == "suicidal_ideation"
    assert flag.plan is False
    assert flag.intent is False
    assert "rifle" in flag.means or "gun" in flag.means
    assert any("kids" in p for p in flag.protective_factors)
    assessment = " ".join(s.text for s in result.sections["assessment"])
    assert "Client endorsed suicidal ideation: \u201cYeah, a lot this week\u201d." in assessment
    assert "Client denied any plan." in assessment
    assert "denied intent" in assessment


def test_passive_ideation_is_labelled_passive() -> None:
    result = draft("Therapist: How are things?\nClient: Some days I wish I wouldn't wake up.\n", "text")
    assert [(f.type, f.polarity, f.passive) for f in result.risk_flags] == [("suicidal_ideation", "endorsed", True)]
    assert any("passive suicidal ideation" in s.text for s in result.sections["assessment"])


def test_denial_sentence_never_flipped_to_endorsement() -> None:
    result = draft("Therapist: Any thoughts of suicide?\nClient: No, never.\n", "text")
    text = " ".join(s.text for ss in result.sections.values() for s in ss)
    assert "Client denied suicidal ideation." in text
    assert "endorsed" not in text


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ("Denies SI/HI.", {("suicidal_ideation", "denied"), ("homicidal_ideation", "denied")}),
        ("Pt endorses passive SI, no plan or intent.", {("suicidal_ideation", "endorsed")}),
        ("Hx of cutting at age 14, none since.", {("self_harm", "past")}),
        ("Brother attempted suicide last year.", {("suicidal_ideation", "other")}),
        ("She cut herself last night after argument with partner.", {("self_harm", "endorsed")}),
    ],
)
def test_jotted_points_polarity(point: str, expected: set[tuple[str, str]]) -> None:
    assert _flags(f"- {point}\n", "points") == expected


@pytest.mark.parametrize("answer", ["I don't know.", "I'm not sure, honestly.", "Maybe. I don't know."])
def test_unsure_answer_is_never_a_denial(answer: str) -> None:
    result = draft(f"Therapist: Have you had thoughts of suicide?\nClient: {answer}\n", "text")
    assert {(f.type, f.polarity) for f in result.risk_flags} == {("suicidal_ideation", "equivocal")}
    assessment = [s.text for s in result.sections["assessment"]]
    assert not any("denied" in t for t in assessment)
    assert any(t.startswith("Client's answer about suicidal ideation was unsure:") for t in assessment)


def test_unsure_about_intent_is_reported_not_denied() -> None:
    transcript = (
        "Therapist: Have you been having thoughts of killing yourself?\n"
        "Client: Yeah. Every night this week.\n"
        "Therapist: Do you intend to act on these thoughts?\n"
        "Client: I don't know. I don't want to, but I'm scared of how I feel at night.\n"
    )
    result = draft(transcript, "text")
    (flag,) = result.risk_flags
    assert (flag.polarity, flag.intent) == ("endorsed", None)
    assessment = [s.text for s in result.sections["assessment"]]
    assert "Client denied intent to act." not in assessment
    assert any(t.startswith("Client was unsure about intent to act:") for t in assessment)
