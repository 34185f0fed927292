"""Scores said aloud in the ways people say them, each charted once as a proposed measure entry; a pronoun after the
instrument's name ("the Edinburgh one") is never a score of 1; names that are also words count only in capitals."""

from __future__ import annotations

import pytest

from confide.drafting import draft


def _scores(said: str) -> list[str]:
    d = draft(f"Therapist: {said}\nClient: Okay.\n")
    return [s.text for ss in d.sections.values() for s in ss if " score " in s.text]


@pytest.mark.parametrize(
    ("said", "charted"),
    [
        ("Let's look at the Y-BOCS you filled out. Today it's 27.", "Y-BOCS score 27 (severe range)."),
        ("You filled out the PGSI in the waiting room. You scored 19.", "PGSI score 19 (problem gambling range)."),
        ("And the SCARED you both did, Aaliyah's came out 38, which is high.", "SCARED score 38."),
        ("She gave me the Edinburgh one and I got an eighteen.", "EPDS score 18."),
        ("The PCL-5 came through at 49. Two weeks ago it was 56.", "PCL-5 score 49, previously 56."),
        ("Your BDI is 22 today.", "BDI-II score 22 (moderate range)."),
    ],
)  # fmt: skip
def test_a_score_said_aloud_is_charted(said: str, charted: str) -> None:
    assert _scores(said) == [charted]


def test_a_score_becomes_a_proposed_measure_entry() -> None:
    d = draft("Therapist: You filled out the PGSI. You scored 19.\nClient: Yeah.\n")
    assert [(m["instrument"], m["score"]) for m in d.proposed["measures"]] == [("PGSI", 19)]


@pytest.mark.parametrize("said", ["I aced the test, an ace of spades 5 times.", "I scared myself 3 times this week."])
def test_words_that_are_names_in_capitals_are_not_instruments_in_lower_case(said: str) -> None:
    assert _scores(said) == []


@pytest.mark.parametrize(
    ("said", "charted"),
    [
        ("I had you fill out the Y-BOCS. Your score was twenty-four.", "Y-BOCS score 24 (severe range)."),
        ("Your PHQ-9 came through on the portal. It was a twenty-one.", "PHQ-9 score 21 (severe range)."),
        ("Your PCL-5 this week was thirty-eight.", "PCL-5 score 38."),
    ],
)
def test_scores_in_words_past_twenty_are_read_whole(said: str, charted: str) -> None:
    assert _scores(said) == [charted]
