"""Clinical vocabulary as data: each concept names the fact kind it feeds, the words a note uses for it (`label`),
and the patterns that find it in speech. The grounding check licenses a label's words from the same patterns,
so "sleep disturbance" is supported by "I keep waking up at 3".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from confide.lib.medications import MEDICATIONS


@dataclass(frozen=True, slots=True)
class Concept:
    key: str
    kind: str
    label: str
    topic: str
    pattern: re.Pattern[str]
    sensitive: bool = False


def _c(key: str, kind: str, label: str, topic: str, pattern: str, *, sensitive: bool = False) -> Concept:
    return Concept(key, kind, label, topic, re.compile(pattern, re.I), sensitive)


SYMPTOMS: tuple[Concept, ...] = (
    _c(
        "depressed_mood",
        "symptom",
        "depressed mood",
        "mood",
        r"\b(?:depress(?:ed|ion|ing)|(?:feel(?:ing)?|been|so|really|pretty) (?:down|low|sad|blue|empty|numb)|sadness|"
        r"low mood|hopeless(?:ness)?|cry(?:ing)? (?:all the time|a lot|every day|spells|constantly)|can'?t stop crying|"
        r"mood (?:has been|is|was) (?:low|down|bad|awful|terrible)|worthless)\b",
    ),
    _c(
        "anhedonia",
        "symptom",
        "anhedonia (loss of interest)",
        "interest",
        r"\b(?:(?:lost|lose|losing|no) interest|don'?t (?:enjoy|care about) (?:anything|things|much)|nothing (?:is|"
        r"feels) "
        r"(?:fun|enjoyable)|(?:stopped|quit) (?:doing|enjoying) (?:things|anything|the things)|anhedonia|"
        r"don'?t (?:even )?want to do anything|no motivation|unmotivated)\b",
    ),
    _c(
        "sleep",
        "symptom",
        "sleep disturbance",
        "sleep",
        r"\b(?:insomnia|(?:can'?t|couldn'?t|cannot|not|trouble|hard to|difficulty|"
        r"problems?) (?:fall(?:ing)? )?(?:sleep|sleeping|asleep)|"
        r"(?:wak(?:e|ing) up|awake) (?:at|around|in the middle|every|all night|several)|up all night|"
        r"(?:only|barely) sleep(?:ing)? (?:\w+ ){0,3}hours|"
        r"sleep(?:ing)? (?:too much|all day|(?:a lot|badly|poorly|terribly)|only \w+ hours)|"
        r"(?:poor|bad|broken|restless|terrible|no) sleep|(?:only|barely) (?:get(?:ting)?|slept|sleep(?:ing)?) "
        r"(?:\w+ )?(?:hours?|a few hours)|nightmares?|oversleep\w*|hypersomnia|"
        r"(?:one|two|three|four|five|[1-5]|a couple(?: of)?|a few) hours? (?:of sleep )?"
        r"(?:a|per|each|at|every) night)\b",
    ),
    _c(
        "appetite",
        "symptom",
        "appetite change",
        "appetite",
        r"\b(?:(?:no|poor|lost my|losing my|decreased|increased|big) appetite|appetite (?:is|has been|'s) "
        r"(?:gone|down|off|poor|bad|low|up)|not (?:eating|hungry)|(?:skipping|skip) meals|(?:lost|gained) "
        r"(?:\w+ )?(?:weight|pounds|lbs)|binge?(?:ing)?|(?:eating|eat) (?:too much|all the time|constantly|nothing))\b",
    ),
    _c(
        "fatigue",
        "symptom",
        "low energy/fatigue",
        "energy",
        r"\b(?:exhausted|(?:so|always|really|constantly) tired|no energy|low energy|fatigue\w*|drained|"
        r"(?:can'?t|couldn'?t) get out of bed|wiped out|sluggish)\b",
    ),
    _c(
        "concentration",
        "symptom",
        "poor concentration",
        "concentration",
        r"\b(?:(?:can'?t|couldn'?t|hard to|trouble|difficulty) (?:concentrat\w*|focus\w*|think straight)|"
        r"(?:poor|no) (?:concentration|focus)|distracted|mind (?:keeps )?wander\w*|forgetful|brain fog|foggy)\b",
    ),
    _c(
        "anxiety",
        "symptom",
        "anxiety/worry",
        "anxiety",
        r"\b(?:anxious|anxiety|worr(?:y|ied|ying|ies)|nervous|on edge|keyed up|tense|overwhelmed|dread|restless|"
        r"racing thoughts|can'?t stop thinking)\b",
    ),
    _c(
        "panic",
        "symptom",
        "panic attacks",
        "panic",
        r"\b(?:panic(?:ky| attacks?| attack)?|heart (?:was )?(?:racing|pounding)|couldn'?t breathe|"
        r"can'?t breathe|thought i was (?:dying|having a heart attack))\b",
    ),
    _c(
        "somatic",
        "symptom",
        "somatic complaints",
        "physical symptoms",
        r"\b(?:stomach ?aches?|stomach (?:pain|hurts?|hurting|issues|problems|started|gets|was|is) ?\w*|tummy ?aches?|"
        r"headaches?|migraines?|chest (?:pain|tightness|feels tight|gets tight)|(?:my )?body aches?|"
        r"(?:feel|felt|feeling|get|got) (?:sick to my stomach|nauseous|shaky|dizzy))\b",
    ),
    _c(
        "irritability",
        "symptom",
        "irritability",
        "irritability",
        r"\b(?:irritab\w*|irritated|snap(?:ping|ped)? at|short[- ]tempered|los(?:e|ing|t) my temper|"
        r"(?:so|really|always) (?:angry|mad)|anger outbursts?|blow(?:ing)? up at|yell(?:ing|ed)? at)\b",
    ),
    _c(
        "guilt",
        "symptom",
        "guilt/worthlessness",
        "self-worth",
        r"\b(?:guilt(?:y)?|worthless|(?:i'?m|feel like) a (?:failure|burden)|hate myself|ashamed|shame)\b",
    ),
    _c(
        "hopelessness",
        "symptom",
        "hopelessness",
        "outlook",
        r"\b(?:hopeless|no hope|what'?s the point|(?:don'?t|can'?t) see the point|nothing (?:will|"
        r"is going to) (?:change|get better)|no future)\b",
    ),
    _c(
        "trauma_symptoms",
        "symptom",
        "trauma-related symptoms (intrusions/avoidance/hyperarousal)",
        "trauma symptoms",
        r"\b(?:flashbacks?|intrusive (?:memories|thoughts|images)|(?:keep )?reliv(?:e|ing)|triggered|hypervigilan\w*|"
        r"jumpy|startl\w*|"
        r"on guard|numb)\b",
    ),
    _c(
        "avoidance",
        "symptom",
        "avoidance",
        "avoidance",
        r"\b(?:avoid(?:ing|ed|ance)?|(?:haven'?t|won'?t|can'?t) (?:driven|drive|go(?:ne)? (?:back|out|near))|"
        r"stay(?:ing|ed)? away from)\b",
    ),
    _c(
        "obsessions",
        "symptom",
        "obsessions/compulsions",
        "obsessive-compulsive symptoms",
        r"\b(?:obsess\w*|compuls\w*|check(?:ing)? (?:the )?(?:locks?|stove|doors?) (?:over and over|again|\w+ times)|"
        r"(?:wash(?:ing|ed)?|clean(?:ing)?) (?:my )?hands|washing|rituals?)\b",
    ),
    _c(
        "withdrawal",
        "functioning",
        "social withdrawal",
        "social functioning",
        r"\b(?:isolat\w*|(?:stay(?:s|ing|ed)?|stuck) (?:in|at) (?:(?:my|his|her|their) room|home|bed)|(?:haven'?t|"
        r"don'?t|didn'?t) "
        r"(?:seen|see|talk(?:ed)? to|call(?:ed)?) (?:my )?(?:friends|anyone|anybody)|avoid(?:ing)? (?:my )?friends|"
        r"withdrawn|(?:haven'?t|didn'?t) (?:left|leave) the (?:house|apartment))\b",
    ),
    _c(
        "work_function",
        "functioning",
        "impaired work/school functioning",
        "work or school functioning",
        r"\b(?:(?:missed|missing|miss) (?:work|school|class(?:es)?|days|shifts?|deadlines?)|called (?:in )?sick|"
        r"fell behind|falling behind|grades (?:are |have )?(?:dropp|slipp|fall)\w*|(?:failing|failed) (?:a |my )?"
        r"(?:class|test|exam)|(?:got |been )?(?:written up|warning at work)|late (?:to|for) work|"
        r"can'?t (?:do|keep up with) my (?:job|work))\b",
    ),
    _c(
        "self_care",
        "functioning",
        "reduced self-care",
        "self-care",
        r"\b(?:(?:haven'?t|not|stopped|didn'?t) (?:showered|shower(?:ing)?|brush(?:ed|ing)? my teeth|cleaning|"
        r"doing laundry)|hygiene|dishes (?:piling|piled) up)\b",
    ),
    _c(
        "psychosis",
        "symptom",
        "perceptual disturbance",
        "perception",
        r"\b(?:hear(?:ing)? voices|voices (?:telling|say)|see(?:ing)? things (?:that|other)|hallucinat\w*|paranoi\w*|"
        r"(?:people|they) (?:are|were) (?:watching|following) me|(?:the )?voices)\b",
    ),
)

SUBSTANCES: tuple[Concept, ...] = (
    _c(
        "alcohol",
        "substance",
        "alcohol use",
        "alcohol",
        r"\b(?:alcohol|drink(?:ing|s)?|drank|drunk|beers?|wine|vodka|whiske?y|liquor|tequila|shots|hungover|"
        r"hangover|booze|etoh)\b",
    ),
    _c(
        "cannabis",
        "substance",
        "cannabis use",
        "cannabis",
        r"\b(?:weed|marijuana|cannabis|(?<!\ba )(?<!\bthe )(?<!crock )(?<!coffee )(?<!tea )(?<!flower )pot\b"
        r"(?! (?:roast|luck|hole|belly|of))|edibles?|thc|smok(?:e|ing) (?:a )?(?:joint|blunt|bowl)|joints?|"
        r"(?<!pressure )(?<!sugar )(?<!levels )(?<!level )(?<!numbers )(?<!cholesterol )(?<!anxiety )(?<!stress )"
        r"(?:get|got|getting|was|were|being|stay|staying) high\b(?! (?:school|blood|pressure|up|alert|risk))|stoned)\b",
    ),
    _c(
        "nicotine",
        "substance",
        "nicotine use",
        "nicotine",
        r"\b(?:vap(?:e|ing)|cigarettes?|smok(?:e|ing|er)|nicotine|juul|tobacco)\b",
    ),
    _c(
        "stimulants",
        "substance",
        "stimulant use",
        "stimulants",
        r"\b(?:cocaine|coke|meth(?:amphetamine)?|crystal|speed|molly|mdma|ecstasy)\b",
    ),
    _c(
        "opioids",
        "substance",
        "opioid use",
        "opioids",
        r"\b(?:heroin|fentanyl|oxy(?:codone|contin)?|percocet|vicodin|opioids?|opiates?|pain ?pills)\b",
    ),
    _c(
        "sobriety",
        "substance",
        "sobriety/recovery",
        "recovery",
        r"\b(?:sober|sobriety|clean for|(?:aa|na) meetings?|sponsor|relapse[ds]?|recovery|(?:\d+|\w+) days? clean)\b",
    ),
)

LIFE_EVENTS: tuple[Concept, ...] = (
    _c(
        "work_stress",
        "life_event",
        "work-related stressors",
        "work",
        r"\b(?:(?:my )?boss|(?:at|from) work|job|laid off|fired|promotion|deadline|coworkers?|co-workers?|"
        r"workload|unemploy\w*|performance review)\b",
    ),
    _c(
        "school_stress",
        "life_event",
        "school-related stressors",
        "school",
        r"\b(?:school|exams?|finals|homework assignments|teacher|grades|college applications?|classes|bull(?:y|ied|"
        r"ying))\b",
    ),
    _c(
        "relationship",
        "life_event",
        "relationship stressors",
        "relationships",
        r"\b(?:(?:my |our )?(?:marriage|husband|wife|partner|boyfriend|girlfriend|spouse|ex)|break ?up|broke up|"
        r"divorc\w*|separat(?:ed|ion)|affair|cheat(?:ed|ing)|argu(?:e|ed|ing|ment)s?|fight(?:ing|s)?|fought|"
        r"custody|dating|intimacy|sex)\b",
        sensitive=True,
    ),
    _c(
        "family",
        "life_event",
        "family stressors",
        "family",
        r"^(?=.*\b(?:argu\w*|fight\w*|fought|yell\w*|scream\w*|conflict|mad at|angry (?:at|with)|divorc\w*|stress\w*|"
        r"worried about|sick|won'?t (?:listen|talk|stop)|never listens|pressure|disappoint\w*|critici[sz]\w*|tension|"
        r"drinking|estranged|cut (?:me|us) off|don'?t get along|blam\w*|judg\w*))"
        r".*\b(?:(?:my )?(?:mom|mother|dad|father|parents?|brother|sister|siblings?|son|daughter|kids|children|"
        r"in-laws|family|stepdad|stepmom|grandma|grandmother|grandpa|grandfather))\b",
        sensitive=True,
    ),
    _c(
        "interpersonal",
        "life_event",
        "interpersonal conflict",
        "interpersonal conflict",
        r"^(?=.*\b(?:argu\w*|fight\w*|fought|yell\w*|block\w*|threat\w*|harass\w*|bull(?:y|ied|ying)|mess(?:ing)? with|"
        r"posted|took my|bat\b))"
        r".*\b(?:neighbou?rs?|friends?|roommates?|kids|classmates?|guys|coworkers?)\b",
        sensitive=True,
    ),
    _c(
        "grief",
        "life_event",
        "grief and loss",
        "loss",
        r"\b(?:passed away|(?<!phone )(?<!battery )(?<!laptop )(?<!computer )(?<!car )(?<!engine )(?<!it )died|death|"
        r"funeral|grie(?:f|ving|ve)|lost my (?:mom|dad|mother|father|wife|husband|son|"
        r"daughter|brother|sister|friend|baby|dog|cat)|miscarriage|anniversary of)\b",
        sensitive=True,
    ),
    _c(
        "financial",
        "life_event",
        "financial stressors",
        "finances",
        r"\b(?:money|bills?|rent|debt|afford|financ\w*|broke|evict\w*|mortgage)\b",
    ),
    _c(
        "housing",
        "life_event",
        "housing changes",
        "housing",
        r"\b(?:mov(?:e|ed|ing) (?:out|in|to|away|back)|new apartment|homeless\w*|housing|roommates?)\b",
    ),
    _c(
        "legal",
        "life_event",
        "legal stressors",
        "legal matters",
        r"\b(?:court|lawyer|arrest\w*|probation|(?:criminal|the|pressed|dropped|facing) charges|dui|police|"
        r"restraining order|lawsuit)\b",
        sensitive=True,
    ),
    _c(
        "health",
        "life_event",
        "health concerns",
        "physical health",
        r"\b(?:diagnosed with|surgery|cancer|chronic pain|hospital(?:ized)?|doctor said|pregnan\w*|illness)\b",
    ),
    _c(
        "trauma",
        "life_event",
        "trauma-related material",
        "trauma",
        r"\b(?:abus(?:e|ed|ive)|assault\w*|rap(?:e|ed)|molest\w*|(?:car )?(?:accident|crash)|combat|deploy\w*|"
        r"(?:he|she|they) (?:hit|hurt|beat|choked|attacked|touched) me|violen\w*|trauma\w*|the shooting|ied|"
        r"domestic violence|in the war|(?:come|came|coming) into my (?:room|bed) at night|(?:touch(?:ed)?|"
        r"grabbed|shoved|pinned) me|made me (?:touch|do things)|flashbacks? (?:of|to|about)|lock(?:ed)? me in|"
        r"(?:didn'?t|wouldn'?t) stop when i (?:said|told (?:him|her|them)) (?:no|to stop)|"
        r"(?:hit|beat|hurt|choked|slapped|kicked|strangled) my (?:mom|mother|dad|father|sister|brother)|"
        # a disclosure and how it was met: "what he did", "she said I was making it up"
        r"what (?:he|she|they) did(?: to me)?(?=[.,;]| to me| when)|(?:said|thought|told me) i was (?:making it up|"
        r"lying)|(?:didn'?t|never|wouldn'?t) believe(?:d)? me)\b",
        sensitive=True,
    ),
    _c(
        "confidence",
        "life_event",
        "matters concerning others shared in confidence",
        "confidential matters",
        # A third party's secret: it belongs in the private draft, and the note says only that it was discussed.
        r"\b(?:nobody (?:else )?knows|no one (?:else )?knows|(?:hasn'?t|has not|haven'?t) told (?:anyone|anybody|"
        r"her parents|his parents|their parents|them|the family)|(?:please )?don'?t (?:write|put) (?:this|that) "
        r"(?:down|in)|"
        r"(?:just )?between (?:us|you and me)|keep (?:this|it) (?:between us|secret|a secret)|told me (?:in confidence|"
        r"(?:that )?(?:she|he|they)(?:'s| is| are| was) (?:gay|pregnant|trans|bi|leaving|cheating))|(?:had|getting|"
        r"get) an abortion|(?:she|he|they)(?:'s| is| are) (?:been )?(?:having an affair|cheating)|secret)\b",
        sensitive=True,
    ),
)

# Motivational interviewing, as it is spoken: rulers, decisional balance and evoking questions are MI by themselves;
# asking permission, autonomy support and evoking the client's own reasons are MI when they recur in a session about
# one behavior (see confide.drafting.facts).
MI_STRONG = (
    r"\b(?:on a scale (?:of|from) (?:0|zero|one|1) to (?:10|ten),? how (?:important|confident|ready|willing|"
    r"motivated)|how (?:important|confident|ready) (?:is it|are you|would you say)[^.?!]{0,40}(?:scale|(?:0|zero|one|"
    r"1) to (?:10|ten))|why (?:a|an) (?:\w+) and not (?:a|an)? ?(?:zero|one|lower|\d)|decisional balance|"
    r"what would it take|what (?:would|might) (?:be|make) (?:different|better) if you|change talk|"
    r"motivational interviewing|(?-i:\bMI\b)|what are some reasons you|the (?:good|not so good|less good) things about|"
    r"what do you (?:like|enjoy|get out of)[^.?!]{0,30}(?:drinking|smoking|using|gambling|vaping)|"
    r"(?:pros|benefits) and (?:cons|costs) of (?:drinking|smoking|using|gambling|vaping|changing|quitting|cutting)|"
    r"how would (?:your|things|life) (?:life )?be different)"
)
MI_SOFT = (
    r"\b(?:would it be (?:ok|okay|alright|all right) if i|(?:do you mind|is it okay) if i (?:share|ask|tell|give)|"
    r"can i (?:share|offer|give you) (?:some|a little)|it'?s (?:really )?(?:up to you|your (?:choice|decision|call))|"
    r"you'?re the (?:expert|one who decides)|what (?:concerns|worries) (?:you|do you have) about|"
    r"what (?:do|would) you (?:think|want|like) to do about|where (?:does|do) (?:that|this) leave you|"
    r"what (?:makes|made) you (?:decide|want) to|how (?:important|confident) (?:is it|are you)|"
    r"what would you like to (?:do|see|change)|on the one hand[^.?!]{0,80}on the other|part of you (?:wants|"
    r"would like|feels)|what (?:would|could) be (?:a|the|your) first step|what'?s (?:worked|helped) for you before)"
)

INTERVENTIONS: tuple[Concept, ...] = (
    _c(
        "cognitive_restructuring",
        "intervention",
        "CBT cognitive restructuring",
        "cognitive restructuring",
        r"\b(?:evidence (?:for|against|that supports)|another way (?:to|of) (?:look|see|think)|thinking traps?|"
        r"cognitive distortions?|all[- ]or[- ]nothing|predictions?|catastrophi[sz]\w*|mind[- ]reading|"
        r"fortune[- ]telling|"
        r"balanced (?:thought|thinking)|reframe\w*|alternative (?:thought|explanation)|what would you (?:tell|"
        r"say to) a "
        r"friend|cognitive restructuring|(?-i:\bCR\b)|challeng(?:e|ing) (?:that|the|this) thought|"
        r"automatic thoughts?|should statements|black[- ]and[- ]white thinking|(?:look at|examine|question|test|"
        r"unpack|weigh) (?:that|this|the) (?:thought|belief)|is (?:that|it) (?:100|a hundred) percent true)",
    ),
    _c(
        "socratic",
        "intervention",
        "Socratic questioning",
        "Socratic questioning",
        r"\b(?:socratic|how do you know that|what makes you (?:think|sure)|is that (?:always )?true|"
        r"what(?:'s| is) the worst that could happen|what does that tell you|what did you predict)",
    ),
    _c("thought_record", "intervention", "thought records", "thought records", r"\bthought (?:records?|logs?|diary)\b"),
    _c(
        "behavioral_activation",
        "intervention",
        "behavioral activation and activity scheduling",
        "behavioral activation",
        r"\b(?:behaviou?ral activation|(?-i:\bBA\b)|activity schedul\w*|schedul(?:e|ing) (?:some |"
        r"a few )?(?:activities|"
        r"something)|pleasant activit\w*|small (?:steps|activities)|mastery and pleasure|activity (?:log|monitoring))",
    ),
    _c(
        "exposure",
        "intervention",
        "exposure work (graded hierarchy)",
        "exposure",
        r"\b(?:exposures?|fear ladder|hierarchy|suds|response prevention|(?-i:\bERP\b)|imaginal|in vivo|"
        r"approach (?:the|it) "
        r"gradually|sit with the anxiety|interoceptive|spin(?:ning)? in (?:a|the) chair|(?:breath|breathing) "
        r"through a (?:thin )?straw|running in place|hyperventilat\w* on purpose)\b",
    ),
    _c(
        "dbt",
        "intervention",
        "DBT skills",
        "DBT skills",
        r"\b(?:(?-i:\bDBT\b)|(?-i:TIPP|STOP skill|DEAR MAN|GIVE FAST)|distress tolerance|emotion regulation|wise mind|"
        r"chain analysis|diary card|opposite action|radical acceptance|urge surf\w*|"
        r"(?:do|did|doing|start|walk through) (?:a|the) chain\b|prompting event|(?:ice|cold) water|"
        r"interpersonal effectiveness|(?-i:\bTIP\b)|"
        r"(?:paced|cold) (?:breathing|water)|intense exercise|"
        r"(?:cold water|ice) on (?:your|my) face|self-soothe|check the facts|(?-i:ACCEPTS))\b",
    ),
    _c(
        "mindfulness",
        "intervention",
        "mindfulness and relaxation skills",
        "mindfulness",
        r"\b(?:mindful\w*|grounding (?:exercise|technique|skill)|5-4-3-2-1|five things (?:you|i) can see|grounding\b|"
        r"(?:slow|deep|"
        r"belly|box|paced|diaphragmatic) breath\w*|breathing (?:exercise|technique)|body scan|progressive (?:muscle )?"
        r"relaxation|(?-i:\bPMR\b)|relaxation|meditat\w*)",
    ),
    _c(
        "psychoeducation",
        "intervention",
        "psychoeducation",
        "psychoeducation",
        r"\b(?:psycho-?ed\w*|fight[- ]or[- ]flight|it'?s (?:really )?(?:common|normal) (?:for|to|when)|"
        r"the (?:cycle|way) (?:of )?(?:anxiety|depression|panic|avoidance) works|what (?:we know|research shows)|"
        r"(?:anxiety|panic|depression|trauma) (?:is|can be) (?:the body|your body|a normal)|the (?:panic|anxiety|"
        r"avoidance) cycle|sleep hygiene|window of tolerance)",
    ),
    _c(
        "safety_planning",
        "intervention",
        "safety planning",
        "safety planning",
        r"\b(?:safety plan\w*|crisis (?:line|number|text)|988|warning signs|lock (?:up|away) (?:the|your)|"
        r"means (?:restriction|safety)|who (?:could|can|would) you call|remove (?:the )?(?:gun|firearm|pills)|"
        r"emergency (?:room|department|contacts?)|go to the (?:er|emergency)|keep (?:it|them|the (?:gun|pills|meds|"
        r"firearm)) (?:at|with|locked)|hold (?:onto|on to) (?:the|your|my) (?:pills|gun|meds|medications?)|"
        r"(?:gun|trigger|cable) lock|lock ?box|store (?:the|your) (?:gun|firearm|pills)|crisis (?:text )?line|"
        r"lethal means)",
    ),
    _c(
        "cbt_i",
        "intervention",
        "CBT for insomnia (CBT-I)",
        "CBT for insomnia",
        r"\b(?:sleep restriction|stimulus control|sleep window|(?:bed|bedroom) (?:is )?(?:only )?for sleep|get out of "
        r"bed if you (?:can'?t|cannot|don'?t) (?:fall asleep|sleep)|sleep (?:diary|log)|(?-i:CBT-I)|sleep "
        r"efficiency|same wake[- ]up time|fixed wake time)",
    ),
    _c(
        "worry_time",
        "intervention",
        "worry postponement (scheduled worry time)",
        "worry time",
        r"\b(?:worry (?:time|period|window|appointment)|postpon\w* (?:the |your )?worr\w*|schedul\w* (?:a |your )?"
        r"worry)",
    ),
    _c(
        "problem_solving",
        "intervention",
        "problem solving",
        "problem solving",
        r"\b(?:problem[- ]solv\w*|brainstorm\w*|pros and cons|break (?:it|that) down into (?:smaller )?steps)",
    ),
    _c(
        "mi",
        "intervention",
        "motivational interviewing (eliciting change talk, decisional balance)",
        "motivational interviewing",
        # The strong markers alone, or the softer ones (MI_SOFT) when a session keeps to one target behavior.
        r"(?:" + MI_STRONG + "|" + MI_SOFT + ")",
    ),
    _c(
        "couples",
        "intervention",
        "couples work (cycle de-escalation, communication skills)",
        "couples work",
        r"\b(?:(?:the|your|this|negative) cycle|pursu(?:e|er|ing)|withdraw(?:er|s)|underneath (?:the|that|it|this)\b|"
        r"underneath (?:the|that) "
        r"(?:anger|frustration)|turn (?:to|toward) (?:each other|him|her)|soft(?:er|ened)? startup|"
        r"attachment (?:needs?|fears?)|(?:tell|say to) (?:him|her) (?:directly|what)|time[- ]outs?|"
        r"soft(?:er|ened)?[- ]?start[- ]?ups?|four horsemen|repair attempts?|(?:get|got|getting) flooded|flooding|"
        r"love maps?|(?-i:Gottman)|speaker[- ]listener|i[- ]statements?)",
    ),
    _c(
        "trauma_focused",
        "intervention",
        "trauma-focused work",
        "trauma-focused work",
        r"\b(?:impact statement|stuck points?|(?-i:\bCPT\b)|cognitive processing|prolonged exposure|(?-i:\bEMDR\b)|"
        r"trauma narrative|bilateral stimulation|processing the (?:trauma|memory)|(?:calm|safe) place|"
        r"resourc(?:e|es|ing) (?:work|installation|exercise)|resourcing|container exercise|butterfly hug|"
        r"tapping|(?-i:VoC))",
    ),
    _c(
        "act",
        "intervention",
        "ACT (defusion, values)",
        "ACT",
        r"\b(?:defusion|i'?m having the thought that|your values|valued (?:action|direction)|willingness|"
        r"leaves on a stream|passengers on the bus)",
    ),
    _c(
        "solution_focused",
        "intervention",
        "solution-focused techniques (scaling, miracle question)",
        "solution-focused techniques",
        r"\b(?:miracle question|if a miracle|scaling question|on a scale (?:of|from) (?:0|zero|one|1) to (?:10|ten),? "
        r"(?:where|how)|exceptions?|what'?s (?:already )?working)",
    ),
    _c(
        "grief_work",
        "intervention",
        "grief work",
        "grief work",
        r"\b(?:grief work|stages of grief|(?:write|writing) (?:a |her |him )?(?:a )?letter to|continuing bonds|"
        r"memories of (?:her|him))",
    ),
    _c(
        "validation",
        "intervention",
        "supportive validation",
        "supportive therapy",
        r"\b(?:that makes (?:a lot of |total )?sense|it'?s understandable|anyone would|of course you (?:feel|felt)|"
        r"that sounds (?:really )?(?:hard|painful|difficult|exhausting))",
    ),
    _c(
        "affirmation",
        "intervention",
        "MI affirmations",
        "affirmations",
        r"\b(?:that took (?:a lot of )?courage|i'?m (?:really )?(?:impressed|proud)|you should be proud|"
        r"that'?s a (?:big|real|huge) (?:step|accomplishment)|great (?:job|work)|well done|you did (?:it|that)|"
        r"that shows (?:real )?(?:strength|commitment))",
    ),
    _c(
        "reflection",
        "intervention",
        "MI reflections",
        "reflections",
        r"\b(?:it sounds like|what i'?m hearing|so you(?:'re| are)? (?:feel|feeling|saying)|you(?:'re| are) "
        r"feeling|i hear (?:that )?you|part of you)",
    ),
)


# The behavior a counselling session sets out to change; the one talked about most is named as the session's focus.
TARGETS: tuple[Concept, ...] = (
    _c(
        "alcohol",
        "focus",
        "alcohol use",
        "drinking",
        r"\b(?:alcohol|drink(?:s|ing)?|drank|beers?|wine|vodka|whiske?y|booze|drunk|hungover|hangovers?|binge\w*|"
        r"liquor|sober|sobriety|cold ones|brews?|six-?packs?|pints?|tallboys?|happy hour|buzzed|tipsy|tequila|"
        r"cocktails?|margaritas?|seltzers?|(?-i:IPAs?)|(?:a few|some|couple of) (?:rounds|shots)|(?-i:DUI))\b",
    ),
    _c(
        "smoking",
        "focus",
        "smoking (tobacco/nicotine)",
        "smoking",
        r"\b(?:smok\w*|cigarettes?|cigs?|tobacco|nicotine|vap(?:e|es|ing)|packs? a day|(?:the )?patch|chew|juul)\b",
    ),
    _c(
        "cannabis",
        "focus",
        "cannabis use",
        "cannabis",
        r"\b(?:weed|marijuana|cannabis|pot|joints?|blunts?|edibles?|(?-i:THC)|dab\w*|getting high|smoke up)\b",
    ),
    _c(
        "drugs",
        "focus",
        "drug use",
        "drug use",
        r"\b(?:drugs?|cocaine|coke|heroin|meth|crack|opioids?|oxy\w*|fentanyl|pills|using again|relaps\w*|"
        r"needles?|speed|molly|ecstasy|blow|dope|percs?|snort\w*|doing lines|a line|lines of|dealer|"
        r"(?:get|getting|got) high|shoot(?:ing)? up|(?:clean|sober) time)\b",
    ),
    _c(
        "exercise",
        "focus",
        "exercise and physical activity",
        "exercise",
        r"\b(?:exercis\w*|gym|work(?:ing)? out|workouts?|physical(?:ly)? activ\w*|walk(?:s|ing)?|jog\w*|running|"
        r"swim\w*|bike|cycling|steps a day|more active|sedentary|fitness)\b",
    ),
    _c(
        "weight",
        "focus",
        "weight and eating habits",
        "weight",
        r"\b(?:weight|diet\w*|eat(?:ing)? (?:healthier|better|less|more)|calories|pounds|overweight|obes\w*|"
        r"snack\w*|portions?|junk food|fast food|sugar(?:y)?|vegetables|(?-i:BMI)|lose (?:some )?weight)\b",
    ),
    _c(
        "medication",
        "focus",
        "medication adherence",
        "medication",
        r"\b(?:(?:take|taking|took|skip\w*|miss\w*|forget\w*|stop\w*) (?:my |your |the |his |her )?"
        r"(?:meds|medications?|pills|tablets|insulin|inhalers?|doses?)|adheren\w*|refills?|prescriptions?|"
        r"side effects?|pill ?(?:box|organi[sz]er)|(?:blood pressure|(?-i:BP)|cholesterol|thyroid|seizure|heart) "
        r"(?:meds|medications?|medicines?|pills)|(?:my|your|the) (?:meds|medications?|medicines?))\b",
    ),
    _c(
        "gambling",
        "focus",
        "gambling",
        "gambling",
        r"\b(?:gambl\w*|bets?|betting|casinos?|slots?|poker|sportsbook|scratch(?:ers| cards?)|lottery)\b",
    ),
    _c(
        "diabetes",
        "focus",
        "diabetes self-management",
        "blood sugar",
        r"\b(?:diabet\w*|blood sugars?|glucose|insulin|(?-i:A1C)|a1c|my sugars?|sugar (?:levels?|numbers?|readings?)|"
        r"finger ?sticks?|glucometer|(?-i:CGM)|metformin|check(?:ing)? my (?:sugar|numbers))\b",
    ),
    _c(
        "sexual_health",
        "focus",
        "sexual health and contraception",
        "safer sex",
        r"\b(?:condoms?|birth control|contracepti\w*|"
        r"(?:the|an?) (?:pill|IUD|implant|patch|shot)\b(?= (?:for|as) birth)|"
        r"(?-i:IUD)|safer? sex|protection|(?-i:STIs?|STDs?)|pregnan\w*|pull(?:ing)? out|(?-i:PrEP)|unprotected)\b",
    ),
    _c(
        "legal",
        "focus",
        "probation and legal matters",
        "probation",
        r"\b(?:probation|parole|(?-i:PO)|probation officer|court|judge|violations?|check[- ]ins?|arrest\w*|jail|"
        r"locked up|recidiv\w*|(?:stay|staying|stayed) out of trouble|(?:criminal|the|pressed|dropped) charges|"
        r"warrant|ankle monitor|"
        r"community service)\b",
    ),
    _c(
        "screens",
        "focus",
        "screen time and gaming",
        "screen time",
        r"\b(?:video ?games?|gaming|gamer|game(?:s)? (?:all night|till|until)|(?-i:Xbox|PlayStation|PS5|Fortnite|"
        r"Minecraft|Roblox|TikTok|YouTube)|consoles?|screen ?time|scrolling|on (?:my|his|her|the) phone)\b",
    ),
    _c(
        "sleep",
        "focus",
        "sleep habits",
        "sleep",
        r"\b(?:sleep\w*|bedtime|(?:in|to|go to) bed\b|insomnia|rested|alarm clock|naps?|napping|wake up time)\b",
    ),
    _c(
        "asthma",
        "focus",
        "asthma self-management",
        "inhaler use",
        r"\b(?:asthma|inhalers?|puffers?|controller|rescue (?:inhaler|med\w*)|nebuli[sz]er|wheez\w*|spacer|"
        r"peak flow)\b",
    ),
    _c(
        "school",
        "focus",
        "school",
        "school attendance",
        r"\b(?:school|class(?:es)?|(?:first|second|third) period|skipp(?:ed|ing) (?:school|class)|truan\w*|"
        r"attendance|tard(?:y|ies)|absences?|detention|homeroom|suspend\w*)\b",
    ),
)

# Sessions (or parts of them) spent on the practice's business rather than on treatment.
ADMIN: tuple[Concept, ...] = (
    _c(
        "insurance",
        "focus",
        "insurance",
        "administrative matters",
        r"\b(?:insurance|insurer|copays?|co-pays?|deductibles?|prior authori[sz]ation|in[- ]network|"
        r"out[- ]of[- ]network|"
        r"coverage|(?-i:EOB)|claims?|switch(?:ing|ed)? (?:health |insurance )?plans)\b",
    ),
    _c(
        "billing",
        "focus",
        "billing",
        "administrative matters",
        r"\b(?:bills?|billing|invoices?|statements?|balance|payments?|superbill|charged?|receipts?|sliding scale|"
        r"credit card)\b",
    ),
    _c(
        "scheduling",
        "focus",
        "scheduling",
        "administrative matters",
        r"\b(?:reschedul\w*|schedul\w*|cancel\w*|time slot|slots?|calendar|availability|appointment times?|"
        r"(?:move|switch) (?:our|the|my) (?:appointment|session))\b",
    ),
    _c(
        "paperwork",
        "focus",
        "paperwork",
        "administrative matters",
        r"\b(?:paperwork|forms?|release (?:form|of information)|portal|intake packet|letter for)\b",
    ),
)

_Trie = dict[str, "_Trie"]


def _trie_alternation(words: Iterable[str]) -> str:
    """One regex alternation shaped as a trie: Python's re tries alternatives one by one, so sharing prefixes
    makes a 100-name medication list several times faster to search."""
    tree: _Trie = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: _Trie) -> str:
        ends = "" in node
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return render(tree)


MEDICATION = re.compile(r"\b(" + _trie_alternation(MEDICATIONS) + r")\b", re.I)
GENERIC_MEDICATION = re.compile(
    r"\b(?:my |the |your )?(?:meds|medications?|antidepressants?|pills|prescription)\b", re.I
)
DOSE = re.compile(r"\b(\d{1,4}(?:\.\d+)?)\s?(mg|milligrams?|mcg)\b", re.I)
# A dose said without its unit, right after the medication was named ("Dr. Hale bumped it to 300").
DOSE_BARE = re.compile(
    r"\b(?:(?:bump(?:ed)?|up(?:ped)?|increas(?:ed)?|rais(?:ed)?|lower(?:ed)?|drop(?:ped)?|cut|decreas(?:ed)?|"
    r"reduc(?:ed)?|mov(?:ed)?|chang(?:ed)?) (?:it |me |you |the dose )?(?:up |down |back )?to|went (?:up|down) to|"
    r"(?:put|started|has|had) (?:me|you|him|her|them) on|(?:i'?m|i am|you'?re|he'?s|she'?s) (?:now )?on)\s+"
    r"(\d{2,4})\b(?!\s*(?:%|percent|minutes?|mins?|hours?|days?|weeks?|times?|pounds?|lbs?|dollars?|a (?:day|week)))",
    re.I,
)
# A dose in words, as people say it ("the hundred milligrams", "Mirtazapine. The fifteen.", "the naltrexone, the
# fifty"): kept in the words said, so the note quotes nothing that was not heard.
_DOSE_WORD = (
    r"(?:a |one )?hundred and fifty|(?:one |two |three |four |five |six |eight )?hundred|seventy-five|twenty-five|"
    r"thirty-seven and a half|twelve and a half|seven and a half|fifteen|twenty|thirty|forty|fifty|sixty|eighty|ten|"
    r"five"
)
DOSE_SPOKEN = re.compile(rf"\b({_DOSE_WORD})(?: |-)?(milligrams?|mg)\b", re.I)
DOSE_SPOKEN_BARE = re.compile(
    rf"^[^.?!]{{0,12}}?\bthe ({_DOSE_WORD}|\d{{2,4}})\b(?!\s*(?:%|percent|minutes?|mins?|hours?|days?|weeks?|months?|"
    r"years?|times?|pounds?|lbs?|dollars?|of|or|to|and|a (?:day|week)|people|others?))",
    re.I,
)
# A dose change said as a range ("it went from one fifty to two hundred", "estradiol went from 4 to 6 milligrams",
# "oxycodone from four a day to three"): the amounts are kept as said.
_UNITS_WORD = r"one|two|three|four|five|six|seven|eight|nine"
_AMOUNT = (
    rf"\d{{1,4}}(?:\.\d+)?|(?:{_UNITS_WORD}) (?:hundred(?: and (?:fifty|twenty-five|seventy-five))?|fifty|"
    r"twenty-five|seventy-five)|(?:a |one )?hundred(?: and fifty)?|seventy-five|twenty-five|thirty-seven and a half|"
    r"twelve and a half|seven and a half|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|eleven|twelve|"
    rf"fifteen|{_UNITS_WORD}|half a pill|a half"
)
_DOSE_UNIT = r"mg|milligrams?|mcg|micrograms?|units?|tablets?|pills?|tabs?|caps(?:ules)?"
_NOT_A_DOSE = r"(?!\s*(?:a\.?m\b|p\.?m\b|o'?clock|hours?|minutes?|mins?|days?\b|weeks?|months?|years?|pounds?|lbs?|%))"
# "It was the one fifty and now it's three hundred"
# For patterns elsewhere that read a dose as said ("started me on the twenty-five").
DOSE_AMOUNT = _AMOUNT
NOT_A_DOSE = _NOT_A_DOSE
DOSE_WAS_NOW = re.compile(
    rf"\b(?:was|were|on) (?:the )?({_AMOUNT}){_NOT_A_DOSE}(?:\s?({_DOSE_UNIT}))?,? (?:and|but|so)? ?now (?:it'?s|it is|"
    rf"i'?m on|i am on|she'?s got me on|he'?s got me on|(?:we'?re|i'?m) at|is|at|on) (?:the )?({_AMOUNT})"
    rf"{_NOT_A_DOSE}\b"
    rf"(?:\s?({_DOSE_UNIT})\b)?",
    re.I,
)
DOSE_FROM_TO = re.compile(
    rf"\bfrom (?:the )?({_AMOUNT}){_NOT_A_DOSE}(?:\s?({_DOSE_UNIT}))?(?: (?:a|per) day| twice a day| at night)?"
    rf"(?: (?:up|down))? to (?:the )?({_AMOUNT}){_NOT_A_DOSE}\b(?:\s?({_DOSE_UNIT})\b)?"
    r"(?: ?(a day|per day|twice a day|at night|at bedtime|daily|a week))?",
    re.I,
)
MED_CHANGE = (
    (
        "increased",
        re.compile(
            r"\b(?:increas\w*|went up|upped|bump(?:ed)? (?:it |me )?(?:up|to)|rais\w*|higher dose|up to)\b", re.I
        ),
    ),
    (
        "decreased",
        re.compile(r"\b(?:decreas\w*|lower(?:ed)?|reduc\w*|cut (?:it |back|down)|taper\w*|went down)\b", re.I),
    ),
    (
        "started",
        re.compile(r"\b(?:start(?:ed|ing)?|began|prescribed|put (?:me|you|her|him) on|new (?:med|medication))\b", re.I),
    ),
    ("stopped", re.compile(r"\b(?:stop(?:ped|ping)?|quit|came off|discontinu\w*|ran out|not taking)\b", re.I)),
    ("switched", re.compile(r"\b(?:switch\w*|chang(?:ed|ing) (?:to|from|me))\b", re.I)),
)
MISSED_DOSES = re.compile(
    r"\b(?:miss(?:ed|ing)? (?:a |some |a few |several )?(?:doses?|days|pills)|forg(?:et|ot|etting) to take|"
    r"(?:haven'?t|not|wasn'?t|stopped) (?:been )?taking (?:it|them|my)|skip(?:ped|ping)? (?:doses?|my meds|it))\b",
    re.I,
)
SIDE_EFFECTS = re.compile(
    r"\b(?:side effects?|nause\w*|makes? me (?:feel )?(?:sleepy|drowsy|dizzy|numb|jittery)|weight gain|dizz\w*|"
    r"drows\w*|jittery|dry mouth|"
    r"sexual side|headaches? from)\b",
    re.I,
)

# Scores are read in digits or in words ("a PHQ of fourteen", "a PCL-5 of thirty-eight"). "The PHQ nine" is the
# instrument's name, never a score of 9.
_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORD_LIST = _ONES + tuple(f"{tens}-{one}" if one != "zero" else tens for tens in _TENS for one in _ONES[:10])
NUMBER_WORDS = {word: value for value, word in enumerate(NUMBER_WORD_LIST)}
# For a regex alternation: the longest first, so "twenty-four" is never read as "twenty".
NUMBER_WORD_ALTERNATION = "|".join(sorted(NUMBER_WORD_LIST, key=len, reverse=True))
# Instruments a score may be said for: the spoken name's pattern, the canonical name, the highest total and the
# published severity bands where the drafter may name them (PHQ-9: Kroenke 2001; GAD-7: Spitzer 2006; AUDIT: Babor
# 2001; Y-BOCS: Goodman 1989; ISI: Bastien 2001). A digit inside a name ("PHQ-9", "PCL-5", "DAST-10") is never a score.
INSTRUMENTS: tuple[tuple[str, str, int, tuple[tuple[int, str], ...]], ...] = (
    (r"PHQ[- ]?(?:9|nine)", "PHQ-9", 27,
     ((4, "minimal"), (9, "mild"), (14, "moderate"), (19, "moderately severe"), (27, "severe"))),
    (r"PHQ(?![- ]?(?:9|nine|A)\b)", "PHQ-9", 27,
     ((4, "minimal"), (9, "mild"), (14, "moderate"), (19, "moderately severe"), (27, "severe"))),
    (r"GAD[- ]?(?:7|seven)", "GAD-7", 21, ((4, "minimal"), (9, "mild"), (14, "moderate"), (21, "severe"))),
    (r"PCL[- ]?(?:5|five)", "PCL-5", 80, ()),
    (r"AUDIT(?![- ]?C\b)", "AUDIT", 40,
     ((7, "low-risk"), (15, "hazardous"), (19, "harmful"), (40, "possible dependence"))),
    (r"AUDIT[- ]?C", "AUDIT-C", 12, ()),
    (r"Y-?BOCS|Yale[- ]Brown(?: (?:checklist|scale|inventory))?", "Y-BOCS", 40,
     ((7, "subclinical"), (15, "mild"), (23, "moderate"), (31, "severe"), (40, "extreme"))),
    (r"EPDS|Edinburgh(?: Postnatal Depression Scale| scale)?", "EPDS", 30, ()),
    (r"ISI|Insomnia Severity Index", "ISI", 28,
     ((7, "no clinically significant insomnia"), (14, "subthreshold insomnia"), (21, "moderate insomnia"),
      (28, "severe insomnia"))),
    (r"PDSS|Panic Disorder Severity Scale|panic severity (?:scale|one|questionnaire|measure)", "PDSS", 28, ()),
    (r"DAST(?:[- ]?10)?", "DAST-10", 10, ()),
    (r"K[- ]?10|Kessler", "K10", 50, ()),
    (r"PHQ[- ]?A", "PHQ-A", 27, ()),
    (r"CUDIT(?:[- ]?R)?", "CUDIT-R", 32, ()),
    (r"GDS(?:[- ]?(?:15|30))?|Geriatric Depression Scale", "GDS", 30, ()),
    (r"MDQ|Mood Disorder Questionnaire", "MDQ", 13, ()),
    (r"Zarit(?: Burden Interview| burden)?", "Zarit Burden Interview", 88, ()),
    (r"PHQ[- ]?15", "PHQ-15", 30, ()),
    (r"EAT[- ]?26", "EAT-26", 78, ()),
    (r"OCI[- ]?R", "OCI-R", 72, ()),
    # Problem Gambling Severity Index (Ferris & Wynne 2001); SCARED (Birmaher 1997, child and parent forms); Beck
    # Depression and Anxiety Inventories (Beck 1996, 1988); Outcome and Session Rating Scales (Miller 2003); the
    # Perceived Stress Scale (Cohen 1983); adverse childhood experiences (Felitti 1998); PHQ-2 and GAD-2; MoCA.
    (r"PGSI|Problem Gambling Severity Index", "PGSI", 27,
     ((0, "non-problem"), (2, "low-risk"), (7, "moderate-risk"), (27, "problem gambling"))),
    (r"SCARED", "SCARED", 82, ()),
    (r"BDI(?:[- ]?(?:II|2))?|Beck Depression Inventory", "BDI-II", 63,
     ((13, "minimal"), (19, "mild"), (28, "moderate"), (63, "severe"))),
    (r"BAI|Beck Anxiety Inventory", "BAI", 63, ((7, "minimal"), (15, "mild"), (25, "moderate"), (63, "severe"))),
    (r"ORS|Outcome Rating Scale", "ORS", 40, ()),
    (r"SRS|Session Rating Scale", "SRS", 40, ()),
    (r"PSS(?:[- ]?10)?|Perceived Stress Scale", "PSS-10", 40, ()),
    (r"(?-i:ACEs?)(?: score)?|adverse childhood experiences?(?: score)?", "ACE", 10, ()),
    (r"PHQ[- ]?(?:2|two)", "PHQ-2", 6, ()),
    (r"GAD[- ]?(?:2|two)", "GAD-2", 6, ()),
    (r"MoCA|Montreal Cognitive Assessment", "MoCA", 30, ()),
)  # fmt: skip
# Names that are also words ("ACE", "ORS", "SRS", "SCARED", "BAI") count only in capitals.
_CASE_SENSITIVE = (
    "ISI",
    r"AUDIT(?![- ]?C\b)",
    r"AUDIT[- ]?C",
    "SCARED",
    "ORS|Outcome Rating Scale",
    "SRS|Session Rating Scale",
    "BAI|Beck Anxiety Inventory",
)
_NAMES = "|".join(f"(?-i:{pattern})" if pattern in _CASE_SENSITIVE else pattern for pattern, *_ in INSTRUMENTS)
_NUMBER = r"(\d{1,2}|" + NUMBER_WORD_ALTERNATION + r")"
MEASURE = re.compile(
    rf"\b({_NAMES})\b(?:\s*(?:score|total))?(?:(?!{_NAMES})[^.?!\d]){{0,60}}?\b{_NUMBER}\b(?![-/:.]\d|\s*(?:%|percent|mg|minutes?|"
    r"hours?|days?|weeks?|years?|times|am|pm|a\.m|p\.m|points?|pts?\b|questions?|items?))",
    re.I,
)
# The score said in the next breath: "You filled out the PHQ nine. Your score was 17." / "It came out at 17."
MEASURE_NAMED = re.compile(rf"\b({_NAMES})\b", re.I)
SCORE_SAID = re.compile(
    r"\b(?:(?:your|my|the|a|his|her|their) (?:total |score )?(?:score|total)(?: today| this time| this week| now)? "
    r"(?:was|is|of|came (?:out|back) (?:at|as|to)|came to)|"
    r"(?:it|that) (?:came (?:out|back|in) (?:at|as|to)|came to|added up to|totaled|totalled|was|is|'s)|"
    # "Today it's 27", "you scored 19", "I got an eighteen", "Aaliyah's came out 38", "came through at 49"
    r"(?:today|now|this (?:time|week|month)),? (?:it'?s|it is|you'?re at|you are at|you'?re)|"
    r"(?:you|i|she|he|they) (?:scored|got|had)|(?:[A-Z][a-z]+'s |yours |mine )?came (?:out|in|back|through)"
    r"(?: (?:at|as))?)\s+(?:a |an )?"
    rf"{_NUMBER}\b",
    re.I,
)
# The score said later, in so many words, of the instrument named some turns before: "So your score on the
# questionnaire, when I add it up, it came out to sixteen."
SCORE_LATER = re.compile(
    r"\b(?:(?:your|the) (?:total|score)\b[^.?!\d]{0,50}?\b(?:was|is|came (?:out|back|in) (?:to|at|as)|of)|"
    r"(?:came|comes) (?:out|back) (?:to|at|as)|add(?:ed)? (?:it|them) up,? (?:it'?s|it was|you'?re at))\s+(?:a |an )?"
    rf"{_NUMBER}\b",
    re.I,
)
# "You scored a 22 on it": the instrument is the one just named.
SCORED_ON_IT = re.compile(r"\bscored? (?:a |an )?(\d{1,2}) on (?:it|that|this)\b", re.I)
MEASURE_REVERSED = re.compile(rf"\bscored? (?:a |an )?(\d{{1,2}}) on (?:the |your |my )?({_NAMES})\b", re.I)


def instrument_name(said: str) -> str | None:
    """The canonical name of an instrument as said ("PHQ nine" -> "PHQ-9")."""
    for pattern, name, _, _ in INSTRUMENTS:
        if re.fullmatch(pattern, said.strip(), re.I):
            return name
    return None


def measure_band(instrument: str, score: int) -> str | None:
    """The severity band of a total, "" for an instrument whose bands the drafter does not name, None for a total
    the instrument cannot have (or an unknown instrument)."""
    name = instrument_name(instrument) or instrument
    for _, canonical, top, bands in INSTRUMENTS:
        if canonical == name:
            if not 0 <= score <= top:
                return None
            return next((label for limit, label in bands if score <= limit), "")
    return None
