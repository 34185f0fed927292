"""The real URLs plus two reference views for bench/web/run.py.

- `bench/noop`: a Django view that does nothing (the spec's ratio is against this).
- `bench/sql-note/<id>`: the note API's read written as plain SQL — bearer token, caseload check (`can_open`), the
  chained audit entry (the real `record`), the note, its objectives and addenda, as JSON. Not a product path: it
  shows how much of the note API's cost is the database and the audit chain, and how much is Django's query
  building and django-ninja's serialization (docs/benchmarks.md, "Why the ratio goal is not met").
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.utils import timezone

from confide.access import PUBLIC, allows
from confide.audit.services import record
from confide.clients.caseload import can_open
from confide.people.models import Role, User, hash_token

_NOTE = "SELECT * FROM notes_progressnote WHERE id = %s"
_TOKEN = (
    "SELECT u.id, u.username FROM people_apitoken t JOIN people_user u ON u.id = t.user_id "
    "WHERE t.key_hash = %s AND NOT t.pending_mfa AND t.expires_at > %s AND u.is_active AND u.role = %s"
)


@allows(PUBLIC)  # every URL declares its verb (confide/access); the references need no sign-in
def noop(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


@allows(PUBLIC)  # checks its own bearer token, as the note API does
def sql_note(request: HttpRequest, note_id: int) -> HttpResponse:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    with connection.cursor() as cursor:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        cursor.execute(_TOKEN, [hash_token(secret), now, Role.CLINICIAN.value])
        found = cursor.fetchone()
        if scheme != "Bearer" or found is None:
            return JsonResponse({"detail": "sign in"}, status=401)
        user = User(pk=found[0], username=found[1], role=Role.CLINICIAN, is_active=True)
        cursor.execute(_NOTE, [note_id])
        row = cursor.fetchone()
        if row is None:
            return JsonResponse({"detail": "no such progress note"}, status=404)
        note: dict[str, Any] = dict(zip([c[0] for c in cursor.description], row, strict=True))
        if not can_open(user, note["client_id"]):
            return JsonResponse({"detail": "no such progress note"}, status=404)
        record(
            "confide.progress_note.read",
            actor=user,
            client_id=note["client_id"],
            object_type="progress_note",
            object_id=note_id,
        )
        cursor.execute("SELECT objective_id FROM notes_progressnote_objectives WHERE progressnote_id = %s", [note_id])
        note["objective_ids"] = sorted(r[0] for r in cursor.fetchall())
        cursor.execute(
            "SELECT id, author_id, text, created_at, content_hash FROM notes_addendum WHERE note_id = %s", [note_id]
        )
        note["addenda"] = [
            dict(zip(("id", "author_id", "text", "created_at", "content_hash"), r, strict=True))
            for r in cursor.fetchall()
        ]
    return JsonResponse(note, json_dumps_params={"default": str})


urlpatterns = [
    path("bench/noop", noop),
    path("bench/sql-note/<int:note_id>", sql_note),
    path("", include("config.urls")),
]
