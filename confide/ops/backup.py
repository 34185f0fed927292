"""`confide backup`: a consistent snapshot of both databases and the attachments, with a manifest (docs/operations.md).

A backup is a folder:

    manifest.json          versions, row counts per table, the audit head, SHA-256 and size of every other file
    vault.sqlite3 | vault.pgdump    the vault database (SQLite's online backup API, or pg_dump --format=custom)
    main.sqlite3  | main.pgdump     the main database
    attachments/NAME       the scanned signed authorization forms (DATA_DIR/documents)

The vault is copied before the main database: a psychotherapy note's audit entry commits before the note
(confide/vault/services.py), so a note written in between leaves the backup's log over-reporting, never a note
the log does not know. Each database is one snapshot (SQLite's backup API; on PostgreSQL a repeatable-read
transaction whose exported snapshot pg_dump reads, so the row counts are of exactly what was dumped).

Never in a backup: SECRET_KEY, AUDIT_HMAC_KEY, the vault's recovery public key, the audit anchor file. With
`encrypt_to`, every file but the manifest is a libsodium sealed box (X25519) to the practice's backup public key;
the manifest holds no names and no clinical content, only table names, counts, versions and hashes.
"""

from __future__ import annotations

import base64
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import django
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

import confide

FORMAT = "confide-backup/1"
MANIFEST = "manifest.json"
ATTACHMENTS = "attachments"
# The vault first: see the module's docstring.
DATABASES = (("vault", "vault"), ("default", "main"))
SEALED_BOX_OVERHEAD = 48  # X25519 ephemeral public key (32) + Poly1305 tag (16)


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why (never any clinical content)."""


# --- Progress: tqdm is a dependency already (the audit verifier and the demo seed use it) ---------------------------


class Progress:
    """A progress bar on standard error when it is a terminal (or when asked), silent otherwise."""

    def __init__(self, *, enabled: bool, stream: TextIO | None = None) -> None:
        from tqdm import tqdm

        self._stream = stream or sys.stderr
        self._bar: Any = tqdm(
            total=0, unit="B", unit_scale=True, file=self._stream, disable=not enabled, leave=False, desc="backup"
        )
        self.enabled = enabled

    def step(self, what: str, size: int = 0) -> None:
        self._bar.set_description_str(what[:40])
        if size:
            self._bar.total = (self._bar.total or 0) + size
            self._bar.update(size)

    def close(self) -> None:
        self._bar.close()


# --- Keys: the practice's backup key pair -----------------------------------------------------------------------------

_PUBLIC_HEADER = "# Confide backup PUBLIC key: backups are encrypted to it. Safe to keep on the server."
_PRIVATE_HEADER = "# Confide backup PRIVATE key: opens every encrypted backup. Keep it offline, never on the server."


def fingerprint(public_key: bytes) -> str:
    return hashlib.blake2b(public_key, digest_size=10, person=b"confide-bk-fpr").hexdigest()


def _key_text(header: str, key: bytes, public_key: bytes) -> str:
    return f"{header}\n# fingerprint {fingerprint(public_key)}\n{base64.b64encode(key).decode()}\n"


def _read_key(path: Path, what: str) -> bytes:
    try:
        text = path.read_text()
    except OSError as error:
        raise BackupError(f"cannot read the backup {what} key {path}: {error.strerror}") from None
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    try:
        key = base64.b64decode(lines[0], validate=True) if lines else b""
    except ValueError:
        key = b""
    if len(key) != 32:
        raise BackupError(f"{path} is not a Confide backup {what} key")
    return key


def make_key_pair(private_path: Path) -> tuple[Path, Path]:
    """A new backup key pair: PRIVATE to `private_path` (mode 0600, never overwritten), PUBLIC beside it (.pub)."""
    from nacl.public import PrivateKey

    public_path = private_path.with_name(private_path.name + ".pub")
    private = PrivateKey.generate()
    public = bytes(private.public_key)
    for path, text in (
        (private_path, _key_text(_PRIVATE_HEADER, bytes(private), public)),
        (public_path, _key_text(_PUBLIC_HEADER, public, public)),
    ):
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise BackupError(f"{path} already exists: refusing to overwrite a key") from None
        with os.fdopen(descriptor, "w") as out:
            out.write(text)
    return private_path, public_path


def read_public_key(path: Path) -> bytes:
    return _read_key(path, "public")


def read_private_key(path: Path) -> bytes:
    return _read_key(path, "private")


def seal_file(public_key: bytes, path: Path) -> None:
    from nacl.public import PublicKey, SealedBox

    sealed = SealedBox(PublicKey(public_key)).encrypt(path.read_bytes())
    _write_private(path, bytes(sealed))


def open_file(private_key: bytes, source: Path, target: Path) -> None:
    import nacl.exceptions
    from nacl.public import PrivateKey, SealedBox

    try:
        plain = SealedBox(PrivateKey(private_key)).decrypt(source.read_bytes())
    except nacl.exceptions.CryptoError:
        raise BackupError(
            f"{source.name} does not open with this key (the wrong key, or the file was changed)"
        ) from None
    _write_private(target, plain)


def _write_private(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


# --- Hashing ---------------------------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- Databases -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatabaseCopy:
    alias: str
    file: str
    vendor: str
    version: str
    tables: dict[str, int]
    audit_head: str | None = None  # the snapshot's newest audit entry as SEQ:MAC (main database only)


def vendor_of(alias: str) -> str:
    return str(connections[alias].vendor)


def database_file(alias: str, vendor: str) -> str:
    name = dict(DATABASES)[alias]
    return f"{name}.sqlite3" if vendor == "sqlite" else f"{name}.pgdump"


HEAD_SQL = "SELECT seq, mac FROM audit_auditentry ORDER BY seq DESC LIMIT 1"


def _head(row: Any) -> str | None:
    return f"{row[0]}:{row[1]}" if row else None


def sqlite_table_counts(connection: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    counts = {}
    for name in names:
        counts[name] = int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])  # noqa: S608
    return counts


def _copy_sqlite(alias: str, target: Path) -> DatabaseCopy:
    connection = connections[alias]
    connection.ensure_connection()
    raw: sqlite3.Connection = connection.connection
    destination = sqlite3.connect(target)
    try:
        raw.backup(destination)  # one step: a consistent copy of the database as this connection sees it
        destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        tables = sqlite_table_counts(destination)
        head = _head(destination.execute(HEAD_SQL).fetchone()) if "audit_auditentry" in tables else None
    finally:
        destination.close()
    os.chmod(target, 0o600)
    return DatabaseCopy(alias, target.name, "sqlite", sqlite3.sqlite_version, tables, head)


def pg_tool(tool: str, alias: str) -> str:
    """Debian's `pg_dump`/`pg_restore` of the server's major version (postgresql-client-NN), else one on PATH of the
    same major version: an older pg_dump refuses a newer server, a newer one writes archives older pg_restores
    cannot read."""
    connection = connections[alias]
    connection.ensure_connection()
    major = int(connection.pg_version) // 10000  # type: ignore[attr-defined]
    found = sorted(glob.glob(f"/usr/lib/postgresql/{major}/bin/{tool}"))
    candidates = [*found, *(p for p in [shutil.which(tool)] if p)]
    for candidate in candidates:
        out = subprocess.run(  # noqa: S603 - a fixed argv, no shell
            [candidate, "--version"], capture_output=True, text=True, check=False
        ).stdout
        words = out.split()
        if words and words[-1].split(".")[0] == str(major):
            return candidate
    raise BackupError(
        f"no {tool} for PostgreSQL {major}: install Debian's postgresql-client-{major} "
        f"(it provides /usr/lib/postgresql/{major}/bin/{tool})"
    )


def pg_environment(alias: str) -> dict[str, str]:
    """libpq's variables for this alias, so the password never appears on a command line."""
    params = connections[alias].get_connection_params()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    mapping = {"host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD", "dbname": "PGDATABASE"}
    for key, variable in mapping.items():
        if params.get(key):
            env[variable] = str(params[key])
    for key, variable in {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT"}.items():
        if params.get(key):
            env[variable] = str(params[key])
    return env


def pg_table_counts(cursor: Any) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    names = [row[0] for row in cursor.fetchall()]
    counts = {}
    for name in names:
        cursor.execute('SELECT count(*) FROM "{}"'.format(name.replace('"', '""')))  # noqa: S608 - catalog names
        counts[name] = int(cursor.fetchone()[0])
    return counts


def _copy_postgresql(alias: str, target: Path) -> DatabaseCopy:
    pg_dump = pg_tool("pg_dump", alias)
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, version = cursor.fetchone()
        tables = pg_table_counts(cursor)
        head = None
        if "audit_auditentry" in tables:
            cursor.execute(HEAD_SQL)
            head = _head(cursor.fetchone())
        # pg_dump reads the very snapshot the counts came from, while this transaction holds it open.
        done = subprocess.run(  # noqa: S603 - a fixed argv, no shell
            [pg_dump, "--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}", "--file", str(target)],
            env=pg_environment(alias),
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise BackupError(f"pg_dump of the {alias} database failed: {done.stderr.strip()[:500]}")
    os.chmod(target, 0o600)
    return DatabaseCopy(alias, target.name, "postgresql", str(version), tables, head)


def copy_database(alias: str, target_dir: Path) -> DatabaseCopy:
    vendor = vendor_of(alias)
    target = target_dir / database_file(alias, vendor)
    if vendor == "sqlite":
        return _copy_sqlite(alias, target)
    if vendor == "postgresql":
        return _copy_postgresql(alias, target)
    raise BackupError(f"the {alias} database is {vendor}: backups know SQLite and PostgreSQL")


# --- Attachments -----------------------------------------------------------------------------------------------------


def attachments_dir() -> Path:
    """Where uploaded files live: the scanned signed authorization forms (confide/disclosures/documents.py)."""
    from confide.disclosures.documents import documents_dir

    return documents_dir()


def attachment_files() -> Iterator[Path]:
    folder = attachments_dir()
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            yield path


# --- The backup -------------------------------------------------------------------------------------------------------


def _prepare(out: Path) -> None:
    if out.exists():
        if not out.is_dir():
            raise BackupError(f"{out} exists and is not a folder")
        if any(out.iterdir()):
            raise BackupError(f"{out} is not empty: a backup goes to a new or empty folder")
    out.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(out, 0o700)
    (out / ATTACHMENTS).mkdir(mode=0o700)


@contextmanager
def _progress(enabled: bool) -> Iterator[Progress]:
    progress = Progress(enabled=enabled)
    try:
        yield progress
    finally:
        progress.close()


def backup(
    out: Path,
    *,
    encrypt_to: Path | None = None,
    show_progress: bool = False,
    say: Callable[[str], None] = lambda _line: None,
) -> dict[str, Any]:
    """Write a backup to `out` (a new or empty folder) and return its manifest."""
    public_key = read_public_key(encrypt_to) if encrypt_to else None
    _prepare(out)
    started = timezone.now()
    copies: list[DatabaseCopy] = []
    head: str | None = None
    with _progress(show_progress) as progress:
        for alias, _name in DATABASES:
            progress.step(f"{alias} database")
            copy = copy_database(alias, out)
            copies.append(copy)
            if alias == "default":
                head = copy.audit_head
            progress.step(f"{alias} database", (out / copy.file).stat().st_size)
            say(f"{alias} database: {sum(copy.tables.values())} rows in {len(copy.tables)} tables")
        count = 0
        for source in attachment_files():
            target = out / ATTACHMENTS / source.name
            shutil.copyfile(source, target)
            os.chmod(target, 0o600)
            count += 1
            progress.step("attachments", target.stat().st_size)
        say(f"attachments: {count} files")
        stored = [out / copy.file for copy in copies] + sorted((out / ATTACHMENTS).iterdir())
        if public_key is not None:
            for path in stored:
                progress.step(f"encrypting {path.name}")
                seal_file(public_key, path)
        files = {}
        for path in stored:
            progress.step(f"hashing {path.name}")
            files[path.relative_to(out).as_posix()] = {"sha256": sha256_of(path), "bytes": path.stat().st_size}
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "confide_version": confide.__version__,
        "django_version": django.get_version(),
        "python_version": sys.version.split()[0],
        "practice": settings.PRACTICE_NAME,
        "databases": {
            copy.alias: {"file": copy.file, "vendor": copy.vendor, "version": copy.version, "tables": copy.tables}
            for copy in copies
        },
        "audit_head": head,
        "encryption": (
            {"scheme": "libsodium sealed box (X25519, XSalsa20-Poly1305)", "fingerprint": fingerprint(public_key)}
            if public_key is not None
            else None
        ),
        "files": files,
        "secrets_included": False,
    }
    _write_private(out / MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    return manifest
