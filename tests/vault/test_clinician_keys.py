"""Each clinician gets a key pair at creation; the private half is stored only wrapped (Argon2id, parameters
recorded) and sealed to the recovery key."""

from __future__ import annotations

from typing import Any

import pytest

from confide.people.models import User
from confide.vault import crypto
from confide.vault.models import ClinicianKey
from confide.vault.recovery import RecoveryKeyFiles, read_private_key_file
from tests.vault.at_rest import database_bytes

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def test_clinicians_get_keys_and_others_do_not(clinician: User, biller: User, admin: User, front_desk: User) -> None:
    assert ClinicianKey.objects.filter(user_id=clinician.pk).exists()
    assert not ClinicianKey.objects.filter(user_id__in=[biller.pk, admin.pk, front_desk.pk]).exists()


def test_kdf_parameters_are_recorded_with_the_wrapped_key(clinician: User) -> None:
    key = ClinicianKey.objects.get(user_id=clinician.pk)
    expected = crypto.KDF_PROFILES["test"]
    assert (key.kdf_algorithm, key.kdf_opslimit, key.kdf_memlimit) == (
        "argon2id13",
        expected.opslimit,
        expected.memlimit,
    )
    assert len(bytes(key.kdf_salt)) == crypto.SALT_BYTES


def test_the_private_key_is_nowhere_in_clear(clinician: User, recovery_key: RecoveryKeyFiles) -> None:
    key = ClinicianKey.objects.get(user_id=clinician.pk)
    private = crypto.unseal(read_private_key_file(recovery_key.private), bytes(key.recovery_sealed))
    assert crypto.public_of(private) == bytes(key.public_key)
    for alias in ("default", "vault"):
        image = database_bytes(alias)
        assert private not in image
        assert private.hex().encode() not in image


def test_raising_the_kdf_cost_rewraps_at_next_sign_in(settings: Any, clinician: User, sign_in_vault: Any) -> None:
    import nacl.pwhash.argon2id as argon2id

    custom = crypto.KdfParams(argon2id.OPSLIMIT_MIN + 1, argon2id.MEMLIMIT_MIN)
    settings.VAULT_KDF_PROFILE = "stronger-for-test"
    crypto.KDF_PROFILES["stronger-for-test"] = custom
    try:
        sign_in_vault(clinician)
    finally:
        del crypto.KDF_PROFILES["stronger-for-test"]
    key = ClinicianKey.objects.get(user_id=clinician.pk)
    assert (key.kdf_opslimit, key.kdf_memlimit) == (custom.opslimit, custom.memlimit)


def test_unlisted_profile_is_a_configuration_error(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from confide.vault.services import kdf_params

    settings.VAULT_KDF_PROFILE = "fast"
    with pytest.raises(ImproperlyConfigured):
        kdf_params()


def test_vault_status_command_shows_no_content(clinician: User, capsys: Any) -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("vault", "status", stdout=out)
    assert "clinician keys: 1, locked: 0" in out.getvalue()
