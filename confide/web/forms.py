"""Parsing what the browser sends. Forms check shape; the services check the rules."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.http import QueryDict
from django.utils import timezone

from confide.clients.services import BREAK_GLASS_REASONS
from confide.lib import dates
from confide.lib.errors import ConfideError
from confide.lib.text import text_problem
from confide.notes import structure
from confide.notes.formats import NoteFormat, formats
from confide.notes.models import MENTAL_STATUS_DOMAINS, RISK_DOMAINS, RISK_LEVELS
from confide.people.models import Role, User

RISK_FLAGS = ("plan", "intent", "means")

RISK_TITLES = {
    "suicidal_ideation": "Suicidal ideation",
    "homicidal_ideation": "Homicidal ideation",
    "self_harm": "Self-harm",
}
MENTAL_STATUS_TITLES = {
    "appearance": "Appearance",
    "behavior": "Behavior and psychomotor activity",
    "attitude": "Attitude and engagement",
    "speech": "Speech",
    "mood": "Mood (client's words)",
    "affect": "Affect (observed)",
    "thought_process": "Thought process",
    "thought_content": "Thought content",
    "perception": "Perception",
    "cognition": "Cognition and orientation",
    "insight": "Insight",
    "judgment": "Judgment",
}


class SignInForm(forms.Form):
    username = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(
        max_length=1024, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6,8}\s*$",
        label="Six-digit code",
        error_messages={"invalid": "Enter the six digits your authenticator app shows."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(max_length=100, required=False, label="Search clients by name")
    # Discharged clients leave the list unless asked for (a returning client is found this way, to readmit).
    discharged = forms.BooleanField(required=False, label="Include discharged clients")


# --- Plain-worded errors, all at once, beside their fields --------------------------------------------------------


def _label(field: forms.Field, name: str) -> str:
    text = str(field.label or name.replace("_", " "))
    return text[:1].lower() + text[1:] if not text[:2].isupper() else text


def _default_messages(field: forms.Field) -> dict[str, str]:
    defaults: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        defaults.update(getattr(cls, "default_error_messages", {}))
    return defaults


class PlainForm(forms.Form):
    """A form whose errors say, in plain words, what to do: "Enter the last name.", "Choose the primary clinician
    from the list.", "Shorten the phone to 40 characters or fewer." Every field's problem shows at once beside it
    (partials/field.html), and `error_summary()` lists them for the top of the page (web/correction/_summary.html).

    A rule a service refuses for a named field (`InvalidFields`) goes beside that field too: `add_service_errors`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = _label(field, name)
            picked = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            messages = {
                "required": f"Choose the {label}." if picked else f"Enter the {label}.",
                "max_length": f"Shorten the {label} to %(limit_value)d characters or fewer (it has %(show_value)d).",
                "invalid_choice": f"Choose the {label} from the list.",
            }
            if isinstance(field, forms.DateField):
                style = dates.style()  # the practice's date style (confide/lib/dates.py)
                example = timezone.localdate().strftime(style.inputs[0])
                messages["invalid"] = f"Enter the {label} as {style.hint}, e.g. {example}."
            if isinstance(field, forms.EmailField):
                messages["invalid"] = "Enter an email address like name@example.org, or leave it empty."
            for key, message in messages.items():
                if field.error_messages.get(key) == _default_messages(field).get(key):  # not the form's own words
                    field.error_messages[key] = message

    def error_summary(self) -> list[tuple[str, str]]:
        """(the field's id, its message) for every field with an error, in the form's order; ("", message) for
        the form's own errors."""
        rows = [("", str(error)) for error in self.non_field_errors()]
        for name in self.fields:
            if name in self.errors:
                rows.append((str(self[name].id_for_label or ""), " ".join(str(e) for e in self.errors[name])))
        return rows

    def add_service_errors(self, error: ConfideError) -> None:
        """A refusal from a service, beside the fields it names (InvalidFields), or above the form."""
        problems: dict[str, str] = getattr(error, "problems", {}) or {}
        if not problems and error.code in self.service_codes:
            # The service's words as they are (the page capitalizes the first letter: confide.css), with a stop.
            detail = error.detail.strip()
            problems = {self.service_codes[error.code]: detail if detail.endswith((".", "?", "!")) else f"{detail}."}
        placed = False
        for name, message in problems.items():
            target = self.service_fields.get(name, name)
            if target in self.fields:
                self.add_error(target, message)
                placed = True
            else:
                self.add_error(None, message)
                placed = True
        if not placed:
            self.add_error(None, error.detail)

    # A service's field name -> this form's field, where they differ (e.g. "primary_clinician_id").
    service_fields: dict[str, str] = {}
    # A service's error code -> the field it is about, for services that raise one RuleViolation (people.services).
    service_codes: dict[str, str] = {}


