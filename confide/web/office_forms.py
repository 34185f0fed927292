"""Parsing the front office's forms: clients, contacts, consents, sessions, diagnoses, plans and passwords.

Forms check shape (lengths, dates, choices); the services check the rules and their errors come back as form errors.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.db.models import Q, QuerySet
from django.utils import timezone

from confide.access import Rel, rule
from confide.clients.models import Client, ConsentKind, ContactKind
from confide.clients.services import EDITABLE, REASON_CHARS
from confide.lib import dates
from confide.lib.text import EARLIEST_DAY, LATEST_DAY, sane_day
from confide.people.models import Role, User
from confide.plans.models import ObjectiveStatus, TreatmentPlan
from confide.sessions.models import Service, Setting, Status
from confide.web.forms import PlainForm

# How many objectives the simple plan form offers under its one goal; more goals or problems are carried over.
PLAN_OBJECTIVES = 3


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class DayField(forms.DateField):
    """A date a record can carry: years 1900 to 2999. Year 9999 at 23:00 in the practice's zone is past the end of
    time in UTC (an OverflowError), and no session, birth or plan is dated outside this range anyway."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not sane_day(value):
            raise forms.ValidationError(f"Enter a date between {EARLIEST_DAY.year} and {LATEST_DAY.year}.")


if TYPE_CHECKING:
    _UserChoiceField = forms.ModelChoiceField[User]
else:
    _UserChoiceField = forms.ModelChoiceField  # generic only to the type checker


class ClinicianField(_UserChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


def active_clinicians() -> QuerySet[User]:
    return User.objects.filter(role=Role.CLINICIAN, is_active=True).order_by("full_name")


def birth_date_hint() -> str:
    """How to type a date of birth, in the practice's date style (confide/lib/dates.py): "Enter the date of birth as
    MM/DD/YYYY, e.g. 04/17/1988." """
    chosen = dates.style()
    return f"Enter the date of birth as {chosen.hint}, e.g. {date(1988, 4, 17).strftime(chosen.inputs[0])}."


class BirthDateField(DayField):
    """A date of birth, typed: picking 1961 from a calendar widget takes dozens of clicks. Read in the practice's
    date style (Django's DATE_INPUT_FORMATS follow DATE_STYLE: confide/web/formats), ISO too; never in the future."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Date of birth")
        kwargs.setdefault("widget", forms.DateInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError(f"The date of birth is in the future. {birth_date_hint()}")


class DemographicsForm(PlainForm):
    """The client's demographics, shared by registering and correcting. Every problem shows at once, beside its
    field; what only the service can decide comes back through `add_service_errors`."""

    first_name = forms.CharField(max_length=100, label="First name")
    last_name = forms.CharField(max_length=100, label="Last name")
    preferred_name = forms.CharField(max_length=100, required=False, label="Preferred name")
    date_of_birth = BirthDateField()
    pronouns = forms.CharField(max_length=40, required=False)
    phone = forms.CharField(max_length=40, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = forms.EmailField(required=False, max_length=254)
    address = forms.CharField(max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hint = birth_date_hint()  # read when the form is made: the date style is a setting
        self.fields["date_of_birth"].error_messages.update(required=hint, invalid=hint)

    def demographics(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("preferred_name", "pronouns", "phone", "email", "address")}


class ClientForm(DemographicsForm):
    primary_clinician = ClinicianField(queryset=User.objects.none(), label="Primary clinician")
    part2 = forms.BooleanField(
        required=False,
        label="42 CFR Part 2 records (substance-use-disorder program)",
        help_text="Exports of this chart then carry the Part 2 redisclosure notice.",
    )
    service_fields = {"primary_clinician_id": "primary_clinician"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["primary_clinician"].queryset = active_clinicians()  # type: ignore[attr-defined]


class ClientEditForm(DemographicsForm):
    """Correcting a registered client's demographics (clients.services.update_client)."""

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {name: getattr(client, name) for name in EDITABLE})
        super().__init__(*args, **kwargs)

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE}


