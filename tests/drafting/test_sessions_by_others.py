"""The kinds of statement that sessions written by other people contain, one test per rule.

Each case is a short excerpt in the style of a real transcript; the assertions are on the flags and sentences a
clinician would read. (The full sessions are in bench/drafting/outside_set2 and heldout_set; these tests pin the rule
each one exercised, so a later change cannot quietly undo it.)
"""

from __future__ import annotations

import pytest

from confide.drafting import draft, unsupported_reason
from confide.drafting.model import Draft


def _flags(d: Draft) -> set[tuple[str, str]]:
    return {(f.type, f.polarity) for f in [*d.risk_flags, *d.risk_context]}


def _note(d: Draft) -> str:
    return "\n".join(s.text for ss in d.sections.values() for s in ss)


def _private(d: Draft) -> str:
    return "\n".join(s.text for s in d.private_draft)


def _all_grounded(d: Draft) -> bool:
    by_id = {u.id: u for u in d.utterances}
    sentences = [s for ss in d.sections.values() for s in ss] + d.private_draft
    return all(unsupported_reason(s.text, s.evidence, by_id) is None for s in sentences)


def _text(*turns: str) -> str:
    return "\n".join(turns) + "\n"


def test_passive_ideation_before_denying_a_plan_is_endorsed_and_never_denied() -> None:
    d = draft(
        _text(
            "Therapist: Have you been having any thoughts of death or of not wanting to be alive?",
            "Client: Sometimes I wish I just wouldn't wake up. But I'm not going to do anything. I don't have a plan.",
            "Therapist: Have you thought about any way you might end your life, or done anything to prepare?",
            "Client: No.",
        )
    )
    assert _flags(d) == {("suicidal_ideation", "endorsed")}
    note = _note(d)
    assert "passive suicidal ideation" in note
    assert "denied any plan" in note
    assert "denied suicidal ideation" not in note.lower()
    assert _all_grounded(d)


def test_a_past_attempt_question_answered_no_is_a_denied_history_not_a_flag() -> None:
    d = draft(_text("Therapist: Have you ever tried to hurt yourself or end your life in the past?", "Client: Never."))
    assert _flags(d) == set()
    assert "denied ever attempting suicide" in _note(d)


def test_a_past_attempt_described_in_answer_is_history() -> None:
    d = draft(
        _text(
            "Therapist: Have you ever tried to hurt yourself or end your life?",
            "Client: Yeah. Once. When I was twenty-four. I took a bunch of pills after my brother died.",
            "Therapist: How about now, any thoughts of suicide?",
            "Client: No. Not since then.",
        )
    )
    assert ("suicidal_ideation", "past") in _flags(d)
    assert ("suicidal_ideation", "endorsed") not in _flags(d)
    assert ("self_harm", "past") not in _flags(d)


def test_thoughts_of_hurting_yourself_is_the_suicide_screen_and_acts_are_self_harm() -> None:
    screen = draft(_text("Therapist: You're not having any thoughts of hurting yourself, are you?", "Client: No."))
    acts = draft(_text("Therapist: Have you done anything to hurt yourself, like cutting?", "Client: Nope."))
    assert _flags(screen) == {("suicidal_ideation", "denied")}
    assert _flags(acts) == {("self_harm", "denied")}


def test_a_denied_means_is_never_listed_and_lethal_means_counseling_is_planned() -> None:
    d = draft(
        _text(
            "Therapist: I want to ask directly. Any thoughts of suicide?",
            "Client: Sometimes I wish I wouldn't wake up.",
            "Therapist: Are there any guns in the apartment, or a stockpile of pills?",
            "Client: No guns. Just the one bottle, thirty tablets. I could give it to my roommate if you want.",
            "Therapist: Good. And 988 is there any time, call or text.",
        )
    )
    note = _note(d)
    assert "gun" not in note.split("means:")[-1].split(".")[0] if "means:" in note else True
    assert "Lethal means counseling" in note and "roommate" in note
    assert "Crisis resources reviewed: 988" in note


