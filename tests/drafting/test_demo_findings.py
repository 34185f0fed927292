"""Findings from the demo session, each drafted wrong before: a loss said with "anymore" is current, a short night's
sleep in hours is a sleep disturbance, and a person named as the reason to keep going is a protective factor."""

from confide.drafting import draft

SESSION = (
    "Therapist: How has your mood been this week?\n"
    "Client: Honestly pretty low. Sometimes I wish I wouldn't wake up.\n"
    "Therapist: Are you having any thoughts of killing yourself, any plan?\n"
    "Client: No, no plan. I would never do anything.\n"
    "Therapist: And sleep?\n"
    "Client: About four hours a night. I don't enjoy anything anymore.\n"
    "Client: My sister is the reason I keep going.\n"
)


def _subjective(result: object) -> str:
    return " ".join(s.text for s in result.sections["subjective"])  # type: ignore[attr-defined]


def test_a_loss_said_with_anymore_is_current_not_past() -> None:
    text = _subjective(draft(SESSION, "text"))
    assert "Client reports anhedonia" in text
    assert "past anhedonia" not in text


def test_what_the_client_used_to_do_stays_past() -> None:
    for said in ("I used to cut but not anymore.", "I don't cut anymore."):
        result = draft(f"Therapist: Any self-harm?\nClient: {said}\n", "text")
        polarities = {f.polarity for f in result.risk_flags if f.type == "self_harm"}
        assert "endorsed" not in polarities and "past" in polarities, (said, polarities)


def test_hours_of_sleep_a_night_is_recorded() -> None:
    assert "sleep disturbance" in _subjective(draft(SESSION, "text"))
    rested = draft("Therapist: Sleep?\nClient: I get about eight hours a night, I feel rested.\n", "text")
    assert "sleep disturbance" not in _subjective(rested)


def test_a_person_named_as_the_reason_to_keep_going_is_protective() -> None:
    result = draft(SESSION, "text")
    [flag] = [f for f in result.risk_flags if f.type == "suicidal_ideation"]
    assert (flag.polarity, flag.passive) == ("endorsed", True)  # passive SI stays endorsed despite the denied plan
    assert any("sister" in p for p in flag.protective_factors)


def test_the_phq_nine_is_the_instruments_name_not_a_score() -> None:
    said = "Therapist: You filled out the PHQ nine in the waiting room. Your score was 17.\nClient: Sounds right.\n"
    objective = [s.text for s in draft(said, "text").sections["objective"]]
    assert objective == ["PHQ-9 score 17 (moderately severe range)."]
    assert [s.text for s in draft("Therapist: Let's do the PHQ nine now.\n", "text").sections["objective"]] == []


def test_homicidal_ideation_toward_a_named_person_is_flagged() -> None:
    said = (
        "Therapist: How are things with your neighbor?\n"
        "Client: I'm going to kill Dave. I've got a pistol in the truck and I know when he gets home.\n"
    )
    flags = {(f.type, f.polarity) for f in draft(said, "text").risk_flags}
    assert ("homicidal_ideation", "endorsed") in flags
    calm = "Therapist: Plans for the week?\nClient: I'll call Dave on Monday about the fence.\n"
    assert not draft(calm, "text").risk_flags
