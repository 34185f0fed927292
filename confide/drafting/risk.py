"""Risk: suicidal ideation, homicidal ideation and self-harm, with polarity, plan, intent, means and protective factors.

Two routes to a flag:
- a client's own words ("sometimes I wish I wouldn't wake up"), classified by the ConText rules;
- a clinician's screening question ("any thoughts of hurting yourself?") answered by the next client turn ("no").
A hypothetical question ("what would you do if...") yields a hypothetical flag and is never read as a yes/no probe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from confide.drafting.context import _PAST, _RECENT, clauses, is_negated, polarity
from confide.drafting.facts import _RELATION, snippet
from confide.drafting.model import Fact, Polarity, RiskFlag, RiskType, Utterance
from confide.drafting.privacy import strip_excluded

_REFLEXIVE = r"(?:myself|my ?self|himself|herself|themselves|themself)"
_SI_ACTIVE = re.compile(
    rf"\b(?:kill(?:ed|ing|s)? {_REFLEXIVE}|end(?:ed|ing)? (?:my|his|her|their) (?:own )?life|end(?:ing)? it all|"
    rf"take (?:my|his|her|their) (?:own )?life|took (?:his|her|their|my) (?:own )?life|suicid\w*|overdos\w*|"
    rf"driv(?:e|ing) (?:my|the|his|her) car (?:off (?:a|the) (?:road|bridge|cliff)|into (?:a|the) (?:wall|tree|"
    rf"river|traffic|truck))|step(?:ping)? (?:in front of|into) (?:traffic|a (?:train|bus|truck|car))|"
    rf"took (?:a bunch of|a handful of|too many|all (?:of )?(?:my|the))(?: (?:my|his|her|the))?(?: [\w']+){{0,2}} "
    rf"(?:pills|tablets|meds|sleeping pills)|(?:took|swallowed) (?:a|the) whole bottle(?: of \w+)?|"
    rf"us(?:e|ed|ing) (?:it|a gun|the gun|that|the \w+) on {_REFLEXIVE}|"
    rf"(?:gonna|going to) end it\b(?=[^.?!]{{0,40}}(?:sorry|goodbye|love you|tell (?:my|your|\w+) \w+))|"
    rf"hang(?:ed|ing)? {_REFLEXIVE}|shoot(?:ing)? {_REFLEXIVE}|shot {_REFLEXIVE}|jump(?:ing)? off (?:a|the) "
    rf"(?:bridge|building|roof|parking garage|garage|overpass|balcony|cliff|tower)|slit (?:my|his|her) wrists|"
    rf"(?-i:\bSI\b)|suicidal ideation|end(?:ing)? things|"
    # online slang: "kms" (kill myself), "unalive"
    rf"(?-i:\b[Kk][Mm][Ss]\b)|\bunalive(?:d|s|ing)?\b(?: {_REFLEXIVE})?)",
    re.I,
)
_SI_PASSIVE = re.compile(
    r"(?:wish(?:ed)? (?:i (?:was|were) dead|i could (?:just )?(?:disappear|sleep forever|not wake up|die)|"
    r"i (?:just )?(?:wouldn'?t|didn'?t|won'?t|would not) wake up)|"
    r"better off (?:dead|without me|if i (?:was|were)n'?t (?:here|"
    r"around|alive)|if i (?:was|were) (?:gone|dead)|if i died)|"
    r"don'?t (?:want|wanna) (?:to )?(?:be alive|live|be here|exist|wake up)(?: anymore)?|"
    r"(?:want|wanted|wanna) to die|no reason to (?:live|keep going)|"
    # "if i just stopped existing nobody would even notice", "honestly i don't see the point anymore"
    r"if i (?:just )?(?:stopped|stop|quit) existing|(?:don'?t|do not|can'?t) see the point (?:anymore|of anything|"
    r"in anything|of being here)|"
    # "if I fell asleep and sort of, stayed asleep. For good."
    r"(?:fell|fall|falling) asleep and (?:\w+,? ){0,2}(?:stay|stayed|stays) asleep|stay(?:ed)? asleep[.,]? for good|"
    # "I don't know that I'd want to keep going", said of going on living (not of a job or a class)
    r"(?:don'?t know (?:that|if) i'?d|(?:wouldn'?t|would not|don'?t|do not) (?:really )?) ?(?:want|wanna) to keep "
    r"going(?=\s*(?:[.!?,;]|$|anymore|at all|after that|without))|(?:go to sleep|fall asleep) and (?:not|never) "
    r"wake up|not (?:sure|certain) (?:if |that )?i want to (?:live|be alive|be here)|"
    r"what'?s the point (?:of|in) (?:living|being alive|going on)|passive (?:SI|suicidal)|"
    # passive ideation in everyday words
    r"(?:think(?:ing)? about|thoughts? (?:of|about|that)|wish(?:ing)?(?: i (?:was|were|could be))?) (?:just )?"
    r"(?:not being (?:here|around|alive)|not existing|(?:it would|it'?d) be easier (?:to not|not to) (?:exist|be here|"
    r"wake up))|"
    r"(?:easier|better) (?:for everyone )?(?:if i (?:just |really )?(?:was|were)n'?t (?:here|around|alive)|"
    r"to (?:not|never) (?:exist|"
    r"be here|wake up|be alive)|if i (?:died|was dead|were dead|didn'?t wake up|just disappeared))|"
    r"(?:don'?t|do not|can'?t|cannot) see (?:the|a|any) point (?:in|of) (?:going on|living|life|being alive|"
    r"carrying on|waking up)|no point (?:in )?(?:living|going on|being alive|waking up)|"
    r"wouldn'?t mind (?:if i (?:got hit|died|didn'?t wake up|was gone|were gone)|dying|not waking up|"
    r"getting hit by)|(?:hope|hoping|wish|wishing) (?:i (?:get|got) )?(?:hit by a (?:bus|car|truck)|in a (?:car )?"
    r"(?:crash|accident) and die)|tired of (?:living|being alive)|(?:life|living) (?:isn'?t|is not|wasn'?t) "
    r"worth (?:it|living)|(?:want|wanted|wanting) (?:it )?(?:all )?to (?:end|be over) (?:for good|forever)|"
    r"(?:go to )?sleep forever|(?:i'?d|i would) rather (?:be )?(?:die|dead)|"
    # "if I went to sleep and just didn't wake up ... I wouldn't mind"
    r"if i (?:went to sleep and )?(?:just )?(?:didn'?t|did not|never|don'?t) (?:wake|woke) up\b[^.?!]{0,80}?"
    r"(?:wouldn'?t (?:mind|care)|(?:be|feel) (?:okay|ok|fine|a relief|relieved)|relief)|"
    # "if I got hit by a bus tomorrow I'd honestly be fine with it"
    r"if (?:i (?:got|get|was|were) (?:hit by (?:a|the) (?:bus|car|truck|train)|in (?:a|an) (?:car )?(?:crash|accident)|"
    r"(?:just )?gone)|something (?:happened|happens) to me)\b[^.?!]{0,60}?(?:wouldn'?t (?:mind|care)|"
    r"(?:be|feel|'d be) (?:\w+ )?(?:okay|ok|fine|a relief|relieved)(?: with it)?|relief))",
    re.I,
)
_CUT_OBJECT = r" (?:the|a|an|it|out|back|down|that|this|class|school|my hair|\w+ out)\b"
_SELF_HARM = re.compile(
    # "I haven't cut in months", never "I haven't cut the stone out yet"
    rf"(?:\bcut(?:s|ting)?(?: on)? {_REFLEXIVE}|(?<=n't )cut(?:ting)?\b(?!{_CUT_OBJECT})|"
    rf"(?<=nt )cut(?:ting)?\b(?!{_CUT_OBJECT})|\bcut(?:ting)? (?:my|"
    rf"his|her) (?:arms?|wrists?|legs?|thighs?)|"
    # "I cut again" / "I used to cut" / "I cut on my thighs", never "I cut the fish" or "I cut class"
    rf"\bi (?:cut|was cutting|started cutting|used to cut)\b(?=\s*(?:again|[.,;!?]|$|on my|myself|last|yesterday|"
    rf"this|when|because|after|before|once|twice|a (?:few|couple|lot)|every|sometimes|but|and i|so i))|"
    rf"(?:hurt|harm)(?:ing|ed)? {_REFLEXIVE}|burn(?:ed|ing)? {_REFLEXIVE}|"
    rf"hit(?:ting)? {_REFLEXIVE}|scratch(?:ed|ing)? {_REFLEXIVE}|self[- ]?harm\w*|(?-i:\bNSSI\b)|self[- ]injur\w*|"
    rf"(?-i:\bSH\b)|\bcutting\b(?!\s+(?:down|back|out|off|in|up|it|class|school|corners|ties|the|a|an|some|stuff|"
    rf"things|my hair|hair|costs|"
    rf"vegetables|veggies|onions?|fruit|food|bread|meat|chicken|carrots|paper|coupons|wood|grass|lines|a deal|"
    rf"someone|people|him|her|them|ties|me off)\b)|"
    # acts described without the word: burning, punching, head-banging, scratching or carving the skin
    rf"\bburn(?:ed|t|ing)? [^.?!]{{0,30}}\bwith (?:a |my )?(?:lighter|cigarette|match)|"
    rf"\bburn(?:ed|t|ing)? (?:my|his|her) (?:own )?(?:arms?|legs?|skin|wrists?|thighs?|stomach) (?:on purpose|to feel)|"
    # (punching a wall is aggression toward property, charted as such, not self-injury)
    rf"\bpunch(?:ed|ing)? {_REFLEXIVE}|"
    # a band snapped until it marks the skin (a gentle snap is a substitute skill; welts are the act itself)
    rf"\bsnap(?:s|ped|ping)? (?:a |the |my )?(?:hair ?tie|rubber ?band|elastic|band) (?:on|against) (?:my|his|her) "
    rf"(?:wrists?|arms?)\b(?=[^.?!]{{0,60}}\b(?:welts?|bruis\w*|bleed\w*|marks?|raw|red|hard)\b)|"
    rf"\b(?:lighter|cigarettes?|matches|razors?|blades?)\b[^.?!]{{0,25}}\bon (?:my|his|her) (?:own )?(?:arms?|wrists?|"
    rf"legs?|thighs?|skin|stomach|hands?)|\bscratch\w*(?: [^.?!]{{1,25}})? until (?:it|they|i|my skin) (?:bled|bleeds?|"
    rf"bleeding|break)|"
    rf"\b(?:bang(?:ed|ing)?|slam(?:med|ming)?) (?:my|his|her) head (?:against|on|into)|"
    rf"\b(?:i|she|he) did it (?:on|into) (?:my|his|her) (?:thighs?|arms?|wrists?|legs?|stomach|skin|hips?)|"
    # "I, like, punch my legs. My thighs. With my fists, hard. Until it hurts enough that my brain shuts up."
    rf"\b(?:punch|slap|smack)(?:ed|es|s|ping|ing)? (?:my|his|her) (?:own )?(?:legs?|thighs?|arms?|stomach|face|head|"
    rf"chest)\b(?! (?:to wake|awake|by accident|accidentally))|"
    # "I took the little blade out of the pencil sharpener", "the burns on my wrist are just scars now"
    rf"\b(?:took|used|grabbed|got) (?:the |a |my )?(?:little |old )?(?:razor ?)?blades? (?:out|from|again|on)\b|"
    rf"\b(?:burns?|scars?|cuts?) on my (?:wrists?|arms?|legs?|thighs?|hips?|stomach)\b(?! from (?:the |a )?"
    rf"(?:stove|oven|pan|kitchen|work|surgery|accident))|"
    rf"\bhit(?:ting)? (?:my|his|her) head (?:against|on|into) (?:the )?walls? (?:on purpose|until|over and over)|"
    rf"\bscratch(?:ed|ing)? (?:my|his|her) (?:arms?|skin|legs?|wrists?)|\bscratch\w* until (?:it|they|i) (?:bled|"
    rf"bleed|bleeds)|\bcarv(?:ed|ing)? (?:into )?(?:my|his|her) (?:arms?|skin|legs?|thighs?))",
    re.I,
)
_TARGET = (
    r"(?:him|her|them|someone|somebody|anyone|anybody|other people|others|people|"
    r"my (?:\w+ )?(?:boss|husband|wife|partner|ex|brother|sister|dad|father|mom|mother|neighbou?r|coworker|roommate|"
    r"stepdad|boyfriend|girlfriend|baby|son|daughter|kids?|child|children|newborn)|the baby|that guy|that man|"
    r"that woman|"
    # a person by name ("I'm going to kill Dave"): a capitalized word that is not a pronoun or a weekday
    r"(?-i:(?!(?:I|He|She|It|We|You|They|This|That|Time|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|God|Christmas)\b)[A-Z][a-z]{1,15}))"
)
_HI = re.compile(
    # ("attacking" alone is how couples speak of criticism: "it's not attacking Ana")
    rf"\b(?:(?:kill|hurt|harm|murder|stab|shoot|physically attack|strangle|beat up)(?:ing|ed|s)? {_TARGET}\b|"
    rf"homicid\w*|(?-i:\bHI\b))",
    re.I,
)
# Death as a figure of speech ("this commute is killing me"): recorded as figurative so no one reads it as risk.
_SI_FIGURATIVE = re.compile(
    r"\b(?:(?:is|are|was|were|'s|'re) (?:literally |honestly |just )?killing me|kill me now|"
    r"something'?s (?:gotta|going to|gonna) kill me|(?:that|this|it|which|\w+ing)(?:'d| would| will|'ll) "
    r"(?:literally |"
    r"honestly |probably |just )?kill me|\w+ kills me|"
    r"(?:could|gonna|going to) die (?:of|from) (?:embarrassment|boredom|laughter|shame)|dying of (?:embarrassment|"
    r"boredom|laughter))\b",
    re.I,
)
_HI_FIGURATIVE = re.compile(
    r"\b(?:could|would|gonna|going to|wanna) (?:murder|kill|destroy) (?:a|an|some|this|that) (?:pizza|burrito|burger|"
    r"sandwich|coffee|beer|drink|nap|taco|steak|cheeseburger|plate)\w*|"
    r"\bwring (?:his|her|their|your|\w+'s) (?:little |scrawny )?necks?\b|"
    # "I could've murdered him for taking my parking spot": a grievance told in the past conditional
    r"\b(?:could|would|coulda|woulda)(?:'ve| have)? (?:literally )?(?:murdered|killed|strangled|throttled) "
    r"(?:him|her|them|you|someone|somebody|everyone|\w+) for\b|"
    # "killing her with emails at midnight", "I'll shoot her a text"
    r"\bkill(?:s|ing|ed)? (?:me|him|her|them|us|you) with\b|"
    r"\bshoot (?:me|him|her|them|you|us) (?:a|an) (?:quick )?(?:text|email|message|line|note|call|dm)\b|"
    # "I could have murdered him.": the past conditional of a grievance, unless a weapon is in the same breath
    r"\b(?:could|coulda)(?:'ve| have) (?:literally |honestly )?(?:murdered|killed|strangled|throttled) "
    r"(?:him|her|them|you)\b(?![^.?!]{0,60}\b(?:gun|knife|rifle|pistol|weapon|bat|had it in my hand))|"
    # "get OUT or I'll literally kill you": said to someone in the room, a sibling's threat of the everyday kind
    r"\b(?:i'?ll|i will|i'?m gonna|i'?m going to) (?:literally |actually |seriously )?kill you\b",
    re.I,
)
# Hitting a wall is aggression toward property, unless the client was hurting themselves with it ("I punched the wall.
# Like twice. My knuckles are still purple.").
_WALL_PUNCH = re.compile(
    r"\b(?:punch(?:ed|ing)?|hit(?:ting)?|slam(?:med|ming)? my (?:fist|hand)s? (?:into|on)) (?:the|a) "
    r"(?:wall|door|mirror)s?\b",
    re.I,
)
_OWN_INJURY = re.compile(
    r"\b(?:knuckles?|my hands?|my fist|bruis\w*|bled|bleeding|swollen|broke my|hurting myself)\b", re.I
)
_PATTERNS: tuple[tuple[RiskType, re.Pattern[str], bool], ...] = (
    ("suicidal_ideation", _SI_PASSIVE, True),
    ("suicidal_ideation", _SI_ACTIVE, False),
    ("suicidal_ideation", _SI_FIGURATIVE, False),
    ("self_harm", _WALL_PUNCH, False),
    ("self_harm", _SELF_HARM, False),
    ("homicidal_ideation", _HI_FIGURATIVE, False),
    ("homicidal_ideation", _HI, False),
)
# Wanting to die over a small annoyance ("on hold for fifty minutes. I wanted to die.") is hyperbole.
_TRIVIAL_CONTEXT = re.compile(
    r"\b(?:on hold|hold music|traffic|commute|the dmv|in line|queue|meeting|lecture|so boring|embarrass\w*|cringe|"
    r"mortified|lol|haha|awkward|hangover|the wait|waiting room|paperwork|spreadsheet)\b",
    re.I,
)
_CONFIDENTIALITY = re.compile(
    r"\b(?:tell (?:someone|anyone|my|the)|have to (?:tell|report|call)|report (?:it|me)|"
    r"confidential\w*|would you (?:tell|call|report))\b",
    re.I,
)
# The words name a topic, a service or something said, not anyone's thought: "suicide prevention", "the suicide
# hotline", "Suicide Squad", "the kms comment I made", "that self-harm video".
_NOT_A_MENTION = re.compile(
    r"\W{0,3}(?:prevention|hotlines?|(?:crisis |text )?lines?\b|lifeline|awareness|rates?\b|statistics|stats\b|"
    r"squad|bomb(?:er|ers|ing)|training|walk\b|survivors?\b|watch\b|risk assessment|screen(?:ing|er)?\b|"
    r"comments?\b|remarks?\b|jokes?\b|memes?\b|posts?\b|videos?\b|songs?\b|lyrics?\b|documentar\w+|"
    r"(?:thing|stuff) (?:i|you|he|she) said)",
    re.I,
)
_ABOUT_THE_TOPIC = re.compile(
    r"\b(?:documentar\w+|movie|film|show|series|episode|podcast|book|novel|article|lecture|class|training|"
    r"presentation|assembly|video|song|research|paper|essay|report|statistics) (?:\w+ ){0,2}(?:about|on) $",
    re.I,
)
_GENERIC_SUBJECT = re.compile(
    r"\w+\s+(?:is|was|'s|isn'?t|wasn'?t|would be|seems)\s+(?:a |an |so |just |never )?"
    r"(?:mortal |a |an )?(?:sin|selfish|wrong|cowardly|forbidden|permanent|never|not)\b",
    re.I,
)
_OVERDOSED_ON_A_PASTIME = re.compile(
    r"overdos\w* on (?:\w+ )?(?:netflix|tv|television|coffee|caffeine|sugar|candy|chocolate|pizza|carbs|cake|"
    r"cookies|the news|news|social media|tiktok|youtube|instagram|reality (?:tv|shows)|shows|movies|episodes|"
    r"podcasts|true crime|video games|games|anime|shopping|christmas|holiday\w*|sun|love|work|drama|memes)\b",
    re.I,
)
# Said and taken back as a joke in the same breath: "I want to kill my little brother when he steals my charger.
# [laughs] But no. No, not for real."
_JOKE_AFTER = re.compile(
    r"\b(?:not for real|just kidding|kidding|i'?m joking|just joking|j/?k|figure of speech|just an expression|"
    r"not literally)\b",
    re.I,
)
_LAUGH_AFTER = re.compile(r"\[(?:laughs?|laughing|chuckles?)\]|\(laughs?\)|\blol\b|\bhaha\b", re.I)
_HYPERBOLE_PHRASE = re.compile(r"\b(?:i (?:literally |just |almost )?(?:wanted|want) to die|kill me now)\b", re.I)

# Screening questions in the clinician's words (second person).
_PROBE_SI = re.compile(
    r"\b(?:kill(?:ing)? yourself|end(?:ing)? your (?:own )?life|take your (?:own )?life|suicid\w*|better off dead|"
    r"wish(?:ed|ing)? you (?:were|was) dead|(?:not|never) (?:wake|waking) up|thoughts? (?:of|about) (?:death|dying)|"
    r"using (?:it|that|them|the \w+|a \w+) on yourself|"
    r"want(?:ed)? to die|ending things|(?:not|no longer) (?:wanting|want) to (?:be alive|live|be here)|"
    r"(?:relieved|better|easier|rather) (?:\w+ ){0,3}(?:not (?:to )?be|not being) (?:alive|here|around)|"
    r"(?-i:\bSI\b))",
    re.I,
)
_PROBE_SH = re.compile(
    r"\b(?:(?:harm|hurt|cut)(?:ing|ting)? (?:yourself|yourselves|themselves|themself)|self[- ]?harm\w*|"
    r"make yourself throw up)",
    re.I,
)
_PROBE_HI = re.compile(
    r"\b(?:(?:hurt|harm|kill|hurting|harming|killing|ending|end) [^.?!]{0,40}\bor (?:anyone|someone|somebody|anybody|"
    r"others|other people)\b|(?:anyone|someone|somebody|anybody) "
    r"(?:(?:you'?ve|you have|you'?d|you) )?(?:(?:ever )?thought (?:about|of)|think(?:ing)? (?:about|of)|want(?:ed)? to|"
    r"feel like) (?:hurting|harming|killing|hurt|harm|kill)\b|violent (?:thoughts|urges)|thoughts of violence|"
    r"(?:hurt|harm|kill)(?:ing)? (?:anyone|someone|"
    r"somebody|anybody|others|other people|him|her|them|each other|one another|the baby)\b|homicid\w*|(?-i:\bHI\b)|"
    # "Do you have any wish or intent to harm June?"
    r"(?:wish|intent(?:ion)?|urge|desire|plan)s?(?: or (?:wish|intent(?:ion)?|urge|desire|plan)s?)? to "
    r"(?:harm|hurt|kill) "
    r"(?:your |the |my )?(?:baby|child|kids?|son|daughter|partner|wife|husband|(?-i:[A-Z][a-z]{1,15}))\b|"
    # "are you thinking about hurting Kyle?", "thoughts of killing your boss?"
    r"(?:thinking|thought|thoughts|think) (?:about|of) (?:hurting|harming|killing|shooting|stabbing|attacking) "
    r"(?:your |the |my )?(?:(?-i:[A-Z][a-z]{1,15})|boss|supervisor|manager|coworker|neighbou?r|ex|father|mother|"
    r"dad|mom|brother|sister|stepdad|stepfather|roommate|teacher)\b)",
    re.I,
)
# "Have you had any of those thoughts this week?" refers back to the last screening question.
_ANAPHORIC_PROBE = re.compile(
    r"\b(?:those thoughts|these thoughts|thoughts like (?:that|those)|any of (?:those|these|that)|"
    r"that kind of thought|feel(?:ing)? that way)\b",
    re.I,
)
_NEAR_MISS = re.compile(r"\b(?:almost|nearly|came close to)\b", re.I)
# "Saturday I wanted to scratch my arms... But I didn't.": an urge resisted.
_URGE = re.compile(r"\b(?:wanted to|want to|urges? to|felt like|tempted to|the urge)\b", re.I)
_RESISTED = re.compile(
    r"\bbut (?:i )?(?:didn'?t|did not|held off|stopped|resisted|used (?:my |the )?\w+ instead)|\binstead i\b|"
    r"\bi didn'?t (?:do it|act on it)\b",
    re.I,
)
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
    r"(?:a )?long time ago|just that once|only (?:that )?once|"
    r"last year|a while ago|no longer|in high school|in college|as a (?:teen|kid))\b",
    re.I,
)
_ANSWER_NO = re.compile(
    r"^\W*(?:(?:oh|lord|god|gosh|goodness|heavens|honestly|um+|uh+|well|hmm+|oh god|oh lord|good lord|oh gosh|ew+|"
    r"ugh|jeez|geez|wow|what|ha(?:ha)*|lol|hell|heck|dude|man|bro|omg|oh my god)\W+)?"
    r"(?:no|nope|nah|never|(?:mm-mm+|m-m|uh-uh|nuh-uh)(?![-\w])|no way|not once|negative|"
    r"not really|not at all|none|i haven'?t|i have not|i don'?t|i do not|i wouldn'?t|"
    r"absolutely not|definitely not|god,? no|not (?:now|currently|lately|right now|this week)|nothing like that)\b",
    re.I,
)
_ANSWER_YES = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|yea|sometimes|kind of|kinda|sort of|a little|maybe|i have|i do|i did|i guess|"
    r"honestly,? (?:yes|yeah|sometimes)|mm-?hm+|once or twice|a few times|every now and then|mm-?hmm|uh-?huh|"
    r"occasionally|lately|i think so|i mean,? (?:yeah|sometimes)|more than i'?d like|part of me|a bit|some days|"
    r"on and off|here and there|from time to time|at times|a couple (?:of )?times|i have been|i had|i'?ve had|"
    r"i'?ve been|i thought about it|it crossed my mind|(?:it|they) (?:come|comes|came) and go|"
    # "When it's a nine. Couple times a week, maybe.": saying when is saying yes
    r"when (?:it'?s|it gets|i'?m|the pain|things get)|(?:a )?couple (?:of )?times|(?:a )?few times|every (?:night|day)|"
    r"most (?:nights|days)|(?:once|twice) (?:a|this|last) (?:week|month))\b",
    re.I,
)
_PLAN_PROBE = re.compile(
    r"\b(?:a plan|any plans?|how you (?:would|might)|thought about how|specific way|"
    r"(?:any|a) way (?:you (?:might|would|could)|to)|done anything to prepare|"
    r"prepar(?:e|ed|ing|ations?) (?:for|to)|method)\b",
    re.I,
)
# "Have you ever tried to end your life?": a question about past attempts. "Never" answers for the history and
# says nothing about ideation now, so it is charted as a denied history, not as a denial flag.
_ATTEMPT_HISTORY_PROBE = re.compile(
    r"\b(?:ever|in the past|before|previously|history of|other times?|any other|again)\b[^?]{0,60}\b(?:tried|"
    r"attempt\w*)\b|"
    r"\b(?:tried|attempt\w*)\b[^?]{0,60}\b(?:ever|in the past|before|previously)\b",
    re.I,
)
_VIOLENCE_HISTORY_PROBE = re.compile(
    r"\b(?:have|did) you (?:ever )?(?:hurt|harm(?:ed)?|hit|attack(?:ed)?|assault(?:ed)?|been violent with|gotten "
    r"(?:physical|violent) with) (?:anyone|someone|somebody|anybody|another person|people)\b",
    re.I,
)
_INTENT_PROBE = re.compile(
    r"\b(?:intend|intent|act on|go through with|would you do it|planning to|actually do (?:it|that)|follow through)\b",
    re.I,
)
_FIREARM_PROBE = re.compile(r"\b(?:guns?|firearms?|weapons?|rifles?|pistols?|handguns?)\b[^.]*\?", re.I)
_MEANS_PROBE = re.compile(r"\b(?:access to|guns?|firearms?|weapons?|pills (?:at home|saved)|stockpil\w*)\b", re.I)
_PLAN_SAID = re.compile(
    r"\b(?:i have a plan|(?:i'?ve )?got it (?:all )?(?:worked|figured|planned) out|"
    r"i know (?:exactly )?(?:how|when|where) i'?d|"
    r"(?:thought|thinking) about (?:going over|driving over|showing up|waiting for|how i'?d)|"
    r"i'?ve (?:made|got) a plan|i (?:know|figured out) how i would|"
    r"i'?ve (?:been )?(?:planning|researching)|wrote a (?:note|letter)|looked up (?:ways|how|methods)|"
    # "I've thought it through. I've been sitting in my truck at night going over it."
    r"(?:i'?ve |i have )?thought it (?:all )?through|going over (?:it|the plan)|(?:that )?i wait for (?:him|her)|"
    r"(?:be|wait) there when (?:he|she) (?:comes|gets) out|"
    r"research(?:ed|ing) (?:ways|how|methods))\b",
    re.I,
)
_NO_PLAN_SAID = re.compile(
    r"\b(?:no plan|(?:don'?t|do not|never) (?:have|had|made) (?:a |any )?plans?|"
    r"haven'?t (?:planned|thought about how)|denie[sd] (?:a |any )?plans?)\b",
    re.I,
)
_NO_INTENT_SAID = re.compile(
    r"\b(?:(?:never|not|wouldn'?t|won'?t|would not|will not) (?:actually |ever )?(?:going to |gonna )?(?:do it|"
    r"do anything|act on (?:it|"
    r"them)|"
    r"go through with it|do that)|no intent\w*|denie[sd] (?:a |any )?(?:plan )?(?:or |and |or any )?intent)\b",
    re.I,
)
_INTENT_SAID = re.compile(r"\b(?:i (?:am|'m) going to do it|i (?:will|'ll) do it|i intend to|i want to act on)\b", re.I)
_MEANS = re.compile(
    r"\b(gun|handgun|shotgun|firearm|rifle|pistol|revolver|weapon|glock|(?-i:AR-15|AR)|\.(?:38|45|22)|9 ?mm|"
    r"tire iron|crowbar|baseball bat|machete|hammer|pills|medications? (?:saved|stockpiled|stored)|"
    r"(?:twelve|12|twenty|20)[- ]gauge|shells|ammunition|ammo|bullets|"
    r"stockpil\w*|rope|knife|"
    r"razor|blade)s?\b",
    re.I,
)
_PEOPLE = (
    r"(?:kids?|children|son|daughter|family|wife|husband|partner|mom|mother|dad|father|dog|cat|sister|brother|"
    r"friends|grandkids|grandchildren|grandson|granddaughter|parents|nephew|niece|girlfriend|boyfriend|fianc[eé]e?|"
    r"pets?|baby)"
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
_ATTEMPT = re.compile(
    r"\b(?:attempt\w*|tried to|overdos\w*|"
    r"took (?:a bunch|a handful|too many|all)\b[^.?!]{0,40}\b(?:pills|tablets|meds)|"
    r"(?:took|swallowed) (?:a|the) whole bottle)\b",
    re.I,
)

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
    # Other acts or statements of the same kind (quote, utterance id), and the answer to "how often?".
    more: list[tuple[str, str]] = field(default_factory=list)
    intent_scale: str = ""
    plan_detail: str = ""
    frequency: tuple[str, str, str] | None = None
    # "Do you have access to any guns?" "No. I sold them.": the means asked about and denied, with the two turns
    means_denied: list[tuple[str, str, str, str]] = field(default_factory=list)
    # Homicidal ideation: whom it is toward, by relation ("their supervisor"), and the turn that says so
    target: tuple[str, str] | None = None
    # "Did you act on the urge?" "No. I didn't. I really wanted to.": the answer, with the two turns
    acted: tuple[str, str, str] | None = None
    # Someone else's risk: who they are to the client ("friend"), from the client's words just before
    whose: tuple[str, str] | None = None


# "HI: not assessed" in jotted points says nothing either way; it is never a denial.
_NOT_ASSESSED = re.compile(
    # "SI / self-harm: NOT asked today", "SI/SH screen for C" (a screen still to do)
    r"^(?:\s*(?:/|&|and|or|,)\s*[\w-]{2,12}){0,3}(?:[\s,:=\-\u2013]*(?:(?:was|were|is)\s+)?(?:not (?:assessed|asked|"
    r"screened|discussed|evaluated|explored|addressed)|deferred|n/?a\b|unknown|unable to assess|"
    r"screen(?:ing)? (?:for|next|first|needed|due|to do))|\s*[,:=\-\u2013]+\s*\?)",  # "SI: ?" but not "...to die?"
    re.I,
)
# "not assessed: HI", "deferred - SI" put the words first.
_NOT_ASSESSED_BEFORE = re.compile(
    r"\b(?:not (?:assessed|asked|screened|discussed|evaluated|explored|addressed)|deferred|unable to assess)"
    # "not assessed today: SH, HI"; "did NOT do formal SI screen today"
    r"(?: today| this session| this time)?\W*(?:[A-Za-z]{2,3}\W+){0,3}$|"
    r"\b(?:did ?n[o']t|didn'?t|no time to) (?:do|complete|perform|get to|finish) (?:a |the |any )?(?:formal |full )?$",
    re.I,
)
# Someone else's words, reported: "Jess texted me saying 'I don't want to be alive'" is Jess's risk, not the client's.
_REPORTED_VERB = re.compile(
    r"\b(?P<who>\w+)(?:\s+(?:just|had|then|also|finally))?\s+(?:texted|messaged|wrote|posted|sent|dm'?d|snapped|"
    r"emailed|said|says|told|tells|called)\b(?:\s+(?:me|us|her|him|them))?[^.?!]{0,40}?(?:\bsaying\b|\bthat\b|:|"
    r"[\"\u201c])",
    re.I,
)
_ACCIDENT = re.compile(
    r"\b(?:had a fall|fell (?:down|off|over)|slipped|tripped|by accident|accidentally|accidental|car accident|"
    r"(?:playing|lifting|at the gym|chopping|cooking|working out) [^.?!]{0,30}\bhurt myself|hurt myself (?:lifting|"
    r"playing|at the gym|at work|working out|skiing|running))\b",
    re.I,
)
_NOT_A_PERSON_KILLS = re.compile(r"\b(?:what|which|that|it|cancer|covid|disease|illness|the virus)\s+$", re.I)
_ITCH = re.compile(r"\bitch\w*|\brash\b|\bhives\b|\beczema\b|\bmosquito", re.I)
_SONG = re.compile(r"\b(?:song|lyrics?|sings?|singing|sang|album|rapper|the line goes)\b", re.I)


def _reported(before: str) -> Polarity | None:
    """'other' when the mention sits in another person's reported words; 'figurative' inside a song's."""
    inside_quote = before.count('"') % 2 == 1 or before.rfind("\u201c") > before.rfind("\u201d")
    if inside_quote:
        opened = max(before.rfind('"'), before.rfind("\u201c"))
        if _SONG.search(before[max(0, opened - 60) : opened]):
            return "figurative"
    last = next(reversed(list(_REPORTED_VERB.finditer(before))), None)
    if last is not None and last.group("who").lower() not in ("i", "you") and len(before) - last.end() < 60:
        return "other"
    return None


# Unwanted intrusive thoughts (perinatal OCD, harm obsessions) horrify the person who has them: they are obsessions,
# not homicidal ideation, and are reported as such.
_EGO_DYSTONIC = re.compile(
    r"\b(?:intrusive|what if i|horrif\w*|terrif\w*|disgust\w*|scares? me|scared (?:of|that) (?:i|my)|"
    r"(?:would|could) never (?:want|do|forgive)|last thing i (?:want|would)|(?-i:OCD)|obsess\w*|unwanted|"
    r"pops? into my head|can'?t stop thinking|makes me (?:sick|feel like a monster)|i'?m a monster)\b",
    re.I,
)


_Mention = tuple[RiskType, Polarity | Literal["intrusive"], bool, str]

_HYPOTHETICAL_TURN = re.compile(
    r"\bhypothetical(?:ly)?\b|\bsay (?:somebody|someone|a person|a client|a patient)\b|"
    r"\bif (?:i|someone|somebody|a person|a client) (?:said|told you|came in and said)\b",
    re.I,
)


# "If something happened to my mom too. Like if I lost her too. I don't know that I'd want to keep going.": the
# condition said as a sentence of its own, just before the thought it governs.
_BARE_CONDITION = re.compile(r"^(?:like |and |but |so |or )?(?:if|what if|say)\b[^,;?!]*[.]$", re.I)
# A conditional thought the client owns as such: "I've thought that. Like as an if."
_OWNED_CONDITIONAL = re.compile(r"\b(?:as an if|a what-?if|hypothetical(?:ly)?)\b", re.I)


def _conditioned_before(text: str, at: int) -> bool:
    """A bare "if ..." sentence among the two before the one at `at`."""
    before = re.split(r"(?<=[.?!])\s+", text[:at].strip())
    return any(_BARE_CONDITION.match(sentence.strip()) for sentence in before[-2:] if sentence)


def _written_answer(utterances: list[Utterance], index: int) -> Polarity | None:
    if index + 1 >= len(utterances):
        return None
    answered = _answer_polarity(utterances[index + 1].text.lstrip("\"\u201c '-"))
    return "denied" if answered == "denied" else "endorsed" if answered == "endorsed" else None


def _history_before(text: str, quote: str) -> bool:
    """A past marker in the two sentences before an act the client tells of ("In 2011. ... I took a bunch of
    pills"), with nothing recent in the act's own sentence."""
    at = text.find(quote[:40])
    if at <= 0 or _RECENT.search(quote):
        return False
    before = re.split(r"(?<=[.?!])\s+", text[:at].strip())[-2:]
    return bool(_PAST.search(" ".join(before)))


# "I'm going to strangle her if she says spineless one more time", "if one more of them brings me a casserole I'll
# shoot myself": a threat that hangs on a small, repeated annoyance is exasperation. (A conditional without the
# repetition, "if he leaves me I'll kill myself", is not hyperbole and stays a risk.)
_REPEATED_ANNOYANCE = re.compile(r"\bone more (?:time|\w+)\b|\bone more of\b", re.I)
_REPEATED_AGAIN = re.compile(r"\b(?:again|ever again|one more time)\b", re.I)
_HI_VERB = re.compile(r"\b(?:strangle|murder|kill|wring|choke|throttle|smack|shoot)\b", re.I)
_ANSWERED_NO = re.compile(r"[^.?!]{0,40}\?\W{0,4}(?:no|nope|never|den(?:ies|ied))\b", re.I)


def _sentence_at(text: str, at: int) -> str:
    start = max(text.rfind(".", 0, at), text.rfind("!", 0, at), text.rfind("?", 0, at)) + 1
    ends = [i for i in (text.find(".", at), text.find("!", at), text.find("?", at)) if i != -1]
    return text[start : min(ends) + 1 if ends else len(text)]


def _conditional_hyperbole(risk_type: RiskType, sentence: str) -> bool:
    if not re.search(r"\bif\b", sentence, re.I):
        return False
    if _REPEATED_ANNOYANCE.search(sentence):
        return True
    return (
        risk_type == "homicidal_ideation" and bool(_REPEATED_AGAIN.search(sentence)) and bool(_HI_VERB.search(sentence))
    )


def _mentions(u: Utterance, points: bool, informant: bool) -> list[_Mention]:
    """Risk mentions in one utterance. `informant`: a parent or partner speaking, for whom "he"/"she" is the client."""
    found: list[_Mention] = []
    for clause in clauses(u.text):
        seen: set[RiskType] = set()
        for risk_type, pattern, passive in _PATTERNS:
            if risk_type in seen:
                continue
            m = pattern.search(clause.text)
            if not m:
                continue
            seen.add(risk_type)
            if _NOT_ASSESSED.search(clause.text[m.end() :]) or _NOT_ASSESSED_BEFORE.search(clause.text[: m.start()]):
                continue
            if _NOT_A_MENTION.match(clause.text, m.end()) or _ABOUT_THE_TOPIC.search(clause.text[: m.start()]):
                seen.discard(risk_type)
                continue  # "suicide prevention", "the kms comment", "a documentary about suicide": the topic, no one's
            if (
                _GENERIC_SUBJECT.match(clause.text[m.start() :])
                and m.group(0).lower().startswith("suicid")
                and not clause.text[: m.start()].strip(" \t\"'.,;:-")
            ):
                seen.discard(risk_type)
                continue  # "Suicide is a mortal sin": an opinion about suicide, not a thought of it
            if _OVERDOSED_ON_A_PASTIME.match(clause.text, m.start()):
                found.append((risk_type, "figurative", passive, clause.text.strip()))
                continue
            if risk_type == "self_harm" and _ITCH.search(u.text):
                continue  # "it's so itchy, I keep scratching myself" is a rash, not self-injury
            if risk_type == "self_harm" and _ACCIDENT.search(u.text):
                continue  # "I had a fall ... I was just being stubborn and hurt myself": an injury, not self-injury
            if risk_type == "homicidal_ideation" and _NOT_A_PERSON_KILLS.search(
                clause.text[max(0, m.start() - 20) : m.start()]
            ):
                continue  # "we never got to know what killed her": a cause of death, not anyone's intent
            if pattern is _WALL_PUNCH and not _OWN_INJURY.search(u.text):
                seen.discard(risk_type)
                continue
            if risk_type == "homicidal_ideation" and _EGO_DYSTONIC.search(u.text):
                found.append((risk_type, "intrusive", passive, clause.text.strip()))
                continue
            if risk_type == "homicidal_ideation" and pattern is _HI_FIGURATIVE:
                found.append((risk_type, "figurative", passive, clause.text.strip()))
                continue
            after = u.text[clause.start + m.end() :]
            if _JOKE_AFTER.search(after) or (risk_type == "homicidal_ideation" and _LAUGH_AFTER.search(after[:80])):
                found.append((risk_type, "figurative", passive, clause.text.strip()))
                continue
            if _HYPERBOLE_PHRASE.search(clause.text) and _TRIVIAL_CONTEXT.search(u.text):
                found.append((risk_type, "figurative", passive, clause.text.strip()))
                continue
            if _conditional_hyperbole(risk_type, _sentence_at(u.text, clause.start + m.start())):
                found.append((risk_type, "figurative", passive, clause.text.strip()))
                continue
            if points and _ANSWERED_NO.match(u.text[clause.start + m.end() :]):
                # "any wish/urge/intent to harm Gene? "No! God, no."": the question and its answer on one line
                found.append((risk_type, "denied", passive, clause.text.strip()))
                continue
            if _HYPOTHETICAL_TURN.search(u.text) and ("?" in u.text or _CONFIDENTIALITY.search(u.text)):
                # "Say somebody told you, hypothetically, ... Would you call the cops?": a question about the rules
                found.append((risk_type, "hypothetical", passive, clause.text.strip()))
                continue
            reported = _reported(u.text[: clause.start + m.start()])
            if reported is not None:
                found.append((risk_type, reported, passive, clause.text.strip()))
                continue
            pol = polarity(
                clause.text,
                m.span(),
                reflexive_self=risk_type != "homicidal_ideation",
                third_person_is_client=points or informant,
            )
            if pol == "endorsed" and risk_type == "suicidal_ideation" and _conditioned_before(u.text, clause.start):
                pol = "hypothetical"
            lead = len(clause.text) - len(clause.text.lstrip())
            found.append((risk_type, pol, passive, snippet(clause.text.strip(), (m.start() - lead, m.end() - lead))))
    return found


# "Thoughts of hurting yourself" is the PHQ-9's suicide item (item 9): a screen for suicidal thinking. A question about
# acts or urges ("have you hurt yourself", "urges to cut", "hurting yourself in other ways") asks about self-harm.
_PROBE_HARM_THOUGHTS = re.compile(
    r"\b(?:thoughts?|thinking|thought) (?:of|about|that you(?:'d| would| might)?) (?:hurting|harming|hurt|harm) "
    r"(?:yourself|themselves|themself)\b|"
    # the PHQ-9's own wording: "thoughts that you would be better off dead, or of hurting yourself in some way"
    r"\bbetter off dead,? or (?:of )?(?:hurting|harming) yourself\b",
    re.I,
)
_PROBE_SH_ACT = re.compile(
    r"\b(?:self[- ]?harm\w*|cut(?:ting)? (?:yourself|on yourself)|burn\w* yourself|hitting yourself|scratch\w* "
    r"yourself|on purpose|in other ways|any other way|in any way|like cutting|,? cutting\b|injur\w*|"
    r"urges? to (?:hurt|harm|cut)|"
    r"(?:have you|did you|you(?:'ve| have)) (?:ever )?(?:hurt|harmed|cut)\b|done anything to (?:hurt|harm)|"
    r"make yourself throw up)",
    re.I,
)


def _probe_types(text: str) -> list[RiskType]:
    types: list[RiskType] = []
    harm_thoughts = bool(_PROBE_HARM_THOUGHTS.search(text)) and not _PROBE_SH_ACT.search(text)
    if _PROBE_SI.search(text) or harm_thoughts:
        types.append("suicidal_ideation")
    if _PROBE_SH.search(text) and not harm_thoughts:
        types.append("self_harm")
    if _PROBE_HI.search(text):
        types.append("homicidal_ideation")
    return types


def extract_risk(utterances: list[Utterance], *, points: bool = False) -> tuple[list[RiskFlag], list[Fact]]:
    episodes: list[_Episode] = []
    intrusive: list[Fact] = []
    history: list[Fact] = []
    recent_types: list[RiskType] = []
    recent_at = -99
    recent_probe: list[str] = []
    for index, u in enumerate(utterances):
        if points or u.role != "clinician":
            asked = next((p for p in reversed(utterances[max(0, index - 2) : index]) if p.role == "clinician"), None)
            history_asked = asked is not None and bool(_ATTEMPT_HISTORY_PROBE.search(asked.text))
            written_answer = _written_answer(utterances, index) if points and u.text.rstrip().endswith("?") else None
            for risk_type, pol, passive, quote in _mentions(u, points, informant=u.role == "other"):
                if points and u.text.rstrip().endswith("?") and pol in ("endorsed", "intrusive"):
                    # "asked directly: any wish/urge/intent to harm Gene?" then ""No! God, no."": a question noted
                    # in the points, answered by the next line; unanswered, it says nothing.
                    if written_answer is None:
                        continue
                    pol = written_answer
                if pol == "endorsed" and history_asked:
                    pol = "past"  # "Yeah. Once. When I was twenty-four. I took a bunch of pills..."
                elif (
                    pol == "hypothetical"
                    and "?" not in u.text
                    and not _CONFIDENTIALITY.search(u.text)
                    and not (_OWNED_CONDITIONAL.search(u.text) and _conditioned_before(u.text, u.text.find(quote[:30])))
                ):
                    continue  # "If I hurt somebody on the road I couldn't live with it" is a worry, not a risk
                if pol == "intrusive":
                    intrusive.append(
                        Fact(
                            "risk_report",
                            "Client described unwanted intrusive thoughts, experienced as distressing and without "
                            f"intent: {_quote(snippet(quote))}.",
                            (u.id,),
                        )
                    )
                    continue
                ep = _Episode(risk_type, pol, [u.id], passive=passive, quote=quote)
                if pol == "other":
                    told = [e for e in utterances[max(0, index - 4) : index + 1] if e.role != "clinician"]
                    # "It's my friend. He sent me this": whose words they are, as the client put it
                    mine = [
                        (m.group("who").lower(), e.id)
                        for e in reversed(told)
                        for m in _RELATION.finditer(e.text)
                        if m.group("whose").lower() == "my"
                    ]
                    ep.whose = mine[0] if mine else None
                ep.attempt = bool(_ATTEMPT.search(quote))
                if pol == "endorsed" and (ep.attempt or risk_type == "self_harm") and _history_before(u.text, quote):
                    ep.polarity = "past"  # "After my divorce. In 2011. ... I took a bunch of my pills one night."
                # "I almost cut myself": an urge resisted is neither an act nor a denial; it is reported as said.
                ep.near_miss = pol == "endorsed" and (
                    bool(_NEAR_MISS.search(quote)) or (bool(_URGE.search(quote)) and bool(_RESISTED.search(u.text)))
                )
                episodes.append(ep)
            continue
        types = _probe_types(u.text)
        lead: list[str] = []
        if not types and _ANAPHORIC_PROBE.search(u.text) and index - recent_at <= 6:
            if _FREQUENCY_PROBE.search(u.text) and any(ep.polarity == "endorsed" for ep in episodes):
                continue  # "How often are these thoughts coming?" asks about an endorsed thought, not whether
            # The earlier question names the risk, so it is part of the evidence for the answer.
            types, lead = list(recent_types), list(recent_probe)
        if not types:
            continue
        recent_types, recent_at, recent_probe = types, index, [u.id]
        if _HYPOTHETICAL_PROBE.search(u.text):
            # "What would you do if the thoughts came back?" asks a what-if; "If the thoughts get stronger, call
            # 988" is safety planning, which the plan records, and asks nothing.
            if any(s.strip().endswith("?") and _probe_types(s) for s in re.split(r"(?<=[.?!])\s+", u.text)):
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
            t for t, said, _, _ in _mentions(answer, points, informant=False) if said in ("endorsed", "denied", "past")
        }
        answered = _answer_polarity(answer.text)
        if answered == "endorsed" and _denial_summarized(u.text):
            answered = "denied"  # "You told me you don't have thoughts of ending your life." "Yeah."
        if answered is None and _NEGATIVE_PROBE.search(u.text) and _AGREE.search(answer.text):
            answered = "denied"  # "You haven't had thoughts of suicide, right?" "Right." agrees with the negative
        if answered in (None, "past") and _CURRENT_DENIAL.search(answer.text):
            # "I overdosed two years ago. Nothing like that now": the history speaks for itself, and so does the no.
            episodes.extend(_Episode(t, "denied", [*lead, u.id, answer.id], quote=answer.text) for t in types)
            continue
        if answered in ("endorsed", "past") and _ATTEMPT_HISTORY_PROBE.search(u.text):
            # A past attempt: the history is the suicide risk's, whatever words the question used for it.
            episodes.append(
                _Episode("suicidal_ideation", "past", [*lead, u.id, answer.id], quote=answer.text, attempt=True)
            )
            continue
        if answered == "denied" and _ATTEMPT_HISTORY_PROBE.search(u.text):
            what = " or self-harm" if "self_harm" in types else ""
            history.append(Fact("risk_report", f"Client denied ever attempting suicide{what}.", (u.id, answer.id)))
            if types == ["self_harm"]:
                # "Have you ever tried to hurt yourself?" "No.": never is not now either (asked with suicide, the
                # question is about attempts)
                episodes.append(_Episode("self_harm", "denied", [*lead, u.id, answer.id], quote=answer.text))
            continue
        violence_history = _VIOLENCE_HISTORY_PROBE.search(u.text)
        if answered in ("endorsed", "past") and "homicidal_ideation" in types and violence_history:
            # "Have you ever hurt anyone before?" "When I was twenty-three. Bar fight.": violence, not ideation
            history.append(
                Fact(
                    "risk_report",
                    f"Asked if they had ever hurt anyone, client said: {_quote(snippet(answer.text))}.",
                    (u.id, answer.id),
                )
            )
            types = [t for t in types if t != "homicidal_ideation"]
        for risk_type in types:
            if answered is None or (risk_type in own and answered != "denied"):
                continue
            if answered == "denied" and _own_past(answer.text):
                episodes.append(_Episode(risk_type, "past", [*lead, u.id, answer.id], quote=answer.text))
            episodes.append(_Episode(risk_type, answered, [*lead, u.id, answer.id], quote=answer.text))
    episodes = _owned_back(utterances, episodes)
    _attach_details(utterances, episodes, points)
    kept = [ep for ep in episodes if not ep.near_miss]
    retractions = _retractions(utterances, kept)
    kept, later_denials = _endorsed_stands(kept)
    facts = _facts(kept) + later_denials + retractions + _near_miss_facts(episodes) + intrusive[:2] + history[:1]
    facts += _violence_screen(utterances)
    if any(f.type in ("suicidal_ideation", "self_harm", "homicidal_ideation") for f in _flags(kept)):
        facts += _safety_facts(utterances)
    return _flags(kept), facts


