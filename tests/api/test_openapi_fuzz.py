"""schemathesis fuzzes every operation in the OpenAPI document: never a 5xx, and responses match the schema.

It runs as the clinician of record, with real objects in the database so that generated ids sometimes hit.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@contextmanager
def keeping_the_test_connection() -> Iterator[None]:
    """schemathesis calls the WSGI app directly, and Django closes the database connection at the end of each request
    (its own test client avoids this the same way); on PostgreSQL that would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(api_as: Any, clinician: Any, client_of_record: Any, therapy_session: Any) -> dict[str, str]:
    return {"Authorization": api_as(clinician).defaults["HTTP_AUTHORIZATION"]}


@schema.parametrize()
@settings(
    # Deterministic in CI (the same examples every run, so a red build is reproducible); raise
    # CONFIDE_FUZZ_EXAMPLES and unset derandomizing locally to explore further.
    max_examples=int(os.environ.get("CONFIDE_FUZZ_EXAMPLES", "40")),
    derandomize=os.environ.get("CONFIDE_FUZZ_RANDOM") != "1",
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@pytest.mark.django_db(databases=["default", "vault"])
def test_api_never_fails_and_matches_its_schema(case: Any, bearer: dict[str, str]) -> None:
    # 422 is the contract's answer to schema-valid input that breaks a rule (docs/api.md), so "positive data must be
    # accepted" does not hold here; every other check (no 5xx, status codes, content types, schemas) applies.
    with keeping_the_test_connection():
        case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance])
