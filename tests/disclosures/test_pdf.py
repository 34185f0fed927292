"""The PDFs of a release (confide/disclosures/pdf.py) and their pages (confide/disclosures/pages.py), read back
with pypdf.

No database: the packages come from tests/disclosures/samples.py.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from confide.disclosures import pdf
from confide.disclosures.content import NOTICE_TEXT, Accounting, AccountingEntry, Package, WithheldPart
from confide.disclosures.pages import page_count, page_png
from confide.disclosures.pdf import render_accounting, render_authorization_form, render_package
from tests.disclosures import samples

PSYCHOTHERAPY_HEADING = "Psychotherapy notes (45 CFR 164.501)"
PRACTICE = "Elm Street Counseling"


def pages_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    """Text with line breaks and runs of spaces made single spaces: wrapping must not break a phrase."""
    return re.sub(r"\s+", " ", text)


def all_text(data: bytes) -> str:
    return flat(" ".join(pages_of(data)))


def render_pages(package: Package) -> list[str]:
    return pages_of(render_package(package))


def test_cover_letter_names_recipient_basis_withheld_and_notice() -> None:
    withheld = (
        WithheldPart(
            "psychotherapy_note",
            None,
            "psychotherapy_notes_not_permitted",
            "Needs its own authorization.",
            "164.508(a)(2)",
        ),
        WithheldPart("progress_note", "1007", "outside_span", "Written after the period the order names.", ""),
    )
    cover = flat(render_pages(samples.package(withheld=withheld))[0])
    assert "Hon. J. Alvarez, County Superior Court" in cover
    assert "100 Court Plaza, Springfield" in cover
    assert "Court order (45 CFR 164.512(e)(1)(i))" in cover
    assert "Order of 2026-05-20 in case 26-FL-1234" in cover
    assert "Alex Morgan, born 1990-04-02" in cover
    assert "Needs its own authorization." in cover
    assert "164.508(a)(2)" in cover
    assert "Written after the period the order names." in cover
    assert "1007" in cover
    assert flat(NOTICE_TEXT["redisclosure"]) in cover
    assert "42 CFR part 2 prohibits" not in cover


def test_cover_letter_counts_what_is_enclosed() -> None:
    cover = flat(render_pages(samples.package(notes=4, private_notes=2))[0])
    for phrase in ("4 progress notes", "4 sessions", "1 diagnosis", "treatment plan", "3 measure scores"):
        assert phrase in cover
    assert "1 periodic summary" in cover
    assert "2 psychotherapy notes" in cover


def test_part2_notice_on_the_cover_and_at_the_end() -> None:
    pages = render_pages(samples.package(part2=True))
    part2 = flat(NOTICE_TEXT["part2"])
    assert part2 in flat(pages[0])
    assert flat(NOTICE_TEXT["redisclosure"]) in flat(pages[0])
    assert part2 in flat(pages[-1])
    assert flat(NOTICE_TEXT["redisclosure"]) in flat(pages[-1])


def test_no_notices_no_notice_text() -> None:
    text = all_text(render_package(samples.package(notices=())))
    assert "Notice to the recipient" not in text


def test_cover_shows_the_authorization() -> None:
    pack = samples.package(basis="authorization", authorization=samples.authorization())
    cover = flat(render_pages(pack)[0])
    assert "signed on 2026-05-01" in cover
    assert "Expires: 2027-05-01" in cover
    assert "Progress notes" in cover


def test_own_copy_is_addressed_to_the_client() -> None:
    pack = samples.package(basis="right_of_access", recipient_name="Someone Else", notices=())
    pages = render_pages(pack)
    assert "Your copy of your record" in pages[0]
    assert "12 Elm St, Springfield" in pages[0]
    assert "Someone Else" not in " ".join(pages)
    assert all("Prepared for Alex Morgan" in p for p in pages)


@pytest.mark.parametrize("notes", [1, 40])
def test_every_page_has_recipient_client_and_page_n_of_m(notes: int) -> None:
    pages = render_pages(samples.package(notes=notes, private_notes=1))
    total = len(pages)
    assert total > (4 if notes == 40 else 1)
    for n, text in enumerate(pages, 1):
        assert "Prepared for Hon. J. Alvarez, County Superior Court" in text
        assert "Alex Morgan" in text
        assert f"Page {n} of {total}" in text


def test_psychotherapy_notes_come_last_on_a_page_of_their_own() -> None:
    pages = render_pages(samples.package(notes=12, private_notes=3))
    first = next(i for i, p in enumerate(pages) if PSYCHOTHERAPY_HEADING in flat(p))
    assert "Progress note, session of" not in pages[first]
    assert all("Psychotherapy note, session of" not in p for p in pages[:first])
    last_note = max(i for i, p in enumerate(pages) if "Progress note, session of" in p)
    assert last_note < first
    assert sum(p.count("Psychotherapy note, session of") for p in pages[first:]) == 3
    assert "Wondering whether her flatness" in " ".join(pages[first:])
    # Nothing of the official record follows them; only the closing notices.
    assert all("Periodic summary" not in p and "Measures" not in p for p in pages[first:])


def test_heading_names_the_separate_authorization() -> None:
    auth = samples.authorization("psychotherapy_notes")
    text = all_text(render_package(samples.package(private_notes=1, basis="authorization", authorization=auth)))
    assert "released under the client's separate authorization" in text


def test_no_psychotherapy_notes_no_heading() -> None:
    text = all_text(render_package(samples.package(notes=5)))
    assert PSYCHOTHERAPY_HEADING not in text
    assert "Psychotherapy note, session of" not in text


def test_note_carries_amendments_addenda_late_entry_and_cosignature() -> None:
    text = all_text(render_package(samples.package(notes=4)))
    # note 0: amended; note 1: addendum; note 2: supervised; note 3: late entry.
    assert "Amendment request 1" in text
    assert "The note says I missed work; I was on approved leave." in text
    assert "Decision: denied on 2026-03-20" in text
    assert "Ground for denial: The record is accurate and complete" in text
    assert "Explanation: The client reported the absence as unplanned in session." in text
    assert "statement of disagreement: I had approved leave; my employer can confirm it." in text
    assert "rebuttal: The note records what the client said on the day." in text
    assert "Addendum 1 by Dana Rivera, PhD" in text
    assert "Client called to add: slept better." in text
    assert "Signed by Sam Lee, MA, pre-licensed on 2026-01-19" in text
    assert "Co-signed by Ngozi Okafor, PsyD on 2026-01-20" in text
    assert text.count("Late entry") == 1
    assert "Drafted with assistance (confide-offline 1.0)" in text
    assert "Content hash (SHA-256): " + "0" * 63 + "3" in text


def test_notes_without_extras_have_none() -> None:
    pack = samples.package(notes=1, progress_notes=(samples.note(5),))
    text = all_text(render_package(pack))
    for absent in ("Amendment request", "Addendum", "Late entry", "Co-signed", "Drafted with"):
        assert absent not in text


def test_accepted_amendment_prints_its_text() -> None:
    base = samples.note(0, amended=True)
    accepted = replace(base.amendments[0], status="accepted", amendment_text="Corrected: approved leave.")
    pack = samples.package(notes=1, progress_notes=(replace(base, amendments=(accepted,)),))
    text = all_text(render_package(pack))
    assert "Decision: accepted on 2026-03-20" in text
    assert "Amendment: Corrected: approved leave." in text


def test_markup_and_control_characters_print_literally() -> None:
    nasty = "<script>alert('x')</script> & <b>bold</b> &amp; <br/>\nsecond line\x00\x07\x1b end"
    note = replace(samples.note(0), sections=(("<i>Subjective</i> & more", nasty),))
    pack = samples.package(notes=1, progress_notes=(note,), recipient_name="Smith & <Jones> LLP", purpose="<para>")
    text = all_text(render_package(pack))
    assert "<script>alert('x')</script> & <b>bold</b> &amp; <br/>" in text
    assert "second line end" in text
    assert "<i>Subjective</i> & more" in text
    assert "Prepared for Smith & <Jones> LLP" in text
    assert "Purpose: <para>" in text


def test_unicode_prints_and_unprintable_characters_do_not_crash() -> None:
    note = replace(
        samples.note(0), sections=(("Subjective", "Caf\u00e9 \u2014 \u201cquoted\u201d \U0001f600 \ud800 x"),)
    )
    text = all_text(render_package(samples.package(notes=1, progress_notes=(note,))))
    assert "Caf\u00e9 \u2014 \u201cquoted\u201d" in text


def test_helvetica_fallback_prints_cp1252(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "_fonts", lambda: pdf._Fonts("Helvetica", "Helvetica-Bold", False))
    pdf._styles.cache_clear()
    try:
        note = replace(samples.note(0), sections=(("Subjective", "Caf\u00e9 \u2014 \u201cq\u201d \u6f22 <b>"),))
        text = all_text(render_package(samples.package(notes=1, progress_notes=(note,))))
    finally:
        pdf._styles.cache_clear()
    assert "Caf\u00e9 \u2014 \u201cq\u201d ? <b>" in text
    assert "Page 1 of" in text


def test_same_package_same_bytes() -> None:
    pack = samples.package(notes=6, private_notes=1, part2=True)
    first = render_package(pack)
    assert first.startswith(b"%PDF-")
    assert render_package(pack) == first
    other = render_package(replace(pack, purpose="Another purpose"))
    assert other != first


def _line_ops(data: bytes) -> int:
    reader = PdfReader(io.BytesIO(data))
    ops = 0
    for page in reader.pages:
        ops += sum(1 for _, op in ContentStream(page.get_contents(), reader).operations if op in (b"l", b"m"))
    return ops


def test_measures_table_and_chart() -> None:
    with_measures = render_package(samples.package(notes=1))
    without = render_package(samples.package(notes=1, measures=()))
    text = all_text(with_measures)
    assert "PHQ-9 score over time" in text
    assert "GAD-7 score over time" in text
    assert "2026-01-05 PHQ-9 18 moderately severe" in text
    assert "2026-03-02 PHQ-9 14 moderate" in text
    assert "2026-03-02 GAD-7 9 mild" in text
    bare = all_text(without)
    assert "score over time" not in bare
    assert "Measures" not in bare
    # The charts are drawn: axes, ticks, grid and the score line, far more strokes than the table's rules.
    assert _line_ops(with_measures) > _line_ops(without) + 30


def test_sessions_diagnoses_plan_and_summaries() -> None:
    text = all_text(render_package(samples.package(notes=2)))
    assert "F33.1" in text
    assert "Major depressive disorder, recurrent, moderate" in text
    assert "Problem 1: Depressed mood limits work and social life" in text
    assert "Goal 1.1: Mood improves (measure: PHQ-9 below 10)" in text
    assert "Objective 1.1.1: Three valued activities a week" in text
    assert "90837" in text
    assert "Telehealth" in text
    assert "In person" in text
    assert "Periodic summary, 2026-01-01 to 2026-03-31" in text
    assert "PHQ-9 from 18 to 14." in text


def test_large_package_renders() -> None:
    data = render_package(samples.package(notes=300, private_notes=5))
    pages = pages_of(data)
    assert len(pages) > 100
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert sum(p.count("Progress note, session of") for p in pages) == 300


# --- accounting ----------------------------------------------------------------------------------------------------


def _accounting(*entries: AccountingEntry) -> Accounting:
    return Accounting(PRACTICE, samples.CLIENT, datetime(2026, 6, 1, 12, 0, tzinfo=UTC), date(2020, 6, 1), entries)


def test_accounting_lists_entries() -> None:
    entry = AccountingEntry(
        date(2026, 5, 21),
        "Hon. J. Alvarez, County Superior Court",
        "100 Court Plaza, Springfield",
        "12 progress notes (2026-01-05 to 2026-03-30), 1 diagnosis",
        "Court order & <subpoena>",
    )
    pages = pages_of(render_accounting(_accounting(entry, replace(entry, day=date(2026, 5, 28), recipient="Coroner"))))
    text = flat(" ".join(pages))
    assert "Accounting of disclosures (45 CFR 164.528)" in text
    assert "Alex Morgan, born 1990-04-02" in text
    assert "since 2020-06-01" in text
    assert "2026-05-21" in text and "2026-05-28" in text
    assert "100 Court Plaza, Springfield" in text
    assert "12 progress notes" in text
    assert "Court order & <subpoena>" in text
    assert "Coroner" in text
    assert "no disclosures to account for" not in text
    assert "Prepared for Alex Morgan" in text
    assert f"Page 1 of {len(pages)}" in text


def test_accounting_without_entries_says_so() -> None:
    text = all_text(render_accounting(_accounting()))
    assert "There are no disclosures to account for between 2020-06-01 and 2026-06-01." in text
    assert "Page 1 of 1" in text


def test_accounting_of_many_entries_spans_pages() -> None:
    entry = AccountingEntry(date(2026, 5, 21), "Recipient", "Address", "Description " * 40, "Purpose " * 30)
    pages = pages_of(render_accounting(_accounting(*[entry] * 40)))
    assert len(pages) > 1
    assert all(f"of {len(pages)}" in p for p in pages)


# --- the authorization form ----------------------------------------------------------------------------------------


REVOKE = "You may revoke this authorization at any time by writing to Elm Street Counseling."
ONLY = "This authorization is for psychotherapy notes only"


@pytest.mark.parametrize("kind", ["general", "psychotherapy_notes"])
def test_authorization_form(kind: str) -> None:
    data = render_authorization_form(samples.authorization(kind), samples.CLIENT, PRACTICE)
    text = all_text(data)
    assert REVOKE in text
    assert "will not condition your treatment, payment" in text
    assert "may be redisclosed by the recipient" in text
    assert "Who may disclose: Elm Street Counseling" in text
    assert "Dr. Priya Shah, Springfield Family Medicine" in text
    assert "Coordination of care" in text
    assert "expires on 2027-05-01" in text
    assert "Signature of the client or personal representative" in text
    assert "authority to act for the client" in text
    assert "Alex Morgan, born 1990-04-02" in text
    if kind == "psychotherapy_notes":
        assert ONLY in text
        assert "may not be combined" in text
        assert "Progress notes" not in text
    else:
        assert ONLY not in text
        assert "Progress notes" in text
        assert "Measures" in text


def test_authorization_form_expiry_event_and_unknown_category() -> None:
    auth = replace(
        samples.authorization(),
        expires_on=None,
        expiry_event="the end of the court case",
        information=("court_records",),
    )
    text = all_text(render_authorization_form(auth, samples.CLIENT, PRACTICE))
    assert "expires upon: the end of the court case" in text
    assert "Court records" in text


# --- pages ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def package_pdf() -> Iterator[bytes]:
    yield render_package(samples.package(notes=8, private_notes=1))


def test_page_count_agrees_with_pypdf(package_pdf: bytes) -> None:
    assert page_count(package_pdf) == len(PdfReader(io.BytesIO(package_pdf)).pages) > 1
    form = render_authorization_form(samples.authorization(), samples.CLIENT, PRACTICE)
    assert page_count(form) == 1


def test_page_png(package_pdf: bytes) -> None:
    last = page_count(package_pdf)
    first_png = page_png(package_pdf, 1)
    assert first_png.startswith(b"\x89PNG\r\n\x1a\n")
    assert page_png(package_pdf, last).startswith(b"\x89PNG")
    # Scale sets the size: the width is in the IHDR chunk, bytes 16-20.
    small = page_png(package_pdf, 1, scale=0.5)
    assert int.from_bytes(small[16:20]) * 3 == pytest.approx(int.from_bytes(first_png[16:20]), abs=3)
    with pytest.raises(ValueError):
        page_png(package_pdf, 0)
    with pytest.raises(ValueError):
        page_png(package_pdf, last + 1)