# Lethal-means counseling: a means named with what will be done with it ("I could give the bottle to my roommate",
# "your brother will keep the gun locked at his place").
_MEANS_WORD = re.compile(
    r"\b(?:guns?|handguns?|firearms?|rifles?|pistols?|ammunition|ammo|pills|bottle|tablets|meds|medications?|"
    r"prescriptions?|knife|knives|razors?|blades?|rope|lighter|weapons?)\b",
    re.I,
)
_MEANS_SAFETY = re.compile(
    r"\b(?:give (?:it|them|the \w+|my \w+|him|her) (?:\w+ )?to|hand (?:you|me|him|her) (?:the|each|one|your|my)|"
    r"hold (?:on to |onto )?(?:it|them|the)|(?:keep|keeps|kept) (?:it|them|the \w+) (?:at|in|locked|for)|"
    r"lock(?:ed|s|ing)? (?:it |them |the \w+ )?(?:up|away|in)|lock ?box|gun lock|trigger lock|gun safe|"
    # the safe a gun is kept in, never "it's safe with the breastfeeding"
    r"(?:a|the|in (?:a|the|his|her|my|our|their)) safe\b(?! (?:with|for|to|enough|now))|"
    r"get rid of|remove[ds]? (?:it|them|the)|out of the (?:house|home|apartment)|dispens\w+|"
    r"(?:the )?day'?s dose|one (?:day|week) at a time)",
    re.I,
)
_CRISIS_LINE = re.compile(
    r"\b(?:988|crisis (?:line|text line|number)|741741|(?:suicide (?:and crisis )?)?lifeline|call 911|911|"
    r"(?:the )?(?:ER|emergency room|emergency department)|mobile crisis)\b",
    re.I,
)


