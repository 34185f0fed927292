"""The kinds of speech that sessions written by other people contain, each drafted wrong before (issue #11).

Every test runs the whole engine on a short transcript and reads the draft as a clinician would: the flags, and
the sentences of the note and of the private draft. Each sentence must also pass the grounding check, which
`draft()` enforces by dropping any that does not.
"""

from __future__ import annotations

import pytest

from confide.drafting import draft
from confide.drafting.model import Draft


def _flags(result: Draft) -> set[tuple[str, str]]:
    return {(f.type, f.polarity) for f in [*result.risk_flags, *result.risk_context]}


def _note(result: Draft) -> str:
    return "\n".join(s.text for ss in result.sections.values() for s in ss)


def _private(result: Draft) -> str:
    return "\n".join(s.text for s in result.private_draft)


def test_passive_ideation_before_denying_a_plan_stays_endorsed() -> None:
    result = draft(
        "Therapist: Any thoughts of death lately?\n"
        "Client: Sometimes I wish I wouldn't wake up. But I'm not going to do anything.\n"
        "Therapist: Any thoughts of killing yourself?\n"
        "Client: No.\n",
        "text",
    )
    assert _flags(result) == {("suicidal_ideation", "endorsed")}
    note = _note(result)
    assert "Client endorsed passive suicidal ideation" in note
    assert "wish I wouldn't wake up" in note
    assert "Client denied suicidal ideation" not in note
    assert "Client denied active suicidal ideation." in note
    assert "Client denied intent to act." in note


def test_ideation_minimised_later_stays_endorsed_with_the_retraction_noted() -> None:
    result = draft(
        "Therapist: Any thoughts of suicide this week?\n"
        "Client: Honestly, everyone would be better off without me.\n"
        "Therapist: Let's talk about what has been going on at home.\n"
        "Client: My roommate moved out, it's been quiet.\n"
        "Therapist: How are you feeling about what you said earlier?\n"
        "Client: I didn't really mean it, I was just venting.\n",
        "text",
    )
    assert _flags(result) == {("suicidal_ideation", "endorsed")}
    assert "Client afterwards minimized the statement" in _note(result)


@pytest.mark.parametrize(
    "said",
    [
        "I burned my arm with a lighter on Saturday.",
        "I've been scratching my arms until they bleed.",
        "I hit my head against the wall until it hurt.",
        "I carved into my thigh with a pencil sharpener blade.",
    ],
)
def test_self_harm_described_without_the_word_is_self_harm(said: str) -> None:
    result = draft(f"Therapist: How was the weekend?\nClient: {said}\n", "text")
    assert ("self_harm", "endorsed") in _flags(result), said


def test_punching_a_wall_is_not_self_injury() -> None:
    result = draft("Therapist: How was the weekend?\nClient: I got so mad I punched the wall.\n", "text")
    assert not any(t == "self_harm" for t, _ in _flags(result))


def test_someone_elses_message_quoted_is_their_risk_not_the_clients() -> None:
    result = draft(
        "Therapist: What happened with your friend?\n"
        'Client: My friend Jess texted me last night saying "I don\'t want to be alive anymore" and I froze.\n'
        "Therapist: That's scary. And you, any thoughts of suicide yourself?\n"
        "Client: Not really.\n",
        "text",
    )
    assert _flags(result) == {("suicidal_ideation", "other"), ("suicidal_ideation", "denied")}


def test_a_song_quoted_is_not_risk() -> None:
    result = draft(
        'Client: There\'s this song I keep playing, the line goes "I want to die tonight" and it gets stuck.\n'
        "Therapist: What draws you to it?\n",
        "text",
    )
    assert ("suicidal_ideation", "endorsed") not in _flags(result)


def test_a_question_about_confidentiality_is_not_an_answer() -> None:
    result = draft(
        "Therapist: Have you had thoughts of suicide?\n"
        "Client: If I told you I had, would you have to tell someone?\n"
        "Therapist: Only if you were in danger right now. So, have you?\n"
        "Client: A little, yeah. Last week mostly.\n",
        "text",
    )
    assert _flags(result) == {("suicidal_ideation", "endorsed")}


