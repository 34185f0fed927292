"""Shared API schema pieces: strict inputs (no extra fields, no type coercion) and the error body."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import Model
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, model_validator
from pydantic import StrictStr as _StrictStr
from pydantic.fields import FieldInfo

from confide.lib.text import EARLIEST_DAY, LATEST_DAY, text_problem

__all__ = [
    "ERRORS",
    "Error",
    "IdRef",
    "In",
    "NonEmpty",
    "ObjectId",
    "StrictBool",
    "StrictInt",
    "StrictStr",
    "bounded",
    "column",
]


def _clean_text(value: str) -> str:
    # PostgreSQL cannot store NUL, and no database stores half a surrogate pair: a 400 here, never a 500 there.
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# Every string of a request: strict (no coercion), and free of NUL and lone surrogates.
StrictStr = Annotated[_StrictStr, AfterValidator(_clean_text)]
NonEmpty = Annotated[StrictStr, Field(min_length=1, max_length=100_000)]


def column(model: type[Model], name: str, *, required: bool = False) -> FieldInfo:
    """The bounds of the column a string fills: `Annotated[StrictStr, column(Client, "first_name", required=True)]`.
    An over-long value is then a 400 from the schema, not a database error (tests/api/test_hostile_input.py holds
    every input field to its column)."""
    max_length = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    if max_length is None:
        raise TypeError(f"{model.__name__}.{name} has no max_length: bound it with bounded(n)")
    return bounded(int(max_length), required=required)


def bounded(max_length: int, *, required: bool = False) -> FieldInfo:
    """Bounds for a string with no column of its own (a password, a token) or a text column without a length."""
    field: FieldInfo = Field(min_length=1 if required else 0, max_length=max_length)
    return field


# Ids in paths: positive and within a 64-bit column, so an absurd id is a 400, never a database error.
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


_ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_text(value: Any) -> Any:
    # Dates and times arrive as ISO 8601 text (docs/api.md); a number is not a date, however pydantic might read it.
    if isinstance(value, date | datetime):
        return value
    if not isinstance(value, str) or not _ISO_START.match(value):
        # pydantic reads "0.5" as a Unix time: ISO 8601 begins with the year, month and day
        raise ValueError("expected an ISO 8601 string")
    return value


def _sane_day(value: date) -> date:
    # Year 1 or 9999 with an offset cannot become UTC (OverflowError); no clinical record is dated outside this range.
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValueError(f"dates run from {EARLIEST_DAY.year} to {LATEST_DAY.year}")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_text), AfterValidator(_sane_day)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_text), AfterValidator(_sane_day)]


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("a time needs its UTC offset, e.g. 2026-11-30T10:00:00-05:00")
    return value


# Where there is no rule to answer 422 with (a filter), a time without an offset is malformed.
IsoAwareDateTime = Annotated[datetime, BeforeValidator(_iso_text), AfterValidator(_sane_day), AfterValidator(_aware)]
IdRef = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]  # the same, in a JSON body (no coercion from strings)


class In(Schema):
    """Base for request bodies: unknown fields are an error (docs/architecture.md)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_bad_text_anywhere(cls, data: Any) -> Any:
        """Free-form parts of a body (a note's risk assessment is a JSON object) reach the database too: no string
        anywhere in a request, key or value, may hold NUL or a lone surrogate."""
        problem = _first_text_problem(data)
        if problem:
            raise ValueError(problem)
        return data


def _first_text_problem(data: Any, depth: int = 0) -> str | None:
    if isinstance(data, str):
        return text_problem(data)
    if depth > 32:
        return "the request is nested too deeply"
    if isinstance(data, dict):
        items: list[Any] = [*data.keys(), *data.values()]
    elif isinstance(data, list | tuple):
        items = list(data)
    else:
        return None
    for item in items:
        problem = _first_text_problem(item, depth + 1)
        if problem:
            return problem
    return None


class Error(Schema):
    detail: str
    code: str


# Every operation declares the shared error responses.
ERRORS: dict[int, type[Error]] = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 422: Error}
