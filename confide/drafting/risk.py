"""Risk: suicidal ideation, homicidal ideation and self-harm, with polarity, plan, intent, means and protective factors.

Two routes to a flag:
- a client's own words ("sometimes I wish I wouldn't wake up"), classified by the ConText rules;
- a clinician's screening question ("any thoughts of hurting yourself?") answered by the next client turn ("no").
A hypothetical question ("what would you do if...") yields a hypothetical flag and is never read as a yes/no probe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from confide.drafting.context import clauses, polarity
from confide.drafting.model import Fact, Polarity, RiskFlag, RiskType, Utterance
from confide.drafting.privacy import strip_excluded

_REFLEXIVE = r"(?:myself|my ?self|himself|herself|themselves|themself)"
_SI_ACTIVE = re.compile(
    rf"\b(?:kill(?:ed|ing|s)? {_REFLEXIVE}|end(?:ed|ing)? (?:my|his|her|their) (?:own )?life|end(?:ing)? it all|"
    rf"take (?:my|his|her|their) (?:own )?life|took (?:his|her|their|my) (?:own )?life|suicid\w*|overdos\w*|"
    rf"hang(?:ed|ing)? {_REFLEXIVE}|shoot(?:ing)? {_REFLEXIVE}|shot {_REFLEXIVE}|jump(?:ing)? off (?:a|the) "
    rf"(?:bridge|building|roof)|slit (?:my|his|her) wrists|(?-i:\bSI\b)|suicidal ideation|end(?:ing)? things)",
    re.I,
)
_SI_PASSIVE = re.compile(
    r"(?:wish(?:ed)? (?:i (?:was|were) dead|i could (?:just )?(?:disappear|sleep forever|not wake up|die)|"
    r"i (?:wouldn'?t|didn'?t|won'?t|would not) wake up)|better off (?:dead|without me)|"
    r"don'?t (?:want|wanna) (?:to )?(?:be alive|live|be here|exist|wake up)(?: anymore)?|"
    r"(?:want|wanted|wanna) to die|no reason to (?:live|keep going)|(?:go to sleep|fall asleep) and (?:not|never) "
    r"wake up|not (?:sure|certain) (?:if |that )?i want to (?:live|be alive|be here)|"
    r"what'?s the point (?:of|in) (?:living|being alive|going on)|passive (?:SI|suicidal))",
    re.I,
)
_SELF_HARM = re.compile(
    rf"(?:\bcut(?:s|ting)?(?: on)? {_REFLEXIVE}|(?<=n't )cut(?:ting)?\b|(?<=nt )cut(?:ting)?\b|\bcut(?:ting)? (?:my|"
    rf"his|her) (?:arms?|wrists?|legs?|thighs?)|"
    rf"\bi (?:cut|was cutting|started cutting|used to cut)\b(?!\s+(?:my hair|the|a|an|it|back|down|out|off|class|"
    rf"school|ties|them|him|her|corners|in))|(?:hurt|harm)(?:ing|ed)? {_REFLEXIVE}|burn(?:ed|ing)? {_REFLEXIVE}|"
    rf"hit(?:ting)? {_REFLEXIVE}|scratch(?:ed|ing)? {_REFLEXIVE}|self[- ]?harm\w*|(?-i:\bNSSI\b)|self[- ]injur\w*|"
    rf"(?-i:\bSH\b)|\bcutting\b(?!\s+(?:down|back|out|off|in|up|it|class|school|corners|ties|the|my hair|hair|costs)))",
    re.I,
)
_TARGET = (
    r"(?:him|her|them|someone|somebody|anyone|anybody|other people|others|people|"
    r"my (?:\w+ )?(?:boss|husband|wife|partner|ex|brother|sister|dad|father|mom|mother|neighbou?r|coworker|roommate|"
    r"stepdad|boyfriend|girlfriend)|that guy|that man|that woman|"
    # a person by name ("I'm going to kill Dave"): a capitalized word that is not a pronoun or a weekday
    r"(?-i:(?!(?:I|He|She|It|We|You|They|This|That|Time|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|God|Christmas)\b)[A-Z][a-z]{1,15}))"
)
_HI = re.compile(
    rf"\b(?:(?:kill|hurt|harm|murder|stab|shoot|attack|strangle|beat up)(?:ing|ed|s)? {_TARGET}\b|homicid\w*|"
    rf"(?-i:\bHI\b))",
    re.I,
)
_PATTERNS: tuple[tuple[RiskType, re.Pattern[str], bool], ...] = (
    ("suicidal_ideation", _SI_PASSIVE, True),
    ("suicidal_ideation", _SI_ACTIVE, False),
    ("self_harm", _SELF_HARM, False),
    ("homicidal_ideation", _HI, False),
)

# Screening questions in the clinician's words (second person).
_PROBE_SI = re.compile(
    r"\b(?:kill(?:ing)? yourself|end(?:ing)? your (?:own )?life|take your (?:own )?life|suicid\w*|better off dead|"
    r"wish(?:ed|ing)? you (?:were|was) dead|(?:not|never) (?:wake|waking) up|thoughts? of (?:death|dying)|"
    r"want(?:ed)? to die|ending things|(?-i:\bSI\b))",
    re.I,
)
_PROBE_SH = re.compile(
    r"\b(?:(?:harm|hurt|cut)(?:ing|ting)? (?:yourself|themselves|themself)|self[- ]?harm\w*|make yourself throw up)",
    re.I,
)
_PROBE_HI = re.compile(
    r"\b(?:or (?:anyone|someone|somebody|anybody|others|other people)\b|(?:hurt|harm|kill)(?:ing)? (?:anyone|someone|"
    r"somebody|anybody|others|other people|him|her|them|each other|one another|the baby)\b|homicid\w*|(?-i:\bHI\b))",
    re.I,
)
# "Have you had any of those thoughts this week?" refers back to the last screening question.
_ANAPHORIC_PROBE = re.compile(
    r"\b(?:those thoughts|these thoughts|thoughts like (?:that|those)|any of (?:those|these|that)|"
    r"that kind of thought|feel(?:ing)? that way)\b",
    re.I,
)
_NEAR_MISS = re.compile(r"\b(?:almost|nearly|came close to)\b", re.I)
_METHOD = re.compile(
    r"\b(?:(?:taking|take|swallow\w*) (?:all )?(?:my |the |of my )?pills|overdos\w*|jump\w*|hang\w*|shoot\w*|"
    r"wait for (?:him|her)|drive (?:off|into)|cut(?:ting)? (?:my|his|her) wrists)\b",
    re.I,
)
_HYPOTHETICAL_PROBE = re.compile(
    r"(?:^\W*(?:and |so |but )?if\b|\bwhat would you do\b|\bwhat if|\bif you (?:ever|were to|started|begin|notice)|"
    r"\bsuppose|\bimagine|\bin case|"
    r"should (?:those|these|the) (?:thoughts|feelings))",
    re.I,
)
_ANSWER_PAST = re.compile(
    r"\b(?:not anymore|not since|not in (?:a long time|years)|used to|years ago|in the past|when i was|back in|"
    r"last year|a while ago|no longer|in high school|in college|as a (?:teen|kid))\b",
    re.I,
)
_ANSWER_NO = re.compile(
    r"^\W*(?:no|nope|nah|never|not really|not at all|none|i haven'?t|i have not|i don'?t|i do not|i wouldn'?t|"
    r"absolutely not|definitely not|god,? no|not (?:now|currently|lately|right now|this week)|nothing like that)\b",
    re.I,
)
_ANSWER_YES = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|yea|sometimes|kind of|kinda|sort of|a little|maybe|i have|i do|i did|i guess|"
    r"honestly,? (?:yes|yeah|sometimes)|once or twice|a few times|every now and then|mm-?hmm|uh-?huh|"
    r"occasionally|lately|i think so|i mean,? (?:yeah|sometimes)|more than i'?d like)\b",
    re.I,
)
_PLAN_PROBE = re.compile(r"\b(?:a plan|any plans?|how you (?:would|might)|thought about how|specific way)\b", re.I)
_INTENT_PROBE = re.compile(r"\b(?:intend|intent|act on|go through with|would you do it|planning to)\b", re.I)
_MEANS_PROBE = re.compile(r"\b(?:access to|guns?|firearms?|weapons?|pills (?:at home|saved)|stockpil\w*)\b", re.I)
_PLAN_SAID = re.compile(
    r"\b(?:i have a plan|i'?ve (?:made|got) a plan|i (?:know|figured out) how i would|"
    r"i'?ve (?:been )?(?:planning|researching)|wrote a (?:note|letter)|looked up (?:ways|how|methods)|"
    r"research(?:ed|ing) (?:ways|how|methods))\b",
    re.I,
)
_NO_PLAN_SAID = re.compile(
    r"\b(?:no plan|(?:don'?t|do not|never) (?:have|had|made) (?:a |any )?plans?|"
    r"haven'?t (?:planned|thought about how)|denie[sd] (?:a |any )?plans?)\b",
    re.I,
)
_NO_INTENT_SAID = re.compile(
    r"\b(?:(?:never|not|wouldn'?t|won'?t|would not|will not) (?:actually |ever )?(?:do it|do anything|act on (?:it|"
    r"them)|"
    r"go through with it|do that)|no intent\w*|denie[sd] (?:a |any )?(?:plan )?(?:or |and |or any )?intent)\b",
    re.I,
)
_INTENT_SAID = re.compile(r"\b(?:i (?:am|'m) going to do it|i (?:will|'ll) do it|i intend to|i want to act on)\b", re.I)
_MEANS = re.compile(
    r"\b(gun|firearm|rifle|pistol|weapon|pills|medications? (?:saved|stockpiled|stored)|stockpil\w*|rope|knife|"
    r"razor|blade)s?\b",
    re.I,
)
_PEOPLE = (
    r"(?:kids?|children|son|daughter|family|wife|husband|partner|mom|mother|dad|father|dog|cat|sister|brother|"
    r"friends|grandkids|parents)"
)
# A person counts as a protective factor only when named as a reason to stay ("my kids need me"), not in passing.
_PROTECTIVE = re.compile(
    rf"\b(?:my {_PEOPLE} (?:need|needs|keep|keeps|depend|depends|mean)|(?:because of|for|think(?:ing)? (?:of|about)|"
    rf"do (?:that|it|this) to|love|leave) my (?:little |baby |big |younger |older )?{_PEOPLE}|reasons? (?:to|"
    rf"for) liv\w*|my (?:faith|church|religion)|"
    rf"too much to live for|looking forward to|keeps? me going|(?:want to|wanna) see my {_PEOPLE}|"
    rf"my {_PEOPLE} (?:is|are) (?:the|my|a) (?:only |main |whole )?reasons? (?:i|to|why i) (?:keep going|stay|"
    rf"am still here|'m still here|get up)|(?:the |my )?(?:only )?reasons? (?:i|why i) (?:keep going|'m still here|"
    rf"am still here))",
    re.I,
)
_PROTECTIVE_LABEL = re.compile(
    rf"\b(?:my {_PEOPLE}|my (?:faith|church|religion)|reasons? (?:to|for) liv\w*|"
    rf"too much to live for|looking forward to \w+(?: \w+)?|keeps? me going)",
    re.I,
)
_ATTEMPT = re.compile(r"\b(?:attempt\w*|tried to|overdos\w*|took (?:a bunch of|all) (?:my )?pills)\b", re.I)

RISK_LABEL: dict[RiskType, str] = {
    "suicidal_ideation": "suicidal ideation",
    "homicidal_ideation": "homicidal ideation",
    "self_harm": "self-harm",
}


@dataclass(slots=True)
class _Episode:
    type: RiskType
    polarity: Polarity
    evidence: list[str]
    passive: bool = False
    attempt: bool = False
    plan: bool | None = None
    intent: bool | None = None
    means: list[str] = field(default_factory=list)
    protective: list[str] = field(default_factory=list)
    quote: str = ""
    plan_quote: str = ""
    intent_unsure: str = ""
    near_miss: bool = False


def _mentions(u: Utterance, points: bool, informant: bool) -> list[tuple[RiskType, Polarity, bool, str]]:
    """Risk mentions in one utterance. `informant`: a parent or partner speaking, for whom "he"/"she" is the client."""
    found: list[tuple[RiskType, Polarity, bool, str]] = []
    for clause in clauses(u.text):
        seen: set[RiskType] = set()
        for risk_type, pattern, passive in _PATTERNS:
            if risk_type in seen:
                continue
            m = pattern.search(clause.text)
            if not m:
                continue
            seen.add(risk_type)
            pol = polarity(
                clause.text,
                m.span(),
                reflexive_self=risk_type != "homicidal_ideation",
                third_person_is_client=points or informant,
            )
            found.append((risk_type, pol, passive, clause.text.strip()))
    return found


def _probe_types(text: str) -> list[RiskType]:
    types: list[RiskType] = []
    if _PROBE_SI.search(text):
        types.append("suicidal_ideation")
    if _PROBE_SH.search(text):
        types.append("self_harm")
    if _PROBE_HI.search(text):
        types.append("homicidal_ideation")
    return types


def extract_risk(utterances: list[Utterance], *, points: bool = False) -> tuple[list[RiskFlag], list[Fact]]:
    episodes: list[_Episode] = []
    recent_types: list[RiskType] = []
    recent_at = -99
    recent_probe: list[str] = []
    for index, u in enumerate(utterances):
        if points or u.role != "clinician":
            for risk_type, pol, passive, quote in _mentions(u, points, informant=u.role == "other"):
                ep = _Episode(risk_type, pol, [u.id], passive=passive, quote=quote)
                ep.attempt = bool(_ATTEMPT.search(quote))
                # "I almost cut myself": an urge resisted is neither an act nor a denial; it is reported as said.
                ep.near_miss = pol == "endorsed" and bool(_NEAR_MISS.search(quote))
                episodes.append(ep)
            continue
        types = _probe_types(u.text)
        lead: list[str] = []
        if not types and _ANAPHORIC_PROBE.search(u.text) and index - recent_at <= 6:
            # The earlier question names the risk, so it is part of the evidence for the answer.
            types, lead = list(recent_types), list(recent_probe)
        if not types:
            continue
        recent_types, recent_at, recent_probe = types, index, [u.id]
        if _HYPOTHETICAL_PROBE.search(u.text):
            episodes.extend(_Episode(t, "hypothetical", [u.id]) for t in types)
            continue
        if (_PLAN_PROBE.search(u.text) or _INTENT_PROBE.search(u.text)) and any(
            ep.polarity == "endorsed" for ep in episodes
        ):
            continue  # "do you have a plan to end your life?" asks for the detail of an endorsed ideation
        answer = _next_client_turn(utterances, index)
        if answer is None:
            continue
        # The answer speaks for itself when it mentions the risk about the client ("I've thought about killing
        # myself"); a mention of someone else ("my brother tried...") or a figure of speech does not answer for them.
        own = {
            t
            for t, said, _, _ in _mentions(answer, points, informant=False)
            if said in ("endorsed", "denied", "past", "hypothetical")
        }
        answered = _answer_polarity(answer.text)
        for risk_type in types:
            if answered is None or (risk_type in own and answered != "denied"):
                continue
            if answered == "denied" and _own_past(answer.text):
                episodes.append(_Episode(risk_type, "past", [*lead, u.id, answer.id], quote=answer.text))
            episodes.append(_Episode(risk_type, answered, [*lead, u.id, answer.id], quote=answer.text))
    _attach_details(utterances, episodes, points)
    kept = [ep for ep in episodes if not ep.near_miss]
    return _flags(kept), _facts(kept) + _near_miss_facts(episodes)


def _next_client_turn(utterances: list[Utterance], index: int) -> Utterance | None:
    for later in utterances[index + 1 : index + 3]:
        if later.role != "clinician":
            return later
    return None


def _own_past(text: str) -> bool:
    """'No, not since high school' admits history; 'No. My brother tried last year' does not."""
    for clause in clauses(text):
        m = _ANSWER_PAST.search(clause.text)
        if m and polarity(clause.text, m.span()) != "other":
            return True
    return False


# "I don't know" starts like a denial but is not one; an unsure answer must never become "denied".
_EQUIVOCAL = re.compile(
    r"^\W*(?:i (?:do not|don'?t) know|i'?m not (?:sure|certain)|not sure|hard to say|i can'?t say|i guess not|"
    r"maybe(?:,? maybe not)?|i don'?t think so,? but)\b",
    re.I,
)


def _answer_polarity(text: str) -> Polarity | None:
    if _EQUIVOCAL.search(text):
        return "equivocal"
    if _ANSWER_NO.search(text):
        return "denied"
    if _ANSWER_PAST.search(text):
        return "past"
    if _ANSWER_YES.search(text):
        return "endorsed"
    return None


def _attach_details(utterances: list[Utterance], episodes: list[_Episode], points: bool) -> None:
    """Plan, intent, means and protective factors from the turns around an endorsed or denied episode."""
    position = {u.id: i for i, u in enumerate(utterances)}
    for ep in episodes:
        if ep.polarity not in ("endorsed", "denied") or ep.near_miss:
            continue
        first = min(position[e] for e in ep.evidence)
        # Twelve turns: a risk assessment's follow-up questions rarely run longer, and a wider window would
        # borrow answers from an unrelated later topic.
        window = utterances[max(0, first - 1) : first + 12]
        for i, u in enumerate(window):
            if u.role == "clinician" and not points:
                nxt = next((w for w in window[i + 1 : i + 3] if w.role != "clinician"), None)
                if nxt is not None and ep.polarity == "endorsed":
                    _probe_detail(ep, u, nxt)
                continue
            if ep.polarity == "endorsed":
                _said_detail(ep, u)
            if ep.type == "homicidal_ideation":
                continue
            for m in _PROTECTIVE.finditer(u.text):
                named = _PROTECTIVE_LABEL.search(m.group(0))
                label = (named.group(0) if named else m.group(0)).lower()
                if label not in ep.protective:
                    ep.protective.append(label)
                    ep.evidence.append(u.id)
        ep.evidence = list(dict.fromkeys(ep.evidence))


def _probe_detail(ep: _Episode, question: Utterance, answer: Utterance) -> None:
    if _PLAN_PROBE.search(question.text) and ep.plan is None:
        ep.plan = _yes_no(answer.text)
        method = _METHOD.search(answer.text)
        if method and ep.plan is not False:
            ep.plan = True
            ep.plan_quote = answer.text.strip()
        if ep.plan is not None:
            ep.evidence += [question.id, answer.id]
    if _INTENT_PROBE.search(question.text) and ep.intent is None:
        ep.intent = _yes_no(answer.text)
        if ep.intent is not None:
            ep.evidence += [question.id, answer.id]
        elif _EQUIVOCAL.search(answer.text):
            ep.intent_unsure = answer.text.strip()
            ep.evidence += [question.id, answer.id]
    if _MEANS_PROBE.search(question.text) and _yes_no(answer.text):
        means = _MEANS.search(answer.text) or _MEANS.search(question.text)
        if means:
            ep.means.append(means.group(1).lower())
            ep.evidence += [question.id, answer.id]


def _said_detail(ep: _Episode, u: Utterance) -> None:
    if _NO_PLAN_SAID.search(u.text) and ep.plan is None:
        ep.plan = False
        ep.evidence.append(u.id)
    elif _PLAN_SAID.search(u.text):
        ep.plan = True
        ep.plan_quote = ep.plan_quote or u.text.strip()
        ep.evidence.append(u.id)
    if _NO_INTENT_SAID.search(u.text) and ep.intent is None:
        ep.intent = False
        ep.evidence.append(u.id)
    elif _INTENT_SAID.search(u.text):
        ep.intent = True
        ep.evidence.append(u.id)


def _yes_no(text: str) -> bool | None:
    if _EQUIVOCAL.search(text):
        return None
    if _ANSWER_NO.search(text) or _NO_PLAN_SAID.search(text) or _NO_INTENT_SAID.search(text):
        return False
    if _ANSWER_YES.search(text) or _PLAN_SAID.search(text):
        return True
    return None


def _merge(episodes: list[_Episode]) -> list[_Episode]:
    merged: dict[tuple[RiskType, Polarity], _Episode] = {}
    for ep in episodes:
        key = (ep.type, ep.polarity)
        target = merged.get(key)
        if target is None:
            merged[key] = _Episode(
                ep.type,
                ep.polarity,
                list(ep.evidence),
                ep.passive,
                ep.attempt,
                ep.plan,
                ep.intent,
                list(ep.means),
                list(ep.protective),
                ep.quote,
                ep.plan_quote,
                ep.intent_unsure,
            )
            continue
        target.evidence = list(dict.fromkeys(target.evidence + ep.evidence))
        target.passive = target.passive and ep.passive
        target.plan = target.plan if target.plan is not None else ep.plan
        target.plan_quote = target.plan_quote or ep.plan_quote
        target.intent_unsure = target.intent_unsure or ep.intent_unsure
        target.intent = target.intent if target.intent is not None else ep.intent
        target.means = list(dict.fromkeys(target.means + ep.means))
        target.protective = list(dict.fromkeys(target.protective + ep.protective))
        target.attempt = target.attempt or ep.attempt
    return list(merged.values())


def _flags(episodes: list[_Episode]) -> list[RiskFlag]:
    return [
        RiskFlag(
            ep.type,
            ep.polarity,
            tuple(ep.evidence),
            ep.passive,
            ep.plan,
            ep.intent,
            tuple(ep.means),
            tuple(ep.protective),
        )
        for ep in _merge(episodes)
    ]


def _quote(text: str) -> str:
    return "\u201c" + text.strip().strip("\"'").rstrip(".,;:") + "\u201d"


def _facts(episodes: list[_Episode]) -> list[Fact]:
    """Note sentences: current risk goes to the assessment ("risk"); history and others' risk to the report."""
    facts: list[Fact] = []
    for ep in _merge(episodes):
        label = RISK_LABEL[ep.type]
        ev = tuple(ep.evidence)
        if ep.polarity == "denied":
            facts.append(Fact("risk", f"Client denied {label}.", ev[:3]))
        elif ep.polarity == "endorsed":
            passive = "passive " if ep.passive and ep.type == "suicidal_ideation" else ""
            facts.append(Fact("risk", f"Client endorsed {passive}{label}.", ev[:2]))
            if ep.plan is not None:
                plan = f"Client {'endorsed' if ep.plan else 'denied'} a plan"
                facts.append(Fact("risk", f"{plan}: {_quote(ep.plan_quote)}." if ep.plan_quote else f"{plan}.", ev))
            if ep.intent is not None:
                facts.append(Fact("risk", f"Client {'endorsed' if ep.intent else 'denied'} intent to act.", ev))
            elif ep.intent_unsure:
                facts.append(Fact("risk", f"Client was unsure about intent to act: {_quote(ep.intent_unsure)}.", ev))
            if ep.means:
                facts.append(Fact("risk", f"Client reported access to means: {', '.join(ep.means)}.", ev))
        elif ep.polarity == "equivocal":
            facts.append(Fact("risk", f"Client's answer about {label} was unsure: {_quote(ep.quote)}.", ev[:3]))
        elif ep.polarity == "past":
            what = "a past suicide attempt" if ep.type == "suicidal_ideation" and ep.attempt else f"past {label}"
            facts.append(Fact("risk_report", f"Client reported {what}; not current.", ev[:4]))
        elif ep.polarity == "other":
            facts.append(Fact("risk_report", f"Client discussed {label} involving another person.", ev[:4]))
            quote = strip_excluded(ep.quote)
            if quote:
                facts.append(
                    Fact("private", f"Another person's risk, as described: {_quote(quote)}.", ev[:1], private=True)
                )
        elif ep.polarity == "figurative":
            quote = strip_excluded(ep.quote)
            if quote:
                facts.append(
                    Fact(
                        "private", f"Figurative expression, not read as {label}: {_quote(quote)}.", ev[:1], private=True
                    )
                )
        if ep.protective and ep.polarity in ("endorsed", "denied"):
            facts.append(Fact("risk", f"Protective factors named: {', '.join(ep.protective)}.", ev))
    return facts


def _near_miss_facts(episodes: list[_Episode]) -> list[Fact]:
    return [
        Fact(
            "risk",
            f"Client reported an urge toward {RISK_LABEL[ep.type]} without acting: {_quote(ep.quote)}.",
            tuple(ep.evidence),
        )
        for ep in episodes
        if ep.near_miss
    ]
