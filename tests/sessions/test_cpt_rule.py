"""The CPT rule as a plain function: codes follow service and face-to-face minutes, and only sessions that happened."""

from __future__ import annotations

import pytest

from confide.sessions.cpt import NOT_HELD, SERVICES, STATUSES, CptResult, cpt_codes
from confide.sessions.models import Service, Status


@pytest.mark.parametrize("status", ["no_show", "cancelled"])
@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("minutes", [0, 10, 25, 29, 45, 60, 120])
def test_a_no_show_or_cancellation_has_no_codes_and_no_flag(service: str, minutes: int, status: str) -> None:
    assert cpt_codes(service, minutes, status=status) == CptResult([], None)


@pytest.mark.parametrize(
    ("service", "minutes", "codes"),
    [
        ("individual", 16, ["90832"]),
        ("individual", 37, ["90832"]),
        ("individual", 38, ["90834"]),
        ("individual", 52, ["90834"]),
        ("individual", 53, ["90837"]),
        ("intake", 5, ["90791"]),
        ("group", 90, ["90853"]),
        ("family_with_client", 26, ["90847"]),
        ("family_without_client", 26, ["90846"]),
        ("crisis", 74, ["90839"]),
        ("crisis", 75, ["90839", "90840"]),
        ("crisis", 105, ["90839", "90840", "90840"]),
    ],
)
@pytest.mark.parametrize("status", ["kept", "scheduled"])
def test_kept_and_scheduled_sessions_follow_the_time_rule(
    service: str, minutes: int, codes: list[str], status: str
) -> None:
    assert cpt_codes(service, minutes, status=status) == CptResult(codes, None)


def test_a_kept_session_too_short_for_its_service_is_flagged() -> None:
    short = cpt_codes("individual", 10, status="kept")
    assert short.codes == [] and short.flag is not None and "16 minutes" in short.flag
    crisis = cpt_codes("crisis", 20, status="kept")
    assert crisis.codes == ["90832"] and crisis.flag is not None and "30 minutes" in crisis.flag


def test_an_unknown_status_is_refused_rather_than_coded() -> None:
    with pytest.raises(ValueError, match="unknown status"):
        cpt_codes("individual", 53, status="rescheduled")


def test_the_rule_knows_every_status_and_service_the_model_has() -> None:
    assert set(STATUSES) == set(Status.values) and set(SERVICES) == set(Service.values)
    assert set(NOT_HELD) == {Status.NO_SHOW, Status.CANCELLED}
