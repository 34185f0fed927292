"""People tests sign in through the real pages, as tests/web/conftest.py does (MFA relaxed for the cast)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient

from confide.people.models import User
from tests.conftest import PASSWORD


@pytest.fixture
def web_as(settings: Any) -> Callable[[User], HttpClient]:
    def sign_in(user: User) -> HttpClient:
        settings.MFA_REQUIRED_ROLES = []
        http = HttpClient()
        response = http.post("/sign-in/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content
        return http

    return sign_in
