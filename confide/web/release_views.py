"""Release of information on the chart: authorizations and their signed forms, records requests and their deadline,
releases (choose, review, release), the released packages and their pages, the accounting and the client's copy.

Views are about HTTP only (docs/architecture.md): parse a form, call one service of confide/disclosures/services.py,
choose the response. The services check access (`require`) and the release rules; a refusal the person can fix
(`Correctable`) comes back beside the form with its status (422, 409); NotFound and Forbidden become the 404 and 403
pages through the web error middleware (confide/web/guards.py). Templates hide what the user may not do with
`{% can %}`; no view or template looks at a role.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confide.access import allows, can, require
from confide.amendments import services as amendments
from confide.clients import services as clients
from confide.clients.models import Client
from confide.disclosures import documents, gather
from confide.disclosures import services as disclosures
from confide.disclosures.models import AccessRequest, Authorization, Disclosure
from confide.lib.errors import Correctable, NotFound, RuleViolation
from confide.lib.text import as_sentence
from confide.people.models import User
from confide.vault.credential import credential_from_request
from confide.web import release_forms as forms
from confide.web.guards import acting_user, signed_in

# The client's copy comes in the form the client asked for; a page asks for PDF unless told otherwise.
FORMATS = {"pdf": ("application/pdf", "pdf"), "fhir": ("application/fhir+json", "json")}


def _file(data: bytes, content_type: str, name: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _status(form: Any = None, error: Correctable | None = None) -> int:
    if error is not None:
        return error.status
    return 422 if form is not None and form.errors else 200


def _amendments(
    user: User, client: Client, today: date, bound: forms.AmendmentTextForm | forms.AmendmentDenyForm | None
) -> list[dict[str, Any]] | None:
    """The chart's amendment requests, each with the answers this user may give it now (a refused form keeps its
    input and its errors: `bound`)."""
    if not can(user, "amendment.list", client):
        return None
    may_request = can(user, "amendment.request", client)

    def form(made: Any) -> Any:
        return bound if bound is not None and bound.prefix == made.prefix else made

    rows = []
    for r in amendments.list_requests(actor=user, client=client):
        said = amendments.statements_of(r)
        decide = can(user, "amendment.decide", r)
        pending = r.status == "pending"
        text = forms.AmendmentTextForm
        actions = [
            (
                "extend",
                text(request_id=r.pk, action="extend"),
                "amendment_extend",
                "Extend by 30 days",
                decide and pending and not r.extended_on and today <= r.due_on,
            ),
            (
                "accept",
                text(request_id=r.pk, action="accept"),
                "amendment_accept",
                "Accept",
                decide and pending,
            ),
            ("deny", forms.AmendmentDenyForm(request_id=r.pk), "amendment_deny", "Deny", decide and pending),
            (
                "disagreement",
                text(request_id=r.pk, action="disagreement"),
                "amendment_disagreement",
                "Record the client's disagreement",
                may_request and r.status == "denied" and "disagreement" not in said,
            ),
            (
                "rebuttal",
                text(request_id=r.pk, action="rebuttal"),
                "amendment_rebuttal",
                "Rebut",
                decide and "disagreement" in said and "rebuttal" not in said,
            ),
        ]
        rows.append(
            {
                "req": r,
                "said": said,
                "overdue": pending and r.due_on < today,
                "actions": [
                    (action, form(made), reverse(f"web:{name}", kwargs={"request_id": r.pk}), button)
                    for action, made, name, button, allowed in actions
                    if allowed
                ],
            }
        )
    return rows


# --- The release-of-information tab --------------------------------------------------------------------------------


def _open_requests(requests: list[AccessRequest]) -> list[AccessRequest]:
    return sorted((r for r in requests if r.fulfilled_on is None), key=lambda r: (r.received_on, r.pk))


def render_tab(
    request: HttpRequest,
    client: Client,
    *,
    status: int = 200,
    request_form: forms.AccessRequestForm | None = None,
    revoke_form: forms.RevokeForm | None = None,
    extend_form: forms.ExtendForm | None = None,
    amendment_form: forms.AmendmentRequestForm | None = None,
    amendment_answer: forms.AmendmentTextForm | forms.AmendmentDenyForm | None = None,
    error_for: str = "",
    error: str = "",
) -> HttpResponse:
    """The tab, with one form's errors beside it when a POST was refused (`error_for` names the place)."""
    user = acting_user(request)
    today = timezone.localdate()
    authorizations = (
        disclosures.list_authorizations(actor=user, client=client) if can(user, "authorization.list", client) else None
    )
    made = disclosures.list_disclosures(actor=user, client=client)
    requests = disclosures.list_access_requests(actor=user, client=client)
    auth_rows = [
        {
            "auth": a,
            "state": a.state_on(today),
            "information": forms.category_words(list(a.information)),
            "revoke": revoke_form
            if revoke_form is not None and revoke_form.prefix == f"revoke-{a.pk}"
            else forms.RevokeForm(authorization=a, initial={"revoked_on": today}),
        }
        for a in authorizations or []
    ]
    request_rows = [
        {
            "req": r,
            "overdue": r.fulfilled_on is None and r.due_on < today,
            "soon": r.fulfilled_on is None and today <= r.due_on <= date.fromordinal(today.toordinal() + 7),
            "may_extend": r.fulfilled_on is None and r.extended_on is None and today <= r.due_on,
            "extend": extend_form
            if extend_form is not None and extend_form.prefix == f"extend-{r.pk}"
            else forms.ExtendForm(request_id=r.pk),
        }
        for r in requests
    ]
    disclosure_rows = [
        {"d": d, "basis": gather.BASIS_LABELS.get(d.basis, d.basis), "items": len(d.items), "withheld": len(d.withheld)}
        for d in made
    ]
    context = {
        "client": client,
        "today": today,
        "authorizations": auth_rows if authorizations is not None else None,
        "requests": request_rows,
        "open_requests": _open_requests(requests),
        "disclosures": disclosure_rows,
        "request_form": request_form or forms.AccessRequestForm(initial={"received_on": today}),
        "amendments": _amendments(user, client, today, amendment_answer),
        "amendment_form": amendment_form
        or (
            forms.AmendmentRequestForm(client=client, initial={"received_on": today})
            if can(user, "amendment.request", client)
            else None
        ),
        "error_for": error_for,
        "error": error,
        "nav": "clients",
    }
    return render(request, "web/release/tab.html", context, status=status)


