"""One medication list: the drafter and the vault's boundary check know the same drugs (confide/lib/medications.py)."""

from __future__ import annotations

import pytest

from confide.drafting import draft
from confide.drafting.lexicon import MEDICATION
from confide.lib.medications import MEDICATIONS
from confide.vault.boundary import boundary_warnings

SESSION = (
    "Therapist: How have things been?\n"
    "Client: My psychiatrist started me on {drug} last week and I feel calmer.\n"
    "Therapist: Any side effects?\n"
    "Client: Some drowsiness.\n"
)


@pytest.mark.parametrize("drug", ["clozapine", "haloperidol"])
def test_the_drafter_records_antipsychotics_in_the_progress_note(drug: str) -> None:
    result = draft(SESSION.format(drug=drug), "text", "SOAP")
    assert f"Medication: {drug}, started." in [s.text for s in result.sections["subjective"]]


def test_every_name_the_boundary_check_knows_the_drafter_knows() -> None:
    for name in MEDICATIONS:
        assert MEDICATION.fullmatch(name), name
        assert [w["code"] for w in boundary_warnings(f"We talked about {name} today.")] == ["medication"], name


def test_the_list_has_no_duplicates_and_is_lower_case() -> None:
    assert len(set(MEDICATIONS)) == len(MEDICATIONS)
    assert all(name == name.lower().strip() for name in MEDICATIONS)


@pytest.mark.parametrize(
    ("said", "charted"),
    [
        ("Dr. Patel put the lamotrigine up, it went from one fifty to two hundred.",
         "Medication: lamotrigine, increased from one fifty to two hundred."),
        ("Yes, the fluvoxamine. She went from 100 to 150 at night, ten days ago.",
         "Medication: fluvoxamine, increased from 100 to 150 at night."),
        ("So estradiol went from 4 to 6 milligrams this month.",
         "Medication: estradiol, increased from 4 to 6 milligrams."),
        ("He tapered my oxycodone from four a day to three.", "Medication: oxycodone, decreased from four to three."),
    ],
)  # fmt: skip
def test_a_dose_change_said_as_a_range_is_charted_with_its_direction(said: str, charted: str) -> None:
    result = draft(f"Therapist: Any changes with your medicines?\nClient: {said}\n", "text", "SOAP")
    assert charted in [s.text for s in result.sections["subjective"]]


def test_a_range_that_is_not_a_dose_is_not_charted_as_one() -> None:
    result = draft(
        "Therapist: How is work?\nClient: I take my sertraline, and I work from 9 to 5 now.\n", "text", "SOAP"
    )
    assert not [s.text for s in result.sections["subjective"] if "from 9 to 5" in s.text and "Medication" in s.text]


def test_a_dose_said_as_what_it_was_and_what_it_is_now_is_one_change() -> None:
    result = draft(
        "Therapist: Dr. Brandt went up on the bupropion, right?\n"
        "Client: Yeah, she doubled it. It was the one fifty and now it's three hundred.\n",
        "text",
        "SOAP",
    )
    charted = [s.text for s in result.sections["subjective"] if s.text.startswith("Medication")]
    assert charted == ["Medication: bupropion, increased from one fifty to three hundred."]


def test_a_dose_put_as_started_me_on_the_twenty_five_is_kept_in_its_words() -> None:
    result = draft(
        "Therapist: How are things?\nClient: I started the sertraline, Dr. Hwang started me on the twenty-five.\n",
        "text",
        "SOAP",
    )
    assert "Medication: sertraline, started twenty-five." in [s.text for s in result.sections["subjective"]]


@pytest.mark.parametrize(
    ("turns", "charted"),
    [
        ("Therapist: Give Jalen his fluoxetine each morning. He's on 10 milligrams?\nMom: Yes.\n",
         "Medication: fluoxetine, 10 milligrams."),
        ("Therapist: What's helping?\nClient: The naltrexone helps. I'm still taking it every morning, the fifty.\n",
         "Medication: naltrexone, fifty."),
    ],
)  # fmt: skip
def test_a_dose_in_the_sentence_after_the_medication_is_its_dose(turns: str, charted: str) -> None:
    result = draft(turns, "text", "SOAP")
    assert charted in [s.text for ss in result.sections.values() for s in ss]


def test_a_quantity_at_the_start_of_a_turn_reads_mid_sentence_in_lower_case() -> None:
    result = draft("Therapist: How many drinks?\nClient: Four, five beers most nights.\n", "text", "SOAP")
    assert "Client reports drinking four to five beers." in [s.text for ss in result.sections.values() for s in ss]
