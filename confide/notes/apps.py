from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "confide.notes"
    label = "notes"
    verbose_name = "Progress notes"