@require_GET
@signed_in
@allows("disclosure.list")
def release_tab(request: HttpRequest, client_id: int) -> HttpResponse:
    client = clients.visible_client(acting_user(request), client_id)
    return render_tab(request, client)


@require_POST
@signed_in
@allows("access_request.record")
def access_request_new(request: HttpRequest, client_id: int) -> HttpResponse:
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    form = forms.AccessRequestForm(request.POST)
    if form.is_valid():
        try:
            made = disclosures.record_access_request(
                actor=user, client=client, received_on=form.cleaned_data["received_on"], fmt=form.cleaned_data["format"]
            )
        except Correctable as error:
            form.add_error(None, as_sentence(error.detail))
            return render_tab(request, client, status=error.status, request_form=form)
        messages.success(request, f"Records request logged. It is due by {made.due_on:%B %-d, %Y}.")
        return redirect("web:release_tab", client_id=client.pk)
    return render_tab(request, client, status=422, request_form=form)


@require_POST
@signed_in
@allows("access_request.record")
def access_request_extend(request: HttpRequest, request_id: int) -> HttpResponse:
    user = acting_user(request)
    found = AccessRequest.objects.filter(pk=request_id).values_list("client_id", flat=True).first()
    if found is None:
        raise NotFound("no such records request")
    client = clients.visible_client(user, found)
    require(user, "access_request.record", client, audit=False)  # refused before the form is read
    form = forms.ExtendForm(request.POST, request_id=request_id)
    if form.is_valid():
        try:
            req = disclosures.extend_access_request(
                actor=user, request_id=request_id, reason=form.cleaned_data["reason"]
            )
        except Correctable as error:
            form.add_error(None, as_sentence(error.detail))
            return render_tab(request, client, status=error.status, extend_form=form)
        messages.success(request, f"Extended once, to {req.due_on:%B %-d, %Y}. Tell the client why in writing.")
        return redirect("web:release_tab", client_id=client.pk)
    return render_tab(request, client, status=422, extend_form=form)


# --- Authorizations ------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@signed_in
@allows("authorization.record")
def authorization_new(request: HttpRequest, client_id: int) -> HttpResponse:
    """Record a signed authorization, or print the same fields as a form for the client to sign."""
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    require(user, "authorization.record", client, audit=False)  # the form lists the chart's contacts
    form = forms.AuthorizationForm(request.POST or None, client=client)
    error: Correctable | None = None
    if request.method == "POST" and form.is_valid():
        printing = request.POST.get("action") == "print"
        try:
            if printing:
                pdf = disclosures.authorization_form(actor=user, client=client, data=form.data_for_service())
                return _file(pdf, "application/pdf", f"authorization-form-{client.pk}.pdf", inline=True)
            made = disclosures.record_authorization(actor=user, client=client, data=form.data_for_service())
        except Correctable as refused:
            error = refused
            form.add_error(None, as_sentence(refused.detail))
        else:
            messages.success(request, "Authorization recorded. Attach the scanned signed form.")
            return redirect("web:release_document_upload", authorization_id=made.pk)
    context = {"form": form, "client": client, "nav": "clients"}
    return render(request, "web/release/authorization_new.html", context, status=_status(form, error))


