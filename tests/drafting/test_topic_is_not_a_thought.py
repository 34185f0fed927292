"""Risk words that name a topic, a service, something said earlier or a pastime are not anyone's risk; figures of
speech are figurative; passive ideation in fresh words is still endorsed. Each case a line a client might say."""

from __future__ import annotations

import pytest

from confide.drafting import draft


def _flags(client_says: str) -> set[tuple[str, str]]:
    d = draft(f"Therapist: How was the week?\nClient: {client_says}\n")
    return {(f.type, f.polarity) for f in [*d.risk_flags, *d.risk_context]}


@pytest.mark.parametrize(
    "said",
    [
        "Suicide is a mortal sin in my family's church, so nobody talks about my uncle.",
        "I watched a documentary about suicide prevention and it made me think about my cousin.",
        "We watched a documentary about suicide in health class and it was awkward.",
        "The suicide hotline number is printed on the back of my student ID.",
        "Honestly the kms comment I made last time was just me being dramatic.",
        "My sister sent me some self-harm awareness video from her school.",
    ],
)
def test_a_topic_or_a_service_is_no_ones_risk(said: str) -> None:
    assert _flags(said) == set()


@pytest.mark.parametrize(
    ("said", "flag"),
    [
        ("I could've murdered him for taking my parking spot.", ("homicidal_ideation", "figurative")),
        ("I overdosed on Netflix this weekend, like nine episodes.", ("suicidal_ideation", "figurative")),
    ],
)
def test_a_figure_of_speech_is_figurative(said: str, flag: tuple[str, str]) -> None:
    assert _flags(said) == {flag}


@pytest.mark.parametrize(
    "said",
    [
        "If I got hit by a bus tomorrow I'd honestly be fine with it.",
        "Everyone would be better off without me around, that's how it feels.",
        "I think about just not being here anymore.",
    ],
)
def test_passive_ideation_in_fresh_words_is_endorsed(said: str) -> None:
    assert _flags(said) == {("suicidal_ideation", "endorsed")}


@pytest.mark.parametrize(
    "said",
    [
        "I took an overdose on Friday because I wanted to die.",
        "Yes. I think about suicide every day, mostly at night.",
        "I cut myself again on Sunday.",
    ],
)
def test_the_clients_own_risk_still_counts(said: str) -> None:
    assert any(polarity == "endorsed" for _, polarity in _flags(said))


def test_a_band_snapped_until_it_leaves_welts_is_self_harm_a_gentle_snap_is_not() -> None:
    assert _flags("I've been snapping a hair tie on my wrist really hard, like until it leaves welts.") == {
        ("self_harm", "endorsed")
    }
    assert _flags("My therapist in college taught me to snap a rubber band on my wrist instead of scrolling.") == set()


def test_figures_of_speech_and_other_peoples_risk_are_context_never_risk_flags() -> None:
    d = draft(
        "Therapist: How was the week?\n"
        "Client: This job is killing me. My friend tried to kill herself in college, years ago.\n"
        "Therapist: Any thoughts of suicide yourself?\n"
        "Client: No, never.\n"
    )
    assert {(f.type, f.polarity) for f in d.risk_flags} == {("suicidal_ideation", "denied")}
    assert {f.polarity for f in d.risk_context} == {"figurative", "other"}
    shape = d.to_dict()
    assert {f["polarity"] for f in shape["risk_context"]} == {"figurative", "other"}
    assert {f["polarity"] for f in shape["risk_flags"]} == {"denied"}


def test_i_could_have_murdered_him_is_a_grievance_unless_a_weapon_is_in_the_same_breath() -> None:
    assert _flags("I could've murdered him for that. Honestly. I could have murdered him.") == {
        ("homicidal_ideation", "figurative")
    }
    assert ("homicidal_ideation", "figurative") not in _flags("I could have killed him, I had the gun in my hand.")


def test_cutting_food_is_not_self_harm_and_cutting_at_fourteen_is() -> None:
    assert _flags("I was cutting a cucumber for dinner and cutting stuff for the salad.") == set()
    d = draft("- Hx of cutting at age 14, none since.\n", "points")
    assert {(f.type, f.polarity) for f in d.risk_flags} == {("self_harm", "past")}


@pytest.mark.parametrize("answer", ["Ew, no. I've never cut.", "Ugh, no.", "Dude, no."])
def test_an_interjection_before_no_is_still_a_no(answer: str) -> None:
    d = draft(f"Therapist: Any thoughts of hurting yourself, cutting, anything like that?\nClient: {answer}\n")
    assert {(f.type, f.polarity) for f in d.risk_flags} == {("self_harm", "denied")}


def test_a_couple_asked_about_hurting_yourselves_is_asked_about_self_harm() -> None:
    d = draft(
        "Therapist: And any thoughts of suicide or of hurting yourselves?\nMarcus: No.\nJen: No, neither of us.\n"
    )
    assert {(f.type, f.polarity) for f in d.risk_flags} == {("suicidal_ideation", "denied"), ("self_harm", "denied")}


@pytest.mark.parametrize(
    "said",
    ["Her client's been killing her with emails at midnight.", "I'll shoot her a text tonight about the group."],
)
def test_killing_with_and_shooting_a_text_are_figures_of_speech(said: str) -> None:
    assert _flags(said) <= {("homicidal_ideation", "figurative")}
    d = draft(f"Therapist: How was the week?\nClient: {said}\n")
    assert "homicidal" not in " ".join(s.text for ss in d.sections.values() for s in ss)