def test_homicidal_ideation_with_plan_means_and_intent_and_the_duty_to_warn() -> None:
    d = draft(
        _text(
            "Client: I'm not gonna lie to you, I think about killing him. All day.",
            "Therapist: Have you thought about how you would actually do it?",
            "Client: I've got it worked out.",
            "Therapist: Tell me how.",
            "Client: He gets his paper at the end of the driveway every Saturday at six-thirty.",
            "Therapist: And do you have a weapon?",
            "Client: My dad's twelve-gauge. It's in the hall closet. I bought shells on Tuesday.",
            "Therapist: On a scale of zero to ten, how likely is it that you'd go through with it?",
            "Client: A seven. Maybe an eight.",
            "Therapist: I have a duty to protect him. I'm going to notify the police and warn him, "
            "and I'll call my supervisor.",
        )
    )
    assert ("homicidal_ideation", "endorsed") in _flags(d)
    assert ("homicidal_ideation", "denied") not in _flags(d)
    note = _note(d)
    for expected in ("endorsed a plan", "Saturday", "twelve-gauge (the hall closet)", "shells", "seven", "police"):
        assert expected in note, expected
    assert "supervisor" in note
    assert _all_grounded(d)


@pytest.mark.parametrize(
    "said",
    [
        "I use my mom's lighter sometimes, on my arm, up here.",
        "When that's not around I scratch with my nails until it bleeds.",
        "I punched the wall. Like twice. My knuckles are still purple.",
    ],
)
def test_self_harm_described_without_the_word(said: str) -> None:
    d = draft(_text("Therapist: Can you tell me about the marks?", f"Client: {said}"))
    assert _flags(d) == {("self_harm", "endorsed")}


def test_an_urge_resisted_is_reported_as_an_urge_not_an_act() -> None:
    d = draft(_text("Therapist: And Saturday?", "Client: Saturday I wanted to scratch my arms. But I didn't."))
    assert ("self_harm", "endorsed") not in _flags(d)
    assert "urge toward self-harm without acting" in _note(d)


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("This commute is killing me.", {("suicidal_ideation", "figurative")}),
        ("I could murder a pizza right now.", {("homicidal_ideation", "figurative")}),
        ("I was on hold for fifty minutes. I wanted to die.", {("suicidal_ideation", "figurative")}),
        ("Cutting vegetables is my favorite part of cooking.", set()),
    ],
)
def test_figures_of_speech_are_not_risk(said: str, expected: set[tuple[str, str]]) -> None:
    assert _flags(draft(_text("Therapist: How was the week?", f"Client: {said}"))) == expected


def test_a_relatives_report_of_the_clients_own_text_is_the_clients() -> None:
    d = draft(
        _text(
            "Therapist: Kiara, can you share what the text said?",
            'Sister: He wrote, "I want to die. I\'m done with everything."',
            'Therapist: Jalen, when you wrote "I want to die," what was going on inside you?',
            "Jalen: I don't know. It would be easier if I just wasn't here.",
        ),
        speaker_roles={"Sister": "other", "Jalen": "client"},
    )
    assert ("suicidal_ideation", "endorsed") in _flags(d)
    assert ("suicidal_ideation", "other") not in _flags(d)


def test_jotted_points_headings_route_bullets_and_not_assessed_is_not_denied() -> None:
    points = _text(
        "Farah A. - Thu 12/3 - 53 min",
        "- panic attacks: 4 this wk",
        "- SH: denies, asked directly",
        "- not assessed: HI",
        "homework",
        "- straw breathing 2 min daily",
        "For me only (not for the chart):",
        "- countertransference: got impatient when she asked for reassurance again",
    )
    d = draft(points, "points")
    assert ("homicidal_ideation", "denied") not in _flags(d)
    assert "impatient" in _private(d) and "impatient" not in _note(d)
    assert "Farah" not in _note(d)
    assert any("straw breathing" in s.text.lower() for s in d.sections["plan"])


def test_a_clinicians_memo_after_the_session_goes_to_the_private_draft() -> None:
    d = draft(
        _text(
            "Therapist: Thursday at the same time?",
            "Client: Thursday. Thank you.",
            "Therapist: Okay, recording's still on. Memo for me, not for the chart. I felt a jolt of anger at him "
            "when she said she went back to work there. Hypothesis: the secret-keeping is re-enacting the silence.",
        )
    )
    assert "jolt of anger" in _private(d) and "Hypothesis" in _private(d)
    assert "jolt" not in _note(d)


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("I saw your PHQ-9 this morning. It came out at 17.", "PHQ-9 score 17"),
        ("You filled out the Y-BOCS. Your total today is 26. And the Edinburgh came out at 11.", "Y-BOCS score 26"),
        ("Your PCL-5 today was 52.", "PCL-5 score 52"),
    ],
)
def test_a_score_said_aloud_is_the_score_not_the_instruments_number(said: str, expected: str) -> None:
    d = draft(_text(f"Therapist: {said}", "Client: Okay."))
    assert expected in _note(d)
    assert "score 9 " not in _note(d) and "score 5 " not in _note(d)


