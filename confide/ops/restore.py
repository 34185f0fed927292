"""`confide restore DIR`: a backup (confide/ops/backup.py) into empty databases, then proof that it is whole.

Before anything is written, every file is checked against the manifest's SHA-256 and size (a changed byte names the
file and stops the restore), and both target databases must be empty (no rows outside Django's own bookkeeping
tables) unless `force`. After the databases and attachments are in place, `verify_restored` checks:

- every table's row count against the manifest;
- the audit chain from its first entry (`confide audit verify`), and that its head is the manifest's;
- every signed progress note's content hash (confide/notes/services.py: SHA-256 of what the signature covers);
- every scanned authorization form against the SHA-256 its authorization row holds;
- every live psychotherapy note without decrypting it (docs/vault.md): its author's sealed copy of the data key is
  there and has a sealed box's length, every holder of a sealed copy has a key pair, the fields its associated data
  is built from (note id, author, version) are well formed and its session and client exist in the main database.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.db import connections

from confide.ops.backup import (
    ATTACHMENTS,
    DATABASES,
    FORMAT,
    MANIFEST,
    SEALED_BOX_OVERHEAD,
    BackupError,
    Progress,
    attachments_dir,
    fingerprint,
    open_file,
    pg_environment,
    pg_table_counts,
    pg_tool,
    read_private_key,
    sha256_of,
    sqlite_table_counts,
    vendor_of,
)

# Filled in by `migrate` itself, so a migrated empty database has rows in them.
BOOKKEEPING_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})


class RestoreRefused(BackupError):
    """Nothing was written: the backup is damaged, the key is wrong, or the target is not empty."""


@dataclass
class Verification:
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --- Before writing anything ----------------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise RestoreRefused(f"{folder} holds no {MANIFEST}: it is not a Confide backup") from None
    except (OSError, ValueError) as error:
        raise RestoreRefused(f"{MANIFEST} cannot be read: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreRefused(f"{MANIFEST} is not a {FORMAT} manifest")
    return manifest


def _safe_relative(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix() and bool(path.parts)


def check_files(folder: Path, manifest: dict[str, Any], progress: Progress | None = None) -> None:
    """Every file the manifest lists is there with its size and SHA-256, and nothing else is."""
    files: dict[str, dict[str, Any]] = manifest.get("files") or {}
    for name, expected in sorted(files.items()):
        if not _safe_relative(name):
            raise RestoreRefused(f"the manifest names a file outside the backup: {name!r}")
        path = folder / name
        if not path.is_file():
            raise RestoreRefused(f"{name} is missing from the backup")
        if progress:
            progress.step(f"checking {name}", path.stat().st_size)
        if path.stat().st_size != expected.get("bytes") or sha256_of(path) != expected.get("sha256"):
            raise RestoreRefused(f"{name} does not match its SHA-256 in the manifest: the backup is damaged")
    present = {
        path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file() and path.name != MANIFEST
    }
    extra = sorted(present - set(files))
    if extra:
        raise RestoreRefused(f"the backup holds files its manifest does not list: {', '.join(extra[:5])}")
    for alias, _name in DATABASES:
        listed = (manifest.get("databases") or {}).get(alias, {}).get("file")
        if listed not in files:
            raise RestoreRefused(f"the manifest lists no file for the {alias} database")


def table_counts(alias: str) -> dict[str, int]:
    connection = connections[alias]
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return sqlite_table_counts(connection.connection)
    with connection.cursor() as cursor:
        return pg_table_counts(cursor)


def non_empty_tables(alias: str) -> list[str]:
    return sorted(name for name, rows in table_counts(alias).items() if rows and name not in BOOKKEEPING_TABLES)


def check_targets(manifest: dict[str, Any], *, force: bool) -> None:
    for alias, _name in DATABASES:
        wanted = manifest["databases"][alias]["vendor"]
        if vendor_of(alias) != wanted:
            raise RestoreRefused(
                f"the backup's {alias} database is {wanted} and the target is {vendor_of(alias)}: restore into the "
                "same kind of database, then move it with that database's own tools"
            )
        if not force:
            full = non_empty_tables(alias)
            if full:
                raise RestoreRefused(
                    f"the {alias} database is not empty ({', '.join(full[:4])}{'…' if len(full) > 4 else ''} have "
                    "rows): restore goes into empty databases; --force replaces what is there"
                )


# --- Writing ----------------------------------------------------------------------------------------------------------


def _restore_sqlite(alias: str, source: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    raw: sqlite3.Connection = connection.connection
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        backup.backup(raw)  # replaces the whole database, schema and rows, in one step
    finally:
        backup.close()
    connection.close()  # the next connection runs the configured pragmas (WAL, synchronous=FULL) again


def _restore_postgresql(alias: str, source: Path) -> None:
    pg_restore = pg_tool("pg_restore", alias)
    env = pg_environment(alias)
    database = env.get("PGDATABASE", "")
    connections[alias].close()
    done = subprocess.run(  # noqa: S603 - a fixed argv, no shell
        [
            pg_restore,
            "--no-owner",
            "--no-acl",
            "--clean",  # the target was checked empty (or --force): drop its empty tables and load the backup's
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={database}",
            str(source),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore into the {alias} database failed: {done.stderr.strip()[:500]}")


def restore_database(alias: str, source: Path) -> None:
    if vendor_of(alias) == "sqlite":
        _restore_sqlite(alias, source)
    else:
        _restore_postgresql(alias, source)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def restore_attachments(source: Path, *, force: bool) -> int:
    target = attachments_dir()
    count = 0
    for path in sorted(source.iterdir()) if source.is_dir() else []:
        destination = target / path.name
        if destination.exists() and not force and sha256_of(destination) != sha256_of(path):
            raise BackupError(f"{destination} exists with other content: --force replaces it")
        shutil.copyfile(path, destination)
        destination.chmod(0o600)
        count += 1
    return count


def restore(
    folder: Path,
    *,
    key: Path | None = None,
    force: bool = False,
    show_progress: bool = False,
    say: Callable[[str], None] = lambda _line: None,
) -> Verification:
    """Check the backup, restore it into empty databases, and verify what was restored."""
    manifest = read_manifest(folder)
    progress = Progress(enabled=show_progress)
    try:
        check_files(folder, manifest, progress)
        say(f"{len(manifest['files'])} files match the manifest")
        check_targets(manifest, force=force)
        with tempfile.TemporaryDirectory(prefix="confide-restore-") as scratch:
            source = _plaintext(folder, manifest, key, Path(scratch), progress)
            for alias, _name in DATABASES:
                progress.step(f"restoring {alias}")
                restore_database(alias, source / manifest["databases"][alias]["file"])
                say(f"{alias} database restored")
            count = restore_attachments(source / ATTACHMENTS, force=force)
            say(f"{count} attachments restored")
    finally:
        progress.close()
    return verify_restored(manifest)


def _plaintext(folder: Path, manifest: dict[str, Any], key: Path | None, scratch: Path, progress: Progress) -> Path:
    encryption = manifest.get("encryption")
    if not encryption:
        return folder
    if key is None:
        raise RestoreRefused(f"this backup is encrypted (key fingerprint {encryption.get('fingerprint')}): pass --key")
    private_key = read_private_key(key)
    from nacl.public import PrivateKey

    if fingerprint(bytes(PrivateKey(private_key).public_key)) != encryption.get("fingerprint"):
        raise RestoreRefused(
            f"{key} is not the key this backup was encrypted to (fingerprint {encryption.get('fingerprint')})"
        )
    (scratch / ATTACHMENTS).mkdir(mode=0o700)
    for name in sorted(manifest["files"]):
        progress.step(f"decrypting {name}")
        open_file(private_key, folder / name, scratch / name)
    return scratch


# --- Proof ------------------------------------------------------------------------------------------------------------


def verify_restored(manifest: dict[str, Any]) -> Verification:
    result = Verification()
    _check_counts(manifest, result)
    _check_audit(manifest, result)
    _check_notes(result)
    _check_attachments(result)
    _check_vault(result)
    return result


def _check_counts(manifest: dict[str, Any], result: Verification) -> None:
    for alias, _name in DATABASES:
        expected: dict[str, int] = manifest["databases"][alias]["tables"]
        found = table_counts(alias)
        wrong = [
            f"{table} has {found.get(table, 'no table')} rows, the backup {rows}"
            for table, rows in sorted(expected.items())
            if found.get(table) != rows
        ]
        result.problems.extend(f"{alias} database: {line}" for line in wrong)
        if not wrong:
            result.checked.append(f"{alias} database: {len(expected)} tables, {sum(expected.values())} rows as listed")


def _check_audit(manifest: dict[str, Any], result: Verification) -> None:
    from confide.audit import services

    walked = services.verify(workers=1)
    if walked.broken is not None:
        result.problems.append(
            f"audit log: {walked.broken} (is AUDIT_HMAC_KEY the practice's key? it is not in the backup)"
        )
        return
    head = str(walked.head) if walked.head else None
    if head != manifest.get("audit_head"):
        result.problems.append(f"audit log: its head is {head}, the backup's was {manifest.get('audit_head')}")
        return
    result.checked.append(f"audit log: {walked.checked} entries verified from the first, head {head}")


def _check_notes(result: Verification) -> None:
    from confide.notes.models import ProgressNote
    from confide.notes.services import content_hash

    signed = ProgressNote.objects.exclude(content_hash="").prefetch_related("objectives").order_by("pk")
    bad = [
        note.pk for note in signed.iterator(chunk_size=500) if content_hash(note.signed_content()) != note.content_hash
    ]
    if bad:
        result.problems.append(f"progress notes: content hash does not match for note(s) {bad[:10]}")
    else:
        result.checked.append(f"progress notes: {signed.count()} signed notes match their content hashes")


def _check_attachments(result: Verification) -> None:
    from confide.disclosures.models import Authorization

    folder = attachments_dir()
    forms = Authorization.objects.exclude(document_name="").values_list("pk", "document_name", "document_sha256")
    bad = []
    for pk, name, digest in forms:
        path = folder / name
        if not path.is_file() or sha256_of(path) != digest:
            bad.append(pk)
    if bad:
        result.problems.append(f"attachments: the signed form of authorization(s) {bad[:10]} is missing or changed")
    else:
        result.checked.append(f"attachments: {len(forms)} signed forms match their SHA-256")


def _check_vault(result: Verification) -> None:
    """Each live note can be opened by its author: checked from lengths and ids alone, never decrypting."""
    from confide.people.models import User
    from confide.sessions.models import TherapySession
    from confide.vault import crypto
    from confide.vault.models import ClinicianKey, NoteRecipient, PsychotherapyNote, Purpose, ReleasedPackage

    sealed_key_bytes = crypto.KEY_BYTES + SEALED_BOX_OVERHEAD
    public_keys = {
        user_id: len(bytes(key)) for user_id, key in ClinicianKey.objects.values_list("user_id", "public_key")
    }
    recipients: dict[str, list[tuple[int, str, int]]] = {}
    for note_id, recipient_id, purpose, sealed in NoteRecipient.objects.values_list(
        "note_id", "recipient_id", "purpose", "sealed_data_key"
    ):
        recipients.setdefault(str(note_id), []).append((recipient_id, purpose, len(bytes(sealed))))
    sessions = dict(TherapySession.objects.values_list("pk", "client_id"))
    users = set(User.objects.values_list("pk", flat=True))
    bad: list[str] = []
    live = 0
    for note in PsychotherapyNote.objects.all().iterator(chunk_size=500):
        rows = recipients.get(str(note.pk), [])
        if note.shredded_at is not None:
            if rows or bytes(note.ciphertext):
                bad.append(f"{note.pk} (shredded, yet holds a key or ciphertext)")
            continue
        live += 1
        author_rows = [r for r in rows if r[0] == note.author_id and r[1] == Purpose.AUTHOR]
        why = (
            "no sealed data key for its author"
            if not author_rows
            else "a sealed data key of the wrong length"
            if any(r[2] != sealed_key_bytes for r in rows)
            else "a key holder without a key pair"
            if any(public_keys.get(r[0]) != crypto.KEY_BYTES for r in rows)
            else "a ciphertext too short to hold a note"
            if len(bytes(note.ciphertext)) <= crypto.NONCE_BYTES + crypto.TAG_BYTES
            else "a version below 1"
            if note.version < 1
            else "an author who is not a user"
            if note.author_id not in users
            else "a session missing from the main database"
            if sessions.get(note.session_id) != note.client_id
            else ""
        )
        if why:
            bad.append(f"{note.pk} ({why})")
    for package in ReleasedPackage.objects.values_list("disclosure_id", "sealed_data_key"):
        if len(bytes(package[1])) != sealed_key_bytes:
            bad.append(f"released package of disclosure {package[0]} (a sealed data key of the wrong length)")
    if bad:
        result.problems.append(f"vault: psychotherapy note(s) that could not be opened: {', '.join(bad[:10])}")
    else:
        result.checked.append(f"vault: {live} live psychotherapy notes each hold their author's sealed data key")
