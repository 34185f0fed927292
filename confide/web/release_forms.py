"""Parsing the release-of-information forms: authorizations, their signed forms, records requests and releases.

Forms check shape (lengths, dates, choices among the chart's own contacts and authorizations); the services in
confide/disclosures/services.py check the rules (164.508(c), the release rules) and their refusals come back beside
the form.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from confide.clients.models import Client
from confide.disclosures import gather
from confide.disclosures import services as disclosures
from confide.disclosures.models import Authorization, AuthorizationKind, SignedBy
from confide.disclosures.rules import Basis, Category
from confide.lib.text import as_sentence, text_problem
from confide.web.office_forms import DateInput, DayField

# What each category of information is called on the pages, in the order the forms offer them.
CATEGORY_LABELS: dict[str, str] = {
    Category.PROGRESS_NOTES.value: "Progress notes",
    Category.SESSIONS.value: "Sessions (dates, services and codes)",
    Category.DIAGNOSES.value: "Diagnoses",
    Category.TREATMENT_PLAN.value: "Treatment plan",
    Category.MEASURES.value: "Measures (scores)",
    Category.SUMMARIES.value: "Treatment summaries",
    Category.PSYCHOTHERAPY_NOTES.value: "Psychotherapy notes",
}
CATEGORY_CHOICES = list(CATEGORY_LABELS.items())

# Every basis of confide.disclosures.rules, in words (the labels the package's cover letter uses).
BASIS_CHOICES = [(b.value, gather.BASIS_LABELS.get(b.value, b.value.replace("_", " "))) for b in Basis]

NEW_RECIPIENT = ""


def category_words(values: list[str]) -> str:
    return ", ".join(CATEGORY_LABELS.get(v, v.replace("_", " ")).lower() for v in values)


class _TextChecked(forms.Form):
    """Refuses text no database stores (NUL, half a surrogate pair) with a message beside the field."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and (problem := text_problem(value)):
                self.add_error(name, as_sentence(problem))
        return cleaned


def _contact_choices(client: Client) -> list[tuple[str, str]]:
    rows = client.contacts.order_by("name", "pk")
    return [
        (str(x.pk), f"{x.name}{', ' + x.organization if x.organization else ''} ({x.get_kind_display().lower()})")
        for x in rows
    ]


class AuthorizationForm(_TextChecked):
    """Every element 164.508(c) asks of an authorization; the service says which one is missing."""

    kind = forms.ChoiceField(
        choices=AuthorizationKind.choices,
        widget=forms.RadioSelect,
        initial=AuthorizationKind.GENERAL,
        label="Kind of authorization",
    )
    contact = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Recipient from the chart's outside contacts",
        help_text="Or leave this on “A new recipient” and type the name below.",
    )
    recipient = forms.CharField(max_length=200, required=False, label="New recipient's name")
    recipient_address = forms.CharField(
        max_length=300,
        required=False,
        label="Recipient's address or organization",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    purpose = forms.CharField(
        max_length=500,
        required=False,
        label="Purpose of the disclosure",
        help_text="For example “Coordination of care”, or “At the request of the individual”.",
    )
    information = forms.MultipleChoiceField(
        choices=CATEGORY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Information that may be disclosed",
    )
    information_detail = forms.CharField(
        max_length=500, required=False, label="Narrower description, if any", help_text="For example a date range."
    )
    expires_on = DayField(required=False, label="Expires on", widget=DateInput())
    expiry_event = forms.CharField(
        max_length=300,
        required=False,
        label="Or expires on this event",
        help_text="For example “End of the current course of treatment”.",
    )
    signed_on = DayField(
        required=False,
        label="Signed on",
        widget=DateInput(),
        help_text="Leave empty to print the form for signature.",
    )
    signed_by = forms.ChoiceField(
        choices=SignedBy.choices, widget=forms.RadioSelect, initial=SignedBy.CLIENT, label="Signed by"
    )
    representative_name = forms.CharField(max_length=200, required=False, label="Personal representative's name")
    representative_authority = forms.CharField(
        max_length=300,
        required=False,
        label="Representative's authority to act",
        help_text="For example “Parent of a minor” or “Health care power of attorney”.",
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        field = self.fields["contact"]
        field.choices = [(NEW_RECIPIENT, "A new recipient (type below)"), *_contact_choices(client)]  # type: ignore[attr-defined]

    def data_for_service(self) -> disclosures.AuthorizationInput:
        data = self.cleaned_data
        recipient, address = data["recipient"], data["recipient_address"]
        if data["contact"] is not None:
            contact = self.client.contacts.filter(pk=data["contact"]).first()
            if contact is not None:
                recipient = recipient.strip() or contact.name
                address = address.strip() or contact.organization
        return disclosures.AuthorizationInput(
            kind=data["kind"],
            recipient=recipient,
            recipient_address=address,
            purpose=data["purpose"],
            information=list(data["information"]),
            information_detail=data["information_detail"],
            expires_on=data["expires_on"],
            expiry_event=data["expiry_event"],
            signed_on=data["signed_on"],
            signed_by=data["signed_by"],
            representative_name=data["representative_name"],
            representative_authority=data["representative_authority"],
        )


class DocumentForm(forms.Form):
    document = forms.FileField(
        label="Scanned signed form",
        help_text="A PDF or an image (PNG, JPEG or TIFF), as signed.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg,image/tiff"}),
    )


class RevokeForm(forms.Form):
    revoked_on = DayField(label="Revocation received on", widget=DateInput())

    def __init__(self, *args: Any, authorization: Authorization, **kwargs: Any) -> None:
        kwargs["prefix"] = f"revoke-{authorization.pk}"
        super().__init__(*args, **kwargs)


