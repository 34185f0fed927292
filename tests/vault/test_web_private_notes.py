"""The web UI: the author writes a private note from the session page, sees the boundary warnings, manages grants;
nobody else sees a trace of it."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from confide.people.models import User
from confide.vault import services as vault
from confide.vault.credential import SECRET_COOKIE, SESSION_REF_KEY, encode_secret
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

OTHERS = ["colleague", "supervisor", "outsider", "admin", "biller", "front_desk"]


@pytest.fixture(autouse=True)
def _no_mfa_for_the_cast(settings: Any) -> None:
    settings.MFA_REQUIRED_ROLES = []


@pytest.fixture
def browser_as() -> Callable[[User], HttpClient]:
    """A browser signed in as `user`, holding the vault cookie the way web sign-in leaves it."""

    def sign_in(user: User) -> HttpClient:
        browser = HttpClient()
        browser.force_login(user)
        if user.role == "clinician":
            ref, secret = f"web:{secrets.token_urlsafe(16)}", secrets.token_bytes(32)
            vault.open_key_session(
                user=user,
                password=PASSWORD,
                session_ref=ref,
                client_secret=secret,
                expires_at=timezone.now() + timedelta(hours=1),
            )
            session = browser.session
            session[SESSION_REF_KEY] = ref
            session.save()
            browser.cookies[SECRET_COOKIE] = encode_secret(secret)
        return browser

    return sign_in


@pytest.fixture
def written(browser_as: Callable[[User], HttpClient], clinician: User, therapy_session: Any, marker: str) -> str:
    response = browser_as(clinician).post(
        f"/vault/sessions/{therapy_session.pk}/notes/", {"body": f"{marker}: PHQ-9 of 19 came up again"}
    )
    assert response.status_code == 302, response.content
    return str(response["Location"]).rstrip("/").rsplit("/", 1)[-1]


def test_author_sees_the_note_and_the_boundary_warning(
    browser_as: Callable[[User], HttpClient], clinician: User, written: str, marker: str
) -> None:
    page = browser_as(clinician).get(f"/vault/notes/{written}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert marker in html
    assert "Private note — not part of the record" in html
    assert "Boundary check" in html
    assert "private-note" in html
    assert "no-store" in page["Cache-Control"]


def test_session_panel_is_for_the_sessions_clinician_only(
    request: pytest.FixtureRequest,
    browser_as: Callable[[User], HttpClient],
    clinician: User,
    therapy_session: Any,
    written: str,
) -> None:
    panel = browser_as(clinician).get(f"/vault/sessions/{therapy_session.pk}/panel/")
    assert "Private note — not part of the record" in panel.content.decode()
    assert written in panel.content.decode()
    for who in ("colleague", "supervisor", "outsider"):
        other = browser_as(request.getfixturevalue(who)).get(f"/vault/sessions/{therapy_session.pk}/panel/")
        assert "Private note" not in other.content.decode()
        assert written not in other.content.decode()


@pytest.mark.parametrize("who", OTHERS)
def test_nobody_else_sees_a_trace(
    request: pytest.FixtureRequest, browser_as: Callable[[User], HttpClient], written: str, marker: str, who: str
) -> None:
    browser = browser_as(request.getfixturevalue(who))
    note = browser.get(f"/vault/notes/{written}/")
    listing = browser.get("/vault/notes/")
    assert note.status_code in (403, 404)
    for response in (note, listing):
        assert marker not in response.content.decode()
        assert written not in response.content.decode()


def test_grant_and_revoke_through_the_page(
    browser_as: Callable[[User], HttpClient], clinician: User, supervisor: User, written: str, marker: str
) -> None:
    supervising = browser_as(supervisor)
    author = browser_as(clinician)
    assert supervisor.display_name in author.get(f"/vault/notes/{written}/").content.decode()
    author.post(f"/vault/notes/{written}/grants/", {"user_id": supervisor.pk})
    shared = supervising.get(f"/vault/notes/{written}/")
    assert shared.status_code == 200
    assert marker in shared.content.decode()
    assert "Boundary check" not in shared.content.decode()  # warnings and grants are the author's business
    assert written in supervising.get("/vault/notes/").content.decode()
    author.post(f"/vault/notes/{written}/grants/{supervisor.pk}/revoke/")
    assert supervising.get(f"/vault/notes/{written}/").status_code == 404


def test_a_closed_vault_explains_itself(clinician: User, written: str) -> None:
    browser = HttpClient()
    browser.force_login(clinician)  # signed in, but no vault cookie: as after the cookie is lost
    page = browser.get(f"/vault/notes/{written}/")
    assert page.status_code == 401
    assert "sign in again" in page.content.decode()


def test_templates_have_no_inline_script_or_style() -> None:
    folder = Path(__file__).resolve().parents[2] / "confide" / "vault" / "templates" / "vault"
    for template in folder.glob("*.html"):
        text = template.read_text()
        assert "<script" not in text and "style=" not in text and "<style" not in text, template.name


def test_session_page_shows_the_panel_to_its_clinician_only(
    browser_as: Callable[[User], HttpClient],
    clinician: User,
    supervisor: User,
    supervisee: User,
    supervisee_client: Any,
) -> None:
    from tests.conftest import session_for

    session = session_for(supervisee_client, supervisee)
    own = browser_as(supervisee).get(f"/sessions/{session.pk}/")
    assert own.status_code == 200
    assert "Private note — not part of the record" in own.content.decode()
    assert "private-note" in own.content.decode()
    # The supervisor may open the supervisee's session (co-signature) but sees no trace of the vault there.
    supervising = browser_as(supervisor).get(f"/sessions/{session.pk}/")
    assert supervising.status_code == 200
    assert "Private note — not part of the record" not in supervising.content.decode()
    assert "private-note-panel" not in supervising.content.decode()


def test_writing_from_the_session_page_then_seeing_the_warning(
    browser_as: Callable[[User], HttpClient], clinician: User, therapy_session: Any
) -> None:
    browser = browser_as(clinician)
    saved = browser.post(
        f"/vault/sessions/{therapy_session.pk}/notes/",
        {"body": "Prognosis guarded; I keep thinking about the door.", "next": f"/sessions/{therapy_session.pk}/"},
        follow=True,
    )
    html = saved.content.decode()
    assert saved.status_code == 200
    assert "Boundary check" in html
    assert "Prognosis belongs in the progress note." in html
    panel = browser.get(f"/sessions/{therapy_session.pk}/").content.decode()
    assert "Private note of" in panel


def test_out_of_range_ids_are_404_not_500(browser_as: Callable[[User], HttpClient], clinician: User) -> None:
    browser = browser_as(clinician)
    huge = 2**80
    assert browser.get(f"/vault/sessions/{huge}/panel/").status_code == 404
    assert browser.post(f"/vault/sessions/{huge}/notes/", {"body": "x"}).status_code == 404