_CRISIS_NAME = {
    "call 911": "911",
    "er": "ER",
    "crisis number": "crisis line",
    "lifeline": "988",
    "suicide and crisis lifeline": "988",
    "suicide lifeline": "988",
}


# A violence screen ("Has either of you pushed, grabbed, blocked a door...?"): answered no by everyone who answers.
_VIOLENCE_PROBE = re.compile(
    r"\b(?:push(?:ed|ing)|grab(?:bed|bing)|shov(?:ed|ing)|slap(?:ped|ping)|chok(?:ed|ing)|"
    r"hit (?:you|each other|him|her)|blocked (?:a|the) door|thr(?:own|ew|owing) (?:things|something|anything)|"
    r"physically (?:afraid|scared|unsafe)|"
    r"physical(?:ly)? (?:fights?|violen\w*|aggressi\w*|hurt)|"
    r"domestic violence|violence at home|afraid of (?:him|her|each other|the other|your partner))\b",
    re.I,
)


def _violence_screen(utterances: list[Utterance]) -> list[Fact]:
    for index, u in enumerate(utterances):
        if u.role != "clinician" or "?" not in u.text or not _VIOLENCE_PROBE.search(u.text):
            continue
        answers: list[Utterance] = []
        for later in utterances[index + 1 : index + 5]:
            if later.role == "clinician":
                break
            answers.append(later)
        if not answers:
            continue
        ids = (u.id, *(a.id for a in answers))
        if all(_answer_polarity(a.text) == "denied" for a in answers):
            who = "Each client" if len({a.speaker for a in answers}) >= 2 else "Client"
            return [Fact("risk", f"{who} denied physical aggression.", ids)]
        endorsed = next((a for a in answers if _answer_polarity(a.text) == "endorsed"), None)
        if endorsed is not None:
            return [Fact("risk", f"Asked about physical aggression, client said: {_quote(endorsed.text)}.", ids)]
    return []


