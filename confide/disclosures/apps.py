from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "confide.disclosures"
    label = "disclosures"
    verbose_name = "Release of information"