def test_quantities_keep_the_range_and_the_period() -> None:
    d = draft(
        _text(
            "Therapist: Walk me through a typical night, drink-wise?",
            "Client: Shift drink, that's one beer. So six, eight beers and two shots. Five nights a week.",
        )
    )
    assert "six to eight beers and two shots, five nights a week" in _note(d)


def test_the_weekday_offered_for_the_next_session() -> None:
    d = draft(_text("Therapist: Can we do Friday at 4 instead of in two weeks?", "Client: Friday at 4 works."))
    assert "Next session: Friday at 4." in _note(d)
    assert "two weeks" not in _note(d)


def test_a_violence_screen_answered_no_by_each_partner() -> None:
    d = draft(
        _text(
            "Therapist: Has either of you pushed, grabbed, or blocked a door during an argument?",
            "Simone: No. Never.",
            "Andre: No.",
        )
    )
    assert "Each client denied physical aggression." in _note(d)


def test_a_group_with_two_coleaders() -> None:
    turns = []
    for name in ("Tobias", "Keiko", "Renee", "Lupe"):
        turns += [
            f"Carla: {name}, how did the diary card look this week? What do you notice?",
            f"{name}: It was okay, I used the skill twice.",
            f"Owen: That's great, {name}. How did that feel? What would you do next time?",
        ]
    d = draft("\n".join(turns) + "\n")
    roles = {u.speaker: u.role for u in d.utterances}
    assert roles["Carla"] == roles["Owen"] == "clinician"
    assert roles["Renee"] == "client"


def test_safety_planning_instructions_are_not_a_what_if() -> None:
    d = draft(
        _text(
            "Therapist: If the thoughts of suicide get stronger, call 988 or go to the ER.",
            "Client: Okay.",
        )
    )
    assert ("suicidal_ideation", "hypothetical") not in _flags(d)


def test_the_clinicians_recap_is_kept_in_the_plan() -> None:
    d = draft(
        _text(
            "Therapist: So to recap: I'm submitting the prior authorization today, your copay is thirty-five, "
            "and your appointments move to Tuesdays at 5:30.",
            "Client: Perfect.",
        )
    )
    assert any("copay is thirty-five" in s.text and "Tuesdays at 5:30" in s.text for s in d.sections["plan"])


def test_a_rating_asked_in_session_and_the_day_put_as_a_question() -> None:
    d = draft(
        _text(
            "Therapist: How's your distress now, zero to ten?",
            "Client: Like a three. It was a seven when I was talking about her.",
            "Therapist: Thursday at the same time?",
            "Client: Thursday.",
        )
    )
    note = _note(d)
    assert "Asked to rate distress, client said: “Like a three. It was a seven" in note
    assert "Next session: Thursday at the same time." in note


def test_another_persons_name_stays_out_of_the_clients_account() -> None:
    d = draft(
        _text(
            "Therapist: What did you do instead last night?",
            "Client: I held ice, like you showed me. And I texted Maya memes until I fell asleep.",
        )
    )
    assert "Maya" not in _note(d)


# Rules from the third outside set (bench/drafting/outside_set3); each excerpt is worded afresh.


def test_an_interjection_before_no_is_still_a_no() -> None:
    d = draft(_text("Therapist: Any thoughts of ending your life?", "Client: Oh gosh, no. Not ever."))
    assert _flags(d) == {("suicidal_ideation", "denied")}


def test_saying_when_answers_yes_to_a_passive_death_wish_question() -> None:
    d = draft(
        _text(
            "Therapist: Is that something you think often, that you'd be relieved not to be alive?",
            "Client: When the pain's bad. A couple times a week.",
        )
    )
    assert ("suicidal_ideation", "endorsed") in _flags(d)


