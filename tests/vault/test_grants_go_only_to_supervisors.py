"""A psychotherapy note may be shown, for supervised training, only to the author's own supervisor or a clinician the
practice lists for it; a grantee sees the client's initials, not the chart's name."""

from __future__ import annotations

from typing import Any

from confide.people.models import User


def _write(api_as: Any, author: User, session_id: int) -> tuple[Any, str]:
    http = api_as(author)
    written = http.post(
        f"/api/v1/sessions/{session_id}/psychotherapy-notes",
        {"body": "Process note: the countertransference again."},
        content_type="application/json",
    )
    assert written.status_code == 201, written.content
    return http, written.json()["id"]


def _grant(http: Any, note_id: str, user: User) -> Any:
    return http.post(
        f"/api/v1/psychotherapy-notes/{note_id}/grants",
        {"user_id": user.pk, "purpose": "supervised_training"},
        content_type="application/json",
    )


def test_a_colleague_who_is_not_a_supervisor_is_refused(
    settings: Any, api_as: Any, clinician: User, colleague: User, supervisor: User, client_of_record: Any
) -> None:
    from tests.conftest import session_for

    settings.VAULT_TRAINING_SUPERVISORS = []
    api_as(colleague)  # a vault key, so only the rule can refuse her
    api_as(supervisor)
    http, note_id = _write(api_as, clinician, session_for(client_of_record, clinician).pk)
    refused = _grant(http, note_id, colleague)
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid_grantee"
    # Dr. Okafor is not Dr. Rivera's supervisor and the practice lists nobody: refused too.
    assert _grant(http, note_id, supervisor).status_code == 422
    settings.VAULT_TRAINING_SUPERVISORS = ["okafor"]
    assert _grant(http, note_id, supervisor).status_code == 201


def test_the_authors_own_supervisor_may_be_granted(
    settings: Any, api_as: Any, supervisor: User, supervisee: User, supervisee_client: Any, colleague: User
) -> None:
    from tests.conftest import session_for

    settings.VAULT_TRAINING_SUPERVISORS = []
    api_as(supervisor)
    api_as(colleague)
    http, note_id = _write(api_as, supervisee, session_for(supervisee_client, supervisee).pk)
    assert _grant(http, note_id, supervisor).status_code == 201
    assert _grant(http, note_id, colleague).status_code == 422


def test_a_supervisee_is_never_a_training_supervisor(
    settings: Any, api_as: Any, clinician: User, supervisee: User, client_of_record: Any
) -> None:
    from tests.conftest import session_for

    settings.VAULT_TRAINING_SUPERVISORS = ["lee"]  # listed by mistake: a supervisee still may not receive grants
    api_as(supervisee)
    http, note_id = _write(api_as, clinician, session_for(client_of_record, clinician).pk)
    assert _grant(http, note_id, supervisee).status_code == 422


def test_a_grantee_sees_initials_not_the_clients_name(
    web_as: Any, settings: Any, api_as: Any, clinician: User, supervisor: User, client_of_record: Any
) -> None:
    from tests.conftest import session_for

    api_as(supervisor)
    http, note_id = _write(api_as, clinician, session_for(client_of_record, clinician).pk)
    assert _grant(http, note_id, supervisor).status_code == 201
    page = web_as(supervisor).get(f"/vault/notes/{note_id}/")
    assert page.status_code == 200, page.content
    body = page.content.decode()
    assert "A. M." in body
    assert "Morgan" not in body
    own = web_as(clinician).get(f"/vault/notes/{note_id}/")
    assert "Alex Morgan" in own.content.decode()
