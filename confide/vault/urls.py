from django.urls import URLPattern, path

from confide.vault import views

app_name = "vault"
urlpatterns: list[URLPattern] = [
    path("notes/", views.my_notes, name="my_notes"),
    path("notes/<uuid:note_id>/", views.note_page, name="note"),
    path("notes/<uuid:note_id>/grants/", views.grant_add, name="grant_add"),
    path("notes/<uuid:note_id>/grants/<int:user_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("sessions/<int:session_id>/panel/", views.session_panel, name="session_panel"),
    path("sessions/<int:session_id>/notes/", views.note_create, name="note_create"),
]
