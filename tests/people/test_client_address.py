"""The client's address: X-Forwarded-For is believed only from a trusted proxy, and read from the right."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient
from django.test import RequestFactory

from confide.audit.models import AuditEntry
from confide.lib.http import client_ip
from confide.people.models import User


def address(settings: Any, peer: str, forwarded: str | None = None, proxies: list[str] | None = None) -> str:
    settings.TRUSTED_PROXIES = proxies or []
    request = RequestFactory().get("/", REMOTE_ADDR=peer)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(request)


def test_without_trusted_proxies_the_header_is_ignored(settings: Any) -> None:
    assert address(settings, "203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_an_untrusted_peer_cannot_choose_its_address(settings: Any) -> None:
    assert address(settings, "203.0.113.9", "198.51.100.1", ["10.0.0.0/8"]) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_client_is_the_right_most_untrusted_hop(settings: Any) -> None:
    # The client forged "1.2.3.4"; nginx appended the address it really saw.
    assert address(settings, "10.0.0.5", "1.2.3.4, 198.51.100.7", ["10.0.0.0/8"]) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_skipped(settings: Any) -> None:
    forwarded = "1.2.3.4, 198.51.100.7, 10.0.0.9"
    assert address(settings, "127.0.0.1", forwarded, ["127.0.0.1", "10.0.0.0/8"]) == "198.51.100.7"


def test_ipv6_and_single_addresses(settings: Any) -> None:
    assert address(settings, "::1", "2001:db8::5", ["::1"]) == "2001:db8::5"


def test_garbage_in_the_header_falls_back_to_the_peer(settings: Any) -> None:
    assert address(settings, "10.0.0.5", "1.2.3.4, not-an-address", ["10.0.0.0/8"]) == "10.0.0.5"
    assert address(settings, "10.0.0.5", "", ["10.0.0.0/8"]) == "10.0.0.5"


@pytest.mark.parametrize("path", ["/sign-in/", "/api/v1/auth/token"])
def test_web_and_api_audit_the_client_not_the_proxy(settings: Any, clinician: User, path: str) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's peer plays nginx
    http = HttpClient(headers={"x-forwarded-for": "198.51.100.23"})
    body = {"username": "rivera", "password": "wrong password"}
    if path.startswith("/api/"):
        response = http.post(path, body, content_type="application/json")
    else:
        response = http.post(path, body)
    assert response.status_code == 401
    entry = AuditEntry.objects.filter(action="confide.sign_in.failed").latest("seq")
    assert entry.ip == "198.51.100.23"


def test_a_bad_trusted_proxies_setting_refuses_to_boot() -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "TRUSTED_PROXIES": "10.0.0.0/8,nginx.internal", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "TRUSTED_PROXIES" in result.stderr
