"""Bearer-token authentication for the JSON API. Sets `request.user` and `request.vault_credential`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

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


def acting_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def vault_credential(request: HttpRequest) -> VaultCredential | None:
    credential: Any = getattr(request, "vault_credential", None)
    return credential if isinstance(credential, VaultCredential) else None


def client_ip(request: HttpRequest) -> str:
    # Behind a TLS proxy the proxy sets REMOTE_ADDR for us (gunicorn --forwarded-allow-ips); never trust raw XFF.
    return str(request.META.get("REMOTE_ADDR", ""))[:64]
