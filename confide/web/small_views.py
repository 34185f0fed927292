"""Small pages: the billing filters and their CSV export, and the favicon's old address.

The billing page itself is `views.billing`; it and the export read the same filters (`BillingFilterForm`) so the CSV
holds exactly the rows the page lists, on every page.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.utils import formats, timezone
from django.views.decorators.http import require_GET

from confide.access import PUBLIC, allows
from confide.audit.services import record
from confide.lib.replica import replica_reads
from confide.sessions.models import Setting, TherapySession
from confide.web import queries
from confide.web.guards import acting_user, client_ip, signed_in
from confide.web.office_forms import DateInput, DayField


class BillingFilterForm(forms.Form):
    """`?start=&end=&clinician=&state=` on the billing page and its export; every filter optional."""

    start = DayField(required=False, label="From", widget=DateInput())
    end = DayField(required=False, label="To", widget=DateInput())
    clinician = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Clinician")
    state = forms.ChoiceField(required=False, label="Status")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = queries.billing_clinicians()
        clinician, state = self.fields["clinician"], self.fields["state"]
        assert isinstance(clinician, forms.ChoiceField) and isinstance(state, forms.ChoiceField)
        clinician.choices = [("", "All clinicians"), *((u.pk, u.display_name) for u in people)]
        state.choices = [("", "Any status"), *queries.BILLING_STATES.items()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end of the range is before its start: choose a later date.")
        return cleaned

    def filters(self) -> queries.BillingFilters:
        """The filters asked for; an unbound form (no query string) asks for none."""
        if not self.is_bound:
            return queries.BillingFilters()
        data = self.cleaned_data
        return queries.BillingFilters(data["start"], data["end"], data["clinician"], data["state"] or "")

    def problems(self) -> str:
        """The form's errors as one sentence each, for the CSV's plain-text refusal."""
        return " ".join(
            f"{self.fields[name].label}: {' '.join(str(e) for e in errors)}" for name, errors in self.errors.items()
        )


def billing_form(request: HttpRequest) -> BillingFilterForm:
    # The page's own links add `page=`; a form with nothing but that is the unfiltered list.
    asked = {key: value for key, value in request.GET.items() if key != "page"}
    return BillingFilterForm(request.GET if asked else None)


# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): = + - @, and tab or carriage return, which
# some spreadsheets strip before looking for the same characters.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = (
    "Date",
    "Start",
    "Minutes",
    "Client",
    "Client ID",
    "Clinician",
    "Service",
    "CPT codes",
    "Code check",
    "Place of service",
    "Modifier",
    "Diagnoses",
    "Status",
)


def csv_cell(value: object) -> str:
    """`value` as a CSV cell that a spreadsheet shows as text: a leading apostrophe before a formula character."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def billing_csv_row(session: TherapySession) -> list[str]:
    """One exported row: dates, codes and diagnoses; never narrative (164.502(b) minimum necessary)."""
    starts = timezone.localtime(session.starts_at)
    state: str = getattr(session, "billing_state", "")
    cells: list[object] = [
        formats.date_format(starts.date(), "SHORT_DATE_FORMAT"),
        formats.time_format(starts.time(), "TIME_FORMAT"),
        session.duration_minutes,
        session.client.name,
        session.client_id,
        session.clinician.display_name,
        session.get_service_display(),
        " ".join(session.cpt_codes or []),
        session.cpt_flag,
        session.place_of_service,
        "95" if session.setting == Setting.TELEHEALTH else "",
        " ".join(d.code for d in queries.diagnoses_on_day(session)),
        queries.BILLING_STATES.get(state, state),
    ]
    return [csv_cell(cell) for cell in cells]


def billing_csv(rows: list[TherapySession]) -> str:
    """The CSV text: a byte-order mark so spreadsheets read accented names as UTF-8, then RFC 4180 quoting."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(billing_csv_row(session) for session in rows)
    return out.getvalue()


@require_GET
@signed_in
@allows("billing.view")
def billing_export(request: HttpRequest) -> HttpResponse:
    """The billing page's filtered rows, every page of them, as CSV; audited with the filters and the row count."""
    form = billing_form(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            f"These filters cannot be used: {form.problems()}", status=400, content_type="text/plain; charset=utf-8"
        )
    filters = form.filters()
    with replica_reads():  # an export may be seconds behind (docs/operations.md, "A streaming replica")
        rows = list(queries.billing_sessions(acting_user(request), filters))
        body = billing_csv(rows)
    record(
        "confide.billing.exported",
        actor=acting_user(request),
        ip=client_ip(request),
        detail={"rows": len(rows), "filters": filters.for_audit()},
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="billing-{date.today().isoformat()}.csv"'
    return response


@require_GET
@allows(PUBLIC)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico before they read the page's <link rel="icon">: send them to the SVG."""
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))
