"""The fixed cast every test speaks through (docs/architecture.md, "Tests").

- `clinician`: Dr. Rivera, the client of record's primary clinician.
- `colleague`: Dr. Chen, another clinician with a caseload of her own.
- `supervisor`: Dr. Okafor, who supervises `supervisee` (Sam Lee, a pre-licensed counsellor).
- `biller`, `front_desk`, `admin`; and `outsider`, a clinician who has never met the client.
- `client_of_record`: Alex Morgan, on Dr. Rivera's caseload; `supervisee_client` on Sam Lee's.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from confide.clients.models import Client
from confide.people.models import User

# One Playwright instance for the whole run: its sync API keeps an event loop in this thread, so a second
# session-scoped instance (one per conftest) would refuse to start.
pytest_plugins = ["tests.web.browser"]
# ...and that loop makes Django's async-safety check refuse the ORM in the test thread, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct horse battery staple 42"


@pytest.fixture(scope="session")
def vault_recovery_key(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The practice recovery key, made once for the run (in production `confide vault init` makes it)."""
    from confide.vault.testing import ensure_recovery_key_for_tests

    return ensure_recovery_key_for_tests(tmp_path_factory.mktemp("vault-recovery"))


@pytest.fixture(autouse=True)
def _practice_settings(settings: Any, vault_recovery_key: Any) -> None:
    # The real Argon2id cost is for people; tests use the library's minimum to stay quick.
    settings.VAULT_KDF_PROFILE = "test"
    settings.VAULT_RECOVERY_PUBLIC_KEY_FILE = str(vault_recovery_key.public)
    settings.DEMO_MODE = False
    settings.PASSWORD_HASHERS = ["tests.support.hashers.FastArgon2PasswordHasher"]


def make_user(username: str, role: str, **extra: Any) -> User:
    from confide.people.services import create_user

    return create_user(
        actor=None,
        username=username,
        password=PASSWORD,
        full_name=extra.pop("full_name", username.replace("_", " ").title()),
        role=role,
        validate=False,
        **extra,
    )


@pytest.fixture
def admin(db: None) -> User:
    return make_user("admin", "admin", full_name="Pat Admin")


@pytest.fixture
def clinician(db: None) -> User:
    return make_user("rivera", "clinician", full_name="Maria Rivera", credentials="LCSW")


@pytest.fixture
def colleague(db: None) -> User:
    return make_user("chen", "clinician", full_name="Lin Chen", credentials="PhD")


@pytest.fixture
def supervisor(db: None) -> User:
    return make_user("okafor", "clinician", full_name="Ada Okafor", credentials="PsyD")


@pytest.fixture
def supervisee(supervisor: User) -> User:
    return make_user("lee", "clinician", full_name="Sam Lee", credentials="LPC-A", supervisor_id=supervisor.pk)


@pytest.fixture
def outsider(db: None) -> User:
    return make_user("outsider", "clinician", full_name="Out Sider", credentials="LMFT")


@pytest.fixture
def biller(db: None) -> User:
    return make_user("biller", "biller", full_name="Bo Biller")


@pytest.fixture
def front_desk(db: None) -> User:
    return make_user("desk", "front_desk", full_name="Fran Desk")


@pytest.fixture
def client_of_record(clinician: User) -> Client:
    return Client.objects.create(
        first_name="Alex", last_name="Morgan", date_of_birth=date(1990, 4, 2), primary_clinician=clinician
    )


@pytest.fixture
def supervisee_client(supervisee: User) -> Client:
    return Client.objects.create(
        first_name="Jordan", last_name="Blake", date_of_birth=date(1985, 1, 9), primary_clinician=supervisee
    )


def session_for(client: Client, clinician: User, *, minutes: int = 53, days_ago: int = 0, **extra: Any) -> Any:
    from confide.sessions.services import schedule_session

    now = timezone.now().replace(microsecond=0)
    starts = now - timedelta(days=days_ago, hours=2)
    # Two hours ago may be yesterday in the practice's time zone (before 2 a.m. there): keep the day asked for.
    local_midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0) - timedelta(days=days_ago)
    starts = max(starts, local_midnight)
    return schedule_session(
        actor=clinician,
        client=client,
        clinician_id=clinician.pk,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        service=extra.pop("service", "individual"),
        setting=extra.pop("setting", "in_person"),
        **extra,
    )


@pytest.fixture
def therapy_session(client_of_record: Client, clinician: User) -> Any:
    return session_for(client_of_record, clinician)


@pytest.fixture
def web_as(settings: Any) -> Callable[[User], HttpClient]:
    """A browser-like client signed in through the real sign-in form, MFA relaxed for the cast."""

    def sign_in(user: User) -> HttpClient:
        settings.MFA_REQUIRED_ROLES = []
        http = HttpClient()
        response = http.post("/sign-in/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content
        return http

    return sign_in


@pytest.fixture
def api_as(db: None) -> Callable[[User], HttpClient]:
    """An HTTP client signed in through the real token endpoint (MFA off for the cast: see test_mfa for MFA)."""

    def sign_in(user: User) -> HttpClient:
        from django.conf import settings

        required = list(settings.MFA_REQUIRED_ROLES)
        settings.MFA_REQUIRED_ROLES = []
        try:
            http = HttpClient()
            response = http.post(
                "/api/v1/auth/token",
                {"username": user.username, "password": PASSWORD},
                content_type="application/json",
            )
            assert response.status_code == 201, response.content
        finally:
            settings.MFA_REQUIRED_ROLES = required
        return HttpClient(headers={"authorization": f"Bearer {response.json()['token']}"})

    return sign_in


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that touches the database may touch both: sign-in opens the clinician's vault key session."""
    for item in items:
        if "tests/drafting/" in str(item.path):
            continue  # the drafting engine is a plain library: no database
        if item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db(databases=["default", "vault"]))
