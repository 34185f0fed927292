"""Sensitive detail goes to the private draft; what 45 CFR 164.501 excludes from psychotherapy notes never does."""

import pytest

from confide.drafting import draft, excluded_items
from confide.drafting.compose import compose
from confide.drafting.formats import get_format
from confide.drafting.model import Fact
from tests.drafting.sessions import SESSION


def test_relationship_detail_is_private_and_the_note_keeps_a_summary() -> None:
    result = draft(SESSION, "vtt")
    private = " ".join(s.text for s in result.private_draft)
    note = " ".join(s.text for ss in result.sections.values() for s in ss)
    assert "texting my ex" in private
    assert "texting my ex" not in note
    assert "Client discussed relationship stressors." in note


def test_third_party_risk_detail_is_private_and_summarised_in_the_note() -> None:
    result = draft(SESSION, "vtt")
    private = " ".join(s.text for s in result.private_draft)
    note = " ".join(s.text for ss in result.sections.values() for s in ss)
    assert "My brother tried to kill himself" in private
    assert "My brother" not in note
    assert "Client discussed suicidal ideation involving another person." in note


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Client takes sertraline 100 mg.", "medication"),
        ("She ran out of her meds.", "medication"),
        ("Session started at 2:05 pm.", "session time"),
        ("We did 50 minutes of CBT.", "modality or frequency"),
        ("PHQ-9 score was 14.", "test result"),
        ("Diagnosis remains major depressive disorder.", "diagnosis"),
        ("She has missed work all week.", "functional status"),
        ("Homework is a thought record.", "treatment plan"),
        ("He is making progress.", "prognosis or progress"),
        ("I can't sleep and I feel hopeless.", "symptoms"),
    ],
)
def test_164_501_items_are_recognised(text: str, category: str) -> None:
    assert category in excluded_items(text)


def test_transference_reflection_carries_no_excluded_item() -> None:
    assert excluded_items("She said I remind her of her father when I go quiet.") == []


def test_private_candidates_with_excluded_items_are_refused_and_reported() -> None:
    from confide.drafting import parse

    utterances = parse(
        "Therapist: Tell me about it.\nClient: My dad took my Xanax and I couldn't sleep after he hit me.\n", "text"
    )
    facts = [
        Fact(
            "private",
            "Client described (trauma): \u201cMy dad took my Xanax and I couldn't sleep after he hit me\u201d.",
            ("u2",),
            private=True,
        ),
    ]
    result = compose(facts, [], utterances, get_format("SOAP"))
    assert result.private_draft == []
    assert len(result.dropped) == 1
    assert "164.501" in result.dropped[0].reason
    assert "medication" in result.dropped[0].reason


def test_no_private_sentence_of_any_draft_carries_an_excluded_item() -> None:
    from pathlib import Path

    set_dir = Path(__file__).resolve().parents[2] / "bench" / "drafting" / "therapy_set"
    transcripts = [SESSION] + [p.read_text() for p in sorted(set_dir.iterdir()) if p.suffix in {".txt", ".vtt", ".srt"}]
    assert len(transcripts) >= 21
    checked = 0
    for text in transcripts:
        for sentence in draft(text).private_draft:
            assert excluded_items(sentence.text) == [], sentence.text
            checked += 1
    assert checked >= 10


def test_medication_and_measures_land_in_the_progress_note_only() -> None:
    result = draft(SESSION, "vtt")
    objective = [s.text for s in result.sections["objective"]]
    subjective = " ".join(s.text for s in result.sections["subjective"])
    assert "PHQ-9 score 16 (moderately severe range)." in objective
    assert "sertraline, increased to 100 mg" in subjective
    assert not any("sertraline" in s.text or "PHQ" in s.text for s in result.private_draft)


@pytest.mark.parametrize(
    ("turns", "secret"),
    [
        # the secret in the same turn as the promise
        (["Client: She made me promise not to tell anyone, but she's pregnant and she hasn't told our parents."],
         "she's pregnant"),
        # the secret first, then who asked for silence
        (["Client: My brother is using again. He asked me not to say anything to our dad."],
         "My brother is using again"),
        # announced, then told on the next turn
        (["Client: Can I tell you something nobody knows?", "Therapist: Of course.",
          "Client: My mom has a boyfriend and my dad has no idea."], "My mom has a boyfriend"),
        (["Client: My coworker told me she's getting laid off, she doesn't want anyone to know yet."],
         "getting laid off"),
    ],
)  # fmt: skip
def test_what_was_told_in_confidence_is_private_and_kept_out_of_the_note(turns: list[str], secret: str) -> None:
    result = draft("Therapist: What's been on your mind?\n" + "\n".join(turns) + "\n")
    private = [s.text for s in result.private_draft if s.text.startswith("Shared in confidence")]
    assert private and secret in private[0]
    assert secret not in " ".join(s.text for ss in result.sections.values() for s in ss)


@pytest.mark.parametrize(
    "heading", ["personal / not for his chart", "for me only, not chart", "mine, not for his record", "Note to self"]
)
def test_a_private_heading_in_jotted_points_routes_its_bullets_to_the_private_draft(heading: str) -> None:
    points = (
        "- pt reports sleep 6h, down from 7\n- practiced paced breathing in session\n- homework: breathing log daily\n"
        f"\n{heading}\n- I caught myself nodding too hard at the stairs story, keep my own knee out of it\n"
    )
    result = draft(points, "points")
    assert any("nodding too hard" in s.text for s in result.private_draft)
    assert "nodding" not in " ".join(s.text for ss in result.sections.values() for s in ss)


def test_a_personal_history_heading_is_not_private() -> None:
    points = "- pt reports sleep 6h\n- practiced paced breathing\n- homework: breathing log\n\nPersonal history\n"
    points += "- grew up in Ohio, moved for work in 2020\n"
    result = draft(points, "points")
    assert not any("Ohio" in s.text for s in result.private_draft)


@pytest.mark.parametrize(
    ("said", "detail"),
    [
        ("At a party in college, I was drunk and he wouldn't stop when I said no.", "wouldn't stop when I said no"),
        ("When I was little my stepdad would lock me in the closet.", "lock me in the closet"),
    ],
)
def test_trauma_detail_in_the_clients_words_is_private(said: str, detail: str) -> None:
    result = draft(f"Therapist: Can you tell me what happened?\nClient: {said}\n")
    assert any(detail in s.text for s in result.private_draft)
    assert detail not in " ".join(s.text for ss in result.sections.values() for s in ss)
