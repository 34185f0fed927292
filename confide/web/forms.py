"""Parsing what the browser sends. Forms check shape; the services check the rules."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.http import QueryDict

from confide.clients.services import BREAK_GLASS_REASONS
from confide.lib.errors import ConfideError
from confide.lib.text import text_problem
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
    "behavior": "Behaviour and psychomotor activity",
    "attitude": "Attitude and engagement",
    "speech": "Speech",
    "mood": "Mood (client's words)",
    "affect": "Affect (observed)",
    "thought_process": "Thought process",
    "thought_content": "Thought content",
    "perception": "Perception",
    "cognition": "Cognition and orientation",
    "insight": "Insight",
    "judgment": "Judgement",
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


# The days the schedule page will show. Wide enough for any record a practice keeps or any booking it makes, and
# narrow enough that the day before and the day after always exist (date.min - 1 day would be an OverflowError).
SCHEDULE_FIRST_DAY = date(1900, 1, 1)
SCHEDULE_LAST_DAY = date(2999, 12, 31)


class ScheduleDayForm(forms.Form):
    """`?day=YYYY-MM-DD` on the schedule page; absent means today, anything unusable is an error shown over today."""

    first_day = SCHEDULE_FIRST_DAY  # the date input's min and max, for the browser's calendar
    last_day = SCHEDULE_LAST_DAY
    day = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],  # what <input type="date"> sends, in every locale
        error_messages={"invalid": "Enter a date as YYYY-MM-DD, or pick one from the calendar."},
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


class UserForm(forms.Form):
    username = forms.RegexField(regex=r"^[\w.@+-]{2,150}$", max_length=150)
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
            risk[domain] = {"level": level, **{flag: post.get(f"risk-{domain}-{flag}") == "on" for flag in RISK_FLAGS}}
    for text_field in ("protective_factors", "actions"):
        value = typed_text(post, f"risk-{text_field}", RISK_TEXT_CHARS).strip()
        if value:
            risk[text_field] = value
    acknowledged = {int(v) for v in post.getlist("risk-acknowledged") if v.isascii() and v.isdigit() and len(v) < 12}
    if acknowledged:
        risk["acknowledged_alerts"] = sorted(acknowledged)[:50]
    mental_status = {d: typed_text(post, f"mse-{d}", MENTAL_STATUS_CHARS) for d in MENTAL_STATUS_DOMAINS}
    typed = typed_text(post, "interventions", 50 * 500)
    interventions = [line.strip()[:500] for line in typed.splitlines() if line.strip()][:50]
    # ASCII digits only: "²".isdigit() is true, and int("²") raises.
    objective_ids = sorted({int(v) for v in post.getlist("objectives") if v.isascii() and v.isdigit() and len(v) < 12})
    return NotePayload(sections, risk, mental_status, interventions, objective_ids)
