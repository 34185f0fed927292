"""Vault benchmark (goal: open or save a psychotherapy note in under 5 ms beyond the sign-in key derivation).

Runs against a throwaway SQLite practice in a temporary folder (or the databases named by DATABASE_URL and
VAULT_DATABASE_URL, which it migrates: point them at throwaway databases). Prints:
- Argon2id derivation time at each profile (the sign-in cost, paid once per sign-in);
- write_note and read_note latency end to end through the service (crypto, both databases, audit entry);
- the crypto share of each alone.

    .venv/bin/python bench/vault/run.py [--notes 300] [--body-chars 3000]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def timed(action: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered):7.3f} ms   p95 {p95:7.3f} ms   (n={len(ordered)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=300)
    parser.add_argument("--body-chars", type=int, default=3000, help="a page or two of process notes")
    parser.add_argument("--kdf-repeat", type=int, default=5)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="confide-vault-bench-"))
    os.environ.setdefault("CONFIDE_DATA_DIR", str(data_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from confide.vault import crypto

    print(f"Confide vault benchmark · Python {sys.version.split()[0]} · data in {data_dir}")
    print("\nArgon2id (sign-in, once per session):")
    for name in ("interactive", "moderate"):
        params = crypto.KDF_PROFILES[name]
        salt = crypto.random_salt()
        samples = timed(
            lambda p=params, s=salt: crypto.derive_key("correct horse battery staple 42", s, p), args.kdf_repeat
        )
        print(f"  {name:<12} t={params.opslimit} m={params.memlimit // 2**20} MiB   {summary(samples)}")

    for alias in ("default", "vault"):
        call_command("migrate", database=alias, verbosity=0)
    settings.VAULT_RECOVERY_PUBLIC_KEY_FILE = str(data_dir / "vault-recovery.pub")
    from confide.vault.recovery import initialize

    initialize(private_out=data_dir / "recovery-key.txt")

    from django.utils import timezone

    from confide.clients.models import Client
    from confide.people.services import create_user
    from confide.sessions.services import schedule_session
    from confide.vault import services as vault
    from confide.vault.credential import VaultCredential

    profile = vault.kdf_params()
    print(f"\nConfigured profile: {settings.VAULT_KDF_PROFILE}")
    suffix = secrets.token_hex(3)
    clinician = create_user(
        actor=None,
        username=f"bench-{suffix}",
        password="correct horse battery staple 42",
        full_name="Bench Clinician",
        role="clinician",
        validate=False,
    )
    client = Client.objects.create(
        first_name="Bench", last_name="Client", date_of_birth=date(1990, 1, 1), primary_clinician=clinician
    )
    starts = timezone.now() - timedelta(hours=2)
    session = schedule_session(
        actor=clinician,
        client=client,
        clinician_id=clinician.pk,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=53),
        service="individual",
        setting="in_person",
    )
    credential = VaultCredential(session_ref=f"bench:{suffix}", client_secret=secrets.token_bytes(32))
    sign_in = timed(
        lambda: vault.open_key_session(
            user=clinician,
            password="correct horse battery staple 42",
            session_ref=credential.session_ref,
            client_secret=credential.client_secret,
            expires_at=timezone.now() + timedelta(hours=1),
        ),
        3,
    )
    print(
        f"  sign-in key session (Argon2id t={profile.opslimit} m={profile.memlimit // 2**20} MiB + re-wrap):",
        summary(sign_in),
    )

    body = ("She returned to the image of the locked door; I noticed my urge to reassure. " * 60)[: args.body_chars]
    ids: list[str] = []
    writes = timed(
        lambda: ids.append(vault.write_note(actor=clinician, credential=credential, session=session, body=body)[0]),
        args.notes,
    )
    pending = iter(ids * 2)
    reads = timed(lambda: vault.read_note(actor=clinician, credential=credential, note_id=next(pending)), args.notes)

    key = crypto.random_key()
    public, private = crypto.new_key_pair()
    payload = body.encode()
    crypto_write = timed(lambda: (crypto.seal(key, payload, b"ad"), crypto.seal_to(public, key)), args.notes)
    blob, sealed = crypto.seal(key, payload, b"ad"), crypto.seal_to(public, key)
    crypto_read = timed(
        lambda: (
            crypto.open_sealed(crypto.open_sealed(key, crypto.seal(key, private, b"s"), b"s") and key, blob, b"ad"),
            crypto.unseal(private, sealed),
        ),
        args.notes,
    )
    from confide.audit.services import record

    audit = timed(lambda: record("confide.bench.audit_only", actor=clinician, object_type="bench"), args.notes)
    print(f"\nNotes of {args.body_chars} characters, beyond key derivation (goal < 5 ms each):")
    print(f"  write_note (encrypt, seal key, 2 databases, audit entry): {summary(writes)}")
    print(f"  read_note  (open session key, unseal, decrypt, audit)    : {summary(reads)}")
    print(f"  crypto alone, write                                      : {summary(crypto_write)}")
    print(f"  crypto alone, read                                       : {summary(crypto_read)}")
    print(f"  of which one audit entry (main database, hash chain)     : {summary(audit)}")
    with connections["default"].cursor() as cursor:
        cursor.execute("PRAGMA synchronous") if connections["default"].vendor == "sqlite" else None
        mode = cursor.fetchone() if connections["default"].vendor == "sqlite" else None
    print(
        f"  (database: {connections['default'].vendor}; SQLite synchronous={mode[0] if mode else '-'};"
        f" load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)"
    )
    ok = statistics.median(writes) < 5 and statistics.median(reads) < 5
    print(f"\n{'PASS' if ok else 'FAIL'}: median write and read under 5 ms")


if __name__ == "__main__":
    main()
