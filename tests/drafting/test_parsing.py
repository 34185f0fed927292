"""Transcripts in every format the product accepts; malformed files name the line."""

import pytest

from confide.drafting import ParseError, parse

TEAMS_VTT = """WEBVTT

NOTE
Exported from Microsoft Teams.

a1b2c3/12-0
00:00:01.000 --> 00:00:04.500
<v Dana Rivera>Good morning, Sam. How was your week?</v>

a1b2c3/13-0
00:00:05.000 --> 00:00:09.000
<v Sam Okafor>Honestly, pretty rough.</v>

a1b2c3/14-0
00:00:09.200 --> 00:00:12.000
<v Sam Okafor>I barely slept.</v>
"""

ZOOM_VTT = """WEBVTT
Kind: captions
Language: en

1
00:00:01.000 --> 00:00:03.000
Dana Rivera: What would you like to focus on today?

2
00:01:03.250 --> 00:01:07.000
Sam Okafor: My panic attacks.
"""

SRT = """1
00:00:01,000 --> 00:00:04,000
Therapist: How did the exposure practice go?

2
00:00:04,500 --> 00:00:09,000
Client: I did it three times.
"""


def test_teams_voice_tags_give_speakers_times_and_merged_turns() -> None:
    utterances = parse(TEAMS_VTT, "vtt")
    assert [(u.id, u.speaker, u.text) for u in utterances] == [
        ("u1", "Dana Rivera", "Good morning, Sam. How was your week?"),
        ("u2", "Sam Okafor", "Honestly, pretty rough. I barely slept."),
    ]
    assert utterances[1].start == 5.0
    assert utterances[1].end == 12.0


def test_zoom_name_colon_cues_and_header_lines() -> None:
    utterances = parse(ZOOM_VTT, "vtt")
    assert [(u.speaker, u.text) for u in utterances] == [
        ("Dana Rivera", "What would you like to focus on today?"),
        ("Sam Okafor", "My panic attacks."),
    ]
    assert utterances[1].start == 63.25


def test_srt_cues() -> None:
    utterances = parse(SRT, "srt")
    assert [(u.speaker, u.role, u.text) for u in utterances] == [
        ("Therapist", "clinician", "How did the exposure practice go?"),
        ("Client", "client", "I did it three times."),
    ]
    assert utterances[0].start == 1.0


def test_plain_text_with_continuation_lines() -> None:
    utterances = parse("Therapist: Hello.\nClient: Hi. I wanted to say\nthat it was a hard week.\n", "text")
    assert [u.text for u in utterances] == ["Hello.", "Hi. I wanted to say that it was a hard week."]
    assert utterances[0].start is None


def test_bracket_speakers_as_in_dictation_tools() -> None:
    utterances = parse("[doctor] how are you ?\n[patient] fine .\n", "text")
    assert [(u.speaker, u.role) for u in utterances] == [("doctor", "clinician"), ("patient", "client")]


def test_jotted_points_one_utterance_per_bullet() -> None:
    utterances = parse("- poor sleep, ~4h/night\n* denies SI\n\n1. HW: thought record daily\n", "points")
    assert [u.text for u in utterances] == ["poor sleep, ~4h/night", "denies SI", "HW: thought record daily"]
    assert {u.role for u in utterances} == {"clinician"}


def test_dictation_lines_split_into_sentences() -> None:
    utterances = parse("Client reports better sleep. Practised breathing twice daily.", "points")
    assert [u.text for u in utterances] == ["Client reports better sleep.", "Practised breathing twice daily."]


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        (TEAMS_VTT, "vtt"),
        (ZOOM_VTT, "vtt"),
        (SRT, "srt"),
        ("Therapist: Hi\nClient: Hello\n", "text"),
        ("- slept poorly\n- denies SI\n", "points"),
    ],
)
def test_format_detection(text: str, fmt: str) -> None:
    from confide.drafting.transcript import detect_format

    assert detect_format(text) == fmt


@pytest.mark.parametrize(
    ("text", "fmt", "line", "words"),
    [
        ("00:00:01.000 --> 00:00:02.000\nA: hi\n", "vtt", 1, "WEBVTT"),
        ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:0x.000\nA: hi\n", "vtt", 4, "timing"),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA: hi\n\n2\nA: no timing here\n", "vtt", 6, "timing"),
        ("WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nA: hi\n", "vtt", 3, "ends before"),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nA: hi\n\nx\n00:00:03,000 --> 00:00:04,000\nB: yo\n",
            "srt",
            5,
            "cue number",
        ),
        ("1\n00:00:01,000 --> 00:00:02,000\nA: hi\n\n2\n00:00:03 --> 00:00:04\nB: yo\n", "srt", 6, "timing"),
        ("this line has no speaker\nnor does this one\n", "text", 1, "Speaker: text"),
        ("   \n\n", "text", 1, "empty"),
    ],
)
def test_malformed_input_names_the_line(text: str, fmt: str, line: int, words: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text, fmt)  # type: ignore[arg-type]
    assert caught.value.line == line
    assert str(caught.value).startswith(f"line {line}:")
    assert words in str(caught.value)


def test_a_title_line_before_the_first_speaker_is_a_header_not_speech() -> None:
    text = "[Auto-transcript - office phone line 2 - call started 12:21:48]\n\nSpeaker 1: Hello.\nSpeaker 2: Hi.\n"
    turns = parse(text, "text")
    assert [u.text for u in turns] == ["Hello.", "Hi."]


def test_roles_from_clinician_name() -> None:
    text = "Alex: How are you feeling today?\nJordan: Tired.\nAlex: Tell me more.\n"
    utterances = parse(text, "text", clinician_name="Jordan")
    assert {u.speaker: u.role for u in utterances} == {"Alex": "client", "Jordan": "clinician"}


def test_roles_from_conversational_cues() -> None:
    text = (
        "Alex: I don't know, it was a long week and I kept thinking about work.\n"
        "Jordan: It sounds like work is weighing on you. What happened?\n"
        "Alex: My manager yelled at me in front of everyone and I froze up completely.\n"
        "Jordan: How did that feel? On a scale of 0 to 10?\n"
    )
    assert {u.speaker: u.role for u in parse(text, "text")} == {"Alex": "client", "Jordan": "clinician"}


def test_caller_mapping_overrides_everything() -> None:
    text = "Therapist: Hi.\nClient: Hello.\nMom: She has been quiet.\n"
    utterances = parse(text, "text", speaker_roles={"mom": "other", "therapist": "clinician", "client": "client"})
    assert [u.role for u in utterances] == ["clinician", "client", "other"]


def test_parent_in_room_is_other() -> None:
    utterances = parse("Therapist: Hi.\nMaya: Hey.\nMaya's mom: She won't talk to me.\n", "text")
    assert [u.role for u in utterances] == ["clinician", "client", "other"]
