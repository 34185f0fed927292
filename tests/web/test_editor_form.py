"""The note editor's parts over HTTP: the order a clinician works, the risk picker, mental status as "within normal
limits" with exceptions, the interventions checklist from the drafting vocabulary, and labels for every field."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from confide.clients.models import Client
from confide.drafting.lexicon import INTERVENTIONS
from confide.notes import services as notes
from confide.notes import structure
from confide.notes.models import ProgressNote
from confide.people.models import User
from tests.conftest import session_for
from tests.web.notes_support import COMPLETE_SOAP

SOAP = {f"section-{name}": text for name, text in COMPLETE_SOAP.items()} | {"format": "SOAP", "action": "save"}


def editor_html(http: Any, session: Any) -> str:
    html: str = http.get(f"/sessions/{session.pk}/").content.decode()
    start = html.index('<form id="note-editor"')
    return html[start : html.index("</form>", start)]


class Fields(HTMLParser):
    """Every form control of the editor and every label's `for`."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.wrapped: set[str] = set()  # controls inside a <label>
        self._in_label = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = dict(attrs)
        if tag == "label":
            self._in_label += 1
            if data.get("for"):
                self.label_for.add(str(data["for"]))
        elif tag in ("input", "select", "textarea") and data.get("type") not in ("hidden",):
            self.controls.append(data)
            if self._in_label:
                self.wrapped.add(str(data.get("name")) + "=" + str(data.get("value")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._in_label -= 1


def test_the_parts_come_in_the_order_a_clinician_works_each_collapsible(
    web_as: Any, clinician: User, client_of_record: Client, treatment_plan: Any
) -> None:
    html = editor_html(web_as(clinician), session_for(client_of_record, clinician))
    order = ["part-sections", "part-risk", "part-mse", "part-interventions", "part-objectives", 'value="sign"']
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert html.count('<details class="editor-part') == 5 and html.count("<summary>") == 5
    assert html.index('name="section-subjective"') < html.index('name="risk-suicidal_ideation-level"')


def test_every_control_has_a_label(web_as: Any, clinician: User, client_of_record: Client, treatment_plan: Any) -> None:
    parser = Fields()
    parser.feed(editor_html(web_as(clinician), session_for(client_of_record, clinician)))
    assert len(parser.controls) > 40
    unlabeled = [
        c
        for c in parser.controls
        if c.get("id") not in parser.label_for and f"{c.get('name')}={c.get('value')}" not in parser.wrapped
    ]
    assert unlabeled == []


def test_mental_status_records_wnl_when_ticked_and_the_exception_when_typed(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    posted = {**SOAP, "mse-appearance-wnl": "on", "mse-mood-wnl": "on", "mse-mood": "“flat”", "mse-affect": ""}
    assert http.post(f"/sessions/{session.pk}/notes/new/", posted).status_code == 302
    note = ProgressNote.objects.get(session=session)
    # Ticked and empty: WNL. Ticked with text: the text typed is kept. Untouched: not assessed.
    assert note.mental_status == {"appearance": structure.WNL_TEXT, "mood": "“flat”"}
    html = editor_html(http, session)
    assert 'id="mse-appearance-wnl" name="mse-appearance-wnl" checked' in html
    assert 'name="mse-appearance" value=""' in html  # the exception box is empty, so CSS hides it
    assert 'id="mse-affect-wnl" name="mse-affect-wnl">' in html  # never ticked for the clinician


def test_plan_intent_and_means_count_only_above_none(web_as: Any, clinician: User, client_of_record: Client) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    posted = {
        **SOAP,
        "risk-suicidal_ideation-level": "none",
        "risk-suicidal_ideation-plan": "on",  # left ticked, then the level set back to none: hidden, not recorded
        "risk-self_harm-level": "low",
        "risk-self_harm-means": "on",
    }
    http.post(f"/sessions/{session.pk}/notes/new/", posted)
    risk = ProgressNote.objects.get(session=session).risk
    assert risk["suicidal_ideation"] == {"level": "none", "plan": False, "intent": False, "means": False}
    assert risk["self_harm"] == {"level": "low", "plan": False, "intent": False, "means": True}
    html = editor_html(http, session)
    assert '<div class="risk-detail" id="risk-self_harm-detail">' in html


def test_the_checklist_is_the_drafting_vocabulary_not_a_retyped_list() -> None:
    assert [i.value for i in structure.intervention_vocabulary()] == [c.topic for c in INTERVENTIONS]
    assert {"cognitive restructuring", "motivational interviewing", "DBT skills", "exposure"} <= {
        i.value for i in structure.intervention_vocabulary()
    }
    mi = next(i for i in structure.intervention_vocabulary() if i.value == "motivational interviewing")
    assert "mi" in mi.terms.split()  # the filter finds it by its abbreviation


def test_interventions_are_checked_from_the_list_and_typed_for_the_rest(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    posted = {
        **SOAP,
        "intervention": ["exposure", "cognitive restructuring", "not in the vocabulary"],
        "interventions": "Narrative therapy\nCOGNITIVE restructuring",
    }
    http.post(f"/sessions/{session.pk}/notes/new/", posted)
    note = ProgressNote.objects.get(session=session)
    # Vocabulary order, once each whatever the case; a forged box is ignored; typed lines kept as typed.
    assert note.interventions == ["cognitive restructuring", "exposure", "Narrative therapy"]
    html = editor_html(http, session)
    assert '<input type="checkbox" name="intervention" value="exposure" checked>' in html
    assert '<input type="checkbox" name="intervention" value="psychoeducation">' in html
    assert ">Narrative therapy</textarea>" in html


def test_a_drafted_or_typed_intervention_shows_checked_and_keeps_its_words(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    notes.start_note(
        actor=clinician,
        session=session,
        format="SOAP",
        sections=COMPLETE_SOAP,
        interventions=["Safety planning", "behavioural activation", "Play therapy"],
    )
    http = web_as(clinician)
    html = editor_html(http, session)
    assert 'value="Safety planning" checked' in html and 'value="behavioural activation" checked' in html
    assert ">Play therapy</textarea>" in html
    note = ProgressNote.objects.get(session=session)
    http.post(
        f"/notes/{note.pk}/",
        {**SOAP, "intervention": ["Safety planning", "behavioural activation"], "interventions": "Play therapy"},
    )
    note.refresh_from_db()
    assert note.interventions == ["behavioural activation", "Safety planning", "Play therapy"]


def test_odd_checklist_and_wnl_input_is_a_clear_answer_not_a_500(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    session = session_for(client_of_record, clinician)
    http = web_as(clinician)
    for garbage in (
        {"intervention": ["x" * 10000] * 200},
        {"mse-mood-wnl": "yes please"},
        {"intervention": "\x00"},
        {"mse-nonexistent-wnl": "on"},
    ):
        response = http.post(f"/sessions/{session.pk}/notes/new/", {**SOAP, **garbage})
        assert response.status_code in (302, 400, 409, 422), response.status_code


def test_american_and_british_spellings_are_one_intervention() -> None:
    entry = structure.known_intervention("Behavioural activation")
    assert entry is not None and entry.value == "behavioral activation"
    assert structure.merge_interventions(["behavioural activation"], ["Behavioral Activation", "Play therapy"]) == [
        "behavioural activation",
        "Play therapy",
    ]
