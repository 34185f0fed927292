"""Every form the web pages offer, posted with hostile values field by field: never a 500 (issue 8, finding 3).

The forms are found, not listed: every URL of the web and vault URLconfs is opened (GET) by each role with real
objects behind its ids, and every <form method="post"> on the pages is collected with its fields. Each field then
gets each hostile value while the others keep what the page filled in (or a plausible value), so the service behind
the form is reached too. Deterministic (no randomness) and about a thousand requests: a few tens of seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from confide.clients.models import Client
from confide.clients.services import record_consent
from confide.people.models import User
from tests.conftest import PASSWORD
from tests.web.notes_support import draft_note

HOSTILE = [
    "a\x00b",  # NUL: PostgreSQL refuses it in text and JSON
    "x" * 100_001,  # over every column
    "²",  # a digit to str.isdigit(), not to int()
    "9999-12-31",  # at 23:00 in the practice's zone, past the end of time in UTC
    "0001-01-01T00:00:00+14:00",
    "-1",
    "99999999999999999999999",
]
# Posting these ends the signed-in session or is the sign-in itself (tested on its own pages).
SKIP_ACTIONS = {"web:sign_out"}


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> the value a browser would send
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type


class _Forms(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = Form(action=a.get("action") or self.page)
            self.forms.append(self._form)
        form, name = self._form, a.get("name", "")
        if form is not None and tag == "option" and self._select:
            if "selected" in a or not form.fields.get(self._select):
                form.fields[self._select] = a.get("value", "")
            return
        if form is None or not name:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a or name not in form.fields or kind == "checkbox":
                    form.fields[name] = a.get("value", "on")
            else:
                form.fields[name] = a.get("value") or _plausible(name, kind)
            form.kinds[name] = kind
        elif tag == "textarea":
            self._textarea = name
            form.fields[name] = ""
            form.kinds[name] = "textarea"
        elif tag == "select":
            self._select = name
            form.kinds[name] = "select"

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            if not self._form.fields[self._textarea]:
                self._form.fields[self._textarea] = _plausible(self._textarea, "textarea")
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form is not None:
            self._form.fields[self._textarea] += data


def _plausible(name: str, kind: str) -> str:
    if kind == "date":
        return date.today().isoformat()
    if kind == "time":
        return "10:53" if "end" in name else "10:00"
    if kind == "email":
        return "someone@example.org"
    if kind == "number":
        return "1"
    if kind == "password":
        return PASSWORD
    return f"Plausible {name}"


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def _concrete(route: str, ids: dict[str, int]) -> str | None:
    """The route with real ids in it, or None when it needs an object the cast does not have (a vault note's id)."""
    import re

    def fill(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "", match.group(2)
        if converter == "uuid" or name not in ids:
            raise KeyError(name)
        return str(ids[name])

    try:
        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route).lstrip("^").rstrip("$")
    except KeyError:
        return None


def _name_of(path: str) -> str:
    try:
        return str(resolve(path).view_name)
    except Exception:  # an action off the URLconf (none today) is still posted
        return path


@pytest.fixture
def cast(
    clinician: User,
    front_desk: User,
    admin: User,
    biller: User,
    supervisor: User,
    supervisee: User,
    client_of_record: Client,
    therapy_session: Any,
    treatment_plan: Any,
) -> dict[str, Any]:
    consent = record_consent(
        actor=clinician, client=client_of_record, kind="session_transcription", signed_on=date.today()
    )
    note = draft_note(therapy_session, clinician)
    ids = {
        "client_id": client_of_record.pk,
        "session_id": therapy_session.pk,
        "note_id": note.pk,
        "user_id": supervisee.pk,
        "consent_id": consent.pk,
    }
    return {"ids": ids, "roles": [clinician, front_desk, admin, biller, supervisor]}


def _discover(http: HttpClient, paths: list[str]) -> list[Form]:
    found: list[Form] = []
    for path in paths:
        response = http.get(path)
        assert response.status_code < 500, (path, response.status_code)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            parser = _Forms(path)
            parser.feed(response.content.decode())
            found += parser.forms
    return found


def test_no_form_post_is_a_500(web_as: Callable[[User], HttpClient], cast: dict[str, Any]) -> None:
    paths = [p for _, route in _patterns(get_resolver()) if (p := _concrete(route, cast["ids"])) is not None]
    paths.append(f"/sessions/{cast['ids']['session_id']}/?new=1")  # the editor of a new note beside the open draft
    failures: list[str] = []
    posted: set[str] = set()
    # Everyone signs in first: the sign-in form is fuzzed too, and its failures slow further sign-ins down.
    signed_in: list[tuple[str, HttpClient]] = [(user.role, web_as(user)) for user in cast["roles"]]
    for role, http in [*signed_in, ("anonymous", HttpClient())]:
        for form in _discover(http, paths):
            action = urlsplit(form.action).path
            name = _name_of(action)
            key = f"{role}:{name}"
            if name in SKIP_ACTIONS or key in posted:
                continue
            posted.add(key)
            for field_name in [f for f in form.fields if f != "csrfmiddlewaretoken"]:
                for value in HOSTILE:
                    response = http.post(action, {**form.fields, field_name: value})
                    if response.status_code >= 500:
                        failures.append(f"{role} {name} {field_name}={value[:30]!r}: {response.status_code}")
    assert not failures, "\n".join(failures)
    reached = {key.split(":", 1)[1] for key in posted}
    # The discovery must keep finding the forms behind the known 500s and the front office's forms.
    for name in (
        "web:note_start",
        "web:sign_in",
        "web:note_save",
        "web:break_glass",
        "web:user_new",
        "web:office_client_new",
        "web:office_session_new",
        "web:office_diagnosis_new",
        "web:office_plan_revise",
    ):
        assert name in reached, f"no form found that posts to {name}: {sorted(reached)}"


def test_objectives_that_only_look_like_digits_are_ignored(
    web_as: Callable[[User], HttpClient], clinician: User, therapy_session: Any
) -> None:
    http = web_as(clinician)
    response = http.post(
        f"/sessions/{therapy_session.pk}/notes/new/", {"format": "SOAP", "section-subjective": "ok", "objectives": "²"}
    )
    assert response.status_code < 400, response.status_code


def test_a_note_section_with_nul_is_refused_not_stored(
    web_as: Callable[[User], HttpClient], clinician: User, therapy_session: Any
) -> None:
    from confide.notes.models import ProgressNote

    http = web_as(clinician)
    response = http.post(
        f"/sessions/{therapy_session.pk}/notes/new/", {"format": "SOAP", "section-subjective": "a\x00b"}
    )
    assert response.status_code == 400
    assert not ProgressNote.objects.exists()


@pytest.mark.parametrize("before", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-14:00"])
def test_a_chart_page_back_from_the_end_of_time_shows_the_newest_page(
    before: str, web_as: Callable[[User], HttpClient], clinician: User, client_of_record: Client
) -> None:
    response = web_as(clinician).get(f"/clients/{client_of_record.pk}/", {"before": before, "before_id": "1"})
    assert response.status_code == 200


def test_a_session_at_the_end_of_time_is_a_form_error(
    web_as: Callable[[User], HttpClient], front_desk: User, client_of_record: Client
) -> None:
    response = web_as(front_desk).post(
        f"/clients/{client_of_record.pk}/sessions/new/",
        {
            "day": "9999-12-31",
            "start": "23:00",
            "end": "23:50",
            "clinician": client_of_record.primary_clinician_id,
            "service": "individual",
            "setting": "in_person",
        },
    )
    assert response.status_code == 422
    assert b"Enter a date between 1900 and 2999." in response.content
