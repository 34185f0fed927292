"""Facts other than risk: symptoms and functioning, substances, medications, life events, measures, interventions,
the client's response and progress, homework, goals, plan and next session, observations.

Every fact's sentence is written from the utterances it cites; quoted words are the speaker's own, so the grounding
check can verify them verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from confide.drafting.context import Clause, clauses, polarity
from confide.drafting.lexicon import (
    ADMIN,
    DOSE,
    DOSE_AMOUNT,
    DOSE_BARE,
    DOSE_FROM_TO,
    DOSE_SPOKEN,
    DOSE_SPOKEN_BARE,
    DOSE_WAS_NOW,
    GENERIC_MEDICATION,
    INTERVENTIONS,
    LIFE_EVENTS,
    MEASURE,
    MEASURE_NAMED,
    MEASURE_REVERSED,
    MED_CHANGE,
    MEDICATION,
    MI_SOFT,
    MI_STRONG,
    MISSED_DOSES,
    NOT_A_DOSE,
    NUMBER_WORD_ALTERNATION,
    NUMBER_WORDS,
    SCORE_LATER,
    SCORE_SAID,
    SCORED_ON_IT,
    SIDE_EFFECTS,
    SUBSTANCES,
    SYMPTOMS,
    TARGETS,
    Concept,
    instrument_name,
    measure_band,
)
from confide.drafting.model import Fact, Utterance
from confide.drafting.privacy import excluded_items, strip_excluded

_QUOTE_WORDS = 16
_TOPIC_QUESTION = re.compile(r"\?|\b(?:how(?:'s| is| are| has| have)|tell me about|any|what about)\b", re.I)
_GOOD = re.compile(
    r"^\W*(?:(?:it'?s |it has been |it'?s been |pretty |really |much |a (?:little|bit|lot) )*"
    r"(?:good|fine|better|great|okay|ok|alright|well|improved|normal|not bad|decent|solid))\b",
    re.I,
)
_BAD = re.compile(
    r"^\W*(?:(?:it'?s |it'?s been |pretty |really |so |not )*(?:bad|terrible|awful|worse|great|good|"
    r"well|poor|rough|horrible|hard|hardly|barely|the same|meh|not so good|up and down|too much|too little|badly|"
    r"poorly|not much|awful(?:ly)?|crap|lousy|shit|so-so))\b",
    re.I,
)
_HOMEWORK = re.compile(
    r"(?:for (?:your )?homework,?|(?:\bHW|homework)\s*:|"
    # "Okay, homework. Once a day, thirty minutes, you cook something with the chef's knife"
    r"(?:okay|ok|so|alright|all right),? homework\.\s+|"
    r"homework for (?:the family|you (?:two|both)|both of you|the two of you|everyone|the group)\s*:\s*|"
    # "So here's what I'd like for homework. Once a day, do the spinning"; "your homework is to..."
    r"here'?s (?:what i'?d like (?:you to do )?for |the |your )homework\s*[.:,]?\s*|"
    r"(?:the |your )homework (?:this week |for (?:this|next) week )?(?:is|will be)(?: to)?\s*:?\s*|"
    r"\bhomework,? (?:then|for (?:this|the) week|for next time)\s*[.:]\s*(?:(?:one|first|1)\s*[:.,)]\s*)?|"
    r"(?:for )?this (?:coming )?week,? (?:i'?d like (?:you )?to|"
    r"try\b|"
    r"(?=(?:please )?(?:keep|practi[cs]e|write|fill|complete|set|track|log|notice|schedule|plan|do)\b)|can you|"
    r"could you|see if you can|would you be willing to)|between now and (?:next|our next) (?:session|time|week),?|"
    r"before (?:we meet|next (?:session|time|week)),?|i'?d like you to|your (?:assignment|practice) (?:is|will be)|"
    r"(?:keep|fill out|complete|practi[cs]e|do) (?:a |the |one |your )?(?:thought records?|diary card|log|worksheet|"
    r"breathing|exposures?|activity schedule)\b)\s*(?P<task>[^.?!]{4,160})",
    re.I,
)
# The next sentence of the same assignment: "And one family meeting, twenty minutes, Sunday evening."
_AND_ANOTHER = re.compile(r"[.!]\s+(?:and|also|plus)\s*,?\s+(?P<task>(?:one|a|an|the|then|also)\b[^.?!]{4,140})", re.I)
_NEXT_SESSION = re.compile(
    r"(?P<task>(?:see you (?:next|on|in|then|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"next (?:session|appointment|time|week)|same time|in (?:two|2|three|3) weeks|"
    r"follow[- ]?up|f/u|(?-i:RTC)|return (?:to clinic|in))[^.?!]{0,120})",
    re.I,
)
# A weekday offered for the next meeting ("Can we do Friday at 4 instead?"): the note says the day, not the question.
_AT_TIME = (
    r",? (?:at )?(?:\d{1,2}(?::\d\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon)"
    r"(?::\d\d)?(?: ?[ap]\.?m\.?)?(?![\w:])"
)
_NEXT_DAY = re.compile(
    r"\b(?:(?:can|could|shall) we (?:do|meet|say|make it|move (?:it|you) to)|how about|let'?s (?:do|meet|say|book|"
    r"plan on)|book (?:you|it|us)(?: in)? (?:for|on)|schedule (?:you|it|us|that) (?:for|on)|"
    r"see you (?:all |both |again |guys )?(?:on )?|(?:want|like|need) to see (?:you|him|her|them|\w+)\b[^.?!]{0,30}?|"
    r"next (?:session|appointment|time|group|visit|meeting) (?:is |will be )?(?:on )?)\s*(?:on )?"
    r"(?P<day>(?:next |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
    rf"(?P<time>{_AT_TIME})?",
    re.I,
)
# "Thursday at the same time?" / "Tuesday at 4 work for you?": a weekday put as the next meeting.
_NEXT_DAY_ASKED = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:so|okay|and|then|great|good),?\s+)?(?P<day>(?:next |this )?(?:monday|tuesday|wednesday|"
    rf"thursday|friday|saturday|sunday))s?\b(?P<time>,? at the same time|{_AT_TIME})[^.!?]{{0,30}}\?",
    re.I,
)
_PLAN_FOR = re.compile(r"\b(?:plan|homework|goals?|practice|schedule)\s+for\s+$", re.I)
_WEEKDAY = re.compile(
    rf"\b(?P<day>(?:next |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b(?P<time>{_AT_TIME})?",
    re.I,
)
_MEETING_BEFORE = re.compile(
    r"\b(?:meet\w*|see (?:you|him|her|them|each other)|session|appointment|group|visit|back)\b[^.?!]{0,25}$", re.I
)
_MEETING_AFTER = re.compile(
    r"^[^.?!]{0,40}?(?:\?|\bwork\b|\bworks\b|\bsame (?:time|link|place|room)\b|\bagain\b|\bin person\b|"
    r"\bby (?:video|phone)\b)",
    re.I,
)


def _late_weekday(text: str) -> re.Match[str] | None:
    """Near the end of a session, a weekday the clinician puts with a time or a meeting ("And we're meeting Friday at
    0900 again, same link?", "next Tuesday, same time, 11?", "would Thursday at ten work")."""
    for m in _WEEKDAY.finditer(text):
        if m.group("time") or _MEETING_BEFORE.search(text[: m.start()]) or _MEETING_AFTER.match(text[m.end() :]):
            return m
    return None


_REFERRAL = re.compile(
    r"(?P<task>(?:refer\w*|psychiatri\w+ (?:evaluation|appointment|consult\w*)|med(?:ication)? (?:eval\w*|management)|"
    r"intensive outpatient|(?-i:\bIOP\b)|partial hospital\w*|higher level of care|support group|"
    r"(?:AA|NA) meetings?|emergency (?:department|room)|emergency evaluation|(?-i:\bER\b)|hospital\w*|dietitian|"
    r"nutritionist|call (?:dr\.?|doctor) \w+|crisis team|mobile crisis|crisis evaluation|for an evaluation)"
    r"[^.?!]{0,120})",
    re.I,
)
# Duty-to-warn and emergency steps: the plan's most important lines when a client names someone they may harm.
_DUTY = re.compile(
    r"(?P<task>(?:duty to (?:warn|protect)|(?:notify|call|calling|contact\w*) (?:the )?(?:police|911|law enforcement)|"
    r"warn(?:ing)? (?:him|her|them|the person)|(?-i:Tarasoff))[^.?!]{0,140})",
    re.I,
)
# The clinician's own summary of what was agreed ("So to recap: I'm submitting the prior authorization today...").
_RECAP = re.compile(
    r"\b(?:to recap|to sum (?:it )?up|to summari[sz]e|let me summari[sz]e|in summary|so the plan is|here'?s the plan|"
    r"so what we agreed|we have a plan(?=\.)|(?:that'?s|this is) the plan(?=:)|"
    # "Let me say it back so we have the same thing. Thursday December tenth at noon, ..."
    r"let me (?:say|read|repeat) (?:it|that|this|those|them) back(?: to you)?(?: so we (?:have|are on) the same "
    r"(?:thing|page))?)\b[.:,]?\s*"
    r"(?P<task>[^?!]{10,600})",
    re.I,
)
# Consultation about the case ("I'm going to call my supervisor, Dr. Feld"): part of the plan of a risk session.
_CONSULT = re.compile(
    r"(?P<task>(?:(?:call|consult|talk (?:to|with)|speak (?:to|with)|check (?:in )?with|loop in)(?:ing)? "
    r"(?:with )?(?:my|our|the clinic'?s) (?:supervisor|clinical director|consultation team|medical director))"
    r"[^.?!,]{0,40})",
    re.I,
)
_PLAN = re.compile(
    r"(?P<task>(?:(?:we'?ll|we will|let'?s|going to|plan (?:is )?to|plan:) (?:continue|keep|work on|focus on|pick up|"
    r"start|begin|move|increase|meet|add|practice|revisit|go over|come back to)|(?:increase|move) (?:to )?"
    r"(?:sessions|frequency|twice a week|weekly)|continue (?:weekly|biweekly|CBT|DBT|therapy|with)|"
    r"(?:see|meet with) you (?:twice|two times|three times) a week|twice (?:a|per) week|twice weekly|"
    r"in (?:two|three|2|3) days instead)[^.?!]{0,140})",
    re.I,
)
_GOAL = re.compile(
    r"(?P<task>(?:my goal|our goal|your goal|the goal|goal:|treatment goal|treatment plan goal|objective)\b"
    r"[^.?!]{3,140})",
    re.I,
)
_PROGRESS = re.compile(
    r"\b(?:(?:doing|feeling|been|was|is|getting|it'?s|it was) (?:a (?:little|bit|lot) |much |so much |way )?better|"
    r"improv\w*|progress|(?:first|best) (?:week|time) in|(?:haven'?t|didn'?t) had (?:a|any) (?:panic attacks?|"
    r"episodes?|drinks?)|(?:worse|harder|backslid\w*|relaps\w*|setback))\b",
    re.I,
)
_HOMEWORK_DONE = re.compile(
    r"\b(?:i (?:did|tried|completed|filled out|practiced|kept|used|wrote)(?: the| my| a| some| that)? "
    r"(?:thought records?|homework|worksheet|breathing|exercise|log|diary card|exposures?|activit\w+|schedule|"
    r"skills?|it)|i did (?:it|them)|i (?:didn'?t|forgot to|never) (?:do|did|get to|fill out|practice|try) "
    r"(?:the |my |it|them|any)?\s*(?:homework|thought records?|worksheet|log|exercise|breathing|exposures?)?)",
    re.I,
)
_RESPONSE_POS = re.compile(
    r"\b(?:that (?:helps|helped|makes (?:a lot of )?sense|is helpful|was helpful|feels? (?:right|true|better))|"
    r"i (?:can|could|will|'ll) (?:try|do) (?:that|it)|i like that|that'?s a good idea|i (?:feel|felt) "
    r"(?:a (?:little|bit) |so much |much )?(?:better|calmer|lighter|relieved)|i never thought of it (?:that|like that)|"
    r"i didn'?t think of it (?:that way|like that)|you'?re right|i'?m willing|i want to try|i guess that'?s true|"
    r"that'?s true|(?:maybe|i guess|probably|ok(?:ay)?,?) [\"'\u2018\u201c]?\w+[\"'\u2019\u201d]? is "
    r"(?:too strong|a bit much|an exaggeration|not (?:totally|completely|entirely|really) true)|"
    r"(?:it'?s|that'?s) not (?:always|totally|"
    r"completely|entirely) true|that'?s (?:fair|a good point)|i see what you mean|i could see that|"
    r"i (?:hadn'?t|never) (?:thought|looked at it) (?:of it )?(?:that|like that)|when you put it (?:that|like that))\b",
    re.I,
)
_RESPONSE_NEG = re.compile(
    r"\b(?:i don'?t think (?:that|it|this) (?:will|would|is going to) (?:work|help)|that won'?t work|"
    r"i tried that (?:already|before)|i can'?t do that|that feels (?:impossible|too hard)|i'?m not (?:ready|sure about "
    r"that)|easier said than done)\b",
    re.I,
)
_OBSERVED = (
    (
        "tearful",
        re.compile(
            r"(?:\[(?:crying|sobbing|tearful|cries|tears up)\]|\((?:crying|tearful|sobbing)\)|"
            r"\*(?:crying|sobbing)\*|i (?:see|notice) (?:you'?re|you are) (?:tearing up|crying|tearful)|"
            r"(?:here'?s|have) a tissue)",
            re.I,
        ),
    ),
    (
        "anxious and restless",
        re.compile(
            r"i (?:notice|see) (?:you'?re|you are) (?:fidgeting|shaking|bouncing your "
            r"leg|restless)",
            re.I,
        ),
    ),
    (
        "smiling and brighter",
        re.compile(
            r"(?:i (?:notice|see) (?:you'?re|you are) smiling|you (?:seem|look) "
            r"(?:brighter|lighter|more relaxed|happier))",
            re.I,
        ),
    ),
)
_PROCESS = re.compile(
    r"(?:\[(?:long )?(?:pause|silence)\]|\((?:long )?(?:pause|silence)\)|i (?:notice|noticed) (?:you|that you) "
    r"(?:changed the subject|laughed|smiled when|looked away|went quiet|paused)|(?:changed|changing) the subject|"
    r"what'?s (?:it|that) like to (?:tell|say) (?:me|that)|(?:you|it) (?:seem|seems) hard to talk about|"
    r"(?:like|remind(?:s)? me of) my (?:mom|mother|dad|father)|between (?:us|you and me) (?:in|here)|"
    r"you (?:always )?sound like my)",
    re.I,
)
_TELEHEALTH = re.compile(
    r"\b(?:can you (?:hear|see) me|you'?re (?:on mute|muted)|my (?:camera|video|screen)|"
    r"zoom|telehealth|video (?:call|session))\b",
    re.I,
)
_CLINICIAN_PROGRESS = re.compile(
    r"\b(?:that'?s|this is|you'?re making|you'?ve made) (?:real |great |good |a lot of |so much |some )?progress\b",
    re.I,
)
_SIDE_EFFECT_QUESTION = re.compile(r"\bside[- ]effects?\b", re.I)
_STANDALONE_RESPONSE = re.compile(
    r"^\W*(?:(?:a (?:little|bit)|much|so much|way) )?(?:calmer|better|lighter|more relaxed|relieved)\b", re.I
)
_RISK_POINT = re.compile(r"\b(?:SI|HI|SH|NSSI|suicid\w*|homicid\w*|self[- ]harm|cutting|safety)\b", re.I)
_PRIVATE_POINT = re.compile(
    r"^\W*(?:for me only|just for me|private|note to self|my (?:own )?reactions?|clinician(?:'s)? reactions?|"
    r"countertransference|(?-i:CT)|psychotherapy note|process note|(?-i:PN)|my hypothes[ie]s|hypothes[ie]s|"
    r"impressions? for me)\b\s*[:\-\u2013]",
    re.I,
)
_LATE = re.compile(r"\b(?:sorry (?:i'?m|for being|i was) late|running late)\b", re.I)
_SPACES = re.compile(r"\s+")
_CLIENT_SUBJECT = re.compile(r"^(?:pt|client|patient|she|he|they)\b\s*", re.I)


_AND_I = re.compile(r",?\s+(?:and|so|because|cause|plus)\s+(?=I\b|I'|my\b)|,\s+(?=I\b|I')")


def _piece(text: str, span: tuple[int, int]) -> tuple[str, tuple[int, int]]:
    """The part of a clause that holds the match: "I'm sleeping four hours and I don't enjoy anything" has two."""
    start, end = 0, len(text)
    for m in _AND_I.finditer(text):
        if m.end() <= span[0]:
            start = m.end()
        elif m.start() >= span[1]:
            end = m.start()
            break
    return text[start:end], (span[0] - start, span[1] - start)


def snippet(text: str, span: tuple[int, int] | None = None, limit: int = _QUOTE_WORDS) -> str:
    """The speaker's words around a match, at most `limit` words, verbatim so grounding can check them."""
    words = list(re.finditer(r"\S+", text))
    if len(words) <= limit:
        return text.strip().rstrip(",;:")
    centre = 0
    if span is not None:
        centre = next((i for i, w in enumerate(words) if w.end() > span[0]), 0)
    first = max(0, min(centre - limit // 3, len(words) - limit))
    chosen = words[first : first + limit]
    cut = text[chosen[0].start() : chosen[-1].end()].strip().rstrip(",;:")
    return re.sub(r"[,;]?\s+(?:and|or|but|so|like|because|the|a|to)$", "", cut, flags=re.I)


def _quote(text: str) -> str:
    cleaned = _SPACES.sub(" ", text).strip().strip("\"'").rstrip(".,;:")
    return f"\u201c{cleaned}\u201d"


_ANNOTATION = re.compile(r"\s*\[[^\]]{1,40}\]\s*")  # "[crosstalk]", "[inaudible]", "[laughs]"
_FILLER = re.compile(
    r"^(?:\W*(?:um+|uh+|er+|so|well|yeah|yes|no|okay|ok|like|honestly|i mean|you know|i guess|i think|and|but|"
    r"oh|hmm+|mm+)\b[,.]?\s*)+",
    re.I,
)
_FIRST_PERSON = (
    (re.compile(r"\bI'?m\b|\bI am\b", re.I), "they are"),
    (re.compile(r"\bI was\b", re.I), "they were"),
    (re.compile(r"\bI'?ve\b", re.I), "they have"),
    (re.compile(r"\bI'?d\b", re.I), "they would"),
    (re.compile(r"\bI'?ll\b", re.I), "they will"),
    (re.compile(r"\bI\b"), "they"),
    (re.compile(r"\bmyself\b", re.I), "themselves"),
    (re.compile(r"\bmy\b", re.I), "their"),
    (re.compile(r"\bme\b", re.I), "them"),
    (re.compile(r"\bmine\b", re.I), "theirs"),
)
# "you" (the clinician? anyone?) and "we" cannot be turned without guessing; "he" and "she" can stay as they are,
# since the client becomes "they".
_NOT_OWN_VOICE = re.compile(r"\b(?:you|your|yours|yourself|y'all|we|us|our|ours)\b|\?", re.I)


def third_person(text: str) -> str | None:
    """The client's words in the note's voice: "I'm sleeping maybe four hours" -> "they are sleeping maybe four
    hours". None when the words cannot be turned safely (a question, or a 'you'/'he' whose referent the note would
    have to guess), so the caller quotes them instead."""
    cleaned = _ANNOTATION.sub(" ", text)
    cleaned = _FILLER.sub("", _SPACES.sub(" ", cleaned).strip().strip("\"'")).rstrip(".,;:!")
    if len(cleaned.split()) < 3 or _NOT_OWN_VOICE.search(cleaned):
        return None
    if not re.search(r"\b(?:I|I'm|my|me)\b", cleaned, re.I):
        return None
    for pattern, replacement in _FIRST_PERSON:
        cleaned = pattern.sub(replacement, cleaned)
    return cleaned[0].lower() + cleaned[1:] if not cleaned.startswith("they") else cleaned


def in_their_words(text: str) -> str:
    """ ", stating they are sleeping four hours" where the words turn safely, ': "I sleep four hours"' where not."""
    turned = third_person(text)
    return f", stating {turned}" if turned else f": {_quote(text)}"


class _Collector:
    """Keeps one fact per (kind, key) so a symptom mentioned ten times yields one sentence with its evidence."""

    def __init__(self) -> None:
        self.facts: dict[tuple[str, str], Fact] = {}
        self.named: dict[str, list[str]] = {}

    def add(self, key: str, fact: Fact, max_evidence: int = 4) -> None:
        existing = self.facts.get((fact.kind, key))
        if existing is None:
            self.facts[(fact.kind, key)] = fact
        elif len(existing.evidence) < max_evidence and fact.evidence[0] not in existing.evidence:
            # Later mentions add evidence only; the first sentence stands, so its quotes stay in its evidence.
            extra = tuple(e for e in fact.evidence if e not in existing.evidence)
            self.facts[(fact.kind, key)] = replace(existing, evidence=existing.evidence + extra)

    def add_named(self, key: str, label: str, names: list[str], fact: Fact, max_names: int = 6) -> None:
        """An intervention named in several turns ("TIPP", later "chain analysis", "diary card"): one sentence that
        lists each technique, citing the turn of each."""
        existing = self.facts.get((fact.kind, key))
        if existing is None:
            self.named[key] = list(names[:max_names])
            self.facts[(fact.kind, key)] = fact
            return
        known = self.named[key]
        new = [n for n in names if n.lower() not in {k.lower() for k in known}][: max_names - len(known)]
        if not new:
            return
        known.extend(new)
        evidence = existing.evidence + tuple(e for e in fact.evidence if e not in existing.evidence)
        said = ", ".join(_quote(n) for n in known)
        self.facts[(fact.kind, key)] = replace(existing, text=f"Clinician used {label} ({said}).", evidence=evidence)


def _concept_hits(concepts: Iterable[Concept], clause: Clause) -> Iterable[tuple[Concept, re.Match[str]]]:
    for concept in concepts:
        m = concept.pattern.search(clause.text)
        if m:
            yield concept, m


def extract_facts(utterances: list[Utterance], *, points: bool = False, risk_ids: Iterable[str] = ()) -> list[Fact]:
    """Every fact the rules find. `risk_ids`: utterances the risk rules already read, which no other sentence
    restates."""
    if points:
        return _points_facts(utterances)
    out = _Collector()
    for index, u in enumerate(utterances):
        if u.role == "clinician":
            _clinician_facts(utterances, index, out)
        else:
            _client_facts(utterances, index, out)
        _shared_facts(utterances, index, out)
    _keep_best_quantities(out)
    _keep_specific_medications(out)
    _private_material(utterances, out)
    _ratings(utterances, out)
    _session_focus(utterances, out, set(risk_ids))
    _people(utterances, out)
    _key_statements(utterances, out, set(risk_ids))
    return list(out.facts.values())


_CONTENT = re.compile(r"[A-Za-z][a-z'\-]{3,}")
_SPECIFIC = re.compile(
    r"\b(?:\d+|" + NUMBER_WORD_ALTERNATION + r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|"
    r"morning|night|week|month|year|yesterday|today|since|started|stopped|again|every|because)\b",
    re.I,
)


# A capitalized word inside a sentence that is not a day, a month, "I" or a title: most often a person's name.
_OTHER_NAME = re.compile(
    r"(?<![.!?]\s)(?<![.!?]\s\s)\b(?!(?:I|I'm|I've|I'd|I'll|Mom|Dad|God|OK|Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Christmas|Thanksgiving|Easter|English|Spanish|American|Google|Instagram|TikTok|Facebook|Netflix|Zoom)\b)"
    r"[A-Z][a-z]{2,}\b"
)


def _key_statements(utterances: list[Utterance], out: _Collector, risk_ids: set[str]) -> None:
    """The client's own account, for what the vocabulary does not name: the few most specific statements no other
    sentence cites, in the note's voice ("Client reports that they called in sick twice this week"). Statements
    about risk (the risk rules speak for those), sensitive detail (the private draft's) and anything that cannot be
    put in the third person safely are left out."""
    cited = {e for f in out.facts.values() for e in f.evidence} | risk_ids
    candidates: list[tuple[float, int, str, Utterance]] = []
    client_turns = 0
    for index, u in enumerate(utterances):
        if u.role != "client":
            continue
        client_turns += 1
        if u.id in cited or _PROCESS.search(u.text):
            continue
        for clause in clauses(u.text):
            text = clause.text.strip()
            words = _CONTENT.findall(text)
            if len(words) < 5 or any(c.sensitive and c.pattern.search(text) for c in LIFE_EVENTS):
                continue
            if _OTHER_NAME.search(text[1:]):
                continue  # another person by name ("I texted Maya memes"): theirs to keep out of the note
            turned = third_person(snippet(text, limit=22))
            if turned is None or not turned.startswith("they "):
                continue  # a statement with the client as its subject, not a fragment
            score = len(set(w.lower() for w in words)) + 3 * len(_SPECIFIC.findall(text))
            candidates.append((score, index, turned, u))
    budget = max(2, min(8, client_turns // 6))
    chosen = sorted(sorted(candidates, key=lambda c: -c[0])[:budget], key=lambda c: c[1])
    seen: set[str] = set()
    for _, _, turned, u in chosen:
        if u.id in seen:
            continue
        seen.add(u.id)
        out.add(f"report:{u.id}", Fact("report", f"Client reports that {turned}.", (u.id,)), max_evidence=1)


_N = r"(?:\d{1,3}(?:\.\d)?|" + NUMBER_WORD_ALTERNATION + r"|a couple(?: of)?|a few|several|half a)"
_RANGE = rf"(?P<n>{_N})(?:\s*(?:-|to|or|,|\u2013)\s*(?P<n2>{_N}))?"
_PER = r"(?P<per>(?:a|per|each|every|in a|this|last|the past)\s+(?:night|day|week|weekend|month|evening|morning))"
# Quantities a note must carry, in the client's units.
_QUANTITIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "sleep_hours",
        re.compile(
            rf"(?:\b(?P<lead>(?:sleep|sleeping|slept|get|getting|got)(?: (?:maybe|about|like|around|only|just|barely|"
            rf"roughly|probably))*) |"
            rf"(?<![\w ])\s*(?:maybe |about |like |around |only |probably )?)\b{_RANGE} hours?"
            rf"(?: (?:of sleep|a night|per night|each night|at night|a day))?",
            re.I,
        ),
    ),
    (
        "drinks",
        re.compile(
            rf"\b{_RANGE} (?P<unit>beers?|drinks?|glasses of wine|glasses|shots?|cans|bottles of wine|bottles|"
            rf"pints?|cocktails?)(?: (?:of \w+ ))?(?: (?:plus|and) (?:a couple(?: of)?|{_N}) (?:more )?shots?)?"
            rf"(?:\s+{_PER}|[.,]?\s+(?P<freq>{_N} (?:nights|days|times) (?:a|per) week))?",
            re.I,
        ),
    ),
    (
        # "Nightmares four nights a week", "twice last month", "three arguments in two weeks"
        "frequency",
        re.compile(
            rf"\b{_RANGE} (?P<unit>times|nights|days|mornings|evenings|nightmares|arguments|fights|blackouts|"
            rf"cigarettes|joints) (?P<per>(?:a|per|each|this|last|in the past|in a) (?:day|week|month|night)|"
            rf"this past week|last month|in (?:the last |the past )?(?:two|2) weeks)",
            re.I,
        ),
    ),
    (
        "panic_attacks",
        re.compile(rf"\b{_RANGE} (?P<unit>panic attacks?|attacks?)(?:\s+{_PER})?", re.I),
    ),
    (
        "cigarettes",
        re.compile(
            rf"\b(?:{_RANGE} (?P<unit>cigarettes?|cigs|packs?)|(?P<half>half a pack|a pack(?: and a half)?))"
            rf"(?:\s+{_PER})?",
            re.I,
        ),
    ),
)


def _quantities(u: Utterance, prev: Utterance | None, out: _Collector) -> None:
    """'Maybe four hours a night', 'five or six beers a night', 'three panic attacks this week': the numbers a
    supervisor looks for, written as a sentence of their own so they are never lost inside a quote."""
    for key, pattern in _QUANTITIES:
        for m in pattern.finditer(u.text):
            _quantity(key, m, u, prev, out)
    if prev is None or prev.role != "clinician":
        return
    asked, answer = _HOW_MANY.search(prev.text), _BARE_COUNT.match(u.text)
    if asked and answer:
        # "How many panic attacks this week?" "Two. Tuesday at the grocery store...": the count answers the question
        period = f" {asked.group('per').lower()}" if asked.group("per") else ""
        said = f"Client reports {answer.group('n').lower()} {asked.group('what').lower()}{period}."
        out.add(f"quantity:asked:{u.id}", Fact("symptom", said, (prev.id, u.id)))


_HOW_MANY = re.compile(
    r"\bhow many (?P<what>(?:full |real |big )?panic attacks|drinks|beers|glasses of wine|cigarettes|cigs|joints|"
    r"hours(?: of sleep)?|nightmares|binges|episodes|flashbacks)(?: (?:have you had |did you have |do you have |"
    r"would you say )?(?P<per>(?:a|per|this|last|each|in a|in the last) (?:night|day|week|month|weekend)))?",
    re.I,
)
_BARE_COUNT = re.compile(
    r"^\W*(?:(?:maybe|about|like|probably|around|um|uh|so|honestly|i'?d say|i think)\W+)*"
    rf"(?P<n>(?:\d{{1,2}}|{NUMBER_WORD_ALTERNATION})(?:\s*(?:or|to|-)\s*(?:\d{{1,2}}|{NUMBER_WORD_ALTERNATION}))?)\b"
    r"(?!\s*(?:percent|%|o'?clock|am|pm|years?|minutes?))",
    re.I,
)


def _quantity(key: str, m: re.Match[str], u: Utterance, prev: Utterance | None, out: _Collector) -> None:
    amount = m.group(0).strip().rstrip(",.")
    if m.group("n2"):
        amount = amount.replace(f"{m.group('n')}, {m.group('n2')}", f"{m.group('n')} to {m.group('n2')}", 1)
    if "freq" in m.re.groupindex and m.group("freq"):
        amount = amount[: m.start("freq") - m.start()].rstrip(" .,") + ", " + m.group("freq").lower()
    if key == "drinks" and not (m.group("per") or re.search(r"\b(?:drink|beer|wine|alcohol)", u.text, re.I)):
        return
    if key == "panic_attacks" and "panic" not in m.group(0).lower() and "panic" not in u.text.lower():
        return
    core = " ".join(m.group(0)[(m.start("n") if m.group("n") else m.start()) - m.start() :].lower().split()[:2])
    if any(u.id in f.evidence and ", stating " in f.text and core in f.text.lower() for f in out.facts.values()):
        return  # the symptom's own sentence already carries the number, in the note's voice
    evidence: tuple[str, ...] = (u.id,)
    if key == "sleep_hours":
        if not m.group("lead"):
            amount = "sleeping " + amount[0].lower() + amount[1:]
        if not re.search(r"\bsle(?:ep|pt)", u.text, re.I):
            # "I get about seven hours" answers "how are you sleeping?", which is then part of the evidence
            if prev is None or not re.search(r"\bsle(?:ep|pt)", prev.text, re.I):
                return
            evidence = (prev.id, u.id)
        amount = re.sub(r"^(?:get|getting|got|sleep|slept)\b", "sleeping", amount, flags=re.I)
    if key == "frequency":
        clause = next((c.text for c in clauses(u.text) if m.group(0) in c.text), m.group(0))
        turned = third_person(snippet(clause.strip(), limit=22))
        if turned is None or not turned.startswith("they "):
            return
        out.add(f"quantity:{key}:{u.id}:{m.start()}", Fact("symptom", f"Client reports that {turned}.", evidence))
        return
    verb = {"drinks": "drinking ", "cigarettes": "smoking "}.get(key, "")
    if verb and amount[:1].isupper() and not amount[:2].isupper():
        amount = amount[0].lower() + amount[1:]  # "Four, five beers most nights" mid-sentence
    kind = "substance" if key in ("drinks", "cigarettes") else "symptom"
    out.add(f"quantity:{key}:{u.id}:{m.start()}", Fact(kind, f"Client reports {verb}{amount}.", evidence))


# The clinician dictating for themselves ("Memo for me, not for the chart."): their words, from there on, until the
# client speaks again, belong to the private draft.
_MEMO = re.compile(
    r"\b(?:memo (?:for|to) (?:me|myself)|not for the (?:chart|record|note)|for me only|note to self|just for me|"
    r"off the record|for my (?:own )?(?:notes|process notes?|psychotherapy notes?))\b",
    re.I,
)
_MEMO_ROUTING = re.compile(
    r"^\W*(?:okay,?\s*)?(?:(?:the )?recording'?s still on\.?\s*)?(?:memo (?:for|to) (?:me|myself),?\s*"
    r"(?:not for the (?:chart|record|note))?\.?\s*)",
    re.I,
)
# A third party's confidence, told in session ("she made me promise not to tell anyone"): what follows is theirs.
_CONFIDED = re.compile(
    r"\b(?:made me (?:promise|swear)(?: (?:not to|i wouldn'?t) tell)?|promised (?:her|him|them) i wouldn'?t tell|"
    r"sworn to secrecy|(?:asked|told|begged) me not to (?:tell|say anything)|"
    r"don'?t tell (?:anyone|anybody|your mom|mom|dad)|(?:it'?s|this is) (?:a|her|his|their) secret|"
    r"nobody (?:else )?knows|keep (?:it|this|that) (?:a secret|between us|to myself)|between you and me|"
    r"(?:doesn'?t|don'?t|does not|do not) want (?:anyone|anybody|(?:our|my|her|his) \w+) to know|"
    r"(?:hasn'?t|has not|haven'?t) told (?:anyone|anybody|(?:our|my|her|his) (?:parents|mom|dad|husband|wife)))\b",
    re.I,
)


# A rating asked for in session ("How's your distress now, zero to ten?", "How important is it to you, on a scale
# of 0 to 10?"): the answer is a number the note should carry.
_RATING_ASKED = re.compile(
    r"\b(?:zero to (?:ten|a hundred|100)|0 ?(?:to|-) ?(?:10|100)|on a scale|suds|rate (?:it|that|your|the)|"
    # the MI rulers asked again: "And how confident are you, same scale, that you could cut back?"
    r"(?:same|that) scale|how (?:confident|important|ready|sure|likely) (?:are you|is it|do you feel|would you say))\b",
    re.I,
)
_RATED_WHAT = re.compile(
    r"\b(distress|anxiety|anxious|urges?|fear|flood(?:ing|ed)|mood|pain|craving|anger|confiden\w+|important|importance|ready|"
    r"readiness|sadness|panic|belief|sleepiness|sure|likely)\b",
    re.I,
)
_RATED_NUMBER = re.compile(r"\b(?:\d{1,3}|" + NUMBER_WORD_ALTERNATION + r")\b", re.I)


def _ratings(utterances: list[Utterance], out: _Collector) -> None:
    for index, u in enumerate(utterances[:-1]):
        if u.role != "clinician" or "?" not in u.text or not _RATING_ASKED.search(u.text):
            continue
        answer = next((a for a in utterances[index + 1 : index + 3] if a.role != "clinician"), None)
        what = _RATED_WHAT.search(u.text)
        if answer is None or what is None or not _RATED_NUMBER.search(answer.text) or len(answer.text.split()) > 30:
            continue
        label = {"important": "importance", "confident": "confidence", "ready": "readiness"}.get(
            what.group(1).lower(), what.group(1).lower()
        )
        label = "confidence" if label.startswith("confiden") else label
        out.add(
            f"rating:{u.id}",
            Fact("response", f"Asked to rate {label}, client said: {_quote(snippet(answer.text))}.", (u.id, answer.id)),
        )


def _private_material(utterances: list[Utterance], out: _Collector) -> None:
    """The clinician's own memo, and a third party's confidence, for the private draft (the boundary check still
    removes any 164.501 item from them)."""
    memo = False
    for index, u in enumerate(utterances):
        if u.role != "clinician":
            memo = False
        elif memo or _MEMO.search(u.text):
            memo = True
            for sentence in re.split(r"(?<=[.!?])\s+", _MEMO_ROUTING.sub("", u.text)):
                words = sentence.strip()
                if len(words.split()) >= 4 and not re.match(r"(?:end (?:of )?memo|okay)\b", words, re.I):
                    out.add(
                        f"memo:{u.id}:{words[:30]}",
                        Fact("private", words, (u.id,), True, data=(("author", "clinician"),)),
                    )
            continue
        marker = _CONFIDED.search(u.text) if u.role != "clinician" else None
        if marker is None or _TEASING.search(u.text[max(0, marker.start() - 60) : marker.start()]):
            continue  # "this was, weirdly, kind of fun? Don't tell anyone.": a joke about liking the session
        secret, source = _the_confidence(utterances, index, marker)
        said = snippet(secret, limit=30) if secret else ""
        kept = said if said and len(said.split()) < 3 and not excluded_items(said) else strip_excluded(said)
        if kept:
            out.add(
                f"confided:{source.id}",
                Fact(
                    "private",
                    f"Shared in confidence, as the client said it: {_quote(kept)}.",
                    tuple(dict.fromkeys((source.id, u.id))),
                    True,
                ),
            )


_LEAD_WORD = re.compile(r"^(?:but|and|so|that)\s+", re.I)
_TEASING = re.compile(r"\b(?:fun|enjoy\w*|liked (?:it|this)|loved (?:it|this)|helpful|not bad|cool)\W*$", re.I)


def _the_confidence(utterances: list[Utterance], index: int, marker: re.Match[str]) -> tuple[str, Utterance]:
    """What was told in confidence: the rest of the turn that says so ("She made me promise not to tell anyone, but
    she's pregnant"), else the client's turn just before ("My brother is using again. He asked me not to say anything
    to our dad."), else the next one ("Can I tell you something nobody knows?" ... "My mom has a boyfriend.")."""
    u = utterances[index]
    before: list[str] = []
    after: list[str] = []
    for c in clauses(u.text):
        if c.start <= marker.start() < c.start + len(c.text):
            # "My coworker told me she's getting laid off, she doesn't want anyone to know": what comes before the
            # marker, up to its last comma
            lead = c.text[: marker.start() - c.start]
            before.append(lead[: lead.rfind(",")] if "," in lead else "")
        else:
            (before if c.start < marker.start() else after).append(c.text)
    before, after = ([_LEAD_WORD.sub("", c.strip(" ,.;:-")) for c in part] for part in (before, after))
    # "Terrence. Yeah. He's using again. He ... made me swear not to tell my mom": the last few pieces before the
    # marker, short ones (the name) included; with nothing before it, the first thing said after it
    told: list[str] = []
    for piece in reversed([c for c in before if c]):
        if len(told) == 5 or len(" ".join([piece, *told]).split()) > 24:
            break
        told.insert(0, piece)
    if len(" ".join(told).split()) >= 2 and any(len(c.split()) >= 2 for c in told):
        return ". ".join(told), u
    rest = [c for c in after if len(c.split()) >= 2]
    if rest:
        return rest[0], u
    earlier = [e for e in utterances[max(0, index - 2) : index] if e.role != "clinician" and "?" not in e.text]
    if earlier and not marker.group(0).lower().startswith(("can i", "nobody")) and not u.text.rstrip().endswith("?"):
        return earlier[-1].text, earlier[-1]
    later = [e for e in utterances[index + 1 : index + 4] if e.role != "clinician"][:1]
    return (later[0].text, later[0]) if later else ("", u)


def _keep_specific_medications(out: _Collector) -> None:
    """ "Medication: bupropion, increased." says less than "Medication: bupropion, increased from one fifty to three
    hundred.": the vaguer sentence goes when a more specific one about the same medication is there."""
    medications = {k: f.text.rstrip(".") for k, f in out.facts.items() if k[1].startswith("med:")}
    for key, text in medications.items():
        if any(other != key and longer.startswith(text + " ") for other, longer in medications.items()):
            del out.facts[key]


def _keep_best_quantities(out: _Collector, per_key: int = 2) -> None:
    """Several mentions of a quantity ("one beer", later "six, eight beers... five nights a week"): the note keeps
    the fullest, those with a period and a range first."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for kind, key in list(out.facts):
        if key.startswith("quantity:"):
            groups.setdefault(key.split(":")[1], []).append((kind, key))
    for entries in groups.values():

        def fullness(entry: tuple[str, str]) -> tuple[int, int]:
            text = out.facts[entry].text
            period = bool(re.search(r"\b(?:a|per|each|every|this|last) (?:night|day|week|month)\b", text, re.I))
            return (period + bool(re.search(r"\b(?:to|or|-)\b|,", text)), len(text))

        for entry in sorted(entries, key=fullness, reverse=True)[per_key:]:
            del out.facts[entry]


_MI_STRONG = re.compile(MI_STRONG, re.I)
_MI_SOFT = re.compile(MI_SOFT, re.I)


def _administrative(utterances: list[Utterance], out: _Collector) -> None:
    """A session spent on insurance or scheduling says so, in one sentence, instead of leaving the note blank."""
    hits = {c.key: [u for u in utterances if c.pattern.search(u.text)] for c in ADMIN}
    said = [c for c in ADMIN if len(hits[c.key]) >= 2]
    total = len({u.id for c in said for u in hits[c.key]})
    if not said or total < max(3, len(utterances) // 5):
        return
    evidence = tuple(dict.fromkeys(hits[c.key][0].id for c in said))
    labels = ", ".join(c.label for c in said)
    out.add("admin", Fact("focus", f"Session addressed administrative matters ({labels}).", evidence))
    # The particulars are the note of such a session: who pays what, from when, and the dates agreed.
    details = 0
    for u in utterances:
        for sentence in re.split(r"(?<=[.!])\s+", u.text):
            words = len(sentence.split())
            if details >= 6 or not 4 <= words <= 40 or sentence.rstrip().endswith("?"):
                continue
            if not (_ADMIN_PARTICULAR.search(sentence) and any(c.pattern.search(sentence) for c in ADMIN)):
                continue
            who = "Clinician" if u.role == "clinician" else "Client"
            quoted = _quote(sentence.strip().rstrip("."))
            out.add(f"admin:{u.id}:{details}", Fact("focus", f"{who} said: {quoted}.", (u.id,)))
            details += 1


# A particular worth charting in an administrative talk: an amount, a share, a date, a plan's or payer's name.
_ADMIN_PARTICULAR = re.compile(
    r"\$\s?\d|\b(?:dollars?|percent|fee|deductible|network|superbill|sliding scale|every other|starting|switching|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)\b)|"
    r"\b\d{1,2}(?::\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.)",
    re.I,
)


# The people in the client's own account, by their relation to the client ("my sister", "my late wife"); their
# names stay out, as everywhere in the note.
_RELATIONS = (
    r"sister|brother|mom|mother|dad|father|son|daughter|wife|husband|partner|boyfriend|girlfriend|fianc[eé]e?|cousin|"
    r"aunt|uncle|grandma|grandmother|grandpa|grandfather|grandson|granddaughter|grandkids|grandchildren|roommate|"
    r"neighbou?r|best friend|friend|coworker|co-worker|boss|sponsor|pastor|priest|stepmom|stepdad|kids|children|"
    r"parents|in-laws|mother-in-law|father-in-law|ex"
)
# "my sister"; in the clinician's words, "your sister".
_RELATION = re.compile(
    r"\b(?P<whose>my|your) (?:(?:little|big|older|younger|baby|twin|late|ex-?|step-?|best)\s?)?"
    rf"(?P<who>{_RELATIONS})\b",
    re.I,
)


_HOMEWORK_WORDS = re.compile(
    r"\b(?:homework|practi[cs]\w*|worksheet|log|diary card|assignment|exercise|record|tr(?:y|ied) (?:it|that)|"
    r"skills?|last (?:week|time|session)|how did (?:it|that|the \w+) go)\b",
    re.I,
)


def _asked_about_homework(utterances: list[Utterance], index: int) -> bool:
    asked = next((p for p in reversed(utterances[max(0, index - 2) : index]) if p.role == "clinician"), None)
    return asked is not None and bool(_HOMEWORK_WORDS.search(asked.text))


def _people(utterances: list[Utterance], out: _Collector) -> None:
    """One sentence naming, by relation, the people the client spoke of at least once ("Client discussed their
    sister, son and neighbor.")."""
    seen: dict[str, str] = {}
    # The detail of a trauma or a secret is the private draft's, and so is who was in it.
    private = {e for f in out.facts.values() if f.private for e in f.evidence}
    for u in utterances:
        if u.id in private:
            continue
        for m in _RELATION.finditer(u.text):
            # the client's people in the client's words, or in the clinician's ("your sister"); by relation only,
            # never by name (the note names no one it does not need to)
            if m.group("whose").lower() == ("your" if u.role == "clinician" else "my"):
                seen.setdefault(m.group("who").lower(), u.id)
    if not seen:
        return
    words = list(seen)[:6]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    out.add("people", Fact("report", f"Client discussed their {listed}.", tuple(seen[w] for w in words)))


def _session_focus(utterances: list[Utterance], out: _Collector, risk_ids: set[str]) -> None:
    """The behavior a session keeps returning to (drinking, smoking, exercise...) is its focus; in such a session,
    recurring MI moves (asking permission, autonomy, evoking reasons) are motivational interviewing."""
    _administrative(utterances, out)
    hits: dict[str, list[Utterance]] = {}
    for u in utterances:
        if u.id in risk_ids:
            continue  # "I have the pills in my drawer" is the means of a risk, not a behavior to change
        for concept in TARGETS:
            hit = concept.pattern.search(u.text)
            prescribed = hit and (MEDICATION.fullmatch(hit.group(0)) or _PRESCRIBED.search(u.text))
            if concept.key == "drugs" and prescribed:
                continue  # "the bottle from my back surgery. The oxy.": a prescription, not drug use
            if hit:
                hits.setdefault(concept.key, []).append(u)
    if not hits:
        return

    def weight(key: str) -> float:
        # Sleep and school come up in most sessions as context; a behavior of its own counts double against them.
        return len(hits[key]) * (0.5 if key in _CONTEXT_TARGETS else 1)

    ranked = sorted(hits, key=weight, reverse=True)
    # Two behaviors said equally often ("my sugar" and "the snacks") are both the focus; one said less is not.
    tied = [k for k in ranked if weight(k) == weight(ranked[0])][:2]
    if len(ranked) > len(tied) and weight(ranked[len(tied)]) == weight(ranked[0]):
        return
    said = [u for u in utterances if any(u in hits[k] for k in tied)]
    concepts = [next(c for c in TARGETS if c.key == k) for k in tied]
    clients = [u for u in said if u.role != "clinician"]
    # A long session keeps coming back to its behavior; a short conversation names it a few times ("the beers", "a
    # few cold ones"), which the note records as discussed rather than as the session's focus.
    focused = min(len(hits[k]) for k in tied) >= max(4, len(utterances) // 10)
    if not focused and (len(utterances) > 50 or len(said) < (2 if clients else 3)):
        return  # in a longer session, a behavior named in passing is not a conversation about changing it
    evidence = tuple(dict.fromkeys(u.id for u in clients[:2] + said[:1]))
    # the client's own word for it, when it is not the label's ("the cold ones" for alcohol use)
    words = [m.group(0).lower() for u in clients for c in concepts for m in c.pattern.finditer(u.text)]
    own = max(words, key=words.count) if words else ""  # the most said; of equals, the first said
    label = " and ".join(c.label for c in concepts)
    plain = " ".join(f"{c.label} {c.topic}" for c in concepts)
    named = f" (“{own}”)" if own and not re.search(rf"\b{re.escape(own)}\b", plain, re.I) else ""
    if named:
        evidence = tuple(dict.fromkeys([next(u.id for u in clients if own in u.text.lower()), *evidence]))
    said_so = f"Session focused on {label}{named}." if focused else f"Client discussed {label}{named}."
    out.add("focus", Fact("focus", said_so, evidence), max_evidence=3)
    clinician = [u for u in utterances if u.role == "clinician"]
    moves = [u for u in clinician if _MI_SOFT.search(u.text) or _MI_STRONG.search(u.text)]
    spirit = [u for u in clinician if _MI_CONSISTENT.search(u.text) or u in moves or _reflection(u.text)]
    against = [u for u in clinician if _MI_INCONSISTENT.search(u.text)]
    # Motivational interviewing is a way of talking, not a checklist: its moves (permission, rulers, evoking) or a
    # session carried by reflections and open questions, and little of the lecturing and warning it replaces.
    mi_like = len(moves) >= 2 or len(spirit) >= max(4, 0.4 * len(clinician))
    if not mi_like or 6 * len(against) > len(spirit) or ("intervention", "mi") in out.facts:
        return
    mi = next(c for c in INTERVENTIONS if c.key == "mi")
    if len(moves) >= 2:
        shown = moves[:3]
        found = [m.group(0) for u in shown if (m := _MI_STRONG.search(u.text) or _MI_SOFT.search(u.text))]
        label = mi.label
    else:
        # carried by reflections and open questions: the sentence cites the turns that show them in so many words
        shown = [u for u in spirit if _MI_CONSISTENT.search(u.text)][:3]
        found = [m.group(0) for u in shown if (m := _MI_CONSISTENT.search(u.text))]
        label = "motivational interviewing (reflective listening, open questions)"
    if not shown:
        return
    said_words = ", ".join(_quote(snippet(f, limit=8)) for f in dict.fromkeys(found))
    out.add(
        "mi",
        Fact(
            "intervention",
            f"Clinician used {label} ({said_words}).",
            tuple(u.id for u in shown),
            data=(("intervention", mi.topic),),
        ),
    )


_CONTEXT_TARGETS = frozenset({"sleep", "school"})
_PRESCRIBED = re.compile(r"\b(?:prescri\w*|surgery|refills?|pharmac\w*|the bottle from|my doctor gave)\b", re.I)
# Not a reflection: the clinician's own plans, small talk and framing ("Let's look at the schedule", "Okay.").
_NOT_REFLECTION = re.compile(
    r"^(?:i'?ll|i'?m going|i (?:want|would like|need)|let'?s|we (?:can|will|could|should)|we'?ll|ok(?:ay)?\W*$|"
    r"hi\b|hello|thanks?\b|great\W*$|good (?:morning|afternoon)|see you|bye)",
    re.I,
)


def _reflection(text: str) -> bool:
    """A short statement back to the client ("That scared you.", "Being exclusive made condoms feel less
    necessary."): no question, no advice, not the clinician's own plan."""
    said = text.strip()
    return (
        "?" not in said
        and 2 <= len(said.split()) <= 30
        and not _NOT_REFLECTION.search(said)
        and not _MI_INCONSISTENT.search(said)
    )


# The clinician's reflections, open questions and affirmations: the talk motivational interviewing is made of.
_MI_CONSISTENT = re.compile(
    r"^(?:so )?(?:it )?sounds like\b|^(?:so )?you(?:'re| are) (?:feeling|saying|not sure|worried|thinking|wondering|"
    r"torn|ready)\b|^(?:so )?part of you\b|^(?:so )?you (?:feel|want|don'?t want|really|already|know|remember|"
    r"care|value|would like)\b|^(?:so )?on (?:the )?one hand\b|^(?:what|how) (?:do|would|could|might|are|else|"
    r"has|have|is)\b[^.!]*\?|^tell me (?:more|about)\b|\bthat (?:takes|took) (?:a lot of )?(?:courage|guts|work)\b|"
    r"\byou'?ve (?:already|really) (?:done|made|thought|put)\b",
    re.I | re.M,
)
# Lecturing, warning and arguing: what a low-quality demonstration of motivational interviewing shows.
_MI_INCONSISTENT = re.compile(
    r"\byou (?:really )?(?:need|have|got) to\b|\byou(?:'ve| have) got to\b|\byou (?:really )?(?:should|must)\b|"
    r"\bif you don'?t\b[^.?!]{0,60}\byou(?:'ll| will| are going to| could)\b|\bi'?m telling you\b|"
    r"\blisten to me\b|\bwhy (?:don'?t|can'?t|won'?t) you (?:just )?\b|\byou can'?t keep\b|"
    r"\bdon'?t you (?:think|know|care)\b|\bthe (?:fact|truth|reality) is\b|\byou'?re (?:going to|gonna) "
    r"(?:die|end up|lose|kill)\b|\bthat'?s (?:not|just) (?:an )?(?:excuse|good enough|how it works)\b|"
    r"\bdo you (?:want|realize|understand) (?:what|how|that)\b",
    re.I,
)


_SELF_SPEAKER = re.compile(r"\b(?:i|i'?m|i'?ve|i'?d|i'?ll|me|my|myself|we|we'?re|our)\b", re.I)


_CONDITIONAL = re.compile(r"\b(?:if|what if|imagine|suppose|supposing|in case)\b", re.I)
_SKILL_USED = re.compile(
    r"\b(?:i|we) (?:(?:have |'ve )?(?:been )?(?:us(?:ed|ing)|tr(?:ied|ying)|did|do|doing|practi[cs](?:ed|ing)|"
    r"start(?:ed)? (?:using|doing)|pull(?:ed)? out|went through)|(?:was|were) (?:able to )?(?:use|do|try))\b",
    re.I,
)


_SPEECH_VERB = re.compile(
    r"\b(?:says|said|texted|wrote|writes|messaged|posted|sent|snapped|told me)\b[^\"\u201c]{0,30}$", re.I
)


def _in_quoted_message(text: str, at: int) -> bool:
    """Inside someone else's words read out ("It says, "honestly i don't see the point anymore.""): theirs."""
    before = text[:at]
    opened = max(before.rfind('"'), before.rfind("\u201c"))
    inside = before.count('"') % 2 == 1 or before.rfind("\u201c") > before.rfind("\u201d")
    return inside and opened > 0 and bool(_SPEECH_VERB.search(before[:opened]))


def _client_facts(utterances: list[Utterance], index: int, out: _Collector) -> None:
    u = utterances[index]
    prev = utterances[index - 1] if index > 0 and utterances[index - 1].role == "clinician" else None
    # A parent or partner in the room speaks about the client in the third person ("he stays in his room").
    informant = u.role == "other"
    who = "Collateral informant" if informant else "Client"
    mentioned: set[str] = set()
    for clause in clauses(u.text):
        for concept, m in _concept_hits(SYMPTOMS + SUBSTANCES, clause):
            if _in_quoted_message(u.text, clause.start + m.start()):
                continue
            pol = polarity(clause.text, m.span(), reflexive_self=False, third_person_is_client=informant)
            mentioned.add(concept.key)
            words = snippet(*_piece(clause.text, m.span()))
            said = in_their_words(words) if not informant else f": {_quote(words)}"
            if pol == "endorsed":
                out.add(concept.key, Fact(concept.kind, f"{who} reports {concept.label}{said}.", (u.id,)))
            elif pol == "denied" and (_SELF_SPEAKER.search(clause.text) or (prev is not None and "?" in prev.text)):
                # A bare "Not a drink." echoing the clinician's advice denies nothing: a denial is said of oneself
                # or answers a question.
                out.add(concept.key + ":denied", Fact(concept.kind, f"{who} denies {concept.label}{said}.", (u.id,)))
            elif pol == "past":
                out.add(
                    concept.key + ":past", Fact(concept.kind, f"{who} reports past {concept.label}{said}.", (u.id,))
                )
        for concept, m in _concept_hits(LIFE_EVENTS, clause):
            pol = polarity(clause.text, m.span(), reflexive_self=False, check_subject=False)
            if pol == "hypothetical" and concept.sensitive and not _CONDITIONAL.search(clause.text):
                pol = "endorsed"  # "when my stepdad would hit my mom": the habitual past, not a what-if
            if pol in ("hypothetical", "figurative"):
                continue
            out.add(concept.key, Fact("life_event", f"Client discussed {concept.label}.", (u.id,)))
            told = clause.text
            if concept.key == "trauma":
                # a disclosure goes on in short pieces: "...what he did. About my uncle. The basement, when I was nine."
                following = [c for c in clauses(u.text) if c.start > clause.start][:2]
                short = [c for c in following if len(c.text.split()) <= 12]
                if short and short == following[: len(short)]:
                    told = u.text[clause.start : short[-1].start + len(short[-1].text)]
            detail = strip_excluded(snippet(told, limit=40)) if concept.sensitive else ""
            if detail:
                out.add(
                    f"private:{u.id}:{clause.start}",
                    Fact("private", f"{who} described ({concept.topic}): {_quote(detail)}.", (u.id,), private=True),
                )
        used = _SKILL_USED.search(clause.text) if not informant else None
        if used:
            # "I used urge surfing and it worked", "I did the TIPP thing with the ice water": a skill practiced
            # between sessions, in the client's words
            skill = next(
                (
                    c
                    for c, _ in _concept_hits(INTERVENTIONS, Clause(clause.text[used.end() :], 0))
                    if c.key != "validation"
                ),
                None,
            )
            if skill is not None:
                out.add(
                    f"skill_used:{skill.key}",
                    Fact(
                        "progress",
                        f"Client reports they used {skill.label}: {_quote(snippet(clause.text))}.",
                        (u.id,),
                    ),
                )
        progress = _PROGRESS.search(clause.text)
        if progress:
            out.add(
                "progress:" + u.id,
                Fact("progress", f"Client reports: {_quote(snippet(clause.text, progress.span()))}.", (u.id,)),
                max_evidence=1,
            )
        homework = _HOMEWORK_DONE.search(clause.text)
        if (
            homework
            and re.search(r"\b(?:it|them)\s*$", homework.group(0), re.I)
            and not _asked_about_homework(utterances, index)
        ):
            homework = None  # "And I did it on my thigh": "it" is homework only when homework was just asked about
        if homework:
            done = not re.search(r"didn'?t|forgot|never", homework.group(0), re.I)
            verb = "completing" if done else "not completing"
            out.add(
                "homework_done",
                Fact(
                    "progress",
                    f"Client reports {verb} homework: {_quote(snippet(clause.text, homework.span()))}.",
                    (u.id,),
                ),
            )
        for pattern, kind in ((_GOAL, "goal"),):
            g = pattern.search(clause.text)
            if g:
                out.add(f"goal:{u.id}", Fact(kind, f"Goal addressed: {_quote(g.group('task'))}.", (u.id,)))
        r = _RESPONSE_POS.search(clause.text) or _RESPONSE_NEG.search(clause.text)
        if r is None and clause.start == 0:
            r = _STANDALONE_RESPONSE.search(clause.text)
        if r is not None and not informant:
            _response(utterances, index, clause.text, r.span(), out)
        if _PROCESS.search(clause.text):
            out.add(
                f"process:{u.id}", Fact("private", f"Process: {_quote(snippet(clause.text))}.", (u.id,), private=True)
            )
    if prev is not None and _TOPIC_QUESTION.search(prev.text):
        _answered_topic(prev, u, mentioned, out)
    if not informant:
        _quantities(u, prev, out)


def _response(utterances: list[Utterance], index: int, text: str, span: tuple[int, int], out: _Collector) -> None:
    """The client's response to the technique the clinician used in the last few turns."""
    u = utterances[index]
    for earlier in reversed(utterances[max(0, index - 4) : index]):
        if earlier.role != "clinician":
            continue
        technique = next(
            (
                c
                for c in INTERVENTIONS
                if c.pattern.search(earlier.text) and c.key not in ("reflection", "validation", "affirmation")
            ),
            None,
        )
        if technique is not None:
            out.add(
                f"response:{u.id}",
                Fact(
                    "response",
                    f"Client responded to {technique.topic}: {_quote(snippet(text, span))}.",
                    (earlier.id, u.id),
                ),
            )
            return


def _answered_topic(question: Utterance, answer: Utterance, mentioned: set[str], out: _Collector) -> None:
    """'How's your sleep?' — 'Terrible, maybe four hours.': the answer is about the question's topic."""
    for concept in SYMPTOMS:
        if concept.key in mentioned:
            continue
        if not (
            re.search(rf"\b{re.escape(concept.topic.split()[0])}", question.text, re.I)
            or concept.pattern.search(question.text)
        ):
            continue
        first = clauses(answer.text)[0].text if answer.text.strip() else ""
        if not first or len(first.split()) > 20:
            continue
        if (_BAD.search(first) and not _GOOD.search(first)) or re.match(r"\W*not (?:good|great|well)", first, re.I):
            out.add(
                concept.key,
                Fact(concept.kind, f"Client describes {concept.topic} as {_quote(first)}.", (question.id, answer.id)),
            )
        elif _GOOD.search(first):
            out.add(
                concept.key + ":good",
                Fact(concept.kind, f"Client describes {concept.topic} as {_quote(first)}.", (question.id, answer.id)),
            )
        return
    if re.search(
        r"\bhow (?:are you|have you been|has your week been|was your week)\b|\bhow(?:'s| is) your mood\b",
        question.text,
        re.I,
    ):
        first = clauses(answer.text)[0].text if answer.text.strip() else ""
        if first and len(first.split()) <= 14 and (_GOOD.search(first) or _BAD.search(first)):
            out.add(
                "mood_words", Fact("symptom", f"Client describes mood as {_quote(first)}.", (question.id, answer.id))
            )


# The clinician's plan words, in the note's voice: "you" is the client, "I" the clinician.
_PLAN_VOICE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.I), replacement)
    for pattern, replacement in (
        (r"\byou'?re\b", "the client is"),
        (r"\byou'?ll\b", "the client will"),
        (r"\byou'?ve\b", "the client has"),
        (r"\byourself\b", "themselves"),
        (r"\byour\b", "their"),
        (r"\byou\b", "the client"),
        (r"\bi'?m\b", "the clinician is"),
        (r"\bi'?ll\b", "the clinician will"),
        (r"\bi'?d\b", "the clinician would"),
        (r"\bi'?ve\b", "the clinician has"),
        (r"\bmy\b", "the clinician's"),
        (r"\bme\b", "the clinician"),
        (r"\bi\b", "the clinician"),
        (r"\bwe'?ll\b", "client and clinician will"),
        (r"\bwe\b", "client and clinician"),
        (r"\bus\b", "client and clinician"),
    )
)


def _plan_prose(task: str) -> str:
    """'fill out the diary card every night, and mark when you used ice' -> 'fill out the diary card every night,
    and mark when the client used ice'; a task with quoted speech or a question stays quoted, as said."""
    if '"' in task or "\u201c" in task or task.endswith("?") or len(task.split()) > 40:
        return _quote(task)
    text = _SPACES.sub(" ", task).strip().rstrip(".,;:")
    for pattern, replacement in _PLAN_VOICE:
        text = pattern.sub(replacement, text)
    return text[0].lower() + text[1:] if text[:2] != "I " and not text[:2].isupper() else text


def _clinician_facts(utterances: list[Utterance], index: int, out: _Collector) -> None:
    u = utterances[index]
    for concept in INTERVENTIONS:
        # MI's softer moves count only across a session about one behavior (_session_focus), never one by one.
        pattern = _MI_STRONG if concept.key == "mi" else concept.pattern
        found = list(dict.fromkeys(m.group(0) for m in pattern.finditer(u.text)))
        if not found or (concept.key == "reflection" and "?" in u.text and len(u.text) < 40):
            continue
        # The technique's own words, quoted, so the clinician sees what was recognised ("fear ladder", "988").
        said = ", ".join(_quote(f) for f in found[:3])
        out.add_named(
            concept.key,
            concept.label,
            found,
            Fact(
                "intervention",
                f"Clinician used {concept.label} ({said}).",
                (u.id,),
                data=(("intervention", concept.topic),),
            ),
        )
    prev_client = utterances[index - 1] if index > 0 and utterances[index - 1].role != "clinician" else None
    if prev_client is not None and _CLINICIAN_PROGRESS.search(u.text):
        out.add(
            f"progress:{u.id}",
            Fact("progress", f"Progress noted: {_quote(snippet(prev_client.text))}.", (prev_client.id, u.id)),
        )
    # One stretch of speech is one plan item: the longest reading wins, so "We'll meet again next Thursday at the
    # same time" is a plan sentence, not also a "same time" next-session fragment.
    readings = [
        (m, kind, prefix)
        for pattern, kind, prefix in (
            (_HOMEWORK, "homework", "Homework"),
            (_DUTY, "plan", "Duty to warn"),
            (_CONSULT, "plan", "Consultation"),
            (_REFERRAL, "referral", "Referral"),
            (_NEXT_SESSION, "next_session", "Next session"),
            (_PLAN, "plan", "Plan"),
        )
        for m in pattern.finditer(u.text)
        if len(m.group("task").split()) >= 2
        # "a possible plan for next week: Monday, Wednesday and Friday you..." is the plan, not the next meeting
        and not (kind == "next_session" and _PLAN_FOR.search(u.text[: m.start("task")]))
    ]
    recap = _RECAP.search(u.text)
    if recap:
        summary = snippet(recap.group("task").strip(), limit=45).rstrip(".")
        out.add(f"recap:{u.id}", Fact("plan", f"Plan as recapped in session: {_quote(summary)}.", (u.id,)))
        readings = []
    day = _NEXT_DAY.search(u.text) or _NEXT_DAY_ASKED.search(u.text)
    homework_at = min((m.start() for m, kind, _ in readings if kind == "homework"), default=len(u.text))
    if day is None and index >= 0.7 * len(utterances):
        day = _late_weekday(u.text)
        # "homework for the family: ... one family meeting, Sunday evening": the day of a task, not of a session
        day = day if day is None or day.start() < homework_at else None
    if day:
        when = day.group("day").lower().title().replace("Next ", "next ").replace("This ", "this ")
        when += (day.group("time") or "").replace(",", "")
        out.add(f"next_session:{u.id}", Fact("next_session", f"Next session: {when}.", (u.id,)))
        readings = [r for r in readings if r[1] != "next_session"]
    taken: list[tuple[int, int]] = []
    for m, kind, prefix in sorted(readings, key=lambda f: f[0].start("task") - f[0].end("task")):
        if any(m.start("task") < end and start < m.end("task") for start, end in taken):
            continue
        taken.append((m.start("task"), m.end("task")))
        task = m.group("task").strip().rstrip(",")
        more = _AND_ANOTHER.match(u.text, m.end("task")) if kind == "homework" else None
        if more:  # "...starts tonight. And one family meeting, twenty minutes, Sunday evening."
            task = f"{task}; {more.group('task').strip().rstrip(',')}"
        out.add(f"{kind}:{prefix}:{u.id}", Fact(kind, f"{prefix}: {_plan_prose(task)}.", (u.id,)))
    g = _GOAL.search(u.text)
    if g:
        out.add(f"goal:{u.id}", Fact("goal", f"Goal addressed: {_quote(g.group('task'))}.", (u.id,)))
    for label, pattern in _OBSERVED:
        if pattern.search(u.text):
            domain = "affect" if label in ("tearful", "smiling and brighter") else "behavior"
            out.add(
                "observed:" + label,
                Fact(
                    "observation",
                    f"Client appeared {label} in session.",
                    (u.id,),
                    data=(("mental_status", domain), ("finding", label)),
                ),
            )
    if _PROCESS.search(u.text):
        out.add(
            f"process:{u.id}",
            Fact("private", f"Process observation: {_quote(snippet(u.text))}.", (u.id,), private=True),
        )


def _shared_facts(utterances: list[Utterance], index: int, out: _Collector) -> None:
    """Medications, measures and attendance, whoever says them."""
    u = utterances[index]
    recent = utterances[max(0, index - 3) : index]
    prev = recent[-1] if recent else None
    missed = MISSED_DOSES.search(u.text)
    if missed and not MEDICATION.search(u.text) and u.role != "clinician":
        # "I forgot to take it a few days" is about the medication named in the last few turns.
        named = next((m for e in reversed(recent) if (m := MEDICATION.search(e.text))), None)
        source = next((e for e in reversed(recent) if MEDICATION.search(e.text)), None)
        if named and source:
            out.add(
                f"adherence:{named.group(1).lower()}",
                Fact(
                    "medication",
                    f"Missed or stopped doses ({named.group(1).lower()}): {_quote(snippet(u.text, missed.span()))}.",
                    (source.id, u.id),
                ),
            )
    source = next((e for e in reversed(recent) if MEDICATION.search(e.text)), None)
    if source is not None and u.role != "clinician" and not MEDICATION.search(u.text):
        _recent_medication(source, u, out)
    if (
        prev is not None
        and prev.role == "clinician"
        and _SIDE_EFFECT_QUESTION.search(prev.text)
        and u.role != "clinician"
    ):
        side = SIDE_EFFECTS.search(u.text)
        first = clauses(u.text)[0].text if u.text.strip() else ""
        if side or (first and not re.match(r"\W*(?:no|none|nope|not really)\b", first, re.I)):
            out.add(
                f"side:{u.id}",
                Fact("medication", f"Side effects discussed: {_quote(snippet(first or u.text))}.", (prev.id, u.id)),
            )
    for clause in clauses(u.text):
        med = MEDICATION.search(clause.text)
        generic = GENERIC_MEDICATION.search(clause.text)
        if med or generic:
            name = med.group(1).lower() if med else "medication"
            parts: list[str] = []
            change = next((label for label, pattern in MED_CHANGE if pattern.search(clause.text)), None)
            dose = DOSE.search(clause.text)
            ranged = _dose_range(u.text, clause.start + med.end()) if med else None
            if ranged:
                out.add(f"med:{name}:{ranged}", Fact("medication", f"Medication: {name}, {ranged}.", (u.id,)))
                continue
            if change:
                parts.append(change)
            bare = DOSE_BARE.search(clause.text) if not dose and med else None
            if dose:
                parts.append(f"{'to ' if change in ('increased', 'decreased') else ''}{dose.group(1)} {dose.group(2)}")
            elif bare:
                was = re.search(rf"\b{bare.group(1)} (?:instead of|from|up from|down from) (\d{{2,4}})\b", clause.text)
                parts.append(f"{'to ' if change else ''}{bare.group(1)}" + (f" (from {was.group(1)})" if was else ""))
            elif med and (spoken := _spoken_dose(u.text, clause.start + med.end())):
                parts.append(f"{'to ' if change in ('increased', 'decreased') else ''}{spoken}")
            missed = MISSED_DOSES.search(clause.text)
            side = SIDE_EFFECTS.search(clause.text)
            if missed:
                out.add(
                    f"adherence:{name}",
                    Fact(
                        "medication",
                        f"Missed or stopped doses ({name}): {_quote(snippet(clause.text, missed.span()))}.",
                        (u.id,),
                    ),
                )
            elif parts and (med or change):
                out.add(
                    f"med:{name}:{' '.join(parts)}",
                    Fact("medication", f"Medication: {name}, {' '.join(parts)}.", (u.id,)),
                )
            elif med and name not in _OVER_THE_COUNTER:
                out.add(f"med:{name}", Fact("medication", f"Medication discussed: {name}.", (u.id,)))
            if side and not missed:
                out.add(
                    f"side:{name}",
                    Fact(
                        "medication",
                        f"Side effects discussed ({name}): {_quote(snippet(clause.text, side.span()))}.",
                        (u.id,),
                    ),
                )
    # "the Edinburgh one", "the PHQ-9, the mood one": a pronoun, not a score of 1
    measured = [
        m
        for m in MEASURE.finditer(u.text)
        if not _THE_ONE.match(u.text, m.end(1))
        and not (m.group(2).lower() == "one" and not _SCORE_CUE.search(u.text[: m.start(2)]))
    ]
    for m in measured:
        _measure(m.group(1), m.group(2), u, out)
    for m in MEASURE_REVERSED.finditer(u.text):
        _measure(m.group(2), m.group(1), u, out)
    on_it = SCORED_ON_IT.search(u.text)
    named_here = [n for n in MEASURE_NAMED.finditer(u.text) if on_it and n.end() <= on_it.start()]
    if on_it and named_here and not MEASURE.search(u.text) and not MEASURE_REVERSED.search(u.text):
        # "The CUDIT. You scored 17 on it.": the instrument just named, in the same breath
        _measure(named_here[-1].group(1), on_it.group(1), u, out)
    elif on_it and not MEASURE_NAMED.search(u.text):
        source = next((e for e in reversed(recent) if MEASURE_NAMED.search(e.text)), None)
        if source is not None:
            _measure(MEASURE_NAMED.search(source.text).group(1), on_it.group(1), u, out, named_in=source)  # type: ignore[union-attr]
    elif (later := SCORE_LATER.search(u.text)) and not MEASURE_NAMED.search(u.text) and u.role == "clinician":
        # the questionnaire named at the start of the session, its total given once added up
        earlier = utterances[max(0, index - 30) : index]
        source = next((e for e in reversed(earlier) if MEASURE_NAMED.search(e.text)), None)
        named = MEASURE_NAMED.search(source.text) if source is not None else None
        if named is not None and not any(k == f"measure:{instrument_name(named.group(1))}" for _, k in out.facts):
            _measure(named.group(1), later.group(1), u, out, named_in=source)
    # Each instrument named without its score beside it may have it said in the next breath ("...the Y-BOCS in the
    # waiting room. Your total today is 26. And the Edinburgh came out at 11.").
    names = list(MEASURE_NAMED.finditer(u.text))
    scored = {m.start(1) for m in measured} | {m.start(2) for m in MEASURE_REVERSED.finditer(u.text)}
    for i, named in enumerate(names):
        if named.start(1) in scored:
            continue
        stop = names[i + 1].start() if i + 1 < len(names) else len(u.text)
        said = SCORE_SAID.search(u.text, named.end(), stop)
        if said:
            _measure(named.group(1), said.group(1), u, out)
    if _TELEHEALTH.search(u.text):
        out.add("telehealth", Fact("attendance", "Session held by video (telehealth).", (u.id,)), max_evidence=1)
    if _LATE.search(u.text):
        out.add("late", Fact("attendance", "Client arrived late.", (u.id,)), max_evidence=1)


_PREVIOUS_SCORE = re.compile(
    r"\b(?:(?:\w+ )?(?:weeks?|months?) ago|last (?:time|month|session|week)|at intake|at the start|before|"
    r"previously)(?:,)? (?:it was|you were at|you were|you scored|it came out (?:to|at)|was) (?:a |an )?"
    rf"(\d{{1,2}}|{NUMBER_WORD_ALTERNATION})\b",
    re.I,
)
_SCORE_CUE = re.compile(r"\b(?:score[ds]?|total|was|is|at|of|got|came|'s)\s+(?:a |an )?$", re.I)
_THE_ONE = re.compile(r"\s+one\b(?!\s*(?:out of|/|point))", re.I)


def _amount(said: str) -> float | None:
    """An amount as said, in digits or words ("150", "one fifty", "a hundred and fifty", "twelve and a half")."""
    if re.fullmatch(r"\d+(?:\.\d+)?", said):
        return float(said)
    small = {word: value for word, value in NUMBER_WORDS.items() if value < 20}
    decades = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
    tens = dict(zip(decades, range(20, 100, 10), strict=True))
    value = 0.0
    for word in said.lower().replace("-", " ").split():
        if word in ("a", "and"):
            continue
        if word == "half":
            value += 0.5
        elif word == "hundred":
            value = (value or 1) * 100
        elif word in small or word in tens:
            number = small.get(word, tens.get(word, 0))
            # "one fifty": a hundreds digit said before a two-digit number
            value = value * 100 + number if 0 < value < 10 and number >= 10 else value + number
        else:
            return None
    return value


_CHANGED = re.compile(
    r"\b(?:went|go(?:es|ing)?|bump\w*|increas\w*|decreas\w*|rais\w*|lower\w*|drop\w*|cut|taper\w*|mov\w*|chang\w*|"
    r"up(?:ped)?|down|switch\w*|adjust\w*|titrat\w*)\b",
    re.I,
)


def _dose_range(text: str, after: int) -> str | None:
    """ "From A to B" in the medication's sentence or the next one ("Yes, the fluvoxamine. She went from 100 to 150
    at night"), or "it was A and now it's B", as "increased from 100 to 150 mg" in the amounts said."""
    rest = text[after : after + 160]
    sentences = re.split(r"(?<=[.?!])\s+", rest, maxsplit=2)
    stretch = " ".join(sentences[:2])
    m = DOSE_FROM_TO.search(stretch)
    if m is None:
        was = DOSE_WAS_NOW.search(" ".join(sentences[:3]))
        return _dose_change(was.group(1), was.group(3), was.group(4) or was.group(2) or "") if was else None
    lead = stretch[max(0, m.start() - 40) : m.start()]
    said_per_day = bool(re.search(r"\b(?:a|per) day\b", m.group(0), re.I))
    if not (m.group(2) or m.group(4) or said_per_day or _CHANGED.search(lead) or not stretch[: m.start()].strip(" ,")):
        return None  # "sertraline, and I work from 9 to 5 now": a range, not a dose
    first = f"{m.group(1)} {m.group(2)}" if m.group(2) and m.group(2) != m.group(4) else m.group(1)
    return _dose_change(m.group(1), m.group(3), m.group(4) or m.group(2) or "", first=first, how=m.group(5) or "")


def _dose_change(before: str, now: str, unit: str, *, first: str = "", how: str = "") -> str | None:
    """ "increased from one fifty to three hundred": the direction read from the two amounts as said."""
    was, is_now = _amount(before), _amount(now)
    if was is None or is_now is None or was == is_now:
        return None
    direction = "increased" if is_now > was else "decreased"
    return f"{direction} from {first or before} to {now}{' ' + unit if unit else ''}{' ' + how if how else ''}"


# Named without a dose or a change, a pain reliever is usually something else: the means of an old overdose, a
# headache, a shopping list. It is charted only with a dose, a change or a missed dose.
_OVER_THE_COUNTER = frozenset({"tylenol", "acetaminophen", "ibuprofen"})
# "I'm still taking it every morning, the fifty."
_TAKING_THE = re.compile(
    rf"\b(?:taking|take|on) (?:it|them)\b[^.?!]{{0,30}}?,\s*the ({DOSE_AMOUNT})\b{NOT_A_DOSE}(?!\s*(?:percent|times?))",
    re.I,
)
# "Dr. Hwang started me on the twenty-five, the little one"
_PUT_ON = re.compile(
    rf"\b(?:started|put|has|had|have|got|keeps?|kept) (?:me|you|him|her|them) on (?:the )?({DOSE_AMOUNT})\b"
    rf"{NOT_A_DOSE}(?!\s*(?:percent|times?))",
    re.I,
)


def _spoken_dose(text: str, after: int) -> str:
    """A dose in words in the rest of the medication's sentence or the next one ("the hundred milligrams",
    "Mirtazapine. The fifteen."), as said."""
    rest = text[after : after + 90]
    m = DOSE_SPOKEN.search(re.split(r"(?<=[.?!])\s+", rest, maxsplit=2)[0] if rest else "") or DOSE_SPOKEN.search(
        rest[:60]
    )
    if m:
        return f"{m.group(1)} {m.group(2)}"
    put_on = _PUT_ON.search(rest[:120])
    if put_on:
        return put_on.group(1)
    stretches = re.split(r"(?<=[.?!])\s+", rest.lstrip(" ,'s"))[:2]
    for stretch in stretches:
        bare = DOSE_SPOKEN_BARE.search(stretch) or _TAKING_THE.search(stretch)
        if bare:
            return bare.group(1)
    # "his fluoxetine each morning. He's on 10 milligrams?"
    digits = DOSE.search(" ".join(stretches)[:80])
    return f"{digits.group(1)} {digits.group(2)}" if digits else ""


def _recent_medication(source: Utterance, u: Utterance, out: _Collector) -> None:
    """'I started at 5 mg twice a day' is about the medication the clinician just named."""
    named = MEDICATION.search(source.text)
    if named is None:
        return
    name = named.group(1).lower()
    ranged = _dose_range(u.text, 0)
    if ranged:
        out.add(f"med:{name}:{ranged}", Fact("medication", f"Medication: {name}, {ranged}.", (source.id, u.id)))
        return
    dose = DOSE.search(u.text)
    if dose:
        change = next((label for label, pattern in MED_CHANGE if pattern.search(u.text)), None)
        what = f"{change} {dose.group(1)} {dose.group(2)}" if change else f"{dose.group(1)} {dose.group(2)}"
        out.add(f"med:{name}:{what}", Fact("medication", f"Medication: {name}, {what}.", (source.id, u.id)))
    elif bare := DOSE_BARE.search(u.text):
        change = next((label for label, pattern in MED_CHANGE if pattern.search(bare.group(0))), "changed")
        out.add(
            f"med:{name}:{bare.group(1)}",
            Fact("medication", f"Medication: {name}, {change} to {bare.group(1)}.", (source.id, u.id)),
        )
    side = SIDE_EFFECTS.search(u.text)
    if side:
        quote = _quote(snippet(u.text, side.span()))
        out.add(f"side:{u.id}", Fact("medication", f"Side effects discussed ({name}): {quote}.", (source.id, u.id)))


def _measure(instrument: str, value: str, u: Utterance, out: _Collector, named_in: Utterance | None = None) -> None:
    name = instrument_name(instrument)
    score = int(value) if value.isdigit() else NUMBER_WORDS.get(value.lower(), -1)
    band = measure_band(name, score) if name else None
    if name is None or band is None:
        return
    text = f"{name} score {score} ({band} range)" if band else f"{name} score {score}"
    # "Three weeks ago it was nineteen", "At intake it was fifty-eight": the score it is compared with
    before = _PREVIOUS_SCORE.search(u.text)
    earlier = _amount(before.group(1)) if before else None
    text += f", previously {earlier:g}." if earlier is not None and earlier != score else "."
    ids = (named_in.id, u.id) if named_in is not None else (u.id,)
    out.add(f"measure:{name}", Fact("measure", text, ids, data=(("measure", name), ("score", str(score)))))


def _points_facts(utterances: list[Utterance]) -> list[Fact]:
    """Jotted points are already note language: each point is kept as written and routed by what it is about."""
    facts: list[Fact] = []
    order = (
        ("homework", _HOMEWORK),
        ("referral", _REFERRAL),
        ("next_session", _NEXT_SESSION),
        ("plan", _PLAN),
        ("goal", _GOAL),
    )
    for u in utterances:
        text = u.text.strip()
        sentence = text[0].upper() + text[1:]
        if not sentence.endswith((".", "!", "?")):
            sentence += "."
        if u.speaker == "Clinician (private)":
            # A bullet under a "for me only" heading: the clinician's own material, for the private draft only.
            facts.append(Fact("private", sentence, (u.id,), True, data=(("author", "clinician"),)))
            continue
        private = _PRIVATE_POINT.match(text)
        if private:
            # "for me only: ..." is the clinician's own material: the private draft, never the progress note.
            # "for me only:" is routing and is dropped; "clinician reaction:" says what follows and is kept
            routing = re.match(r"\W*(?:for me only|just for me|private|note to self)\b", text, re.I)
            rest = text[private.end() :].strip() if routing else text.strip()
            if rest:
                rest = rest[0].upper() + rest[1:]
                sentence = rest if rest.endswith((".", "!", "?")) else rest + "."
                # The clinician's own reaction, written for the private note: only the hard 164.501 items bar it.
                facts.append(Fact("private", sentence, (u.id,), True, data=(("author", "clinician"),)))
            continue
        kind = next((k for k, p in order if p.search(text)), None)
        if kind is None and u.speaker in ("Clinician (homework)", "Clinician (hw)"):
            kind = "homework"
        if kind is None and MEDICATION.search(text):
            kind = "medication"
        if kind is None and (MEASURE.search(text) or MEASURE_REVERSED.search(text)):
            kind = "measure"
        if kind is None and re.match(r"(?:completed|did|practi[cs]ed|tried|skipped|missed|attended)\b", text, re.I):
            kind = "progress"  # "Completed 3 of 5 activity schedule days" reports the client's follow-through
        if kind is None and any(c.pattern.search(text) for c in INTERVENTIONS if c.key not in ("validation",)):
            kind = "intervention"
        if kind is None and (_RESPONSE_POS.search(text) or _PROGRESS.search(text) or _HOMEWORK_DONE.search(text)):
            kind = "progress"
        if kind is None and re.search(
            r"\b(?:SI|HI|SH|NSSI|suicid\w*|homicid\w*|self[- ]harm|cutting|safety)\b", text, re.I
        ):
            continue  # risk points become risk sentences through the risk rules
        if kind is None and re.search(
            r"\b(?:affect|appear\w*|present\w*|tearful|groomed|eye contact|speech)\b", text, re.I
        ):
            kind = "observation"
        if kind is None:
            sensitive = next((c for c in LIFE_EVENTS if c.sensitive and c.pattern.search(text)), None)
            symptom = any(c.pattern.search(text) for c in SYMPTOMS + SUBSTANCES)
            if sensitive is not None and not symptom:
                facts.append(Fact("life_event", f"Client discussed {sensitive.label}.", (u.id,)))
                facts.append(Fact("private", sentence, (u.id,), private=True))
                continue
            kind = "life_event" if any(c.pattern.search(text) for c in LIFE_EVENTS) and not symptom else "symptom"
        facts.append(Fact(kind, sentence, (u.id,)))
    return facts
