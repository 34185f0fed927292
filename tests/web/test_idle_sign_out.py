"""Idle sign-out after IDLE_TIMEOUT_MINUTES; background polling is not activity and does not keep a session alive."""

from __future__ import annotations

import time
from typing import Any

from confide.people.middleware import LAST_ACTIVITY
from confide.people.models import User

POLL = {"HX-Request": "true", "X-Confide-Background": "1"}


def _idle_for(http: Any, minutes: float) -> None:
    session = http.session
    session[LAST_ACTIVITY] = time.time() - minutes * 60
    session.save()


def test_background_polling_does_not_extend_the_session(web_as: Any, clinician: User) -> None:
    http = web_as(clinician)
    _idle_for(http, 14)
    before = http.session[LAST_ACTIVITY]
    assert http.get("/today/refresh/", headers=POLL).status_code == 200
    assert http.session[LAST_ACTIVITY] == before  # the poll left the clock alone
    _idle_for(http, 16)
    assert http.get("/today/refresh/", headers=POLL)["HX-Redirect"] == "/sign-in/"


def test_a_real_request_counts_as_activity(web_as: Any, clinician: User) -> None:
    http = web_as(clinician)
    _idle_for(http, 14)
    assert http.get("/").status_code == 200
    assert time.time() - http.session[LAST_ACTIVITY] < 5
    _idle_for(http, 0.5)  # recorded at most once a minute: a request 30 s after the last one writes nothing
    before = http.session[LAST_ACTIVITY]
    http.get("/")
    assert http.session[LAST_ACTIVITY] == before