def test_a_threat_hanging_on_a_repeated_annoyance_is_figurative() -> None:
    d = draft(_text("Client: If he leaves the milk out one more time I'm going to strangle him, I swear."))
    assert _flags(d) == {("homicidal_ideation", "figurative")}
    serious = draft(_text("Client: If she leaves me I'm going to kill myself."))
    assert ("suicidal_ideation", "figurative") not in _flags(serious)


def test_wringing_a_neck_and_that_would_kill_me_are_figures_of_speech() -> None:
    d = draft(_text("Client: My landlord raised the rent again. I could wring his neck. Moving would kill me."))
    assert _flags(d) == {("homicidal_ideation", "figurative"), ("suicidal_ideation", "figurative")}


def test_an_overdose_told_after_a_year_is_a_past_attempt() -> None:
    d = draft(
        _text(
            "Therapist: Have you been in counseling before?",
            "Client: Once, after I lost my job. In 2015. I swallowed a whole bottle of my sleeping pills. "
            "I woke up in the ICU.",
        )
    )
    assert ("suicidal_ideation", "past") in _flags(d)
    assert ("suicidal_ideation", "endorsed") not in _flags(d)


def test_a_cut_described_without_the_word_is_self_harm() -> None:
    d = draft(_text("Client: I got the blade out of my razor. And I did it on my arm, three times. Not deep."))
    assert ("self_harm", "endorsed") in _flags(d)


def test_a_relatives_farewell_text_is_their_risk() -> None:
    d = draft(_text('Client: My brother texted me at 2 a.m., "I\'m going to end it, tell Mom I love her."'))
    assert _flags(d) == {("suicidal_ideation", "other")}


def test_a_hypothetical_about_what_a_therapist_would_report_is_hypothetical() -> None:
    d = draft(
        _text(
            "Client: Hypothetically, if a friend told you he'd thought about hurting somebody, "
            "would you have to call the police?"
        )
    )
    assert _flags(d) == {("homicidal_ideation", "hypothetical")}


def test_past_violence_answered_to_have_you_ever_hurt_anyone_is_not_homicidal_ideation() -> None:
    d = draft(
        _text(
            "Therapist: Have you ever hurt anyone?",
            "Client: When I was nineteen. A fight outside a club. Nothing since.",
        )
    )
    assert not any(t == "homicidal_ideation" for t, _ in _flags(d))
    assert "ever hurt anyone" in _note(d)


def test_a_question_in_the_points_takes_its_answer_from_the_next_line() -> None:
    points = '- asked: any urge or intent to harm her father?\n- "No, never. That\'s what frightens me."\n'
    d = draft(points, "points")
    assert ("homicidal_ideation", "endorsed") not in _flags(d)
    assert ("homicidal_ideation", "denied") in _flags(d)


def test_a_screen_listed_as_not_asked_or_still_to_do_is_no_flag() -> None:
    points = "- own SI / self-harm: not asked today, ran out of time\n- next time: SI/SH screen first\n"
    assert _flags(draft(points, "points")) == set()


def test_a_dose_said_in_words_is_kept_in_the_words_said() -> None:
    d = draft(
        _text(
            "Therapist: Anything new with medication?",
            "Client: Dr. Ortiz started me on the, um, lamotrigine. The twenty-five. At night.",
            "Therapist: And the sertraline, still the hundred milligrams?",
            "Client: Yes.",
        )
    )
    note = _note(d)
    assert "lamotrigine, started twenty-five" in note
    assert "sertraline, hundred milligrams" in note
    assert _all_grounded(d)


def test_a_next_meeting_offered_as_a_question_or_a_wish_is_the_next_session() -> None:
    asked = draft(_text("Therapist: Next Wednesday at two, same room?", "Client: Works for me."))
    assert "Next session: next Wednesday at two." in _note(asked)
    wish = draft(_text("Therapist: I'd like to see you again Friday at 9 to check in.", "Client: Okay."))
    assert "Next session: Friday at 9." in _note(wish)
    group = draft(_text("Therapist: Next group is Monday at noon.", "Client: See you then."))
    assert "Next session: Monday at noon." in _note(group)


