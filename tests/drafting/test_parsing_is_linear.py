"""One transcript cannot hold a worker: reading is linear, and a draft has a bound on words and on time.

Before the fix, 20,000 characters of "A" and spaces took six minutes in the speaker-label pattern (every split of the
spaces, three ways), unclosed tags and long monologues were quadratic, and "1." * 499999 as jotted points cost 11
to 40 seconds of CPU in the rules. Each case here is a million characters.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import pytest

from confide.drafting import draft, parse
from confide.drafting.limits import CHARACTERS_PER_WORD, DraftTimedOut, Limits, TranscriptTooLong
from confide.drafting.model import ParseError

MILLION = 1_000_000
MAX_WORDS = 30_000  # the server's default (DRAFT_MAX_WORDS)
# Generous for a loaded two-core CI machine (each case takes well under half a second on an idle core); before the
# fix the worst of them took minutes.
BUDGET_SECONDS = 2.0


def _cue(payload: str) -> str:
    return f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{payload}\n"


ADVERSARIAL: dict[str, tuple[str, str]] = {
    "jotted 1.1.1.": ("1." * (MILLION // 2), "points"),
    "detected 1.1.1.": ("1." * (MILLION // 2), "auto"),
    "a name then spaces": ("A" + " " * MILLION + "x", "text"),
    "a name then spaces, detected": ("A" + " " * MILLION + "x\nB: hi", "auto"),
    "spaces before a colon": ("A" + " " * MILLION + ":", "text"),
    "many short labelled lines": ((("A" + " " * 90 + "x:\n") * (MILLION // 93)), "auto"),
    "unclosed tags": (_cue("<a" * (MILLION // 2)), "vtt"),
    "unclosed voice tags": (_cue("<v a" * (MILLION // 4)), "vtt"),
    "one speaker, many cues": (
        "WEBVTT\n\n" + "00:00:01.000 --> 00:00:02.000\nA: word word\n\n" * (MILLION // 45),
        "vtt",
    ),
    "a long monologue of continuation lines": ("A: hi\n" + "more words here\n" * (MILLION // 16), "text"),
    "subtitle settings of spaces": (
        "1\n00:00:01,000 --> 00:00:02,000" + " " * MILLION + "!\nA: hi\n",
        "srt",
    ),
    "one word of a million letters": ("a" * MILLION, "points"),
    "leading spaces": (" " * MILLION + "x", "points"),
    "timestamps": ("[12:34] " * (MILLION // 8), "auto"),
    "markup": ("**" * (MILLION // 2), "auto"),
    "an open bracket": ("[" + "a" * MILLION, "auto"),
}


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    with contextlib.suppress(ParseError, TranscriptTooLong):  # refusing is an answer too; what matters is how soon
        work()
    return time.perf_counter() - started


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_a_million_hostile_characters_are_read_or_refused_within_a_second(name: str) -> None:
    source, fmt = ADVERSARIAL[name]
    assert len(source) >= MILLION * 0.97
    elapsed = _timed(lambda: parse(source, fmt, max_words=MAX_WORDS))  # type: ignore[arg-type]
    assert elapsed < BUDGET_SECONDS, f"{name}: {elapsed:.2f}s"


@pytest.mark.parametrize("name", ["a name then spaces", "spaces before a colon", "subtitle settings of spaces"])
def test_reading_is_linear_even_without_a_word_bound(name: str) -> None:
    # These inputs are a handful of words: the bound would not refuse them, so the reading itself must be fast.
    source, fmt = ADVERSARIAL[name]
    elapsed = _timed(lambda: parse(source, fmt))  # type: ignore[arg-type]
    assert elapsed < BUDGET_SECONDS, f"{name}: {elapsed:.2f}s"


def test_a_whole_draft_of_jotted_ones_is_refused_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(TranscriptTooLong, match="more than 120,000 words and timings"):
        draft("1." * 499_999, "points", "SOAP", limits=Limits(max_words=MAX_WORDS))
    assert time.perf_counter() - started < BUDGET_SECONDS


def test_one_enormous_word_is_refused_by_its_characters() -> None:
    with pytest.raises(TranscriptTooLong, match="characters of speech"):
        draft("a" * (MAX_WORDS * CHARACTERS_PER_WORD + 1), "points", "SOAP", limits=Limits(max_words=MAX_WORDS))


def test_a_two_hour_session_is_within_the_bound() -> None:
    # About 150 words a minute for two hours, in 10-word cues.
    cues = []
    for n in range(1800):
        start = n * 4
        clock = f"{start // 3600:02d}:{start % 3600 // 60:02d}:{start % 60:02d}"
        speaker = "Dr. Rivera" if n % 2 else "Sam"
        cues.append(
            f"{n + 1}\n{clock}.000 --> {clock}.900\n{speaker}: we talked about sleep and work and rest this week\n"
        )
    utterances = parse("WEBVTT\n\n" + "\n".join(cues), "vtt", max_words=MAX_WORDS)
    assert sum(len(u.text.split()) for u in utterances) == 1800 * 10


def test_a_draft_past_its_time_bound_stops() -> None:
    with pytest.raises(DraftTimedOut, match="longer than 0 seconds"):
        draft("Client reports poor sleep.\nPlan: sleep diary.", "points", "SOAP", limits=Limits(max_seconds=0))


def test_speaker_labels_still_read_as_before() -> None:
    lines = {
        "Dr. Rivera: How was the week?": ("Dr. Rivera", "How was the week?"),
        "[12:34] **Dr. Rivera** (12:35): Hello": ("Dr. Rivera", "Hello"),
        "   Sam   :   fine": ("Sam", "fine"),
        "Anna **12:34:56": ("Anna", "56"),  # as the old pattern read it: the colon inside the time ends the label
        "[Sam] I slept badly": ("Sam", "I slept badly"),
        "Note: bring the worksheet": (None, "Note: bring the worksheet"),
        "A" + " " * 200 + "x: not a label": (None, "A" + " " * 200 + "x: not a label"),
    }
    from confide.drafting.transcript import _speaker_split

    assert {line: _speaker_split(line) for line in lines} == lines


def test_words_of_speech_over_the_bound_are_refused() -> None:
    with pytest.raises(TranscriptTooLong, match="more than 30,000 words of speech"):
        parse("slept badly " * 15_001, "points", max_words=MAX_WORDS)
