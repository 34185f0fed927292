"""Files only Confide's own account may read: development secrets and SQLite databases (mode 0600).

No Django import: config/settings.py uses these before Django is set up.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE = 0o600


def write_once(path: Path, text: str) -> None:
    """Create `path` holding `text`, mode 0600, unless it exists (then it is left alone, only made private).

    Written to a private temporary file and linked into place, so two processes starting together (gunicorn
    workers, parallel tests) never read a half-written secret and never overwrite each other's.
    """
    if not path.exists():
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
        try:
            with os.fdopen(descriptor, "w") as out:
                out.write(text)
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first; theirs is the one everybody reads
        except OSError:  # a file system without hard links: create in place, still never overwriting
            with contextlib.suppress(FileExistsError), os.fdopen(_create(path), "w") as out:
                out.write(text)
        finally:
            temporary.unlink(missing_ok=True)
    make_private(path)


def _create(path: Path) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)


def make_private(path: Path) -> None:
    """Create an empty `path` with mode 0600 if it is missing, or take group and other access off an existing one.

    SQLite creates a new database (and its -wal and -shm files, which copy the database's mode) readable by everyone
    on the machine; an empty file made here first is a valid empty database that starts private. A file this account
    does not own is left as it is (its owner's mode stands; opening it is SQLite's business).
    """
    try:
        os.close(_create(path))
    except FileExistsError:
        pass
    else:
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        with contextlib.suppress(PermissionError):
            path.chmod(mode & 0o700)


def make_sqlite_private(name: str) -> None:
    """Make a SQLite database file (and its -wal and -shm companions, if any) private before SQLite opens it.

    In-memory databases, `file:` URIs and files in a folder that does not exist (SQLite will refuse them) are left
    alone.
    """
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    if not path.parent.is_dir():
        return
    make_private(path)
    for companion in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if companion.exists():
            make_private(companion)