def _safety_facts(utterances: list[Utterance]) -> list[Fact]:
    """Lethal-means counseling and the crisis resources given: the plan's safety lines."""
    facts: list[Fact] = []
    for before, u in zip([None, *utterances], utterances, strict=False):
        named = _MEANS_WORD.search(u.text) or (before is not None and _MEANS_WORD.search(before.text))
        action = next((c.text for c in clauses(u.text) if _MEANS_SAFETY.search(c.text)), None)
        if named and action is not None:
            ids = (before.id, u.id) if before is not None and not _MEANS_WORD.search(u.text) else (u.id,)
            said = u.text if len(u.text.split()) <= 20 else action  # "My brother Len. He's got a gun safe."
            facts.append(Fact("plan", f"Lethal means counseling: {_quote(said)}.", ids))
        if len(facts) >= 2:
            break
    lines = list(
        dict.fromkeys(
            _CRISIS_NAME.get(m.group(0).lower().removeprefix("the "), m.group(0))
            for u in utterances
            if u.role == "clinician"
            for m in _CRISIS_LINE.finditer(u.text)
        )
    )
    crisis_ids = tuple(u.id for u in utterances if u.role == "clinician" and _CRISIS_LINE.search(u.text))
    if lines:
        facts.append(Fact("plan", f"Crisis resources reviewed: {', '.join(lines[:4])}.", crisis_ids[:4]))
    return facts