# The days the schedule page will show. Wide enough for any record a practice keeps or any booking it makes, and
# narrow enough that the day before and the day after always exist (date.min - 1 day would be an OverflowError).
SCHEDULE_FIRST_DAY = date(1900, 1, 1)
SCHEDULE_LAST_DAY = date(2999, 12, 31)


class ScheduleDayForm(forms.Form):
    """`?day=YYYY-MM-DD` on the schedule page; absent means today, anything unusable is an error shown over today."""

    first_day = SCHEDULE_FIRST_DAY  # the date input's min and max, for the browser's calendar
    last_day = SCHEDULE_LAST_DAY
    # No input_formats: the practice's DATE_INPUT_FORMATS (confide/lib/dates.py), which end with the ISO date that
    # <input type="date"> sends in every locale, so a date typed in the practice's style works too.
    day = forms.DateField(
        required=False,
        error_messages={"invalid": "Enter a date as the label shows, or pick one from the calendar."},
    )

    def clean_day(self) -> date | None:
        day: date | None = self.cleaned_data["day"]
        if day is not None and not SCHEDULE_FIRST_DAY <= day <= SCHEDULE_LAST_DAY:
            raise forms.ValidationError(
                f"The schedule covers {SCHEDULE_FIRST_DAY.year} to {SCHEDULE_LAST_DAY.year}. Pick a date in that range."
            )
        return day

    def chosen_day(self, today: date) -> date:
        """The day asked for, or `today` when none was asked for or the request could not be read."""
        if self.is_valid() and self.cleaned_data["day"] is not None:
            chosen: date = self.cleaned_data["day"]
            return chosen
        return today


class BreakGlassForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[("", "Choose a reason"), *BREAK_GLASS_REASONS.items()],
        label="Reason for access",
        help_text="The reason is recorded and reported to the clinician of record and the practice.",
    )
    explanation = forms.CharField(
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Explanation",
        help_text="Required for \u201cOther\u201d: at least 20 characters saying why you need this chart now.",
    )


class AddendumForm(forms.Form):
    text = forms.CharField(max_length=20000, widget=forms.Textarea(attrs={"rows": 3}), label="Addendum")


class ReturnForm(forms.Form):
    comment = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), label="What needs to change")


class SignConfirmForm(forms.Form):
    attest = forms.BooleanField(
        label="I attest that this note is accurate and complete. Once signed it is locked; changes become addenda."
    )


if TYPE_CHECKING:
    _UserChoiceField = forms.ModelChoiceField[User]
else:
    _UserChoiceField = forms.ModelChoiceField  # generic only to the type checker


