"""Vault benchmark (goal: open or save a psychotherapy note in under 3 ms beyond the sign-in key derivation).

Runs against a throwaway SQLite practice in a temporary folder (or the databases named by DATABASE_URL and
VAULT_DATABASE_URL, which it migrates: point them at throwaway databases). Prints:
- Argon2id derivation time at each profile (the sign-in cost, paid once per sign-in);
- write_note and read_note latency end to end through the service (crypto, both databases, audit entry);
- the crypto share of each alone;
- the statements one write and one read send to each database (--show-sql: each one's time).

    .venv/bin/python bench/vault/run.py [--notes 300] [--body-chars 3000] [--show-sql]
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


def show_queries(name: str, action: Callable[[], Any], show_sql: bool, repeat: int = 50) -> None:
    """Print the statements one call sends to each database; with --show-sql, each one's mean time over `repeat`
    calls (the rest of a call's time is Python, the cryptography, and the commits, which are not statements here)."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connections["default"]) as main, CaptureQueriesContext(connections["vault"]) as vault:
        action()
    print(f"  {name}: {len(main)} statements on the main database, {len(vault)} on the vault database")
    if not show_sql:
        return
    spent: dict[tuple[str, int], float] = {}
    texts: dict[tuple[str, int], str] = {}

    def wrapper_for(alias: str) -> Callable[..., Any]:
        position = [0]

        def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                slot = (alias, position[0])
                spent[slot] = spent.get(slot, 0.0) + time.perf_counter() - start
                texts[slot] = sql
                position[0] += 1

        wrapper.position = position  # type: ignore[attr-defined]
        return wrapper

    wrappers = {alias: wrapper_for(alias) for alias in ("default", "vault")}
    total = 0.0
    with (
        connections["default"].execute_wrapper(wrappers["default"]),
        connections["vault"].execute_wrapper(wrappers["vault"]),
    ):
        for _ in range(repeat):
            for wrapper in wrappers.values():
                wrapper.position[0] = 0  # type: ignore[attr-defined]
            start = time.perf_counter()
            action()
            total += time.perf_counter() - start
    for slot in sorted(spent, key=lambda s: s[1]):
        print(f"    [{slot[0]:<7}] {spent[slot] / repeat * 1000:6.3f} ms  {texts[slot][:110]}")
    in_statements = sum(spent.values()) / repeat * 1000
    print(f"    whole call {total / repeat * 1000:.3f} ms, of which statements {in_statements:.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=300)
    parser.add_argument("--body-chars", type=int, default=3000, help="a page or two of process notes")
    parser.add_argument("--kdf-repeat", type=int, default=5)
    parser.add_argument("--show-sql", action="store_true", help="print each statement of one write and one read")
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
    show_queries(
        "write_note",
        lambda: vault.write_note(actor=clinician, credential=credential, session=session, body=body),
        args.show_sql,
    )
    show_queries(
        "read_note", lambda: vault.read_note(actor=clinician, credential=credential, note_id=ids[0]), args.show_sql
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

    # A registered code of the same shape as a read's entry (record refuses undeclared codes).
    audit = timed(
        lambda: record(
            "confide.psychotherapy_note.listed", actor=clinician, object_type="psychotherapy_note", detail={"count": 0}
        ),
        args.notes,
    )
    print(f"\nNotes of {args.body_chars} characters, beyond key derivation (goal < 3 ms each):")
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
    ok = statistics.median(writes) < 3 and statistics.median(reads) < 3
    print(f"\n{'PASS' if ok else 'FAIL'}: median write and read under 3 ms")


if __name__ == "__main__":
    main()
