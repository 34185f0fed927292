from django.apps import AppConfig


class VaultConfig(AppConfig):
    name = "confide.vault"
    label = "vault"
    verbose_name = "Vault (psychotherapy notes)"
