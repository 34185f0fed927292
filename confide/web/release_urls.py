"""URL patterns of release_views.py (release of information), included unprefixed by confide/web/urls.py
(namespace 'web')."""

from django.urls import URLPattern, path

from confide.web import amendment_views as amend
from confide.web import converters  # noqa: F401  (registers <id:...>)
from confide.web import release_views as views

urlpatterns: list[URLPattern] = [
    path("clients/<id:client_id>/release/", views.release_tab, name="release_tab"),
    path("clients/<id:client_id>/release/new/", views.release_new, name="release_new"),
    path("clients/<id:client_id>/release/make/", views.release_make, name="release_make"),
    path("clients/<id:client_id>/release/client-copy/", views.client_copy, name="release_client_copy"),
    path(
        "clients/<id:client_id>/release/authorizations/new/", views.authorization_new, name="release_authorization_new"
    ),
    path("clients/<id:client_id>/release/requests/", views.access_request_new, name="release_request_new"),
    path("clients/<id:client_id>/release/accounting/", views.accounting, name="release_accounting"),
    path("clients/<id:client_id>/release/accounting.pdf", views.accounting_pdf, name="release_accounting_pdf"),
    path("clients/<id:client_id>/release/record/", views.client_record, name="release_client_record"),
    path("authorizations/<id:authorization_id>/document/", views.document_view, name="release_document"),
    path(
        "authorizations/<id:authorization_id>/document/upload/",
        views.document_upload,
        name="release_document_upload",
    ),
    path("authorizations/<id:authorization_id>/revoke/", views.authorization_revoke, name="release_revoke"),
    path("access-requests/<id:request_id>/extend/", views.access_request_extend, name="release_request_extend"),
    path("disclosures/<id:disclosure_id>/", views.disclosure_page, name="release_disclosure"),
    path("disclosures/<id:disclosure_id>/package.pdf", views.package_pdf, name="release_package_pdf"),
    path("disclosures/<id:disclosure_id>/package.json", views.package_fhir, name="release_package_fhir"),
    path("disclosures/<id:disclosure_id>/page.png", views.package_page, name="release_package_page"),
    path("clients/<id:client_id>/release/amendments/", amend.amendment_new, name="amendment_new"),
    path("amendment-requests/<id:request_id>/extend/", amend.amendment_extend, name="amendment_extend"),
    path("amendment-requests/<id:request_id>/accept/", amend.amendment_accept, name="amendment_accept"),
    path("amendment-requests/<id:request_id>/deny/", amend.amendment_deny, name="amendment_deny"),
    path(
        "amendment-requests/<id:request_id>/disagreement/", amend.amendment_disagreement, name="amendment_disagreement"
    ),
    path("amendment-requests/<id:request_id>/rebuttal/", amend.amendment_rebuttal, name="amendment_rebuttal"),
]
