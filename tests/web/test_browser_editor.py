"""In a real browser, by keyboard only: a clinician fills a note with Tab, Space, Enter and typing; the risk picker
reveals plan/intent/means and protective factors; mental status is ticked within normal limits; the interventions
filter narrows the checklist; parts collapse; and "start from my last note" copies the structure. axe on every step."""

from __future__ import annotations

from typing import Any

import pytest

from confide.clients.models import Client
from confide.notes import services as notes
from confide.notes import structure
from confide.notes.models import ProgressNote
from confide.people.models import User
from tests.conftest import PASSWORD, session_for
from tests.web.browser import Visit, sign_in

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "vault"])


def focused(page: Any) -> str:
    return str(page.evaluate("() => document.activeElement.id || document.activeElement.tagName"))


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has focus; every stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = page.evaluate(
            """(sel) => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                return {match: el.matches(sel), outline: style.outlineStyle !== "none" && style.outlineWidth !== "0px",
                        visible: !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length), id: el.id};
            }""",
            selector,
        )
        assert here["visible"], f"focus went to a hidden control: {here}"
        assert here["outline"], f"no visible focus on {here}"
        if here["match"]:
            return
    raise AssertionError(f"Tab never reached {selector}; last focus {focused(page)}")


def start(visit: Visit, clinician: User, session: Any) -> Any:
    page = visit.page
    sign_in(visit, clinician.username, PASSWORD)
    visit.goto(f"/sessions/{session.pk}/")
    page.locator("#note-editor[data-ready]").wait_for()
    return page


def test_a_note_filled_by_keyboard_only(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client, treatment_plan: Any
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    session = session_for(client_of_record, clinician, days_ago=0)
    page = start(visit, clinician, session)
    page.locator("#format-picker").focus()  # the one programmatic step: where the editor begins

    for name, text in (
        ("subjective", "Reports low mood; slept better."),
        ("objective", "Calm, engaged."),
        ("assessment", "Improving."),
        ("plan", "Weekly."),
    ):
        tab_to(page, f"#section-{name}")
        page.keyboard.type(text)

    # The risk picker: plan/intent/means stay out of the way until the level is above none.
    detail = page.locator("#risk-suicidal_ideation-detail")
    assert not detail.is_visible() and not page.get_by_label("Protective factors").is_visible()
    tab_to(page, "#risk-suicidal_ideation-level")
    page.keyboard.press("ArrowDown")  # None
    assert not detail.is_visible()
    page.keyboard.press("ArrowDown")  # Low
    assert page.locator("#risk-suicidal_ideation-level").input_value() == "low"
    detail.wait_for(state="visible")
    assert not page.locator("#risk-homicidal_ideation-detail").is_visible()
    tab_to(page, "[name=risk-suicidal_ideation-intent]")
    page.keyboard.press("Space")
    tab_to(page, "#risk-protective_factors")
    page.keyboard.type("Sister nearby.")
    visit.check()
    visit.shot("20-editor-risk")

    # Mental status: ticking WNL hides the empty exception box, so Tab goes on to the next domain.
    tab_to(page, "#mse-appearance-wnl")
    page.keyboard.press("Space")
    assert not page.locator("#mse-appearance").is_visible()
    page.keyboard.press("Tab")
    assert focused(page) == "mse-behavior-wnl"
    tab_to(page, "#mse-mood")
    page.keyboard.type("flat")

    # Interventions: the filter narrows the checklist; Enter moves into what is left; Space ticks it.
    tab_to(page, "#intervention-filter")
    page.keyboard.type("restruct")
    vocabulary = structure.intervention_vocabulary()
    matching = [i for i in vocabulary if "restruct" in i.terms]
    assert [i.value for i in matching] == ["cognitive restructuring"]
    assert page.locator("#intervention-filter-count").inner_text() == f"1 of {len(vocabulary)} shown"
    assert page.locator("#intervention-list li:not([hidden])").count() == 1
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.value") == "cognitive restructuring"
    page.keyboard.press("Space")
    page.keyboard.press("Shift+Tab")
    for _ in range(len("restruct")):
        page.keyboard.press("Backspace")
    assert page.locator("#intervention-list li:not([hidden])").count() == len(vocabulary)
    visit.check()
    visit.shot("21-editor-interventions")

    tab_to(page, "input[name=objectives]")
    page.keyboard.press("Space")

    # A part collapses and opens again from its summary with Enter.
    page.locator("#part-mse > summary").focus()
    page.keyboard.press("Enter")
    assert not page.locator("#mse-mood").is_visible()
    page.keyboard.press("Enter")
    assert page.locator("#mse-mood").is_visible()

    tab_to(page, "button[value=save]")
    page.keyboard.press("Enter")
    page.get_by_text("Saved at").wait_for()
    visit.check()

    note = ProgressNote.objects.get(session=session)
    assert note.sections["subjective"] == "Reports low mood; slept better."
    assert note.risk["suicidal_ideation"] == {"level": "low", "plan": False, "intent": True, "means": False}
    assert note.risk["protective_factors"] == "Sister nearby."
    assert note.mental_status == {"appearance": structure.WNL_TEXT, "mood": "flat"}
    assert note.interventions == ["cognitive restructuring"]
    assert note.objectives.count() == 1


def test_start_from_my_last_note_in_the_browser(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    earlier = session_for(client_of_record, clinician, days_ago=7)
    last = notes.start_note(
        actor=clinician,
        session=earlier,
        format="BIRP",
        sections={"behavior": "Presentation:\nTearful at times.", "intervention": "i", "response": "r", "plan": "p"},
        risk={"suicidal_ideation": {"level": "none"}},
        interventions=["exposure"],
    )
    notes.sign_note(actor=clinician, note=last)
    session = session_for(client_of_record, clinician, days_ago=0)
    page = start(visit, clinician, session)
    page.get_by_role("button", name="Start from my last note for this client").click()
    page.wait_for_url(f"{visit.base_url}/sessions/{session.pk}/")
    visit.check()
    visit.shot("22-editor-from-last")
    assert page.get_by_label("Behavior (required to sign)").input_value() == "Presentation:\n\n"
    assert page.get_by_role("checkbox", name="Exposure work (graded hierarchy)").is_checked()
    assert page.locator("#risk-suicidal_ideation-level").input_value() == ""  # risk is assessed afresh
    assert page.locator(".messages").get_by_text("its structure is copied, not its text or risk").is_visible()


def test_start_from_last_is_withdrawn_once_the_clinician_writes(
    visit: Visit, settings: Any, clinician: User, client_of_record: Client
) -> None:
    settings.MFA_REQUIRED_ROLES = []
    earlier = session_for(client_of_record, clinician, days_ago=7)
    notes.start_note(actor=clinician, session=earlier, format="SOAP", sections={"subjective": "Earlier."})
    session = session_for(client_of_record, clinician, days_ago=0)
    page = start(visit, clinician, session)
    offer = page.get_by_role("button", name="Start from my last note for this client")
    assert offer.is_visible()
    page.get_by_label("Subjective (required to sign)").fill("Typed first.")
    offer.wait_for(state="hidden")
    visit.check()
