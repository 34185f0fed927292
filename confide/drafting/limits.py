"""How much one draft may cost: a bound on the words of speech and on the time, so one transcript cannot hold a worker.

The engine reads in linear time (tests/drafting/test_parsing_is_linear.py), but the rules behind a draft run well over
a hundred patterns over every utterance: about 5 seconds for 30,000 words on one core. A long two-hour session is
about 20,000 spoken words, so 30,000 is generous; the time bound is the backstop for a slower machine.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

# A word is a run of letters or digits ("1.1.1." is three words, as it costs three).
_WORD = re.compile(r"\w+")
# One draft reads at most this many characters of speech per word of the limit: ordinary speech is six or seven, so
# this refuses only text that is not speech (one "word" of a million letters costs as much as a long session).
CHARACTERS_PER_WORD = 12


class TranscriptTooLong(ValueError):
    """More speech than one draft takes. `code` is the API's error code."""

    code = "transcript_too_long"


class DraftTimedOut(RuntimeError):
    """The draft ran past its time bound and was abandoned."""

    code = "draft_timed_out"


@dataclass(frozen=True, slots=True)
class Limits:
    """`max_words` of speech and `max_seconds` of work for one draft; None is no bound (the command line's default)."""

    max_words: int | None = None
    max_seconds: float | None = None

    def deadline(self) -> Deadline:
        return Deadline(None if self.max_seconds is None else time.monotonic() + self.max_seconds, self.max_seconds)


# Timings, cue numbers and ids are words to a count of the raw file: a Zoom or Teams cue of ten spoken words holds
# about twenty. A file with more than this many per word of the bound cannot be within it, and is refused unread.
RAW_WORDS_PER_WORD = 4


def _words_up_to(text: str, limit: int) -> int:
    """The words in `text`, counting no further than limit + 1: the cost is bounded by the limit, not the text."""
    count = 0
    for count, _ in enumerate(_WORD.finditer(text), start=1):
        if count > limit:
            break
    return count


def check_source(source: str, max_words: int | None) -> None:
    """Refuse, before reading it, a file with far more words and numbers than `max_words` of speech could need."""
    if max_words is None:
        return
    bound = max_words * RAW_WORDS_PER_WORD
    if _words_up_to(source, bound) > bound:
        raise TranscriptTooLong(
            f"the transcript is too long to draft at once: more than {bound:,} words and timings, for at most "
            f"{max_words:,} words of speech. Draft the session in parts, or trim it."
        )


def check_size(texts: Iterable[str], max_words: int | None) -> None:
    """Refuse speech over `max_words` words (or over CHARACTERS_PER_WORD characters per word of the bound)."""
    if max_words is None:
        return
    words = characters = 0
    for text in texts:
        characters += len(text)
        words += _words_up_to(text, max_words - words)
        if words > max_words:
            raise TranscriptTooLong(
                f"the transcript is too long to draft at once: more than {max_words:,} words of speech. "
                "Draft the session in parts, or trim it."
            )
    if characters > max_words * CHARACTERS_PER_WORD:
        raise TranscriptTooLong(
            f"the transcript is too long to draft at once: {characters:,} characters of speech, "
            f"at most {max_words * CHARACTERS_PER_WORD:,}. Trim it, or draft it in parts."
        )


@dataclass(frozen=True, slots=True)
class Deadline:
    at: float | None
    seconds: float | None

    def check(self) -> None:
        if self.at is not None and time.monotonic() > self.at:
            raise DraftTimedOut(
                f"drafting took longer than {self.seconds:g} seconds and was stopped; draft the session in parts"
            )


class Clocked(list[T]):
    """A list whose walks check a deadline between items. Every stage of the engine walks the utterances, so each one
    stops within one utterance of the deadline without knowing about it."""

    def __init__(self, items: Iterable[T], deadline: Deadline) -> None:
        super().__init__(items)
        self.deadline = deadline

    def __iter__(self) -> Iterator[T]:
        for item in super().__iter__():
            self.deadline.check()
            yield item
