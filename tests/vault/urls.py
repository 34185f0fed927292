"""The project's URLs, plus the vault's API router and web pages if the project does not mount them yet."""

from __future__ import annotations

from typing import Any

from django.urls import include, path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from confide.api import main
from confide.api.routes import ROUTERS
from confide.lib.errors import ConfideError
from confide.vault.api import router
from config.urls import urlpatterns as project

urlpatterns: list[Any] = list(project)

if all(mounted is not router for _, mounted in ROUTERS):
    vault_api = NinjaAPI(title="vault (tests)", version="1-vault-tests", auth=main.bearer, urls_namespace="vault-api")
    vault_api.add_router("", router)
    vault_api.add_exception_handler(ConfideError, main.confide_error)
    vault_api.add_exception_handler(ValidationError, main.malformed)
    vault_api.add_exception_handler(AuthenticationError, main.unauthenticated)
    vault_api.add_exception_handler(HttpError, main.http_error)
    urlpatterns.insert(1, path("api/v1/", vault_api.urls))

if not any(getattr(p, "namespace", None) == "vault" for p in project):
    urlpatterns.insert(0, path("vault/", include("confide.vault.urls")))
