"""One date style across the product, typed dates in it accepted, long names that never break the layout, initials
of letters only, the favicon, the content hash behind a toggle, and American spelling in what people read."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import formats, timezone

from confide.clients import services as clients
from confide.clients.models import Client
from confide.lib.dates import STYLES
from confide.lib.names import initials
from confide.people.models import User
from confide.web.office_forms import DayField
from confide.web.templatetags.confide_web import initials as initials_filter
from tests.conftest import session_for
from tests.web.notes_support import signed_note

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = sorted((ROOT / "confide").rglob("templates/**/*.html"))


@pytest.fixture
def date_style(settings: Any) -> Iterator[Any]:
    """Change DATE_STYLE for one test; Django caches named formats, so the cache is cleared both ways."""

    def choose(name: str) -> None:
        settings.DATE_STYLE = name
        formats.reset_format_cache()

    yield choose
    formats.reset_format_cache()


# --- Dates -----------------------------------------------------------------------------------------------------------


def test_the_default_style_is_us_dates_and_12_hour_times() -> None:
    at = datetime(2026, 12, 4, 15, 5)
    assert formats.date_format(at.date()) == "12/04/2026"
    assert formats.time_format(at.time()) == "3:05 PM"
    assert formats.date_format(at, "DATETIME_FORMAT") == "12/04/2026 3:05 PM"
    assert formats.date_format(at.date(), "LONG_DATE_FORMAT") == "Friday, December 4, 2026"


def test_another_style_changes_every_named_format(date_style: Any) -> None:
    date_style("day_first")
    at = datetime(2026, 12, 4, 15, 5)
    assert formats.date_format(at.date()) == "04/12/2026"
    assert formats.date_format(at, "DATETIME_FORMAT") == "04/12/2026 15:05"
    date_style("iso")
    assert formats.date_format(at.date()) == "2026-12-04"


def test_an_unknown_style_refuses_to_boot(tmp_path: Path) -> None:
    from tests.test_production_settings import boot

    result = boot(tmp_path, CONFIDE_ENV="development", DATE_STYLE="british")
    assert result.returncode != 0
    assert "DATE_STYLE must be one of us, day_first, iso, not 'british'" in result.stderr


@pytest.mark.parametrize("typed", ["04/23/1987", "4/23/1987", "1987-04-23"])
def test_date_fields_accept_dates_typed_in_the_practice_style(typed: str) -> None:
    assert DayField().clean(typed) == date(1987, 4, 23)


def test_a_day_first_practice_reads_typed_dates_day_first(date_style: Any) -> None:
    date_style("day_first")
    assert DayField().clean("23/04/1987") == date(1987, 4, 23)
    with pytest.raises(ValidationError):
        DayField().clean("04/23/1987")


def test_date_fields_say_how_to_type_a_date(web_as: Any, biller: User, date_style: Any) -> None:
    page = web_as(biller).get("/billing/").content.decode()
    assert '<label for="id_start">From <span class="hint-inline">(MM/DD/YYYY)</span></label>' in page
    date_style("iso")
    page = web_as(biller).get("/billing/").content.decode()
    assert '<label for="id_start">From <span class="hint-inline">(YYYY-MM-DD)</span></label>' in page


def test_pages_write_dates_and_times_in_the_practice_style(
    web_as: Any, front_desk: User, biller: User, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    starts = timezone.localtime(session.starts_at)
    listing = web_as(front_desk).get("/clients/").content.decode()
    assert "04/02/1990" in listing  # Alex Morgan's date of birth
    schedule = web_as(front_desk).get("/schedule/").content.decode()
    assert formats.time_format(starts.time()) in schedule
    assert re.search(r"\d{1,2}:\d\d (AM|PM)", schedule)
    billing = web_as(biller).get("/billing/").content.decode()
    assert starts.strftime("%m/%d/%Y") in billing


# Formats a template may spell itself: machine values (ISO for URLs and date inputs, `c`, `U`) and single parts that
# a calendar grid prints on their own. Everything a person reads as a date goes through a named format.
MACHINE_OR_PART = {"Y-m-d", "Ymd", "c", "U", "D", "l", "j", "F", "N", "M", "Y", "H", "i", "G", "g", "A"}
NAMED = {
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "LONG_DATE_FORMAT",
    "MONTH_DAY_FORMAT",
    "WEEKDAY_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
}


def test_no_template_spells_a_date_format_of_its_own() -> None:
    offenders = []
    for path in TEMPLATES:
        for match in re.finditer(r"\|(?:date|time):[\"']([^\"']*)[\"']", path.read_text()):
            if match.group(1) not in MACHINE_OR_PART | NAMED:
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == [], "use |date, |time or a named format (confide/lib/dates.py)"


def test_every_style_names_every_format() -> None:
    from confide.lib.dates import django_formats

    for style in STYLES.values():
        assert set(django_formats(style)) >= NAMED


# --- Names -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("(Test) 3rd O'Brien", "TO"),
        ("Alex Morgan", "AM"),
        ("José García", "JG"),
        ("María-José Inmaculada Concepción O\u2019Brien", "MO"),
        ("Cher", "C"),
        ("123 456", ""),
        ("", ""),
        ("\u00dfara \u00f6lz", "S\u00d6"),  # one letter per initial, even when upper case is two
    ],
)
def test_initials_are_letters_only(name: str, expected: str) -> None:
    assert initials(name) == expected == initials_filter(name)


LONG_FIRST = "Mar\u00eda-Jos\u00e9 " + "Inmaculada " * 7 + "Ana"  # 90 characters (the column holds 100)
LONG_LAST = "O\u2019Brien-" + "Castellanos " * 6 + "de la Vega"


@pytest.fixture
def long_named(front_desk: User, clinician: User) -> Client:
    assert len(LONG_FIRST) <= 100 and len(LONG_LAST) <= 100
    return clients.register_client(
        actor=front_desk,
        first_name=LONG_FIRST[:100],
        last_name=LONG_LAST[:100],
        date_of_birth=date(1987, 4, 23),
        primary_clinician_id=clinician.pk,
    )


def test_a_long_name_is_printed_whole_in_a_wrapping_box(web_as: Any, clinician: User, long_named: Client) -> None:
    chart = web_as(clinician).get(f"/clients/{long_named.pk}/").content.decode()
    assert '<h1 id="client-name" class="person-name">' in chart
    assert LONG_FIRST.strip()[:40] in chart and "Castellanos de la Vega" in chart
    assert '<div class="avatar" aria-hidden="true">MV</div>' in chart
    listing = web_as(clinician).get("/clients/").content.decode()
    assert '<td class="person-name">' in listing and "Castellanos de la Vega" in listing
    css = (ROOT / "confide/web/static/web/css/confide.css").read_text()
    assert ".person-name { overflow-wrap: anywhere; }" in css


# --- Favicon and the content hash -----------------------------------------------------------------------------------


def test_the_favicon_is_linked_and_its_old_address_redirects(client: Any) -> None:
    page = client.get("/sign-in/").content.decode()
    assert '<link rel="icon" href="/static/web/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/web/favicon.svg"
    assert (ROOT / "confide/web/static/web/favicon.svg").read_text().startswith("<svg")


def test_the_content_hash_is_behind_a_details_toggle(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    note = signed_note(session, clinician)
    page = web_as(clinician).get(f"/sessions/{session.pk}/").content.decode()
    details = re.search(r'<details class="hash-details">(.*?)</details>', page, re.S)
    assert details is not None and note.content_hash in details.group(1)
    assert page.count(note.content_hash) == 1  # and nowhere else on the page


# --- American spelling -----------------------------------------------------------------------------------------------

# A word in quotes is about the word ("behavioural" matches too) and may be spelled either way.
BRITISH = re.compile(
    r"(?<![\"'])\b(behaviour|judgement|colour|organis(e|ed|ation)|recognis(e|ed)|favour|centre|licence|counsell(ing|or)"
    r"|summaris(e|ed)|enrolment|practised)\w*",
    re.IGNORECASE,
)


def test_what_people_read_is_in_american_spelling() -> None:
    read = [*TEMPLATES, *(ROOT / "docs").glob("*.md"), ROOT / "README.md", ROOT / "confide/notes/formats.toml"]
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}" for path in read for match in BRITISH.finditer(path.read_text())
    ]
    assert offenders == []


def test_form_labels_are_in_american_spelling() -> None:
    from confide.web.forms import MENTAL_STATUS_TITLES

    assert MENTAL_STATUS_TITLES["judgment"] == "Judgment"
    assert MENTAL_STATUS_TITLES["behavior"].startswith("Behavior")
