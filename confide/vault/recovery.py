"""The practice recovery key: made once by `confide vault init`, its private half handed to a custodian offline."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from confide.vault import crypto
from confide.vault.services import public_key_text, recovery_public_key_file

INSTRUCTIONS = """\
CONFIDE VAULT — PRACTICE RECOVERY KEY (PRIVATE). Keep offline: print it, store it in a safe, delete this file.
Whoever holds this key and a copy of the vault database can read every psychotherapy note of the practice.
It is needed only when a clinician's vault is locked (forgotten password, administrator reset):
    confide vault recover --user NAME --recovery-key FILE
Fingerprint: {fingerprint}

{text}
"""


class Printer(Protocol):
    """Where a printed private key goes: a terminal, through a command's standard output."""

    def write(self, text: str, /) -> object: ...

    def flush(self) -> None: ...


class AlreadyInitialized(Exception):
    """The practice already has a recovery key; making another would strand the keys sealed to the first."""


@dataclass(frozen=True)
class RecoveryKeyFiles:
    public: Path
    private: Path | None  # None when the private half was printed instead of written
    fingerprint: str


def initialize(*, private_out: Path | Printer, public_file: Path | None = None) -> RecoveryKeyFiles:
    """Make the recovery key pair; hand over the private half once and keep the public.

    `private_out` is a new file (mode 0600, never overwriting) or a stream the private half is printed to once and
    never stored. The private half goes out first, so a failure there leaves the vault without a key, not stranded.
    """
    public_file = public_file or recovery_public_key_file()
    if public_file.exists():
        raise AlreadyInitialized(f"the vault already has a recovery key ({public_file})")
    public_key, private_key = crypto.new_key_pair()
    fingerprint = crypto.fingerprint(public_key)
    document = INSTRUCTIONS.format(fingerprint=fingerprint, text=crypto.recovery_key_text(private_key))
    if isinstance(private_out, Path):
        # O_EXCL: refuse to overwrite; 0600: only the operator's account reads it until the custodian takes it away.
        descriptor = os.open(private_out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(document)
    else:
        private_out.write(document)
        private_out.flush()
    public_file.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(public_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(descriptor, "w") as out:
        out.write(public_key_text(public_key))
    private = private_out if isinstance(private_out, Path) else None
    return RecoveryKeyFiles(public=public_file, private=private, fingerprint=fingerprint)


def read_private_key_file(path: Path) -> bytes:
    """The recovery key from the file `vault init` wrote (or a retyped copy of its printable lines)."""
    text = path.read_text()
    lines = [line for line in text.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if line.strip().upper().startswith("CONFIDE-RECOVERY-1")), None)
    if start is None:
        return crypto.parse_recovery_key_text(text)
    return crypto.parse_recovery_key_text("\n".join(lines[start:]))
