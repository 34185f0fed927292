"""An audit entry written inside the caller's transaction is part of it: no savepoint of its own (two of the four
round trips an entry used to cost on PostgreSQL); if the caller's work rolls back, so does the entry."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from confide.audit import services as audit
from confide.audit.models import AuditEntry
from confide.people.models import User

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def test_inside_a_transaction_an_entry_is_two_statements_and_no_savepoint(clinician: User) -> None:
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        audit.record("confide.sign_in.succeeded", actor=clinician)
    sent = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in sent if "SAVEPOINT" in sql.upper()], sent
    assert len(sent) == 2, sent  # the tail (after the chain's lock on PostgreSQL), then the insert


def test_the_entry_rolls_back_with_the_callers_work(clinician: User) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("confide.sign_in.succeeded", actor=clinician)
        raise RuntimeError("the caller's work failed")
    assert AuditEntry.objects.count() == before
    assert audit.verify().ok
