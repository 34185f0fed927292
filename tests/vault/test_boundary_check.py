"""The 164.501 boundary check warns when a psychotherapy note holds what belongs in the progress note."""

from __future__ import annotations

import pytest

from confide.vault.boundary import WARNING_CODES, boundary_warnings


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Session started at 2:05 pm and ended at 2:58.", "session_times"),
        ("We met from 3pm to 4pm.", "session_times"),
        ("Billed as 90837.", "billing_code"),
        ("CPT code chosen for the long session.", "billing_code"),
        ("Consistent with F33.1 for now.", "diagnosis_code"),
        ("ICD-10 code to revisit.", "diagnosis_code"),
        ("Psychiatrist increased her sertraline.", "medication"),
        ("Now on 20 mg daily.", "medication"),
        ("They decided to raise the dose next month.", "medication"),
        ("PHQ-9 total of 17 today.", "measure_score"),
        ("GAD-7 came back high.", "measure_score"),
        ("She scored 21 on the screener.", "measure_score"),
        ("The diagnosis still feels right.", "diagnosis"),
        ("Meets criteria for a depressive episode.", "diagnosis"),
        ("Classic generalized anxiety disorder picture.", "diagnosis"),
        ("Revisit the treatment plan next week.", "treatment_plan"),
        ("Continue weekly sessions.", "treatment_plan"),
        ("Prognosis is guarded.", "prognosis"),
        ("Good progress toward goals so far.", "progress_to_date"),
        ("Her symptoms have improved a lot.", "progress_to_date"),
        ("Functional status is stable.", "progress_to_date"),
    ],
)
def test_excluded_content_is_flagged(text: str, code: str) -> None:
    warnings = boundary_warnings(text)
    assert code in {w["code"] for w in warnings}
    found = next(w for w in warnings if w["code"] == code)
    assert found["message"]
    assert found["excerpt"]


@pytest.mark.parametrize(
    "text",
    [
        "I noticed my own impatience when she talked about her brother; maybe something about my own family.",
        "Hypothesis: the silence is a test of whether I will stay. Notice the pull to rescue.",
        "He laughed when describing the accident. Incongruent affect, worth exploring the avoidance.",
        "She brought up the audit at work again and the way her manager looks at her.",
    ],
)
def test_process_notes_raise_no_warning(text: str) -> None:
    assert boundary_warnings(text) == []


def test_each_kind_is_reported_once_at_its_first_place() -> None:
    warnings = boundary_warnings("PHQ-9 of 12, then PHQ-9 of 9. GAD-7 of 4.")
    assert [w["code"] for w in warnings].count("measure_score") == 1
    assert "PHQ-9 of 12" in warnings[0]["excerpt"]


def test_every_code_is_documented() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "vault.md").read_text()
    for code in WARNING_CODES:
        assert f"`{code}`" in docs


def _slow_codes(text: str) -> set[str]:
    from confide.vault.boundary import MEDICATIONS, RULES

    codes = {rule.code for rule in RULES if any(p.search(text) for p in rule.patterns)}
    if any(word.lower().strip(".,;:") in MEDICATIONS for word in text.split()):
        codes.add("medication")
    return codes


@pytest.mark.parametrize(
    "text",
    [
        "Session started at 2:05 pm. PHQ-9 total of 17. Sertraline 50 mg. F33.1. Prognosis fair.",
        "Continue weekly sessions; treatment plan updated; progress toward goals; DSM-5 criteria.",
        "Nothing here but the room and the silence between us.",
    ],
)
def test_the_quick_prefilter_finds_what_the_full_scan_finds(text: str) -> None:
    assert {w["code"] for w in boundary_warnings(text)} == _slow_codes(text)


def test_any_text_is_checked_without_error() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None)
    @given(st.text(max_size=2000))
    def check(text: str) -> None:
        for warning in boundary_warnings(text):
            assert warning["code"] in WARNING_CODES

    check()