@pytest.mark.parametrize(
    ("answer", "polarity"), [("Mm-mm. No.", "denied"), ("Uh-uh.", "denied"), ("Mm-hmm.", "endorsed")]
)
def test_one_word_answers_on_the_next_line(answer: str, polarity: str) -> None:
    result = draft(f"Therapist: Any thoughts of harming someone else?\nClient: {answer}\n", "text")
    assert _flags(result) == {("homicidal_ideation", polarity)}


def test_jotted_points_read_denies_after_the_term_and_not_assessed_as_nothing() -> None:
    result = draft(
        "- pt reports mood low, sleep 4 hrs/night\n"
        "- SI: denies\n"
        "- HI: not assessed\n"
        "- SH: not assessed\n"
        "- for me only: I felt protective of her; countertransference?\n",
        "points",
    )
    assert _flags(result) == {("suicidal_ideation", "denied")}
    note, private = _note(result), _private(result)
    assert "not assessed" not in note
    assert "countertransference" in private and "countertransference" not in note
    assert "for me only" not in private.lower()


def test_homicidal_ideation_toward_a_named_person_with_plan_intent_and_means() -> None:
    result = draft(
        "Therapist: Is there anyone you've thought about hurting?\n"
        "Client: Yeah. Mark, my ex. I've thought about going over there with my dad's gun. It's in the garage "
        "cabinet.\n"
        "Therapist: Do you intend to do that?\n"
        "Client: Part of me does.\n",
        "text",
    )
    flag = next(f for f in result.risk_flags if f.type == "homicidal_ideation")
    assert flag.polarity == "endorsed"
    assert flag.plan is True and flag.intent is True
    assert any(m.startswith("gun") and "garage" in m for m in flag.means)


def test_intrusive_thoughts_of_harming_the_baby_are_not_homicidal_ideation() -> None:
    result = draft(
        "Therapist: What's been going on with the thoughts?\n"
        "Client: I keep getting these thoughts of hurting my baby, like what if I drop her, and they horrify me.\n",
        "text",
    )
    assert ("homicidal_ideation", "endorsed") not in _flags(result)
    assert "intrusive thoughts" in _note(result)


def test_a_counselling_session_names_its_target_behavior_and_mi() -> None:
    result = draft(
        "Counselor: What brings you here today?\n"
        "Client: My doctor said I should talk to someone about my drinking.\n"
        "Counselor: What do you think about that?\n"
        "Client: I drink maybe four or five beers a night. Everyone does.\n"
        "Counselor: Would it be okay if I shared some information about alcohol and sleep?\n"
        "Client: Sure.\n"
        "Counselor: What concerns do you have about your drinking, if any?\n"
        "Client: The hangovers at work. And I spend a lot on beer.\n"
        "Counselor: It's up to you. What would you like to do about it?\n"
        "Client: Maybe cut down to two drinks on weeknights.\n",
        "text",
    )
    note = _note(result)
    assert "Session focused on alcohol use." in note
    assert "motivational interviewing" in note
    assert "four or five beers a night" in note


def test_a_single_mi_move_in_a_cbt_session_is_not_mi() -> None:
    result = draft(
        "Therapist: Let's look at that thought, 'I always fail'. It's up to you where we start.\n"
        "Client: I guess maybe always is too strong.\n",
        "text",
    )
    note = _note(result)
    assert "motivational interviewing" not in note
    assert "Client responded to cognitive restructuring" in note


