"""Rules from the sixth round of outside sessions: a condition said on its own, a self-harm history question, the
particulars of an administrative session."""

from __future__ import annotations

import pytest

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


def test_the_phq9_item_nine_wording_is_the_suicide_item_and_how_often_asks_no_new_question() -> None:
    d = draft(
        "Therapist: The ninth question, the one about thoughts that you'd be better off dead or of hurting yourself. "
        "You marked several days.\n"
        "Client: Yeah. Some nights I think, if I fell asleep and sort of, stayed asleep. For good.\n"
        "Therapist: How often are these thoughts coming? Every night, a few nights?\n"
        "Client: Maybe two, three nights this week.\n"
    )
    assert _flags(d) == {("suicidal_ideation", "endorsed")}
    assert "was unsure" not in _note(d)


def test_self_harm_told_by_its_tools_and_its_scars() -> None:
    d = draft(
        "Therapist: Can you tell me what happened Thursday, in your words?\n"
        "Client: I took the little blade out of the pencil sharpener. And I did the, on my hip. Like four lines.\n"
        "Therapist: And back in high school there was the lighter. Has that come up at all lately?\n"
        "Client: No. Not since I was like sixteen. The burns on my wrist are just scars now.\n"
    )
    assert _flags(d) == {("self_harm", "endorsed"), ("self_harm", "past")}


def test_attacking_in_a_couples_session_is_criticism_not_violence() -> None:
    d = draft("Therapist: How did that land?\nClient: Honestly, better. It's not attacking Ana. I could hear that.\n")
    assert _flags(d) == set()


def test_a_threat_taken_back_as_a_joke_is_figurative() -> None:
    d = draft(
        "Therapist: Any thoughts of hurting anyone?\n"
        "Client: Not really. I mean, I want to kill my little brother when he steals my charger. [laughs] But no. "
        "No, not for real.\n"
    )
    assert _flags(d) == {("homicidal_ideation", "denied")}
    assert ("homicidal_ideation", "figurative") in {(f.type, f.polarity) for f in d.risk_context}


def test_a_friends_message_read_out_is_the_friends_risk_and_not_the_clients_symptom() -> None:
    d = draft(
        "Therapist: What's been on your mind?\n"
        "Client: It's my friend. He sent me this on Snap last night. It says, \"honestly i don't see the point "
        'anymore. if i just stopped existing nobody would even notice lol." And then he left the chat.\n'
    )
    assert _flags(d) == set()
    assert ("suicidal_ideation", "other") in {(f.type, f.polarity) for f in d.risk_context}
    assert "hopeless" not in _note(d)
    assert "stopped existing" in "\n".join(s.text for s in d.private_draft)
    assert _all_grounded(d)


def test_phone_charges_are_not_legal_matters() -> None:
    d = draft("Therapist: Where does the phone go at night?\nClient: Phone charges in the kitchen at ten now.\n")
    assert "legal" not in _note(d) + "\n".join(s.text for s in d.private_draft)


def _measures(d: Draft) -> list[str]:
    return [s.text for ss in d.sections.values() for s in ss if " score " in s.text]


def test_the_mood_one_is_not_a_score_of_one_and_the_total_said_later_is_the_score() -> None:
    d = draft(
        "Therapist: Before we get going, I had you fill out the questionnaire in the portal, the PHQ-9, the mood one.\n"
        "Client: Yeah, I did it on the bus.\n"
        "Therapist: How was the week?\nClient: Long. I called in sick Wednesday.\n"
        "Therapist: So your score on the questionnaire, when I add it up, it came out to sixteen.\n"
    )
    assert _measures(d) == ["PHQ-9 score 16 (moderately severe range)."]
    assert _all_grounded(d)


def test_the_one_with_twenty_questions_and_the_earlier_score() -> None:
    d = draft(
        "Therapist: And the checklist you did, the PCL-5, the one with the twenty questions, your total was "
        "fifty-two. At intake it was fifty-eight.\nClient: Fifty-two. That's still high, right?\n"
    )
    assert _measures(d) == ["PCL-5 score 52, previously 58."]
    assert _all_grounded(d)


def test_a_work_audit_is_not_the_alcohol_screen_and_yale_brown_is_the_y_bocs() -> None:
    audit = draft("Therapist: And the work stuff?\nClient: For the audit, it's one more week of checklists.\n")
    assert _measures(audit) == []
    ybocs = draft(
        "Therapist: Last week you filled out the Yale-Brown checklist with me. Your total came out to twenty-six.\n"
        "Client: Twenty-six. Okay.\n"
    )
    assert _measures(ybocs) == ["Y-BOCS score 26 (severe range)."]


def test_a_count_answering_how_many_is_charted_with_its_period() -> None:
    d = draft(
        "Therapist: First, how many panic attacks this week? Full ones.\n"
        "Client: Two. Tuesday at the grocery store, and Saturday night.\n"
    )
    assert "Client reports two panic attacks this week." in _note(d)
    assert _all_grounded(d)


