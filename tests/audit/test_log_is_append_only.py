"""Audit entries are only ever added: the ORM refuses changes everywhere, and PostgreSQL refuses them itself."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from confide.audit.models import AppendOnlyError, AuditEntry
from confide.audit.services import record
from confide.people.models import User


@pytest.fixture
def entry(clinician: User) -> AuditEntry:
    return record("confide.progress_note.signed", actor=clinician, client_id=4, object_type="progress_note")


def test_saved_entry_cannot_be_saved_again(entry: AuditEntry) -> None:
    entry.action = "confide.progress_note.unsigned"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_entries_cannot_be_updated_in_bulk(entry: AuditEntry) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="confide.progress_note.unsigned")


def test_entry_cannot_be_deleted(entry: AuditEntry) -> None:
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_database_refuses_update_of_an_entry(entry: AuditEntry) -> None:
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET action = %s WHERE id = %s", ["confide.x.y", entry.pk])
    else:
        # SQLite has no role or trigger we keep in production; the application path is the guard there.
        with pytest.raises(AppendOnlyError), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(action="confide.x.y")
    assert AuditEntry.objects.get(pk=entry.pk).action == "confide.progress_note.signed"


def test_database_refuses_delete_of_an_entry(entry: AuditEntry) -> None:
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    else:
        with pytest.raises(AppendOnlyError), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_database_still_accepts_new_entries_after_a_refusal(entry: AuditEntry, clinician: User) -> None:
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry")
    else:
        with pytest.raises(AppendOnlyError):
            AuditEntry.objects.all().delete()
    assert record("confide.client.viewed", actor=clinician, client_id=4).seq == entry.seq + 1
