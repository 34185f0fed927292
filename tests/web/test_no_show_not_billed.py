"""A no-show or cancelled session shows no CPT codes and is never billable: billing page, session pages, chart."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from confide.clients.models import Client
from confide.people.models import User
from confide.sessions.models import TherapySession
from tests.conftest import session_for
from tests.web.notes_support import signed_note

BILLABLE_BADGE = 'badge-signed">Billable'


def documented_then_missed(client: Client, clinician: User, front_desk: User, web_as: Any, status: str) -> Any:
    """A session documented with a signed note, then recorded at the front desk as not having happened."""
    session = session_for(client, clinician)
    signed_note(session, clinician)
    path = f"/sessions/{session.pk}/attendance/"
    assert web_as(front_desk).post(path, {"status": status})["Location"] == path
    session.refresh_from_db()
    return session


@pytest.mark.parametrize("status", ["no_show", "cancelled"])
def test_billing_shows_no_codes_and_no_billable_badge_for_a_session_not_held(
    web_as: Any, biller: User, front_desk: User, clinician: User, client_of_record: Client, status: str
) -> None:
    session = documented_then_missed(client_of_record, clinician, front_desk, web_as, status)
    assert (session.cpt_codes, session.cpt_flag) == ([], "")
    billing = web_as(biller).get("/billing/").content.decode()
    assert "90837" not in billing and BILLABLE_BADGE not in billing
    assert session.get_status_display() in billing
    assert not TherapySession.objects.billable().exists()


def test_session_pages_say_a_no_show_is_not_coded(
    web_as: Any, biller: User, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    session = documented_then_missed(client_of_record, clinician, front_desk, web_as, "no_show")
    for who, path in ((biller, f"/sessions/{session.pk}/"), (front_desk, f"/sessions/{session.pk}/attendance/")):
        page = web_as(who).get(path).content.decode()
        assert "no-show sessions are not coded or billed" in page and "90837" not in page
        assert "Check the" not in page  # no time flag either


def test_the_chart_shows_no_codes_for_a_no_show(
    web_as: Any, biller: User, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    documented_then_missed(client_of_record, clinician, front_desk, web_as, "no_show")
    assert "90837" not in web_as(biller).get(f"/clients/{client_of_record.pk}/").content.decode()


def test_the_chart_does_not_call_a_no_show_billable(
    web_as: Any, biller: User, front_desk: User, clinician: User, client_of_record: Client
) -> None:
    documented_then_missed(client_of_record, clinician, front_desk, web_as, "no_show")
    assert "· billable" not in web_as(biller).get(f"/clients/{client_of_record.pk}/").content.decode()


def test_is_billable_needs_a_kept_session_and_a_signed_note(
    clinician: User, front_desk: User, client_of_record: Client
) -> None:
    from confide.sessions.services import update_session

    unsigned = session_for(client_of_record, clinician, days_ago=2)
    kept = session_for(client_of_record, clinician, days_ago=1)
    signed_note(kept, clinician)
    missed = session_for(client_of_record, clinician)
    signed_note(missed, clinician)
    update_session(actor=front_desk, session=missed, status="no_show")
    expected = {unsigned.pk: False, kept.pk: True, missed.pk: False}
    annotated = {s.pk: s.is_billable for s in TherapySession.objects.with_signed_note()}
    plain = {s.pk: s.is_billable for s in TherapySession.objects.all()}
    assert annotated == plain == expected
    assert set(TherapySession.objects.billable().values_list("pk", flat=True)) == {kept.pk}


def test_the_migration_clears_codes_saved_before_the_rule(clinician: User, client_of_record: Client) -> None:
    missed = session_for(client_of_record, clinician, status="no_show")
    kept = session_for(client_of_record, clinician, days_ago=1)
    TherapySession.objects.filter(pk=missed.pk).update(cpt_codes=["90837"], cpt_flag="stale")  # as an older row
    migration = importlib.import_module("confide.sessions.migrations.0002_no_codes_for_sessions_not_held")
    migration.clear_codes_of_sessions_not_held(apps, SimpleNamespace(connection=connection))
    missed.refresh_from_db()
    kept.refresh_from_db()
    assert (missed.cpt_codes, missed.cpt_flag) == ([], "")
    assert kept.cpt_codes == ["90837"]
