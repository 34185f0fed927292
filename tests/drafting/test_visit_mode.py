"""General visit-note mode (used for the public medical benchmarks): extractive, third person, grounded."""

from confide.drafting import draft, unsupported_reason
from confide.drafting.general import clean, render_plain, third_person

DIALOGUE = """[doctor] hi , martha . how are you ?
[patient] i'm doing okay .
[doctor] so martha is a 50-year-old female with a history of hypertension who presents with knee pain .
she says it started last week .
[patient] yeah , um , i , i twisted my knee playing tennis and it's been swollen since .
[doctor] any fever or chills ?
[patient] no .
[doctor] on exam of your right knee , i do appreciate some swelling and tenderness over the medial joint line .
[doctor] the x-ray of your knee showed no fracture .
[doctor] so i wan na go ahead and prescribe ibuprofen 600 milligrams three times a day
and refer you to physical therapy .
[patient] okay , thank you .
"""


def test_visit_note_sections_and_third_person() -> None:
    result = draft(DIALOGUE, "text", "VISIT")
    assert result.note_format == "VISIT"
    history = " ".join(s.text for s in result.sections["history"])
    assert "She reports that she twisted her knee playing tennis" in history
    assert any("swelling and tenderness" in s.text for s in result.sections["physical_exam"])
    assert any("showed no fracture" in s.text for s in result.sections["results"])
    plan = " ".join(s.text for s in result.sections["assessment_and_plan"])
    assert "Prescribe ibuprofen 600 milligrams three times a day" in plan
    assert "She denies fever or chills." in [s.text for s in result.sections["review_of_systems"]]


def test_visit_note_sentences_are_grounded() -> None:
    result = draft(DIALOGUE, "text", "VISIT")
    by_id = {u.id: u for u in result.utterances}
    sentences = [s for ss in result.sections.values() for s in ss]
    assert sentences
    for s in sentences:
        assert unsupported_reason(s.text, s.evidence, by_id) is None, s.text


def test_greetings_are_not_note_content() -> None:
    text = render_plain(draft(DIALOGUE, "text", "VISIT")).lower()
    assert "how are you" not in text and "thank you" not in text


def test_cleaning_removes_fillers_and_false_starts() -> None:
    assert clean("um , i , i twisted my knee , you know , playing tennis .") == "i twisted my knee, playing tennis"
    assert third_person("i twisted my knee", "client") == "the patient twisted their knee"
    assert third_person("i twisted my knee", "client", "male") == "he twisted his knee"
