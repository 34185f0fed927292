"""Reading transcripts: WebVTT (Zoom, Teams, Meet), SRT, plain "Speaker: text", and jotted points.

Every reader returns raw turns; `parse()` merges consecutive cues of one speaker into one utterance (Zoom and Meet
split a long turn into many cues, and a turn is the unit a clinician reads and the unit questions are answered in),
then numbers them u1, u2, ... and assigns roles.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from confide.drafting.limits import check_size, check_source
from confide.drafting.model import ParseError, Role, Utterance
from confide.drafting.roles import assign_roles

TranscriptFormat = Literal["vtt", "srt", "text", "points", "auto"]

_TS = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_VTT_TIMING = re.compile(rf"^\s*{_TS}\s*-->\s*{_TS}(?:\s+.*)?$")
# Possessive `\s++`: the cue settings after it may hold spaces too, and trying every split of a long run of spaces
# between the two made a bad timing line quadratic.
_SRT_TIMING = re.compile(rf"^\s*{_TS}\s*-->\s*{_TS}(?:\s++[A-Za-z0-9:%. ]*+)?$")
# Tags never hold '<': stopping there keeps a payload of unclosed '<v a<v a...' linear (each scan ends at the next
# '<' instead of running to the end of the cue).
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^<>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>|<\d[\d:.]*>")
# A speaker label: at most five words, no sentence punctuation; long labels are prose, not names. The name ends on a
# non-space and the spaces after it are possessive, so there is one way to read "Name   :" and a line that is not a
# label fails in one pass (the old pattern tried every split of the spaces three ways: minutes for a line of them).
_NAME = r"[A-Za-z\u00C0-\u024F](?:[\w\u00C0-\u024F.'()\- ]{0,37}?[\w\u00C0-\u024F.'()\-])??"
_STAMP = r"\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?\)?\]?"
_SPEAKER_HEAD = re.compile(
    rf"(?:{_STAMP}\s*+)?"  # optional leading timestamp
    rf"(?:\*\*)?(?P<name>{_NAME})\s*+(?:\*\*)?\s*+(?:\(?\[?\d{{1,2}}:\d{{2}}(?::\d{{2}})?\]?\)?\s*+)?(?:\*\*)?:"
)
# Everything a label can be (timestamp, name, timestamp, markup, colon) fits in this many characters, so a label is
# looked for only there: reading a line costs the same whatever its length.
_HEAD_CHARS = 96
_BRACKET_SPEAKER = re.compile(r"\[(?P<name>[A-Za-z][\w .'-]{0,30})\]")
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013>]|\d{1,2}[.)])\s+")
# A sentence ends at . ! ? before a capital, except after a title or a common abbreviation ("per Dr. Ng").
_SENTENCE_END = re.compile(
    r"(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bSt\.)(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)"
    r"(?<=[.!?])\s+(?=[A-Z\"'])"
)
# A heading in jotted points ("interventions", "for me only", "Plan / referral:"): it says what the bullets under it
# are, and is not itself a point.
_POINTS_HEADING = re.compile(
    r"^\W*(?:interventions?|response|client response|homework|hw|plan(?: ?/ ?referrals?)?|referrals?|risk|safety|"
    r"risk assessment|mse|mental status(?: exam)?|assessment|subjective|objective|data|behavior|goals?|progress|"
    r"next steps?|for me only|just for me|private|note to self|psychotherapy notes?|my reactions?|process notes?)"
    r"(?:\W*$|\s*[(\[:/\-\u2013\u2014][^.!?]{0,60}$)",
    re.I,
)
# "For me only (not for the chart):", "PRIVATE - psychotherapy note", "Note to self —"
_PRIVATE_HEADING = re.compile(
    r"^\W*(?:for me(?: only)?|just for me|private|(?:personal|mine)(?=\s*(?:$|[/,:(\-\u2013\u2014]))|note to self|"
    r"psychotherapy notes?|my reactions?|"
    r"process notes?|not for (?:the )?(?:chart|record|note))\b|"
    # "personal / not for his chart", "mine, not for his record", "for me only, not chart"
    r"\bnot (?:for )?(?:the |his |her |their |my |pt'?s |client'?s )?(?:chart|record|note|file)\b",
    re.I,
)
_NOT_NAMES = frozenset({"note", "http", "https", "re", "ps", "p.s", "subject", "date", "time", "hw", "plan", "tip"})


@dataclass(frozen=True, slots=True)
class _Turn:
    speaker: str | None
    text: str
    line: int
    start: float | None = None
    end: float | None = None


def _seconds(h: str | None, m: str, s: str, frac: str, line: int) -> float:
    minutes, secs = int(m), int(s)
    if (minutes > 59 and h is not None) or secs > 59:
        raise ParseError(line, "timestamp out of range")
    return int(h or 0) * 3600 + minutes * 60 + secs + int(frac.ljust(3, "0")) / 1000


def _timing(match: re.Match[str], line: int) -> tuple[float, float]:
    g = match.groups()
    start = _seconds(g[0], g[1], g[2], g[3], line)
    end = _seconds(g[4], g[5], g[6], g[7], line)
    if end < start:
        raise ParseError(line, "cue ends before it starts")
    return start, end


def _speaker_split(text: str) -> tuple[str | None, str]:
    line = text.lstrip()
    head = line[:_HEAD_CHARS]
    if ":" in head:
        m = _SPEAKER_HEAD.match(head)
        if m and _plausible_name(m.group("name")):
            return m.group("name").strip(), line[m.end() :].strip()
    b = _BRACKET_SPEAKER.match(head)
    if b:
        return b.group("name").strip(), line[b.end() :].strip()
    return None, text.strip()


def _plausible_name(name: str) -> bool:
    words = name.split()
    return 0 < len(words) <= 5 and name.strip().lower() not in _NOT_NAMES


def _blocks(lines: list[str], first: int) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks as (1-based line of the block's first line, lines)."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = first
    for index in range(first, len(lines)):
        if lines[index].strip():
            if not current:
                start = index
            current.append(lines[index])
        elif current:
            blocks.append((start + 1, current))
            current = []
    if current:
        blocks.append((start + 1, current))
    return blocks


def read_vtt(source: str) -> list[_Turn]:
    lines = source.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].startswith("WEBVTT"):
        raise ParseError(1, "a WebVTT file must begin with 'WEBVTT'")
    turns: list[_Turn] = []
    # The header runs from "WEBVTT" to the first blank line (it may carry "Kind:" and "Language:" lines).
    body_start = next((i for i, x in enumerate(lines) if not x.strip()), len(lines))
    for lineno, block in _blocks(lines, body_start):
        head = block[0].strip()
        if head.startswith(("NOTE", "STYLE", "REGION")) and "-->" not in head:
            continue
        offset = 0
        if "-->" not in head:
            offset = 1  # cue identifier
            if len(block) < 2 or "-->" not in block[1]:
                raise ParseError(lineno, f"expected a cue timing line ('00:00:01.000 --> 00:00:04.000'), got {head!r}")
        timing_line = block[offset]
        match = _VTT_TIMING.match(timing_line)
        if not match:
            raise ParseError(lineno + offset, f"malformed cue timing {timing_line.strip()!r}")
        start, end = _timing(match, lineno + offset)
        payload = " ".join(x.strip() for x in block[offset + 1 :]).strip()
        voice = _VOICE.search(payload)
        text = _TAG.sub("", payload).strip()
        speaker: str | None
        if voice:
            speaker = voice.group(1).strip()
        else:
            speaker, text = _speaker_split(text)
        if text:
            turns.append(_Turn(speaker, text, lineno + offset + 1, start, end))
    return turns


def read_srt(source: str) -> list[_Turn]:
    lines = source.lstrip("\ufeff").splitlines()
    turns: list[_Turn] = []
    for lineno, block in _blocks(lines, 0):
        if not block[0].strip().isdigit():
            raise ParseError(lineno, f"expected a cue number, got {block[0].strip()!r}")
        if len(block) < 2:
            raise ParseError(lineno, "cue number without a timing line")
        match = _SRT_TIMING.match(block[1])
        if not match:
            raise ParseError(lineno + 1, f"malformed cue timing {block[1].strip()!r}")
        start, end = _timing(match, lineno + 1)
        payload = _TAG.sub("", " ".join(x.strip() for x in block[2:])).strip()
        speaker, text = _speaker_split(payload)
        if text:
            turns.append(_Turn(speaker, text, lineno + 2, start, end))
    if not turns and source.strip():
        raise ParseError(1, "no subtitle cues found")
    return turns


def read_text(source: str) -> list[_Turn]:
    turns: list[_Turn] = []
    more: list[list[str]] = []  # each turn's continuation lines, joined once at the end (not re-copied per line)
    header: list[int] = []
    for index, raw in enumerate(source.lstrip("\ufeff").splitlines(), start=1):
        if not raw.strip():
            continue
        speaker, text = _speaker_split(raw)
        if speaker is None:
            if not turns:
                header.append(index)  # a title or recording line before anyone speaks ("[Auto-transcript ...]")
                continue
            more[-1].append(text)
            continue
        turns.append(_Turn(speaker, text, index))
        more.append([])
    if not turns and header:
        raise ParseError(header[0], "expected 'Speaker: text' (use the 'points' format for notes without speakers)")
    return [
        replace(t, text=" ".join([t.text, *rest]).strip()) if rest else t for t, rest in zip(turns, more, strict=True)
    ]


def read_points(source: str) -> list[_Turn]:
    """Jotted points: one utterance per bullet or line; a line of dictation is split into sentences."""
    turns: list[_Turn] = []
    lines = source.lstrip("\ufeff").splitlines()
    bulleted = sum(1 for raw in lines if _BULLET.match(raw)) >= 3
    speaker = "Clinician"
    seen_bullet = False
    for index, raw in enumerate(lines, start=1):
        is_bullet = bool(_BULLET.match(raw))
        line = _BULLET.sub("", raw, count=1).strip()
        if not line:
            continue
        if bulleted and not is_bullet and not raw[:1].isspace():
            if (_POINTS_HEADING.match(line) or _PRIVATE_HEADING.search(line)) and len(line.split()) <= 10:
                # Bullets under "for me only" are the clinician's private material; under "homework", homework.
                heading = line.strip(" :-").lower()
                speaker = "Clinician (private)" if _PRIVATE_HEADING.search(line) else f"Clinician ({heading})"
                continue
            if not seen_bullet:
                continue  # the title block above the first point ("Farah A. - Thu 12/3 - 53 min")
        seen_bullet = seen_bullet or is_bullet
        for piece in _SENTENCE_END.split(line):
            if piece.strip():
                turns.append(_Turn(speaker, piece.strip(), index))
    return turns


def detect_format(source: str) -> TranscriptFormat:
    body = source.lstrip("\ufeff")
    if body.startswith("WEBVTT"):
        return "vtt"
    lines = [x for x in body.splitlines() if x.strip()]
    if len(lines) >= 2 and lines[0].strip().isdigit() and "-->" in lines[1]:
        return "srt"
    speakers = sum(1 for x in lines if _speaker_split(x)[0] is not None)
    if lines and speakers / len(lines) >= 0.5 and speakers >= 2:
        return "text"
    return "points"


_READERS = {"vtt": read_vtt, "srt": read_srt, "text": read_text, "points": read_points}


def parse(
    source: str,
    transcript_format: TranscriptFormat = "auto",
    *,
    clinician_name: str | None = None,
    speaker_roles: Mapping[str, Role] | None = None,
    max_words: int | None = None,
) -> list[Utterance]:
    """Parse a transcript into utterances u1..un with roles; raises ParseError naming the line, and
    TranscriptTooLong past `max_words` words of speech (checked before the costlier steps: merging and roles)."""
    if not isinstance(source, str):
        raise TypeError("transcript must be text")
    check_source(source, max_words)
    fmt = detect_format(source) if transcript_format == "auto" else transcript_format
    if fmt not in _READERS:
        raise ValueError(f"unknown transcript format {transcript_format!r}")
    if not source.strip():
        raise ParseError(1, "the transcript is empty")
    turns = _READERS[fmt](source)
    if not turns:
        raise ParseError(1, "the transcript has no spoken text")
    check_size((t.text for t in turns), max_words)
    merged = _merge(turns)
    utterances = [
        Utterance(f"u{i}", t.speaker or "Speaker", "client", t.text, t.start, t.end, t.line)
        for i, t in enumerate(merged, start=1)
    ]
    if fmt == "points":
        return [replace(u, role="clinician") for u in utterances]
    return assign_roles(utterances, clinician_name=clinician_name, overrides=speaker_roles)


def _merge(turns: list[_Turn]) -> list[_Turn]:
    """Consecutive timed cues of one speaker become one turn. Each turn's pieces are joined once: joining as we go
    copied the growing text at every cue, quadratic in a long monologue."""
    groups: list[list[_Turn]] = []
    for turn in turns:
        if groups and (turn.speaker is None or turn.speaker == groups[-1][0].speaker) and turn.start is not None:
            groups[-1].append(turn)
        else:
            groups.append([turn])
    return [
        replace(group[0], text=" ".join(t.text for t in group), end=group[-1].end) if len(group) > 1 else group[0]
        for group in groups
    ]