def test_the_people_in_the_clients_account_are_named_by_relation_not_by_name() -> None:
    d = draft(
        _text(
            "Therapist: Who have you been leaning on?",
            "Client: My sister Dana calls every night. And my neighbor walks the dog with me.",
            "Therapist: That's good support.",
            "Client: My son doesn't call, though.",
        )
    )
    note = _note(d)
    assert "Client discussed their sister, neighbor and son." in note
    assert "Dana" not in note
    assert _all_grounded(d)


def test_i_did_it_is_homework_only_when_homework_was_asked_about() -> None:
    act = draft(
        _text(
            "Therapist: What happened after you got the message?",
            "Client: I took the blade out. And I did it on my arm.",
        )
    )
    assert "homework" not in _note(act)
    task = draft(_text("Therapist: How did the exposure go?", "Client: I did it! Shaking the whole time."))
    assert "completing homework" in _note(task)


def test_homework_announced_then_numbered_is_homework() -> None:
    d = draft(
        _text(
            "Therapist: Homework, then. One: a ten-minute walk after lunch, four days this week. Two: the sleep log.",
            "Client: Got it.",
        )
    )
    assert "Homework: a ten-minute walk after lunch, four days this week." in _note(d)


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("The CUDIT. You scored 17 on it.", "CUDIT-R score 17."),
        ("Your GDS came out at 9 today.", "GDS score 9."),
        ("On the Zarit you scored a 40.", "Zarit Burden Interview score 40."),
    ],
)
def test_more_instruments_take_their_scores(said: str, expected: str) -> None:
    d = draft(_text(f"Therapist: {said}", "Client: Okay."))
    assert expected in _note(d)
    assert _all_grounded(d)


def test_means_asked_about_and_denied_are_charted_in_the_clients_words() -> None:
    d = draft(
        _text(
            "Therapist: Have you had thoughts of killing yourself?",
            "Client: Sometimes, yeah. Late at night.",
            "Therapist: Do you have access to any guns?",
            "Client: No. I sold them last year.",
        )
    )
    assert "Asked about access to guns, client said: “No. I sold them last year”." in _note(d)
    assert "access to means" not in _note(d)


def test_online_slang_for_suicide_is_read_and_a_joke_with_it_is_figurative() -> None:
    joke = draft(_text("Client: If one more class gets cancelled I'm gonna kms lol."))
    assert _flags(joke) == {("suicidal_ideation", "figurative")}
    asked = draft(
        _text(
            "Therapist: Any thoughts like you'd rather not wake up?",
            "Client: [pause] yeah. like if i got unalived in my sleep it'd be a relief.",
        )
    )
    assert ("suicidal_ideation", "endorsed") in _flags(asked)


def test_im_not_gonna_kill_myself_is_a_denial_not_a_figure_of_speech() -> None:
    d = draft(_text("Therapist: Any thoughts of suicide?", "Client: No. I'm not gonna kill myself, I have the kids."))
    assert _flags(d) == {("suicidal_ideation", "denied")}


def test_a_risk_screen_noted_as_not_done_is_no_denial() -> None:
    points = "- did not do formal SI screen today, ran out of time\n- not assessed today: SH, HI\n"
    assert _flags(draft(points, "points")) == set()


def test_ill_kill_you_to_someone_in_the_room_is_figurative() -> None:
    d = draft(_text("Client: Theo, get out or I'll literally kill you."))
    assert _flags(d) == {("homicidal_ideation", "figurative")}


def test_a_head_shake_noted_in_brackets_answers_no() -> None:
    d = draft(_text("Therapist: Any urges to hurt yourself now?", "Client: [shakes head]"))
    assert _flags(d) == {("self_harm", "denied")}


def test_not_minding_never_waking_up_is_a_passive_wish() -> None:
    d = draft(
        _text(
            "Therapist: What do you mean when you say that?",
            "Client: I'm not going to do anything. But if I went to sleep and just didn't wake up, I wouldn't mind.",
        )
    )
    assert _flags(d) == {("suicidal_ideation", "endorsed")}
    assert "passive suicidal ideation" in _note(d)


def test_an_overdose_on_someone_elses_pills_years_ago_is_a_past_attempt() -> None:
    d = draft(
        _text(
            "Therapist: Any thoughts of ending your life lately?",
            "Client: Nah, not now. Back in 2016, when I lost the shop, I took a bunch of my mom's pills.",
        )
    )
    assert _flags(d) == {("suicidal_ideation", "denied"), ("suicidal_ideation", "past")}


