"""Web tests: the fixed cast signs in through the real sign-in page (MFA has its own tests: test_sign_in_mfa)."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import pytest

from confide.clients.models import Client
from confide.people.models import User

# Playwright's sync API runs an event loop in the test thread; Django's async-safety check would refuse the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def treatment_plan(clinician: User, client_of_record: Client) -> Any:
    from confide.plans.services import add_diagnosis, revise_plan

    add_diagnosis(
        actor=clinician, client=client_of_record, code="F32.1", diagnosed_on=date(2026, 9, 1), is_primary=True
    )
    return revise_plan(
        actor=clinician,
        client=client_of_record,
        review_on=date(2027, 3, 1),
        problems=[
            {
                "description": "Depressed mood limiting work and sleep",
                "goals": [
                    {
                        "description": "Reduce depressive symptoms",
                        "measure": "PHQ-9 below 10",
                        "objectives": [
                            {"description": "Schedule three valued activities a week", "target_on": date(2027, 1, 15)},
                            {"description": "Use a thought record twice a week", "target_on": date(2027, 2, 1)},
                        ],
                    }
                ],
            }
        ],
    )