_YOU_WROTE = re.compile(r"\byou (?:wrote|texted|said|posted|messaged|sent|told (?:her|him|them|me))\b", re.I)


def _owned_back(utterances: list[Utterance], episodes: list[_Episode]) -> list[_Episode]:
    """A relative reports the client's text ("He wrote, 'I want to die'") and the clinician puts it to the client
    ("When you wrote 'I want to die'..."): the words are the client's own, not another person's."""
    owned: list[_Episode] = []
    for u in utterances:
        if u.role != "clinician" or not (said := _YOU_WROTE.search(u.text)):
            continue
        rest = u.text[said.end() :]
        for risk_type, pattern, passive in _PATTERNS:
            m = pattern.search(rest)
            if not m or pattern in (_SI_FIGURATIVE, _HI_FIGURATIVE):
                continue
            words = m.group(0).lower()
            reported = [ep for ep in episodes if ep.polarity == "other" and words in ep.quote.lower()]
            if reported:
                episodes = [ep for ep in episodes if ep not in reported]
                if not any(ep.type == risk_type and ep.polarity == "endorsed" for ep in episodes + owned):
                    quote = reported[0].quote
                    owned.append(_Episode(risk_type, "endorsed", [*reported[0].evidence, u.id], passive, quote=quote))
    return episodes + owned


