from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "confide.ops"
    label = "ops"
    verbose_name = "Operations: serving, the demo practice, first admin"
