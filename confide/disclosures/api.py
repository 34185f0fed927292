"""Release of information over the JSON API: authorizations, disclosures and packages, accounting, the record."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from confide.access import allows
from confide.api.auth import acting_user, vault_credential
from confide.api.schemas import ERRORS, IdRef, In, IsoDate, ObjectId, StrictBool, StrictStr, bounded, column
from confide.clients.services import visible_client
from confide.disclosures import documents, services
from confide.disclosures.models import AccessRequest, Authorization, Disclosure
from confide.lib.errors import RuleViolation

router = Router(tags=["disclosures"])

CategoryName = Literal[
    "progress_notes", "psychotherapy_notes", "measures", "summaries", "diagnoses", "treatment_plan", "sessions"
]


class AuthorizationIn(In):
    kind: Literal["general", "psychotherapy_notes"]
    recipient: Annotated[StrictStr, column(Authorization, "recipient")]
    recipient_address: Annotated[StrictStr, column(Authorization, "recipient_address")] = ""
    purpose: Annotated[StrictStr, column(Authorization, "purpose")]
    information: Annotated[list[CategoryName], Field(max_length=7)]
    information_detail: Annotated[StrictStr, column(Authorization, "information_detail")] = ""
    expires_on: IsoDate | None = None
    expiry_event: Annotated[StrictStr, column(Authorization, "expiry_event")] = ""
    signed_on: IsoDate | None = None
    signed_by: Literal["client", "personal_representative"] = "client"
    representative_name: Annotated[StrictStr, column(Authorization, "representative_name")] = ""
    representative_authority: Annotated[StrictStr, column(Authorization, "representative_authority")] = ""

    def data(self) -> services.AuthorizationInput:
        return services.AuthorizationInput(**self.model_dump())


class AuthorizationOut(Schema):
    id: int
    client_id: int
    kind: str
    recipient: str
    recipient_address: str
    discloser: str
    purpose: str
    information: list[str]
    information_detail: str
    expires_on: date | None
    expiry_event: str
    signed_on: date
    signed_by: str
    representative_name: str
    representative_authority: str
    revoked_on: date | None
    state: str
    document_sha256: str
    document_type: str
    document_bytes: int | None

    @staticmethod
    def resolve_state(obj: Authorization) -> str:
        from django.utils import timezone

        return obj.state_on(timezone.localdate())


@router.post("/clients/{client_id}/authorizations", response={201: AuthorizationOut} | ERRORS)
@allows("authorization.record")
def create_authorization(request: HttpRequest, client_id: ObjectId, payload: AuthorizationIn) -> Status[Any]:
    user = acting_user(request)
    client = visible_client(user, client_id)
    return Status(201, services.record_authorization(actor=user, client=client, data=payload.data()))


@router.get("/clients/{client_id}/authorizations", response={200: list[AuthorizationOut]} | ERRORS)
@allows("authorization.list")
def list_authorizations(request: HttpRequest, client_id: ObjectId) -> list[Authorization]:
    user = acting_user(request)
    return services.list_authorizations(actor=user, client=visible_client(user, client_id))


@router.post("/clients/{client_id}/authorizations/form", response={200: None} | ERRORS)
@allows("authorization.record")
def authorization_form(request: HttpRequest, client_id: ObjectId, payload: AuthorizationIn) -> HttpResponse:
    """A pre-filled authorization form (PDF) for the client to sign; `signed_on` may be left out."""
    user = acting_user(request)
    pdf = services.authorization_form(actor=user, client=visible_client(user, client_id), data=payload.data())
    return _file(pdf, "application/pdf", "authorization-form.pdf")


class DocumentOut(Schema):
    id: int
    document_sha256: str
    document_type: str
    document_bytes: int | None


@router.post("/authorizations/{authorization_id}/document", response={201: DocumentOut} | ERRORS)
@allows("authorization.record")
def attach_document(request: HttpRequest, authorization_id: ObjectId, file: File[UploadedFile]) -> Status[Any]:
    user = acting_user(request)
    if file.size is not None and file.size > documents.max_bytes():
        raise RuleViolation(
            f"the signed form may be at most {documents.max_bytes() // 1_000_000} MB", "document_too_large"
        )
    data = file.read(documents.max_bytes() + 1)
    return Status(201, services.attach_document(actor=user, authorization_id=authorization_id, data=data))


@router.get("/authorizations/{authorization_id}/document", response={200: None} | ERRORS)
@allows("authorization.document.read")
def get_document(request: HttpRequest, authorization_id: ObjectId) -> HttpResponse:
    data, content_type = services.document(actor=acting_user(request), authorization_id=authorization_id)
    return _file(data, content_type, f"authorization-{authorization_id}", inline=True)


class RevokeIn(In):
    revoked_on: IsoDate


@router.post("/authorizations/{authorization_id}/revoke", response={200: AuthorizationOut} | ERRORS)
@allows("authorization.record")
def revoke(request: HttpRequest, authorization_id: ObjectId, payload: RevokeIn) -> Authorization:
    return services.revoke_authorization(
        actor=acting_user(request), authorization_id=authorization_id, revoked_on=payload.revoked_on
    )


# --- Disclosures ---------------------------------------------------------------------------------------------------


class RecipientIn(In):
    name: Annotated[StrictStr, column(Disclosure, "recipient_name")] = ""
    address: Annotated[StrictStr, column(Disclosure, "recipient_address")] = ""
    contact_id: IdRef | None = None


class SpanIn(In):
    from_: IsoDate | None = Field(default=None, alias="from")
    to: IsoDate | None = None


class IncludeIn(In):
    progress_notes: StrictBool | None = None
    psychotherapy_notes: StrictBool | None = None
    measures: StrictBool | None = None
    summaries: StrictBool | None = None
    diagnoses: StrictBool | None = None
    treatment_plan: StrictBool | None = None
    sessions: StrictBool | None = None


class DisclosureIn(In):
    recipient: RecipientIn
    basis: Annotated[StrictStr, column(Disclosure, "basis", required=True)]
    authorization_id: IdRef | None = None
    purpose: Annotated[StrictStr, column(Disclosure, "purpose")] = ""
    span: SpanIn | None = None
    include: IncludeIn | None = None
    access_request_id: IdRef | None = None

    def data(self) -> services.ReleaseInput:
        span = (self.span.from_, self.span.to) if self.span else (None, None)
        include = self.include.model_dump() if self.include else {}
        return services.ReleaseInput(
            recipient_name=self.recipient.name,
            recipient_address=self.recipient.address,
            contact_id=self.recipient.contact_id,
            basis=self.basis,
            authorization_id=self.authorization_id,
            purpose=self.purpose,
            span=span,
            include=include,
            access_request_id=self.access_request_id,
        )


class ItemOut(Schema):
    kind: str
    id: int | str


class WithheldOut(Schema):
    kind: str
    id: int | str | None = None
    rule: str
    reason: str
    cite: str = ""


class PackageOut(Schema):
    pdf_url: str
    fhir_url: str
    sha256: str
    pdf_sha256: str
    fhir_sha256: str
    pdf_pages: int
    pdf_bytes: int


class DisclosureOut(Schema):
    id: int
    client_id: int
    recipient: dict[str, str]
    basis: str
    authorization_id: int | None
    purpose: str
    span: dict[str, date | None]
    include: list[str]
    items: list[ItemOut]
    withheld: list[WithheldOut]
    notices: list[str]
    accounted: bool
    prepared_by_id: int
    prepared_at: datetime
    package: PackageOut


class PreviewOut(Schema):
    allowed: bool
    basis: str
    recipient: str
    include: list[str]
    items: list[ItemOut]
    withheld: list[WithheldOut]
    notices: list[str]
    refusal: WithheldOut | None = None


@router.post("/clients/{client_id}/disclosures", response={201: DisclosureOut} | ERRORS)
@allows("disclosure.prepare")
def create_disclosure(request: HttpRequest, client_id: ObjectId, payload: DisclosureIn) -> Status[Any]:
    user = acting_user(request)
    client = visible_client(user, client_id)
    made = services.disclose(actor=user, credential=vault_credential(request), client=client, data=payload.data())
    return Status(201, services.disclosure_out(made, private_ids=getattr(made, "released_private_ids", [])))


@router.post("/clients/{client_id}/disclosures/preview", response={200: PreviewOut} | ERRORS)
@allows("disclosure.prepare")
def preview_disclosure(request: HttpRequest, client_id: ObjectId, payload: DisclosureIn) -> dict[str, Any]:
    """What a release would send and withhold, and why, before anything is built."""
    user = acting_user(request)
    plan = services.preview(actor=user, client=visible_client(user, client_id), data=payload.data())
    return services.plan_out(plan)


@router.get("/clients/{client_id}/disclosures", response={200: list[DisclosureOut]} | ERRORS)
@allows("disclosure.list")
def list_disclosures(request: HttpRequest, client_id: ObjectId) -> list[dict[str, Any]]:
    user = acting_user(request)
    return [
        services.disclosure_out(d)
        for d in services.list_disclosures(actor=user, client=visible_client(user, client_id))
    ]


@router.get("/disclosures/{disclosure_id}/package.pdf", response={200: None} | ERRORS, url_name="disclosure_pdf")
@allows("disclosure.package.read")
def disclosure_pdf(request: HttpRequest, disclosure_id: ObjectId) -> HttpResponse:
    data = services.package_file(
        actor=acting_user(request), credential=vault_credential(request), disclosure_id=disclosure_id, part="pdf"
    )
    return _file(data, "application/pdf", f"disclosure-{disclosure_id}.pdf")


@router.get("/disclosures/{disclosure_id}/package.json", response={200: None} | ERRORS, url_name="disclosure_fhir")
@allows("disclosure.package.read")
def disclosure_fhir(request: HttpRequest, disclosure_id: ObjectId) -> HttpResponse:
    data = services.package_file(
        actor=acting_user(request), credential=vault_credential(request), disclosure_id=disclosure_id, part="fhir"
    )
    return _file(data, "application/fhir+json", f"disclosure-{disclosure_id}.json")


class AccountingOut(Schema):
    date: date
    recipient: str
    recipient_address: str
    description: str
    purpose: str


@router.get(
    "/clients/{client_id}/disclosures/accounting",
    response={200: list[AccountingOut]} | ERRORS,
    # `?format=pdf` answers the same accounting as a PDF for the client.
    openapi_extra={
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    "application/json": {
                        "schema": {"type": "array", "items": {"$ref": "#/components/schemas/AccountingOut"}}
                    },
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
@allows("disclosure.accounting")
def accounting(request: HttpRequest, client_id: ObjectId, format: Literal["json", "pdf"] = "json") -> Any:
    """The accounting of disclosures (164.528): six years, without the kinds the law leaves out."""
    user = acting_user(request)
    client = visible_client(user, client_id)
    if format == "pdf":
        return _file(services.accounting_pdf(actor=user, client=client), "application/pdf", "accounting.pdf")
    found = services.accounting(actor=user, client=client)
    return [
        {
            "date": e.day,
            "recipient": e.recipient,
            "recipient_address": e.recipient_address,
            "description": e.description,
            "purpose": e.purpose,
        }
        for e in found.entries
    ]


@router.get("/clients/{client_id}/record", response={200: None} | ERRORS)
@allows("record.export")
def client_record(request: HttpRequest, client_id: ObjectId, format: Literal["fhir", "pdf"] = "fhir") -> HttpResponse:
    """The client's official record (the designated record set) as a FHIR R4 Bundle or PDF: never a psychotherapy
    note."""
    user = acting_user(request)
    data = services.client_record(actor=user, client=visible_client(user, client_id), fmt=format)
    if format == "pdf":
        return _file(data, "application/pdf", f"record-{client_id}.pdf")
    return _file(data, "application/fhir+json", f"record-{client_id}.json")


# --- Records requests ----------------------------------------------------------------------------------------------


class AccessRequestIn(In):
    received_on: IsoDate
    format: Literal["pdf", "fhir"] = "pdf"


class ExtendIn(In):
    reason: Annotated[StrictStr, bounded(500, required=True)]


class AccessRequestOut(Schema):
    id: int
    client_id: int
    received_on: date
    due_on: date
    extended_on: date | None
    extension_reason: str
    format: str
    fulfilled_on: date | None


@router.post("/clients/{client_id}/access-requests", response={201: AccessRequestOut} | ERRORS)
@allows("access_request.record")
def create_access_request(request: HttpRequest, client_id: ObjectId, payload: AccessRequestIn) -> Status[Any]:
    user = acting_user(request)
    client = visible_client(user, client_id)
    made = services.record_access_request(
        actor=user, client=client, received_on=payload.received_on, fmt=payload.format
    )
    return Status(201, made)


@router.get("/clients/{client_id}/access-requests", response={200: list[AccessRequestOut]} | ERRORS)
@allows("disclosure.list")
def list_access_requests(request: HttpRequest, client_id: ObjectId) -> list[AccessRequest]:
    user = acting_user(request)
    return services.list_access_requests(actor=user, client=visible_client(user, client_id))


@router.post("/access-requests/{request_id}/extend", response={200: AccessRequestOut} | ERRORS)
@allows("access_request.record")
def extend_access_request(request: HttpRequest, request_id: ObjectId, payload: ExtendIn) -> AccessRequest:
    return services.extend_access_request(actor=acting_user(request), request_id=request_id, reason=payload.reason)


def _file(data: bytes, content_type: str, name: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline or content_type == "application/pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