def _turn_number(evidence: list[str]) -> int:
    """Where in the session the evidence starts (utterance ids are "u1", "u2", ... in order)."""
    numbers = [int(e[1:]) for e in evidence if e[:1] == "u" and e[1:].isdigit()]
    return min(numbers, default=0)


def _endorsed_stands(episodes: list[_Episode]) -> tuple[list[_Episode], list[Fact]]:
    """An endorsement is never cancelled by a later "no": passive ideation followed by "no plan, I'd never do it"
    stays endorsed; the denial is kept as what it is (of active ideation, or a later answer)."""
    endorsed = {ep.type: ep for ep in episodes if ep.polarity == "endorsed"}
    kept: list[_Episode] = []
    facts: list[Fact] = []
    said: set[RiskType] = set()
    for ep in episodes:
        first = endorsed.get(ep.type)
        if ep.polarity != "denied" or first is None:
            kept.append(ep)
            continue
        if ep.type in said:
            continue
        said.add(ep.type)
        passive_only = all(e.passive for e in episodes if e.polarity == "endorsed" and e.type == ep.type)
        if ep.type == "suicidal_ideation" and passive_only:
            facts.append(Fact("risk", "Client denied active suicidal ideation.", tuple(ep.evidence[:3])))
        elif _turn_number(ep.evidence) < _turn_number(first.evidence):
            # "No, not really" to the first question, then a yes to the second, differently worded one
            answer = _quote(snippet(ep.quote)) if ep.quote else "no"
            first_asked = f"When first asked about {RISK_LABEL[ep.type]}, client said: {answer}."
            facts.append(Fact("risk", first_asked, tuple(ep.evidence[:3])))
        else:
            facts.append(Fact("risk", f"Asked again, client denied {RISK_LABEL[ep.type]}.", tuple(ep.evidence[:3])))
    return kept, facts


