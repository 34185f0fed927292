"""The practice's date style: one setting (`DATE_STYLE`) decides how every page writes dates and times and which
typed dates forms accept. Templates use Django's named formats (`|date`, `|date:"DATETIME_FORMAT"`, `|time`,
`|date:"LONG_DATE_FORMAT"`), which `confide/web/formats/en/formats.py` answers from here; no template spells a
format of its own. Machine-facing values (URLs, `<input type="date">` values, exports' file names) stay ISO.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class DateStyle:
    date: str  # Django date-format characters
    time: str
    long_date: str  # headings: the day view, the schedule
    month_day: str  # compact, within a year: timelines, "due" columns
    weekday_day: str  # a calendar's day headings: the weekday and the day, no year
    hint: str  # what a person types: shown beside every date field
    inputs: tuple[str, ...]  # strptime formats forms accept (ISO last: what <input type="date"> sends)


STYLES: dict[str, DateStyle] = {
    # United States: 12/04/2026, 3:05 PM.
    "us": DateStyle("m/d/Y", "g:i A", "l, F j, Y", "M j", "l, M j", "MM/DD/YYYY", ("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d")),
    # Most of the world: 04/12/2026, 15:05.
    "day_first": DateStyle(
        "d/m/Y", "H:i", "l j F Y", "j M", "l j M", "DD/MM/YYYY", ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d")
    ),
    # ISO 8601: 2026-12-04, 15:05.
    "iso": DateStyle("Y-m-d", "H:i", "l, Y-m-d", "M j", "l, m-d", "YYYY-MM-DD", ("%Y-%m-%d",)),
}


def style() -> DateStyle:
    return STYLES[settings.DATE_STYLE]


def django_formats(chosen: DateStyle) -> dict[str, object]:
    """Django's format names (and LONG_DATE_FORMAT, ours) for a style: what the format module serves."""
    date_time = f"{chosen.date} {chosen.time}"
    time_inputs = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p")
    return {
        "DATE_FORMAT": chosen.date,
        "SHORT_DATE_FORMAT": chosen.date,
        "TIME_FORMAT": chosen.time,
        "DATETIME_FORMAT": date_time,
        "SHORT_DATETIME_FORMAT": date_time,
        "LONG_DATE_FORMAT": chosen.long_date,
        "MONTH_DAY_FORMAT": chosen.month_day,
        "WEEKDAY_DAY_FORMAT": chosen.weekday_day,
        "YEAR_MONTH_FORMAT": "F Y",
        "DATE_INPUT_FORMATS": list(chosen.inputs),
        "TIME_INPUT_FORMATS": list(time_inputs),
        "DATETIME_INPUT_FORMATS": [f"{d} {t}" for d in chosen.inputs for t in time_inputs] + ["%Y-%m-%dT%H:%M"],
    }


def date_hint() -> str:
    """The help beside a date field: the browser's calendar shows its own locale, typed text is read in ours."""
    return f"Pick a date from the calendar, or type it as {style().hint}."
