"""Keeps the vault's models in the `vault` database and everything else out of it."""

from __future__ import annotations

from typing import Any

VAULT_APP = "vault"
VAULT_DB = "vault"


class VaultRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        return VAULT_DB if model._meta.app_label == VAULT_APP else "default"

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return VAULT_DB if model._meta.app_label == VAULT_APP else "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        in_vault = {obj1._meta.app_label == VAULT_APP, obj2._meta.app_label == VAULT_APP}
        return len(in_vault) == 1

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        if db == VAULT_DB:
            return app_label == VAULT_APP
        return app_label != VAULT_APP
