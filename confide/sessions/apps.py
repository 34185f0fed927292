from django.apps import AppConfig


class SessionsConfig(AppConfig):
    name = "confide.sessions"
    # "sessions" is django.contrib.sessions' label: a clinical session is a therapy session.
    label = "therapy_sessions"
    verbose_name = "Therapy sessions"
