"""Evidence for docs/drafting.md: medspaCy's ConText against Confide's own rules on the risk-polarity cases.

Optional, not part of run.py: medspaCy pulls in spaCy (about 280 MB installed, ~50 s to install, spaCy 3.7 pins
numpy < 2). Run it in a separate virtualenv:
    python3.11 -m venv /tmp/medspacy && /tmp/medspacy/bin/pip install medspacy==1.3.1
    PYTHONPATH=. /tmp/medspacy/bin/python -m bench.drafting.compare_medspacy
"""

from __future__ import annotations

import logging
import time

from confide.drafting import draft
from tests.drafting.test_risk_polarity import CLIENT_SAYS, QUESTION_AND_ANSWER

TARGETS = {
    "suicidal_ideation": [
        "kill myself",
        "killing myself",
        "kill himself",
        "suicide",
        "suicidal",
        "end my life",
        "wish i was dead",
        "better off without me",
        "not wake up",
        "wouldn't wake up",
    ],
    "self_harm": ["cut myself", "cut my arms", "cuts herself", "hurt myself", "cut", "self-harm"],
    "homicidal_ideation": ["kill him", "hurt him", "hurt anyone", "kill her"],
}


def medspacy_flags(nlp: object, text: str) -> set[tuple[str, str]]:
    doc = nlp(text)  # type: ignore[operator]
    flags: set[tuple[str, str]] = set()
    for ent in doc.ents:
        if ent._.is_negated:
            pol = "denied"
        elif ent._.is_family:
            pol = "other"
        elif ent._.is_historical:
            pol = "past"
        elif ent._.is_hypothetical:
            pol = "hypothetical"
        else:
            pol = "endorsed"
        flags.add((ent.label_, pol))
    return flags


def main() -> None:
    import medspacy  # type: ignore[import-not-found]
    from loguru import logger  # type: ignore[import-not-found]
    from medspacy.target_matcher import TargetRule  # type: ignore[import-not-found]

    # medspaCy's sentence splitter (PyRuSH) logs every token of the text at DEBUG through loguru, to stderr, by
    # default; the stdlib logging switch does not reach it. A session's words must never reach a log.
    logger.disable("PyRuSH")
    logging.getLogger("medspacy").setLevel(logging.WARNING)
    started = time.perf_counter()
    nlp = medspacy.load()
    matcher = nlp.get_pipe("medspacy_target_matcher")
    matcher.add([TargetRule(phrase, label) for label, phrases in TARGETS.items() for phrase in phrases])
    load_seconds = time.perf_counter() - started
    ours = theirs = 0
    for line, expected in CLIENT_SAYS:
        ours += {
            (f.type, f.polarity) for f in draft(f"Therapist: Hi.\nClient: {line}\n", "text").risk_flags
        } == expected
        theirs += medspacy_flags(nlp, line) == expected
    # Screening question and answer: ConText reads one sentence at a time, so it sees the answer alone.
    qa_ours = qa_theirs = 0
    for question, answer, expected in QUESTION_AND_ANSWER:
        got = {(f.type, f.polarity) for f in draft(f"Therapist: {question}\nClient: {answer}\n", "text").risk_flags}
        qa_ours += got == expected
        qa_theirs += medspacy_flags(nlp, f"{question} {answer}") == expected
    print(f"client statements: confide {ours}/{len(CLIENT_SAYS)}, medspaCy ConText {theirs}/{len(CLIENT_SAYS)}")
    print(
        f"question+answer:   confide {qa_ours}/{len(QUESTION_AND_ANSWER)}, "
        f"medspaCy ConText {qa_theirs}/{len(QUESTION_AND_ANSWER)}"
    )
    print(f"medspaCy load time {load_seconds:.2f} s")


if __name__ == "__main__":
    main()
