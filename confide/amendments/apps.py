from django.apps import AppConfig


class AmendmentsConfig(AppConfig):
    name = "confide.amendments"
    label = "amendments"
    verbose_name = "Amendments (164.526)"