_RETRACTION = re.compile(
    r"\b(?:(?:didn'?t|did not|don'?t|do not) (?:really )?mean (?:it|that)|(?:was|i'?m) (?:just )?(?:venting|"
    r"exaggerating|being dramatic|kidding)|forget (?:i said|what i said|about it)|it'?s not (?:a big deal|that serious|"
    r"serious)|i'?m fine,? (?:really|honestly|seriously)|not (?:like )?(?:serious|for real)|overreact\w*|"
    r"take (?:it|that) back)\b",
    re.I,
)


def _retractions(utterances: list[Utterance], episodes: list[_Episode]) -> list[Fact]:
    """'I didn't really mean it' after an endorsement: noted beside the flag, which stands."""
    position = {u.id: i for i, u in enumerate(utterances)}
    facts: list[Fact] = []
    for ep in episodes:
        if ep.polarity != "endorsed":
            continue
        start = position[ep.evidence[0]]
        for u in utterances[start + 1 : start + 30]:
            m = _RETRACTION.search(u.text) if u.role != "clinician" else None
            if m:
                quote = _quote(snippet(u.text, m.span()))
                facts.append(
                    Fact(
                        "risk",
                        f"Client afterwards minimized the statement: {quote}.",
                        (ep.evidence[0], u.id),
                    )
                )
                break
    return facts[:3]


# A question put in the negative, or a statement with a tag ("no thoughts of hurting yourself, right?").
_NEGATIVE_PROBE = re.compile(
    r"\b(?:not|no|haven'?t|hasn'?t|aren'?t|isn'?t|don'?t|didn'?t|never|none)\b[^?]{0,80}\?|"
    r",? (?:right|correct|yeah|is that right|am i right)\s*\?\s*$",
    re.I,
)
_AGREE = re.compile(r"^\W*(?:right|correct|that'?s (?:right|correct)|exactly|true|yep,? (?:right|none))\b", re.I)
_CURRENT_DENIAL = re.compile(
    r"\b(?:nothing like that (?:now|lately|anymore|these days)|not (?:now|anymore|lately|these days|recently)|"
    r"(?:don'?t|do not) have (?:those|these|any) (?:thoughts|urges)(?: now| anymore)?|no (?:thoughts|urges) "
    r"(?:now|lately|like that)|(?:haven'?t|have not) (?:had|felt) (?:that|those|any)(?: \w+)? (?:since|in)\b)",
    re.I,
)


def _next_client_turn(utterances: list[Utterance], index: int) -> Utterance | None:
    """The client's answer: the next client turn, unless that turn is a question of its own ("would you have to
    tell someone?"), when the answer is the client's turn after the clinician replies."""
    for later in utterances[index + 1 : index + 5]:
        if later.role == "clinician":
            continue
        if later.text.rstrip().endswith("?") and _answer_polarity(later.text) is None:
            continue
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


_LEAD_FILLER = re.compile(
    r"^\W*(?:(?:um+|uh+|erm|well|so|okay|ok|hmm+|i mean|right|oh|\[[^\]]{1,30}\])[,.]?\s+)+", re.I
)  # "[pause] yeah okay": the transcriber's bracket is not the answer


_HEAD_SHAKE = re.compile(r"^\W*\[(?:shakes|shaking|shook) (?:her |his |their |my )?head(?: no)?\]", re.I)
_NOD = re.compile(r"^\W*\[(?:nods|nodding|nodded)(?: yes)?\]\W*$", re.I)


def _denial_summarized(text: str) -> bool:
    """The clinician's summary puts a denial back to the client as a statement ("You told me you don't have
    thoughts of ending your life."), so a yes agrees with the denial. A question is left to its answer."""
    sentences = re.split(r"(?<=[.?!])\s+", text.strip())
    said = [s for s in sentences if _probe_types(s)]
    return bool(said) and all(not s.rstrip().endswith("?") and _SUMMARIZED_NO.search(s) for s in said)


_SUMMARIZED_NO = re.compile(
    r"\byou(?: (?:told me|said|mentioned|let me know))?(?: that)?(?: you)? (?:don'?t|do not|haven'?t|have not|"
    r"aren'?t|are not|never|have no)\b(?![^.?!]*\b(?:does|do you|did you|have you|are you|is there)\b)",
    re.I,
)


def _answer_polarity(text: str) -> Polarity | None:
    if _HEAD_SHAKE.search(text):
        return "denied"  # "[shakes head]", noted by the transcriber or the clinician
    if _NOD.search(text):
        return "endorsed"
    text = _LEAD_FILLER.sub("", text)
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
        window = utterances[max(0, first - 1) : first + (18 if ep.polarity == "endorsed" else 12)]
        if ep.type == "homicidal_ideation" and ep.polarity == "endorsed":
            before = utterances[max(0, first - 10) : first + 2]
            ep.target = next(
                ((m.group("who").lower(), u.id) for u in reversed(before) if (m := _HI_TARGET.search(u.text))), None
            )
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
        if ep.polarity == "endorsed" and not ep.means and not ep.means_denied and not points:
            # The firearm question of a risk assessment can come long after the disclosure (a dropped call, a
            # safety plan first); it asks about nothing else.
            later = utterances[first + 18 : first + 60]
            for i, u in enumerate(later):
                nxt = next((w for w in later[i + 1 : i + 3] if w.role != "clinician"), None)
                if u.role == "clinician" and nxt is not None and _FIREARM_PROBE.search(u.text):
                    _means_detail(ep, u, nxt)
                    break
        ep.evidence = list(dict.fromkeys(ep.evidence))


# Whom homicidal thoughts are toward, by relation: "my supervisor at the shop", "hurting your ex".
_HI_TARGET = re.compile(
    r"\b(?:my|your|his|her|the) (?P<who>supervisor|boss|manager|coworker|co-worker|neighbou?r|ex|ex-husband|ex-wife|"
    r"ex-boyfriend|ex-girlfriend|landlord|stepfather|stepdad|father|dad|mother|mom|brother|sister|husband|wife|"
    r"partner|roommate|teacher|coach|sergeant|foreman)\b",
    re.I,
)
_ACTED_PROBE = re.compile(
    r"\b(?:did|have) you (?:act(?:ed)? on (?:it|that|them|the urges?)|do (?:it|anything)|go through with it|"
    r"(?:actually )?(?:cut|hurt|harm|burn) yourself|use the (?:blade|razor|sharpener|lighter))\b",
    re.I,
)
_SCALE_PROBE = re.compile(r"\b(?:scale|zero to ten|0 to 10|out of (?:ten|10)|how likely)\b", re.I)
_PLAN_DETAIL_PROBE = re.compile(
    r"^\W*(?:tell me (?:how|more)|walk me through|how would you|what would you do|how)\b|"
    r"\bwhat (?:have|had) you (?:thought about|pictured|imagined|planned)(?: doing)?\b",
    re.I,
)
_FREQUENCY_PROBE = re.compile(
    r"\b(?:how (?:often|many times|frequently|many days)|how much (?:this|last) week)\b", re.I
)


