"""URL patterns of office_views.py, included unprefixed by confide/web/urls.py (namespace 'web')."""

from django.urls import URLPattern, path

from confide.web import converters  # noqa: F401  (registers <id:...>)
from confide.web import office_views as views

urlpatterns: list[URLPattern] = [
    path("clients/new/", views.client_new, name="office_client_new"),
    path("clients/<id:client_id>/care-team/", views.care_team_add, name="office_care_team"),
    path("clients/<id:client_id>/contacts/new/", views.contact_add, name="office_contact_new"),
    path("clients/<id:client_id>/consents/", views.consents, name="office_consents"),
    path("consents/<id:consent_id>/revoke/", views.consent_revoke, name="office_consent_revoke"),
    path("clients/<id:client_id>/sessions/new/", views.session_new, name="office_session_new"),
    path("clients/<id:client_id>/diagnoses/new/", views.diagnosis_add, name="office_diagnosis_new"),
    path("clients/<id:client_id>/plan/revise/", views.plan_revise, name="office_plan_revise"),
    path("sessions/new/", views.session_pick_client, name="office_session_pick"),
    path("sessions/<id:session_id>/attendance/", views.session_attendance, name="office_session"),
    path("diagnoses/search/", views.icd10_search, name="office_icd10_search"),
    path("account/password/", views.password_change, name="office_password"),
    path("manage/users/<id:user_id>/active/", views.user_set_active, name="office_user_active"),
]