def test_a_new_subject_after_and_is_outside_the_negation() -> None:
    d = draft(
        "Therapist: What brings you both in?\n"
        "Client: He isn't getting enough sleep, and it's making mornings hard, and my grades are dropping.\n"
    )
    assert "denies impaired" not in _note(d)


def test_a_joke_about_liking_the_session_is_not_a_confidence() -> None:
    d = draft(
        "Therapist: Same time next Friday?\n"
        "Client: Friday works. Thanks, this was, weirdly, kind of fun? Don't tell anyone.\n"
    )
    assert not [s for s in d.private_draft if "confidence" in s.text]


def test_family_homework_keeps_its_second_task_and_its_day_is_not_the_next_session() -> None:
    turns = [f"Therapist: Point {i}.\nClient: Okay, sure." for i in range(8)]
    turns.append(
        "Therapist: So homework for the family: the phone agreement starts tonight. And one family meeting, twenty "
        "minutes, Sunday evening, to check how it's going."
    )
    note = _note(draft("\n".join(turns) + "\n"))
    assert "Homework: the phone agreement starts tonight; one family meeting, twenty minutes, Sunday evening" in note
    assert "Next session: Sunday" not in note


def test_the_firearm_question_asked_late_in_a_risk_assessment_is_charted() -> None:
    turns = [
        "Therapist: Have you had thoughts of ending your life?",
        "Client: Yeah. Some. More than some, this week.",
    ]
    turns += [f"Therapist: Tell me about part {i} of the week.\nClient: It was hard, honestly." for i in range(12)]
    turns += ["Therapist: And are there any guns in the house, or anywhere you could get to one?"]
    turns += ["Client: No. Never had one."]
    d = draft("\n".join(turns) + "\n")
    assert "Asked about access to guns, client said: “No. Never had one”." in _note(d)


def test_a_prescribed_opioid_is_not_a_drug_use_focus() -> None:
    d = draft(
        "Therapist: What happened Sunday?\n"
        "Client: I took out the bottle from my back surgery. The oxy. And I counted them.\n"
        "Therapist: Would you be willing to have Keisha take the oxycodone out of the house today?\n"
        "Client: Yeah. She can take the oxycodone.\n"
    )
    assert "drug use" not in _note(d)


def test_someone_elses_message_is_said_to_be_whose() -> None:
    d = draft(
        "Therapist: What's going on?\nClient: It's not about me. It's my friend. He sent me this on Snap.\n"
        "Therapist: What does it say?\n"
        'Client: It says, "if i just stopped existing nobody would even notice lol." And then he left the chat.\n'
    )
    private = "\n".join(s.text for s in d.private_draft)
    assert "Another person's risk (the client's friend), as described: “" in private
    assert "if i just stopped existing" in private
    assert _all_grounded(d)


# Medical visits from the public MTS-Dialog and ACI-Bench training dialogues, where no risk was discussed: the words
# that read like self-harm or homicide there are injuries, surgery and causes of death.
@pytest.mark.parametrize(
    "said",
    [
        "I also felt very instable and had a fall. I was just being stubborn and hurt myself.",
        "He was trying to climb a tree, slipped from there and got a deep cut on his thigh.",
        "My mom's death was a mystery. So we never got to know what killed her.",
        "So I started to make some dietary modifications. Unfortunately, I haven't cut the stone out quite yet.",
    ],
)
def test_injuries_and_causes_of_death_in_a_medical_visit_are_not_risk(said: str) -> None:
    d = draft(f"Doctor: What brings you in today?\nPatient: {said}\n")
    assert _flags(d) == set()


def test_a_confidence_keeps_the_short_pieces_before_it_and_a_disclosure_its_next_pieces() -> None:
    d = draft(
        "Therapist: Your brother?\n"
        "Client: Terrence. Yeah. He's using again. He told me at Thanksgiving, made me swear not to tell my mom.\n"
        "Therapist: What did you write about this week?\n"
        "Client: Last time I wrote about what he did. About my uncle. The basement, when I was nine, all of that.\n"
    )
    private = "\n".join(s.text for s in d.private_draft)
    assert "Shared in confidence, as the client said it: “Terrence. Yeah. He's using again." in private
    disclosure = "“Last time I wrote about what he did. About my uncle. The basement, when I was nine, all of that”"
    assert disclosure in private
    note = _note(d)
    assert "basement" not in note and "using again" not in note
    assert _all_grounded(d)


def test_safe_with_breastfeeding_is_not_a_gun_safe_and_suds_is_not_trauma_work() -> None:
    d = draft(
        "Therapist: The fluoxetine went up to forty. Any side effects?\n"
        "Client: It's safe with the breastfeeding, she checked. My SUDS was eighty at the start.\n"
        "Therapist: Okay, homework. Once a day, thirty minutes, you cook something with the chef's knife.\n"
    )
    note = _note(d)
    assert "Lethal means counseling" not in note
    assert "trauma-focused" not in note
    assert "Homework: once a day, thirty minutes" in note
