"""Parsing the calendar's forms: which view, booking (one session or a series), moving, cancelling, the link.

Forms check shape (dates, times, choices, lengths); the services in confide/sessions/services.py check the rules
(overlaps, discharge, signed notes) and their refusals come back as form errors.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from confide.clients.models import Client
from confide.people.models import User
from confide.sessions import recurrence
from confide.sessions.calendar import View, schedulable_clients
from confide.web.office_forms import DateInput, DayField, ScheduleForm, TimeInput

if TYPE_CHECKING:
    _ClientChoiceField = forms.ModelChoiceField[Client]
else:
    _ClientChoiceField = forms.ModelChoiceField  # generic only to the type checker


class ClientField(_ClientChoiceField):
    def label_from_instance(self, obj: Client) -> str:
        return f"{obj.last_name}, {obj.first_name}"


class CalendarForm(forms.Form):
    """`?view=week&day=2026-12-04&clinician=3`: anything unreadable falls back to this week, everyone."""

    view = forms.ChoiceField(choices=[(v.value, v.value.title()) for v in View], required=False)
    day = DayField(required=False, label="Go to date", widget=DateInput())
    clinician = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def chosen(self) -> tuple[View, date, int | None]:
        data = self.cleaned_data if self.is_valid() else {}
        view = View(data.get("view") or View.WEEK)
        return view, data.get("day") or timezone.localdate(), data.get("clinician")


REPEAT = [("", "Does not repeat"), ("1", "Every week"), ("2", "Every other week")]
ENDS = [("count", "After a number of sessions"), ("until", "On a date")]


class BookingForm(ScheduleForm):
    """A new session, or a series: the front office's schedule form plus the client, the link and recurrence."""

    field_order = ["client", "day", "start", "end", "clinician", "service", "setting"]
    client = ClientField(queryset=Client.objects.none())
    telehealth_link = forms.URLField(
        max_length=500,
        required=False,
        assume_scheme="https",
        label="Telehealth link",
        help_text="The video room's https:// address, for a telehealth session.",
    )
    repeat = forms.ChoiceField(choices=REPEAT, required=False, label="Repeats")
    ends = forms.ChoiceField(choices=ENDS, required=False, initial="count", widget=forms.RadioSelect, label="Ends")
    count = forms.IntegerField(
        required=False, min_value=2, max_value=recurrence.MAX_OCCURRENCES, label="Number of sessions"
    )
    until = DayField(required=False, label="Last date", widget=DateInput())
    confirm_overlap = forms.BooleanField(required=False, label="Book it even though it overlaps another session")

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["client"].queryset = schedulable_clients(actor)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "End after the start time.")
        if data.get("repeat"):
            if data.get("ends") == "until":
                if not data.get("until"):
                    self.add_error("until", "Enter the last date of the series.")
            elif not data.get("count"):
                self.add_error("count", "Enter how many sessions the series has (2 to 52).")
        return data

    def rule(self) -> recurrence.Rule | None:
        data = self.cleaned_data
        if not data.get("repeat"):
            return None
        until = data.get("until") if data.get("ends") == "until" else None
        count = None if until else data.get("count")
        return recurrence.Rule(data["day"], int(data["repeat"]), count=count, until=until)

    def minutes(self) -> int:
        starts_at, ends_at = self.times()
        return int((ends_at - starts_at).total_seconds() // 60)


class MoveForm(forms.Form):
    day = DayField(label="New date", widget=DateInput())
    start = forms.TimeField(label="New start time", widget=TimeInput())
    end = forms.TimeField(label="New end time", widget=TimeInput())
    confirm_overlap = forms.BooleanField(required=False, label="Move it even though it overlaps another session")

    def times(self) -> tuple[datetime, datetime]:
        zone = timezone.get_default_timezone()
        data = self.cleaned_data
        return (
            timezone.make_aware(datetime.combine(data["day"], data["start"]), zone),
            timezone.make_aware(datetime.combine(data["day"], data["end"]), zone),
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        label="Reason",
        help_text="Shown on the calendar, e.g. “Client ill” or “Clinic closed”. No clinical detail.",
    )


class LinkForm(forms.Form):
    telehealth_link = forms.URLField(max_length=500, required=False, assume_scheme="https", label="Telehealth link")
