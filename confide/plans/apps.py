from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "confide.plans"
    label = "plans"
    verbose_name = "Diagnoses and treatment plans"