class SupervisorField(_UserChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class UserForm(PlainForm):
    username = forms.RegexField(
        regex=r"^[\w.@+-]{2,150}$",
        max_length=150,
        error_messages={"invalid": "Use 2 to 150 letters, digits or . @ + - _ for the username, with no spaces."},
    )
    full_name = forms.CharField(max_length=200)
    role = forms.ChoiceField(choices=Role.choices)
    credentials = forms.CharField(max_length=60, required=False, help_text="e.g. LCSW, PhD, LMFT")
    supervisor = SupervisorField(
        queryset=User.objects.none(),
        required=False,
        help_text="A supervisee's progress notes need this clinician's co-signature.",
    )
    password = forms.CharField(
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters, not a common password. Share it with the person directly.",
    )

    def __init__(self, *args: Any, supervisors: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["supervisor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = supervisors if supervisors is not None else User.objects.none()
        field.help_text = f"{field.help_text} Only clinicians who are not supervisees themselves are offered."

    service_codes = {
        "invalid_supervisor": "supervisor",
        "username_taken": "username",
        "weak_password": "password",
        "invalid_role": "role",
    }


class UserEditForm(PlainForm):
    """An administrator corrects a member's name, role, credentials or supervisor (people.services.update_user)."""

    full_name = forms.CharField(max_length=200, label="Full name")
    role = forms.ChoiceField(choices=Role.choices)
    credentials = forms.CharField(max_length=60, required=False, help_text="e.g. LCSW, PhD, LMFT")
    supervisor = SupervisorField(
        queryset=User.objects.none(),
        required=False,
        label="Supervisor",
        help_text="A supervisee's progress notes need this clinician's co-signature. Only clinicians who are not "
        "supervisees themselves are offered.",
    )
    service_codes = {
        "invalid_supervisor": "supervisor",
        "invalid_role": "role",
        "cannot_change_own_role": "role",
        "supervises_others": "role",
    }

    def __init__(self, *args: Any, person: User, supervisors: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "full_name": person.full_name,
                "role": person.role,
                "credentials": person.credentials,
                "supervisor": person.supervisor_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.person = person
        field = self.fields["supervisor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = supervisors.exclude(pk=person.pk)
        self.supervises_others = person.supervisees.exists()
        if self.supervises_others:
            field.disabled = True
            field.help_text = "This clinician supervises others, so cannot have a supervisor of their own."

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes: dict[str, Any] = {
            "full_name": data["full_name"],
            "role": data["role"],
            "credentials": data["credentials"],
        }
        if not self.supervises_others:
            changes["supervisor_id"] = data["supervisor"].pk if data["supervisor"] else None
        return changes


class ResetPasswordForm(forms.Form):
    new_password = forms.CharField(
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters, not a common password.",
    )

    def __init__(self, *args: Any, person: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_new_password(self) -> str:
        password = str(self.cleaned_data["new_password"])
        password_validation.validate_password(password, self.person)
        return password


def format_choice(value: str | None, default: str = "SOAP") -> NoteFormat:
    """The chosen note format, falling back to the first known one: formats come from formats.toml."""
    known = formats()
    if value and value in known:
        return known[value]
    return known.get(default) or next(iter(known.values()))


@dataclass(frozen=True)
class NotePayload:
    sections: dict[str, str]
    risk: dict[str, Any]
    mental_status: dict[str, str]
    interventions: list[str]
    objective_ids: list[int]

    def fields(self) -> dict[str, Any]:
        """As the note services take them: `start_note(..., **payload.fields())`, `edit_note(...)` likewise."""
        return dataclasses.asdict(self)


# The editor's bounds; the note's JSON columns have none of their own, and the API holds to the same ones.
SECTION_CHARS = 50_000
RISK_TEXT_CHARS = 5000
MENTAL_STATUS_CHARS = 2000


def typed_text(post: QueryDict, name: str, limit: int) -> str:
    """One text field of the editor, refused (400, the page says why) if it cannot be stored or is over its bound."""
    value = str(post.get(name, ""))
    problem = text_problem(value)
    if problem:
        raise ConfideError(f"{name}: {problem}", "invalid_text")
    if len(value) > limit:
        raise ConfideError(f"{name} is longer than {limit:,} characters; shorten it and save again", "too_long")
    return value


def note_payload(post: QueryDict, note_format: NoteFormat) -> NotePayload:
    """The editor's fields as the note services take them. Malformed choices become absent; text that cannot be
    stored (NUL, half a surrogate pair) or is over its bound is refused with a 400, never a 500."""
    sections = {s.name: typed_text(post, f"section-{s.name}", SECTION_CHARS) for s in note_format.sections}
    risk: dict[str, Any] = {}
    for domain in RISK_DOMAINS:
        level = post.get(f"risk-{domain}-level", "")
        if level in RISK_LEVELS:
            # Plan, intent and means are asked only when there is ideation: at "none" they cannot be true.
            flags = {flag: level != "none" and post.get(f"risk-{domain}-{flag}") == "on" for flag in RISK_FLAGS}
            risk[domain] = {"level": level, **flags}
    for text_field in ("protective_factors", "actions"):
        value = typed_text(post, f"risk-{text_field}", RISK_TEXT_CHARS).strip()
        if value:
            risk[text_field] = value
    acknowledged = {int(v) for v in post.getlist("risk-acknowledged") if v.isascii() and v.isdigit() and len(v) < 12}
    if acknowledged:
        risk["acknowledged_alerts"] = sorted(acknowledged)[:50]
    # A domain ticked "within normal limits" with nothing typed records WNL; typed text is the exception and wins.
    mental_status = {
        d: structure.mental_status_entry(
            typed_text(post, f"mse-{d}", MENTAL_STATUS_CHARS), post.get(f"mse-{d}-wnl") == "on"
        )
        for d in MENTAL_STATUS_DOMAINS
    }
    typed = typed_text(post, "interventions", 50 * 500)
    typed_lines = [line.strip()[:500] for line in typed.splitlines() if line.strip()]
    # The checklist (the drafting vocabulary) first, then lines typed for anything the list does not have.
    interventions = structure.merge_interventions(
        [str(v)[:500] for v in post.getlist("intervention")[:100]], typed_lines
    )
    # ASCII digits only: "²".isdigit() is true, and int("²") raises.
    objective_ids = sorted({int(v) for v in post.getlist("objectives") if v.isascii() and v.isdigit() and len(v) < 12})
    return NotePayload(sections, risk, mental_status, interventions, objective_ids)
