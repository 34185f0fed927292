from django.apps import AppConfig


class SummariesConfig(AppConfig):
    name = "confide.summaries"
    label = "summaries"
    verbose_name = "Periodic progress summaries"
