from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "confide.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from django.core.signals import request_started

        from confide.audit.services import start_request

        # Each request starts with no refusal logged (services.refusal_logged).
        request_started.connect(start_request, dispatch_uid="confide.audit.start_request")
