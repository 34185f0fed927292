"""Administration: users, adding a supervisee, resetting a password, the practice's policy values."""

from __future__ import annotations

from typing import Any

from confide.people.models import User


def test_admin_adds_a_supervisee(web_as: Any, admin: User, supervisor: User) -> None:
    http = web_as(admin)
    response = http.post(
        "/manage/users/new/",
        {
            "username": "newbie",
            "full_name": "New Bie",
            "role": "clinician",
            "credentials": "LPC-A",
            "supervisor": str(supervisor.pk),
            "password": "a long enough password 9",
        },
    )
    assert response["Location"] == "/manage/users/"
    added = User.objects.get(username="newbie")
    assert added.supervisor == supervisor and added.needs_cosign
    assert "New Bie, LPC-A" in http.get("/manage/users/").content.decode()


def test_service_rules_come_back_as_form_errors(web_as: Any, admin: User, clinician: User) -> None:
    response = web_as(admin).post(
        "/manage/users/new/",
        {"username": "rivera", "full_name": "Dup", "role": "biller", "password": "a long enough password 9"},
    )
    assert response.status_code == 422 and "that username is taken" in response.content.decode()
    weak = web_as(admin).post(
        "/manage/users/new/", {"username": "weak", "full_name": "Weak", "role": "biller", "password": "short"}
    )
    assert weak.status_code == 422


def test_admin_resets_a_password(web_as: Any, admin: User, biller: User) -> None:
    web_as(admin).post(f"/manage/users/{biller.pk}/reset-password/", {"new_password": "another long password 7"})
    biller.refresh_from_db()
    assert biller.check_password("another long password 7")
    weak = web_as(admin).post(f"/manage/users/{biller.pk}/reset-password/", {"new_password": "password"})
    assert weak.status_code == 422


def test_settings_page_shows_the_policy_in_force(web_as: Any, admin: User, settings: Any) -> None:
    settings.NOTE_LATE_ENTRY_HOURS = 48
    html = web_as(admin).get("/manage/settings/").content.decode()
    assert "48 hours" in html and "15 minutes" in html and "NOTE_LATE_ENTRY_HOURS" in html


def test_clinician_cannot_reach_admin_pages(web_as: Any, clinician: User, biller: User) -> None:
    http = web_as(clinician)
    for path in (
        "/manage/users/",
        "/manage/users/new/",
        "/manage/settings/",
        f"/manage/users/{biller.pk}/reset-password/",
    ):
        assert http.get(path).status_code == 403, path
    assert http.post(f"/manage/users/{biller.pk}/reset-password/", {"new_password": "x" * 20}).status_code == 403


def test_reset_for_a_missing_user_is_not_found(web_as: Any, admin: User) -> None:
    assert web_as(admin).get("/manage/users/999999/reset-password/").status_code == 404
