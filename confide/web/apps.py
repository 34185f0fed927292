from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "confide.web"
    label = "web"
    verbose_name = "Web interface"