def _probe_detail(ep: _Episode, question: Utterance, answer: Utterance) -> None:
    if ep.frequency is None and _FREQUENCY_PROBE.search(question.text) and re.search(r"\w", answer.text):
        ep.frequency = (answer.text.strip(), question.id, answer.id)
        ep.evidence += [question.id, answer.id]
    if _PLAN_PROBE.search(question.text) and ep.plan is None:
        ep.plan = _yes_no(answer.text)
        method = _METHOD.search(answer.text)
        if method and ep.plan is not False:
            ep.plan = True
            ep.plan_quote = answer.text.strip()
        if ep.plan is not None:
            ep.evidence += [question.id, answer.id]
    rated = re.search(r"\b(?:\d{1,2}|zero|one|two|three|four|five|six|seven|eight|nine|ten)\b", answer.text, re.I)
    if _SCALE_PROBE.search(question.text) and _INTENT_PROBE.search(question.text) and not ep.intent_scale and rated:
        ep.intent_scale = answer.text.strip()
        ep.evidence += [question.id, answer.id]
        return
    if _PLAN_DETAIL_PROBE.search(question.text) and ep.plan and not ep.plan_detail:
        ep.plan_detail = answer.text.strip()
        ep.evidence += [question.id, answer.id]
    if _ACTED_PROBE.search(question.text) and ep.acted is None and re.search(r"\w", answer.text):
        # asked about what was done, not what will be: an answer about the act, never a statement of intent
        ep.acted = (answer.text.strip(), question.id, answer.id)
        ep.evidence += [question.id, answer.id]
        return
    if _INTENT_PROBE.search(question.text) and ep.intent is None:
        ep.intent = _yes_no(answer.text)
        if ep.intent is not None:
            ep.evidence += [question.id, answer.id]
        elif _EQUIVOCAL.search(answer.text):
            ep.intent_unsure = answer.text.strip()
            ep.evidence += [question.id, answer.id]
    _means_detail(ep, question, answer)


def _means_detail(ep: _Episode, question: Utterance, answer: Utterance) -> None:
    """'Are there any guns in the house?' and its answer: means reported, or asked about and denied."""
    if _MEANS_PROBE.search(question.text) and _yes_no(answer.text):
        means = _MEANS.search(answer.text) or _MEANS.search(question.text)
        if means:
            ep.means.append(means.group(1).lower())
            ep.evidence += [question.id, answer.id]
    elif _MEANS_PROBE.search(question.text) and _yes_no(answer.text) is False:
        asked = _MEANS.search(question.text)
        if asked and not ep.means_denied:
            ep.means_denied.append((asked.group(0).lower(), question.id, answer.id, answer.text))


_WHERE = re.compile(
    r"\b(?:it'?s|it is|they'?re|they are|keeps? (?:it|them)|kept|stored|sitting) (?:still )?(?:in|under|at|inside|on) "
    r"(?P<where>(?:the|my|his|her|our|their) [\w' ]{2,30}?)(?=[.,;!?]|$| and\b)",
    re.I,
)


_RIGHT_AFTER = re.compile(
    r"\s+(?:(?:is|are) )?(?:in|under|inside|on) (?P<where>(?:the|my|his|her|our|their) [\w' ]{2,30}?)"
    r"(?=[.,;!?]|$| and\b)",
    re.I,
)


def _said_detail(ep: _Episode, u: Utterance) -> None:
    found = [
        (m, clause.start + m.end())
        for clause in clauses(u.text)
        for m in _MEANS.finditer(clause.text)
        if not is_negated(clause.text[: m.start()], clause.text[m.end() :])
    ]  # "No guns." names a means only to deny it
    for means, end in found[:3]:
        # "I keep my Glock in the truck", "the pills are in the bathroom cabinet"
        where = _RIGHT_AFTER.match(u.text, end) or _WHERE.search(u.text, end)
        label = means.group(1).lower() + (f" ({where.group('where')})" if where else "")
        if not any(m.startswith(means.group(1).lower()) for m in ep.means):
            ep.means.append(label)
            ep.evidence.append(u.id)
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
            merged[key] = replace(
                ep, evidence=list(ep.evidence), means=list(ep.means), protective=list(ep.protective), more=list(ep.more)
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
        target.frequency = target.frequency or ep.frequency
        target.intent_scale = target.intent_scale or ep.intent_scale
        target.plan_detail = target.plan_detail or ep.plan_detail
        if not target.quote:
            target.quote = ep.quote  # a question came first; the client's words are the episode's words
        said = {target.quote} | {q for q, _ in target.more}
        for quote, uid in [(ep.quote, ep.evidence[0]), *ep.more]:
            if quote and quote not in said:
                target.more.append((quote, uid))
                said.add(quote)
    return list(merged.values())


def _flags(episodes: list[_Episode]) -> list[RiskFlag]:
    # An endorsement says more than a what-if of the same kind ("if I'm gonna hurt somebody, you have to tell").
    endorsed = {ep.type for ep in episodes if ep.polarity == "endorsed"}
    episodes = [ep for ep in episodes if not (ep.polarity == "hypothetical" and ep.type in endorsed)]
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
            # The client's own words carry the risk statement; the clinician reads them, not our paraphrase.
            said = f": {_quote(snippet(ep.quote))}" if ep.quote and len(ep.quote.split()) > 2 else ""
            toward = f" toward their {ep.target[0]}" if ep.target else ""
            cited = (*ev[:2], ep.target[1]) if ep.target else ev[:2]
            facts.append(Fact("risk", f"Client endorsed {passive}{label}{toward}{said}.", cited))
            if ep.plan is not None:
                plan = "Client endorsed a plan" if ep.plan else "Client denied any plan"
                facts.append(Fact("risk", f"{plan}: {_quote(ep.plan_quote)}." if ep.plan_quote else f"{plan}.", ev))
            if ep.plan_detail:
                facts.append(Fact("risk", f"Plan as described: {_quote(snippet(ep.plan_detail))}.", ev))
            if ep.intent_scale:
                facts.append(Fact("risk", f"Asked how likely they are to act (0-10): {_quote(ep.intent_scale)}.", ev))
            elif ep.intent is not None:
                facts.append(Fact("risk", f"Client {'endorsed' if ep.intent else 'denied'} intent to act.", ev))
            elif ep.intent_unsure:
                facts.append(Fact("risk", f"Client was unsure about intent to act: {_quote(ep.intent_unsure)}.", ev))
            if ep.acted is not None:
                answer, qid, aid = ep.acted
                said = _quote(snippet(answer))
                if _yes_no(answer) is False:
                    facts.append(Fact("risk", f"Client reported they did not act on the urge: {said}.", (qid, aid)))
                else:
                    facts.append(Fact("risk", f"Asked if they acted on it, client said: {said}.", (qid, aid)))
            if ep.means:
                facts.append(Fact("risk", f"Client reported access to means: {', '.join(ep.means)}.", ev))
            for what, qid, aid, said_back in ep.means_denied:
                quoted = _quote(snippet(said_back))
                facts.append(Fact("risk", f"Asked about access to {what}, client said: {quoted}.", (qid, aid)))
            for quote, uid in ep.more[:2]:
                if len(quote.split()) > 2:
                    facts.append(Fact("risk", f"Client also described: {_quote(snippet(quote))}.", (uid,)))
            if ep.frequency is not None:
                answer, qid, aid = ep.frequency
                facts.append(Fact("risk", f"Asked how often, client said: {_quote(snippet(answer))}.", (qid, aid)))
        elif ep.polarity == "equivocal":
            facts.append(Fact("risk", f"Client's answer about {label} was unsure: {_quote(ep.quote)}.", ev[:3]))
        elif ep.polarity == "hypothetical" and ep.quote:
            # "If I lost her too, I don't know that I'd want to keep going": a thought under a condition, in the
            # client's words, so the clinician reads exactly what was said
            said = _quote(snippet(ep.quote))
            conditional = f"Client described a conditional thought of {label}, not current: {said}."
            facts.append(Fact("risk", conditional, ev[:2]))
        elif ep.polarity == "past":
            what = "a past suicide attempt" if ep.type == "suicidal_ideation" and ep.attempt else f"past {label}"
            # the client's own words carry when and how ("At seventeen I took a bunch of Tylenol")
            said = f": {_quote(snippet(ep.quote))}" if ep.quote and len(ep.quote.split()) > 3 else ""
            facts.append(Fact("risk_report", f"Client reported {what}{said}; not current.", ev[:4]))
        elif ep.polarity == "other":
            facts.append(Fact("risk_report", f"Client discussed {label} involving another person.", ev[:4]))
            quote = next((q for q in map(strip_excluded, [ep.quote, *(q for q, _ in ep.more)]) if q), "")
            whose = f" (the client's {ep.whose[0]})" if ep.whose else ""
            cited = (*ev[:1], ep.whose[1]) if ep.whose else ev[:1]
            if quote:
                said = f"Another person's risk{whose}, as described: {_quote(quote)}."
                facts.append(Fact("private", said, tuple(dict.fromkeys(cited)), private=True))
        elif ep.polarity == "figurative":
            quote = strip_excluded(ep.quote)
            if quote:
                facts.append(
                    Fact(
                        "private",
                        f"Figurative expression, not read as a risk: {_quote(quote)}.",
                        ev[:1],
                        private=True,
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
