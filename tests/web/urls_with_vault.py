"""The project's URLs plus the vault's, as config/urls.py will route them once the vault is wired in."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("vault/", include("confide.vault.urls")), *project_urlpatterns]
