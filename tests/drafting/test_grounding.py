"""Every drafted sentence rests on the utterances it cites; unsupported sentences are dropped and reported."""

from confide.drafting import NOT_DOCUMENTED, Utterance, draft, parse, unsupported_reason
from confide.drafting.compose import compose
from confide.drafting.formats import get_format
from confide.drafting.model import Fact
from tests.drafting.sessions import SESSION


def _by_id(text: str) -> dict[str, Utterance]:
    return {u.id: u for u in parse(text, "text")}


UTTERANCES = _by_id(
    "Therapist: How's your sleep?\n"
    "Client: Terrible. I keep waking up at 3 and I've been drinking 4 beers a night.\n"
    "Therapist: Your PHQ-9 was 14 today.\n"
)


def test_every_sentence_of_a_real_draft_passes_the_check() -> None:
    result = draft(SESSION, "vtt")
    by_id = {u.id: u for u in result.utterances}
    sentences = [s for ss in result.sections.values() for s in ss] + result.private_draft
    assert len(sentences) >= 10
    for sentence in sentences:
        assert sentence.evidence, sentence.text
        assert unsupported_reason(sentence.text, sentence.evidence, by_id) is None, sentence.text


def test_label_words_are_licensed_by_the_concept_patterns() -> None:
    assert unsupported_reason("Client reports sleep disturbance.", ["u2"], UTTERANCES) is None
    assert unsupported_reason("Client reports alcohol use.", ["u2"], UTTERANCES) is None
    assert unsupported_reason("PHQ-9 score 14 (moderate range).", ["u3"], UTTERANCES) is None


def test_unknown_or_missing_evidence_is_unsupported() -> None:
    assert unsupported_reason("Client reports sleep disturbance.", [], UTTERANCES) == "no evidence cited"
    reason = unsupported_reason("Client reports sleep disturbance.", ["u9"], UTTERANCES)
    assert reason is not None and "u9" in reason


def test_invented_content_is_unsupported() -> None:
    assert unsupported_reason("Client reports appetite change.", ["u2"], UTTERANCES) is not None
    assert unsupported_reason("Client reports cannabis use.", ["u2"], UTTERANCES) is not None
    # the wrong number, the wrong severity band, a misquote
    assert unsupported_reason("PHQ-9 score 19 (moderate range).", ["u3"], UTTERANCES) is not None
    assert unsupported_reason("PHQ-9 score 14 (severe range).", ["u3"], UTTERANCES) is not None
    assert unsupported_reason("Client reports: \u201cI sleep great\u201d.", ["u2"], UTTERANCES) is not None
    assert unsupported_reason("Client reports drinking 6 beers a night.", ["u2"], UTTERANCES) is not None


def test_within_normal_limits_is_never_supported() -> None:
    reason = unsupported_reason("Mental status within normal limits.", ["u1", "u2", "u3"], UTTERANCES)
    assert reason is not None


def test_denial_needs_a_negation_in_the_evidence() -> None:
    utterances = _by_id("Therapist: Any thoughts of suicide?\nClient: Sometimes.\n")
    assert unsupported_reason("Client denied suicidal ideation.", ["u1", "u2"], utterances) is not None


def test_compose_drops_and_reports_unsupported_sentences() -> None:
    utterances = list(UTTERANCES.values())
    facts = [
        Fact("symptom", "Client reports sleep disturbance.", ("u2",)),
        Fact("observation", "Affect euthymic, thought process linear.", ("u1",)),
        Fact("plan", "Plan: continue weekly sessions.", ("u7",)),
    ]
    result = compose(facts, [], utterances, get_format("SOAP"))
    assert [s.text for s in result.sections["subjective"]] == ["Client reports sleep disturbance."]
    assert result.sections["objective"] == []
    assert result.sections["plan"] == []
    assert {d.text for d in result.dropped} == {
        "Affect euthymic, thought process linear.",
        "Plan: continue weekly sessions.",
    }
    shape = result.to_dict()
    assert shape["progress_note"]["sections"]["objective"] == [{"text": NOT_DOCUMENTED, "evidence": []}]
    assert {d["text"] for d in shape["dropped"]} == {d.text for d in result.dropped}


def test_undiscussed_sections_read_not_documented_never_normal() -> None:
    result = draft("Therapist: What would you like to talk about?\nClient: My sister's wedding.\n", "text")
    shape = result.to_dict()
    rendered = str(shape).lower()
    assert "within normal limits" not in rendered
    assert "wnl" not in rendered
    assert "denies" not in rendered and "denied" not in rendered
    assert shape["progress_note"]["sections"]["objective"] == [{"text": NOT_DOCUMENTED, "evidence": []}]
    assert shape["progress_note"]["sections"]["plan"] == [{"text": NOT_DOCUMENTED, "evidence": []}]