class AccessRequestForm(forms.Form):
    received_on = DayField(label="Request received on", widget=DateInput())
    format = forms.ChoiceField(
        choices=[("pdf", "PDF"), ("fhir", "FHIR (electronic)")], label="Form asked for", initial="pdf", required=False
    )

    prefix = "request"

    def clean_format(self) -> str:
        return str(self.cleaned_data.get("format") or "pdf")


class ExtendForm(_TextChecked):
    reason = forms.CharField(
        max_length=500,
        label="Reason for the extension",
        help_text="The client is told in writing why, and by when (164.524(b)(2)(ii)).",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, request_id: int, **kwargs: Any) -> None:
        kwargs["prefix"] = f"extend-{request_id}"
        super().__init__(*args, **kwargs)


def _authorization_label(auth: Authorization, today: date) -> str:
    state = auth.state_on(today)
    kind = "psychotherapy notes" if auth.kind == AuthorizationKind.PSYCHOTHERAPY_NOTES else "general"
    return f"{auth.recipient} — {kind}, signed {auth.signed_on.isoformat()} ({state})"


class ReleaseForm(_TextChecked):
    """Step 1 of a release: to whom, on what ground, which span, what content."""

    contact = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Recipient from the chart's outside contacts",
        help_text="Or leave this on “A new recipient” and type the name and address below.",
    )
    recipient_name = forms.CharField(max_length=200, required=False, label="New recipient's name")
    recipient_address = forms.CharField(
        max_length=300,
        required=False,
        label="Recipient's address or organization",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    basis = forms.ChoiceField(choices=BASIS_CHOICES, widget=forms.RadioSelect, label="Legal basis for the release")
    authorization = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Authorization",
        help_text="Needed when the basis is the client's written authorization.",
    )
    purpose = forms.CharField(
        max_length=500,
        required=False,
        label="Purpose",
        help_text="For example the court's case number; under an authorization, its purpose is used if left empty.",
    )
    span_from = DayField(required=False, label="Records from", widget=DateInput())
    span_to = DayField(required=False, label="Records to", widget=DateInput())
    include = forms.MultipleChoiceField(
        choices=CATEGORY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Content",
    )

    def __init__(self, *args: Any, client: Client, authorizations: list[Authorization], today: date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["contact"].choices = [  # type: ignore[attr-defined]
            (NEW_RECIPIENT, "A new recipient (type below)"),
            *_contact_choices(client),
        ]
        self.fields["authorization"].choices = [  # type: ignore[attr-defined]
            ("", "None"),
            *((str(a.pk), _authorization_label(a, today)) for a in authorizations),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors.get("include") and not cleaned.get("include"):
            self.add_error("include", "Choose at least one kind of record to release.")
        start, end = cleaned.get("span_from"), cleaned.get("span_to")
        if start and end and start > end:
            self.add_error("span_to", "The span ends before it starts.")
        return cleaned

    def data_for_service(self) -> disclosures.ReleaseInput:
        data = self.cleaned_data
        chosen = set(data["include"])
        return disclosures.ReleaseInput(
            recipient_name=data["recipient_name"],
            recipient_address=data["recipient_address"],
            contact_id=data["contact"],
            basis=data["basis"],
            authorization_id=data["authorization"],
            purpose=data["purpose"],
            span=(data["span_from"], data["span_to"]),
            include={c.value: c.value in chosen for c in Category},
        )


# --- Amendment requests (164.526) ------------------------------------------------------------------------------------


def amendable_note_choices(client: Client) -> list[tuple[str, str]]:
    """The chart's signed notes by session date and format: enough to pick one, no narrative."""
    from confide.notes.models import NoteStatus, ProgressNote

    rows = (
        ProgressNote.objects.filter(client=client)
        .exclude(status=NoteStatus.DRAFT)
        .select_related("session")
        .order_by("-session__starts_at", "-pk")[:500]
    )
    return [(str(n.pk), f"{n.session.starts_at:%b %-d, %Y} · {n.format} note") for n in rows]


class AmendmentRequestForm(_TextChecked):
    progress_note = forms.ChoiceField(label="Note the client asks to amend")
    received_on = DayField(label="Day the written request arrived", widget=DateInput())
    requested_change = forms.CharField(
        max_length=20_000,
        label="What the client asks to change",
        help_text="In the client's words, as written in the request.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    prefix = "amend"

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["progress_note"].choices = amendable_note_choices(client)  # type: ignore[attr-defined]


AMENDMENT_TEXT_LABELS = {
    "extend": "Reason for the delay",
    "accept": "The amendment, as it will be linked",
    "disagreement": "The client's statement of disagreement",
    "rebuttal": "The practice's rebuttal",
}


class AmendmentTextForm(_TextChecked):
    """One text answering a request: the extension's reason, the amendment, a statement or a rebuttal."""

    text = forms.CharField(max_length=20_000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, request_id: int, action: str, **kwargs: Any) -> None:
        kwargs["prefix"] = f"amend-{action}-{request_id}"
        super().__init__(*args, **kwargs)
        self.fields["text"].label = AMENDMENT_TEXT_LABELS[action]


class AmendmentDenyForm(_TextChecked):
    basis = forms.ChoiceField(label="Ground for the denial (164.526(a)(2))")
    text = forms.CharField(
        max_length=20_000,
        label="Explanation for the client",
        help_text="The written denial states the basis and how the client may file a statement of disagreement.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, request_id: int, **kwargs: Any) -> None:
        from confide.amendments.models import DenialBasis

        kwargs["prefix"] = f"amend-deny-{request_id}"
        super().__init__(*args, **kwargs)
        self.fields["basis"].choices = DenialBasis.choices  # type: ignore[attr-defined]
