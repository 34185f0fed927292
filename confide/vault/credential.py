"""What a signed-in request carries to open the vault: a reference to the server-side wrapped key, and the
secret that unwraps it, which lives only in the user's cookie or API token."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VaultCredential:
    session_ref: str
    client_secret: bytes

    def __repr__(self) -> str:  # never print the secret
        return f"VaultCredential(session_ref={self.session_ref!r})"