def test_a_denial_before_the_endorsement_is_a_first_denial_not_a_later_one() -> None:
    d = draft(
        _text(
            "Therapist: Have you been having any thoughts of suicide?",
            "Client: No. Nothing like that.",
            "Therapist: Some people wish they could go to sleep and not wake up. Does anything like that come up?",
            "Client: Yeah. Some nights.",
        )
    )
    note = _note(d)
    assert _flags(d) == {("suicidal_ideation", "endorsed")}
    assert "When first asked about suicidal ideation, client said: “No. Nothing like that”." in note
    assert "Asked again" not in note


def test_two_denials_before_an_endorsement_are_one_first_answer() -> None:
    d = draft(
        _text(
            "Therapist: Any thoughts of suicide?",
            "Client: No.",
            "Therapist: Any thoughts of killing yourself at all, even briefly?",
            "Client: No.",
            "Therapist: Do you ever wish you could go to sleep and not wake up?",
            "Client: Yes. Most nights.",
        )
    )
    assert _flags(d) == {("suicidal_ideation", "endorsed")}
    assert _note(d).count("When first asked about suicidal ideation") == 1


@pytest.mark.parametrize(
    ("closing", "charted"),
    [
        ("Therapist: And we're meeting Friday at 0900 again, same link?", "Next session: Friday."),
        ("Therapist: okay. next Tuesday, same time, 11?", "Next session: next Tuesday."),
        ("Therapist: I'd like one individual session before next group, would Thursday at ten work?",
         "Next session: Thursday at ten."),
    ],
)  # fmt: skip
def test_a_weekday_put_with_a_time_or_a_meeting_at_the_end_is_the_next_session(closing: str, charted: str) -> None:
    opening = [
        "Therapist: How has the week been?",
        "Client: Long. I had a fight with my brother on Tuesday and it stuck with me.",
        "Therapist: What happened?",
        "Client: He said I never call. I felt guilty all day.",
        "Therapist: It sounds like guilt is a big one for you this week.",
        "Client: Yeah. It is.",
        "Therapist: Let's keep working on that.",
    ]
    d = draft(_text(*opening, closing, "Client: Yes."))
    plans = [s.text for s in d.sections["plan"]] if "plan" in d.sections else _note(d).splitlines()
    assert charted in plans
    assert "Next session: Tuesday." not in _note(d)  # the fight's weekday, early in the session, is not a booking


def test_we_have_a_plan_is_a_recap_and_a_plan_for_next_week_is_not_the_next_session() -> None:
    d = draft(
        _text(
            "Therapist: So here's a possible plan for next week: Monday and Friday you go in for second period.",
            "Client: okay",
            "Therapist: We have a plan. Half days Monday and Friday, lunch in the counseling office. Phone back at 3.",
            "Client: fine",
        )
    )
    note = _note(d)
    assert "Plan as recapped in session: “Half days Monday and Friday, lunch in the counseling office." in note
    assert "Next session: next week" not in note


def test_stomachaches_and_headaches_are_somatic_complaints() -> None:
    d = draft(_text("Therapist: How are mornings?", "Client: My stomach starts hurting before school, and headaches."))
    assert "somatic complaints" in _note(d)


def test_homicidal_ideation_toward_a_named_supervisor_with_a_plan_and_a_weapon_is_charted_in_full() -> None:
    d = draft(
        _text(
            "Client: It's my supervisor at the shop. Dale. He wrote me up in front of everybody.",
            "Therapist: What have you been thinking about?",
            "Client: That I wait for him. Fridays he closes up. Nobody's back there.",
            "Therapist: When you say you wait for him, are you thinking about hurting Dale?",
            "Client: Yeah.",
            "Therapist: What have you thought about doing?",
            "Client: Just be there when he comes out. I keep my Glock in the truck. I've thought it through.",
            "Therapist: How likely is it that you'd actually do it, zero to ten?",
            "Client: I don't know. Three? Four?",
        )
    )
    assert ("homicidal_ideation", "endorsed") in _flags(d)
    [flag] = [f for f in d.risk_flags if f.type == "homicidal_ideation"]
    assert flag.plan is True
    assert flag.means == ("glock (the truck)",)
    note = _note(d)
    assert "Client endorsed homicidal ideation toward their supervisor." in note
    assert "Asked how likely they are to act (0-10): “I don't know. Three? Four?”." in note
    assert "Dale" not in note.split("“")[0]  # the name stays out of the note's own words
    assert d.proposed["risk"]["homicidal_ideation"]["level"] == "high"
    assert _all_grounded(d)


