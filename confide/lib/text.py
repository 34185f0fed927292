"""What text and dates from outside may be, wherever they arrive (the API's schemas, the web's forms).

PostgreSQL refuses NUL in text and JSON, no database stores half a surrogate pair, and a time in year 1 or 9999 with
an offset cannot be turned into UTC: each would be a 500 at the database. They are refused where they arrive instead.
"""

from __future__ import annotations

from datetime import date

# The dates a record may carry: births, sessions, plans, consents, audit filters. Wide enough for any real record,
# narrow enough that any of them, at any offset, is a valid UTC time (the schedule page has the same range).
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored, or None."""
    if "\x00" in value:
        return "text may not contain NUL characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "text must be valid Unicode (it holds half a surrogate pair)"
    return None


def sane_day(day: date) -> bool:
    return EARLIEST_DAY <= day <= LATEST_DAY


def as_sentence(text: str) -> str:
    """A refusal's detail as the sentence a page shows beside its form: capitalized, with a full stop."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")
