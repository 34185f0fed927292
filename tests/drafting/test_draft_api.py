"""The library's public shape: the API's drafting object (docs/api.md), every format, bad input, determinism."""

import json

import pytest

from confide.drafting import ENGINE_NAME, ENGINE_VERSION, ParseError, draft
from confide.drafting.formats import load_formats
from tests.drafting.sessions import SESSION


def test_to_dict_is_the_api_drafting_shape() -> None:
    shape = draft(SESSION, "vtt", "SOAP").to_dict()
    assert {"progress_note", "private_draft", "risk_flags", "utterances"} <= set(shape)
    assert shape["engine"] == ENGINE_NAME
    assert shape["engine_version"] == ENGINE_VERSION
    assert shape["progress_note"]["format"] == "SOAP"
    assert list(shape["progress_note"]["sections"]) == ["subjective", "objective", "assessment", "plan"]
    for sentences in shape["progress_note"]["sections"].values():
        for sentence in sentences:
            assert set(sentence) == {"text", "evidence"}
            assert all(isinstance(e, str) for e in sentence["evidence"])
    for item in shape["private_draft"]:
        assert set(item) == {"text", "evidence"}
    first = shape["utterances"][0]
    assert first["id"] == "u1" and first["speaker"] == "Dr. Rivera" and first["start"] == 1.0 and first["end"] == 5.0
    ids = {u["id"] for u in shape["utterances"]}
    for flag in shape["risk_flags"]:
        assert flag["type"] in {"suicidal_ideation", "homicidal_ideation", "self_harm"}
        assert set(flag["evidence"]) <= ids
    json.dumps(shape)


def test_plain_text_utterances_have_no_times() -> None:
    shape = draft("Therapist: Hi.\nClient: Hello.\n", "text").to_dict()
    assert shape["utterances"][0] == {"id": "u1", "speaker": "Therapist", "role": "clinician", "text": "Hi."}


@pytest.mark.parametrize("note_format", ["SOAP", "DAP", "BIRP", "GIRP", "soap"])
def test_every_format_gets_its_own_sections(note_format: str) -> None:
    formats = load_formats()
    result = draft(SESSION, "vtt", note_format)
    expected = [s.name for s in formats[note_format.upper()].sections]
    assert list(result.sections) == expected
    routed = [s.text for ss in result.sections.values() for s in ss]
    assert any("Homework" in t for t in routed)
    assert any("PHQ-9" in t for t in routed)


def test_birp_puts_interventions_in_intervention() -> None:
    result = draft(SESSION, "vtt", "BIRP")
    assert any("cognitive restructuring" in s.text for s in result.sections["intervention"])
    assert any(s.text == "Client denied suicidal ideation." for s in result.sections["behavior"])


def test_unknown_note_format_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown note format"):
        draft(SESSION, "vtt", "XYZ")


def test_unknown_transcript_format_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown transcript format"):
        draft(SESSION, "docx")  # type: ignore[arg-type]


def test_binary_looking_garbage_is_a_parse_error_not_a_crash() -> None:
    with pytest.raises(ParseError):
        draft("WEBVTT\n\n\x00\x01\x02 --> garbage\n", "vtt")


def test_draft_is_deterministic() -> None:
    assert draft(SESSION, "vtt").to_dict() == draft(SESSION, "vtt").to_dict()


def test_jotted_points_draft_keeps_points_as_written() -> None:
    points = (
        "- Pt reports mood 'a bit better', sleeping ~6h\n"
        "- Denies SI/HI\n"
        "- PHQ-9 today 11\n"
        "- Used cognitive restructuring re: 'I'm a failure' thought\n"
        "- HW: thought record daily\n"
        "- Next session in two weeks\n"
    )
    result = draft(points, "points", "DAP")
    data = [s.text for s in result.sections["data"]]
    plan = [s.text for s in result.sections["plan"]]
    assert "PHQ-9 today 11." in data
    assert "Used cognitive restructuring re: 'I'm a failure' thought." in data
    assert "HW: thought record daily." in plan and "Next session in two weeks." in plan
    assert {(f.type, f.polarity) for f in result.risk_flags} == {
        ("suicidal_ideation", "denied"),
        ("homicidal_ideation", "denied"),
    }
    assert "Client denied suicidal ideation." in [s.text for s in result.sections["assessment"]]


def test_auto_detection_of_input_format() -> None:
    assert draft(SESSION).utterances[0].start == 1.0
    assert draft("- denies SI\n").risk_flags[0].polarity == "denied"
