from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "confide.drafts"
    label = "drafts"
    verbose_name = "Drafting in the product (wraps the confide.drafting library)"
