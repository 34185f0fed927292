"""The session page keeps a place for the vault's private-note panel, beside the progress note and apart from it.
The page renders with or without the vault's pages routed; only the session's clinician ever sees the panel."""

from __future__ import annotations

from typing import Any

from confide.clients.models import Client
from confide.people.models import User
from tests.conftest import session_for


def test_session_page_shows_the_private_panel_to_the_sessions_clinician(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    html = web_as(clinician).get(f"/sessions/{session.pk}/").content.decode()
    assert 'id="private-note-panel"' in html
    assert "not part of the record" in html.lower()


def test_the_vault_panel_shows_for_the_sessions_clinician_only(
    web_as: Any, settings: Any, clinician: User, supervisor: User, supervisee: User, supervisee_client: Client
) -> None:
    settings.ROOT_URLCONF = "tests.web.urls_with_vault"
    session = session_for(supervisee_client, supervisee)
    own = web_as(supervisee).get(f"/sessions/{session.pk}/").content.decode()
    assert 'id="private-note-panel"' in own
    supervising = web_as(supervisor).get(f"/sessions/{session.pk}/").content.decode()
    assert "private-note-panel" not in supervising and "Psychotherapy note" not in supervising
