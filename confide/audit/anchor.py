"""The head checkpoint: the last entry a successful `confide audit verify` saw, kept in a file outside the database.

A chain alone cannot show that its newest entries were deleted: what is left is still a valid chain. The checkpoint
can. Verify refuses a log that no longer reaches the checkpoint's entry, or whose entry there has another MAC.
It catches removal of entries that existed at the last verification, by someone who can write the database but not
this file. It cannot see removal of entries written since then, nor an attacker who also rewrites this file: for
that, copy the head (`confide audit head`) somewhere off the server and pass it to `verify --against`.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings


class AnchorUnreadable(ValueError):
    """The anchor file exists but cannot be read as a checkpoint."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    mac: str
    action: str = ""
    at: str = ""

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """`SEQ:MAC`, as `confide audit head` prints it."""
        seq, _, mac = text.strip().partition(":")
        if not seq.isdigit() or len(mac) != 64 or any(c not in "0123456789abcdef" for c in mac):
            raise AnchorUnreadable(f"expected SEQ:MAC (a number, a colon, 64 hex digits), not {text!r}")
        return cls(seq=int(seq), mac=mac)

    def __str__(self) -> str:
        return f"{self.seq}:{self.mac}"


def anchor_path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def read_anchor(path: Path | None = None) -> Checkpoint | None:
    path = path or anchor_path()
    try:
        raw = json.loads(path.read_text())
        return Checkpoint(seq=int(raw["seq"]), mac=str(raw["mac"]), action=str(raw["action"]), at=str(raw["at"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise AnchorUnreadable(f"the audit anchor {path} cannot be read: {error}") from error


def write_anchor(checkpoint: Checkpoint, path: Path | None = None) -> Path:
    """Replace the checkpoint atomically (a crash leaves the old one or the new one, never half of either)."""
    path = path or anchor_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".audit-anchor.")
    try:
        with os.fdopen(fd, "w") as out:
            json.dump(asdict(checkpoint), out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
