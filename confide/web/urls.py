from django.urls import URLPattern, path

from confide.web import (
    autosave_views,
    converters,  # noqa: F401  (registers <id:...> before any pattern uses it)
    drafting_urls,
    invitation_views,
    measure_urls,
    office_urls,
    release_urls,
    summary_urls,
    views,
)

app_name = "web"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.sign_in_code, name="sign_in_code"),
    path("sign-in/enroll/", views.sign_in_enroll, name="sign_in_enroll"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("today/refresh/", views.day_refresh, name="day_refresh"),
    path("billing/", views.billing, name="billing"),
    path("schedule/", views.schedule, name="schedule"),
    path("clients/", views.client_list, name="clients"),
    path("clients/<id:client_id>/", views.client_chart, name="client_chart"),
    path("clients/<id:client_id>/break-glass/", views.break_glass, name="break_glass"),
    path("sessions/<id:session_id>/", views.session_page, name="session"),
    path("sessions/<id:session_id>/notes/new/", views.note_start, name="note_start"),
    path("sessions/<id:session_id>/notes/autosave/", autosave_views.note_autosave, name="note_autosave"),
    path("sessions/<id:session_id>/notes/format/", autosave_views.note_format, name="note_format"),
    path("keep-alive/", autosave_views.activity, name="keep_alive"),
    path("notes/<id:note_id>/", views.note_save, name="note_save"),
    path("notes/<id:note_id>/sign/", views.note_sign, name="note_sign"),
    path("notes/<id:note_id>/cosign/", views.note_cosign, name="note_cosign"),
    path("notes/<id:note_id>/return/", views.note_return, name="note_return"),
    path("notes/<id:note_id>/addenda/", views.addendum_add, name="addendum_add"),
    path("manage/users/", views.users, name="users"),
    path("manage/users/new/", views.user_new, name="user_new"),
    path("manage/users/invite/", invitation_views.user_invite, name="user_invite"),
    path("invitation/<str:token>/", invitation_views.invitation, name="invitation"),
    path("manage/users/<id:user_id>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("manage/settings/", views.practice_settings, name="practice_settings"),
    path("manage/break-glass/", views.break_glass_report, name="break_glass_report"),
    # Drafting from a transcript (confide/web/drafting_views.py) and front-office pages (confide/web/office_views.py).
    *drafting_urls.urlpatterns,
    *office_urls.urlpatterns,
    *release_urls.urlpatterns,
    *measure_urls.urlpatterns,
    *summary_urls.urlpatterns,
]
