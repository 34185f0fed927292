"""The outcome-measure instruments: the shipped files, scoring, item alerts and change. No database."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from confide.measures import scoring
from confide.measures.scoring import (
    INSTRUMENTS_DIR,
    InstrumentFileError,
    InvalidAnswers,
    InvalidScore,
    UnknownInstrument,
    change,
    instrument,
    instruments,
    load_file,
    score,
)

FILES = sorted(INSTRUMENTS_DIR.glob("*.toml"))
ITEM_COUNTS = {"PHQ-9": 9, "GAD-7": 7, "PCL-5": 20}
AT_OR_ABOVE = "at or above the provisional cut-off (31\u201333)"  # an en dash, as shown to clinicians


def _raw(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def answers_totalling(code: str, total: int) -> list[int]:
    """A valid answer list for `code` whose sum is `total`, filling items from the first (item-level alerts aside)."""
    inst = instrument(code)
    top = max(inst.values)
    out = []
    for _ in inst.items:
        out.append(min(top, total))
        total -= out[-1]
    assert total == 0
    return out


# --- the shipped files --------------------------------------------------------------------------------------------


def test_the_three_instruments_ship_with_their_item_counts() -> None:
    assert {code: len(inst.items) for code, inst in instruments().items()} == ITEM_COUNTS


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_instrument_file_loads_and_is_indexed_by_its_code(path: Path) -> None:
    raw = _raw(path)
    assert instruments()[raw["code"]] == load_file(path)
    assert len(instrument(raw["code"]).items) == len(raw["items"])


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_file_has_bands_covering_every_possible_total_exactly_once(path: Path) -> None:
    # Read straight from the TOML, not through the loader, so this checks the data and not the loader's own check.
    raw = _raw(path)
    values = [c["value"] for c in raw["scale"]]
    lowest, highest = len(raw["items"]) * min(values), len(raw["items"]) * max(values)
    for total in range(lowest, highest + 1):
        holding = [b["label"] for b in raw["bands"] if b["low"] <= total <= b["high"]]
        assert len(holding) == 1, f"{path.name}: total {total} falls in {holding}"
    assert all(lowest <= b["low"] <= b["high"] <= highest for b in raw["bands"])


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_file_has_a_contiguous_scale_from_zero_and_alerts_on_real_items(path: Path) -> None:
    raw = _raw(path)
    assert [c["value"] for c in raw["scale"]] == list(range(len(raw["scale"])))
    for alert in raw.get("alerts", []):
        assert 1 <= alert["item"] <= len(raw["items"])
        assert 0 <= alert["above"] < len(raw["scale"]) - 1, "an alert that can never fire"


def test_the_published_codes_and_scales() -> None:
    phq9, gad7, pcl5 = instrument("PHQ-9"), instrument("GAD-7"), instrument("PCL-5")
    assert (phq9.loinc_panel, phq9.loinc_total) == ("44249-1", "44261-6")
    assert (gad7.loinc_panel, gad7.loinc_total) == ("69737-5", "70274-6")
    assert pcl5.loinc_total == "101698-9"
    assert {i.cpt for i in (phq9, gad7, pcl5)} == {"96127"}
    frequency = ["Not at all", "Several days", "More than half the days", "Nearly every day"]
    assert [c.label for c in phq9.scale] == [c.label for c in gad7.scale] == frequency
    assert [c.label for c in pcl5.scale] == ["Not at all", "A little bit", "Moderately", "Quite a bit", "Extremely"]
    assert (phq9.max_score, gad7.max_score, pcl5.max_score) == (27, 21, 80)
    assert (phq9.remission_below, gad7.remission_below, pcl5.remission_below) == (5, 5, None)


def test_a_file_with_a_gap_in_its_bands_is_refused(tmp_path: Path) -> None:
    text = (INSTRUMENTS_DIR / "gad7.toml").read_text(encoding="utf-8")
    broken = tmp_path / "gad7.toml"
    broken.write_text(text.replace("{ low = 5, high = 9,", "{ low = 6, high = 9,"), encoding="utf-8")
    with pytest.raises(InstrumentFileError, match="gap"):
        load_file(broken)


def test_a_file_missing_a_key_is_refused(tmp_path: Path) -> None:
    text = (INSTRUMENTS_DIR / "gad7.toml").read_text(encoding="utf-8")
    broken = tmp_path / "gad7.toml"
    broken.write_text(text.replace('loinc_total = "70274-6"', ""), encoding="utf-8")
    with pytest.raises(InstrumentFileError, match="loinc_total"):
        load_file(broken)


GAD2 = """
code = "GAD-2"
title = "Generalized Anxiety Disorder-2"
source = "Kroenke, Spitzer, Williams, Monahan & Löwe 2007"
loinc_panel = "test-panel"
loinc_total = "test-total"
cpt = "96127"
timeframe = "Over the last 2 weeks, how often have you been bothered by the following problems?"
items = ["Feeling nervous, anxious or on edge", "Not being able to stop or control worrying"]
reliable_change = 2
response_fraction = 0.5
scale = [
  { value = 0, label = "Not at all" },
  { value = 1, label = "Several days" },
  { value = 2, label = "More than half the days" },
  { value = 3, label = "Nearly every day" },
]
bands = [{ low = 0, high = 2, label = "negative screen" }, { low = 3, high = 6, label = "positive screen" }]
"""


def test_a_new_file_is_a_new_instrument_without_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "gad2.toml").write_text(GAD2, encoding="utf-8")
    monkeypatch.setattr(scoring, "INSTRUMENTS_DIR", tmp_path)
    scoring.instruments.cache_clear()
    try:
        assert list(instruments()) == ["GAD-2"]
        scored = score("GAD-2", [2, 1])
        assert (scored.score, scored.severity, scored.alerts) == (3, "positive screen", ())
        assert change("GAD-2", 5, 2).remission is False  # no remission_below in the file
    finally:
        scoring.instruments.cache_clear()


def test_two_files_with_one_code_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.toml").write_text(GAD2, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GAD2, encoding="utf-8")
    monkeypatch.setattr(scoring, "INSTRUMENTS_DIR", tmp_path)
    scoring.instruments.cache_clear()
    try:
        with pytest.raises(InstrumentFileError, match="already used"):
            instruments()
    finally:
        scoring.instruments.cache_clear()


def test_unknown_instrument_raises() -> None:
    for code in ("PHQ-2", "phq-9", "PHQ9", ""):
        with pytest.raises(UnknownInstrument, match="unknown instrument"):
            instrument(code)
    with pytest.raises(UnknownInstrument):
        score("BDI-II", [0] * 21)
    with pytest.raises(UnknownInstrument):
        change("BDI-II", 20, 10)
    assert issubclass(UnknownInstrument, ValueError)


# --- scoring ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "total", "severity"),
    [
        ("PHQ-9", 0, "minimal"),
        ("PHQ-9", 4, "minimal"),
        ("PHQ-9", 5, "mild"),
        ("PHQ-9", 9, "mild"),
        ("PHQ-9", 10, "moderate"),
        ("PHQ-9", 14, "moderate"),
        ("PHQ-9", 15, "moderately severe"),
        ("PHQ-9", 19, "moderately severe"),
        ("PHQ-9", 20, "severe"),
        ("PHQ-9", 27, "severe"),
        ("GAD-7", 0, "minimal"),
        ("GAD-7", 4, "minimal"),
        ("GAD-7", 5, "mild"),
        ("GAD-7", 9, "mild"),
        ("GAD-7", 10, "moderate"),
        ("GAD-7", 14, "moderate"),
        ("GAD-7", 15, "severe"),
        ("GAD-7", 21, "severe"),
        ("PCL-5", 0, "below the provisional cut-off"),
        ("PCL-5", 30, "below the provisional cut-off"),
        ("PCL-5", 31, AT_OR_ABOVE),
        ("PCL-5", 80, AT_OR_ABOVE),
    ],
)
def test_boundary_totals_fall_in_the_right_band(code: str, total: int, severity: str) -> None:
    scored = score(code, answers_totalling(code, total))
    assert (scored.score, scored.severity) == (total, severity)
    assert scored.instrument is instrument(code)


def test_the_total_is_the_sum_of_the_answers_whatever_their_order() -> None:
    assert score("GAD-7", [3, 0, 1, 2, 0, 3, 1]).score == 10
    assert score("GAD-7", [1, 3, 0, 0, 2, 1, 3]).score == 10
    assert score("PHQ-9", (1, 1, 1, 1, 1, 1, 1, 1, 0)).score == 8  # any sequence, not only a list


@pytest.mark.parametrize(
    ("code", "answers", "message"),
    [
        ("PHQ-9", [0] * 8, "takes 9 answers, got 8"),
        ("PHQ-9", [0] * 10, "takes 9 answers, got 10"),
        ("PHQ-9", [], "takes 9 answers, got 0"),
        ("GAD-7", [0, 0, 0, 4, 0, 0, 0], "item 4: the answer must be between 0 and 3, got 4"),
        ("PCL-5", [0] * 19 + [5], "item 20: the answer must be between 0 and 4, got 5"),
        ("GAD-7", [0, -1, 0, 0, 0, 0, 0], "item 2: the answer must be between 0 and 3, got -1"),
        ("GAD-7", [0, 0, True, 0, 0, 0, 0], "item 3: the answer must be a whole number, got True"),
        ("GAD-7", [False] * 7, "item 1: the answer must be a whole number, got False"),
        ("GAD-7", [0, 0, 0, 0, 0, 0, "2"], "item 7: the answer must be a whole number, got '2'"),
        ("GAD-7", [0, 0, 0, 0, 0, 1.0, 0], "item 6: the answer must be a whole number, got 1.0"),
        ("GAD-7", [0, 0, 0, 0, 0, None, 0], "item 6: the answer must be a whole number, got None"),
        ("GAD-7", "0000000", "must be a list of 7 whole numbers"),
    ],
)
def test_answers_that_cannot_be_scored_raise(code: str, answers: Any, message: str) -> None:
    with pytest.raises(InvalidAnswers, match=message.replace("(", r"\(").replace(")", r"\)")):
        score(code, answers)
    assert issubclass(InvalidAnswers, ValueError)


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item9_above_zero_raises_a_risk_alert(item9: int) -> None:
    scored = score("PHQ-9", [0] * 8 + [item9])
    assert [a.code for a in scored.alerts] == ["phq9_item9"]
    assert scored.alerts[0].risk is True
    assert "assess suicide risk before signing the next note" in scored.alerts[0].detail
    assert scored.risk is True
    assert scored.severity == "minimal"  # the alert does not depend on the total


def test_phq9_item9_at_zero_raises_no_alert_even_when_the_total_is_severe() -> None:
    scored = score("PHQ-9", [3] * 8 + [0])
    assert (scored.score, scored.severity, scored.alerts, scored.risk) == (24, "severe", (), False)


def test_only_item9_triggers_the_phq9_alert() -> None:
    for item in range(8):
        answers = [0] * 9
        answers[item] = 3
        assert score("PHQ-9", answers).alerts == ()


def test_gad7_and_pcl5_raise_no_alerts_at_their_maximum() -> None:
    assert score("GAD-7", [3] * 7).alerts == ()
    assert score("PCL-5", [4] * 20).alerts == ()


# --- change -------------------------------------------------------------------------------------------------------


def test_a_reliable_improvement() -> None:
    c = change("PHQ-9", 17, 11)
    assert (c.baseline, c.current, c.delta, c.reliable, c.direction) == (17, 11, -6, True, "improved")
    assert (c.response, c.remission) == (False, False)
    assert c.sentence == "PHQ-9 17 → 11 since baseline, a reliable improvement"


def test_an_improvement_below_the_threshold_is_not_reliable() -> None:
    c = change("PHQ-9", 17, 13)
    assert (c.delta, c.reliable, c.direction) == (-4, False, "improved")
    assert c.sentence == "PHQ-9 17 → 13 since baseline, no reliable change"


def test_a_reliable_worsening() -> None:
    c = change("PHQ-9", 10, 16)
    assert (c.delta, c.reliable, c.direction, c.response, c.remission) == (6, True, "worsened", False, False)
    assert c.sentence == "PHQ-9 10 → 16 since baseline, a reliable worsening"


def test_a_halving_is_a_response() -> None:
    c = change("PHQ-9", 20, 9)
    assert (c.reliable, c.response, c.remission) == (True, True, False)
    assert c.sentence == "PHQ-9 20 → 9 since baseline, a reliable improvement; response"
    assert change("PHQ-9", 20, 10).response is True  # exactly half
    assert change("PHQ-9", 20, 11).response is False
    assert change("PHQ-9", 9, 4).response is True  # 5 of 9 is more than half


def test_falling_below_five_is_remission() -> None:
    c = change("PHQ-9", 6, 4)
    assert (c.reliable, c.response, c.remission) == (False, False, True)
    assert c.sentence == "PHQ-9 6 → 4 since baseline, no reliable change; remission"
    assert change("PHQ-9", 6, 5).remission is False
    assert change("PHQ-9", 18, 3).sentence == "PHQ-9 18 → 3 since baseline, a reliable improvement; response; remission"


def test_gad7_uses_its_own_threshold() -> None:
    assert change("GAD-7", 8, 7).sentence == "GAD-7 8 → 7 since baseline, no reliable change"
    assert change("GAD-7", 8, 4).reliable is True
    assert change("GAD-7", 8, 5).reliable is False


def test_pcl5_needs_ten_points_and_has_no_remission() -> None:
    assert change("PCL-5", 50, 41).reliable is False
    c = change("PCL-5", 50, 40)
    assert (c.reliable, c.direction) == (True, "improved")
    assert c.sentence == "PCL-5 50 → 40 since baseline, a reliable improvement"
    assert change("PCL-5", 40, 0).remission is False
    assert change("PCL-5", 40, 0).response is True


def test_a_zero_baseline_has_no_response() -> None:
    c = change("PHQ-9", 0, 0)
    assert (c.delta, c.reliable, c.direction, c.response) == (0, False, "unchanged", False)
    assert c.sentence == "PHQ-9 0 → 0 since baseline, no reliable change; remission"
    assert change("GAD-7", 0, 6).response is False


@pytest.mark.parametrize(("baseline", "current"), [(-1, 5), (5, 28), (True, 5), (5, 4.0), ("17", 11)])
def test_change_refuses_totals_the_instrument_cannot_produce(baseline: Any, current: Any) -> None:
    with pytest.raises(InvalidScore):
        change("PHQ-9", baseline, current)