def _visible_authorization(user: User, authorization_id: int, verb: str) -> Authorization:
    """The authorization when its chart is in reach (404 otherwise) and the verb allows it (403)."""
    client_id = Authorization.objects.filter(pk=authorization_id).values_list("client_id", flat=True).first()
    if client_id is None:
        raise NotFound("no such authorization")
    clients.visible_client(user, client_id)
    return disclosures.visible_authorization(user, authorization_id, verb)


@require_http_methods(["GET", "POST"])
@signed_in
@allows("authorization.record")
def document_upload(request: HttpRequest, authorization_id: int) -> HttpResponse:
    user = acting_user(request)
    auth = _visible_authorization(user, authorization_id, "authorization.record")
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    error: Correctable | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            if upload.size is not None and upload.size > documents.max_bytes():
                raise RuleViolation(
                    f"the signed form may be at most {documents.max_bytes() // 1_000_000} MB", "document_too_large"
                )
            disclosures.attach_document(
                actor=user, authorization_id=auth.pk, data=upload.read(documents.max_bytes() + 1)
            )
        except Correctable as refused:
            error = refused
            form.add_error("document", as_sentence(refused.detail))
        else:
            messages.success(request, "Signed form attached; its SHA-256 is kept with the authorization.")
            return redirect("web:release_tab", client_id=auth.client_id)
    context = {
        "form": form,
        "auth": auth,
        "client": auth.client,
        "information": forms.category_words(list(auth.information)),
        "nav": "clients",
    }
    return render(request, "web/release/document_upload.html", context, status=_status(form, error))


@require_GET
@signed_in
@allows("authorization.document.read")
def document_view(request: HttpRequest, authorization_id: int) -> HttpResponse:
    user = acting_user(request)
    _visible_authorization(user, authorization_id, "authorization.document.read")
    data, content_type = disclosures.document(actor=user, authorization_id=authorization_id)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg", "image/tiff": "tif"}
    name = f"authorization-{authorization_id}.{extension.get(content_type, 'bin')}"
    return _file(data, content_type, name, inline=True)


@require_POST
@signed_in
@allows("authorization.record")
def authorization_revoke(request: HttpRequest, authorization_id: int) -> HttpResponse:
    user = acting_user(request)
    auth = _visible_authorization(user, authorization_id, "authorization.record")
    form = forms.RevokeForm(request.POST, authorization=auth)
    if form.is_valid():
        try:
            disclosures.revoke_authorization(
                actor=user, authorization_id=auth.pk, revoked_on=form.cleaned_data["revoked_on"]
            )
        except Correctable as error:
            form.add_error(None, as_sentence(error.detail))
            return render_tab(request, auth.client, status=error.status, revoke_form=form)
        messages.success(request, f"Authorization to {auth.recipient} revoked: nothing more may go under it.")
        return redirect("web:release_tab", client_id=auth.client_id)
    return render_tab(request, auth.client, status=422, revoke_form=form)


# --- Releasing records: choose, review, release --------------------------------------------------------------------


def _release_form(
    request: HttpRequest, user: User, client: Client, data: Any = None, *, authorization: str = ""
) -> forms.ReleaseForm:
    """The request form; `authorization` (an id from "Release under it") fills in what that authorization names."""
    authorizations = (
        disclosures.list_authorizations(actor=user, client=client) if can(user, "authorization.list", client) else []
    )
    initial: dict[str, Any] = {}
    chosen = next((a for a in authorizations if str(a.pk) == authorization), None)
    if chosen is not None:
        initial = {
            "basis": "authorization",
            "authorization": chosen.pk,
            "recipient_name": chosen.recipient,
            "recipient_address": chosen.recipient_address,
            "include": list(chosen.information),
        }
    return forms.ReleaseForm(
        data, client=client, authorizations=authorizations, today=timezone.localdate(), initial=initial
    )


def _step_one(
    request: HttpRequest, client: Client, form: forms.ReleaseForm, error: Correctable | None = None
) -> HttpResponse:
    context = {"form": form, "client": client, "nav": "clients"}
    return render(request, "web/release/release_new.html", context, status=_status(form, error))


