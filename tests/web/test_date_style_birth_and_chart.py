"""The practice's DATE_STYLE reaches a date of birth typed into the client forms (what is accepted, the hint beside
the field, the value shown back, the messages) and the measures chart's axis labels. Through real HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import dateformat, formats, timezone

from confide.clients.models import Client
from confide.measures.chart import trend_svg
from confide.people.models import User


@pytest.fixture
def date_style(settings: Any) -> Iterator[Any]:
    """Change DATE_STYLE for one test; Django caches named formats, so the cache is cleared both ways."""

    def choose(name: str) -> None:
        settings.DATE_STYLE = name
        formats.reset_format_cache()

    yield choose
    formats.reset_format_cache()


def _registration(clinician: User, born: str) -> dict[str, str]:
    return {"first_name": "Ana", "last_name": "Diaz", "date_of_birth": born, "primary_clinician": str(clinician.pk)}


@pytest.mark.parametrize(
    ("style", "typed", "wrong", "hint"),
    [
        ("us", "04/23/1987", "23/04/1987", "MM/DD/YYYY"),
        ("day_first", "23/04/1987", "04/23/1987", "DD/MM/YYYY"),
        ("iso", "1987-04-23", "04/23/1987", "YYYY-MM-DD"),
    ],
)
def test_a_date_of_birth_is_typed_in_the_practice_style(
    style: str,
    typed: str,
    wrong: str,
    hint: str,
    date_style: Any,
    web_as: Any,
    front_desk: User,
    clinician: User,
) -> None:
    date_style(style)
    http = web_as(front_desk)
    form = http.get("/clients/new/").content.decode()
    assert f'<label for="id_date_of_birth">Date of birth <span class="hint-inline">({hint})</span></label>' in form

    refused = http.post("/clients/new/", _registration(clinician, wrong))
    assert refused.status_code == 422
    assert f"Enter the date of birth as {hint}, e.g. " in refused.content.decode()
    assert not Client.objects.exists()

    future = (timezone.localdate() + timedelta(days=3)).strftime(
        {"us": "%m/%d/%Y", "day_first": "%d/%m/%Y"}.get(style, "%Y-%m-%d")
    )
    ahead = http.post("/clients/new/", _registration(clinician, future))
    assert ahead.status_code == 422 and "The date of birth is in the future." in ahead.content.decode()

    made = http.post("/clients/new/", _registration(clinician, typed))
    assert made.status_code == 302, made.content.decode()[:500]
    client = Client.objects.get()
    assert client.date_of_birth == date(1987, 4, 23)
    # Correcting it shows the stored date back in the same style.
    edit = http.get(f"/clients/{client.pk}/edit/").content.decode()
    assert re.search(rf'name="date_of_birth" value="{re.escape(typed)}"', edit)


@pytest.mark.parametrize(("style", "label"), [("us", "Nov 3"), ("day_first", "3 Nov")])
def test_the_measures_chart_labels_its_days_in_the_practice_style(
    style: str, label: str, date_style: Any, web_as: Any, clinician: User, client_of_record: Client
) -> None:
    date_style(style)
    svg = trend_svg("PHQ-9", [(date(2026, 11, 3), 17), (date(2026, 12, 1), 9)])
    assert f">{label}<" in svg
    assert f">{dateformat.format(date(2026, 12, 1), formats.get_format('MONTH_DAY_FORMAT'))}<" in svg

    http = web_as(clinician)
    today = timezone.localdate()
    answers = {f"item-{n}": "1" for n in range(1, 10)}
    made = http.post(
        f"/clients/{client_of_record.pk}/measures/record/",
        {"instrument": "PHQ-9", "administered_on": today.isoformat(), **answers},
    )
    assert made.status_code == 302
    page = http.get(f"/clients/{client_of_record.pk}/measures/").content.decode()
    expected = formats.date_format(today, "MONTH_DAY_FORMAT")
    assert f">{expected}<" in page.split("<svg", 1)[1]
    other = "j M" if style == "us" else "M j"
    if dateformat.format(today, other) != expected:
        assert f">{dateformat.format(today, other)}<" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


@pytest.mark.parametrize("style", ["us", "day_first", "iso"])
def test_a_discharge_date_before_admission_is_refused_in_the_practices_date_style(style: str, date_style: Any) -> None:
    from confide.clients import services

    date_style(style)
    admitted = date(2026, 3, 7)
    client = Client(first_name="Dana", last_name="Style", date_of_birth=date(1990, 1, 1), admitted_on=admitted)
    problems = services._episode_problems(client, {"discharged_on": admitted - timedelta(days=1)}, date(2026, 12, 1))
    shown = {"us": "03/07/2026", "day_first": "07/03/2026", "iso": "2026-03-07"}[style]
    assert shown in problems["discharged_on"]["detail"]
