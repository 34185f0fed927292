"""What a signed-in request carries to open the vault: a reference to the server-side wrapped key, and the
secret that unwraps it, which lives only in the user's cookie or API token."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

# Where the web sign-in keeps the two halves: the reference in the server-side session, the secret in a cookie.
SESSION_REF_KEY = "confide_vault_ref"
SECRET_COOKIE = "confide_vault"  # noqa: S105 - a cookie name, not a secret


@dataclass(frozen=True)
class VaultCredential:
    session_ref: str
    client_secret: bytes

    def __repr__(self) -> str:  # never print the secret
        return f"VaultCredential(session_ref={self.session_ref!r})"


def encode_secret(secret: bytes) -> str:
    """The cookie value for a vault secret (base64url, no padding)."""
    return base64.urlsafe_b64encode(secret).decode().rstrip("=")


def decode_secret(value: str) -> bytes | None:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, binascii.Error):
        return None
    return raw if len(raw) == 32 else None


def credential_from_request(request: Any) -> VaultCredential | None:
    """The vault credential of a request: the API's (set by bearer auth), else the web session's + cookie's."""
    api_credential = getattr(request, "vault_credential", None)
    if isinstance(api_credential, VaultCredential):
        return api_credential
    session = getattr(request, "session", None)
    ref = session.get(SESSION_REF_KEY) if session is not None else None
    cookie = request.COOKIES.get(SECRET_COOKIE) if hasattr(request, "COOKIES") else None
    if not ref or not cookie:
        return None
    secret = decode_secret(str(cookie))
    return VaultCredential(session_ref=str(ref), client_secret=secret) if secret else None