def _withheld_rows(withheld: list[dict[str, Any]]) -> list[dict[str, Any]]:
    words = {
        "progress_note": "Progress note",
        "psychotherapy_note": "Psychotherapy note",
        "measure": "Measure",
        "summary": "Treatment summary",
        "diagnosis": "Diagnosis",
        "treatment_plan": "Treatment plan",
        "session": "Session",
    }
    return [{**w, "what": words.get(w["kind"], w["kind"].replace("_", " "))} for w in withheld]


def _released_counts(items: list[dict[str, Any]]) -> list[tuple[str, int]]:
    words = {
        "progress_note": ("progress note", "progress notes"),
        "psychotherapy_note": ("psychotherapy note", "psychotherapy notes"),
        "measure": ("measure", "measures"),
        "summary": ("treatment summary", "treatment summaries"),
        "diagnosis": ("diagnosis", "diagnoses"),
        "treatment_plan": ("treatment plan", "treatment plans"),
        "session": ("session", "sessions"),
    }
    counts: dict[str, int] = {}
    for item in items:
        counts[item["kind"]] = counts.get(item["kind"], 0) + 1
    return [(words.get(k, (k, k))[0 if n == 1 else 1], n) for k, n in counts.items()]


@require_http_methods(["GET", "POST"])
@signed_in
@allows("disclosure.prepare")
def release_new(request: HttpRequest, client_id: int) -> HttpResponse:
    """Step 1 (GET, or POST "change"): the request. POST "review": step 2, what would go and what not, and why;
    nothing is built, decrypted or recorded but the look (services.preview)."""
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    require(user, "disclosure.prepare", client, audit=False)  # the form lists the chart's contacts
    if request.method == "GET":
        chosen = request.GET.get("authorization", "")[:20]
        return _step_one(request, client, _release_form(request, user, client, authorization=chosen))
    form = _release_form(request, user, client, request.POST)
    if not form.is_valid() or request.POST.get("action") == "change":
        return _step_one(request, client, form)
    try:
        plan = disclosures.preview(actor=user, client=client, data=form.data_for_service())
    except Correctable as error:
        form.add_error(None, as_sentence(error.detail))
        return _step_one(request, client, form, error)
    shown = disclosures.plan_out(plan)
    form.auto_id = False  # the review carries the request on as hidden fields, twice: no ids to clash
    context = {
        "form": form,
        "client": client,
        "plan": shown,
        "basis_label": gather.BASIS_LABELS.get(shown["basis"], shown["basis"]),
        "recipient_address": plan.recipient_address,
        "released": _released_counts(shown["items"]),
        "withheld": _withheld_rows(shown["withheld"]),
        "include": forms.category_words(shown["include"]),
        "span": form.cleaned_data["span_from"] or form.cleaned_data["span_to"],
        "nav": "clients",
    }
    return render(request, "web/release/review.html", context, status=200 if shown["allowed"] else 422)


@require_POST
@signed_in
@allows("disclosure.prepare")
def release_make(request: HttpRequest, client_id: int) -> HttpResponse:
    """Step 3: build the package (PDF and FHIR), record what went and its hashes; then the result page."""
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    require(user, "disclosure.prepare", client, audit=False)
    form = _release_form(request, user, client, request.POST)
    if not form.is_valid():
        return _step_one(request, client, form)
    try:
        made = disclosures.disclose(
            actor=user, credential=credential_from_request(request), client=client, data=form.data_for_service()
        )
    except Correctable as error:
        form.add_error(None, as_sentence(error.detail))
        return _step_one(request, client, form, error)
    messages.success(request, f"Released to {made.recipient_name}. The package is recorded with its SHA-256.")
    return redirect("web:release_disclosure", disclosure_id=made.pk)


@require_POST
@signed_in
@allows("disclosure.prepare")
def client_copy(request: HttpRequest, client_id: int) -> HttpResponse:
    """The client's own copy in one step: a right-of-access release to the client, answering the oldest open
    records request if there is one."""
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    require(user, "disclosure.prepare", client, audit=False)
    oldest = _open_requests(disclosures.list_access_requests(actor=user, client=client))
    data = disclosures.ReleaseInput(
        recipient_name=client.name,
        recipient_address=client.address,
        basis="right_of_access",
        purpose="At the request of the individual",
        access_request_id=oldest[0].pk if oldest else None,
    )
    try:
        made = disclosures.disclose(actor=user, credential=credential_from_request(request), client=client, data=data)
    except Correctable as error:
        return render_tab(
            request,
            client,
            status=error.status,
            error_for="client_copy",
            error=as_sentence(error.detail),
        )
    answered = f" It answers the records request received {oldest[0].received_on:%B %-d, %Y}." if oldest else ""
    messages.success(request, f"The client's copy is made.{answered}")
    return redirect("web:release_disclosure", disclosure_id=made.pk)


