"""Bearer-token authentication for the JSON API. Sets `request.user` and `request.vault_credential`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from confide.lib.http import acting_user, client_ip
from confide.people.models import User
from confide.people.services import token_user
from confide.vault.credential import VaultCredential


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = token_user(token)
        if found is None:
            return None
        user, credential = found
        request.user = user
        request.vault_credential = credential  # type: ignore[attr-defined]
        return user


bearer = BearerAuth()


def vault_credential(request: HttpRequest) -> VaultCredential | None:
    credential: Any = getattr(request, "vault_credential", None)
    return credential if isinstance(credential, VaultCredential) else None


__all__ = ["BearerAuth", "acting_user", "bearer", "client_ip", "vault_credential"]