def test_an_attempt_told_with_the_age_it_happened_at_is_history() -> None:
    d = draft(
        _text(
            "Therapist: So I have it in your words: what happened back then?",
            "Client: I was twenty-two. I took a whole bottle of Tylenol. My roommate called 911.",
            "Therapist: And right now, any thoughts of suicide?",
            "Client: No. I really mean it.",
        )
    )
    assert _flags(d) == {("suicidal_ideation", "past"), ("suicidal_ideation", "denied")}


@pytest.mark.parametrize(
    ("said", "skill"),
    [
        ("I used urge surfing and it worked, I rode it out in the car.", "DBT skills"),
        ("I did the TIPP thing with the ice water and it helped.", "DBT skills"),
        ("I tried the grounding, five things I can see, and it calmed me down.", "mindfulness and relaxation skills"),
    ],
)
def test_a_skill_the_client_used_between_sessions_is_charted_with_their_words(said: str, skill: str) -> None:
    d = draft(_text("Therapist: How did the week go?", f"Client: {said}"))
    assert f"Client reports they used {skill}: “{said.rstrip('.')}”." in _note(d)
    assert _all_grounded(d)


def test_heres_what_id_like_for_homework_announces_the_homework_in_the_next_sentence() -> None:
    d = draft(
        _text(
            "Therapist: So here's what I'd like for homework. Once a day, do the spinning, three rounds, and write "
            "down your number before and after on the panic log.",
            "Client: Okay.",
        )
    )
    assert any(s.startswith("Homework: once a day, do the spinning") for s in _note(d).splitlines())


def test_did_you_act_on_the_urge_answered_no_is_an_urge_not_acted_on_never_a_denied_intent() -> None:
    d = draft(
        _text(
            "Client: Then Saturday. Urges to self-harm were a five. A five out of five.",
            "Therapist: Five out of five on Saturday. Did you act on the urge?",
            "Client: No. No. I didn't. I really wanted to. But no.",
        )
    )
    note = _note(d)
    assert "Client reported they did not act on the urge: “No. No. I didn't. I really wanted to. But no”." in note
    assert "intent" not in note
    assert _all_grounded(d)


def test_lets_do_a_chain_is_chain_analysis_and_six_techniques_are_listed() -> None:
    d = draft(
        _text(
            "Therapist: Let's see your diary card. Then let's do a chain on Thursday. What was the prompting event?",
            "Client: My mom yelling.",
            "Therapist: Next time try TIPP, then opposite action, and some radical acceptance. Use distress tolerance.",
            "Client: Okay.",
        )
    )
    [used] = [s for s in _note(d).splitlines() if s.startswith("Clinician used DBT skills")]
    for technique in ("diary card", "do a chain", "prompting event", "TIPP", "opposite action", "radical acceptance"):
        assert technique in used


def test_a_violence_screen_in_the_ing_form_answered_no_by_both_is_charted() -> None:
    d = draft(
        _text(
            "Ruth: In the last month, has there been any pushing, grabbing, throwing things, anyone feeling "
            "physically afraid in the house?",
            "Imani: No.",
            "Cole: No. Nothing like that.",
        ),
        speaker_roles={"Ruth": "clinician"},
    )
    assert "Each client denied physical aggression." in _note(d)


def test_a_past_attempt_is_charted_with_the_clients_words_for_when_and_how() -> None:
    d = draft(
        _text(
            "Therapist: Have you ever tried to end your life?",
            "Client: Yeah. At seventeen I took a bunch of Tylenol. My mom found me.",
            "Therapist: And now, any thoughts of suicide?",
            "Client: No.",
        )
    )
    note = _note(d)
    assert "Client reported a past suicide attempt: “Yeah. At seventeen I took a bunch of Tylenol." in note
    assert "Medication discussed: tylenol." not in note  # the means of an old overdose is not a medication taken
    assert _all_grounded(d)