class DischargeForm(PlainForm):
    discharged_on = DayField(label="Discharge date", widget=DateInput())
    reason = forms.CharField(
        max_length=REASON_CHARS,
        label="Reason for discharge",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. treatment goals met, moved away, transferred to another provider. The client's readers see "
        "it on the chart.",
    )
    service_fields = {"discharge_reason": "reason"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("discharged_on", timezone.localdate())


class ReadmitForm(PlainForm):
    readmitted_on = DayField(
        label="Readmitted on", widget=DateInput(), help_text="The first day of the new episode of care."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("readmitted_on", timezone.localdate())


class CareTeamForm(forms.Form):
    clinician = ClinicianField(queryset=User.objects.none(), label="Clinician to add")

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = client.care_team.values("clinician_id")
        choices = active_clinicians().exclude(pk=client.primary_clinician_id).exclude(pk__in=members)
        self.fields["clinician"].queryset = choices  # type: ignore[attr-defined]


class ClientSearchForm(forms.Form):
    q = forms.CharField(max_length=100, required=False, label="Find the client by name")


class ContactForm(forms.Form):
    kind = forms.ChoiceField(choices=ContactKind.choices, label="Kind of contact")
    name = forms.CharField(max_length=200)
    organization = forms.CharField(max_length=200, required=False, label="Organization or practice")
    phone = forms.CharField(max_length=40, required=False)
    member_id = forms.CharField(max_length=60, required=False, label="Member id", help_text="For a payer only.")


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(choices=ConsentKind.choices, label="Consent to")
    signed_on = DayField(label="Signed by the client on", widget=DateInput())


class ScheduleForm(forms.Form):
    day = DayField(label="Date", widget=DateInput())
    start = forms.TimeField(label="Start time", widget=TimeInput())
    end = forms.TimeField(label="End time", widget=TimeInput())
    clinician = ClinicianField(queryset=User.objects.none())
    service = forms.ChoiceField(choices=Service.choices, initial=Service.INDIVIDUAL)
    setting = forms.ChoiceField(choices=Setting.choices, initial=Setting.IN_PERSON)
    participants = forms.CharField(
        max_length=500,
        required=False,
        label="Others present",
        help_text="Separate names with commas, e.g. the client's partner in family therapy.",
    )
    # Offered once the service refused a double booking (confide.sessions.services.overlaps): ticked, the session is
    # booked anyway and marked overlap_confirmed. The calendar's booking form (calendar_forms.BookingForm) asks too.
    confirm_overlap = forms.BooleanField(required=False, label="Book it even though it overlaps another session")

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clinicians = active_clinicians()
        for_anyone = Rel.ANYONE in rule("session.schedule").relations_for(actor.role)  # the front desk
        if not for_anyone:
            # A clinician schedules their own sessions and their supervisees' (the service's rule).
            clinicians = clinicians.filter(Q(pk=actor.pk) | Q(supervisor=actor))
        field = self.fields["clinician"]
        field.queryset = clinicians  # type: ignore[attr-defined]
        if not for_anyone and not self.is_bound:
            self.initial.setdefault("clinician", actor.pk)

    def times(self) -> tuple[datetime, datetime]:
        """Start and end in the practice's time zone (settings.TIME_ZONE), whatever the server's clock says."""
        day: date = self.cleaned_data["day"]
        zone = timezone.get_default_timezone()
        start: time = self.cleaned_data["start"]
        end: time = self.cleaned_data["end"]
        return (
            timezone.make_aware(datetime.combine(day, start), zone),
            timezone.make_aware(datetime.combine(day, end), zone),
        )

    def participant_names(self) -> list[str]:
        return [name.strip() for name in str(self.cleaned_data["participants"]).split(",") if name.strip()][:10]


ATTENDANCE = [(s.value, s.label) for s in (Status.SCHEDULED, Status.KEPT, Status.NO_SHOW, Status.CANCELLED)]


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(choices=ATTENDANCE, widget=forms.RadioSelect, label="Attendance")


class DiagnosisForm(forms.Form):
    code = forms.CharField(
        max_length=60,
        label="Diagnosis (ICD-10-CM)",
        help_text="Type a code or words, e.g. F41.1 or anxiety, and choose from the suggestions.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "icd-options"}),
    )
    diagnosed_on = DayField(label="Diagnosed on", widget=DateInput())
    is_primary = forms.BooleanField(required=False, label="Primary diagnosis")


class PlanForm(forms.Form):
    """One problem, one goal and up to three objectives; the rest of the current version is carried over."""

    review_on = DayField(label="Review by", widget=DateInput())
    client_signed_on = DayField(
        required=False,
        label="Signed by the client on",
        widget=DateInput(),
        help_text="Leave empty until the client signs this version.",
    )
    problem = forms.CharField(max_length=2000, label="Problem", widget=forms.Textarea(attrs={"rows": 2}))
    goal = forms.CharField(max_length=2000, label="Goal", widget=forms.Textarea(attrs={"rows": 2}))
    measure = forms.CharField(
        max_length=200, required=False, label="How progress is measured", help_text="e.g. PHQ-9 below 10"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, PLAN_OBJECTIVES + 1):
            self.fields[f"objective_{n}"] = forms.CharField(
                max_length=2000, required=n == 1, label=f"Objective {n}", widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"target_{n}"] = DayField(
                required=n == 1, label=f"Objective {n} target date", widget=DateInput()
            )
            self.fields[f"status_{n}"] = forms.ChoiceField(
                choices=ObjectiveStatus.choices, initial=ObjectiveStatus.NOT_STARTED, label=f"Objective {n} status"
            )

    def objective_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (n, self[f"objective_{n}"], self[f"target_{n}"], self[f"status_{n}"]) for n in range(1, PLAN_OBJECTIVES + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(2, PLAN_OBJECTIVES + 1):
            if data.get(f"objective_{n}") and not data.get(f"target_{n}"):
                self.add_error(f"target_{n}", "An objective needs a target date.")
        return data

    @staticmethod
    def initial_from(plan: TreatmentPlan | None) -> dict[str, Any]:
        if plan is None:
            return {}
        initial: dict[str, Any] = {"review_on": plan.review_on, "client_signed_on": plan.client_signed_on}
        problem = next(iter(plan.problems.all()), None)
        goal = next(iter(problem.goals.all()), None) if problem else None
        if problem:
            initial["problem"] = problem.description
        if goal:
            initial.update(goal=goal.description, measure=goal.measure)
            for n, objective in enumerate(list(goal.objectives.all())[:PLAN_OBJECTIVES], start=1):
                initial.update(
                    {
                        f"objective_{n}": objective.description,
                        f"target_{n}": objective.target_on,
                        f"status_{n}": objective.status,
                    }
                )
        return initial

    def problems(self, current: TreatmentPlan | None) -> list[dict[str, Any]]:
        """The new version as revise_plan takes it: the edited first problem and goal, then whatever else the
        current version holds (other goals, other problems, objectives past the third), unchanged."""
        data = self.cleaned_data
        objectives = [
            {"description": data[f"objective_{n}"], "target_on": data[f"target_{n}"], "status": data[f"status_{n}"]}
            for n in range(1, PLAN_OBJECTIVES + 1)
            if data.get(f"objective_{n}")
        ]
        old_problems = list(current.problems.all()) if current else []
        old_goals = list(old_problems[0].goals.all()) if old_problems else []
        if old_goals:
            objectives += [_objective(o) for o in list(old_goals[0].objectives.all())[PLAN_OBJECTIVES:]]
        goal = {"description": data["goal"], "measure": data["measure"], "objectives": objectives}
        first = {"description": data["problem"], "goals": [goal] + [_goal(g) for g in old_goals[1:]]}
        return [first] + [
            {"description": p.description, "goals": [_goal(g) for g in p.goals.all()]} for p in old_problems[1:]
        ]


def _objective(objective: Any) -> dict[str, Any]:
    return {"description": objective.description, "target_on": objective.target_on, "status": objective.status}


def _goal(goal: Any) -> dict[str, Any]:
    return {
        "description": goal.description,
        "measure": goal.measure,
        "objectives": [_objective(o) for o in goal.objectives.all()],
    }


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        max_length=1024,
        strip=False,
        label="Current password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        max_length=1024,
        strip=False,
        label="New password",
        help_text="At least 12 characters, not a common password.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    confirm_password = forms.CharField(
        max_length=1024,
        strip=False,
        label="New password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_new_password(self) -> str:
        password = str(self.cleaned_data["new_password"])
        password_validation.validate_password(password, self.person)
        return password

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("confirm_password"):
            self.add_error("confirm_password", "The two new passwords differ.")
        return data


class ActiveForm(forms.Form):
    active = forms.TypedChoiceField(choices=[("1", "active"), ("0", "inactive")], coerce=lambda v: v == "1")
