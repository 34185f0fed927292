"""A ConText-style modifier engine: is a mention negated, past, hypothetical, about someone else, or figurative?

Written by hand rather than taken from medspaCy (see docs/drafting.md for the measured reasons): the rules below are
tuned to conversational therapy speech ("I'd never...", "last year I cut...", "I could kill him"), which clinical
ConText rules, written for dictated notes, do not cover.

A modifier's scope is the clause it sits in: clauses end at sentence punctuation and at "but", "though",
"although", "however" — so "I don't want to die, but I wish I could sleep forever" keeps its second half endorsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from confide.drafting.model import Polarity

_CLAUSE_BREAK = re.compile(
    r"(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bSt\.)(?<=[.!?;])\s+|\s*[;\u2014]\s*|"
    r",?\s+\b(?:but|though|although|however|except that)\b\s*|\s+-{1,2}\s+",
    re.I,
)

# Pseudo-negations look like negation but do not negate what follows ("I don't know if I want to be here").
_PSEUDO = re.compile(
    r"\b(?:don'?t know|not sure|no doubt|not only|can'?t say|no matter|not that i|doesn'?t mean|no idea|"
    r"(?:not|n'?t) (?:gonna|going to) lie|(?:can'?t|won'?t|not) (?:lie|lying)|not gonna kid you|"
    r"(?:didn'?t|don'?t|did not|do not|never) (?:really )?(?:think|thought|see|saw|consider|call) (?:of )?"
    r"(?:it|that|this) (?:as|like))\b",
    re.I,
)
_NEG_PRE = re.compile(
    r"\b(?:no|not|never|n'?t|nor|deny|denies|denied|denying|without|none|nothing|neither|nope|nah|"
    r"don'?t|didn'?t|haven'?t|hasn'?t|wouldn'?t|won'?t|can'?t|cannot|isn'?t|wasn'?t|aren'?t|negative for|free of|"
    r"no longer|ruled out|absence of)\b|\bn't\b|n't\b",
    re.I,
)
# "SI: denies", "HI - neg", "self-harm: none" in jotted points put the negation after the term.
_NEG_POST = re.compile(
    r"^[\s,:=\-\u2013]*(?:(?:is|was|are)\s+)?(?:denie[sd]|deny|negative|neg|absent|not present|ruled out|none|"
    r"nil|not endorsed|\(-\)|-ve)\b",
    re.I,
)
_HYPOTHETICAL = re.compile(
    r"\b(?:if|what if|suppose|supposing|imagine|in case|hypothetically|whether|were to|should you|"
    r"what would you do|what would happen|would you|could you ever|ever (?:get|start|have)|in the future)\b",
    re.I,
)
_PAST = re.compile(
    r"\b(?:years? ago|months ago|a long time ago|last year|(?:19|20)\d\d|when i was (?:a |in |younger|little|\d+|"
    r"[a-z]+teen)|"
    # "I was twenty-two. I took a whole bottle": an age the client was
    r"i was (?:only |just )?(?:\d{1,2}|(?:twenty|thirty|forty|fifty)(?:-(?:one|two|three|four|five|six|seven|eight|"
    r"nine))?|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
    r"(?! (?:minutes?|hours?|days?|weeks?|months?)\b)|"
    r"in (?:high school|middle school|college|my teens|my twenties|the past)|as a (?:teen|teenager|kid|child)|"
    r"used to|history of|hx of|h/o|back (?:then|in)|previously|prior|at age \d{1,2}|at \d{1,2} years old|growing up|"
    r"not anymore|no longer|anymore|haven'?t in (?:years|a long time)|not since|remote|past)\b",
    re.I,
)
_RECENT = re.compile(
    r"\b(?:last (?:night|week|weekend|few days|couple (?:of )?days|month)|yesterday|this (?:week|morning|month)|today|"
    r"right now|lately|recently|these days|every day|sometimes|again)\b",
    re.I,
)
_RELATIVE = (
    r"(?:brother|sister|mom|mother|mum|dad|father|friend|best friend|cousin|son|daughter|husband|wife|partner|"
    r"boyfriend|girlfriend|uncle|aunt|grandma|grandmother|grandpa|grandfather|coworker|co-worker|roommate|neighbou?r|"
    r"ex|fianc[eé]e?|stepdad|stepmom|kid|child|classmate|boss)"
)
_OTHER_SUBJECT = re.compile(
    rf"\b(?:my|his|her|our|their|a|the)\s+(?:\w+\s+)?{_RELATIVE}s?\b|\b(?:he|she|they)\b(?:'s|'d| was| has| had| is|"
    rf" tried|"
    rf" said| wants| thinks)?",
    re.I,
)
_OTHER_REFLEXIVE = re.compile(r"\b(?:himself|herself|themselves|themself)\b", re.I)
_FIGURATIVE = re.compile(
    r"\b(?:(?:i'?d|i would) rather (?:be )?(?:die|dead) than|could (?:just )?die|"
    r"could (?:just )?(?:kill|strangle|murder)|gonna kill(?! (?:myself|my ?self|himself|herself|themselves))|"
    r"going to kill (?:me|him|her)|kill(?:s|ing)? me\b|"
    r"kill for|to death\b|die of (?:embarrassment|boredom|laughter)|dying (?:to|for|of)|dead tired|dead on my feet|"
    r"killed it|killing it|joke|joking|kidding|figure of speech|expression|not literally|just saying|lol|haha|"
    r"just venting|didn'?t mean it like that|don'?t mean it literally|in a manner of speaking)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Clause:
    text: str
    start: int


def clauses(text: str) -> list[Clause]:
    out: list[Clause] = []
    pos = 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > pos:
            out.append(Clause(text[pos : m.start()], pos))
        pos = m.end()
    if pos < len(text):
        out.append(Clause(text[pos:], pos))
    return out


def _strip_pseudo(text: str) -> str:
    return _PSEUDO.sub(lambda m: " " * len(m.group(0)), text)


# "When that's not around I scratch": the negation sits in a subordinate clause whose own subject ends it.
_SUBORDINATE_NEGATION = re.compile(
    r"\b(?:when|whenever|if|because|since|after|once|while|until)\b[^.?!]{0,30}?"
    r"\b(?:no|not|never|n'?t|nothing|nobody|no one)\b[^.?!]{0,30}?\b(?:i|we)\b(?:'?(?:ll|d|ve|m))?\s+(?:\w+\s+)?$",
    re.I,
)


# "I don't really drink much" minimizes; it does not deny.
_MINIMIZED = re.compile(
    r"^\W*(?:\w+\s+)?(?:(?:that |very |too |as |so )?(?:much|a lot|often|heavily|all that)|every (?:day|night)|"
    r"all the time|daily|like an? (?:alcoholic|addict|drunk))\b",
    re.I,
)


# ", and it's making mornings hard, and his grades are dropping": a new subject after ", and" starts a new scope.
_NEW_SUBJECT = re.compile(r",\s+(?:and|so|then)\s+(?=(?:i|i'm|it|it's|he|she|they|we|his|her|my|their|the)\b)", re.I)


def is_negated(before: str, after: str) -> bool:
    before = _strip_pseudo(_NEW_SUBJECT.split(before)[-1])
    if _SUBORDINATE_NEGATION.search(before) or (_NEG_PRE.search(before) and _MINIMIZED.search(after)):
        return False
    return bool(_NEG_PRE.search(before)) or bool(_NEG_POST.search(after))


def polarity(
    clause: str,
    span: tuple[int, int],
    *,
    reflexive_self: bool = True,
    third_person_is_client: bool = False,
    check_subject: bool = True,
) -> Polarity:
    """Classify one mention (span inside clause).

    Order matters and follows clinical reading: a figurative phrase is never a risk; a mention about someone else
    is theirs; a negation ("I'd never hurt myself") beats a conditional; a past marker without a recent one makes
    it history.
    `third_person_is_client` is for jotted points and dictation, where "she cut last year" means the client.
    """
    before, mention, after = clause[: span[0]], clause[span[0] : span[1]], clause[span[1] :]
    if _FIGURATIVE.search(clause):
        return "figurative"
    if not third_person_is_client:
        if reflexive_self and _OTHER_REFLEXIVE.search(mention + after[:20]):
            return "other"
        if (
            check_subject
            and _OTHER_SUBJECT.search(before)
            and not re.search(r"\b(?:i|i'm|i'd|i've|me|myself)\b", before[-25:], re.I)
        ):
            return "other"
    else:
        relative = re.search(
            rf"(?:^\s*|\b(?:my|his|her|their|client'?s|pt'?s)\s+)(?:\w+\s+)?{_RELATIVE}s?\b", before, re.I
        )
        if relative:
            return "other"
    if is_negated(before, after):
        if _PAST.search(before + " " + after) and re.search(
            r"\b(?:anymore|no longer|not since|not in)\b", before + after, re.I
        ):
            return "past"
        return "denied"
    if _HYPOTHETICAL.search(before) and not _RECENT.search(clause):
        return "hypothetical"
    # Past markers are looked for outside the mention: "I don't want to be here anymore" is current, and so is a loss
    # said with "anymore" ("I don't enjoy anything anymore"): only a negated mention ("I don't cut anymore") is past.
    outside = re.sub(r"\b(?:not anymore|no longer|anymore|any more)\b", " ", before + " " + after, flags=re.I)
    if (_PAST.search(outside) or re.search(r"\bused to\b", mention, re.I)) and not _RECENT.search(clause):
        return "past"
    return "endorsed"
