"""The vault's use of libsodium (through PyNaCl). No cipher code of our own: this module only chooses primitives,
lays out bytes and binds context as associated data.

- Argon2id (crypto_pwhash) turns a password into a wrapping key; its parameters travel with the wrapped key.
- XChaCha20-Poly1305 (crypto_aead_xchacha20poly1305_ietf) encrypts notes and wraps private keys; 24-byte random
  nonces are safe to draw at random for as many messages as a practice will ever write.
- X25519 sealed boxes (crypto_box_seal) carry a note's data key to its author and grantees, and each clinician's
  private key to the practice's offline recovery key.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

import nacl.bindings as sodium
import nacl.exceptions
import nacl.pwhash.argon2id as argon2id
import nacl.utils
from nacl.public import PrivateKey, PublicKey, SealedBox

KEY_BYTES: int = sodium.crypto_aead_xchacha20poly1305_ietf_KEYBYTES  # 32
NONCE_BYTES: int = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES  # 24
TAG_BYTES: int = sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES  # 16
SALT_BYTES: int = argon2id.SALTBYTES  # 16


class VaultCryptoError(Exception):
    """Authentication failed: wrong key, or the bytes were changed. Never carries key or plaintext material."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost, stored beside every password-wrapped key so the profile can change without breaking old keys."""

    opslimit: int
    memlimit: int
    algorithm: str = "argon2id13"


# Profiles by name (settings.VAULT_KDF_PROFILE). libsodium's own presets; see docs/vault.md for the measured times.
KDF_PROFILES: dict[str, KdfParams] = {
    # Tests only: the library's minimum, so the suite stays quick. Refused in production (config/settings.py).
    "test": KdfParams(argon2id.OPSLIMIT_MIN, argon2id.MEMLIMIT_MIN),
    # t=2, m=64 MiB: above RFC 9106's second recommendation in memory and OWASP's minimum (m=19 MiB, t=2).
    "interactive": KdfParams(argon2id.OPSLIMIT_INTERACTIVE, argon2id.MEMLIMIT_INTERACTIVE),
    # t=3, m=256 MiB: roughly four times the work; for practices on hardware with memory to spare.
    "moderate": KdfParams(argon2id.OPSLIMIT_MODERATE, argon2id.MEMLIMIT_MODERATE),
}


def random_key() -> bytes:
    return nacl.utils.random(KEY_BYTES)


def random_salt() -> bytes:
    return nacl.utils.random(SALT_BYTES)


def derive_key(password: str, salt: bytes, params: KdfParams) -> bytes:
    if params.algorithm != "argon2id13":
        raise VaultCryptoError(f"unknown key-derivation algorithm {params.algorithm!r}")
    key: bytes = argon2id.kdf(KEY_BYTES, password.encode("utf-8"), salt, params.opslimit, params.memlimit)
    return key


def seal(key: bytes, plaintext: bytes, associated_data: bytes) -> bytes:
    """Encrypt and authenticate. Returns nonce || ciphertext || tag."""
    nonce = nacl.utils.random(NONCE_BYTES)
    ciphertext: bytes = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, associated_data, nonce, key)
    return nonce + ciphertext


def open_sealed(key: bytes, blob: bytes, associated_data: bytes) -> bytes:
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise VaultCryptoError("ciphertext too short")
    try:
        plaintext: bytes = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
            blob[NONCE_BYTES:], associated_data, blob[:NONCE_BYTES], key
        )
    except nacl.exceptions.CryptoError as error:
        raise VaultCryptoError("authentication failed") from error
    return plaintext


def new_key_pair() -> tuple[bytes, bytes]:
    """(public, private) X25519 key pair, raw 32-byte halves."""
    private = PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def public_of(private_key: bytes) -> bytes:
    return bytes(PrivateKey(private_key).public_key)


def seal_to(public_key: bytes, plaintext: bytes) -> bytes:
    sealed: bytes = SealedBox(PublicKey(public_key)).encrypt(plaintext)
    return sealed


def unseal(private_key: bytes, blob: bytes) -> bytes:
    try:
        plaintext: bytes = SealedBox(PrivateKey(private_key)).decrypt(blob)
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as error:
        raise VaultCryptoError("sealed box did not open") from error
    return plaintext


def fingerprint(public_key: bytes) -> str:
    """A short, printable name for a public key (so a custodian can tell which recovery key a clinician is under)."""
    return hashlib.blake2b(public_key, digest_size=10, person=b"confide-fpr").hexdigest()


# --- The printable form of the recovery key: base32 in groups of four, with a checksum -------------------------------

_RECOVERY_PREFIX = "CONFIDE-RECOVERY-1"


def recovery_key_text(private_key: bytes) -> str:
    check = hashlib.blake2b(private_key, digest_size=4, person=b"confide-rk-chk").digest()
    encoded = base64.b32encode(private_key + check).decode().rstrip("=")
    groups = [encoded[i : i + 4] for i in range(0, len(encoded), 4)]
    return _RECOVERY_PREFIX + "\n" + "\n".join(" ".join(groups[i : i + 6]) for i in range(0, len(groups), 6))


def parse_recovery_key_text(text: str) -> bytes:
    """Read the printable form back (spaces, line breaks and case do not matter). Raises ValueError if mistyped."""
    body = text.strip()
    if body.upper().startswith(_RECOVERY_PREFIX):
        body = body[len(_RECOVERY_PREFIX) :]
    letters = "".join(ch for ch in body.upper() if ch.isalnum())
    letters += "=" * (-len(letters) % 8)
    try:
        raw = base64.b32decode(letters)
    except (ValueError, base64.binascii.Error) as error:  # type: ignore[attr-defined]
        raise ValueError("the recovery key is not valid base32") from error
    if len(raw) != 36:
        raise ValueError("the recovery key has the wrong length")
    private_key, check = raw[:32], raw[32:]
    if hashlib.blake2b(private_key, digest_size=4, person=b"confide-rk-chk").digest() != check:
        raise ValueError("the recovery key's checksum does not match: a character was mistyped")
    return private_key