def test_quantities_and_symptoms_in_the_notes_voice() -> None:
    result = draft(
        "Therapist: How's sleep?\nClient: I'm sleeping maybe four hours a night and I don't enjoy anything "
        "anymore.\nTherapist: Panic?\nClient: I had three panic attacks this week.\n",
        "text",
    )
    note = _note(result)
    assert "stating they are sleeping maybe four hours a night" in note
    assert "stating they don't enjoy anything anymore" in note
    assert "three panic attacks this week" in note
    assert "\u201cI'm sleeping" not in note  # not a quote of the client's first person


def test_an_administrative_session_says_so_and_invents_nothing() -> None:
    result = draft(
        "Therapist: I got a letter from your insurance about the new deductible.\n"
        "Client: Yeah, they changed my plan. My copay went up.\n"
        "Therapist: I can give you a superbill for claims.\n"
        "Client: Thanks. Also can we reschedule next week?\n"
        "Therapist: Sure, let's move the appointment to Thursday.\n"
        "Client: Great.\n",
        "text",
    )
    note = _note(result)
    assert "Session addressed administrative matters (insurance, scheduling)." in note
    assert not result.risk_flags
    for invented in ("mood", "sleep", "denied", "anxiety"):
        assert invented not in note.lower()


def test_a_speaker_who_says_she_is_the_mom_is_a_parent_in_the_room() -> None:
    result = draft(
        "Speaker 1: Hi, how has the week been?\n"
        "Speaker 2: Not great, I stayed in my room a lot.\n"
        "iPhone (2): Sorry, I'm her mom, I just joined.\n"
        "Speaker 1: Welcome.\n",
        "text",
    )
    roles = {u.speaker: u.role for u in result.utterances}
    assert roles["iPhone (2)"] == "other"
    assert roles["Speaker 1"] == "clinician"


def test_a_past_attempt_with_a_current_denial_is_both() -> None:
    result = draft(
        "Therapist: Have you ever tried to end your life?\n"
        "Client: I overdosed two years ago. But nothing like that now, I don't have those thoughts.\n",
        "text",
    )
    assert _flags(result) == {("suicidal_ideation", "past"), ("suicidal_ideation", "denied")}


def test_lethal_means_counselling_is_safety_planning() -> None:
    result = draft(
        "Therapist: Would your husband be willing to keep the gun at his brother's place for now?\n"
        "Client: Yeah, he'd do that.\n",
        "text",
    )
    assert "safety planning" in _note(result)


@pytest.mark.parametrize(
    "said",
    [
        "Sometimes I think about just not being here anymore.",
        "I've been having thoughts that it would be easier to not exist.",
        "I don't see the point in going on.",
        "I wouldn't mind if I got hit by a bus.",
        "Everyone would be better off if I wasn't here.",
        "I'm tired of living like this.",
    ],
)
def test_passive_ideation_in_everyday_words_is_endorsed(said: str) -> None:
    result = draft(f"Therapist: How has it been?\nClient: {said}\n", "text")
    assert _flags(result) == {("suicidal_ideation", "endorsed")}, said
    assert result.risk_flags[0].passive


@pytest.mark.parametrize(
    "said", ["I've thought about driving my car off the road.", "I took a bunch of pills on Friday but threw them up."]
)
def test_suicidal_acts_and_methods_in_everyday_words_are_endorsed(said: str) -> None:
    result = draft(f"Therapist: How has it been?\nClient: {said}\n", "text")
    assert ("suicidal_ideation", "endorsed") in _flags(result), said


def test_id_rather_die_than_is_a_figure_of_speech() -> None:
    result = draft("Therapist: The presentation?\nClient: I'd rather die than give that presentation.\n", "text")
    assert ("suicidal_ideation", "endorsed") not in _flags(result)


@pytest.mark.parametrize(
    "said",
    [
        "I burned my hand on the stove.",
        "It's so itchy, I keep scratching myself.",
        "I'm a cook, I cut fish for hours every morning.",
        "I hit my head on the floor when I fell.",
    ],
)
def test_accidents_itches_and_kitchen_work_are_not_self_harm(said: str) -> None:
    result = draft(f"Therapist: What happened?\nClient: {said}\n", "text")
    assert not any(t == "self_harm" and p == "endorsed" for t, p in _flags(result)), said


