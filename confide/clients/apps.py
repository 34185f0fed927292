from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "confide.clients"
    label = "clients"
    verbose_name = "Clients"
