"""Shared API schema pieces: strict inputs (no extra fields, no type coercion) and the error body."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, StrictStr

__all__ = ["ERRORS", "Error", "IdRef", "In", "NonEmpty", "ObjectId", "StrictBool", "StrictInt", "StrictStr"]

NonEmpty = Annotated[StrictStr, Field(min_length=1, max_length=100_000)]
# Ids in paths: positive and within a 64-bit column, so an absurd id is a 400, never a database error.
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _iso_text(value: Any) -> Any:
    # Dates and times arrive as ISO 8601 text (API.md); a number is not a date, however pydantic might read it.
    if isinstance(value, date | datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("expected an ISO 8601 string")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_text)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_text)]
IdRef = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]  # the same, in a JSON body (no coercion from strings)


class In(Schema):
    """Base for request bodies: unknown fields are an error (STYLE.md habit 5)."""

    model_config = ConfigDict(extra="forbid")


class Error(Schema):
    detail: str
    code: str


# Every operation declares the shared error responses.
ERRORS: dict[int, type[Error]] = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}