# --- A release and its package -------------------------------------------------------------------------------------


def _disclosure(request: HttpRequest, disclosure_id: int) -> Disclosure:
    """The disclosure when its chart is in reach (404 otherwise) and among the chart's releases the user may list
    (the service checks and audits the listing)."""
    user = acting_user(request)
    client_id = Disclosure.objects.filter(pk=disclosure_id).values_list("client_id", flat=True).first()
    if client_id is None:
        raise NotFound("no such disclosure")
    client = clients.visible_client(user, client_id)
    found = next((d for d in disclosures.list_disclosures(actor=user, client=client) if d.pk == disclosure_id), None)
    if found is None:
        raise NotFound("no such disclosure")
    found.client = client
    return found


def _page_number(request: HttpRequest) -> int | None:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdecimal() and len(raw) <= 6 and int(raw) >= 1 else None


@require_GET
@signed_in
@allows("disclosure.list")
def disclosure_page(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    """What went, what was withheld and why, the package's hashes, and its pages one at a time (?page=N)."""
    user = acting_user(request)
    d = _disclosure(request, disclosure_id)
    page = _page_number(request) or 1
    page = min(page, max(d.pdf_pages, 1))
    context = {
        "d": d,
        "client": d.client,
        "basis_label": gather.BASIS_LABELS.get(d.basis, d.basis),
        "released": _released_counts(list(d.items)),
        "withheld": _withheld_rows(list(d.withheld)),
        "include": forms.category_words(list(d.include)),
        "may_fetch": can(user, "disclosure.package.read", d),
        "page": page,
        "pages": d.pdf_pages,
        "previous": page - 1 if page > 1 else None,
        "next": page + 1 if page < d.pdf_pages else None,
        "nav": "clients",
    }
    return render(request, "web/release/disclosure.html", context)


def _package(request: HttpRequest, disclosure_id: int, part: str) -> bytes:
    return disclosures.package_file(
        actor=acting_user(request),
        credential=credential_from_request(request),
        disclosure_id=disclosure_id,
        part=part,
    )


@require_GET
@signed_in
@allows("disclosure.package.read")
def package_pdf(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    data = _package(request, disclosure_id, "pdf")
    return _file(data, "application/pdf", f"disclosure-{disclosure_id}.pdf")


@require_GET
@signed_in
@allows("disclosure.package.read")
def package_fhir(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    data = _package(request, disclosure_id, "fhir")
    return _file(data, "application/fhir+json", f"disclosure-{disclosure_id}.json")


@require_GET
@signed_in
@allows("disclosure.package.read")
def package_page(request: HttpRequest, disclosure_id: int) -> HttpResponse:
    """Page N of the package as a PNG: one fetch of the package (checked and audited by the service) per image."""
    page = _page_number(request)
    if page is None:
        raise NotFound("no such page")
    data = _package(request, disclosure_id, "pdf")
    from confide.disclosures.pages import page_png

    pages = Disclosure.objects.filter(pk=disclosure_id).values_list("pdf_pages", flat=True).first() or 0
    if page > pages:
        raise NotFound("no such page")
    return _file(bytes(page_png(data, page)), "image/png", f"disclosure-{disclosure_id}-page-{page}.png", inline=True)


# --- The accounting and the client's own record --------------------------------------------------------------------


@require_GET
@signed_in
@allows("disclosure.accounting")
def accounting(request: HttpRequest, client_id: int) -> HttpResponse:
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    found = disclosures.accounting(actor=user, client=client, fmt="html")
    context = {"client": client, "accounting": found, "nav": "clients"}
    return render(request, "web/release/accounting.html", context)


@require_GET
@signed_in
@allows("disclosure.accounting")
def accounting_pdf(request: HttpRequest, client_id: int) -> HttpResponse:
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    pdf = disclosures.accounting_pdf(actor=user, client=client)
    return _file(pdf, "application/pdf", f"accounting-{client.pk}.pdf")


@require_GET
@signed_in
@allows("record.export")
def client_record(request: HttpRequest, client_id: int) -> HttpResponse:
    """The client's designated record set (never a psychotherapy note): `?format=pdf` (the default) or `fhir`."""
    user = acting_user(request)
    client = clients.visible_client(user, client_id)
    fmt = request.GET.get("format", "pdf")
    if fmt not in FORMATS:
        fmt = "pdf"
    data = disclosures.client_record(actor=user, client=client, fmt=fmt)
    content_type, extension = FORMATS[fmt]
    return _file(data, content_type, f"record-{client.pk}.{extension}")
