"""After a crash: is every acknowledged write on disk, intact, and is nothing half-written?

Run by bench/crash/driver.py in its own process (the environment names the databases), with the path of a JSON
file of the acknowledged writes; prints one JSON line:

- `lost`: acknowledged writes missing or changed: a note whose text differs, a signature whose note is not signed
  with the acknowledged content hash, an addendum not there as acknowledged, or any of these (or a read) without
  its audit entry.
- `half_signed`: notes signed without a content hash, time or signer, or a draft carrying one of them.
- `bad_hash`: signed notes whose stored content hash is not the hash of their content now.
- `unaudited`: signatures and addenda in the database (acknowledged or not) without their audit entry, which is
  written in the same transaction.
- `audit_ok`, `audit_output`: `confide audit verify`.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Q  # noqa: E402

from confide.audit.models import AuditEntry  # noqa: E402
from confide.notes.models import Addendum, NoteStatus, ProgressNote  # noqa: E402
from confide.notes.services import content_hash  # noqa: E402

LOCKED = (NoteStatus.SIGNED, NoteStatus.AWAITING_COSIGN)


def audited() -> set[tuple[str, str]]:
    """(action, object id) of every progress-note entry, plus ("addendum", id) for each addendum's entry."""
    found: set[tuple[str, str]] = set()
    rows = AuditEntry.objects.filter(action__startswith="confide.progress_note.").values_list(
        "action", "object_id", "detail"
    )
    for action, object_id, detail in rows.iterator():
        found.add((action.rsplit(".", 1)[1], object_id))
        if action.endswith(".addendum_added"):
            found.add(("addendum", str(detail.get("addendum_id"))))
    return found


def lost_writes(acks: list[dict[str, Any]], entries: set[tuple[str, str]]) -> list[str]:
    note_ids = {a["note_id"] for a in acks}
    notes = {n.pk: n for n in ProgressNote.objects.filter(pk__in=note_ids).prefetch_related("objectives")}
    addenda = {a.pk: a for a in Addendum.objects.filter(note_id__in=note_ids)}
    lost: list[str] = []
    for ack in acks:
        note = notes.get(ack["note_id"])
        what = f"{ack['kind']} of note {ack['note_id']}"
        if note is None:
            lost.append(f"{what}: the note is missing")
        elif ack["kind"] == "note":
            if note.sections.get("subjective") != ack["subjective"] or ("created", str(note.pk)) not in entries:
                lost.append(f"{what}: changed, or created without its audit entry")
        elif ack["kind"] == "sign":
            if note.status != NoteStatus.SIGNED or note.content_hash != ack["content_hash"]:
                lost.append(f"{what}: {note.status} with hash {note.content_hash!r}")
            elif ("signed", str(note.pk)) not in entries:
                lost.append(f"{what}: no audit entry")
        elif ack["kind"] == "addendum":
            addendum = addenda.get(ack["addendum_id"])
            if addendum is None or addendum.note_id != note.pk:
                lost.append(f"{what}: addendum {ack['addendum_id']} missing")
            elif (addendum.text, addendum.content_hash) != (ack["text"], ack["content_hash"]):
                lost.append(f"{what}: addendum {addendum.pk} changed")
            elif ("addendum", str(addendum.pk)) not in entries:
                lost.append(f"{what}: addendum {addendum.pk} has no audit entry")
        elif ack["kind"] == "read" and ("read", str(note.pk)) not in entries:
            lost.append(f"{what}: the read has no audit entry")
    return lost


def half_signed() -> int:
    signed_without = Q(status__in=LOCKED) & (Q(content_hash="") | Q(signed_at=None) | Q(signed_by=None))
    draft_with = Q(status=NoteStatus.DRAFT) & (~Q(content_hash="") | ~Q(signed_at=None) | ~Q(signed_by=None))
    return ProgressNote.objects.filter(signed_without | draft_with).count()


def bad_hashes() -> int:
    signed = ProgressNote.objects.filter(status__in=LOCKED).exclude(content_hash="").prefetch_related("objectives")
    return sum(
        1 for note in signed.iterator(chunk_size=500) if content_hash(note.signed_content()) != note.content_hash
    )


def unaudited(entries: set[tuple[str, str]]) -> int:
    signed = ProgressNote.objects.filter(status__in=LOCKED).values_list("pk", flat=True)
    missing = sum(1 for pk in signed.iterator() if ("signed", str(pk)) not in entries)
    addenda = Addendum.objects.values_list("pk", flat=True)
    return missing + sum(1 for pk in addenda.iterator() if ("addendum", str(pk)) not in entries)


def audit_verify() -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("audit", "verify", "--no-progress", stdout=out)
    except SystemExit as exit_:
        return exit_.code in (0, None), out.getvalue().strip()
    return True, out.getvalue().strip().splitlines()[0]


def main() -> None:
    acks = json.loads(Path(sys.argv[1]).read_text())
    entries = audited()
    ok, output = audit_verify()
    print(
        json.dumps(
            {
                "lost": lost_writes(acks, entries),
                "half_signed": half_signed(),
                "bad_hash": bad_hashes(),
                "unaudited": unaudited(entries),
                "audit_ok": ok,
                "audit_output": output,
                "notes": ProgressNote.objects.count(),
                "audit_entries": AuditEntry.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    main()
