"""A group session's note is one member's: the focal client's turns and the clinicians' turns to them or to the
whole room. Other members' words, risk and names stay out; a co-facilitator is a clinician; a family is not a
group."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from confide.drafting import draft
from confide.drafting.group import focal_member
from confide.drafting.model import Draft
from confide.drafting.transcript import parse

GROUP = """Facilitator: Ines Caldwell. Co-facilitator: Omar Reyes.
Ines Caldwell: Welcome back. Check-ins: name, days, craving zero to ten. Gloria, you start?
Gloria Pham: Gloria. Day four. Again. I drank Saturday. Craving's a seven.
Ines Caldwell: Thank you for being honest, Gloria. Sam?
Sam Ortiz: Sam. A hundred and twelve days. Craving two.
Ines Caldwell: Steady. Renee?
Renee Okafor: Renee. Sixty-three days. Craving went up to a six at my in-laws but right now a two.
Omar Reyes: Renee, what helped most in the car?
Renee Okafor: Breathing and texting my sponsor. She called me right back.
Tyler Haas: I didn't make it. I used on Tuesday and I keep thinking everyone would be better off without me.
Ines Caldwell: Tyler, thank you for telling us. You and I will talk right after group.
Ines Caldwell: Almost time. Is anyone having thoughts of suicide, or of hurting yourself or someone else, today?
Sam Ortiz: No.
Renee Okafor: No. None of that. I'm good.
Gloria Pham: No.
Ines Caldwell: Homework for everyone: write down your holiday plan. See everyone next Thursday at six.
"""


def _note(d: Draft) -> str:
    return "\n".join(s.text for ss in d.sections.values() for s in ss)


def test_the_note_is_the_member_who_spoke_most_and_others_stay_out() -> None:
    d = draft(GROUP, "text")
    note = _note(d)
    assert {(f.type, f.polarity) for f in d.risk_flags} == {
        ("suicidal_ideation", "denied"),
        ("self_harm", "denied"),
        ("homicidal_ideation", "denied"),
    }  # Renee's answers; Tyler's "better off without me" is his, not hers
    for other in ("Gloria", "Sam", "Tyler", "Pham", "Ortiz", "Haas", "day four", "drank"):
        assert other not in note
    assert "sponsor" in note
    assert len(d.utterances) == GROUP.count("\n")  # every turn is still shown, with its id


def test_the_chart_s_client_name_picks_the_member() -> None:
    d = draft(GROUP, "text", client_name="Tyler Haas")
    assert ("suicidal_ideation", "endorsed") in {(f.type, f.polarity) for f in d.risk_flags}
    assert "sponsor" not in _note(d)


def test_a_co_facilitator_named_in_the_header_is_a_clinician() -> None:
    d = draft(GROUP, "text")
    assert {u.role for u in d.utterances if u.speaker == "Omar Reyes"} == {"clinician"}
    assert focal_member(parse(GROUP, "text")) == "Renee Okafor"


def test_a_family_sharing_a_surname_is_not_a_group() -> None:
    family = (
        "Therapist: How was the week for everyone?\n"
        "Tanya Okoro: Hard. He skipped school twice.\n"
        "Jalen Okoro: I went Thursday.\n"
        "Kiara Okoro: He did go Thursday.\n"
        "Marcus Okoro: We argued about the phone again.\n"
    )
    assert focal_member(parse(family, "text")) is None


def test_the_cli_takes_the_member_the_note_is_for(tmp_path: Path) -> None:
    transcript = tmp_path / "group.txt"
    transcript.write_text(GROUP)
    done = subprocess.run(
        [sys.executable, "-m", "confide.drafting", str(transcript), "--input-format", "text", "--client", "Tyler Haas"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "suicidal_ideation: endorsed" in done.stdout