def test_or_others_in_a_list_of_symptoms_is_not_a_homicide_question() -> None:
    result = draft("Therapist: Any nausea, vomiting, diarrhea, or others?\nClient: No.\n", "text")
    assert not result.risk_flags


@pytest.mark.parametrize(
    ("said", "private_words"),
    [
        ("My sister had an abortion last year and nobody in the family knows.", "abortion"),
        ("My best friend told me she's gay and she hasn't told her parents.", "gay"),
        ("When I was nine my uncle used to come into my room at night.", "uncle"),
    ],
)
def test_a_third_partys_secret_and_trauma_detail_go_to_the_private_draft(said: str, private_words: str) -> None:
    result = draft(f"Therapist: What's on your mind?\nClient: {said}\n", "text")
    assert private_words in _private(result)
    assert private_words not in _note(result)
    assert "Client discussed" in _note(result)


def test_the_clinicians_own_reaction_in_points_stays_private_even_with_symptom_words() -> None:
    result = draft(
        "- pt discussed conflict w/ partner\n"
        "- for me only: felt irritated when she laughed at the plan; my own stuff about my mother?\n"
        "- clinician reaction: protective\n"
        "- for me only: she takes sertraline 50 mg\n",
        "points",
    )
    private = _private(result)
    assert "Felt irritated when she laughed at the plan" in private
    assert "Clinician reaction: protective." in private
    assert "sertraline" not in private  # a medication is never in a psychotherapy note
    assert "irritated" not in _note(result)


@pytest.mark.parametrize(
    ("said", "named"),
    [
        ("We'll try sleep restriction: your sleep window is midnight to six.", "CBT for insomnia"),
        ("Let's set a worry time, fifteen minutes at 6 pm, and postpone the worries until then.", "worry postponement"),
        ("When you feel flooded, take a time-out, and come back with a softened start-up.", "couples work"),
        ("Let's do some resourcing first, go to your calm place.", "trauma-focused work"),
        ("Today we'll do interoceptive exposure, spinning in the chair for thirty seconds.", "exposure work"),
        ("Let's do a chain analysis of Friday and fill in your diary card.", "DBT skills"),
    ],
)
def test_named_interventions_are_recognised(said: str, named: str) -> None:
    assert f"Clinician used {named}" in _note(draft(f"Therapist: {said}\nClient: Okay.\n", "text"))


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        ("You haven't had any thoughts of suicide since last time, right?", "Right.", "denied"),
        ("No thoughts of hurting yourself this week, correct?", "Correct.", "denied"),
        ("Any thoughts of suicide this week?", "Right, yeah, a few.", "endorsed"),
        ("Any thoughts of suicide this week?", "Um, no.", "denied"),
    ],
)
def test_answers_to_negatively_worded_questions_and_answers_after_a_filler(
    question: str, answer: str, expected: str
) -> None:
    result = draft(f"Therapist: {question}\nClient: {answer}\n", "text")
    assert {p for _, p in _flags(result)} == {expected}


def test_the_clients_own_account_is_kept_where_the_vocabulary_names_nothing() -> None:
    result = draft(
        "Therapist: How was the week?\n"
        "Client: I called in sick twice this week because I couldn't face the commute.\n"
        "Therapist: What happened on Thursday?\n"
        "Client: I finally told my manager I need to switch teams.\n",
        "text",
    )
    note = _note(result)
    assert "they called in sick twice this week" in note
    assert "they finally told their manager they need to switch teams" in note


def test_duty_to_warn_steps_are_in_the_plan() -> None:
    result = draft(
        "Therapist: Given what you told me, I have a duty to warn, so I will need to notify the police today.\n"
        "Client: Okay. I understand.\n",
        "text",
    )
    plan = " ".join(s.text for s in result.sections["plan"])
    assert "Duty to warn" in plan and "notify the police" in plan
