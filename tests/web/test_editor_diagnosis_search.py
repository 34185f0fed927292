"""Diagnosis search understands the words and abbreviations clinicians type, ranked by what the codes are about."""

from __future__ import annotations

from typing import Any

import pytest

from confide.people.models import User
from confide.plans import icd10


def top(query: str, n: int = 1) -> list[str]:
    return [code for code, _ in icd10.search(query)[:n]]


@pytest.mark.parametrize(
    ("query", "stem"),
    [
        ("PTSD", "F43.1"),
        ("ptsd", "F43.1"),
        ("posttraumatic", "F43.1"),
        ("post-traumatic", "F43.1"),
        ("post traumatic", "F43.1"),
        ("OCD", "F42."),
        ("ADHD", "F90."),
        ("GAD", "F41.1"),
        ("traumatic neurosis", "F43.1"),  # an inclusion term of F43.1 in the package, not in any code's title
        ("panic", "F41.0"),
        ("depression", "F32."),
    ],
)
def test_common_words_and_abbreviations_find_their_codes_first(query: str, stem: str) -> None:
    assert top(query)[0].startswith(stem), icd10.search(query)[:5]


def test_mdd_finds_major_depressive_disorder_single_or_recurrent() -> None:
    found = icd10.search("MDD")
    assert found and all(code.startswith(("F32.", "F33.")) for code, _ in found[:8])
    assert all("major depressive disorder" in description.lower() for _, description in found[:8])


def test_anxiety_ranks_the_anxiety_disorders_f41_first() -> None:
    found = top("anxiety", 5)
    assert found == ["F41.0", "F41.1", "F41.3", "F41.8", "F41.9"]
    assert any(not code.startswith("F41") for code in top("anxiety", 20))  # other anxiety codes follow


def test_ptsd_is_read_from_the_packages_own_title_not_a_hand_table() -> None:
    assert "ptsd" not in icd10.ABBREVIATIONS
    assert [code for code, _ in icd10.search("PTSD")] == ["F43.10", "F43.11", "F43.12"]


def test_every_word_must_match_and_codes_still_work() -> None:
    assert top("ptsd chronic") == ["F43.12"]
    assert top("adhd inattentive") == ["F90.0"]
    assert top("generalized anx") == ["F41.1"]
    assert [code for code, _ in icd10.search("F41")] == ["F41.0", "F41.1", "F41.3", "F41.8", "F41.9"]
    assert top("f41.1") == ["F41.1"]
    assert all(icd10.is_billable(code) for code, _ in icd10.search("anxiety"))


@pytest.mark.parametrize("query", ["", "   ", "x" * 5000, "zzzz qqqq", "\x00", "(((", "é", "F99.99.99"])
def test_odd_input_finds_nothing_and_never_fails(query: str) -> None:
    assert isinstance(icd10.search(query), list)


def test_the_suggestions_page_answers_an_abbreviation(web_as: Any, clinician: User) -> None:
    response = web_as(clinician).get("/diagnoses/search/?code=PTSD", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert (
        response.status_code == 200
        and '<option value="F43.10">F43.10 Post-traumatic stress disorder, unspecified (PTSD)' in html
    )
    assert html.index('value="F43.10"') < html.index('value="F43.12"')


def test_suggestions_carry_the_typed_words_so_the_browser_list_shows_them() -> None:
    # A <datalist> shows only options whose text contains what was typed.
    ptsd = dict(icd10.suggestions("PTSD"))
    assert ptsd["F43.10"] == "Post-traumatic stress disorder, unspecified (PTSD)"
    anxiety = dict(icd10.suggestions("anxiety"))
    assert anxiety["F41.1"] == "Generalized anxiety disorder"  # already in the text: unchanged
